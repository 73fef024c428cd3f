/** Tags of users, roles, managed policies and instance profiles. */
import assert from 'node:assert/strict'
import { LimitExceededError, NotFoundError } from '../../errors.js'
import type { StoreTx, Tag, TaggableRef } from '../../store.js'
import { ACCOUNT, readAllPages, rejectsWith, taggable } from '../harness.js'
import type { CaseGroup } from '../harness.js'

async function createTaggable(tx: StoreTx, ref: TaggableRef): Promise<void> {
  const { accountId, name } = ref
  if (ref.kind === 'user') await tx.createUser({ accountId, name })
  if (ref.kind === 'role') await tx.createRole({ accountId, name, assumeRolePolicyDocument: '{}' })
  if (ref.kind === 'policy') await tx.createPolicy({ accountId, name, document: '{}' })
  if (ref.kind === 'instanceProfile') await tx.createInstanceProfile({ accountId, name })
}

/** The tags as listTags pages them, checked against getResourceTags' one read. */
async function tagsOf(tx: StoreTx, ref: TaggableRef): Promise<readonly Tag[]> {
  const listed = (await tx.listTags(ref)).items
  assert.deepEqual(await tx.getResourceTags(ref), listed)
  return listed
}

/** The tag cases. */
export const tagCases: CaseGroup = {
  name: 'tags',
  cases(test) {
    for (const kind of ['user', 'role'] as const) {
      test(`compares the tag keys of a ${kind} without case, a new spelling replacing the old`, async (c) => {
        await c.tx(async (tx) => {
          const ref = taggable(kind, 'Subject')
          await createTaggable(tx, ref)
          await tx.tagResource(ref, [
            { key: 'Department', value: 'finance' },
            { key: 'cost', value: '1' },
          ])
          await tx.tagResource(taggable(kind, 'subject'), [{ key: 'department', value: 'hr' }])
          assert.deepEqual(await tagsOf(tx, ref), [
            { key: 'cost', value: '1' },
            { key: 'department', value: 'hr' },
          ])
          await tx.untagResource(ref, ['COST', 'absent'])
          assert.deepEqual(await tagsOf(tx, ref), [{ key: 'department', value: 'hr' }])
        })
      })
    }

    for (const kind of ['policy', 'instanceProfile'] as const) {
      test(`compares the tag keys of a ${kind} with case`, async (c) => {
        await c.tx(async (tx) => {
          const ref = taggable(kind, 'Subject')
          await createTaggable(tx, ref)
          await tx.tagResource(ref, [{ key: 'Department', value: 'finance' }])
          await tx.tagResource(ref, [{ key: 'department', value: 'hr' }])
          await tx.tagResource(ref, [{ key: 'Department', value: 'legal' }])
          assert.deepEqual(await tagsOf(tx, ref), [
            { key: 'Department', value: 'legal' },
            { key: 'department', value: 'hr' },
          ])
          await tx.untagResource(ref, ['DEPARTMENT', 'department'])
          assert.deepEqual(await tagsOf(tx, ref), [{ key: 'Department', value: 'legal' }])
        })
      })
    }

    for (const kind of ['user', 'role', 'policy', 'instanceProfile'] as const) {
      test(`reads all tags of a ${kind} in one call, none for an untagged one, undefined for a missing one`, async (c) => {
        await c.tx(async (tx) => {
          const ref = taggable(kind, 'Subject')
          assert.equal(await tx.getResourceTags(ref), undefined)
          await createTaggable(tx, ref)
          assert.deepEqual(await tx.getResourceTags(ref), [])
          const tags = Array.from({ length: 12 }, (_, i) => ({
            key: `k${String(i).padStart(2, '0')}`,
            value: `v${i}`,
          }))
          await tx.tagResource(ref, [...tags].reverse())
          // Named in another case: entity names never compare with case.
          assert.deepEqual(await tx.getResourceTags(taggable(kind, 'SUBJECT')), tags)
          assert.equal(await tx.getResourceTags(taggable(kind, 'Other')), undefined)
        })
      })
    }

    test('keeps empty values and any characters in keys and values', async (c) => {
      await c.tx(async (tx) => {
        const ref = taggable('user', 'alice')
        await createTaggable(tx, ref)
        const tags = [
          { key: 'empty', value: '' },
          { key: 'with space:/=+-@._', value: 'ümlaut 値' },
        ]
        await tx.tagResource(ref, tags)
        assert.deepEqual(await tagsOf(tx, ref), tags)
      })
    })

    test(
      'refuses tags past the quota of a resource, changing none of them',
      async (c) => {
        await c.tx(async (tx) => {
          const ref = taggable('role', 'r')
          await createTaggable(tx, ref)
          await tx.tagResource(ref, [
            { key: 'a', value: '1' },
            { key: 'b', value: '1' },
          ])
          await rejectsWith(
            tx.tagResource(ref, [
              { key: 'A', value: '2' },
              { key: 'c', value: '2' },
              { key: 'd', value: '2' },
            ]),
            LimitExceededError,
            { quota: 'tagsPerResource', limit: 3 },
          )
          assert.deepEqual(await tagsOf(tx, ref), [
            { key: 'a', value: '1' },
            { key: 'b', value: '1' },
          ])
          // Replacing keys adds nothing to the count.
          await tx.tagResource(ref, [
            { key: 'A', value: '3' },
            { key: 'B', value: '3' },
            { key: 'c', value: '3' },
          ])
          assert.equal((await tagsOf(tx, ref)).length, 3)
        })
      },
      { limits: { tagsPerResource: 3 } },
    )

    test(
      'creates no entity whose tags pass the quota',
      async (c) => {
        await c.tx(async (tx) => {
          const tags = ['a', 'b', 'c'].map((key) => ({ key, value: '' }))
          await rejectsWith(
            tx.createUser({ accountId: ACCOUNT, name: 'u', tags }),
            LimitExceededError,
          )
          await rejectsWith(
            tx.createRole({ accountId: ACCOUNT, name: 'r', assumeRolePolicyDocument: '{}', tags }),
            LimitExceededError,
          )
          await rejectsWith(
            tx.createInstanceProfile({ accountId: ACCOUNT, name: 'i', tags }),
            LimitExceededError,
          )
          const summary = await tx.getAccountSummary(ACCOUNT)
          assert.deepEqual([summary.users, summary.roles, summary.instanceProfiles], [0, 0, 0])
        })
      },
      { limits: { tagsPerResource: 2 } },
    )

    test('pages through tags in order of key', async (c) => {
      await c.tx(async (tx) => {
        const ref = taggable('policy', 'p')
        await createTaggable(tx, ref)
        const keys = ['k3', 'K1', 'k2', 'a', 'Z']
        await tx.tagResource(
          ref,
          keys.map((key) => ({ key, value: key })),
        )
        const paged = await readAllPages((marker) =>
          tx.listTags(ref, { maxItems: 2, ...(marker ? { marker } : {}) }),
        )
        assert.deepEqual(
          paged.items.map((tag) => tag.key),
          ['K1', 'Z', 'a', 'k2', 'k3'],
        )
        assert.deepEqual(paged.pages, [2, 2, 1])
      })
    })

    test('reports a missing resource as not found', async (c) => {
      await c.tx(async (tx) => {
        for (const kind of ['user', 'role', 'policy', 'instanceProfile'] as const) {
          const ref = taggable(kind, 'nobody')
          const expected = { entity: kind, key: 'nobody' }
          await rejectsWith(
            tx.tagResource(ref, [{ key: 'a', value: 'b' }]),
            NotFoundError,
            expected,
          )
          await rejectsWith(tx.untagResource(ref, ['a']), NotFoundError, expected)
          await rejectsWith(tx.listTags(ref), NotFoundError, expected)
        }
      })
    })
  },
}
