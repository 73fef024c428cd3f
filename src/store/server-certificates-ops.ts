/** Server certificates: the store port's operations (StoreTx extends them). */
import type { Page, PageRequest, Tag } from './store.js'

/** Server certificates an account may hold (IAM quotas: "Server certificates per account", 20). */
export const SERVER_CERTIFICATES_PER_ACCOUNT = 20

/** `arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME`, the path between type and name. */
export function serverCertificateArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:server-certificate${path}${name}`
}

/**
 * A server certificate (for Elastic Load Balancing, CloudFront, ...): its public parts. The
 * private key uploaded with it is sealed under the master key and is not part of this record:
 * no operation of IAM's returns it.
 */
export interface ServerCertificate {
  readonly accountId: string
  /** `ASCA` and 17 characters of `[A-Z2-7]`, unique in the store. */
  readonly serverCertificateId: string
  /** Unique per account without regard to case, kept as written. */
  readonly name: string
  readonly path: string
  readonly arn: string
  /** The PEM certificate as it was uploaded. */
  readonly body: string
  /** The PEM chain as it was uploaded, or null if none was. */
  readonly chain: string | null
  /** The certificate's notAfter, which the handler read from it. */
  readonly expiresAt: Date
  readonly uploadedAt: Date
}

/** A new server certificate, its body, chain and key already checked by the handler. */
export interface NewServerCertificate {
  readonly accountId: string
  readonly name: string
  readonly path: string
  readonly body: string
  readonly chain?: string
  /** SECURITY: sealed before it is written; never read back by any operation but one. */
  readonly privateKey: string
  readonly expiresAt: Date
  readonly tags?: readonly Tag[]
}

/** What UpdateServerCertificate changes: either or both. */
export interface ServerCertificateChange {
  readonly newPath?: string
  readonly newName?: string
}

/**
 * Server certificates, named by account and name (matched without case). Their failures are
 * ServerCertificateError (./server-certificate-error.ts), NotFoundError for an unknown account
 * and LimitExceededError (tagsPerResource) for tags; tag keys compare with case, as IAM's do for
 * its other non-principal resources.
 */
export interface ServerCertificateOps {
  /**
   * Stores a certificate stamped now with a new id. ServerCertificateError exists (a name taken
   * in any case) or limit (past SERVER_CERTIFICATES_PER_ACCOUNT); LimitExceededError for tags.
   */
  uploadServerCertificate(input: NewServerCertificate): Promise<ServerCertificate>
  /** ServerCertificateError notFound if absent. */
  getServerCertificate(accountId: string, name: string): Promise<ServerCertificate>
  /**
   * The private key, opened. Only what would serve the certificate (a load balancer) needs it;
   * no IAM operation calls this. ServerCertificateError notFound if absent.
   */
  getServerCertificatePrivateKey(accountId: string, name: string): Promise<string>
  /** By name without case, then as written; only those whose path starts with `pathPrefix`. */
  listServerCertificates(
    accountId: string,
    pathPrefix: string | undefined,
    request?: PageRequest,
  ): Promise<Page<ServerCertificate>>
  /** Renames and/or moves; ServerCertificateError notFound, or exists for a name taken. */
  updateServerCertificate(
    accountId: string,
    name: string,
    change: ServerCertificateChange,
  ): Promise<ServerCertificate>
  /** Deletes the certificate with its sealed key and tags. */
  deleteServerCertificate(accountId: string, name: string): Promise<void>
  /** Adds or replaces. LimitExceededError past tagsPerResource. */
  tagServerCertificate(accountId: string, name: string, tags: readonly Tag[]): Promise<void>
  /** Removes the keys present; absent keys are ignored. */
  untagServerCertificate(accountId: string, name: string, keys: readonly string[]): Promise<void>
  /** By key, with case. */
  listServerCertificateTags(
    accountId: string,
    name: string,
    request?: PageRequest,
  ): Promise<Page<Tag>>
}
