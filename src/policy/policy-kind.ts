/**
 * The kinds of policy document. Which elements a document may or must carry depends on where it
 * is attached, so the kind is an explicit input of parsing, never guessed.
 */

/** Where a policy document is used. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'session' | 'scp' | 'rcp'

/** Every kind, in a stable order (for command-line validation and tests). */
export const POLICY_KINDS: readonly PolicyKind[] = [
  'identity',
  'resource',
  'trust',
  'boundary',
  'session',
  'scp',
  'rcp',
]

/** What a kind allows and requires. */
export interface PolicyKindRules {
  /** `Principal`/`NotPrincipal` must appear ('required'), may not ('prohibited'). */
  readonly principal: 'required' | 'prohibited'
  /** Whether `NotPrincipal` is accepted where a principal is required. */
  readonly notPrincipal: boolean
  /** `Resource`/`NotResource` must appear ('required') or must not ('prohibited'). */
  readonly resource: 'required' | 'prohibited'
  /** IAM's own documents accept only alphanumeric Sids; other services' resource policies accept more. */
  readonly alphanumericSid: boolean
  /** RCPs accept only the current language version. */
  readonly requiresCurrentVersion: boolean
  /**
   * Whose wording faults take: IAM's identity-policy parser, or the resource-policy parser that
   * role trust policies share with S3 and DynamoDB ("This policy contains invalid Json").
   */
  readonly parser: 'identity' | 'resource'
  /** Trust policies may only name STS's assume-role actions. */
  readonly assumeRoleActionsOnly: boolean
  /** Whether the bare string `"Principal": "*"` is accepted (trust policies want `{"AWS": "*"}`). */
  readonly bareStarPrincipal: boolean
  /** Whether a refused principal is quoted back (`"AWS":"value"`, IAM) or not (S3). */
  readonly quoteInvalidPrincipal: boolean
}

/** The rules per kind; sources are the IAM grammar, Principal and NotPrincipal pages and the RCP syntax page. */
export const POLICY_KIND_RULES: Readonly<Record<PolicyKind, PolicyKindRules>> = {
  identity: {
    principal: 'prohibited',
    notPrincipal: false,
    resource: 'required',
    alphanumericSid: true,
    requiresCurrentVersion: false,
    parser: 'identity',
    assumeRoleActionsOnly: false,
    bareStarPrincipal: true,
    quoteInvalidPrincipal: true,
  },
  boundary: {
    principal: 'prohibited',
    notPrincipal: false,
    resource: 'required',
    alphanumericSid: true,
    requiresCurrentVersion: false,
    parser: 'identity',
    assumeRoleActionsOnly: false,
    bareStarPrincipal: true,
    quoteInvalidPrincipal: true,
  },
  session: {
    principal: 'prohibited',
    notPrincipal: false,
    resource: 'required',
    alphanumericSid: true,
    requiresCurrentVersion: false,
    parser: 'identity',
    assumeRoleActionsOnly: false,
    bareStarPrincipal: true,
    quoteInvalidPrincipal: true,
  },
  scp: {
    principal: 'prohibited',
    notPrincipal: false,
    resource: 'required',
    alphanumericSid: true,
    requiresCurrentVersion: false,
    parser: 'identity',
    assumeRoleActionsOnly: false,
    bareStarPrincipal: true,
    quoteInvalidPrincipal: true,
  },
  resource: {
    principal: 'required',
    notPrincipal: true,
    resource: 'required',
    alphanumericSid: false,
    requiresCurrentVersion: false,
    parser: 'resource',
    assumeRoleActionsOnly: false,
    bareStarPrincipal: true,
    quoteInvalidPrincipal: false,
  },
  // A role trust policy names who may assume the role; the role itself is the resource.
  trust: {
    principal: 'required',
    notPrincipal: false,
    resource: 'prohibited',
    alphanumericSid: true,
    requiresCurrentVersion: false,
    parser: 'resource',
    assumeRoleActionsOnly: true,
    bareStarPrincipal: false,
    quoteInvalidPrincipal: true,
  },
  rcp: {
    principal: 'required',
    notPrincipal: false,
    resource: 'required',
    alphanumericSid: true,
    requiresCurrentVersion: true,
    parser: 'identity',
    assumeRoleActionsOnly: false,
    bareStarPrincipal: true,
    quoteInvalidPrincipal: true,
  },
}

/** Type guard for a kind name given on a command line or in a case file. */
export function isPolicyKind(value: string): value is PolicyKind {
  return (POLICY_KINDS as readonly string[]).includes(value)
}
