/**
 * Matching the caller against a Principal or NotPrincipal element (S8, S9), reporting how the
 * caller was named, because that decides which other policies can still limit the grant (S2).
 */
import type { PrincipalElement } from './policy-document.js'
import { intern } from './intern.js'
import { accountOfPrincipalValue } from './principal-value.js'
import type { RequestPrincipal } from './request-context.js'

/**
 * How a statement names the caller, strongest first:
 * - `direct`: the user, session, federated-user ARN, service or identity provider itself;
 * - `wildcard`: `"*"` (with or without conditions such as aws:PrincipalArn);
 * - `role`: the role whose session calls; `federatingUser`: the IAM user behind a federated user;
 * - `account`: the caller's account (a delegation to its identity policies, not a grant).
 */
export type GrantKind = 'direct' | 'wildcard' | 'role' | 'federatingUser' | 'account'

/** A principal element ready for matching. */
export interface CompiledPrincipal {
  readonly any: boolean
  readonly arns: ReadonlySet<string>
  readonly accounts: ReadonlySet<string>
  readonly services: ReadonlySet<string>
  readonly federated: ReadonlySet<string>
  readonly canonicalUsers: ReadonlySet<string>
}

/** Compiles a Principal or NotPrincipal element. */
export function compilePrincipal(element: PrincipalElement): CompiledPrincipal {
  if (element.kind === 'any') {
    return {
      any: true,
      arns: new Set(),
      accounts: new Set(),
      services: new Set(),
      federated: new Set(),
      canonicalUsers: new Set(),
    }
  }
  const arns = new Set<string>()
  const accounts = new Set<string>()
  let any = false
  for (const value of element.aws) {
    if (value === '*') any = true
    const account = accountOfPrincipalValue(value)
    if (account !== null) accounts.add(intern(account))
    else arns.add(intern(value))
  }
  return {
    any,
    arns,
    accounts,
    services: new Set(element.service.map(intern)),
    federated: new Set(element.federated.map(intern)),
    canonicalUsers: new Set(element.canonicalUser.map(intern)),
  }
}

/** How the Principal element names the caller, or null when it does not. */
export function matchPrincipal(p: CompiledPrincipal, caller: RequestPrincipal): GrantKind | null {
  switch (caller.type) {
    case 'User':
      if (
        p.arns.has(caller.arn) ||
        (caller.uniqueId !== undefined && p.arns.has(caller.uniqueId))
      ) {
        return 'direct'
      }
      break
    case 'AssumedRole':
      if (p.arns.has(caller.arn)) return 'direct'
      if (p.any) return 'wildcard'
      if (
        (caller.roleArn !== undefined && p.arns.has(caller.roleArn)) ||
        (caller.uniqueId !== undefined && p.arns.has(caller.uniqueId))
      ) {
        return 'role'
      }
      break
    case 'FederatedUser':
      if (p.arns.has(caller.arn)) return 'direct'
      if (p.any) return 'wildcard'
      if (caller.federatedFromUserArn !== undefined && p.arns.has(caller.federatedFromUserArn)) {
        return 'federatingUser'
      }
      break
    case 'Account':
      break
    case 'Service':
      if (p.services.has(caller.arn) || p.services.has('*')) return 'direct'
      return p.any ? 'wildcard' : null
    case 'WebIdentity':
      if (p.federated.has(caller.arn)) return 'direct'
      return p.any ? 'wildcard' : null
    case 'Anonymous':
      return p.any ? 'wildcard' : null
  }
  if (p.any) return 'wildcard'
  if (caller.account !== null && p.accounts.has(caller.account)) return 'account'
  return null
}

/**
 * Whether a NotPrincipal element spares the caller. AWS may check the account, then the role,
 * then the session (S9), so the caller is spared only when every link of its chain is listed.
 */
export function notPrincipalExcludes(p: CompiledPrincipal, caller: RequestPrincipal): boolean {
  if (p.any) return true
  switch (caller.type) {
    case 'Anonymous':
      return false
    case 'Service':
      return p.services.has(caller.arn)
    case 'WebIdentity':
      return p.federated.has(caller.arn)
    case 'Account':
      return caller.account !== null && p.accounts.has(caller.account)
    case 'User':
    case 'FederatedUser':
      return caller.account !== null && p.accounts.has(caller.account) && p.arns.has(caller.arn)
    case 'AssumedRole':
      return (
        caller.account !== null &&
        p.accounts.has(caller.account) &&
        caller.roleArn !== undefined &&
        p.arns.has(caller.roleArn) &&
        p.arns.has(caller.arn)
      )
  }
}
