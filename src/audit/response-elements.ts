/**
 * CloudTrail's responseElements: the result of a call that changes something, its members in
 * lowerCamelCase and its dates as the service prints them (`"createDate": "Aug 1, 2024 1:33:28
 * PM"` in IAM's CreateUser records). CloudTrail's record contents: present "for actions that
 * make changes (create, update, or delete actions)"; a read gets null, as GetCallerIdentity's
 * and GetRole's records show, and so does a failed call. Secrets are not handled here: the
 * caller redacts the result.
 */
import type { JsonObject } from './json-value.js'
import { trailJson } from './trail-json.js'

/**
 * STS's calls that issue credentials. Gatehouse runs them in read-only transactions (they write
 * nothing), but AWS records what they return: AssumeRole's example in the IAM User Guide and
 * GetFederationToken's records carry `credentials` (key id and expiry), `assumedRoleUser` or
 * `federatedUser`, and `packedPolicySize`.
 */
const ISSUES_CREDENTIALS: ReadonlySet<string> = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'AssumeRoot',
  'GetDelegatedAccessToken',
  'GetFederationToken',
  'GetScopedCredentials',
  'GetSessionToken',
])

/** What responseElements is told about the call. */
export interface AnsweredCall {
  readonly service: string | undefined
  readonly action: string | undefined
  readonly readOnly: boolean
  /** The result members, for a call that succeeded. */
  readonly result: Readonly<Record<string, unknown>> | undefined
  readonly failed: boolean
}

/** The call's responseElements (before redaction), or null. */
export function responseElements(call: AnsweredCall): JsonObject | null {
  if (call.failed || call.result === undefined) return null
  const issues = call.service === 'sts' && ISSUES_CREDENTIALS.has(call.action ?? '')
  if (call.readOnly && !issues) return null
  const elements = trailJson(call.result, call.service) as JsonObject
  // An operation without output (DeleteUser, AttachUserPolicy) has null, as in AWS's records.
  return Object.keys(elements).length === 0 ? null : elements
}
