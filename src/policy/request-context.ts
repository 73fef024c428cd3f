/**
 * The authorization request as the engine sees it: who asks, for which action on which
 * resource, with which condition keys. Built once per request; evaluation only reads it.
 */
import type { ArnParts } from './arn.js'
import { splitArn } from './arn.js'
import { canonical, intern } from './intern.js'
import type { IpValue } from './conditions/ip-address.js'
import { parseIpValue } from './conditions/ip-address.js'

/** A condition key's value: single-valued keys are strings, multivalued keys are lists. */
export type ContextValue = string | readonly string[]

/** Condition keys by lower-case name (key names are case-insensitive, S12). */
export type RequestContext = ReadonlyMap<string, ContextValue>

/** The kinds of caller (aws:PrincipalType values plus the unsigned web-identity caller). */
export type PrincipalType =
  'User' | 'AssumedRole' | 'FederatedUser' | 'Account' | 'Service' | 'Anonymous' | 'WebIdentity'

/** Every principal type, in a stable order. */
export const PRINCIPAL_TYPES: readonly PrincipalType[] = [
  'User',
  'AssumedRole',
  'FederatedUser',
  'Account',
  'Service',
  'Anonymous',
  'WebIdentity',
]

/** The caller. */
export interface RequestPrincipal {
  readonly type: PrincipalType
  /** The caller as named in error messages: user, session, federated-user or root ARN; `anonymous`; a service name; an identity provider. */
  readonly arn: string
  /** The caller's account; null for anonymous callers and identity providers. */
  readonly account: string | null
  /** For role sessions: the role's ARN. */
  readonly roleArn?: string
  /** For federated users: the IAM user that called GetFederationToken. */
  readonly federatedFromUserArn?: string
  /** The unique id (AIDA... for users, the role's AROA... for sessions) when known. */
  readonly uniqueId?: string
}

/** The organization around the accounts, when SCPs or RCPs apply. */
export interface RequestOrganization {
  readonly id?: string
  readonly managementAccount?: string
  readonly memberAccounts?: readonly string[]
}

/** An authorization request, ready for evaluation. */
export interface AuthorizationRequest {
  readonly principal: RequestPrincipal
  /** The action as asked, e.g. `s3:GetObject` (used in messages). */
  readonly action: string
  /** The action in lower case (matching is case-insensitive). */
  readonly actionKey: string
  /** The service prefix in lower case, e.g. `s3`. */
  readonly service: string
  /** The resource ARN, or `*` for actions without a resource type. */
  readonly resource: string
  /** The resource's parts when it is an ARN. */
  readonly resourceParts: ArnParts | null
  /**
   * Every prefix of the resource ARN that ends at a `/` or `:`, so that policy patterns of the
   * form `...prefix/*` are a set lookup; null for ARNs with too many separators to list.
   */
  readonly resourcePrefixes: ReadonlySet<string> | null
  /** Addresses in the context (values of keys such as aws:SourceIp), parsed once per request. */
  readonly addresses: ReadonlyMap<string, IpValue | null>
  /** Whether the caller is a session of a service-linked role (SCPs do not apply, S24). */
  readonly serviceLinkedRole: boolean
  /** The account that owns the resource; null when unknown (then taken as the caller's). */
  readonly resourceAccount: string | null
  readonly context: RequestContext
  readonly organization: RequestOrganization | null
}

/** What a caller of buildRequest provides. */
export interface RequestInput {
  readonly principal: RequestPrincipal
  readonly action: string
  readonly resource: string
  readonly resourceAccount?: string | null
  /** Condition keys present in the request, names in any case. */
  readonly context?: Readonly<Record<string, ContextValue>>
  readonly organization?: RequestOrganization | null
}

/**
 * Builds the request context: the keys given, plus the identity keys that follow from the
 * principal (S17 "Principal key values"; S18) where the caller did not give them.
 */
export function buildRequestContext(
  principal: RequestPrincipal,
  values: Readonly<Record<string, ContextValue>> = {},
): RequestContext {
  return contextOf(principalEntries(principal), values)
}

/** The principal's identity keys, names and values canonical. */
function principalEntries(principal: RequestPrincipal): (readonly [string, string])[] {
  const entries: (readonly [string, string])[] = []
  const keys = principalKeys(principal)
  for (const key of Object.keys(keys)) entries.push([intern(key), canonical(keys[key] as string)])
  return entries
}

/** The request context: the principal's identity keys, then the keys given. */
function contextOf(
  identity: readonly (readonly [string, string])[],
  values: Readonly<Record<string, ContextValue>>,
): RequestContext {
  const context = new Map<string, ContextValue>()
  for (const [key, value] of identity) context.set(key, value)
  for (const key of Object.keys(values)) {
    const value = values[key] as ContextValue
    context.set(lowerKey(key), typeof value === 'string' ? canonical(value) : value.map(canonical))
  }
  return context
}

// Condition key names as written -> lower-cased and canonical: the same few names come with
// every request, and lower-casing each anew costs more than looking it up. Only looked up, not
// interned: clients name keys (aws:RequestTag/<anything>), and must not fill the intern table.
const LOWER_KEYS = new Map<string, string>()
const MAX_LOWER_KEYS = 10_000

function lowerKey(key: string): string {
  let lower = LOWER_KEYS.get(key)
  if (lower === undefined) {
    lower = canonical(key.toLowerCase())
    if (LOWER_KEYS.size < MAX_LOWER_KEYS) LOWER_KEYS.set(key, lower)
  }
  return lower
}

function principalKeys(principal: RequestPrincipal): Record<string, string> {
  const keys: Record<string, string> = {}
  const name = principal.arn.slice(principal.arn.lastIndexOf('/') + 1)
  switch (principal.type) {
    case 'User':
      keys['aws:principalarn'] = principal.arn
      keys['aws:username'] = name
      if (principal.uniqueId !== undefined) keys['aws:userid'] = principal.uniqueId
      break
    case 'AssumedRole':
      if (principal.roleArn !== undefined) keys['aws:principalarn'] = principal.roleArn
      if (principal.uniqueId !== undefined) keys['aws:userid'] = `${principal.uniqueId}:${name}`
      break
    case 'FederatedUser':
      keys['aws:principalarn'] = principal.arn
      if (principal.account !== null) keys['aws:userid'] = `${principal.account}:${name}`
      break
    case 'Account':
      keys['aws:principalarn'] = principal.arn
      if (principal.account !== null) keys['aws:userid'] = principal.account
      break
    case 'Anonymous':
      keys['aws:userid'] = 'anonymous'
      keys['aws:principalaccount'] = 'anonymous'
      keys['aws:principaltype'] = 'Anonymous'
      return keys
    case 'Service':
    case 'WebIdentity':
      return keys
  }
  if (principal.account !== null) keys['aws:principalaccount'] = principal.account
  keys['aws:principaltype'] = principal.type
  return keys
}

// What requests derive from the strings they share (the caller, the action, the resource), kept
// by text so that each is worked out once rather than per request. Each table is bounded and
// emptied when full: clients that name ever new strings cost speed, never memory.
const MAX_REMEMBERED = 4096

function remember<V>(table: Map<string, V>, key: string, value: V): V {
  if (table.size >= MAX_REMEMBERED) table.clear()
  table.set(key, value)
  return value
}

/** A principal as requests carry it: its strings interned, its identity keys derived. */
interface PreparedPrincipal {
  /** The principal it was prepared from, to tell apart principals that share an ARN. */
  readonly given: RequestPrincipal
  readonly principal: RequestPrincipal
  readonly keys: readonly (readonly [string, string])[]
  readonly serviceLinkedRole: boolean
}

const PRINCIPALS = new Map<string, PreparedPrincipal>()

function samePrincipal(a: RequestPrincipal, b: RequestPrincipal): boolean {
  return (
    a.type === b.type &&
    a.arn === b.arn &&
    a.account === b.account &&
    a.roleArn === b.roleArn &&
    a.federatedFromUserArn === b.federatedFromUserArn &&
    a.uniqueId === b.uniqueId
  )
}

function preparePrincipal(given: RequestPrincipal): PreparedPrincipal {
  const known = PRINCIPALS.get(given.arn)
  if (known !== undefined && (known.given === given || samePrincipal(known.given, given))) {
    return known
  }
  const principal: RequestPrincipal = {
    ...given,
    type: intern(given.type) as PrincipalType,
    arn: intern(given.arn),
    account: intern(given.account ?? accountOfArn(given) ?? '') || null,
    ...(given.roleArn === undefined ? {} : { roleArn: intern(given.roleArn) }),
    ...(given.federatedFromUserArn === undefined
      ? {}
      : { federatedFromUserArn: intern(given.federatedFromUserArn) }),
  }
  return remember(PRINCIPALS, given.arn, {
    given,
    principal,
    keys: principalEntries(principal),
    // Only role sessions can be service-linked; a stray roleArn on another caller means nothing.
    serviceLinkedRole:
      principal.type === 'AssumedRole' &&
      (principal.roleArn?.includes(':role/aws-service-role/') ?? false),
  })
}

/** An action lower-cased and interned, with its service prefix. */
interface PreparedAction {
  readonly key: string
  readonly service: string
}

const ACTIONS = new Map<string, PreparedAction>()

function prepareAction(action: string): PreparedAction {
  const known = ACTIONS.get(action)
  if (known !== undefined) return known
  const key = intern(action.toLowerCase())
  const colon = key.indexOf(':')
  return remember(ACTIONS, action, {
    key,
    service: intern(colon === -1 ? key : key.slice(0, colon)),
  })
}

/** A resource interned, with its ARN parts and separator prefixes. */
interface PreparedResource {
  readonly resource: string
  readonly parts: ArnParts | null
  readonly prefixes: ReadonlySet<string> | null
}

const RESOURCES = new Map<string, PreparedResource>()

function prepareResource(text: string): PreparedResource {
  const known = RESOURCES.get(text)
  if (known !== undefined) return known
  const resource = intern(text)
  return remember(RESOURCES, text, {
    resource,
    parts: splitArn(resource),
    prefixes: separatorPrefixes(resource),
  })
}

/** Builds an authorization request: lower-cases the action, splits the resource ARN, builds the context. */
export function buildRequest(input: RequestInput): AuthorizationRequest {
  const action = prepareAction(input.action)
  const prepared = preparePrincipal(input.principal)
  const target = prepareResource(input.resource)
  const context = contextOf(prepared.keys, input.context ?? {})
  return {
    principal: prepared.principal,
    action: input.action,
    actionKey: action.key,
    service: action.service,
    resource: target.resource,
    resourceParts: target.parts,
    resourcePrefixes: target.prefixes,
    serviceLinkedRole: prepared.serviceLinkedRole,
    resourceAccount: input.resourceAccount == null ? null : intern(input.resourceAccount),
    context,
    addresses: parseAddresses(context),
    organization:
      input.organization == null
        ? null
        : {
            ...input.organization,
            ...(input.organization.managementAccount === undefined
              ? {}
              : { managementAccount: intern(input.organization.managementAccount) }),
          },
  }
}

/** Past this many separators the prefix set is not built and patterns scan the string instead. */
const MAX_PREFIXES = 64

/** AWS's longest ARN; past it the prefix set (up to MAX_PREFIXES copies) is not worth its memory. */
const MAX_ARN_LENGTH = 2048

function separatorPrefixes(resource: string): ReadonlySet<string> | null {
  if (resource.length > MAX_ARN_LENGTH) return null
  const prefixes = new Set<string>()
  for (let i = 0; i < resource.length; i++) {
    const c = resource.charCodeAt(i)
    if (c === 0x2f || c === 0x3a) {
      if (prefixes.size >= MAX_PREFIXES) return null
      prefixes.add(intern(resource.slice(0, i + 1)))
    }
  }
  return prefixes
}

/** Parses the values of address-bearing keys (names ending in `ip`, e.g. aws:SourceIp, aws:VpcSourceIp). */
function parseAddresses(context: RequestContext): ReadonlyMap<string, IpValue | null> {
  const addresses = new Map<string, IpValue | null>()
  for (const [key, value] of context) {
    if (!key.endsWith('ip')) continue
    for (const text of typeof value === 'string' ? [value] : value) {
      addresses.set(text, parseIpValue(text))
    }
  }
  return addresses
}

/** The account of a signed caller whose input left it out, read from its ARN (e.g. arn:aws:iam::ACCOUNT:user/x). */
function accountOfArn(principal: RequestPrincipal): string | null {
  const signed =
    principal.type === 'User' ||
    principal.type === 'AssumedRole' ||
    principal.type === 'FederatedUser' ||
    principal.type === 'Account'
  if (!signed) return null
  const account = splitArn(principal.arn)?.[4]
  return account !== undefined && /^\d{12}$/.test(account) ? account : null
}
