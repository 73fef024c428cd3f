/** Virtual MFA devices: the store port's operations (StoreTx extends them). */

/** Virtual MFA devices. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its family's work
export interface MfaDeviceOps {}
