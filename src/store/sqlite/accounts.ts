/** Accounts and their summary counts. */
import { NotFoundError } from '../errors.js'
import { isAccountId, newAccountId } from '../ids.js'
import type { Account, AccountOps } from '../store.js'
import type { SqliteContext, Sync } from './context.js'

interface AccountRow {
  readonly account_id: string
  readonly created_at: number
}

function toAccount(row: AccountRow): Account {
  return { accountId: row.account_id, createdAt: new Date(row.created_at) }
}

/** The account operations. */
export function accountOps(ctx: SqliteContext): Sync<AccountOps> {
  return {
    createAccount(input = {}) {
      const accountId = input.accountId ?? newAccountId(ctx.random)
      if (!isAccountId(accountId)) throw new RangeError(`not a 12-digit account id: ${accountId}`)
      const createdAt = ctx.now()
      ctx.uniquely('account', accountId, () =>
        ctx.run(
          'INSERT INTO accounts (account_id, created_at) VALUES (?, ?)',
          accountId,
          createdAt,
        ),
      )
      return { accountId, createdAt: new Date(createdAt) }
    },

    getAccount(accountId) {
      const row = ctx.get<AccountRow>(
        'SELECT account_id, created_at FROM accounts WHERE account_id = ?',
        accountId,
      )
      if (row === undefined) throw new NotFoundError('account', accountId)
      return toAccount(row)
    },

    listAccounts() {
      return ctx
        .all<AccountRow>('SELECT account_id, created_at FROM accounts ORDER BY account_id')
        .map(toAccount)
    },

    getAccountSummary(accountId) {
      ctx.requireAccount(accountId)
      const count = (table: string): number =>
        ctx.count(`SELECT count(*) FROM ${table} WHERE account_id = ?`, accountId)
      return {
        users: count('users'),
        groups: count('groups'),
        roles: count('roles'),
        policies: count('policies'),
        instanceProfiles: count('instance_profiles'),
        policyVersionsInUse: ctx.count(
          `SELECT count(*) FROM policy_versions v JOIN policies p ON p.policy_id = v.policy_id
           WHERE p.account_id = ?`,
          accountId,
        ),
        rootAccessKeys: ctx.count(
          'SELECT count(*) FROM access_keys WHERE account_id = ? AND user_id IS NULL',
          accountId,
        ),
      }
    },
  }
}
