/** Managed policies and their versions. */
import assert from 'node:assert/strict'
import {
  AlreadyExistsError,
  DeleteConflictError,
  LimitExceededError,
  NotFoundError,
} from '../../errors.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, POLICY_DOCUMENT, START, holder, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const DOC = (n: number): string =>
  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get${n}","Resource":"*"}]}`

async function versionIds(tx: StoreTx, policyName: string): Promise<string[]> {
  const versions = await tx.listPolicyVersions(ACCOUNT, policyName)
  return versions.items.map((v) => `${v.versionId}${v.isDefault ? '*' : ''}`)
}

/** The managed policy cases. */
export const policyCases: CaseGroup = {
  name: 'managed policies',
  cases(test) {
    test('creates a policy with an ANPA id whose document is its default version v1', async (c) => {
      await c.tx(async (tx) => {
        const policy = await tx.createPolicy({
          accountId: ACCOUNT,
          name: 'ReadOnly',
          path: '/team/',
          description: 'reads',
          document: POLICY_DOCUMENT,
        })
        assert.match(policy.policyId, /^ANPA[A-Z2-7]{17}$/)
        assert.deepEqual(policy, {
          accountId: ACCOUNT,
          policyId: policy.policyId,
          name: 'ReadOnly',
          path: '/team/',
          arn: `arn:aws:iam::${ACCOUNT}:policy/team/ReadOnly`,
          createdAt: START,
          description: 'reads',
          defaultVersionId: 'v1',
          attachmentCount: 0,
          permissionsBoundaryUsageCount: 0,
          updatedAt: START,
        })
        assert.deepEqual(await tx.getPolicy(ACCOUNT, 'readonly'), policy)
        const v1 = { versionId: 'v1', document: POLICY_DOCUMENT, isDefault: true, createdAt: START }
        assert.deepEqual(await tx.getPolicyVersion(ACCOUNT, 'ReadOnly', 'v1'), v1)
        assert.deepEqual(await tx.getDefaultPolicyVersion(ACCOUNT, 'READONLY'), v1)
      })
    })

    test('keeps a document exactly as given, white space and all', async (c) => {
      const document = '{\n  "Version": "2012-10-17",\n\t"Statement": []  }\r\n'
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'p', document })
        assert.equal((await tx.getDefaultPolicyVersion(ACCOUNT, 'p')).document, document)
      })
    })

    test('refuses a policy name that differs only in case', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'ReadOnly', document: '{}' })
        await rejectsWith(
          tx.createPolicy({ accountId: ACCOUNT, name: 'READONLY', path: '/x/', document: '{}' }),
          AlreadyExistsError,
          { entity: 'policy', key: 'READONLY' },
        )
        await rejectsWith(tx.getPolicy(ACCOUNT, 'missing'), NotFoundError, { entity: 'policy' })
      })
    })

    test('adds versions, moving the default only when asked', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'p', document: DOC(1) })
        c.clock.advance(1000)
        const v2 = await tx.createPolicyVersion(ACCOUNT, 'P', DOC(2), false)
        assert.deepEqual(v2, {
          versionId: 'v2',
          document: DOC(2),
          isDefault: false,
          createdAt: new Date(START.getTime() + 1000),
        })
        assert.equal((await tx.getPolicy(ACCOUNT, 'p')).defaultVersionId, 'v1')
        c.clock.advance(1000)
        const v3 = await tx.createPolicyVersion(ACCOUNT, 'p', DOC(3), true)
        assert.equal(v3.isDefault, true)
        const policy = await tx.getPolicy(ACCOUNT, 'p')
        assert.equal(policy.defaultVersionId, 'v3')
        assert.deepEqual(policy.updatedAt, new Date(START.getTime() + 2000))
        assert.deepEqual(policy.createdAt, START)
        assert.equal((await tx.getDefaultPolicyVersion(ACCOUNT, 'p')).document, DOC(3))
        assert.deepEqual(await versionIds(tx, 'p'), ['v3*', 'v2', 'v1'])
      })
    })

    test('sets the default version', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'p', document: DOC(1) })
        await tx.createPolicyVersion(ACCOUNT, 'p', DOC(2), false)
        await tx.setDefaultPolicyVersion(ACCOUNT, 'p', 'v2')
        assert.deepEqual(await versionIds(tx, 'p'), ['v2*', 'v1'])
        await rejectsWith(tx.setDefaultPolicyVersion(ACCOUNT, 'p', 'v9'), NotFoundError, {
          entity: 'policyVersion',
          key: 'v9',
        })
        await rejectsWith(tx.setDefaultPolicyVersion(ACCOUNT, 'q', 'v1'), NotFoundError, {
          entity: 'policy',
        })
        assert.equal((await tx.getPolicy(ACCOUNT, 'p')).defaultVersionId, 'v2')
      })
    })

    test('never reuses a version number', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'p', document: DOC(1) })
        await tx.createPolicyVersion(ACCOUNT, 'p', DOC(2), false)
        await tx.createPolicyVersion(ACCOUNT, 'p', DOC(3), false)
        await tx.deletePolicyVersion(ACCOUNT, 'p', 'v3')
        await tx.deletePolicyVersion(ACCOUNT, 'p', 'v2')
        const next = await tx.createPolicyVersion(ACCOUNT, 'p', DOC(4), false)
        assert.equal(next.versionId, 'v4')
        assert.deepEqual(await versionIds(tx, 'p'), ['v4', 'v1*'])
      })
    })

    test('keeps at most five versions', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'p', document: DOC(1) })
        for (const n of [2, 3, 4, 5]) await tx.createPolicyVersion(ACCOUNT, 'p', DOC(n), false)
        await rejectsWith(tx.createPolicyVersion(ACCOUNT, 'p', DOC(6), true), LimitExceededError, {
          quota: 'versionsPerPolicy',
          limit: 5,
        })
        assert.deepEqual(await versionIds(tx, 'p'), ['v5', 'v4', 'v3', 'v2', 'v1*'])
        await tx.deletePolicyVersion(ACCOUNT, 'p', 'v2')
        const v6 = await tx.createPolicyVersion(ACCOUNT, 'p', DOC(6), true)
        assert.equal(v6.versionId, 'v6')
      })
    })

    test('refuses to delete the default version and reports unknown versions', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'p', document: DOC(1) })
        await rejectsWith(tx.deletePolicyVersion(ACCOUNT, 'p', 'v1'), DeleteConflictError, {
          entity: 'policyVersion',
          key: 'v1',
          reason: 'defaultVersion',
        })
        for (const id of ['v2', 'V1', 'v01', '1', 'v1.0', '']) {
          await rejectsWith(tx.deletePolicyVersion(ACCOUNT, 'p', id), NotFoundError, {
            entity: 'policyVersion',
          })
          await rejectsWith(tx.getPolicyVersion(ACCOUNT, 'p', id), NotFoundError)
        }
      })
    })

    test('refuses to delete a policy in use or with other versions', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'p', document: DOC(1) })
        await tx.createPolicyVersion(ACCOUNT, 'p', DOC(2), true)
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createRole({ accountId: ACCOUNT, name: 'r', assumeRolePolicyDocument: '{}' })
        await tx.attachPolicy(holder('user', 'alice'), 'p')
        await tx.putPermissionsBoundary({ kind: 'role', accountId: ACCOUNT, name: 'r' }, 'p')
        const conflict = (reason: string) =>
          rejectsWith(tx.deletePolicy(ACCOUNT, 'p'), DeleteConflictError, {
            entity: 'policy',
            reason,
          })
        await conflict('policyAttachments')
        await tx.detachPolicy(holder('user', 'alice'), 'p')
        await conflict('permissionsBoundaryUsage')
        await tx.deletePermissionsBoundary({ kind: 'role', accountId: ACCOUNT, name: 'r' })
        await conflict('policyVersions')
        await tx.deletePolicyVersion(ACCOUNT, 'p', 'v1')
        await tx.deletePolicy(ACCOUNT, 'P')
        await rejectsWith(tx.getPolicy(ACCOUNT, 'p'), NotFoundError)
        assert.equal((await tx.getAccountSummary(ACCOUNT)).policyVersionsInUse, 0)
      })
    })

    test('lists policies under a path prefix and by how they are used', async (c) => {
      await c.tx(async (tx) => {
        for (const [name, path] of [
          ['attached', '/a/'],
          ['Boundary', '/b/'],
          ['unused', '/a/'],
          ['both', '/'],
        ] as const) {
          await tx.createPolicy({ accountId: ACCOUNT, name, path, document: POLICY_DOCUMENT })
        }
        await tx.createUser({ accountId: ACCOUNT, name: 'alice', permissionsBoundary: 'boundary' })
        await tx.createGroup({ accountId: ACCOUNT, name: 'g' })
        await tx.attachPolicy(holder('group', 'g'), 'attached')
        await tx.attachPolicy(holder('user', 'alice'), 'both')
        await tx.putPermissionsBoundary({ kind: 'user', accountId: ACCOUNT, name: 'alice' }, 'both')
        await tx.createRole({
          accountId: ACCOUNT,
          name: 'r',
          assumeRolePolicyDocument: '{}',
          permissionsBoundary: 'Boundary',
        })
        const names = async (request: Parameters<StoreTx['listPolicies']>[1]) =>
          (await tx.listPolicies(ACCOUNT, request)).items.map((p) => p.name)
        assert.deepEqual(await names({}), ['attached', 'both', 'Boundary', 'unused'])
        assert.deepEqual(await names({ pathPrefix: '/a/' }), ['attached', 'unused'])
        assert.deepEqual(await names({ usedAs: 'permissionsPolicy' }), ['attached', 'both'])
        assert.deepEqual(await names({ usedAs: 'permissionsBoundary' }), ['both', 'Boundary'])
        assert.deepEqual(await names({ usedAs: 'any' }), ['attached', 'both', 'Boundary'])
        const boundary = await tx.getPolicy(ACCOUNT, 'boundary')
        assert.equal(boundary.permissionsBoundaryUsageCount, 1)
        assert.equal(boundary.attachmentCount, 0)
      })
    })

    test(
      'refuses a policy past the quota of the account, leaving no version behind',
      async (c) => {
        await c.tx(async (tx) => {
          await tx.createPolicy({ accountId: ACCOUNT, name: 'a', document: '{}' })
          await rejectsWith(
            tx.createPolicy({ accountId: ACCOUNT, name: 'b', document: '{}' }),
            LimitExceededError,
            { quota: 'policiesPerAccount' },
          )
          assert.equal((await tx.getAccountSummary(ACCOUNT)).policyVersionsInUse, 1)
        })
      },
      { limits: { policiesPerAccount: 1 } },
    )
  },
}
