/**
 * Access keys. The secret is sealed with the master key and bound to the key's id before it is
 * written; it is opened only in getAccessKeySecret.
 */
import { NotFoundError } from '../errors.js'
import { newAccessKeyId, newSecretAccessKey } from '../ids.js'
import { decryptSecret, encryptSecret } from '../secret-box.js'
import type { AccessKey, AccessKeyOps, AccessKeyStatus } from '../store.js'
import type { SqliteContext, Sync } from './context.js'
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

function readAccessKey(ctx: SqliteContext, accessKeyId: string): AccessKey {
  const row = ctx.get<AccessKeyRow>(`${ACCESS_KEY_SELECT} WHERE k.access_key_id = ?`, accessKeyId)
  if (row === undefined) throw new NotFoundError('accessKey', accessKeyId)
  return toAccessKey(row)
}

/** The owner's user id, or null for the root user (after checking the account exists). */
function ownerId(ctx: SqliteContext, accountId: string, userName: string | null): string | null {
  if (userName !== null) return ctx.idOf('user', accountId, userName)
  ctx.requireAccount(accountId)
  return null
}

/** The access key operations. */
export function accessKeyOps(ctx: SqliteContext): Sync<AccessKeyOps> {
  return {
    createAccessKey(input) {
      const userId = ownerId(ctx, input.accountId, input.userName)
      const accessKeyId = input.accessKeyId ?? newAccessKeyId(ctx.random)
      const secretAccessKey = input.secretAccessKey ?? newSecretAccessKey(ctx.random)
      ctx.uniquely('accessKey', accessKeyId, () =>
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
        ctx.count(
          'SELECT count(*) FROM access_keys WHERE account_id = ? AND user_id IS ?',
          input.accountId,
          userId,
        ),
      )
      return { accessKey: readAccessKey(ctx, accessKeyId), secretAccessKey }
    },

    getAccessKey(accessKeyId) {
      return readAccessKey(ctx, accessKeyId)
    },

    getAccessKeySecret(accessKeyId) {
      const accessKey = readAccessKey(ctx, accessKeyId)
      const sealed = ctx.get<{ secret_sealed: Uint8Array }>(
        'SELECT secret_sealed FROM access_keys WHERE access_key_id = ?',
        accessKeyId,
      )
      if (sealed === undefined) throw new NotFoundError('accessKey', accessKeyId)
      const secretAccessKey = decryptSecret(ctx.masterKey, sealed.secret_sealed, accessKeyId)
      return { accessKey, secretAccessKey }
    },

    listAccessKeys(accountId, userName, request) {
      const userId = ownerId(ctx, accountId, userName)
      return paginate(
        ctx,
        `${ACCESS_KEY_SELECT} WHERE k.account_id = ? AND k.user_id IS ?`,
        [accountId, userId],
        request,
        toAccessKey,
      )
    },

    updateAccessKeyStatus(accountId, userName, accessKeyId, status) {
      const userId = ownerId(ctx, accountId, userName)
      const { changes } = ctx.run(
        `UPDATE access_keys SET status = ?
         WHERE access_key_id = ? AND account_id = ? AND user_id IS ?`,
        status,
        accessKeyId,
        accountId,
        userId,
      )
      if (changes === 0) throw new NotFoundError('accessKey', accessKeyId)
    },

    deleteAccessKey(accountId, userName, accessKeyId) {
      const userId = ownerId(ctx, accountId, userName)
      const { changes } = ctx.run(
        'DELETE FROM access_keys WHERE access_key_id = ? AND account_id = ? AND user_id IS ?',
        accessKeyId,
        accountId,
        userId,
      )
      if (changes === 0) throw new NotFoundError('accessKey', accessKeyId)
    },

    recordAccessKeyUse(accessKeyId, use) {
      const { changes } = ctx.run(
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
