/**
 * The account's alias, the name its sign-in URL may use instead of its id: CreateAccountAlias,
 * DeleteAccountAlias, ListAccountAliases (reference §2, "Account"). An account has at most one
 * alias, and an alias belongs to one account only: AWS's aliases are unique across all accounts,
 * so a Gatehouse alias is unique across all the accounts it serves. None of the three actions
 * has a resource type: each is authorized on `*`.
 */
import { AwsError } from '../../errors/aws-error.js'
import { defineOperation } from '../operation.js'
import { pageEnd, pageRequest } from './results.js'
import { PAGE_MEMBERS, required } from './shapes.js'

/**
 * accountAliasType, without its constraints: IAM checks them itself, with its own message
 * (checkAccountAlias), not with the "1 validation error detected" of model validation.
 */
const ACCOUNT_ALIAS = required({ kind: 'string' } as const)

/** accountAliasType's pattern: 3 to 63 of a-z, 0-9 and `-`, no `-` first, last or twice. */
const ALIAS_PATTERN = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/

/** A 12-digit number: it would read as an account id in the sign-in URL. */
const ACCOUNT_ID_LIKE = /^[0-9]{12}$/

/**
 * ValidationError unless `alias` fits accountAliasType. The message is IAM's, as CreateAccountAlias
 * answers an alias outside the pattern (recorded against AWS in 2025); DeleteAccountAlias takes
 * the same type and is given the same answer.
 */
function checkAccountAlias(alias: string): void {
  if (!ALIAS_PATTERN.test(alias)) {
    throw new AwsError(
      'ValidationError',
      'The specified value for accountAlias is invalid. It must be a minimum length of 3 characters and maximum length of 63 characters, contain only digits, lowercase letters, and hyphens (-), but cannot begin or end with a hyphen.',
    )
  }
}

/**
 * CreateAccountAlias: sets the account's alias, replacing the one it had ("If you create a new
 * alias for your AWS account, the new alias overwrites the previous alias", IAM User Guide).
 */
export const CREATE_ACCOUNT_ALIAS = defineOperation({
  name: 'CreateAccountAlias',
  action: 'iam:CreateAccountAlias',
  input: { kind: 'structure', members: { AccountAlias: ACCOUNT_ALIAS } } as const,
  resource: () => '*',
  handle: async (input, ctx) => {
    const alias = input.AccountAlias
    checkAccountAlias(alias)
    // The IAM User Guide: an alias "cannot be a 12-digit number".
    if (ACCOUNT_ID_LIKE.test(alias)) {
      throw new AwsError(
        'ValidationError',
        // Invented message: AWS states the rule but its answer to such an alias is not on record.
        'The specified value for accountAlias is invalid. It cannot be a 12-digit number.',
      )
    }
    const outcome = await ctx.tx.createAccountAlias(ctx.caller.accountId, alias)
    // An alias any account has, the caller's own included, is one that "already exists": AWS's
    // wording for a taken alias ("The account alias security already exists.", recorded from
    // CreateAccountAlias). Nothing AWS publishes makes an exception of the caller's own alias.
    if (outcome !== 'created') {
      throw new AwsError('EntityAlreadyExists', `The account alias ${alias} already exists.`)
    }
    return undefined
  },
})

/** DeleteAccountAlias: removes the account's alias, which the call must name. */
export const DELETE_ACCOUNT_ALIAS = defineOperation({
  name: 'DeleteAccountAlias',
  action: 'iam:DeleteAccountAlias',
  input: { kind: 'structure', members: { AccountAlias: ACCOUNT_ALIAS } } as const,
  resource: () => '*',
  handle: async (input, ctx) => {
    const alias = input.AccountAlias
    checkAccountAlias(alias)
    if (!(await ctx.tx.deleteAccountAlias(ctx.caller.accountId, alias))) {
      throw new AwsError(
        'NoSuchEntity',
        // Invented message: IAM's NoSuchEntity wording for other entities ("The user with name
        // x cannot be found."); its answer for an alias the account lacks is not on record.
        `The account alias ${alias} cannot be found.`,
      )
    }
    return undefined
  },
})

/** ListAccountAliases: the account's alias, if it has one, in a list as the model shapes it. */
export const LIST_ACCOUNT_ALIASES = defineOperation({
  name: 'ListAccountAliases',
  action: 'iam:ListAccountAliases',
  input: { kind: 'structure', members: { ...PAGE_MEMBERS } } as const,
  resource: () => '*',
  handle: async (input, ctx) => {
    const page = await ctx.tx.listAccountAliases(ctx.caller.accountId, pageRequest(input))
    return { AccountAliases: page.items, ...pageEnd(page) }
  },
})
