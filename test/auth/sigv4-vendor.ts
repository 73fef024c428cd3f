/**
 * Reading the official SigV4 test suite (test/vendor/aws-signing-test-suite, data from
 * awslabs/aws-c-auth) into SignedRequests, keeping where each part of a request sits in its
 * bytes so that tests can change one byte of a chosen part.
 *
 * The suite writes requests as HTTP/1.1 text with bare `\n` line ends: the request line, header
 * lines `Name:value` (a line that starts with whitespace continues the previous header, the
 * obsolete line folding of get-header-value-multiline), then, when there is a body, an empty line
 * and the body's bytes. The request target is everything between the first space and the last
 * one, since get-space-* puts a raw space in the path; get-utf8 and get-vanilla-utf8-query put raw
 * UTF-8 in the target, which is read as UTF-8.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { HeaderEntry, SignedRequest } from '../../src/auth/sigv4/index.js'

/** The suite's folder. */
export const VENDOR_DIR = join(import.meta.dirname, '..', 'vendor', 'aws-signing-test-suite', 'v4')

/** A case's context.json. */
export interface VendorContext {
  readonly credentials: {
    readonly access_key_id: string
    readonly secret_access_key: string
    readonly token?: string
  }
  readonly expiration_in_seconds: number
  /** Whether the signer normalized the path (false only for the *-unnormalized cases). */
  readonly normalize: boolean
  readonly region: string
  readonly service: string
  /** Whether the signer added and signed X-Amz-Content-SHA256 (header form only). */
  readonly sign_body: boolean
  readonly timestamp: string
  /** True when the session token was added after signing (post-sts-header-after). */
  readonly omit_session_token?: boolean
}

/** The four expected files of one signing form. */
export interface VendorForm {
  readonly canonicalRequest: string
  readonly stringToSign: string
  readonly signature: string
  readonly signedRequest: Buffer
}

/** One case of the suite. */
export interface VendorCase {
  readonly name: string
  readonly context: VendorContext
  readonly request: Buffer
  readonly header: VendorForm
  readonly query: VendorForm
}

/** A half-open byte range [start, end). */
export interface ByteRange {
  readonly start: number
  readonly end: number
}

/** A header line's position in the request bytes. */
export interface HeaderLayout {
  readonly name: string
  readonly nameRange: ByteRange
  /** From after the colon to the end of the last continuation line. */
  readonly valueRange: ByteRange
}

/** A query parameter's position in the request bytes. */
export interface QueryLayout {
  readonly name: string
  readonly nameRange: ByteRange
  readonly valueRange: ByteRange
}

/** A parsed request and where its parts are. */
export interface ParsedHttp {
  readonly request: SignedRequest
  readonly method: ByteRange
  readonly path: ByteRange
  readonly query: readonly QueryLayout[]
  readonly headers: readonly HeaderLayout[]
  readonly body: ByteRange
}

const LF = 0x0a
const SP = 0x20
const TAB = 0x09

function text(bytes: Buffer, range: ByteRange): string {
  return bytes.subarray(range.start, range.end).toString('utf8')
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** Parses one request file of the suite (see the file comment for the format). */
export function parseHttp(bytes: Buffer): ParsedHttp {
  const firstLf = bytes.indexOf(LF)
  const lineEnd = firstLf < 0 ? bytes.length : firstLf
  const firstSpace = bytes.indexOf(SP)
  const lastSpace = bytes.lastIndexOf(SP, lineEnd - 1)
  const method = { start: 0, end: firstSpace }
  const targetStart = firstSpace + 1
  const question = bytes.subarray(targetStart, lastSpace).indexOf(0x3f)
  const pathEnd = question < 0 ? lastSpace : targetStart + question
  const path = { start: targetStart, end: pathEnd }
  const queryRange = { start: question < 0 ? lastSpace : pathEnd + 1, end: lastSpace }

  const query: QueryLayout[] = []
  let at = queryRange.start
  while (at < queryRange.end) {
    let amp = bytes.indexOf(0x26, at)
    if (amp < 0 || amp > queryRange.end) amp = queryRange.end
    let eq = bytes.indexOf(0x3d, at)
    if (eq < 0 || eq > amp) eq = amp
    const nameRange = { start: at, end: eq }
    const valueRange = { start: Math.min(eq + 1, amp), end: amp }
    if (amp > at) query.push({ name: decodeName(text(bytes, nameRange)), nameRange, valueRange })
    at = amp + 1
  }

  const headers: { name: string; nameRange: ByteRange; valueRange: ByteRange }[] = []
  let pos = lineEnd + 1
  let body: ByteRange = { start: bytes.length, end: bytes.length }
  while (pos < bytes.length) {
    let end = bytes.indexOf(LF, pos)
    if (end < 0) end = bytes.length
    if (end === pos) {
      body = { start: end + 1, end: bytes.length }
      break
    }
    const first = bytes[pos]
    const last = headers.at(-1)
    if ((first === SP || first === TAB) && last !== undefined) {
      last.valueRange = { start: last.valueRange.start, end }
    } else {
      const colon = bytes.subarray(pos, end).indexOf(0x3a)
      const nameEnd = colon < 0 ? end : pos + colon
      const nameRange = { start: pos, end: nameEnd }
      headers.push({
        name: text(bytes, nameRange),
        nameRange,
        valueRange: { start: colon < 0 ? end : nameEnd + 1, end },
      })
    }
    pos = end + 1
  }

  const headerEntries: HeaderEntry[] = headers.map((h) => [h.name, text(bytes, h.valueRange)])
  return {
    request: {
      method: text(bytes, method),
      path: text(bytes, path),
      query: text(bytes, queryRange),
      headers: headerEntries,
      body: bytes.subarray(body.start, body.end),
    },
    method,
    path,
    query,
    headers,
    body,
  }
}

function readForm(dir: string, prefix: 'header' | 'query'): VendorForm {
  const read = (file: string): Buffer => readFileSync(join(dir, `${prefix}-${file}`))
  return {
    canonicalRequest: read('canonical-request.txt').toString('utf8'),
    stringToSign: read('string-to-sign.txt').toString('utf8'),
    signature: read('signature.txt').toString('utf8'),
    signedRequest: read('signed-request.txt'),
  }
}

/** Every case of the suite, in name order. */
export function loadVendorCases(): VendorCase[] {
  return readdirSync(VENDOR_DIR)
    .sort()
    .map((name) => {
      const dir = join(VENDOR_DIR, name)
      return {
        name,
        context: JSON.parse(readFileSync(join(dir, 'context.json'), 'utf8')) as VendorContext,
        request: readFileSync(join(dir, 'request.txt')),
        header: readForm(dir, 'header'),
        query: readForm(dir, 'query'),
      }
    })
}
