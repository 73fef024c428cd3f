/** Outbound web identity federation (IAM's issuer of JWTs for the account): the store's operations. */

/** The algorithms an account's issuer signs with: AWS's two for GetWebIdentityToken. */
export type OutboundSigningAlgorithm = 'ES384' | 'RS256'

/** An issuer's public signing key, as its JWKS serves it. */
export interface OutboundPublicKey {
  readonly algorithm: OutboundSigningAlgorithm
  /** The `kid` of the JWK and of the tokens it signs. */
  readonly keyId: string
  /** The public JWK as JSON text (no private member). */
  readonly publicJwk: string
}

/** An account's issuer: made on the first enable and kept, with its keys, when disabled. */
export interface OutboundIssuer {
  readonly accountId: string
  /** The issuer's id: random, the last segment of the issuer URL. */
  readonly issuerId: string
  /** Whether GetWebIdentityToken is on for the account. */
  readonly enabled: boolean
  readonly createdAt: Date
  readonly keys: readonly OutboundPublicKey[]
}

/** A signing key to keep: its private half in PKCS#8 PEM, which the store seals. */
export interface NewOutboundSigningKey {
  readonly algorithm: OutboundSigningAlgorithm
  readonly keyId: string
  readonly publicJwk: string
  readonly privateKeyPem: string
}

/** An issuer to make, enabled. */
export interface NewOutboundIssuer {
  readonly issuerId: string
  readonly keys: readonly NewOutboundSigningKey[]
}

/** A signing key with its private half opened. */
export interface OutboundSigningKey {
  readonly algorithm: OutboundSigningAlgorithm
  readonly keyId: string
  readonly privateKeyPem: string
}

/**
 * Outbound web identity federation. An account has at most one issuer; the issuer's id and keys
 * never change once made, so that external services configured to trust it keep doing so
 * through a disable and an enable.
 */
export interface OutboundFederationOps {
  /** The account's issuer, enabled or not; undefined if it never had one. */
  getOutboundIssuer(accountId: string): Promise<OutboundIssuer | undefined>
  /** The issuer with this id, whatever its account; undefined if none. */
  getOutboundIssuerById(issuerId: string): Promise<OutboundIssuer | undefined>
  /**
   * Turns the feature on: enables the account's issuer, or makes one from what `fresh` gives
   * (called only then: keys are made once per account). `already` when it was on, changing
   * nothing. NotFoundError (account).
   */
  enableOutboundFederation(
    accountId: string,
    fresh: () => Promise<NewOutboundIssuer>,
  ): Promise<{ readonly outcome: 'enabled' | 'already'; readonly issuer: OutboundIssuer }>
  /** Turns the feature off, keeping the issuer; false if it was not on. NotFoundError (account). */
  disableOutboundFederation(accountId: string): Promise<boolean>
  /** The account's key for `algorithm`, its private half opened; undefined if no issuer. */
  getOutboundSigningKey(
    accountId: string,
    algorithm: OutboundSigningAlgorithm,
  ): Promise<OutboundSigningKey | undefined>
}
