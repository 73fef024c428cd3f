/** Server certificates: the store port's operations (StoreTx extends them). */

/** Server certificates. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its family's work
export interface ServerCertificateOps {}
