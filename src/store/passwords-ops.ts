/** The account password policy, login profiles and passwords: the store port's operations (StoreTx extends them). */

/** The account password policy, login profiles and passwords. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its family's work
export interface PasswordOps {}
