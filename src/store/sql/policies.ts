/** Customer managed policies and their versions. */
import { DeleteConflictError, NotFoundError } from '../errors.js'
import { newUniqueId } from '../ids.js'
import type { ManagedPolicy, PolicyOps, PolicyVersion } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { paginate, pathPrefixFilter } from './paginate.js'
import {
  POLICY_SELECT,
  POLICY_VERSION_SELECT,
  toPolicy,
  toPolicyVersion,
  versionNumber,
} from './rows.js'
import type { PolicyRow, PolicyVersionRow } from './rows.js'
import { putTags } from './tags.js'

/** A managed policy by unique id. */
export async function readPolicy(ctx: SqlContext, policyId: string): Promise<ManagedPolicy> {
  const row = await ctx.get<PolicyRow>(`${POLICY_SELECT} WHERE p.policy_id = ?`, policyId)
  if (row === undefined) throw new NotFoundError('policy', policyId)
  return toPolicy(row)
}

/** SQL conditions on `p`: attached as a permissions policy, used as a boundary. */
const ATTACHED = `(EXISTS (SELECT 1 FROM user_attached_policies x WHERE x.policy_id = p.policy_id)
  OR EXISTS (SELECT 1 FROM group_attached_policies x WHERE x.policy_id = p.policy_id)
  OR EXISTS (SELECT 1 FROM role_attached_policies x WHERE x.policy_id = p.policy_id))`
const BOUNDARY = `(EXISTS (SELECT 1 FROM users x WHERE x.boundary_policy_id = p.policy_id)
  OR EXISTS (SELECT 1 FROM roles x WHERE x.boundary_policy_id = p.policy_id))`

async function readVersion(
  ctx: SqlContext,
  policyId: string,
  versionId: string,
): Promise<PolicyVersion> {
  const version = versionNumber(versionId)
  const row =
    version === undefined
      ? undefined
      : await ctx.get<PolicyVersionRow>(
          `${POLICY_VERSION_SELECT} AND v.version = ?`,
          policyId,
          version,
        )
  if (row === undefined) throw new NotFoundError('policyVersion', versionId)
  return toPolicyVersion(row)
}

/** The managed policy and policy version operations. */
export function policyOps(ctx: SqlContext): PolicyOps {
  return {
    async createPolicy(input) {
      await ctx.requireAccount(input.accountId)
      const policyId = newUniqueId('policy', ctx.random)
      const now = ctx.now()
      await ctx.uniquely('policy', input.name, () =>
        ctx.run(
          `INSERT INTO policies (policy_id, account_id, name, path, description, default_version,
             next_version, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 1, 2, ?, ?)`,
          policyId,
          input.accountId,
          input.name,
          input.path ?? '/',
          input.description ?? null,
          now,
          now,
        ),
      )
      ctx.ensureWithin(
        'policiesPerAccount',
        await ctx.count('SELECT count(*) FROM policies WHERE account_id = ?', input.accountId),
      )
      await ctx.run(
        'INSERT INTO policy_versions (policy_id, version, document, created_at) VALUES (?, 1, ?, ?)',
        policyId,
        input.document,
        now,
      )
      if (input.tags !== undefined) await putTags(ctx, 'policy', policyId, input.tags)
      return await readPolicy(ctx, policyId)
    },

    async getPolicy(accountId, name) {
      const row = await ctx.get<PolicyRow>(
        `${POLICY_SELECT} WHERE p.account_id = ? AND p.name_key = lower(?)`,
        accountId,
        name,
      )
      if (row === undefined) throw new NotFoundError('policy', name)
      return toPolicy(row)
    },

    async listPolicies(accountId, request) {
      const path = pathPrefixFilter('p.path', request?.pathPrefix)
      const usedAs = request?.usedAs
      const usage =
        usedAs === undefined
          ? ''
          : usedAs === 'permissionsPolicy'
            ? ` AND ${ATTACHED}`
            : usedAs === 'permissionsBoundary'
              ? ` AND ${BOUNDARY}`
              : ` AND (${ATTACHED} OR ${BOUNDARY})`
      return paginate(
        ctx,
        `${POLICY_SELECT} WHERE p.account_id = ?${path.sql}${usage}`,
        [accountId, ...path.params],
        request,
        toPolicy,
      )
    },

    async deletePolicy(accountId, name) {
      const policyId = await ctx.idOf('policy', accountId, name)
      const policy = await readPolicy(ctx, policyId)
      if (policy.attachmentCount > 0) {
        throw new DeleteConflictError('policy', name, 'policyAttachments')
      }
      if (policy.permissionsBoundaryUsageCount > 0) {
        throw new DeleteConflictError('policy', name, 'permissionsBoundaryUsage')
      }
      if (
        (await ctx.count('SELECT count(*) FROM policy_versions WHERE policy_id = ?', policyId)) > 1
      ) {
        throw new DeleteConflictError('policy', name, 'policyVersions')
      }
      await ctx.run('DELETE FROM policies WHERE policy_id = ?', policyId)
    },

    async createPolicyVersion(accountId, policyName, document, setAsDefault) {
      const policyId = await ctx.idOf('policy', accountId, policyName)
      const { next_version: version } = (await ctx.get<{ next_version: number }>(
        'SELECT next_version FROM policies WHERE policy_id = ?',
        policyId,
      )) ?? { next_version: 1 }
      const now = ctx.now()
      await ctx.run(
        'INSERT INTO policy_versions (policy_id, version, document, created_at) VALUES (?, ?, ?, ?)',
        policyId,
        version,
        document,
        now,
      )
      ctx.ensureWithin(
        'versionsPerPolicy',
        await ctx.count('SELECT count(*) FROM policy_versions WHERE policy_id = ?', policyId),
      )
      await ctx.run(
        `UPDATE policies SET next_version = ?, updated_at = ?,
           default_version = CASE WHEN ? THEN ? ELSE default_version END
         WHERE policy_id = ?`,
        version + 1,
        now,
        setAsDefault ? 1 : 0,
        version,
        policyId,
      )
      return await readVersion(ctx, policyId, `v${version}`)
    },

    async getPolicyVersion(accountId, policyName, versionId) {
      return await readVersion(ctx, await ctx.idOf('policy', accountId, policyName), versionId)
    },

    async getDefaultPolicyVersion(accountId, policyName) {
      const policyId = await ctx.idOf('policy', accountId, policyName)
      const row = await ctx.get<PolicyVersionRow>(
        `${POLICY_VERSION_SELECT} AND v.version = p.default_version`,
        policyId,
      )
      if (row === undefined) throw new NotFoundError('policyVersion', policyName)
      return toPolicyVersion(row)
    },

    async listPolicyVersions(accountId, policyName, request) {
      const policyId = await ctx.idOf('policy', accountId, policyName)
      return await paginate(ctx, POLICY_VERSION_SELECT, [policyId], request, toPolicyVersion)
    },

    async deletePolicyVersion(accountId, policyName, versionId) {
      const policyId = await ctx.idOf('policy', accountId, policyName)
      const version = await readVersion(ctx, policyId, versionId)
      if (version.isDefault) {
        throw new DeleteConflictError('policyVersion', versionId, 'defaultVersion')
      }
      await ctx.run(
        'DELETE FROM policy_versions WHERE policy_id = ? AND version = ?',
        policyId,
        versionNumber(versionId) ?? 0,
      )
    },

    async setDefaultPolicyVersion(accountId, policyName, versionId) {
      const policyId = await ctx.idOf('policy', accountId, policyName)
      await readVersion(ctx, policyId, versionId)
      await ctx.run(
        'UPDATE policies SET default_version = ? WHERE policy_id = ?',
        versionNumber(versionId) ?? 0,
        policyId,
      )
    },
  }
}
