/** Outbound web identity federation (IAM's issuer of JWTs for the account): the store's operations. */

/** Outbound web identity federation: filled in with its operations. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its issue
export interface OutboundFederationOps {}
