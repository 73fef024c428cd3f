/** SSH public keys and signing certificates of users: the store port's operations (StoreTx extends them). */

/** SSH public keys and signing certificates of users. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its family's work
export interface UserCredentialOps {}
