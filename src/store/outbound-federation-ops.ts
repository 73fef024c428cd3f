/** Outbound web identity federation (IAM's issuer of JWTs for the account): the store's operations. */

/** The algorithms an account's issuer signs with: AWS's two for GetWebIdentityToken. */
export type OutboundSigningAlgorithm = 'ES384' | 'RS256'

/** An issuer's public signing key, as its JWKS serves it. */
export interface OutboundPublicKey {
  readonly algorithm: OutboundSigningAlgorithm
  /** The `kid` of the JWK and of the tokens it signs: never changes, never reused. */
  readonly keyId: string
  /** The public JWK as JSON text (no private member). */
  readonly publicJwk: string
  /** When it was made: it signs from then on, until a newer key of its algorithm replaces it. */
  readonly createdAt: Date
  /**
   * When a newer key of its algorithm replaced it (its private half deleted then); null while it
   * is the one that signs. A replaced key stays published until the tokens it signed expire.
   */
  readonly retiredAt: Date | null
}

/** An account's issuer: made on the first enable and kept, with its keys, when disabled. */
export interface OutboundIssuer {
  readonly accountId: string
  /** The issuer's id: random, the last segment of the issuer URL. */
  readonly issuerId: string
  /** Whether GetWebIdentityToken is on for the account. */
  readonly enabled: boolean
  readonly createdAt: Date
  /** Every key kept, the signing one and those replaced: by algorithm, newest first. */
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
 * How signing keys rotate, every time given by the caller: the store reads no clock for it, so
 * that the ages it compares are those of one clock (the request's).
 */
export interface OutboundKeyRotation {
  /** The time of the request, at which keys' ages are measured and new keys stamped. */
  readonly now: Date
  /** How old the signing key may be: one older is replaced before it signs again. */
  readonly rotateAfterMs: number
  /** How long a replaced key is kept (and published) after it stopped signing. */
  readonly retainMs: number
}

/**
 * Outbound web identity federation. An account has at most one issuer; its id never changes
 * once made, so that external services configured to trust it keep doing so through a disable
 * and an enable. Its keys rotate: one signing key per algorithm at a time, each replaced key kept
 * until the tokens it signed have expired.
 */
export interface OutboundFederationOps {
  /** The account's issuer, enabled or not; undefined if it never had one. */
  getOutboundIssuer(accountId: string): Promise<OutboundIssuer | undefined>
  /** The issuer with this id, whatever its account; undefined if none. */
  getOutboundIssuerById(issuerId: string): Promise<OutboundIssuer | undefined>
  /**
   * Turns the feature on: enables the account's issuer, or makes one from what `fresh` gives
   * (called only then: an issuer is made once per account), its keys made at `now`. `already`
   * when it was on, changing nothing. NotFoundError (account).
   */
  enableOutboundFederation(
    accountId: string,
    now: Date,
    fresh: () => Promise<NewOutboundIssuer>,
  ): Promise<{ readonly outcome: 'enabled' | 'already'; readonly issuer: OutboundIssuer }>
  /** Turns the feature off, keeping the issuer; false if it was not on. NotFoundError (account). */
  disableOutboundFederation(accountId: string): Promise<boolean>
  /** The account's signing key for `algorithm`, its private half opened; undefined if no issuer. */
  getOutboundSigningKey(
    accountId: string,
    algorithm: OutboundSigningAlgorithm,
  ): Promise<OutboundSigningKey | undefined>
  /**
   * The account's signing key for `algorithm`, its private half opened, after rotating: when the
   * signing key is `rotateAfterMs` old, the key `fresh` makes replaces it (asked for only then),
   * the replaced one keeping its public half only; the account's keys replaced `retainMs` ago
   * or more are deleted. One call decides and writes all of it: of two calls racing (two nodes
   * on one database), one makes the new key and the other signs with it. Undefined (nothing
   * written) if the account has no issuer.
   */
  rotateOutboundSigningKey(
    accountId: string,
    algorithm: OutboundSigningAlgorithm,
    rotation: OutboundKeyRotation,
    fresh: (algorithm: OutboundSigningAlgorithm) => Promise<NewOutboundSigningKey>,
  ): Promise<OutboundSigningKey | undefined>
}
