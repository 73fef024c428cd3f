/** SSH public keys and signing certificates of users, on SQLite. */
import { UserCredentialError } from '../user-credential-error.js'
import { newSigningCertificateId, newSshPublicKeyId } from '../user-credential-ids.js'
import { SIGNING_CERTIFICATES_PER_USER, SSH_PUBLIC_KEYS_PER_USER } from '../user-credentials-ops.js'
import type {
  SigningCertificate,
  SshPublicKey,
  UserCredentialOps,
  UserCredentialStatus,
} from '../user-credentials-ops.js'
import type { SqlContext } from './sql-context.js'
import { paginate } from './paginate.js'

interface SshPublicKeyRow {
  readonly sort_key: string
  readonly ssh_public_key_id: string
  readonly account_id: string
  readonly user_name: string
  readonly body: string
  readonly fingerprint: string
  readonly status: UserCredentialStatus
  readonly uploaded_at: number
}

const SSH_PUBLIC_KEY_SELECT = `SELECT k.ssh_public_key_id, k.account_id, u.name AS user_name,
  k.body, k.fingerprint, k.status, k.uploaded_at, k.ssh_public_key_id AS sort_key
FROM ssh_public_keys k JOIN users u ON u.user_id = k.user_id`

function toSshPublicKey(row: SshPublicKeyRow): SshPublicKey {
  return {
    accountId: row.account_id,
    userName: row.user_name,
    sshPublicKeyId: row.ssh_public_key_id,
    body: row.body,
    fingerprint: row.fingerprint,
    status: row.status,
    uploadedAt: new Date(row.uploaded_at),
  }
}

interface CertificateRow {
  readonly sort_key: string
  readonly certificate_id: string
  readonly account_id: string
  readonly user_name: string | null
  readonly body: string
  readonly fingerprint: string
  readonly status: UserCredentialStatus
  readonly uploaded_at: number
}

const CERTIFICATE_SELECT = `SELECT c.certificate_id, c.account_id, u.name AS user_name, c.body,
  c.fingerprint, c.status, c.uploaded_at, c.certificate_id AS sort_key
FROM signing_certificates c LEFT JOIN users u ON u.user_id = c.user_id`

function toCertificate(row: CertificateRow): SigningCertificate {
  return {
    accountId: row.account_id,
    userName: row.user_name,
    certificateId: row.certificate_id,
    body: row.body,
    fingerprint: row.fingerprint,
    status: row.status,
    uploadedAt: new Date(row.uploaded_at),
  }
}

/** A user's SSH public key by id; UserCredentialError if the user has none of that id. */
async function sshPublicKeyRow(
  ctx: SqlContext,
  userId: string,
  id: string,
): Promise<SshPublicKeyRow> {
  const row = await ctx.get<SshPublicKeyRow>(
    `${SSH_PUBLIC_KEY_SELECT} WHERE k.user_id = ? AND k.ssh_public_key_id = ?`,
    userId,
    id,
  )
  if (row === undefined) throw new UserCredentialError('sshPublicKeyNotFound', id)
  return row
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

/** UserCredentialError certificateNotFound unless `changes` says the statement found it. */
function requireCertificate(changes: number, certificateId: string): void {
  if (changes === 0) throw new UserCredentialError('certificateNotFound', certificateId)
}

/** The SSH public key and signing certificate operations. */
export function userCredentialOps(ctx: SqlContext): UserCredentialOps {
  return {
    async uploadSshPublicKey(input) {
      const userId = await ctx.idOf('user', input.accountId, input.userName)
      // Checked before the insert (the write lock is held), so the id's own uniqueness stays
      // the only thing the insert can refuse.
      if (
        await ctx.exists(
          'SELECT 1 FROM ssh_public_keys WHERE user_id = ? AND fingerprint = ?',
          userId,
          input.fingerprint,
        )
      ) {
        throw new UserCredentialError('sshPublicKeyDuplicate', input.userName)
      }
      const held = await ctx.count('SELECT count(*) FROM ssh_public_keys WHERE user_id = ?', userId)
      if (held >= SSH_PUBLIC_KEYS_PER_USER) {
        throw new UserCredentialError('sshPublicKeyLimit', input.userName, SSH_PUBLIC_KEYS_PER_USER)
      }
      const id = newSshPublicKeyId(ctx.random)
      await ctx.run(
        `INSERT INTO ssh_public_keys (ssh_public_key_id, account_id, user_id, body, fingerprint,
           status, uploaded_at)
         VALUES (?, ?, ?, ?, ?, 'Active', ?)`,
        id,
        input.accountId,
        userId,
        input.body,
        input.fingerprint,
        ctx.now(),
      )
      return toSshPublicKey(await sshPublicKeyRow(ctx, userId, id))
    },

    async getSshPublicKey(accountId, userName, sshPublicKeyId) {
      const userId = await ctx.idOf('user', accountId, userName)
      return toSshPublicKey(await sshPublicKeyRow(ctx, userId, sshPublicKeyId))
    },

    async listSshPublicKeys(accountId, userName, request) {
      const userId = await ctx.idOf('user', accountId, userName)
      return paginate(
        ctx,
        `${SSH_PUBLIC_KEY_SELECT} WHERE k.user_id = ?`,
        [userId],
        request,
        toSshPublicKey,
      )
    },

    async updateSshPublicKeyStatus(accountId, userName, sshPublicKeyId, status) {
      const userId = await ctx.idOf('user', accountId, userName)
      const { changes } = await ctx.run(
        'UPDATE ssh_public_keys SET status = ? WHERE user_id = ? AND ssh_public_key_id = ?',
        status,
        userId,
        sshPublicKeyId,
      )
      if (changes === 0) throw new UserCredentialError('sshPublicKeyNotFound', sshPublicKeyId)
    },

    async deleteSshPublicKey(accountId, userName, sshPublicKeyId) {
      const userId = await ctx.idOf('user', accountId, userName)
      const { changes } = await ctx.run(
        'DELETE FROM ssh_public_keys WHERE user_id = ? AND ssh_public_key_id = ?',
        userId,
        sshPublicKeyId,
      )
      if (changes === 0) throw new UserCredentialError('sshPublicKeyNotFound', sshPublicKeyId)
    },

    async uploadSigningCertificate(input) {
      const userId = await ownerId(ctx, input.accountId, input.userName)
      if (
        await ctx.exists(
          'SELECT 1 FROM signing_certificates WHERE account_id = ? AND fingerprint = ?',
          input.accountId,
          input.fingerprint,
        )
      ) {
        throw new UserCredentialError('certificateDuplicate', input.userName)
      }
      const held = await ctx.count(
        'SELECT count(*) FROM signing_certificates WHERE account_id = ? AND user_id IS NOT DISTINCT FROM ?',
        input.accountId,
        userId,
      )
      if (held >= SIGNING_CERTIFICATES_PER_USER) {
        throw new UserCredentialError(
          'certificateLimit',
          input.userName,
          SIGNING_CERTIFICATES_PER_USER,
        )
      }
      const id = newSigningCertificateId(ctx.random)
      await ctx.run(
        `INSERT INTO signing_certificates (certificate_id, account_id, user_id, body, fingerprint,
           status, uploaded_at)
         VALUES (?, ?, ?, ?, ?, 'Active', ?)`,
        id,
        input.accountId,
        userId,
        input.body,
        input.fingerprint,
        ctx.now(),
      )
      const row = await ctx.get<CertificateRow>(
        `${CERTIFICATE_SELECT} WHERE c.certificate_id = ?`,
        id,
      )
      if (row === undefined) throw new UserCredentialError('certificateNotFound', id)
      return toCertificate(row)
    },

    async listSigningCertificates(accountId, userName, request) {
      const userId = await ownerId(ctx, accountId, userName)
      return paginate(
        ctx,
        `${CERTIFICATE_SELECT} WHERE c.account_id = ? AND c.user_id IS NOT DISTINCT FROM ?`,
        [accountId, userId],
        request,
        toCertificate,
      )
    },

    async updateSigningCertificateStatus(accountId, userName, certificateId, status) {
      const userId = await ownerId(ctx, accountId, userName)
      const { changes } = await ctx.run(
        `UPDATE signing_certificates SET status = ?
         WHERE certificate_id = ? AND account_id = ? AND user_id IS NOT DISTINCT FROM ?`,
        status,
        certificateId,
        accountId,
        userId,
      )
      requireCertificate(changes, certificateId)
    },

    async deleteSigningCertificate(accountId, userName, certificateId) {
      const userId = await ownerId(ctx, accountId, userName)
      const { changes } = await ctx.run(
        `DELETE FROM signing_certificates
         WHERE certificate_id = ? AND account_id = ? AND user_id IS NOT DISTINCT FROM ?`,
        certificateId,
        accountId,
        userId,
      )
      requireCertificate(changes, certificateId)
    },
  }
}
