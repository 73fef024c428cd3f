/**
 * Access keys. The secret is sealed with the master key and bound to the key's id before it is
 * written; it is opened only in getAccessKeySecret.
 */
import { NotFoundError } from '../errors.js'
import { newAccessKeyId, newSecretAccessKey } from '../ids.js'
import { decryptSecret, encryptSecret } from '../secret-box.js'
import type { AccessKey, AccessKeyOps, AccessKeyStatus } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { paginate } from './paginate.js'

interface AccessKeyRow {
  readonly sort_key: string
  readonly access_key_id: string
  readonly account_id: string
  readonly user_name: string | null
  readonly status: AccessKeyStatus
  readonly created_at: number
  readonly last_used_at: number | null
  readonly last_used_region: string | null
  readonly last_used_service: string | null
}

// SECURITY: the sealed secret is not among these columns; only getAccessKeySecret reads it.
const ACCESS_KEY_SELECT = `SELECT k.access_key_id, k.account_id, u.name AS user_name, k.status,
  k.created_at, k.last_used_at, k.last_used_region, k.last_used_service,
  k.access_key_id AS sort_key
FROM access_keys k LEFT JOIN users u ON u.user_id = k.user_id`

function toAccessKey(row: AccessKeyRow): AccessKey {
  return {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    userName: row.user_name,
    status: row.status,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
    lastUsedRegion: row.last_used_region,
    lastUsedService: row.last_used_service,
  }
}

async function readAccessKey(ctx: SqlContext, accessKeyId: string): Promise<AccessKey> {
  const row = await ctx.get<AccessKeyRow>(
    `${ACCESS_KEY_SELECT} WHERE k.access_key_id = ?`,
    accessKeyId,
  )
  if (row === undefined) throw new NotFoundError('accessKey', accessKeyId)
  return toAccessKey(row)
}

/** The owner's user id, or null for the root user (after checking the account exists). */
async function ownerId(
  ctx: SqlContext,
  accountId: string,
  userName: string | null,
): Promise<string | null> {
  if (userName !== null) return await ctx.idOf('user', accountId, userName)
  await ctx.requireAccount(accountId)
  return null
}

/** The access key operations. */
export function accessKeyOps(ctx: SqlContext): AccessKeyOps {
  return {
    async createAccessKey(input) {
      const userId = await ownerId(ctx, input.accountId, input.userName)
      const accessKeyId = input.accessKeyId ?? newAccessKeyId(ctx.random)
      const secretAccessKey = input.secretAccessKey ?? newSecretAccessKey(ctx.random)
      await ctx.uniquely('accessKey', accessKeyId, () =>
        ctx.run(
          `INSERT INTO access_keys (access_key_id, account_id, user_id, status, secret_sealed,
             created_at)
           VALUES (?, ?, ?, 'Active', ?, ?)`,
          accessKeyId,
          input.accountId,
          userId,
          encryptSecret(ctx.masterKey, secretAccessKey, accessKeyId),
          ctx.now(),
        ),
      )
      ctx.ensureWithin(
        'accessKeysPerUser',
        await ctx.count(
          'SELECT count(*) FROM access_keys WHERE account_id = ? AND user_id IS NOT DISTINCT FROM ?',
          input.accountId,
          userId,
        ),
      )
      return { accessKey: await readAccessKey(ctx, accessKeyId), secretAccessKey }
    },

    async getAccessKey(accessKeyId) {
      return await readAccessKey(ctx, accessKeyId)
    },

    async getAccessKeySecret(accessKeyId) {
      const accessKey = await readAccessKey(ctx, accessKeyId)
      const sealed = await ctx.get<{ secret_sealed: Uint8Array }>(
        'SELECT secret_sealed FROM access_keys WHERE access_key_id = ?',
        accessKeyId,
      )
      if (sealed === undefined) throw new NotFoundError('accessKey', accessKeyId)
      const secretAccessKey = decryptSecret(ctx.masterKey, sealed.secret_sealed, accessKeyId)
      return { accessKey, secretAccessKey }
    },

    async listAccessKeys(accountId, userName, request) {
      const userId = await ownerId(ctx, accountId, userName)
      return paginate(
        ctx,
        `${ACCESS_KEY_SELECT} WHERE k.account_id = ? AND k.user_id IS NOT DISTINCT FROM ?`,
        [accountId, userId],
        request,
        toAccessKey,
      )
    },

    async updateAccessKeyStatus(accountId, userName, accessKeyId, status) {
      const userId = await ownerId(ctx, accountId, userName)
      const { changes } = await ctx.run(
        `UPDATE access_keys SET status = ?
         WHERE access_key_id = ? AND account_id = ? AND user_id IS NOT DISTINCT FROM ?`,
        status,
        accessKeyId,
        accountId,
        userId,
      )
      if (changes === 0) throw new NotFoundError('accessKey', accessKeyId)
    },

    async deleteAccessKey(accountId, userName, accessKeyId) {
      const userId = await ownerId(ctx, accountId, userName)
      const { changes } = await ctx.run(
        'DELETE FROM access_keys WHERE access_key_id = ? AND account_id = ? AND user_id IS NOT DISTINCT FROM ?',
        accessKeyId,
        accountId,
        userId,
      )
      if (changes === 0) throw new NotFoundError('accessKey', accessKeyId)
    },

    async recordAccessKeyUse(accessKeyId, use) {
      const { changes } = await ctx.run(
        `UPDATE access_keys SET last_used_at = ?, last_used_region = ?, last_used_service = ?
         WHERE access_key_id = ?`,
        use.at.getTime(),
        use.region,
        use.service,
        accessKeyId,
      )
      if (changes === 0) throw new NotFoundError('accessKey', accessKeyId)
    },
  }
}
