/**
 * Why a service-specific credential operation failed. The store's shared vocabulary (./errors.ts)
 * names no service-specific credential, so this family brings its own error; the IAM service maps
 * it to AWS's codes and wording (src/services/iam/service-credential-aws-error.ts).
 */
import { StoreError } from './errors.js'

/** What went wrong with a credential. */
export type ServiceCredentialFailure =
  /** The user has no credential of this id (it is another user's, or none at all). */
  | 'notFound'
  /** The user has as many credentials for the service as the quota allows. */
  | 'perServiceLimit'

/** A service-specific credential operation the store refused. */
export class ServiceCredentialError extends StoreError {
  override readonly name = 'ServiceCredentialError'

  /**
   * @param reason - what went wrong
   * @param key - the credential's id for notFound, the service's name for perServiceLimit
   * @param limit - for perServiceLimit, the quota
   */
  constructor(
    readonly reason: ServiceCredentialFailure,
    readonly key: string,
    readonly limit?: number,
  ) {
    super(`service-specific credential ${key}: ${reason}`)
  }
}
