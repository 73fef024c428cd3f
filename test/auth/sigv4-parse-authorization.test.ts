/**
 * parseAuthorization: missing and malformed authentication gets AWS's code and, where AWS's
 * wording is on record, AWS's message word for word (the sources are cited in
 * src/auth/sigv4/parse-authorization.ts).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseAuthorization, verifySignature } from '../../src/auth/sigv4/index.js'
import type {
  HeaderEntry,
  ParseAuthorizationResult,
  ParsedAuthorization,
  SigV4Error,
} from '../../src/auth/sigv4/index.js'
import { EXAMPLE_SECRET, epoch, signRequest } from './sigv4-signer.js'

const T = '20150830T123600Z'
const SIG = 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea'
const CREDENTIAL = 'AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request'
const GOOD = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=${SIG}`

function parse(headers: readonly HeaderEntry[], query = ''): ParseAuthorizationResult {
  return parseAuthorization({ headers, query })
}

function withAuthorization(value: string, date: HeaderEntry | null = ['X-Amz-Date', T]) {
  const headers: HeaderEntry[] = [['Host', 'iam.example.test']]
  if (date !== null) headers.push(date)
  headers.push(['Authorization', value])
  return parse(headers)
}

function errorOf(result: ParseAuthorizationResult): SigV4Error {
  if (result.ok) assert.fail('expected the authorization to be refused')
  return result.error
}

function parsed(result: ParseAuthorizationResult): ParsedAuthorization {
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`)
  return result.authorization
}

describe('parseAuthorization: the header form', () => {
  it('reads the access key, scope, signed headers, signature and time', () => {
    assert.deepEqual(parsed(withAuthorization(GOOD)), {
      form: 'header',
      accessKeyId: 'AKIDEXAMPLE',
      scope: { date: '20150830', region: 'us-east-1', service: 'iam' },
      credentialScope: '20150830/us-east-1/iam/aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
      signedHeadersText: 'host;x-amz-date',
      signature: SIG,
      requestDateTime: T,
      requestTime: epoch(T),
    })
  })

  it('reads a SignedHeaders list the same every time, past the bound of lists kept', () => {
    const first = parsed(withAuthorization(GOOD))
    const noHost = GOOD.replace('SignedHeaders=host;x-amz-date', 'SignedHeaders=x-amz-date')
    const noDate = GOOD.replace('SignedHeaders=host;x-amz-date', 'SignedHeaders=host')
    for (let round = 0; round < 2; round++) {
      // More distinct lists than are kept, so that the table empties and fills again.
      for (let i = 0; i < 300; i++) {
        const list = `host;x-amz-date;x-extra-${i}`
        const header = GOOD.replace('SignedHeaders=host;x-amz-date', `SignedHeaders=${list}`)
        assert.deepEqual(parsed(withAuthorization(header)).signedHeaders, list.split(';'))
      }
      assert.deepEqual(parsed(withAuthorization(GOOD)), first)
      assert.equal(errorOf(withAuthorization(noHost)).code, 'IncompleteSignature')
      assert.match(
        errorOf(withAuthorization(noDate)).message,
        /'X-Amz-Date' must be a 'SignedHeader'/,
      )
    }
  })

  it('reads the parameters alike in the SDK form and in any other spacing or order', () => {
    const expected = parsed(withAuthorization(GOOD))
    for (const header of [
      ` ${GOOD}\t`,
      GOOD.replaceAll(', ', ','),
      GOOD.replace(' ', '\t '),
      GOOD.replaceAll(', ', ' ,\n '),
      `AWS4-HMAC-SHA256 Signature=${SIG}, SignedHeaders=host;x-amz-date, Credential=${CREDENTIAL}`,
    ]) {
      assert.deepEqual(parsed(withAuthorization(header)), expected, JSON.stringify(header))
    }
    // A value may hold `=`: only the first one ends the parameter's name.
    const withEquals = GOOD.replace(`Signature=${SIG}`, `Signature=${SIG}==`)
    assert.equal(parsed(withAuthorization(withEquals)).signature, `${SIG}==`)
    assert.equal(parsed(withAuthorization(withEquals.replaceAll(', ', ','))).signature, `${SIG}==`)
  })

  it('answers a request with no authentication at all with MissingAuthenticationToken', () => {
    const expected = {
      code: 'MissingAuthenticationToken',
      message: 'Request is missing Authentication Token',
    }
    assert.deepEqual(errorOf(parse([['Host', 'iam.example.test']])), expected)
    // Query parameters that merely look like AWS's are not authentication.
    assert.deepEqual(errorOf(parse([], 'Action=GetUser&X-Amz-Date=20150830T123600Z')), expected)
    const unsigned = verifySignature({
      request: { method: 'GET', path: '/', query: '', headers: [], body: Buffer.alloc(0) },
      secretAccessKey: EXAMPLE_SECRET,
      now: epoch(T),
    })
    assert.deepEqual(unsigned.ok ? undefined : unsigned.error, expected)
  })

  it('lists every missing part and echoes the header, as AWS does for a token of another kind', () => {
    // A bare token, as API Gateway answered one (https://github.com/aws/chalice/issues/828).
    const bearer = 'eyJhbGciOiJIUzI1NiJ9.e30.abc'
    assert.deepEqual(errorOf(withAuthorization(bearer, null)), {
      code: 'IncompleteSignature',
      message: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${bearer}`,
    })
    const sigV2 = 'AWS AKIDEXAMPLE:qaNdqGsI6bq4Hi+9Gzovwyjbh0E='
    assert.deepEqual(errorOf(withAuthorization(sigV2)), {
      code: 'IncompleteSignature',
      message: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${sigV2}`,
    })
    const noSignature = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date`
    assert.deepEqual(errorOf(withAuthorization(noSignature)), {
      code: 'IncompleteSignature',
      message: `Authorization header requires 'Signature' parameter. Authorization=${noSignature}`,
    })
  })

  it('reports a part without an equal sign, as AWS does for a stray space in the credential', () => {
    const header = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIG}`
    assert.deepEqual(errorOf(withAuthorization(header)), {
      code: 'IncompleteSignature',
      message: `'/20150830/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
    })
  })

  it('refuses a credential that is not five slash-delimited elements', () => {
    const header = GOOD.replace(CREDENTIAL, 'AKID/EXAMPLE/20150830/us-east-1/iam/aws4_request')
    assert.deepEqual(errorOf(withAuthorization(header)), {
      code: 'IncompleteSignature',
      message:
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/EXAMPLE/20150830/us-east-1/iam/aws4_request'",
    })
  })

  it('refuses a scope that does not end in aws4_request', () => {
    const header = GOOD.replace('/aws4_request', '/aws4_requests')
    assert.deepEqual(errorOf(withAuthorization(header)), {
      code: 'SignatureDoesNotMatch',
      message:
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requests'.",
    })
  })

  it('requires host, and the header that dates the request, to be signed', () => {
    assert.deepEqual(errorOf(withAuthorization(GOOD.replace('host;', ''))), {
      code: 'IncompleteSignature',
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    })
    assert.deepEqual(errorOf(withAuthorization(GOOD.replace('host;x-amz-date', 'host'))), {
      code: 'IncompleteSignature',
      message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    })
    const viaDate = withAuthorization(GOOD.replace('host;x-amz-date', 'host'), [
      'Date',
      'Sun, 30 Aug 2015 12:36:00 GMT',
    ])
    assert.deepEqual(errorOf(viaDate), {
      code: 'IncompleteSignature',
      message: "'Date' must be a 'SignedHeader' in the AWS Authorization.",
    })
  })

  it('refuses an X-Amz-Date that is not ISO 8601 basic format', () => {
    for (const bad of ['2015-08-30T12:36:00Z', '20150830T123600', '20150230T123600Z']) {
      assert.deepEqual(errorOf(withAuthorization(GOOD, ['X-Amz-Date', bad])), {
        code: 'IncompleteSignature',
        message: `Date must be in ISO-8601 'basic format'. Got '${bad}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      })
    }
    const repeated = parse([
      ['Host', 'iam.example.test'],
      ['X-Amz-Date', T],
      ['X-Amz-Date', T],
      ['Authorization', GOOD],
    ])
    assert.equal(errorOf(repeated).code, 'IncompleteSignature')
  })

  it('dates a request by its Date header when there is no X-Amz-Date', () => {
    const header = GOOD.replace('host;x-amz-date', 'date;host')
    const result = parsed(withAuthorization(header, ['Date', 'Sun, 30 Aug 2015 12:36:00 GMT']))
    assert.equal(result.requestDateTime, T)
    const bad = withAuthorization(header, ['Date', 'Sunday, 30-Aug-15 12:36:00 GMT'])
    assert.deepEqual(errorOf(bad), {
      code: 'IncompleteSignature',
      message:
        "Date header must be an RFC 7231 HTTP-date or in ISO-8601 'basic format'. Got 'Sunday, 30-Aug-15 12:36:00 GMT'.",
    })
  })

  it('refuses a repeated parameter, and so repeated Authorization headers', () => {
    const header = `${GOOD}, Signature=${SIG}`
    assert.deepEqual(errorOf(withAuthorization(header)), {
      code: 'IncompleteSignature',
      message: `Authorization header has more than one 'Signature' parameter. Authorization=${header}`,
    })
    const twice = parse([
      ['Host', 'iam.example.test'],
      ['X-Amz-Date', T],
      ['Authorization', GOOD],
      ['Authorization', GOOD],
    ])
    assert.equal(errorOf(twice).code, 'IncompleteSignature')
  })

  it('refuses SigV4a and any algorithm but AWS4-HMAC-SHA256', () => {
    const header = GOOD.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')
    assert.deepEqual(errorOf(withAuthorization(header)), {
      code: 'IncompleteSignature',
      message: "Unsupported algorithm 'AWS4-ECDSA-P256-SHA256': only AWS4-HMAC-SHA256 is accepted",
    })
  })

  it('reads the session token of temporary credentials', () => {
    const result = parse([
      ['Host', 'iam.example.test'],
      ['X-Amz-Date', T],
      ['X-Amz-Security-Token', 'session-token'],
      ['Authorization', GOOD],
    ])
    assert.equal(parsed(result).securityToken, 'session-token')
  })
})

describe('parseAuthorization: the query form', () => {
  const presigned = signRequest({ form: 'query', time: T, method: 'GET', expires: 900 })

  it('reads a presigned request', () => {
    const result = parsed(parse(presigned.headers, presigned.query))
    assert.equal(result.form, 'query')
    assert.equal(result.accessKeyId, 'AKIDEXAMPLE')
    assert.equal(result.expiresSeconds, 900)
    assert.equal(result.requestDateTime, T)
  })

  it('names every missing parameter', () => {
    const query = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc'
    assert.deepEqual(errorOf(parse([['Host', 'h']], query)), {
      code: 'IncompleteSignature',
      message:
        "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Date'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    })
  })

  it('refuses a repeated authentication parameter', () => {
    const query = `${presigned.query}&X-Amz-Date=20150830T123700Z`
    assert.deepEqual(errorOf(parse(presigned.headers, query)), {
      code: 'IncompleteSignature',
      message:
        "AWS query-string parameter 'X-Amz-Date' appears more than once. Re-examine the query-string parameters.",
    })
  })

  it('refuses another algorithm, a bad credential, an unsigned host and a bad date', () => {
    const cases: [string, string, string][] = [
      [
        'X-Amz-Algorithm=AWS4-HMAC-SHA256',
        'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256',
        'IncompleteSignature',
      ],
      ['%2Fiam%2F', '%2F', 'IncompleteSignature'],
      ['X-Amz-SignedHeaders=host', 'X-Amz-SignedHeaders=x-amz-date', 'IncompleteSignature'],
      [`X-Amz-Date=${T}`, 'X-Amz-Date=20150830', 'IncompleteSignature'],
    ]
    for (const [from, to, code] of cases) {
      const query = presigned.query.replace(from, to)
      assert.notEqual(query, presigned.query)
      assert.equal(errorOf(parse(presigned.headers, query)).code, code, to)
    }
  })

  it('refuses authentication in both the header and the query', () => {
    const headers: HeaderEntry[] = [
      ...presigned.headers,
      ['X-Amz-Date', T],
      ['Authorization', GOOD],
    ]
    assert.deepEqual(errorOf(parse(headers, presigned.query)), {
      code: 'IncompleteSignature',
      message:
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    })
  })
})
