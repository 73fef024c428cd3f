/** Managed policies attached to users, groups and roles; permissions boundaries. */
import { NotFoundError } from '../errors.js'
import type { StoreLimits } from '../limits.js'
import type { AttachmentOps, PolicyEntity, PolicyHolderRef } from '../store.js'
import type { SqlContext, SqlValue } from './sql-context.js'
import { paginate, pathPrefixFilter } from './paginate.js'
import { POLICY_SELECT, toPolicy } from './rows.js'

const ATTACHMENT_TABLES = {
  user: { table: 'user_attached_policies', holder: 'user_id', quota: 'attachedPoliciesPerUser' },
  group: {
    table: 'group_attached_policies',
    holder: 'group_id',
    quota: 'attachedPoliciesPerGroup',
  },
  role: { table: 'role_attached_policies', holder: 'role_id', quota: 'attachedPoliciesPerRole' },
} as const satisfies Record<
  PolicyHolderRef['kind'],
  { table: string; holder: string; quota: keyof StoreLimits }
>

// Each kind's part of ListEntitiesForPolicy. The sort key puts groups, then roles, then users,
// each by name; a kind's rows are unique because membership is tested with IN, not joined.
const ENTITY_PARTS = {
  group: { table: 'groups', id: 'group_id', order: '0', boundary: false },
  role: { table: 'roles', id: 'role_id', order: '1', boundary: true },
  user: { table: 'users', id: 'user_id', order: '2', boundary: true },
} as const satisfies Record<
  PolicyEntity['kind'],
  { table: string; id: string; order: string; boundary: boolean }
>

const ENTITY_KINDS = ['group', 'role', 'user'] as const

/** The attachment and permissions boundary operations. */
export function attachmentOps(ctx: SqlContext): AttachmentOps {
  return {
    async attachPolicy(holder, policyName) {
      const { table, holder: column, quota } = ATTACHMENT_TABLES[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      const policyId = await ctx.idOf('policy', holder.accountId, policyName)
      await ctx.run(
        `INSERT INTO ${table} (${column}, policy_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
        holderId,
        policyId,
      )
      ctx.ensureWithin(
        quota,
        await ctx.count(`SELECT count(*) FROM ${table} WHERE ${column} = ?`, holderId),
      )
    },

    async detachPolicy(holder, policyName) {
      const { table, holder: column } = ATTACHMENT_TABLES[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      const policyId = await ctx.idOf('policy', holder.accountId, policyName)
      const { changes } = await ctx.run(
        `DELETE FROM ${table} WHERE ${column} = ? AND policy_id = ?`,
        holderId,
        policyId,
      )
      if (changes === 0) throw new NotFoundError('policyAttachment', policyName)
    },

    async listAttachedPolicies(holder, request) {
      const { table, holder: column } = ATTACHMENT_TABLES[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      const path = pathPrefixFilter('p.path', request?.pathPrefix)
      return paginate(
        ctx,
        `${POLICY_SELECT} JOIN ${table} a ON a.policy_id = p.policy_id
         WHERE a.${column} = ?${path.sql}`,
        [holderId, ...path.params],
        request,
        toPolicy,
      )
    },

    async listEntitiesForPolicy(accountId, policyName, request) {
      const policyId = await ctx.idOf('policy', accountId, policyName)
      const kinds = request?.kinds ?? ENTITY_KINDS
      const usage = request?.usage
      const parts: string[] = []
      const params: SqlValue[] = []
      for (const kind of ENTITY_KINDS) {
        if (!kinds.includes(kind)) continue
        const part = ENTITY_PARTS[kind]
        const { table: attachments, holder } = ATTACHMENT_TABLES[kind]
        const uses: string[] = []
        if (usage !== 'permissionsBoundary') {
          uses.push(`e.${part.id} IN (SELECT ${holder} FROM ${attachments} WHERE policy_id = ?)`)
          params.push(policyId)
        }
        if (usage !== 'permissionsPolicy' && part.boundary) {
          uses.push('e.boundary_policy_id = ?')
          params.push(policyId)
        }
        if (uses.length === 0) continue
        const path = pathPrefixFilter('e.path', request?.pathPrefix)
        params.push(...path.params)
        parts.push(
          `SELECT '${kind}' AS kind, e.name, e.${part.id} AS id,
             '${part.order}' || e.name_key AS sort_key
           FROM ${part.table} e WHERE (${uses.join(' OR ')})${path.sql}`,
        )
      }
      if (parts.length === 0) return { items: [], marker: null }
      return paginate<
        { sort_key: string; kind: PolicyEntity['kind']; name: string; id: string },
        PolicyEntity
      >(ctx, parts.join(' UNION ALL '), params, request, (row) => ({
        kind: row.kind,
        name: row.name,
        id: row.id,
      }))
    },

    async putPermissionsBoundary(holder, policyName) {
      const { table, id } = ENTITY_PARTS[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      const policyId = await ctx.idOf('policy', holder.accountId, policyName)
      await ctx.run(
        `UPDATE ${table} SET boundary_policy_id = ? WHERE ${id} = ?`,
        policyId,
        holderId,
      )
    },

    async deletePermissionsBoundary(holder) {
      const { table, id } = ENTITY_PARTS[holder.kind]
      const holderId = await ctx.idOf(holder.kind, holder.accountId, holder.name)
      await ctx.run(`UPDATE ${table} SET boundary_policy_id = NULL WHERE ${id} = ?`, holderId)
    },
  }
}
