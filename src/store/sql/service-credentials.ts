/**
 * Service-specific credentials, on SQLite. The secret is sealed with the master key and bound to
 * the credential's id before it is written; it is opened only in getServiceSpecificCredentialSecret.
 */
import { ServiceCredentialError } from '../service-credential-error.js'
import {
  newApiKeySecret,
  newServiceCredentialId,
  newServicePassword,
  sealContext,
  serviceUserName,
} from '../service-credential-secrets.js'
import { SERVICE_CREDENTIALS_PER_USER_PER_SERVICE } from '../service-credentials-ops.js'
import type {
  ServiceCredentialOps,
  ServiceCredentialStatus,
  ServiceSpecificCredential,
} from '../service-credentials-ops.js'
import { decryptSecret, encryptSecret } from '../secret-box.js'
import type { SqlContext, SqlValue } from './sql-context.js'
import { paginate } from './paginate.js'

interface CredentialRow {
  readonly sort_key: string
  readonly credential_id: string
  readonly account_id: string
  readonly user_id: string
  readonly user_name: string
  readonly service_name: string
  readonly service_user_name: string
  readonly api_key_prefix: string | null
  readonly status: ServiceCredentialStatus
  readonly created_at: number
  readonly expires_at: number | null
}

const DAY_MS = 24 * 60 * 60 * 1000

// The sort key orders by user name without case, then as written, then service, then order of
// creation (the time, then the rowid for one millisecond, both padded to compare as text), then
// id; a space sorts below every character a user name, service name or id may hold.
// SECURITY: the sealed secret is not among these columns; only getServiceSpecificCredentialSecret
// reads it.
function credentialSelect(ctx: SqlContext): string {
  return `SELECT c.credential_id, c.account_id, c.user_id, u.name AS user_name,
  c.service_name, c.service_user_name, c.api_key_prefix, c.status, c.created_at, c.expires_at,
  u.name_key || ' ' || u.name || ' ' || c.service_name || ' ' || ${ctx.zeroPad('c.created_at', 15)}
    || ' ' || ${ctx.zeroPad('c.rowid', 19)} || ' ' || c.credential_id AS sort_key
FROM service_specific_credentials c JOIN users u ON u.user_id = c.user_id`
}

function toCredential(ctx: SqlContext, row: CredentialRow): ServiceSpecificCredential {
  const expired = row.expires_at !== null && row.expires_at <= ctx.now()
  return {
    credentialId: row.credential_id,
    accountId: row.account_id,
    userName: row.user_name,
    serviceName: row.service_name,
    kind: row.api_key_prefix === null ? 'password' : 'apiKey',
    serviceUserName: row.service_user_name,
    status: expired ? 'Expired' : row.status,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  }
}

/** The row of the user's credential `credentialId`; NotFoundError (user), ServiceCredentialError. */
async function credentialRow(
  ctx: SqlContext,
  accountId: string,
  userName: string,
  credentialId: string,
): Promise<CredentialRow> {
  const userId = await ctx.idOf('user', accountId, userName)
  const row = await ctx.get<CredentialRow>(
    `${credentialSelect(ctx)} WHERE c.credential_id = ? AND c.user_id = ?`,
    credentialId,
    userId,
  )
  if (row === undefined) throw new ServiceCredentialError('notFound', credentialId)
  return row
}

/** A new secret of the credential's kind: a password, or an API key's token with its prefix. */
function newSecret(ctx: SqlContext, apiKeyPrefix: string | null, alias: string): string {
  return apiKeyPrefix === null
    ? newServicePassword(ctx.random)
    : newApiKeySecret(ctx.random, apiKeyPrefix, alias)
}

/**
 * The first generated name no credential of the account for the service has (without case).
 * The quota keeps a user below SERVICE_CREDENTIALS_PER_USER_PER_SERVICE names, but another user
 * may hold one of them: `bob+1` is a valid user name.
 */
async function freeServiceUserName(
  ctx: SqlContext,
  accountId: string,
  serviceName: string,
  userName: string,
): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = serviceUserName(userName, accountId, n)
    const taken = await ctx.exists(
      `SELECT 1 FROM service_specific_credentials
       WHERE account_id = ? AND service_name = ? AND service_user_name_key = lower(?)`,
      accountId,
      serviceName,
      candidate,
    )
    if (!taken) return candidate
  }
}

/** The service-specific credential operations. */
export function serviceCredentialOps(ctx: SqlContext): ServiceCredentialOps {
  return {
    async createServiceSpecificCredential(input) {
      const { accountId, serviceName } = input
      const userId = await ctx.idOf('user', accountId, input.userName)
      // The name as stored, whatever case the request used.
      const userName =
        (await ctx.get<{ name: string }>('SELECT name FROM users WHERE user_id = ?', userId))
          ?.name ?? input.userName
      const apiKeyPrefix = input.apiKeyPrefix ?? null
      if (
        input.ageDays !== undefined &&
        (!Number.isSafeInteger(input.ageDays) || input.ageDays < 1)
      ) {
        throw new RangeError(`ageDays must be a positive integer, not ${input.ageDays}`)
      }
      if (input.ageDays !== undefined && apiKeyPrefix === null) {
        throw new RangeError('only an API key expires: ageDays needs apiKeyPrefix')
      }
      const credentialId = newServiceCredentialId(ctx.random)
      const name = await freeServiceUserName(ctx, accountId, serviceName, userName)
      const secret = newSecret(ctx, apiKeyPrefix, name)
      const now = ctx.now()
      try {
        await ctx.run(
          `INSERT INTO service_specific_credentials (credential_id, account_id, user_id,
             service_name, service_user_name, api_key_prefix, secret_sealed, status, created_at,
             expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'Active', ?, ?)`,
          credentialId,
          accountId,
          userId,
          serviceName,
          name,
          apiKeyPrefix,
          encryptSecret(ctx.masterKey, secret, sealContext(credentialId)),
          now,
          input.ageDays === undefined ? null : now + input.ageDays * DAY_MS,
        )
      } catch (err) {
        // Only a repeated id (a broken random source) can collide: the name was free.
        if (ctx.isUniqueViolation(err)) {
          throw new Error('service credential id collision', { cause: err })
        }
        throw err
      }
      const held = await ctx.count(
        'SELECT count(*) FROM service_specific_credentials WHERE user_id = ? AND service_name = ?',
        userId,
        serviceName,
      )
      if (held > SERVICE_CREDENTIALS_PER_USER_PER_SERVICE) {
        throw new ServiceCredentialError(
          'perServiceLimit',
          serviceName,
          SERVICE_CREDENTIALS_PER_USER_PER_SERVICE,
        )
      }
      const credential = toCredential(
        ctx,
        await credentialRow(ctx, accountId, userName, credentialId),
      )
      return { credential, secret }
    },

    async getServiceSpecificCredential(accountId, userName, credentialId) {
      return toCredential(ctx, await credentialRow(ctx, accountId, userName, credentialId))
    },

    async getServiceSpecificCredentialSecret(accountId, userName, credentialId) {
      const row = await credentialRow(ctx, accountId, userName, credentialId)
      const sealed = await ctx.get<{ secret_sealed: Uint8Array }>(
        'SELECT secret_sealed FROM service_specific_credentials WHERE credential_id = ?',
        credentialId,
      )
      if (sealed === undefined) throw new ServiceCredentialError('notFound', credentialId)
      const secret = decryptSecret(ctx.masterKey, sealed.secret_sealed, sealContext(credentialId))
      return { credential: toCredential(ctx, row), secret }
    },

    async listServiceSpecificCredentials(accountId, request) {
      let where = 'c.account_id = ?'
      const params: SqlValue[] = [accountId]
      if (request?.userName !== undefined) {
        where += ' AND c.user_id = ?'
        params.push(await ctx.idOf('user', accountId, request.userName))
      }
      if (request?.serviceName !== undefined) {
        where += ' AND c.service_name = ?'
        params.push(request.serviceName)
      }
      return paginate(
        ctx,
        `${credentialSelect(ctx)} WHERE ${where}`,
        params,
        request,
        (row: CredentialRow) => toCredential(ctx, row),
      )
    },

    async resetServiceSpecificCredential(accountId, userName, credentialId) {
      const row = await credentialRow(ctx, accountId, userName, credentialId)
      const secret = newSecret(ctx, row.api_key_prefix, row.service_user_name)
      await ctx.run(
        'UPDATE service_specific_credentials SET secret_sealed = ? WHERE credential_id = ?',
        encryptSecret(ctx.masterKey, secret, sealContext(credentialId)),
        credentialId,
      )
      return { credential: toCredential(ctx, row), secret }
    },

    async updateServiceSpecificCredentialStatus(accountId, userName, credentialId, status) {
      await credentialRow(ctx, accountId, userName, credentialId)
      await ctx.run(
        'UPDATE service_specific_credentials SET status = ? WHERE credential_id = ?',
        status,
        credentialId,
      )
    },

    async deleteServiceSpecificCredential(accountId, userName, credentialId) {
      await credentialRow(ctx, accountId, userName, credentialId)
      await ctx.run(
        'DELETE FROM service_specific_credentials WHERE credential_id = ?',
        credentialId,
      )
    },
  }
}
