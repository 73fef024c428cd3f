/**
 * ListPoliciesGrantingServiceAccess: which of an identity's permissions policies allow anything
 * in each of the services asked about, by the same reading of the policies as Access Advisor's
 * reports ("It only applies permissions policy logic"). Pure.
 */
import type { PolicyDocument } from '../policy/index.js'
import { allowedActions } from './allowed-actions.js'
import type { ServiceCatalog } from './service-catalog.js'

/** A permissions policy of the identity, or of one of its groups. */
export interface GrantingCandidate {
  readonly name: string
  readonly type: 'INLINE' | 'MANAGED'
  /** Managed policies only. */
  readonly arn?: string
  /** Inline policies only: the user, group or role it is embedded in. */
  readonly entity?: { readonly type: 'USER' | 'GROUP' | 'ROLE'; readonly name: string }
  readonly document: PolicyDocument
}

/** One service asked about, with the policies that allow something in it. */
export interface ServiceGrants {
  readonly namespace: string
  readonly policies: readonly GrantingCandidate[]
}

/**
 * For each namespace asked about (in the order asked, once each), the candidates that allow
 * some action of it. A namespace the reference does not list is allowed by none.
 */
export function policiesGrantingAccess(
  candidates: readonly GrantingCandidate[],
  namespaces: readonly string[],
  catalog: ServiceCatalog,
): ServiceGrants[] {
  const asked = [...new Set(namespaces.map((n) => n.toLowerCase()))]
  const services: ServiceCatalog = new Map(
    asked.flatMap((n) => {
      const service = catalog.get(n)
      return service === undefined ? [] : [[n, service] as const]
    }),
  )
  const allowedBy = candidates.map(
    (candidate) => [candidate, allowedActions([candidate.document], services)] as const,
  )
  return asked.map((namespace) => ({
    namespace,
    policies: allowedBy.filter(([, allowed]) => allowed.has(namespace)).map(([c]) => c),
  }))
}
