/**
 * The official SigV4 test suite (test/vendor/aws-signing-test-suite, 38 cases), in both forms:
 * for each case, the signed request as the vendor wrote it must verify at the vendor's time, with
 * the vendor's canonical request, string to sign and signature exactly; and every one-byte change
 * to a part the signature covers must fail, while unsigned headers may change freely.
 *
 * How the context flags are honoured: `normalize` is passed as normalizePath (false for the
 * *-unnormalized cases, whose canonical paths keep `.`, `..` and `//`); `omit_session_token`
 * (post-sts-header-after) as unsignedSessionToken, since the vendor's presigned URL carries an
 * X-Amz-Security-Token that its canonical query leaves out; `sign_body` needs nothing, since the
 * payload hash is always that of the body received and X-Amz-Content-SHA256, where sent, must
 * equal it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  calculateSignature,
  canonicalizeUri,
  deriveSigningKey,
  verifySignature,
} from '../../src/auth/sigv4/index.js'
import type { SigV4ErrorCode, VerifySignatureResult } from '../../src/auth/sigv4/index.js'
import { loadVendorCases, parseHttp } from './sigv4-vendor.js'
import type { ByteRange, ParsedHttp, VendorCase } from './sigv4-vendor.js'

const CASES = loadVendorCases()
const FORMS = ['header', 'query'] as const
type Form = (typeof FORMS)[number]

const AUTH_QUERY = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Expires',
  'X-Amz-Security-Token',
])
// Any of these is a fitting answer to a change in the authentication material itself.
const AUTH_FAILURES: ReadonlySet<SigV4ErrorCode> = new Set([
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'RequestExpired',
  'MissingAuthenticationToken',
])

function verify(c: VendorCase, bytes: Buffer, nowOffsetMs = 0): VerifySignatureResult {
  return verifySignature({
    request: parseHttp(bytes).request,
    secretAccessKey: c.context.credentials.secret_access_key,
    now: Date.parse(c.context.timestamp) + nowOffsetMs,
    normalizePath: c.context.normalize,
    unsignedSessionToken: c.context.omit_session_token === true,
  })
}

describe('the official SigV4 test suite', () => {
  it('has the 38 cases, each with a context, a request and both forms', () => {
    assert.equal(CASES.length, 38)
  })

  for (const c of CASES) {
    for (const form of FORMS) {
      it(`${c.name} (${form}): verifies with the vendor's canonical request, string to sign and signature`, () => {
        const expected = c[form]
        const result = verify(c, expected.signedRequest)
        assert.ok(result.ok, result.ok ? '' : `${result.error.code}: ${result.error.message}`)
        assert.equal(result.canonicalRequest, expected.canonicalRequest)
        assert.equal(result.stringToSign, expected.stringToSign)
        const { scope } = result.authorization
        const key = deriveSigningKey(
          c.context.credentials.secret_access_key,
          scope.date,
          scope.region,
          scope.service,
        )
        assert.equal(calculateSignature(key, result.stringToSign), expected.signature)
        assert.equal(result.authorization.signature, expected.signature)
        assert.equal(result.authorization.accessKeyId, c.context.credentials.access_key_id)
        assert.deepEqual(scope, {
          date: c.context.timestamp.slice(0, 10).replaceAll('-', ''),
          region: c.context.region,
          service: c.context.service,
        })
        assert.equal(result.authorization.securityToken, c.context.credentials.token)
        if (form === 'query') {
          assert.equal(result.authorization.expiresSeconds, c.context.expiration_in_seconds)
        }
      })
    }
  }
})

/** One byte changed: XOR 1, unless that gives whitespace or a control character. */
function mutateByte(b: number): number {
  const flipped = b ^ 0x01
  if (flipped > 0x20 && flipped !== 0x7f) return flipped
  return b === 0x78 ? 0x79 : 0x78 // 'x', or 'y' for an 'x'
}

function mutated(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes)
  copy[at] = mutateByte(bytes[at] as number)
  return copy
}

/** What a change in a byte range must do. */
type Expectation = 'mismatch' | 'auth-failure' | 'unsigned' | 'path' | 'access-key'

interface Region {
  readonly what: string
  readonly range: ByteRange
  readonly expect: Expectation
}

// Sorts every byte range of the request by what a change there must do.
function regions(parsed: ParsedHttp, form: Form, unsignedToken: boolean): Region[] {
  const out: Region[] = [
    { what: 'method', range: parsed.method, expect: 'mismatch' },
    { what: 'path', range: parsed.path, expect: 'path' },
    { what: 'body', range: parsed.body, expect: 'mismatch' },
  ]
  for (const q of parsed.query) {
    const auth = form === 'query' && AUTH_QUERY.has(q.name)
    out.push({
      what: `query name ${q.name}`,
      range: q.nameRange,
      expect: auth ? 'auth-failure' : 'mismatch',
    })
    const unsigned = form === 'query' && unsignedToken && q.name === 'X-Amz-Security-Token'
    out.push({
      what: `query value ${q.name}`,
      range: q.valueRange,
      expect: unsigned ? 'unsigned' : auth ? 'auth-failure' : 'mismatch',
    })
  }
  const verified = verifyParse(parsed)
  for (const h of parsed.headers) {
    const lower = h.name.toLowerCase()
    if (lower === 'authorization') {
      // The header form's access key id is outside the string to sign: it selects the secret,
      // and a changed id selects another (or none), which is the caller's lookup, not this check.
      const value = parsed.request.headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? ''
      const start = h.valueRange.start + Buffer.byteLength(value.slice(0, value.indexOf('=') + 1))
      const end = start + Buffer.byteLength(value.slice(value.indexOf('=') + 1, value.indexOf('/')))
      out.push({ what: 'access key id', range: { start, end }, expect: 'access-key' })
      out.push({
        what: 'header value Authorization',
        range: { start: h.valueRange.start, end: start },
        expect: 'auth-failure',
      })
      out.push({
        what: 'header value Authorization',
        range: { start: end, end: h.valueRange.end },
        expect: 'auth-failure',
      })
      out.push({ what: 'header name Authorization', range: h.nameRange, expect: 'auth-failure' })
      continue
    }
    const signed = verified.has(lower)
    const isAuth = lower === 'authorization' || lower === 'x-amz-date'
    out.push({
      what: `header name ${h.name}`,
      range: h.nameRange,
      expect: signed || isAuth ? 'auth-failure' : 'unsigned',
    })
    out.push({
      what: `header value ${h.name}`,
      range: h.valueRange,
      expect: isAuth ? 'auth-failure' : signed ? 'mismatch' : 'unsigned',
    })
  }
  return out
}

// The signed header names, read from the request itself (Authorization or X-Amz-SignedHeaders).
function verifyParse(parsed: ParsedHttp): Set<string> {
  const auth = parsed.request.headers.find(([n]) => n.toLowerCase() === 'authorization')
  const list =
    auth !== undefined
      ? (/SignedHeaders=([^,\s]*)/.exec(auth[1])?.[1] ?? '')
      : decodeURIComponent(/X-Amz-SignedHeaders=([^&]*)/.exec(parsed.request.query)?.[1] ?? '')
  return new Set(list.split(';'))
}

// Headers no signer signs, added to every request: changing or adding them must not matter.
const UNSIGNED_EXTRA = Buffer.from(
  'User-Agent:vendor-suite-test/1.0\nX-Amzn-Trace-Id:Root=1-5e1b4151\n',
)

function withUnsignedHeaders(bytes: Buffer): Buffer {
  const afterRequestLine = bytes.indexOf(0x0a) + 1
  return Buffer.concat([
    bytes.subarray(0, afterRequestLine),
    UNSIGNED_EXTRA,
    bytes.subarray(afterRequestLine),
  ])
}

describe('the official SigV4 test suite, one byte changed', () => {
  for (const c of CASES) {
    for (const form of FORMS) {
      it(`${c.name} (${form}): every change to a signed part fails, unsigned headers may change`, () => {
        const bytes = withUnsignedHeaders(c[form].signedRequest)
        const parsed = parseHttp(bytes)
        const base = verify(c, bytes)
        assert.ok(base.ok, 'the request with unsigned headers added still verifies')
        const originalPath = canonicalizeUri(parsed.request.path, c.context.normalize)
        let changes = 0
        for (const region of regions(parsed, form, c.context.omit_session_token === true)) {
          for (let at = region.range.start; at < region.range.end; at++) {
            const changed = mutated(bytes, at)
            const result = verify(c, changed)
            const where = `${region.what}, byte ${at - region.range.start} ('${String.fromCharCode(bytes[at] as number)}')`
            changes++
            let expect = region.expect
            if (expect === 'path') {
              // A normalized path is signed as normalized: a change that normalizes to the same
              // path (inside a segment that `..` removes, or `/./` turned into `///`) is no
              // change to what was signed. Without normalization every byte counts.
              const samePath =
                canonicalizeUri(parseHttp(changed).request.path, c.context.normalize) ===
                originalPath
              assert.ok(
                c.context.normalize || !samePath,
                `${where}: unnormalized paths have no equivalents`,
              )
              expect = samePath ? 'unsigned' : 'mismatch'
            }
            if (expect === 'access-key') {
              assert.ok(result.ok, `${where}: the access key id is not signed in the header form`)
              assert.notEqual(result.authorization.accessKeyId, c.context.credentials.access_key_id)
            } else if (expect === 'unsigned') {
              assert.ok(result.ok, `${where}: an unsigned byte changed, the request must verify`)
            } else if (result.ok) {
              assert.fail(`${where}: a signed byte changed, yet the request verified`)
            } else if (expect === 'mismatch') {
              assert.equal(result.error.code, 'SignatureDoesNotMatch', where)
            } else {
              assert.ok(AUTH_FAILURES.has(result.error.code), `${where}: ${result.error.code}`)
            }
          }
        }
        assert.ok(changes > 50, `only ${changes} changes tried`)
      })
    }
  }
})
