/**
 * The last step of a successful awsQuery request: the handler's result as the XML body IAM and
 * STS send, `<XResponse><XResult>…</XResult><ResponseMetadata>…</ResponseMetadata></XResponse>`.
 */
import { QUERY_XML_NAMESPACES, escapeXml } from '../../errors/query-error-xml.js'
import type { QueryService } from '../../errors/query-error-xml.js'
import type { XmlValue } from './xml-value.js'

// SECURITY: element names come from code, never from a request, but they are checked anyway:
// a name is written into the markup unescaped, so it must not be able to carry any.
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]*$/
const MEMBER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/
// What typeof says of an XmlValue; plain JavaScript can still pass null, a function or a bigint.
const SENDABLE = new Set(['string', 'number', 'boolean', 'object'])

type Structure = { readonly [member: string]: XmlValue | undefined }

function isList(value: XmlValue): value is readonly XmlValue[] {
  return Array.isArray(value)
}

function isMap(value: XmlValue): value is ReadonlyMap<string, XmlValue> {
  return value instanceof Map
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value
}

function timestamp(date: Date): string {
  const year = date.getUTCFullYear()
  // NaN for an invalid Date; a year beyond four digits has no RFC 3339 form.
  if (!(year >= 0 && year <= 9999))
    throw new RangeError(`encodeXml: no ISO 8601 form for year ${year}`)
  // AWS sends both forms (2012-09-21T23:03:13Z, 2013-06-08T03:20:41.270Z) and every client
  // reads both; whole seconds go without a fraction, as Smithy's protocol tests expect.
  return date.toISOString().replace('.000Z', 'Z')
}

function scalar(value: string | number | boolean | Date): string {
  if (typeof value === 'string') return escapeXml(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RangeError(`encodeXml: ${value} is not a number AWS sends`)
    return String(value)
  }
  return timestamp(value)
}

function element(name: string, value: XmlValue, out: string[]): void {
  if (value === null || !SENDABLE.has(typeof value)) {
    throw new TypeError(`encodeXml: <${name}> would hold ${describe(value)}, not a value to send`)
  }
  if (isList(value)) {
    if (value.length === 0) {
      // SDK v3 and botocore read `<Users/>` as an empty list (reference §1.2).
      out.push(`<${name}/>`)
      return
    }
    out.push(`<${name}>`)
    for (const item of value) element('member', item, out)
    out.push(`</${name}>`)
  } else if (isMap(value)) {
    if (value.size === 0) {
      out.push(`<${name}/>`)
      return
    }
    out.push(`<${name}>`)
    for (const [key, item] of value) {
      out.push(`<entry><key>${escapeXml(key)}</key>`)
      element('value', item, out)
      out.push('</entry>')
    }
    out.push(`</${name}>`)
  } else if (typeof value === 'object' && !(value instanceof Date)) {
    const start = out.length
    out.push(`<${name}>`)
    members(value, out)
    if (out.length === start + 1) out[start] = `<${name}/>`
    else out.push(`</${name}>`)
  } else {
    out.push(`<${name}>${scalar(value)}</${name}>`)
  }
}

function members(structure: Structure, out: string[]): void {
  for (const name of Object.keys(structure)) {
    const value = structure[name]
    if (value === undefined) continue
    if (!MEMBER_NAME.test(name)) throw new TypeError(`encodeXml: '${name}' is not a member name`)
    element(name, value, out)
  }
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
  if (!ACTION_NAME.test(action)) throw new TypeError(`encodeXml: '${action}' is not an action`)
  const out = [`<${action}Response xmlns="${QUERY_XML_NAMESPACES[service]}">`]
  // botocore looks the Result element up and fails without it, so an operation with output
  // always sends one, even with no members (reference §1.2).
  if (result !== undefined) element(`${action}Result`, result, out)
  out.push(
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`,
    `</${action}Response>`,
  )
  return out.join('')
}
