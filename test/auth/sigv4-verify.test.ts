/**
 * verifySignature beyond the official suite: the time window and presigned expiry with AWS's
 * codes and messages, the parts of a request that are bound to the signature, and real signed
 * requests from other sources (an SDK v3 capture, and the suite's 2011 edition, which dated
 * requests with the Date header).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DEFAULT_ALLOWED_SKEW_MS,
  SIGNATURE_DOES_NOT_MATCH_MESSAGE,
  verifySignature,
} from '../../src/auth/sigv4/index.js'
import type {
  SignedRequest,
  SigV4Error,
  VerifySignatureInput,
  VerifySignatureResult,
} from '../../src/auth/sigv4/index.js'
import { EXAMPLE_SECRET, epoch, signRequest } from './sigv4-signer.js'

const T = '20150830T123600Z'
const SECOND = 1000
const MINUTE = 60 * SECOND

function verifyAt(
  request: SignedRequest,
  now: number,
  extra: Partial<VerifySignatureInput> = {},
): VerifySignatureResult {
  return verifySignature({ request, secretAccessKey: EXAMPLE_SECRET, now, ...extra })
}

function errorOf(result: VerifySignatureResult): SigV4Error {
  if (result.ok) assert.fail('expected the request to be refused')
  return result.error
}

function assertOk(result: VerifySignatureResult): void {
  assert.ok(result.ok, result.ok ? '' : `${result.error.code}: ${result.error.message}`)
}

const FORM_BODY = 'Action=GetUser&Version=2010-05-08'
const FORM_HEADERS = [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']] as const

describe('verifySignature: the time window', () => {
  const request = signRequest({ form: 'header', time: T, body: FORM_BODY, headers: FORM_HEADERS })

  it('defaults to AWS’s documented five minutes', () => {
    assert.equal(DEFAULT_ALLOWED_SKEW_MS, 5 * MINUTE)
  })

  it('accepts a request up to five minutes old or five minutes ahead', () => {
    assertOk(verifyAt(request, epoch(T)))
    assertOk(verifyAt(request, epoch(T) + 5 * MINUTE))
    assertOk(verifyAt(request, epoch(T) - 5 * MINUTE))
  })

  it('refuses an older request as IAM and STS do: SignatureDoesNotMatch, "Signature expired"', () => {
    const error = errorOf(verifyAt(request, epoch(T) + 5 * MINUTE + SECOND))
    assert.deepEqual(error, {
      code: 'SignatureDoesNotMatch',
      message:
        'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)',
    })
  })

  it('refuses a request dated too far ahead: SignatureDoesNotMatch, "Signature not yet current"', () => {
    const error = errorOf(verifyAt(request, epoch(T) - 5 * MINUTE - SECOND))
    assert.deepEqual(error, {
      code: 'SignatureDoesNotMatch',
      message:
        'Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T123059Z + 5 min.)',
    })
  })

  it('takes another window from the caller and names it in the message', () => {
    assertOk(verifyAt(request, epoch(T) + 15 * MINUTE, { allowedSkewMs: 15 * MINUTE }))
    const error = errorOf(verifyAt(request, epoch(T) + 16 * MINUTE, { allowedSkewMs: 15 * MINUTE }))
    assert.equal(
      error.message,
      'Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)',
    )
  })

  it('takes now as a Date as well as epoch milliseconds', () => {
    assertOk(verifySignature({ request, secretAccessKey: EXAMPLE_SECRET, now: new Date(epoch(T)) }))
  })

  it('throws on a now or a window that is not a number, rather than letting any date through', () => {
    assert.throws(() => verifyAt(request, Number.NaN), RangeError)
    assert.throws(() => verifyAt(request, epoch(T), { allowedSkewMs: Number.NaN }), RangeError)
    assert.throws(() => verifyAt(request, epoch(T), { allowedSkewMs: -1 }), RangeError)
  })

  it('refuses a credential scope dated another day than the request', () => {
    const signed = signRequest({ form: 'header', time: T })
    const headers = signed.headers.map(([name, value]): [string, string] =>
      name === 'Authorization' ? [name, value.replace('/20150830/', '/20150831/')] : [name, value],
    )
    const error = errorOf(verifyAt({ ...signed, headers }, epoch(T)))
    assert.deepEqual(error, {
      code: 'SignatureDoesNotMatch',
      message:
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'.",
    })
  })
})

describe('verifySignature: presigned requests', () => {
  const query = 'Action=GetCallerIdentity&Version=2011-06-15'

  it('accepts a presigned request until X-Amz-Date plus X-Amz-Expires, then RequestExpired', () => {
    const request = signRequest({ form: 'query', time: T, method: 'GET', query, expires: 900 })
    assertOk(verifyAt(request, epoch(T) + 900 * SECOND))
    const error = errorOf(verifyAt(request, epoch(T) + 901 * SECOND))
    assert.deepEqual(error, {
      code: 'RequestExpired',
      message:
        'Request has expired: 20150830T125100Z (X-Amz-Date 20150830T123600Z + X-Amz-Expires 900 s) is now earlier than 20150830T125101Z',
    })
  })

  it('lives as long as X-Amz-Expires says, beyond the skew window', () => {
    const request = signRequest({ form: 'query', time: T, method: 'GET', query, expires: 3600 })
    assertOk(verifyAt(request, epoch(T) + 59 * MINUTE))
  })

  it('expires on time even when X-Amz-Expires is shorter than the skew window', () => {
    const request = signRequest({ form: 'query', time: T, method: 'GET', query, expires: 60 })
    assert.equal(errorOf(verifyAt(request, epoch(T) + 61 * SECOND)).code, 'RequestExpired')
  })

  it('refuses a presigned request dated beyond the window ahead', () => {
    const request = signRequest({ form: 'query', time: T, method: 'GET', query, expires: 900 })
    const error = errorOf(verifyAt(request, epoch(T) - 6 * MINUTE))
    assert.equal(error.code, 'SignatureDoesNotMatch')
    assert.match(error.message, /^Signature not yet current: /)
  })

  it('accepts an X-Amz-Expires of 604800 seconds (seven days) and refuses 604801', () => {
    const week = signRequest({ form: 'query', time: T, method: 'GET', query, expires: 604_800 })
    assertOk(verifyAt(week, epoch(T) + 604_800 * SECOND))
    const longer = signRequest({ form: 'query', time: T, method: 'GET', query, expires: 604_801 })
    assert.deepEqual(errorOf(verifyAt(longer, epoch(T))), {
      code: 'IncompleteSignature',
      message:
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    })
  })

  it('refuses an X-Amz-Expires that is not a whole number', () => {
    const request = signRequest({ form: 'query', time: T, method: 'GET', query, expires: 900 })
    for (const bad of ['-1', '9.5', 'soon', '']) {
      const changed = {
        ...request,
        query: request.query.replace('X-Amz-Expires=900', `X-Amz-Expires=${bad}`),
      }
      assert.deepEqual(errorOf(verifyAt(changed, epoch(T))), {
        code: 'IncompleteSignature',
        message: 'X-Amz-Expires should be a number',
      })
    }
  })

  it('without X-Amz-Expires, holds a presigned request to the skew window', () => {
    const request = signRequest({ form: 'query', time: T, method: 'GET', query })
    assertOk(verifyAt(request, epoch(T) + 5 * MINUTE))
    const error = errorOf(verifyAt(request, epoch(T) + 6 * MINUTE))
    assert.equal(error.code, 'SignatureDoesNotMatch')
    assert.match(error.message, /^Signature expired: /)
  })

  it('signs the session token in the query unless told the client added it afterwards', () => {
    const token = 'FwoGZXIvYXdzTOKEN/with+specials='
    const signed = signRequest({
      form: 'query',
      time: T,
      method: 'GET',
      query,
      expires: 900,
      sessionToken: token,
    })
    const result = verifyAt(signed, epoch(T))
    assertOk(result)
    assert.equal(result.ok && result.authorization.securityToken, token)
    // Changing the token breaks the signature...
    const swapped = { ...signed, query: signed.query.replace('TOKEN', 'TOKEM') }
    assert.equal(errorOf(verifyAt(swapped, epoch(T))).code, 'SignatureDoesNotMatch')
    // ...and a token appended after signing verifies only when the caller says so.
    const unsigned = signRequest({ form: 'query', time: T, method: 'GET', query, expires: 900 })
    const appended = {
      ...unsigned,
      query: `${unsigned.query}&X-Amz-Security-Token=${encodeURIComponent(token)}`,
    }
    assert.equal(errorOf(verifyAt(appended, epoch(T))).code, 'SignatureDoesNotMatch')
    assertOk(verifyAt(appended, epoch(T), { unsignedSessionToken: true }))
  })
})

describe('verifySignature: what the signature binds', () => {
  it('verifies a request captured from the AWS SDK for JavaScript v3 (IAM CreateUser)', () => {
    // ../shared/reference/aws-iam-sts-api.md §1.7, signed by @aws-sdk/client-iam with the
    // documentation's example key. The user-agent is shortened there; it is not signed.
    const body =
      'Action=CreateUser&Version=2010-05-08&UserName=Bob&Path=%2Fdivision_abc%2F&Tags.member.1.Key=Dept&Tags.member.1.Value=Eng&Tags.member.2.Key=Cost%20Center&Tags.member.2.Value=12345'
    const request: SignedRequest = {
      method: 'POST',
      path: '/',
      query: '',
      body: Buffer.from(body),
      headers: [
        ['content-type', 'application/x-www-form-urlencoded'],
        ['content-length', '178'],
        ['x-amz-user-agent', 'aws-sdk-js/3.1168.0'],
        ['user-agent', 'aws-sdk-js/3.1168.0 ua/2.1 os/linux'],
        ['host', '127.0.0.1:44635'],
        ['amz-sdk-invocation-id', '9aa90c05-1eb9-4418-b4a8-7a6cb771fca3'],
        ['amz-sdk-request', 'attempt=1; max=1'],
        ['x-amz-date', '20261128T175121Z'],
        [
          'x-amz-content-sha256',
          '70854225d5667dae6829a5eb9ddec4f8111b5ca77f115ed8db49f081b563a49f',
        ],
        [
          'authorization',
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/iam/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=539d163d2fa72665db76831e805f9bb84237569a0aa30df15737fab5d964c324',
        ],
      ],
    }
    const result = verifyAt(request, epoch('20261128T175121Z'))
    assertOk(result)
    assert.deepEqual(result.ok && result.authorization.scope, {
      date: '20261128',
      region: 'us-east-1',
      service: 'iam',
    })
    const tampered = { ...request, body: Buffer.from(body.replace('Bob', 'Eve')) }
    assert.equal(
      errorOf(verifyAt(tampered, epoch('20261128T175121Z'))).code,
      'SignatureDoesNotMatch',
    )
  })

  it('verifies a request dated by a signed Date header (the suite’s 2011 edition, get-vanilla)', () => {
    const request: SignedRequest = {
      method: 'GET',
      path: '/',
      query: '',
      body: Buffer.alloc(0),
      headers: [
        ['Date', 'Mon, 09 Sep 2011 23:36:00 GMT'],
        ['Host', 'host.foo.com'],
        [
          'Authorization',
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470',
        ],
      ],
    }
    const result = verifyAt(request, Date.parse('2011-09-09T23:36:00Z'))
    assertOk(result)
    assert.equal(result.ok && result.stringToSign.split('\n')[1], '20110909T233600Z')
  })

  it('prefers X-Amz-Date to Date, and accepts an ISO 8601 basic Date header', () => {
    const viaDate = signRequest({ form: 'header', time: T, httpDate: T })
    assertOk(verifyAt(viaDate, epoch(T)))
    const both = signRequest({
      form: 'header',
      time: T,
      headers: [['Date', 'Mon, 01 Jan 2001 00:00:00 GMT']],
    })
    assertOk(verifyAt(both, epoch(T)))
  })

  it('refuses an X-Amz-Content-SHA256 that is not the hash of the body, UNSIGNED-PAYLOAD included', () => {
    for (const declared of ['0'.repeat(64), 'UNSIGNED-PAYLOAD']) {
      const request = signRequest({
        form: 'header',
        time: T,
        body: FORM_BODY,
        headers: [['X-Amz-Content-SHA256', declared]],
      })
      assert.deepEqual(errorOf(verifyAt(request, epoch(T))), {
        code: 'SignatureDoesNotMatch',
        message: SIGNATURE_DOES_NOT_MATCH_MESSAGE,
      })
    }
  })

  it('binds the body even when no header declares its hash', () => {
    const request = signRequest({ form: 'header', time: T, body: FORM_BODY })
    const tampered = { ...request, body: Buffer.from(FORM_BODY.replace('GetUser', 'GetRole')) }
    assert.equal(errorOf(verifyAt(tampered, epoch(T))).code, 'SignatureDoesNotMatch')
  })

  it('refuses a request without a header its SignedHeaders lists', () => {
    const request = signRequest({ form: 'header', time: T, headers: FORM_HEADERS })
    const headers = request.headers.filter(([name]) => name !== 'Content-Type')
    assert.equal(errorOf(verifyAt({ ...request, headers }, epoch(T))).code, 'SignatureDoesNotMatch')
  })

  it('refuses a signature made with another secret, and says what it signed for the log', () => {
    const request = signRequest({ form: 'header', time: T, secret: 'another-secret' })
    const error = errorOf(verifyAt(request, epoch(T)))
    assert.equal(error.code, 'SignatureDoesNotMatch')
    assert.equal(error.message, SIGNATURE_DOES_NOT_MATCH_MESSAGE)
    assert.match(error.canonicalRequest ?? '', /^POST\n\/\n\nhost:iam\.example\.test\n/)
    assert.match(error.stringToSign ?? '', /^AWS4-HMAC-SHA256\n20150830T123600Z\n/)
  })

  it('signs the path double-encoded: an escape on the wire is encoded again', () => {
    const request = signRequest({ form: 'header', time: T, method: 'GET', path: '/a%20b/./c' })
    const result = verifyAt(request, epoch(T))
    assertOk(result)
    assert.equal(result.ok && result.canonicalRequest.split('\n')[1], '/a%2520b/c')
  })

  it('returns the session token of a header-signed request for the credential check', () => {
    const request = signRequest({ form: 'header', time: T, sessionToken: 'token-1' })
    const result = verifyAt(request, epoch(T))
    assertOk(result)
    assert.equal(result.ok && result.authorization.securityToken, 'token-1')
  })
})
