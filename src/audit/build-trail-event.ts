/**
 * An answered API call as a CloudTrail record (CloudTrail User Guide, "record contents" and
 * "userIdentity element", event version 1.08), with the fields LookupEvents filters on. Pure:
 * the time, the ids and everything else come in the AuditEvent, so the same call always makes
 * the same record, byte for byte.
 */
import type { Caller } from '../auth/caller.js'
import type { TrailAccess, TrailEvent } from '../store/trail-store.js'
import type { AuditEvent } from './audit-event.js'
import { buildConsoleSignInEvent } from './console-sign-in-event.js'
import type { JsonValue } from './json-value.js'
import { HIDDEN, redact, secretTreatment } from './redact.js'
import { jsonString, recurringJsonString } from '../store/json-string.js'
import { requestParameters, requestParametersJson } from './request-parameters.js'
import type { AnsweredCall } from './response-elements.js'
import { responseElements, responseElementsJson } from './response-elements.js'
import { isoSeconds } from '../protocol/iso-seconds.js'
import { trailErrorCode } from './trail-error-code.js'
import { recordResources, trailResources } from './trail-resources.js'
import { lookupUsername, userIdentityJson } from './user-identity.js'

/** The record format's version ("The current version is 1.08" when this was written). */
export const EVENT_VERSION = '1.08'

/**
 * requestParameters and responseElements are at most 100 KB each (record contents page).
 * CloudTrail "truncates a field if the field content exceeds the maximum field size. If a field
 * is truncated, omitted is present with a value of true": a member cut short would be a lie
 * about the request, so the whole field is replaced by `{"omitted": true}`.
 */
export const MAX_PAYLOAD_BYTES = 100 * 1024

/** userAgent, errorCode and errorMessage are at most 1 KB each (record contents page). */
export const MAX_TEXT_BYTES = 1024

/**
 * The eventName of a request that named no readable Action (an unreadable form, MissingAction).
 * AWS records no such request; LookupEvents needs a name to file it under, and `Unknown` pairs
 * with the userIdentity type such a request gets. Its errorCode says what was wrong.
 */
export const UNKNOWN_EVENT_NAME = 'Unknown'

// The record's JSON up to userIdentity's value.
const RECORD_START = `{"eventVersion":${JSON.stringify(EVENT_VERSION)},"userIdentity":`

// STS's API version: a request that was not routed (no readable signature) but says it is for
// STS is filed under STS; anything else under IAM, the endpoint's first service.
const STS_VERSION = '2011-06-15'

// Shorter secrets are not searched for in the error message: a two-letter "secret" would cut
// every word that contains it, and no secret AWS accepts is that short (MFA codes have six
// digits, and a password is never quoted in an error: read-params marks it sensitive).
const MIN_SCRUBBED_LENGTH = 4

/** The text cut to at most `max` UTF-8 bytes, never inside a character. */
function truncateUtf8(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text
  let bytes = 0
  let end = 0
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8')
    if (bytes + size > max) break
    bytes += size
    end += char.length
  }
  return text.slice(0, end)
}

/**
 * The field's JSON, or null for one that redaction emptied (ChangePassword's two passwords), as
 * for a call without parameters.
 */
function fieldJson(field: JsonValue): string {
  if (field === null) return 'null'
  if (typeof field === 'object' && !Array.isArray(field) && Object.keys(field).length === 0) {
    return 'null'
  }
  return JSON.stringify(field)
}

// A field over the bound is written as this instead.
const OMITTED = JSON.stringify({ omitted: true })

/** The field's JSON, or `{"omitted": true}` when it is over 100 KB. */
function bounded(json: string): string {
  return Buffer.byteLength(json, 'utf8') > MAX_PAYLOAD_BYTES ? OMITTED : json
}

/**
 * The record's JSON, its requestParameters and responseElements bounded. Each field's JSON is a
 * part of the record's, so a record within the bound (a UTF-8 byte is at least a third of a
 * UTF-16 unit's bytes) has both fields within it: only a larger one is measured field by field.
 */
function recordText(head: string, parameters: string, response: string, tail: string): string {
  const text = `${head},"requestParameters":${parameters},"responseElements":${response}${tail}`
  if (text.length * 3 <= MAX_PAYLOAD_BYTES) return text
  if (Buffer.byteLength(text, 'utf8') <= MAX_PAYLOAD_BYTES) return text
  return `${head},"requestParameters":${bounded(parameters)},"responseElements":${bounded(response)}${tail}`
}

/**
 * The secrets of the raw parameters, wherever their name puts them (`Password`,
 * `Foo.member.1.TokenCode`, `X-Amz-Security-Token`), including any that a malformed name kept
 * out of requestParameters.
 */
function rawSecrets(parameters: Readonly<Record<string, unknown>> | undefined, into: Set<string>) {
  if (parameters === undefined) return
  for (const name of Object.keys(parameters)) {
    const value = parameters[name]
    if (typeof value === 'string' && namesSecret(name)) into.add(value)
  }
}

/** Whether any segment of a raw parameter's name names a secret. */
function namesSecret(name: string): boolean {
  // Most names are one segment: nothing to split.
  return name.includes('.') ? name.split('.').some(segmentNamesSecret) : segmentNamesSecret(name)
}

function segmentNamesSecret(segment: string): boolean {
  // Most have no hyphen either: nothing to take out.
  const bare = segment.includes('-') ? segment.replace(/^x-amz-/i, '').replaceAll('-', '') : segment
  return secretTreatment(bare) !== undefined
}

/** The text with every secret replaced, longest first (so that no part of one survives). */
function scrub(text: string, secrets: ReadonlySet<string>): string {
  let scrubbed = text
  const longestFirst = [...secrets]
    .filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH)
    .sort((a, b) => b.length - a.length)
  for (const secret of longestFirst) scrubbed = scrubbed.replaceAll(secret, HIDDEN)
  return scrubbed
}

/** The service a request is filed under: the one it was routed to, else what its Version says. */
function serviceOf(event: AuditEvent): string {
  if (event.service !== undefined) return event.service
  return event.apiVersion === STS_VERSION ? 'sts' : 'iam'
}

/**
 * The IAM entity Access Advisor charges a caller's attempts to: a user (with its own keys or
 * GetSessionToken's), or the role of a role session. The root user and federated users are no
 * IAM entity a report can be asked about.
 */
function chargedEntity(caller: Caller): string | undefined {
  switch (caller.kind) {
    case 'user':
    case 'userSession':
      return caller.user.userId
    case 'assumedRole':
      return caller.role.roleId
    case 'root':
    case 'rootSession':
    case 'federatedUser':
      return undefined
  }
}

/** The attempt a call shows (Access Advisor), if it reached authorization. */
function accessOf(event: AuditEvent, awsRegion: string): TrailAccess | undefined {
  if (event.attempted === undefined || event.caller === undefined) return undefined
  const entityId = chargedEntity(event.caller)
  const colon = event.attempted.indexOf(':')
  if (entityId === undefined || colon <= 0) return undefined
  return {
    entityId,
    service: event.attempted.slice(0, colon),
    action: event.attempted.slice(colon + 1),
    region: awsRegion,
  }
}

/**
 * `,"name":value` as JSON.stringify writes a member of an object, or nothing for a value it leaves
 * out (undefined).
 */
function member(prefix: string, value: unknown): string {
  if (typeof value === 'string') return prefix + jsonString(value)
  if (typeof value === 'boolean') return value ? `${prefix}true` : `${prefix}false`
  const json = JSON.stringify(value) as string | undefined
  return json === undefined ? '' : prefix + json
}

/** member, for a value that recurs (recurringJsonString). */
function recurringMember(prefix: string, value: unknown): string {
  return typeof value === 'string' ? prefix + recurringJsonString(value) : member(prefix, value)
}

// The last second's eventTime member: the calls of one second share it.
let lastTime = ''
let lastTimeMember = ''

/** `,"eventTime":"..."`. */
function timeMember(eventTime: Date): string {
  const time = isoSeconds(eventTime)
  if (time !== lastTime) {
    lastTimeMember = `,"eventTime":${jsonString(time)}`
    lastTime = time
  }
  return lastTimeMember
}

// The last userAgent and its member's text: a client sends the same one with every call.
let lastUserAgent: string | undefined
let lastUserAgentMember = ''

/** `,"userAgent":"..."`, cut to 1 KB, or nothing without one. */
function userAgentMember(userAgent: string | undefined): string {
  if (userAgent === undefined) return ''
  if (userAgent === lastUserAgent) return lastUserAgentMember
  const text = `,"userAgent":${jsonString(truncateUtf8(userAgent, MAX_TEXT_BYTES))}`
  lastUserAgent = userAgent
  lastUserAgentMember = text
  return text
}

/** `,"errorCode":"...","errorMessage":"..."`, the message without the request's secrets. */
function errorMembers(
  error: NonNullable<AuditEvent['error']>,
  secrets: ReadonlySet<string>,
): string {
  return (
    recurringMember(',"errorCode":', truncateUtf8(trailErrorCode(error.code), MAX_TEXT_BYTES)) +
    member(',"errorMessage":', truncateUtf8(scrub(error.message, secrets), MAX_TEXT_BYTES))
  )
}

// The last service's eventSource: one text for its calls, which recurringJsonString hashes once
// (a new one for every call would be hashed, and so copied out of its parts, every time).
let lastService = ''
let lastEventSource = ''

/** `<service>.amazonaws.com`. */
function eventSourceOf(service: string): string {
  if (service !== lastService) {
    lastEventSource = `${service}.amazonaws.com`
    lastService = service
  }
  return lastEventSource
}

/** The CloudTrail record of an answered call, and what LookupEvents finds it by. */
export function buildTrailEvent(event: AuditEvent): TrailEvent {
  if (event.consoleSignIn !== undefined) return buildConsoleSignInEvent(event, event.consoleSignIn)
  const service = serviceOf(event)
  const eventName = event.action ?? UNKNOWN_EVENT_NAME
  const eventSource = eventSourceOf(service)
  const error = event.error
  const failed = error !== undefined
  // The secrets only matter to an error message, which may quote them: a call that succeeded
  // has none to scrub, and gathers none.
  const secrets = failed ? new Set<string>() : undefined
  if (secrets !== undefined) rawSecrets(event.parameters, secrets)

  // The fields' JSON, written as the parameters and the result are walked; the long way (their
  // objects, redacted, then stringified) for what that cannot write.
  const parametersJson =
    requestParametersJson(event.parameters, service, secrets) ??
    fieldJson(redact(requestParameters(event.parameters, service), secrets))
  const call: AnsweredCall = {
    service,
    action: event.action,
    readOnly: event.readOnly,
    result: event.result,
    failed,
  }
  const responseJson = responseElementsJson(call) ?? fieldJson(redact(responseElements(call)))
  const resources = recordResources(service, event.action, event.parameters)

  // IAM is a global service: AWS records its events in us-east-1 whatever endpoint region was
  // signed for. STS records the region of the endpoint called (us-east-1 for the global one).
  const awsRegion = service === 'iam' ? 'us-east-1' : (event.region ?? 'us-east-1')

  // The record's JSON written member by member, as JSON.stringify would write the object of
  // these members in this order (each value is JSON.stringify's): one stringify of the whole
  // record, with its object of spreads, cost more, and a long-term key's userIdentity is kept.
  const identity = userIdentityJson(event.caller, event.accessKeyId, event.identityWithoutCaller)
  const head =
    RECORD_START +
    identity +
    timeMember(event.eventTime) +
    recurringMember(',"eventSource":', eventSource) +
    recurringMember(',"eventName":', eventName) +
    recurringMember(',"awsRegion":', awsRegion) +
    recurringMember(',"sourceIPAddress":', event.sourceIp) +
    userAgentMember(event.userAgent) +
    (error === undefined || secrets === undefined ? '' : errorMembers(error, secrets))
  const tail =
    member(',"requestID":', event.requestId) +
    member(',"eventID":', event.eventId) +
    member(',"readOnly":', event.readOnly) +
    (resources === undefined ? '' : `,"resources":${JSON.stringify(resources)}`) +
    ',"eventType":"AwsApiCall","managementEvent":true' +
    (event.accountId === undefined
      ? ''
      : recurringMember(',"recipientAccountId":', event.accountId)) +
    ',"eventCategory":"Management"}'

  const access = event.accountId === undefined ? undefined : accessOf(event, awsRegion)
  const trail: { -readonly [K in keyof TrailEvent]: TrailEvent[K] } = {
    eventId: event.eventId,
    eventTime: event.eventTime,
    eventName,
    eventSource,
    readOnly: event.readOnly,
    username: lookupUsername(event.caller, event.identityWithoutCaller),
    accessKeyId: event.caller?.accessKeyId ?? event.accessKeyId ?? null,
    resources: trailResources(event.parameters, failed ? undefined : event.result),
    accountId: event.accountId ?? null,
    record: recordText(head, parametersJson, responseJson, tail),
  }
  if (access !== undefined) trail.access = access
  return trail
}
