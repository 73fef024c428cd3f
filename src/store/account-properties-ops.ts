/** Account properties (GetAccountProperties/PutAccountProperties): the store port's operations (StoreTx extends them). */

/**
 * One property an account has set: `Namespace/PropertyName` split at its `/`, and the value as
 * IAM takes it (a string; what it must look like is the service's to say, per property).
 */
export interface AccountProperty {
  readonly namespace: string
  readonly name: string
  readonly value: string
}

/**
 * Account properties: per account, a value for each property it has set. The store keeps what
 * was set and nothing else; the values a property has before it is set (its defaults) are the
 * service's, as is which namespaces and properties exist.
 */
export interface AccountPropertyOps {
  /**
   * The properties the account has set, ordered by namespace then name (byte by byte).
   * NotFoundError (account).
   */
  getAccountProperties(accountId: string): Promise<readonly AccountProperty[]>
  /**
   * Sets each property to its value, replacing the value it had; the others keep theirs. All of
   * them or none. NotFoundError (account).
   */
  putAccountProperties(accountId: string, properties: readonly AccountProperty[]): Promise<void>
}
