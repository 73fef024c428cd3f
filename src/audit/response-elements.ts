/**
 * CloudTrail's responseElements: the result of a call that changes something, its members in
 * lowerCamelCase and its dates as the service prints them (`"createDate": "Aug 1, 2024 1:33:28
 * PM"` in IAM's CreateUser records). CloudTrail's record contents: present "for actions that
 * make changes (create, update, or delete actions)"; a read gets null, as GetCallerIdentity's
 * and GetRole's records show, and so does a failed call. responseElements leaves secrets to the
 * caller, which redacts the result; responseElementsJson writes the record's text of them,
 * redacted, without the objects in between.
 */
import type { JsonObject } from './json-value.js'
import { redactedTrailJson } from './redact.js'
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

/** Whether the call's record has responseElements (unless they are empty). */
function answersWithElements(call: AnsweredCall): boolean {
  if (call.failed || call.result === undefined) return false
  const issues = call.service === 'sts' && ISSUES_CREDENTIALS.has(call.action ?? '')
  return !call.readOnly || issues
}

/** The call's responseElements (before redaction), or null. */
export function responseElements(call: AnsweredCall): JsonObject | null {
  if (!answersWithElements(call)) return null
  const elements = trailJson(call.result, call.service) as JsonObject
  // An operation without output (DeleteUser, AttachUserPolicy) has null, as in AWS's records.
  return Object.keys(elements).length === 0 ? null : elements
}

/**
 * The record's responseElements as JSON text: JSON.stringify of `redact(responseElements(call))`,
 * or null for an object that redaction emptied, written as the result is walked (see
 * redactedTrailJson). Undefined where the text could differ from that, for the caller to take
 * the long way.
 */
export function responseElementsJson(call: AnsweredCall): string | undefined {
  if (!answersWithElements(call)) return 'null'
  const result = call.result
  // Anything but a result's plain structure (none that an operation returns) the long way.
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined
  if (result instanceof Date || result instanceof Map) return undefined
  const json = redactedTrailJson(result, call.service)
  return json === '{}' ? 'null' : json
}
