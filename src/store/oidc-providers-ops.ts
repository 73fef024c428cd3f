/** OpenID Connect identity providers: the store port's operations (StoreTx extends them). */
import type { Page, PageRequest, Tag } from './store.js'

/**
 * AWS's fixed quotas of OIDC providers (IAM User Guide, "IAM and AWS STS quotas"). They are not
 * StoreLimits, which the other families share; the store enforces the two that are counts a write
 * adds to, race-free with the write, as it does every quota (./limits.ts says why).
 */
export const OIDC_PROVIDER_LIMITS = Object.freeze({
  /** OIDC providers in an account. */
  providersPerAccount: 100,
  /** Client ids (audiences) of one provider. */
  clientIdsPerProvider: 100,
  /** Thumbprints of one provider: a rule on each list given, so the handlers'. */
  thumbprintsPerProvider: 5,
})

/** The ARN of the provider named `name` (its URL without the scheme) in `accountId`. */
export function oidcProviderArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${name}`
}

/**
 * An IAM OpenID Connect provider. It has no unique id of its own: its name is its URL without
 * the `https://`, which is also the last part of its ARN
 * (`arn:aws:iam::123456789012:oidc-provider/server.example.com`). Names are unique per account
 * without regard to case and kept as written, as the names of IAM's other entities are.
 */
export interface OidcProvider {
  readonly accountId: string
  /** The URL without its scheme, e.g. `server.example.com/tenant`. */
  readonly name: string
  readonly arn: string
  /** The audiences, each once, in the order they were added. */
  readonly clientIds: readonly string[]
  /** As last given, in their order. */
  readonly thumbprints: readonly string[]
  readonly createdAt: Date
}

/** A new OIDC provider. */
export interface NewOidcProvider {
  readonly accountId: string
  /** The URL without its scheme. */
  readonly name: string
  /** A client id given twice is kept once. */
  readonly clientIds?: readonly string[]
  readonly thumbprints?: readonly string[]
  readonly tags?: readonly Tag[]
}

/**
 * OpenID Connect identity providers, named by account and name (matched without case). Their
 * failures are the errors of ./oidc-provider-errors.ts, and LimitExceededError (tagsPerResource)
 * for tags; their tag keys compare with case, as IAM's do for OIDC providers.
 */
export interface OidcProviderOps {
  /**
   * NotFoundError (account), OidcProviderExistsError, OidcProviderLimitError past
   * providersPerAccount or clientIdsPerProvider, LimitExceededError (tagsPerResource).
   */
  createOidcProvider(input: NewOidcProvider): Promise<OidcProvider>
  /** OidcProviderNotFoundError if absent. */
  getOidcProvider(accountId: string, name: string): Promise<OidcProvider>
  /** Every provider of the account, by name without case (the API does not paginate). */
  listOidcProviders(accountId: string): Promise<readonly OidcProvider[]>
  /** Deletes a provider with its client ids, thumbprints and tags. */
  deleteOidcProvider(accountId: string, name: string): Promise<void>
  /** Idempotent; OidcProviderLimitError past clientIdsPerProvider. */
  addOidcProviderClientId(accountId: string, name: string, clientId: string): Promise<void>
  /** A client id the provider does not have is ignored. */
  removeOidcProviderClientId(accountId: string, name: string, clientId: string): Promise<void>
  /** Replaces the thumbprints with `thumbprints`. */
  updateOidcProviderThumbprints(
    accountId: string,
    name: string,
    thumbprints: readonly string[],
  ): Promise<void>
  /** Adds or replaces. LimitExceededError if the provider would pass tagsPerResource. */
  tagOidcProvider(accountId: string, name: string, tags: readonly Tag[]): Promise<void>
  /** Removes the keys present; absent keys are ignored. */
  untagOidcProvider(accountId: string, name: string, keys: readonly string[]): Promise<void>
  /** By key, with case. */
  listOidcProviderTags(accountId: string, name: string, request?: PageRequest): Promise<Page<Tag>>
}
