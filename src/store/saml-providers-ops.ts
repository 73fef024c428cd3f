/** SAML identity providers: the store port's operations (StoreTx extends them). */
import type { Page, PageRequest, Tag } from './store.js'

/**
 * AWS's fixed quotas of SAML providers that are counts a write adds to, so the store enforces
 * them race-free with the write (./limits.ts says why): providers per account (IAM User Guide,
 * "IAM and AWS STS quotas") and private keys per provider (the model's privateKeyList holds at
 * most 2). The quota on a metadata document's keys is a rule on each document given, so the
 * handlers'.
 */
export const SAML_PROVIDER_LIMITS = Object.freeze({
  /** SAML providers in an account. */
  providersPerAccount: 100,
  /** Private keys (for encrypted assertions) of one provider. */
  privateKeysPerProvider: 2,
})

/** How a provider takes encrypted assertions: `Allowed` (the default) or `Required`. */
export type AssertionEncryptionMode = 'Required' | 'Allowed'

/** The ARN of the provider named `name` in `accountId`. */
export function samlProviderArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:saml-provider/${name}`
}

/**
 * IAM's ValidUntil of a metadata document that gives none: 100 years after it was uploaded (AWS
 * answers a provider created at 2025-12-22T08:14:52Z with ValidUntil 2125-12-22T08:14:52Z; the
 * AWS CLI's get-saml-provider example shows the same).
 */
export function defaultValidUntil(uploadedAt: Date): Date {
  const until = new Date(uploadedAt.getTime())
  until.setUTCFullYear(until.getUTCFullYear() + 100)
  return until
}

/** A private key of a provider as IAM lists it: its id and when it was added, never the key. */
export interface SamlPrivateKeyInfo {
  /** 26 characters of `[A-Z2-7]` (the model's privateKeyIdType is 22 to 64 of `[A-Z0-9]`). */
  readonly keyId: string
  readonly createdAt: Date
}

/**
 * An IAM SAML identity provider. Names are unique per account without regard to case and kept as
 * written, as the names of IAM's other entities are; the name is the last part of the ARN.
 */
export interface SamlProvider {
  readonly accountId: string
  readonly name: string
  readonly arn: string
  /** AWS's SAMLProviderUUID: `SAMLSP` and 20 characters of `[A-Z2-7]`. */
  readonly uuid: string
  /** The metadata document as last uploaded, verbatim. */
  readonly metadataDocument: string
  /** The document's own validUntil, or 100 years after its upload (defaultValidUntil). */
  readonly validUntil: Date
  readonly assertionEncryptionMode: AssertionEncryptionMode
  /** Oldest first. */
  readonly privateKeys: readonly SamlPrivateKeyInfo[]
  readonly createdAt: Date
}

/** A new SAML provider. */
export interface NewSamlProvider {
  readonly accountId: string
  readonly name: string
  readonly metadataDocument: string
  /** The document's validUntil; absent, defaultValidUntil of the creation time. */
  readonly validUntil?: Date
  /** `Allowed` when absent. */
  readonly assertionEncryptionMode?: AssertionEncryptionMode
  /** A private key in PEM, sealed at rest under the master key. */
  readonly privateKey?: string
  readonly tags?: readonly Tag[]
}

/** What UpdateSAMLProvider changes; what is absent stays as it is. */
export interface SamlProviderUpdate {
  /** A new document, with its validUntil (absent: defaultValidUntil of the update's time). */
  readonly metadata?: { readonly document: string; readonly validUntil?: Date }
  readonly assertionEncryptionMode?: AssertionEncryptionMode
  /** A private key in PEM to add, sealed at rest. */
  readonly addPrivateKey?: string
  /** The id of a private key to remove. */
  readonly removePrivateKeyId?: string
}

/**
 * SAML identity providers, named by account and name (matched without case). Their failures are
 * the errors of ./saml-provider-errors.ts, and LimitExceededError (tagsPerResource) for tags;
 * their tag keys compare with case, as IAM's do for SAML providers.
 */
export interface SamlProviderOps {
  /**
   * NotFoundError (account), SamlProviderExistsError, SamlProviderLimitError past
   * providersPerAccount, SamlEncryptionKeyRequiredError for `Required` without a private key,
   * LimitExceededError (tagsPerResource).
   */
  createSamlProvider(input: NewSamlProvider): Promise<SamlProvider>
  /** SamlProviderNotFoundError if absent. */
  getSamlProvider(accountId: string, name: string): Promise<SamlProvider>
  /** Every provider of the account, by name without case (the API does not paginate). */
  listSamlProviders(accountId: string): Promise<readonly SamlProvider[]>
  /**
   * Applies `update` whole or not at all: SamlPrivateKeyNotFoundError for a key id the provider
   * does not have, SamlProviderLimitError past privateKeysPerProvider,
   * SamlEncryptionKeyRequiredError if the provider would be `Required` without a private key.
   */
  updateSamlProvider(
    accountId: string,
    name: string,
    update: SamlProviderUpdate,
  ): Promise<SamlProvider>
  /** Deletes a provider with its private keys and tags. */
  deleteSamlProvider(accountId: string, name: string): Promise<void>
  /**
   * A private key's PEM, opened: what decrypting an assertion needs. SamlPrivateKeyNotFoundError
   * for a key id the provider does not have.
   */
  getSamlProviderPrivateKey(accountId: string, name: string, keyId: string): Promise<string>
  /** Adds or replaces. LimitExceededError if the provider would pass tagsPerResource. */
  tagSamlProvider(accountId: string, name: string, tags: readonly Tag[]): Promise<void>
  /** Removes the keys present; absent keys are ignored. */
  untagSamlProvider(accountId: string, name: string, keys: readonly string[]): Promise<void>
  /** By key, with case. */
  listSamlProviderTags(accountId: string, name: string, request?: PageRequest): Promise<Page<Tag>>
}
