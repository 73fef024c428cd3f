/**
 * The last step of a successful awsQuery request: the handler's result as the XML body IAM and
 * STS send, `<XResponse><XResult>…</XResult><ResponseMetadata>…</ResponseMetadata></XResponse>`.
 */
import { QUERY_XML_NAMESPACES, escapeXml } from '../../errors/query-error-xml.js'
import type { QueryService } from '../../errors/query-error-xml.js'
import type { XmlValue } from './xml-value.js'
import { keepMarkup, keptMarkup } from './encode-once.js'

// SECURITY: element names come from code, never from a request, but they are checked anyway:
// a name is written into the markup unescaped, so it must not be able to carry any.
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]*$/
const MEMBER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

type Structure = { readonly [member: string]: XmlValue | undefined }

/** An element name and its markup, worked out once. */
interface Tags {
  readonly name: string
  readonly open: string
  readonly close: string
  readonly empty: string
}

/** The markup of an action's response, around its result. */
interface Envelope {
  readonly open: string
  readonly close: string
  readonly result: Tags
}

// Every request sends the same few names, so their markup is kept rather than rebuilt and their
// check rather than redone: every key of TAGS matches MEMBER_NAME, every key of ENVELOPES
// ACTION_NAME. The names come from code, so the bounds are never reached; they only keep a
// caller that makes up names from growing the maps without end.
const TAGS = new Map<string, Tags>()
const ENVELOPES = new Map<string, Envelope>()
const MAX_NAMES = 4096
const MEMBER_TAGS = tagsOf('member')
const VALUE_TAGS = tagsOf('value')

// The cached users' CreateDates are the same instants on every request, and formatting one
// costs more than the rest of its element. Keyed by the time value, not by the Date, so that a
// Date changed after its first response is formatted anew; a full cache starts over.
const TIMESTAMPS = new Map<number, string>()
const MAX_TIMESTAMPS = 4096
// 00 to 99 and 000 to 999: the fields of a timestamp.
const DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'))
const MILLIS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'))

function tagsOf(name: string): Tags {
  let tags = TAGS.get(name)
  if (tags === undefined) {
    tags = { name, open: `<${name}>`, close: `</${name}>`, empty: `<${name}/>` }
    if (TAGS.size < MAX_NAMES) TAGS.set(name, tags)
  }
  return tags
}

function memberTags(name: string): Tags {
  const tags = TAGS.get(name)
  if (tags !== undefined) return tags
  if (!MEMBER_NAME.test(name)) throw new TypeError(`encodeXml: '${name}' is not a member name`)
  return tagsOf(name)
}

function envelopeOf(action: string): Envelope {
  let envelope = ENVELOPES.get(action)
  if (envelope === undefined) {
    if (!ACTION_NAME.test(action)) throw new TypeError(`encodeXml: '${action}' is not an action`)
    envelope = {
      open: `<${action}Response xmlns="`,
      close: `</${action}Response>`,
      result: tagsOf(`${action}Result`),
    }
    if (ENVELOPES.size < MAX_NAMES) ENVELOPES.set(action, envelope)
  }
  return envelope
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value
}

function timestamp(date: Date): string {
  const time = date.getTime()
  const cached = TIMESTAMPS.get(time)
  if (cached !== undefined) return cached
  const year = date.getUTCFullYear()
  // NaN for an invalid Date; a year beyond four digits has no RFC 3339 form.
  if (!(year >= 0 && year <= 9999))
    throw new RangeError(`encodeXml: no ISO 8601 form for year ${year}`)
  // toISOString's form, YYYY-MM-DDTHH:mm:ss.sssZ, built from the fields at a third of its cost.
  // AWS sends both forms (2012-09-21T23:03:13Z, 2013-06-08T03:20:41.270Z) and every client
  // reads both; whole seconds go without a fraction, as Smithy's protocol tests expect.
  const seconds =
    `${DIGITS[Math.floor(year / 100)]}${DIGITS[year % 100]}-${DIGITS[date.getUTCMonth() + 1]}` +
    `-${DIGITS[date.getUTCDate()]}T${DIGITS[date.getUTCHours()]}` +
    `:${DIGITS[date.getUTCMinutes()]}:${DIGITS[date.getUTCSeconds()]}`
  const millis = date.getUTCMilliseconds()
  const text = millis === 0 ? `${seconds}Z` : `${seconds}.${MILLIS[millis]}Z`
  if (TIMESTAMPS.size >= MAX_TIMESTAMPS) TIMESTAMPS.clear()
  TIMESTAMPS.set(time, text)
  return text
}

function element(tags: Tags, value: XmlValue): string {
  if (typeof value === 'string') return tags.open + escapeXml(value) + tags.close
  if (typeof value === 'boolean') return tags.open + (value ? 'true' : 'false') + tags.close
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RangeError(`encodeXml: ${value} is not a number AWS sends`)
    return tags.open + String(value) + tags.close
  }
  // What typeof says of an XmlValue; plain JavaScript can still pass null, a function or a bigint.
  if (typeof value !== 'object' || (value as unknown) === null) {
    throw new TypeError(
      `encodeXml: <${tags.name}> would hold ${describe(value)}, not a value to send`,
    )
  }
  return container(tags, value)
}

function container(tags: Tags, value: Exclude<XmlValue, string | number | boolean>): string {
  if (Array.isArray(value)) {
    const list = value as readonly XmlValue[]
    // SDK v3 and botocore read `<Users/>` as an empty list (reference §1.2).
    if (list.length === 0) return tags.empty
    const kept = keptMarkup(list)
    if (typeof kept === 'string') return tags.open + kept + tags.close
    let markup = ''
    for (const item of list) markup += element(MEMBER_TAGS, item)
    if (kept === null) keepMarkup(list, markup)
    return tags.open + markup + tags.close
  }
  if (value instanceof Map) {
    const map = value as ReadonlyMap<string, XmlValue>
    if (map.size === 0) return tags.empty
    let out = tags.open
    for (const [key, item] of map) {
      out += `<entry><key>${escapeXml(key)}</key>${element(VALUE_TAGS, item)}</entry>`
    }
    return out + tags.close
  }
  if (value instanceof Date) return tags.open + timestamp(value) + tags.close
  const inner = members(value as Structure)
  // Every member is at least its tags, so nothing inside is a structure without members.
  return inner === '' ? tags.empty : tags.open + inner + tags.close
}

function members(structure: Structure): string {
  let out = ''
  for (const name of Object.keys(structure)) {
    const value = structure[name]
    if (value === undefined) continue
    out += element(memberTags(name), value)
  }
  return out
}

/**
 * Renders an operation's result as the awsQuery response body of `service`: the members of
 * `result` in their order inside `<{action}Result>`, then the request id; with no result (an
 * operation without output, such as DeleteUser) only the ResponseMetadata.
 */
export function encodeXml(
  service: QueryService,
  action: string,
  result: Structure | undefined,
  requestId: string,
): string {
  const envelope = envelopeOf(action)
  let out = `${envelope.open}${QUERY_XML_NAMESPACES[service]}">`
  // botocore looks the Result element up and fails without it, so an operation with output
  // always sends one, even with no members (reference §1.2).
  if (result !== undefined) out += element(envelope.result, result)
  return `${out}<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>${envelope.close}`
}
