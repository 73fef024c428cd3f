/** Service-linked roles and STS preferences: the store port's operations (StoreTx extends them). */

/** Service-linked roles and STS preferences. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its family's work
export interface ServiceLinkedRoleOps {}
