/**
 * Secrets out of a record: the members of requestParameters and responseElements that carry a
 * password, a secret key, a session token, a one-time code or an identity provider's assertion,
 * each either left out or replaced, as AWS's records do: in the fields' objects (redact), or as
 * their JSON text is written from what the request and the result hold (redactedTrailJson).
 */
import { defineMember } from './define-member.js'
import type { JsonArray, JsonValue } from './json-value.js'
import { lowerCamel } from './lower-camel.js'
import { trailDate } from './trail-date.js'
import { trailJson } from './trail-json.js'
import { jsonString } from '../store/json-string.js'

/**
 * The value CloudTrail writes in place of a member it will not show (its userIdentity
 * documentation for mistyped sign-in names; services' records such as Transfer Family's
 * `hostKey`). Used here for every secret AWS's IAM and STS records do not simply leave out.
 */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS'

/** What happens to a secret member: left out of the record, or kept with its value hidden. */
export type SecretTreatment = 'omit' | 'hide'

/**
 * The secret members, by lower-cased name (a request's names are matched without case: a
 * misspelt `password` that AWS would refuse is still a password). Every member of IAM's and
 * STS's models whose shape is `sensitive` is here (test/audit/model-tables.test.ts checks it
 * against botocore), and so are the secrets those models do not mark.
 *
 * Left out, as AWS's records leave them out: the password of CreateLoginProfile (its record
 * has `userName` and `passwordResetRequired` only), the secret key of CreateAccessKey and of
 * STS's credentials (their records show `accessKeyId` and no secret), and the other secrets a
 * response hands over once (service-specific credentials, a virtual MFA device's seed and QR
 * code). Sources: DataDog/stratus-red-team detonation logs of real CreateLoginProfile,
 * CreateAccessKey and GetFederationToken calls (2024).
 *
 * Hidden: STS's session token (AWS's records show it in full; here a token is a bearer
 * credential sealed by this server, and Gatehouse's trail holds no credential), the MFA codes
 * (TokenCode, AuthenticationCode1/2), SAML assertions, web identity and trade-in tokens, and
 * private keys.
 */
export const SECRET_MEMBERS: ReadonlyMap<string, SecretTreatment> = new Map([
  ['password', 'omit'],
  ['oldpassword', 'omit'],
  ['newpassword', 'omit'],
  ['secretaccesskey', 'omit'],
  ['servicepassword', 'omit'],
  ['servicecredentialsecret', 'omit'],
  ['base32stringseed', 'omit'],
  ['qrcodepng', 'omit'],
  ['sessiontoken', 'hide'],
  ['securitytoken', 'hide'],
  ['tokencode', 'hide'],
  ['authenticationcode1', 'hide'],
  ['authenticationcode2', 'hide'],
  ['samlassertion', 'hide'],
  ['webidentitytoken', 'hide'],
  ['tradeintoken', 'hide'],
  ['privatekey', 'hide'],
  ['addprivatekey', 'hide'],
])

/**
 * Whether a text holds a PEM private key, whatever member carries it: one pasted by mistake where
 * a public key or a certificate belongs (UploadSSHPublicKey, UploadSigningCertificate) is refused
 * by the call, but would otherwise sit in the record of the refusal.
 */
function holdsPrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)
}

/** How a member of this name is treated, or undefined for a member that is no secret. */
export function secretTreatment(name: string): SecretTreatment | undefined {
  return SECRET_MEMBERS.get(name.toLowerCase())
}

// Array.isArray does not narrow a readonly array type.
const isJsonArray = (value: JsonValue): value is JsonArray => Array.isArray(value)

/** Every string inside a value (the text of a secret, wherever it sits). */
export function collectStrings(value: JsonValue, into: Set<string>): void {
  if (typeof value === 'string') into.add(value)
  else if (isJsonArray(value)) for (const item of value) collectStrings(item, into)
  else if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) collectStrings(member, into)
  }
}

/**
 * The value with its secret members, at any depth, left out or hidden. The text of each secret
 * taken out is added to `secrets`, if given, so that the caller can keep it out of the rest of
 * the record (an error message that quotes a value). A value with no secret is returned as it is
 * (most are: copying them would change nothing), and so is each part without one.
 */
export function redact(value: JsonValue, secrets?: Set<string>): JsonValue {
  if (isJsonArray(value)) return redactArray(value, secrets)
  if (typeof value !== 'object' || value === null) return value
  // Copied once the first member changes: the members before it as they are.
  let kept: Record<string, JsonValue> | undefined
  const names = Object.keys(value)
  for (let at = 0; at < names.length; at += 1) {
    const name = names[at] as string
    const member = value[name] as JsonValue
    const treatment =
      typeof member === 'string' && holdsPrivateKey(member) ? 'hide' : secretTreatment(name)
    if (treatment === undefined) {
      const redacted = redact(member, secrets)
      if (kept !== undefined) defineMember(kept, name, redacted)
      else if (redacted !== member) {
        kept = copyOf(value, names, at)
        defineMember(kept, name, redacted)
      }
      continue
    }
    if (secrets !== undefined) collectStrings(member, secrets)
    kept ??= copyOf(value, names, at)
    if (treatment === 'hide') defineMember(kept, name, HIDDEN)
  }
  return kept ?? value
}

function redactArray(value: JsonArray, secrets: Set<string> | undefined): JsonArray {
  let copy: JsonValue[] | undefined
  for (let at = 0; at < value.length; at += 1) {
    const item = value[at] as JsonValue
    const redacted = redact(item, secrets)
    if (copy !== undefined) copy.push(redacted)
    else if (redacted !== item) {
      copy = value.slice(0, at)
      copy.push(redacted)
    }
  }
  return copy ?? value
}

/** A new object with the first `count` of the object's members (`names` are its keys). */
function copyOf(
  object: { readonly [member: string]: JsonValue },
  names: readonly string[],
  count: number,
): Record<string, JsonValue> {
  const copy: Record<string, JsonValue> = {}
  for (let at = 0; at < count; at += 1) {
    const name = names[at] as string
    defineMember(copy, name, object[name] as JsonValue)
  }
  return copy
}

/** HIDDEN as JSON. */
export const HIDDEN_JSON = jsonString(HIDDEN)

/** A member's name in a record, as JSON, and what redaction does with the member. */
export interface MemberName {
  readonly json: string
  readonly treatment: SecretTreatment | undefined
}

// Names are few (the APIs' members), but a request may send any: past the bound, the table
// starts again, and longer names are not kept.
const NAMES_LIMIT = 4096
const NAME_LENGTH_LIMIT = 128

function remembered(table: Map<string, MemberName>, key: string, name: string): MemberName {
  let found = table.get(key)
  if (found === undefined) {
    found = { json: jsonString(name), treatment: secretTreatment(name) }
    if (key.length > NAME_LENGTH_LIMIT) return found
    if (table.size >= NAMES_LIMIT) table.clear()
    table.set(key, found)
  }
  return found
}

const apiNames = new Map<string, MemberName>()
const keptNames = new Map<string, MemberName>()

/** Whether a name starts with A to Z. */
function startsUpper(name: string): boolean {
  const first = name.charCodeAt(0)
  return first >= 0x41 && first <= 0x5a
}

/**
 * The record's name of an API member (its lowerCamel form), for a name that starts with A to Z;
 * undefined for any other. Written directly, the members of an object are only those of the
 * object built member by member (defineMember) when no two names become one in lowerCamelCase
 * (`UserName` and `userName`) and none is an index (which an object, and JSON.stringify, put
 * first): no two names that start with A to Z become one, and none of them is an index.
 */
export function apiMemberName(name: string): MemberName | undefined {
  return startsUpper(name) ? remembered(apiNames, name, lowerCamel(name)) : undefined
}

/**
 * The record's name of a map's key, kept as it is, for a string that does not start with a digit
 * (an index: see apiMemberName); undefined for any other key.
 */
function keptMemberName(key: unknown): MemberName | undefined {
  if (typeof key !== 'string') return undefined
  const first = key.charCodeAt(0)
  if (first >= 0x30 && first <= 0x39) return undefined
  return remembered(keptNames, key, key)
}

/**
 * The JSON text of `redact(trailJson(value, service), found)`, written as the value is walked,
 * without the objects in between: undefined where the text could differ from that (a member name
 * that apiMemberName does not take, a map key that is not a string or starts with a digit), for
 * the caller to take the long way. `found`, if given, gets the text of each secret, as redact's
 * `secrets`; the caller adds them to its own only once the whole text is written.
 */
export function redactedTrailJson(
  value: unknown,
  service: string | undefined,
  found?: Set<string>,
): string | undefined {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string':
      return jsonString(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      // JSON.stringify writes a finite number as String does; trailJson makes the others text.
      return Number.isFinite(value) ? String(value) : jsonString(String(value))
    case 'bigint':
      return jsonString(value.toString())
    case 'object':
      break
    case 'undefined':
    case 'function':
    case 'symbol':
      // Functions and symbols, which trailJson makes null.
      return 'null'
  }
  if (value instanceof Date) return jsonString(trailDate(value, service))
  if (Array.isArray(value)) {
    let json = '['
    for (let at = 0; at < value.length; at += 1) {
      const item = redactedTrailJson(value[at], service, found)
      if (item === undefined) return undefined
      json += at === 0 ? item : `,${item}`
    }
    return `${json}]`
  }
  let json = ''
  if (value instanceof Map) {
    for (const [key, member] of value as Map<unknown, unknown>) {
      const name = keptMemberName(key)
      if (name === undefined) return undefined
      const written = redactedMember(name, member, service, found)
      if (written === undefined) return undefined
      if (written !== '') json += `${json === '' ? '{' : ','}${name.json}:${written}`
    }
  } else {
    const record = value as Readonly<Record<string, unknown>>
    for (const key of Object.keys(record)) {
      const member = record[key]
      // trailJson leaves undefined members out.
      if (member === undefined) continue
      const name = apiMemberName(key)
      if (name === undefined) return undefined
      const written = redactedMember(name, member, service, found)
      if (written === undefined) return undefined
      if (written !== '') json += `${json === '' ? '{' : ','}${name.json}:${written}`
    }
  }
  return json === '' ? '{}' : `${json}}`
}

/**
 * A member's value as redactedTrailJson writes it (the JSON of the member of that name redact
 * keeps of trailJson's value): '' for a member left out, undefined to take the long way. Of the
 * strings trailJson makes, only a string's own can hold a private key (a date, a bigint's digits
 * and a number's text cannot).
 */
export function redactedMember(
  name: MemberName,
  member: unknown,
  service: string | undefined,
  found: Set<string> | undefined,
): string | undefined {
  const treatment = typeof member === 'string' && holdsPrivateKey(member) ? 'hide' : name.treatment
  if (treatment === undefined) return redactedTrailJson(member, service, found)
  if (found !== undefined) collectStrings(trailJson(member, service), found)
  return treatment === 'hide' ? HIDDEN_JSON : ''
}
