/** Service-specific credentials: the store port's operations (StoreTx extends them). */

/** Service-specific credentials. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its family's work
export interface ServiceCredentialOps {}
