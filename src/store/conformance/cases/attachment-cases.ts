/** Managed policies attached to users, groups and roles; permissions boundaries. */
import assert from 'node:assert/strict'
import { LimitExceededError, NotFoundError } from '../../errors.js'
import type { BoundaryHolderRef, PolicyHolderRef, StoreTx } from '../../store.js'
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  POLICY_DOCUMENT,
  holder,
  readAllPages,
  rejectsWith,
} from '../harness.js'
import type { CaseGroup } from '../harness.js'

const HOLDER_KINDS = ['user', 'group', 'role'] as const

async function createHolder(tx: StoreTx, ref: PolicyHolderRef): Promise<void> {
  const { accountId, name } = ref
  if (ref.kind === 'user') await tx.createUser({ accountId, name })
  if (ref.kind === 'group') await tx.createGroup({ accountId, name })
  if (ref.kind === 'role') await tx.createRole({ accountId, name, assumeRolePolicyDocument: '{}' })
}

async function createPolicies(tx: StoreTx, ...names: string[]): Promise<void> {
  for (const name of names) {
    await tx.createPolicy({ accountId: ACCOUNT, name, document: POLICY_DOCUMENT })
  }
}

async function attachedNames(tx: StoreTx, ref: PolicyHolderRef): Promise<string[]> {
  return (await tx.listAttachedPolicies(ref)).items.map((policy) => policy.name)
}

/** The attachment cases. */
export const attachmentCases: CaseGroup = {
  name: 'attachments',
  cases(test) {
    for (const kind of HOLDER_KINDS) {
      test(`attaches and detaches policies of a ${kind}, attaching twice being harmless`, async (c) => {
        await c.tx(async (tx) => {
          const ref = holder(kind, 'Holder')
          await createHolder(tx, ref)
          await createPolicies(tx, 'b', 'A', 'c')
          await tx.attachPolicy(ref, 'b')
          await tx.attachPolicy(holder(kind, 'HOLDER'), 'a')
          await tx.attachPolicy(ref, 'B')
          assert.deepEqual(await attachedNames(tx, ref), ['A', 'b'])
          assert.equal((await tx.getPolicy(ACCOUNT, 'b')).attachmentCount, 1)
          await tx.detachPolicy(ref, 'b')
          assert.deepEqual(await attachedNames(tx, ref), ['A'])
          assert.equal((await tx.getPolicy(ACCOUNT, 'b')).attachmentCount, 0)
          await rejectsWith(tx.detachPolicy(ref, 'b'), NotFoundError, {
            entity: 'policyAttachment',
            key: 'b',
          })
          await rejectsWith(tx.detachPolicy(ref, 'c'), NotFoundError, {
            entity: 'policyAttachment',
          })
        })
      })

      test(
        `refuses a policy past the attachment quota of a ${kind}`,
        async (c) => {
          await c.tx(async (tx) => {
            const ref = holder(kind, 'h')
            await createHolder(tx, ref)
            await createPolicies(tx, 'a', 'b', 'c')
            await tx.attachPolicy(ref, 'a')
            await tx.attachPolicy(ref, 'b')
            const quota = `attachedPoliciesPer${kind[0]?.toUpperCase()}${kind.slice(1)}`
            await rejectsWith(tx.attachPolicy(ref, 'c'), LimitExceededError, { quota, limit: 2 })
            await tx.attachPolicy(ref, 'a')
            assert.deepEqual(await attachedNames(tx, ref), ['a', 'b'])
            assert.equal((await tx.getPolicy(ACCOUNT, 'c')).attachmentCount, 0)
          })
        },
        {
          limits: {
            attachedPoliciesPerUser: 2,
            attachedPoliciesPerGroup: 2,
            attachedPoliciesPerRole: 2,
          },
        },
      )
    }

    test('counts attachments of a policy across users, groups and roles', async (c) => {
      await c.tx(async (tx) => {
        await createPolicies(tx, 'p')
        for (const kind of HOLDER_KINDS) {
          await createHolder(tx, holder(kind, 'h'))
          await tx.attachPolicy(holder(kind, 'h'), 'p')
        }
        assert.equal((await tx.getPolicy(ACCOUNT, 'p')).attachmentCount, 3)
      })
    })

    test('reports a missing holder or policy as not found', async (c) => {
      await c.tx(async (tx) => {
        await createHolder(tx, holder('user', 'alice'))
        await createPolicies(tx, 'p')
        await tx.createPolicy({ accountId: OTHER_ACCOUNT, name: 'elsewhere', document: '{}' })
        await rejectsWith(tx.attachPolicy(holder('user', 'bob'), 'p'), NotFoundError, {
          entity: 'user',
          key: 'bob',
        })
        await rejectsWith(tx.attachPolicy(holder('group', 'g'), 'p'), NotFoundError, {
          entity: 'group',
        })
        await rejectsWith(tx.attachPolicy(holder('user', 'alice'), 'missing'), NotFoundError, {
          entity: 'policy',
          key: 'missing',
        })
        await rejectsWith(tx.attachPolicy(holder('user', 'alice'), 'elsewhere'), NotFoundError, {
          entity: 'policy',
        })
        await rejectsWith(tx.detachPolicy(holder('user', 'alice'), 'missing'), NotFoundError, {
          entity: 'policy',
        })
        await rejectsWith(tx.listAttachedPolicies(holder('role', 'r')), NotFoundError, {
          entity: 'role',
        })
      })
    })

    test('lists attached policies under a path prefix', async (c) => {
      await c.tx(async (tx) => {
        await createHolder(tx, holder('role', 'r'))
        await tx.createPolicy({ accountId: ACCOUNT, name: 'x', path: '/ops/', document: '{}' })
        await tx.createPolicy({ accountId: ACCOUNT, name: 'y', document: '{}' })
        await tx.attachPolicy(holder('role', 'r'), 'x')
        await tx.attachPolicy(holder('role', 'r'), 'y')
        const ops = await tx.listAttachedPolicies(holder('role', 'r'), { pathPrefix: '/ops/' })
        assert.deepEqual(
          ops.items.map((policy) => policy.arn),
          [`arn:aws:iam::${ACCOUNT}:policy/ops/x`],
        )
      })
    })

    test('lists the entities of a policy: groups, then roles, then users, by name', async (c) => {
      await c.tx(async (tx) => {
        await createPolicies(tx, 'p')
        const refs = [
          holder('user', 'zed'),
          holder('user', 'Amy'),
          holder('role', 'runner'),
          holder('group', 'Ops'),
          holder('group', 'devs'),
        ]
        for (const ref of refs) {
          await createHolder(tx, ref)
          await tx.attachPolicy(ref, 'p')
        }
        const bob: BoundaryHolderRef = { kind: 'user', accountId: ACCOUNT, name: 'bob' }
        await createHolder(tx, holder('user', 'bob'))
        await tx.putPermissionsBoundary(bob, 'p')
        await tx.putPermissionsBoundary({ kind: 'user', accountId: ACCOUNT, name: 'amy' }, 'p')
        const all = await tx.listEntitiesForPolicy(ACCOUNT, 'P')
        assert.deepEqual(
          all.items.map((e) => `${e.kind}:${e.name}`),
          ['group:devs', 'group:Ops', 'role:runner', 'user:Amy', 'user:bob', 'user:zed'],
        )
        const amy = await tx.getUser(ACCOUNT, 'amy')
        assert.deepEqual(all.items[3], { kind: 'user', name: 'Amy', id: amy.userId })
        const list = async (request: Parameters<StoreTx['listEntitiesForPolicy']>[2]) =>
          (await tx.listEntitiesForPolicy(ACCOUNT, 'p', request)).items.map((e) => e.name)
        assert.deepEqual(await list({ kinds: ['user'] }), ['Amy', 'bob', 'zed'])
        assert.deepEqual(await list({ kinds: ['group', 'role'] }), ['devs', 'Ops', 'runner'])
        assert.deepEqual(await list({ usage: 'permissionsBoundary' }), ['Amy', 'bob'])
        assert.deepEqual(await list({ usage: 'permissionsPolicy', kinds: ['user'] }), [
          'Amy',
          'zed',
        ])
        assert.deepEqual(await list({ usage: 'permissionsBoundary', kinds: ['group'] }), [])
        const paged = await readAllPages((marker) =>
          tx.listEntitiesForPolicy(ACCOUNT, 'p', { maxItems: 4, ...(marker ? { marker } : {}) }),
        )
        assert.deepEqual(paged.pages, [4, 2])
        assert.deepEqual(paged.items, all.items)
        await rejectsWith(tx.listEntitiesForPolicy(ACCOUNT, 'missing'), NotFoundError)
      })
    })

    test('filters the entities of a policy by path', async (c) => {
      await c.tx(async (tx) => {
        await createPolicies(tx, 'p')
        await tx.createUser({ accountId: ACCOUNT, name: 'a', path: '/eng/' })
        await tx.createUser({ accountId: ACCOUNT, name: 'b' })
        await tx.createGroup({ accountId: ACCOUNT, name: 'g', path: '/eng/' })
        for (const ref of [holder('user', 'a'), holder('user', 'b'), holder('group', 'g')]) {
          await tx.attachPolicy(ref, 'p')
        }
        const eng = await tx.listEntitiesForPolicy(ACCOUNT, 'p', { pathPrefix: '/eng/' })
        assert.deepEqual(
          eng.items.map((e) => e.name),
          ['g', 'a'],
        )
      })
    })

    for (const kind of ['user', 'role'] as const) {
      test(`sets, replaces and removes the permissions boundary of a ${kind}`, async (c) => {
        await c.tx(async (tx) => {
          await createHolder(tx, holder(kind, 'h'))
          await createPolicies(tx, 'First', 'Second')
          const ref: BoundaryHolderRef = { kind, accountId: ACCOUNT, name: 'H' }
          const boundaryOf = async () =>
            kind === 'user'
              ? (await tx.getUser(ACCOUNT, 'h')).permissionsBoundaryArn
              : (await tx.getRole(ACCOUNT, 'h')).permissionsBoundaryArn
          await tx.putPermissionsBoundary(ref, 'first')
          assert.equal(await boundaryOf(), `arn:aws:iam::${ACCOUNT}:policy/First`)
          await tx.putPermissionsBoundary(ref, 'Second')
          assert.equal(await boundaryOf(), `arn:aws:iam::${ACCOUNT}:policy/Second`)
          assert.equal((await tx.getPolicy(ACCOUNT, 'First')).permissionsBoundaryUsageCount, 0)
          assert.equal((await tx.getPolicy(ACCOUNT, 'Second')).permissionsBoundaryUsageCount, 1)
          await rejectsWith(tx.putPermissionsBoundary(ref, 'missing'), NotFoundError, {
            entity: 'policy',
          })
          assert.equal(await boundaryOf(), `arn:aws:iam::${ACCOUNT}:policy/Second`)
          await tx.deletePermissionsBoundary(ref)
          assert.equal(await boundaryOf(), null)
          await tx.deletePermissionsBoundary(ref)
          await rejectsWith(
            tx.deletePermissionsBoundary({ kind, accountId: ACCOUNT, name: 'nobody' }),
            NotFoundError,
            { entity: kind },
          )
        })
      })
    }
  },
}
