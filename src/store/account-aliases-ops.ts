/** Account aliases: the store port's operations (StoreTx extends them). */

/** Account aliases. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its family's work
export interface AccountAliasOps {}
