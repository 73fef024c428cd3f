/**
 * The store's failures of OpenID Connect providers. They are their own classes rather than the
 * entity errors of ./errors.ts because IAM words them by the provider's URL or ARN ("Provider
 * with url https://... already exists.", "OpenIDConnect Provider not found for arn ..."), which
 * only the operation knows: src/services/iam/oidc-provider-failures.ts maps them to AWS's codes.
 */
import { StoreError } from './errors.js'
import type { OIDC_PROVIDER_LIMITS } from './oidc-providers-ops.js'

/** No provider of that name in the account (AWS: NoSuchEntity). */
export class OidcProviderNotFoundError extends StoreError {
  override readonly name = 'OidcProviderNotFoundError'

  /** @param providerName - the name looked for, as the caller spelled it */
  constructor(readonly providerName: string) {
    super(`oidc provider not found: ${providerName}`)
  }
}

/** A provider of that name (compared without case) already exists (AWS: EntityAlreadyExists). */
export class OidcProviderExistsError extends StoreError {
  override readonly name = 'OidcProviderExistsError'

  /** @param providerName - the name that is taken, as the caller spelled it */
  constructor(readonly providerName: string) {
    super(`oidc provider already exists: ${providerName}`)
  }
}

/** A quota of OIDC providers the store enforces. */
export type OidcProviderQuota = Exclude<keyof typeof OIDC_PROVIDER_LIMITS, 'thumbprintsPerProvider'>

/** An OIDC provider quota would be exceeded (AWS: LimitExceeded). */
export class OidcProviderLimitError extends StoreError {
  override readonly name = 'OidcProviderLimitError'

  /**
   * @param quota - which quota
   * @param limit - its value
   */
  constructor(
    readonly quota: OidcProviderQuota,
    readonly limit: number,
  ) {
    super(`quota exceeded: ${quota} is ${limit}`)
  }
}
