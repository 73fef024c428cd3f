/**
 * The condition keys of AssumeRoleWithWebIdentity's request (IAM User Guide, "Available keys for
 * AWS web identity federation"), named after the IAM OIDC provider: `<host/path>:aud` (the
 * token's `azp` when it has one, else the audience of its `aud` that is one of the provider's
 * client ids, so that a token for several audiences meets `StringEquals` on the one the provider
 * trusts), `<host/path>:oaud` (the `aud`, when `azp` took its place), `<host/path>:sub` and
 * `<host/path>:amr`. Some providers' other claims are keys too
 * (`token.actions.githubusercontent.com:repository`, `gitlab.com:project_id`, ...): which ones
 * is the Service Authorization Reference's list for sts:AssumeRoleWithWebIdentity, read from the
 * action catalog, so that no provider's claims are a table written here.
 */
import type { JWTPayload } from 'jose'
import type { ContextValue } from '../../policy/index.js'
import { findAction } from '../action-catalog.js'

/** A provider-specific key of the reference: the providers it applies to, and its claim. */
interface ClaimKey {
  /** Matches the provider names (host and path) the key is written for. */
  readonly provider: RegExp
  readonly claim: string
}

const STANDARD_CLAIMS: ReadonlySet<string> = new Set(['aud', 'oaud', 'sub', 'amr'])

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The reference's provider-specific keys, e.g. `token.actions.${Domain}.ghe.com:actor` (the
 * variable stands for one or more characters other than `:`).
 */
const CLAIM_KEYS: readonly ClaimKey[] = (
  findAction('sts:AssumeRoleWithWebIdentity')?.conditionKeys ?? []
).flatMap((key) => {
  const colon = key.indexOf(':')
  const prefix = key.slice(0, colon)
  const claim = key.slice(colon + 1)
  // The global and STS keys are the request's, not a provider's.
  if (colon < 0 || prefix === 'aws' || prefix === 'sts' || STANDARD_CLAIMS.has(claim)) return []
  const pattern = prefix
    .split(/\$\{[^}]+\}/)
    .map(escapeRegExp)
    .join('[^:]+')
  return [{ provider: new RegExp(`^${pattern}$`, 'i'), claim }]
})

/** A claim as a condition key's value: text, or a list of texts; undefined for anything else. */
function claimValue(value: unknown): ContextValue | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value
  return undefined
}

/**
 * The request's condition keys from a verified token of the provider named `providerName`, whose
 * audience `audience` matched one of the provider's client ids.
 */
export function webIdentityConditionKeys(
  providerName: string,
  claims: JWTPayload,
  audience: string,
): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {}
  const set = (claim: string, value: unknown): void => {
    const v = claimValue(value)
    if (v !== undefined) keys[`${providerName}:${claim}`] = v
  }
  const azp = claims['azp']
  if (typeof azp === 'string') {
    set('aud', azp)
    set('oaud', claims.aud)
  } else {
    set('aud', audience)
  }
  set('sub', claims.sub)
  set('amr', claims['amr'])
  for (const key of CLAIM_KEYS) {
    if (key.provider.test(providerName)) set(key.claim, claims[key.claim])
  }
  return keys
}
