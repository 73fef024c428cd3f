/** Account aliases, on SQLite: one row per account that has an alias. */
import type { AccountAliasCreation, AccountAliasOps } from '../account-aliases-ops.js'
import type { SqlContext } from './sql-context.js'
import { paginate } from './paginate.js'

interface AliasRow {
  readonly alias: string
  readonly sort_key: string
}

/** The account aliases operations. */
export function accountAliasOps(ctx: SqlContext): AccountAliasOps {
  return {
    async createAccountAlias(accountId, alias): Promise<AccountAliasCreation> {
      await ctx.requireAccount(accountId)
      // The transaction holds the write lock (BEGIN IMMEDIATE): no other writer can take the
      // alias between this look and the write below.
      const owner = await ctx.get<{ account_id: string }>(
        'SELECT account_id FROM account_aliases WHERE alias_key = lower(?)',
        alias,
      )
      if (owner !== undefined) return owner.account_id === accountId ? 'unchanged' : 'taken'
      await ctx.run(
        `INSERT INTO account_aliases (account_id, alias) VALUES (?, ?)
         ON CONFLICT (account_id) DO UPDATE SET alias = excluded.alias`,
        accountId,
        alias,
      )
      return 'created'
    },

    async deleteAccountAlias(accountId, alias) {
      await ctx.requireAccount(accountId)
      const result = await ctx.run(
        'DELETE FROM account_aliases WHERE account_id = ? AND alias_key = lower(?)',
        accountId,
        alias,
      )
      return result.changes > 0
    },

    async listAccountAliases(accountId, request) {
      await ctx.requireAccount(accountId)
      return paginate<AliasRow, string>(
        ctx,
        'SELECT alias, alias_key AS sort_key FROM account_aliases WHERE account_id = ?',
        [accountId],
        request,
        (row) => row.alias,
      )
    },
  }
}
