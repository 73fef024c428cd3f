/** Account aliases: the store port's operations (StoreTx extends them). */
import type { Page, PageRequest } from './store.js'

/**
 * What createAccountAlias did: `created` (the alias is now the account's, in place of any it
 * had), `unchanged` (the account already had it), or `taken` (another account has it). The last
 * two change nothing; which AWS error each becomes is the service's to say.
 */
export type AccountAliasCreation = 'created' | 'unchanged' | 'taken'

/**
 * Account aliases. An account has at most one alias, and an alias belongs to at most one account
 * of the store (AWS's aliases are unique across all of AWS); aliases are compared without case.
 */
export interface AccountAliasOps {
  /**
   * Makes `alias` the account's alias, replacing the one it had (AWS keeps one alias per account
   * and replaces it). NotFoundError (account).
   */
  createAccountAlias(accountId: string, alias: string): Promise<AccountAliasCreation>
  /**
   * Removes the account's alias if it is `alias`; false, changing nothing, if the account has no
   * such alias. NotFoundError (account).
   */
  deleteAccountAlias(accountId: string, alias: string): Promise<boolean>
  /** The account's aliases (none or one), as written. NotFoundError (account). */
  listAccountAliases(accountId: string, request?: PageRequest): Promise<Page<string>>
}
