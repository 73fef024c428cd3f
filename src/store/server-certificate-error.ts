/**
 * Why a server certificate operation failed. IAM words these by the certificate's name ("The
 * Server Certificate with name ... cannot be found."), so the family brings its own error and
 * the IAM service maps it (src/services/iam/target-server-certificate.ts).
 */
import { StoreError } from './errors.js'

/** What went wrong. */
export type ServerCertificateFailure =
  /** The account has no server certificate of this name. */
  | 'notFound'
  /** The account has a server certificate of this name (without regard to case). */
  | 'exists'
  /** The account has as many server certificates as the quota allows. */
  | 'limit'

/** A server certificate operation the store refused. */
export class ServerCertificateError extends StoreError {
  override readonly name = 'ServerCertificateError'

  /**
   * @param reason - what went wrong
   * @param certificateName - the name looked for or taken, as the caller spelled it
   * @param limit - for `limit`, the quota
   */
  constructor(
    readonly reason: ServerCertificateFailure,
    readonly certificateName: string,
    readonly limit?: number,
  ) {
    super(`server certificate ${certificateName}: ${reason}`)
  }
}
