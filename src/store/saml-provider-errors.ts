/**
 * The store's failures of SAML providers. They are their own classes rather than the entity
 * errors of ./errors.ts because IAM words them by the provider's ARN ("Manifest not found for
 * arn ..."), which only the operation knows: src/services/iam/target-saml-provider.ts maps them
 * to AWS's codes.
 */
import { StoreError } from './errors.js'
import type { SAML_PROVIDER_LIMITS } from './saml-providers-ops.js'

/** No provider of that name in the account (AWS: NoSuchEntity). */
export class SamlProviderNotFoundError extends StoreError {
  override readonly name = 'SamlProviderNotFoundError'

  /** @param providerName - the name looked for, as the caller spelled it */
  constructor(readonly providerName: string) {
    super(`saml provider not found: ${providerName}`)
  }
}

/** A provider of that name (compared without case) already exists (AWS: EntityAlreadyExists). */
export class SamlProviderExistsError extends StoreError {
  override readonly name = 'SamlProviderExistsError'

  /** @param providerName - the name that is taken, as the caller spelled it */
  constructor(readonly providerName: string) {
    super(`saml provider already exists: ${providerName}`)
  }
}

/** A quota of SAML providers the store enforces. */
export type SamlProviderQuota = keyof typeof SAML_PROVIDER_LIMITS

/** A SAML provider quota would be exceeded (AWS: LimitExceeded). */
export class SamlProviderLimitError extends StoreError {
  override readonly name = 'SamlProviderLimitError'

  /**
   * @param quota - which quota
   * @param limit - its value
   */
  constructor(
    readonly quota: SamlProviderQuota,
    readonly limit: number,
  ) {
    super(`quota exceeded: ${quota} is ${limit}`)
  }
}

/** The provider has no private key of that id. */
export class SamlPrivateKeyNotFoundError extends StoreError {
  override readonly name = 'SamlPrivateKeyNotFoundError'

  /** @param keyId - the key id looked for */
  constructor(readonly keyId: string) {
    super(`saml provider private key not found: ${keyId}`)
  }
}

/**
 * A provider would require encrypted assertions without a private key to decrypt them with: the
 * mode `Required` with no key, or the last key removed from a `Required` provider.
 */
export class SamlEncryptionKeyRequiredError extends StoreError {
  override readonly name = 'SamlEncryptionKeyRequiredError'

  /** @param providerName - the provider, as the caller spelled it */
  constructor(readonly providerName: string) {
    super(`saml provider requires encryption without a private key: ${providerName}`)
  }
}
