/** Account properties (GetAccountProperties/PutAccountProperties): the store port's operations (StoreTx extends them). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AccountPropertyOps {}
