/** Accounts and the account summary. */
import assert from 'node:assert/strict'
import { AlreadyExistsError, NotFoundError } from '../../errors.js'
import { ACCOUNT, OTHER_ACCOUNT, POLICY_DOCUMENT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const UNKNOWN = '999999999999'

/** The account cases. */
export const accountCases: CaseGroup = {
  name: 'accounts',
  cases(test) {
    test('creates an account with the id given and reads it back', async (c) => {
      await c.tx(async (tx) => {
        const account = await tx.createAccount({ accountId: '012345678901' })
        assert.deepEqual(account, { accountId: '012345678901', createdAt: START })
        assert.deepEqual(await tx.getAccount('012345678901'), account)
      })
    })

    test('generates a 12-digit id when none is given', async (c) => {
      const account = await c.tx((tx) => tx.createAccount())
      assert.match(account.accountId, /^[0-9]{12}$/)
    })

    test('refuses a second account with the same id', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(tx.createAccount({ accountId: ACCOUNT }), AlreadyExistsError, {
          entity: 'account',
          key: ACCOUNT,
        })
      })
    })

    test('reports an unknown account as not found', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(tx.getAccount(UNKNOWN), NotFoundError, {
          entity: 'account',
          key: UNKNOWN,
        })
        await rejectsWith(tx.getAccountSummary(UNKNOWN), NotFoundError, { entity: 'account' })
      })
    })

    test('lists accounts in order of id', async (c) => {
      await c.tx(async (tx) => {
        await tx.createAccount({ accountId: '000000000001' })
        const ids = (await tx.listAccounts()).map((account) => account.accountId)
        assert.deepEqual(ids, ['000000000001', ACCOUNT, OTHER_ACCOUNT])
      })
    })

    test('creates nothing in an account that does not exist', async (c) => {
      await c.tx(async (tx) => {
        const expected = { entity: 'account', key: UNKNOWN }
        await rejectsWith(tx.createUser({ accountId: UNKNOWN, name: 'a' }), NotFoundError, expected)
        await rejectsWith(
          tx.createGroup({ accountId: UNKNOWN, name: 'a' }),
          NotFoundError,
          expected,
        )
        await rejectsWith(
          tx.createRole({ accountId: UNKNOWN, name: 'a', assumeRolePolicyDocument: '{}' }),
          NotFoundError,
          expected,
        )
        await rejectsWith(
          tx.createPolicy({ accountId: UNKNOWN, name: 'a', document: '{}' }),
          NotFoundError,
          expected,
        )
        await rejectsWith(
          tx.createInstanceProfile({ accountId: UNKNOWN, name: 'a' }),
          NotFoundError,
          expected,
        )
        await rejectsWith(
          tx.createAccessKey({ accountId: UNKNOWN, userName: null }),
          NotFoundError,
          expected,
        )
      })
    })

    test('counts the entities of one account for its summary', async (c) => {
      await c.tx(async (tx) => {
        for (const accountId of [ACCOUNT, OTHER_ACCOUNT]) {
          await tx.createUser({ accountId, name: 'alice' })
          await tx.createGroup({ accountId, name: 'admins' })
          await tx.createRole({ accountId, name: 'r', assumeRolePolicyDocument: '{}' })
          await tx.createPolicy({ accountId, name: 'p', document: POLICY_DOCUMENT })
          await tx.createInstanceProfile({ accountId, name: 'ip' })
          await tx.createAccessKey({ accountId, userName: null })
        }
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.createPolicyVersion(ACCOUNT, 'p', POLICY_DOCUMENT, false)
        await tx.createAccessKey({ accountId: ACCOUNT, userName: 'bob' })
        assert.deepEqual(await tx.getAccountSummary(ACCOUNT), {
          users: 2,
          groups: 1,
          roles: 1,
          policies: 1,
          instanceProfiles: 1,
          policyVersionsInUse: 2,
          rootAccessKeys: 1,
        })
      })
    })
  },
}
