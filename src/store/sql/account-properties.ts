/** Account properties (GetAccountProperties/PutAccountProperties), on every SQL backend. */
import type { AccountProperty, AccountPropertyOps } from '../account-properties-ops.js'
import type { SqlContext } from './sql-context.js'

/** The account properties operations: one row per property an account has set. */
export function accountPropertyOps(ctx: SqlContext): AccountPropertyOps {
  return {
    async getAccountProperties(accountId) {
      await ctx.requireAccount(accountId)
      return ctx.all<AccountProperty>(
        `SELECT namespace, name, value FROM account_properties WHERE account_id = ?
         ORDER BY ${ctx.bytewise('namespace')}, ${ctx.bytewise('name')}`,
        accountId,
      )
    },

    // The call runs under a savepoint of its own (transaction-prototype.ts): a row the schema
    // refuses halfway through leaves none of the others behind.
    async putAccountProperties(accountId, properties) {
      await ctx.requireAccount(accountId)
      for (const { namespace, name, value } of properties) {
        await ctx.run(
          `INSERT INTO account_properties (account_id, namespace, name, value) VALUES (?, ?, ?, ?)
           ON CONFLICT (account_id, namespace, name) DO UPDATE SET value = excluded.value`,
          accountId,
          namespace,
          name,
          value,
        )
      }
    },
  }
}
