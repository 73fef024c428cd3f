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
import type { SqliteContext, Sync } from './context.js'
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
function sshPublicKeyRow(ctx: SqliteContext, userId: string, id: string): SshPublicKeyRow {
  const row = ctx.get<SshPublicKeyRow>(
    `${SSH_PUBLIC_KEY_SELECT} WHERE k.user_id = ? AND k.ssh_public_key_id = ?`,
    userId,
    id,
  )
  if (row === undefined) throw new UserCredentialError('sshPublicKeyNotFound', id)
  return row
}

/** The owner's user id, or null for the root user (after checking the account exists). */
function ownerId(ctx: SqliteContext, accountId: string, userName: string | null): string | null {
  if (userName !== null) return ctx.idOf('user', accountId, userName)
  ctx.requireAccount(accountId)
  return null
}

/** UserCredentialError certificateNotFound unless `changes` says the statement found it. */
function requireCertificate(changes: number, certificateId: string): void {
  if (changes === 0) throw new UserCredentialError('certificateNotFound', certificateId)
}

/** The SSH public key and signing certificate operations. */
export function userCredentialOps(ctx: SqliteContext): Sync<UserCredentialOps> {
  return {
    uploadSshPublicKey(input) {
      const userId = ctx.idOf('user', input.accountId, input.userName)
      // Checked before the insert (the write lock is held), so the id's own uniqueness stays
      // the only thing the insert can refuse.
      if (
        ctx.exists(
          'SELECT 1 FROM ssh_public_keys WHERE user_id = ? AND fingerprint = ?',
          userId,
          input.fingerprint,
        )
      ) {
        throw new UserCredentialError('sshPublicKeyDuplicate', input.userName)
      }
      const held = ctx.count('SELECT count(*) FROM ssh_public_keys WHERE user_id = ?', userId)
      if (held >= SSH_PUBLIC_KEYS_PER_USER) {
        throw new UserCredentialError('sshPublicKeyLimit', input.userName, SSH_PUBLIC_KEYS_PER_USER)
      }
      const id = newSshPublicKeyId(ctx.random)
      ctx.run(
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
      return toSshPublicKey(sshPublicKeyRow(ctx, userId, id))
    },

    getSshPublicKey(accountId, userName, sshPublicKeyId) {
      const userId = ctx.idOf('user', accountId, userName)
      return toSshPublicKey(sshPublicKeyRow(ctx, userId, sshPublicKeyId))
    },

    listSshPublicKeys(accountId, userName, request) {
      const userId = ctx.idOf('user', accountId, userName)
      return paginate(
        ctx,
        `${SSH_PUBLIC_KEY_SELECT} WHERE k.user_id = ?`,
        [userId],
        request,
        toSshPublicKey,
      )
    },

    updateSshPublicKeyStatus(accountId, userName, sshPublicKeyId, status) {
      const userId = ctx.idOf('user', accountId, userName)
      const { changes } = ctx.run(
        'UPDATE ssh_public_keys SET status = ? WHERE user_id = ? AND ssh_public_key_id = ?',
        status,
        userId,
        sshPublicKeyId,
      )
      if (changes === 0) throw new UserCredentialError('sshPublicKeyNotFound', sshPublicKeyId)
    },

    deleteSshPublicKey(accountId, userName, sshPublicKeyId) {
      const userId = ctx.idOf('user', accountId, userName)
      const { changes } = ctx.run(
        'DELETE FROM ssh_public_keys WHERE user_id = ? AND ssh_public_key_id = ?',
        userId,
        sshPublicKeyId,
      )
      if (changes === 0) throw new UserCredentialError('sshPublicKeyNotFound', sshPublicKeyId)
    },

    uploadSigningCertificate(input) {
      const userId = ownerId(ctx, input.accountId, input.userName)
      if (
        ctx.exists(
          'SELECT 1 FROM signing_certificates WHERE account_id = ? AND fingerprint = ?',
          input.accountId,
          input.fingerprint,
        )
      ) {
        throw new UserCredentialError('certificateDuplicate', input.userName)
      }
      const held = ctx.count(
        'SELECT count(*) FROM signing_certificates WHERE account_id = ? AND user_id IS ?',
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
      ctx.run(
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
      const row = ctx.get<CertificateRow>(`${CERTIFICATE_SELECT} WHERE c.certificate_id = ?`, id)
      if (row === undefined) throw new UserCredentialError('certificateNotFound', id)
      return toCertificate(row)
    },

    listSigningCertificates(accountId, userName, request) {
      const userId = ownerId(ctx, accountId, userName)
      return paginate(
        ctx,
        `${CERTIFICATE_SELECT} WHERE c.account_id = ? AND c.user_id IS ?`,
        [accountId, userId],
        request,
        toCertificate,
      )
    },

    updateSigningCertificateStatus(accountId, userName, certificateId, status) {
      const userId = ownerId(ctx, accountId, userName)
      const { changes } = ctx.run(
        `UPDATE signing_certificates SET status = ?
         WHERE certificate_id = ? AND account_id = ? AND user_id IS ?`,
        status,
        certificateId,
        accountId,
        userId,
      )
      requireCertificate(changes, certificateId)
    },

    deleteSigningCertificate(accountId, userName, certificateId) {
      const userId = ownerId(ctx, accountId, userName)
      const { changes } = ctx.run(
        `DELETE FROM signing_certificates
         WHERE certificate_id = ? AND account_id = ? AND user_id IS ?`,
        certificateId,
        accountId,
        userId,
      )
      requireCertificate(changes, certificateId)
    },
  }
}
