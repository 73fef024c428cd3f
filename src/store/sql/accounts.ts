/** Accounts and their summary counts. */
import { NotFoundError } from '../errors.js'
import { isAccountId, newAccountId } from '../ids.js'
import type { Account, AccountOps } from '../store.js'
import type { SqlContext } from './sql-context.js'

interface AccountRow {
  readonly account_id: string
  readonly created_at: number
}

function toAccount(row: AccountRow): Account {
  return { accountId: row.account_id, createdAt: new Date(row.created_at) }
}

/** The account operations. */
export function accountOps(ctx: SqlContext): AccountOps {
  return {
    async createAccount(input = {}) {
      const accountId = input.accountId ?? newAccountId(ctx.random)
      if (!isAccountId(accountId)) throw new RangeError(`not a 12-digit account id: ${accountId}`)
      const createdAt = ctx.now()
      await ctx.uniquely('account', accountId, () =>
        ctx.run(
          'INSERT INTO accounts (account_id, created_at) VALUES (?, ?)',
          accountId,
          createdAt,
        ),
      )
      return { accountId, createdAt: new Date(createdAt) }
    },

    async getAccount(accountId) {
      const row = await ctx.get<AccountRow>(
        'SELECT account_id, created_at FROM accounts WHERE account_id = ?',
        accountId,
      )
      if (row === undefined) throw new NotFoundError('account', accountId)
      return toAccount(row)
    },

    async listAccounts() {
      return (
        await ctx.all<AccountRow>('SELECT account_id, created_at FROM accounts ORDER BY account_id')
      ).map(toAccount)
    },

    async getAccountSummary(accountId) {
      await ctx.requireAccount(accountId)
      const count = (table: string): Promise<number> =>
        ctx.count(`SELECT count(*) FROM ${table} WHERE account_id = ?`, accountId)
      return {
        users: await count('users'),
        groups: await count('groups'),
        roles: await count('roles'),
        policies: await count('policies'),
        instanceProfiles: await count('instance_profiles'),
        policyVersionsInUse: await ctx.count(
          `SELECT count(*) FROM policy_versions v JOIN policies p ON p.policy_id = v.policy_id
           WHERE p.account_id = ?`,
          accountId,
        ),
        rootAccessKeys: await ctx.count(
          'SELECT count(*) FROM access_keys WHERE account_id = ? AND user_id IS NULL',
          accountId,
        ),
      }
    },
  }
}
