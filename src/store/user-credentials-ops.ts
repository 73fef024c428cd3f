/** SSH public keys and signing certificates of users: the store port's operations (StoreTx extends them). */
import type { Page, PageRequest } from './store.js'

/** SSH public keys a user may have (IAM quotas: "SSH public keys per user", 5). */
export const SSH_PUBLIC_KEYS_PER_USER = 5

/**
 * Signing certificates a user, or an account's root user, may have (IAM quotas: "Signing
 * certificates per user", 2).
 */
export const SIGNING_CERTIFICATES_PER_USER = 2

/** Whether a key or certificate may be used. */
export type UserCredentialStatus = 'Active' | 'Inactive'

/** An IAM user's SSH public key (for CodeCommit). */
export interface SshPublicKey {
  readonly accountId: string
  /** Its user's name, as the user is named now. */
  readonly userName: string
  /** `APKA` and 16 characters of `[A-Z2-7]`, unique in the store. */
  readonly sshPublicKeyId: string
  /** The body as it was uploaded (ssh-rsa or PEM). */
  readonly body: string
  /** What the handler computed from the key; also what makes two uploads the same key. */
  readonly fingerprint: string
  readonly status: UserCredentialStatus
  readonly uploadedAt: Date
}

/** A new SSH public key, its body already checked by the handler. */
export interface NewSshPublicKey {
  readonly accountId: string
  readonly userName: string
  readonly body: string
  /** Two keys of one user with the same fingerprint are the same key. */
  readonly fingerprint: string
}

/** An X.509 signing certificate of an IAM user or of an account's root user. */
export interface SigningCertificate {
  readonly accountId: string
  /** Its user's name, or null for the root user's. */
  readonly userName: string | null
  /** 32 characters of `[A-Z2-7]`, unique in the store. */
  readonly certificateId: string
  /** The PEM body as it was uploaded. */
  readonly body: string
  /** What the handler computed from the certificate; also what makes two uploads the same. */
  readonly fingerprint: string
  readonly status: UserCredentialStatus
  readonly uploadedAt: Date
}

/** A new signing certificate, its body already checked by the handler. */
export interface NewSigningCertificate {
  readonly accountId: string
  /** null: the root user's. */
  readonly userName: string | null
  readonly body: string
  /** Two certificates of one account with the same fingerprint are the same certificate. */
  readonly fingerprint: string
}

/**
 * SSH public keys and signing certificates. Both are addressed by id within the user they belong
 * to: an id of another user (or none) is UserCredentialError notFound, as IAM answers. Lists are
 * in order of id. Each write checks, in this order: NotFoundError (user or account), then
 * UserCredentialError notFound, or for an upload duplicate, then limit.
 */
export interface UserCredentialOps {
  /**
   * Stores an Active key, stamped now. UserCredentialError sshPublicKeyDuplicate when the user
   * has a key of this fingerprint, sshPublicKeyLimit past SSH_PUBLIC_KEYS_PER_USER.
   */
  uploadSshPublicKey(input: NewSshPublicKey): Promise<SshPublicKey>
  getSshPublicKey(
    accountId: string,
    userName: string,
    sshPublicKeyId: string,
  ): Promise<SshPublicKey>
  listSshPublicKeys(
    accountId: string,
    userName: string,
    request?: PageRequest,
  ): Promise<Page<SshPublicKey>>
  updateSshPublicKeyStatus(
    accountId: string,
    userName: string,
    sshPublicKeyId: string,
    status: UserCredentialStatus,
  ): Promise<void>
  deleteSshPublicKey(accountId: string, userName: string, sshPublicKeyId: string): Promise<void>

  /**
   * Stores an Active certificate, stamped now. UserCredentialError certificateDuplicate when any
   * user of the account, or its root user, has one of this fingerprint; certificateLimit past
   * SIGNING_CERTIFICATES_PER_USER.
   */
  uploadSigningCertificate(input: NewSigningCertificate): Promise<SigningCertificate>
  /** A user's certificates (null: the root user's). */
  listSigningCertificates(
    accountId: string,
    userName: string | null,
    request?: PageRequest,
  ): Promise<Page<SigningCertificate>>
  updateSigningCertificateStatus(
    accountId: string,
    userName: string | null,
    certificateId: string,
    status: UserCredentialStatus,
  ): Promise<void>
  deleteSigningCertificate(
    accountId: string,
    userName: string | null,
    certificateId: string,
  ): Promise<void>
}
