/** Inline policies of users, groups and roles. */
import assert from 'node:assert/strict'
import { LimitExceededError, NotFoundError } from '../../errors.js'
import type { PolicyHolderRef, StoreTx } from '../../store.js'
import { POLICY_DOCUMENT, holder, readAllPages, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

async function createHolder(tx: StoreTx, ref: PolicyHolderRef): Promise<void> {
  const { accountId, name } = ref
  if (ref.kind === 'user') await tx.createUser({ accountId, name })
  if (ref.kind === 'group') await tx.createGroup({ accountId, name })
  if (ref.kind === 'role') await tx.createRole({ accountId, name, assumeRolePolicyDocument: '{}' })
}

/** A document of exactly `size` non-whitespace characters, padded with `spaces` blanks. */
function documentOfSize(size: number, spaces = 0): string {
  return `"${'x'.repeat(size - 2)}"${' '.repeat(spaces)}`
}

/** The inline policy cases. */
export const inlinePolicyCases: CaseGroup = {
  name: 'inline policies',
  cases(test) {
    for (const kind of ['user', 'group', 'role'] as const) {
      test(`puts, gets, lists and deletes inline policies of a ${kind}`, async (c) => {
        await c.tx(async (tx) => {
          await createHolder(tx, holder(kind, 'Holder'))
          const ref = holder(kind, 'holder')
          await tx.putInlinePolicy(ref, 'S3Read', POLICY_DOCUMENT)
          await tx.putInlinePolicy(ref, 'ec2', '{}')
          assert.deepEqual(await tx.getInlinePolicy(ref, 'S3Read'), {
            holder: ref,
            name: 'S3Read',
            document: POLICY_DOCUMENT,
          })
          assert.deepEqual((await tx.listInlinePolicies(ref)).items, ['ec2', 'S3Read'])
          await tx.putInlinePolicy(ref, 'S3Read', '{"replaced":true}')
          assert.equal((await tx.getInlinePolicy(ref, 'S3Read')).document, '{"replaced":true}')
          await tx.deleteInlinePolicy(ref, 'S3Read')
          await rejectsWith(tx.getInlinePolicy(ref, 'S3Read'), NotFoundError, {
            entity: 'inlinePolicy',
            key: 'S3Read',
          })
          await rejectsWith(tx.deleteInlinePolicy(ref, 'S3Read'), NotFoundError, {
            entity: 'inlinePolicy',
          })
          assert.deepEqual((await tx.listInlinePolicies(ref)).items, ['ec2'])
        })
      })
    }

    test('tells inline policy names apart by case, listing them without case first', async (c) => {
      await c.tx(async (tx) => {
        const ref = holder('user', 'alice')
        await createHolder(tx, ref)
        for (const name of ['read', 'Read', 'b', 'READ', 'A']) {
          await tx.putInlinePolicy(ref, name, `{"n":"${name}"}`)
        }
        assert.deepEqual((await tx.listInlinePolicies(ref)).items, [
          'A',
          'b',
          'READ',
          'Read',
          'read',
        ])
        assert.equal((await tx.getInlinePolicy(ref, 'Read')).document, '{"n":"Read"}')
        await rejectsWith(tx.getInlinePolicy(ref, 'rEAD'), NotFoundError)
        const paged = await readAllPages((marker) =>
          tx.listInlinePolicies(ref, { maxItems: 2, ...(marker ? { marker } : {}) }),
        )
        assert.deepEqual(paged.items, ['A', 'b', 'READ', 'Read', 'read'])
        assert.deepEqual(paged.pages, [2, 2, 1])
      })
    })

    test('reports a missing holder as not found', async (c) => {
      await c.tx(async (tx) => {
        for (const kind of ['user', 'group', 'role'] as const) {
          const ref = holder(kind, 'nobody')
          const expected = { entity: kind, key: 'nobody' }
          await rejectsWith(tx.putInlinePolicy(ref, 'p', '{}'), NotFoundError, expected)
          await rejectsWith(tx.getInlinePolicy(ref, 'p'), NotFoundError, expected)
          await rejectsWith(tx.listInlinePolicies(ref), NotFoundError, expected)
          await rejectsWith(tx.deleteInlinePolicy(ref, 'p'), NotFoundError, expected)
        }
      })
    })

    test(
      'counts all inline policies of a holder against its size quota, without white space',
      async (c) => {
        await c.tx(async (tx) => {
          const user = holder('user', 'u')
          const role = holder('role', 'r')
          await createHolder(tx, user)
          await createHolder(tx, role)
          await tx.putInlinePolicy(user, 'a', documentOfSize(60, 500))
          await tx.putInlinePolicy(user, 'b', documentOfSize(40))
          await rejectsWith(tx.putInlinePolicy(user, 'c', documentOfSize(2)), LimitExceededError, {
            quota: 'inlinePolicySizePerUser',
            limit: 100,
          })
          await rejectsWith(tx.getInlinePolicy(user, 'c'), NotFoundError)
          // A replaced policy counts with its new size only.
          await tx.putInlinePolicy(user, 'b', documentOfSize(30))
          await tx.putInlinePolicy(user, 'c', documentOfSize(10))
          await rejectsWith(tx.putInlinePolicy(user, 'a', documentOfSize(61)), LimitExceededError)
          assert.equal((await tx.getInlinePolicy(user, 'a')).document, documentOfSize(60, 500))
          await tx.putInlinePolicy(role, 'big', documentOfSize(150))
        })
      },
      { limits: { inlinePolicySizePerUser: 100, inlinePolicySizePerRole: 150 } },
    )
  },
}
