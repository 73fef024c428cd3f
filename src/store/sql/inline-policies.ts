/** Inline policies of users, groups and roles. */
import { NotFoundError } from '../errors.js'
import { policySize } from '../limits.js'
import type { StoreLimits } from '../limits.js'
import type { InlinePolicyOps, PolicyHolderRef } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { paginate } from './paginate.js'

const INLINE_TABLES = {
  user: { table: 'user_inline_policies', holder: 'user_id', quota: 'inlinePolicySizePerUser' },
  group: { table: 'group_inline_policies', holder: 'group_id', quota: 'inlinePolicySizePerGroup' },
  role: { table: 'role_inline_policies', holder: 'role_id', quota: 'inlinePolicySizePerRole' },
} as const satisfies Record<
  PolicyHolderRef['kind'],
  { table: string; holder: string; quota: keyof StoreLimits }
>

/** The inline policy operations. */
export function inlinePolicyOps(ctx: SqlContext): InlinePolicyOps {
  return {
    async putInlinePolicy(holder, name, document) {
      const { table, holder: column, quota } = INLINE_TABLES[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      await ctx.run(
        `INSERT INTO ${table} (${column}, name, document, size) VALUES (?, ?, ?, ?)
         ON CONFLICT (${column}, name) DO UPDATE SET document = excluded.document,
           size = excluded.size`,
        holderId,
        name,
        document,
        policySize(document),
      )
      ctx.ensureWithin(
        quota,
        await ctx.count(`SELECT sum(size) FROM ${table} WHERE ${column} = ?`, holderId),
      )
    },

    async getInlinePolicy(holder, name) {
      const { table, holder: column } = INLINE_TABLES[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      const row = await ctx.get<{ name: string; document: string }>(
        `SELECT name, document FROM ${table} WHERE ${column} = ? AND name = ?`,
        holderId,
        name,
      )
      if (row === undefined) throw new NotFoundError('inlinePolicy', name)
      return { holder, name: row.name, document: row.document }
    },

    async listInlinePolicies(holder, request) {
      const { table, holder: column } = INLINE_TABLES[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      // Names differ in case only between distinct policies: order without case, then with it.
      // A space sorts below every character a policy name may hold.
      return paginate<{ sort_key: string; name: string }, string>(
        ctx,
        `SELECT name, lower(name) || ' ' || name AS sort_key FROM ${table} WHERE ${column} = ?`,
        [holderId],
        request,
        (row) => row.name,
      )
    },

    async deleteInlinePolicy(holder, name) {
      const { table, holder: column } = INLINE_TABLES[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      const { changes } = await ctx.run(
        `DELETE FROM ${table} WHERE ${column} = ? AND name = ?`,
        holderId,
        name,
      )
      if (changes === 0) throw new NotFoundError('inlinePolicy', name)
    },
  }
}
