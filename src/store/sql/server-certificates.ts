/**
 * Server certificates, on SQLite. The private key is sealed with the master key, bound to the
 * certificate's id, before it is written; only getServerCertificatePrivateKey opens it.
 */
import { decryptSecret, encryptSecret } from '../secret-box.js'
import { ServerCertificateError } from '../server-certificate-error.js'
import { newServerCertificateId, privateKeySealContext } from '../server-certificate-ids.js'
import {
  SERVER_CERTIFICATES_PER_ACCOUNT,
  serverCertificateArn,
} from '../server-certificates-ops.js'
import type { ServerCertificate, ServerCertificateOps } from '../server-certificates-ops.js'
import type { Tag } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { putCaseSensitiveTags } from './tags.js'
import { paginate, pathPrefixFilter } from './paginate.js'

interface CertificateRow {
  readonly sort_key: string
  readonly server_certificate_id: string
  readonly account_id: string
  readonly name: string
  readonly path: string
  readonly body: string
  readonly chain: string | null
  readonly expires_at: number
  readonly uploaded_at: number
}

// By name without case, then as written; a space sorts below every character a name may hold.
// SECURITY: the sealed private key is not among these columns.
const CERTIFICATE_SELECT = `SELECT server_certificate_id, account_id, name, path, body, chain,
  expires_at, uploaded_at, name_key || ' ' || name AS sort_key
FROM server_certificates`

function toCertificate(row: CertificateRow): ServerCertificate {
  return {
    accountId: row.account_id,
    serverCertificateId: row.server_certificate_id,
    name: row.name,
    path: row.path,
    arn: serverCertificateArn(row.account_id, row.path, row.name),
    body: row.body,
    chain: row.chain,
    expiresAt: new Date(row.expires_at),
    uploadedAt: new Date(row.uploaded_at),
  }
}

/** The certificate's row; ServerCertificateError notFound if the account has none of the name. */
async function certificateRow(
  ctx: SqlContext,
  accountId: string,
  name: string,
): Promise<CertificateRow> {
  const row = await ctx.get<CertificateRow>(
    `${CERTIFICATE_SELECT} WHERE account_id = ? AND name_key = lower(?)`,
    accountId,
    name,
  )
  if (row === undefined) throw new ServerCertificateError('notFound', name)
  return row
}

/** Adds or replaces tags (keys with case); LimitExceededError past tagsPerResource. */
async function putTags(ctx: SqlContext, id: string, tags: readonly Tag[]): Promise<void> {
  await putCaseSensitiveTags(ctx, 'server_certificate_tags', 'server_certificate_id', id, tags)
}

/** The server certificate operations. */
export function serverCertificateOps(ctx: SqlContext): ServerCertificateOps {
  return {
    async uploadServerCertificate(input) {
      await ctx.requireAccount(input.accountId)
      const id = newServerCertificateId(ctx.random)
      try {
        await ctx.run(
          `INSERT INTO server_certificates (server_certificate_id, account_id, name, path, body,
             chain, private_key_sealed, expires_at, uploaded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          id,
          input.accountId,
          input.name,
          input.path,
          input.body,
          input.chain ?? null,
          encryptSecret(ctx.masterKey, input.privateKey, privateKeySealContext(id)),
          input.expiresAt.getTime(),
          ctx.now(),
        )
      } catch (err) {
        if (ctx.isUniqueViolation(err)) throw new ServerCertificateError('exists', input.name)
        throw err
      }
      const count = await ctx.count(
        'SELECT count(*) FROM server_certificates WHERE account_id = ?',
        input.accountId,
      )
      // The call's savepoint undoes the insert.
      if (count > SERVER_CERTIFICATES_PER_ACCOUNT) {
        throw new ServerCertificateError('limit', input.name, SERVER_CERTIFICATES_PER_ACCOUNT)
      }
      await putTags(ctx, id, input.tags ?? [])
      return toCertificate(await certificateRow(ctx, input.accountId, input.name))
    },

    async getServerCertificate(accountId, name) {
      return toCertificate(await certificateRow(ctx, accountId, name))
    },

    async getServerCertificatePrivateKey(accountId, name) {
      const id = (await certificateRow(ctx, accountId, name)).server_certificate_id
      const sealed = await ctx.get<{ private_key_sealed: Uint8Array }>(
        'SELECT private_key_sealed FROM server_certificates WHERE server_certificate_id = ?',
        id,
      )
      if (sealed === undefined) throw new ServerCertificateError('notFound', name)
      return decryptSecret(ctx.masterKey, sealed.private_key_sealed, privateKeySealContext(id))
    },

    async listServerCertificates(accountId, pathPrefix, request) {
      const filter = pathPrefixFilter('path', pathPrefix)
      return paginate<CertificateRow, ServerCertificate>(
        ctx,
        `${CERTIFICATE_SELECT} WHERE account_id = ?${filter.sql}`,
        [accountId, ...filter.params],
        request,
        toCertificate,
      )
    },

    async updateServerCertificate(accountId, name, change) {
      const row = await certificateRow(ctx, accountId, name)
      const newName = change.newName ?? row.name
      try {
        await ctx.run(
          'UPDATE server_certificates SET name = ?, path = ? WHERE server_certificate_id = ?',
          newName,
          change.newPath ?? row.path,
          row.server_certificate_id,
        )
      } catch (err) {
        if (ctx.isUniqueViolation(err)) throw new ServerCertificateError('exists', newName)
        throw err
      }
      return toCertificate(await certificateRow(ctx, accountId, newName))
    },

    async deleteServerCertificate(accountId, name) {
      await ctx.run(
        'DELETE FROM server_certificates WHERE server_certificate_id = ?',
        (await certificateRow(ctx, accountId, name)).server_certificate_id,
      )
    },

    async tagServerCertificate(accountId, name, tags) {
      await putTags(ctx, (await certificateRow(ctx, accountId, name)).server_certificate_id, tags)
    },

    async untagServerCertificate(accountId, name, keys) {
      const id = (await certificateRow(ctx, accountId, name)).server_certificate_id
      for (const key of keys) {
        await ctx.run(
          'DELETE FROM server_certificate_tags WHERE server_certificate_id = ? AND key = ?',
          id,
          key,
        )
      }
    },

    async listServerCertificateTags(accountId, name, request) {
      return paginate<{ sort_key: string; key: string; value: string }, Tag>(
        ctx,
        `SELECT key, value, key AS sort_key FROM server_certificate_tags
         WHERE server_certificate_id = ?`,
        [(await certificateRow(ctx, accountId, name)).server_certificate_id],
        request,
        (row) => ({ key: row.key, value: row.value }),
      )
    },
  }
}
