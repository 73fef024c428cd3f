/** SAML identity providers: the store port's operations (StoreTx extends them). */

/** SAML identity providers. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its family's work
export interface SamlProviderOps {}
