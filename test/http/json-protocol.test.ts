/**
 * The awsJson 1.1 request path in process: telling a JSON request from an awsQuery one, routing
 * by X-Amz-Target (both prefixes clients send), the credential scope, authentication failures,
 * the JSON body decoded strictly and within bounds, members of the wrong type, the error body and
 * headers clients read, report-only mode and the audit hand-off.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { handleJsonRequest, isJsonProtocolRequest } from '../../src/http/json-pipeline.js'
import { decodeJson } from '../../src/protocol/json/decode-json.js'
import { encodeJson } from '../../src/protocol/json/encode-json.js'
import { JSON_LIMITS } from '../../src/protocol/json/json-limits.js'
import { jsonErrorOf } from '../../src/protocol/json/json-response.js'
import { JsonServiceError } from '../../src/protocol/json/json-service-error.js'
import { AwsError } from '../../src/errors/aws-error.js'
import { SERVICE_FAILURE_MESSAGE } from '../../src/errors/to-aws-error.js'
import { sampleEvent, startJsonInProcess } from '../support/json-in-process.js'
import type { JsonInProcess } from '../support/json-in-process.js'
import { signRequest } from '../auth/sigv4-signer.js'
import { ACCOUNT_ID, NOW, ROOT_KEY, createUserWithKey } from '../support/in-process.js'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

/** The SerializationException decodeJson throws for `body`, or undefined if it decodes. */
function refusal(body: string | Uint8Array): { code: string; message: string } | undefined {
  try {
    decodeJson(typeof body === 'string' ? bytes(body) : body)
    return undefined
  } catch (err) {
    assert.ok(err instanceof JsonServiceError, String(err))
    assert.equal(err.status, 400)
    return { code: err.code, message: err.message }
  }
}

describe('isJsonProtocolRequest', () => {
  it('tells a request with an X-Amz-Target header, in any case, from one without', () => {
    assert.equal(
      isJsonProtocolRequest([['X-Amz-Target', 'CloudTrail_20131101.LookupEvents']]),
      true,
    )
    assert.equal(isJsonProtocolRequest([['x-amz-target', '']]), true)
    assert.equal(
      isJsonProtocolRequest([
        ['Host', 'x'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ]),
      false,
    )
  })
})

describe('decodeJson', () => {
  it('decodes an object with every kind of value and escape', () => {
    const decoded = decodeJson(
      bytes(
        ' {"s":"a\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00é","n":-1.5e2,"z":0,"t":true,"f":false,"x":null,"l":[1,[],{}],"o":{"k":"v"}} ',
      ),
    )
    assert.deepEqual(
      { ...decoded },
      {
        s: 'a"b\\c/\b\f\n\r\té😀é',
        n: -150,
        z: 0,
        t: true,
        f: false,
        x: null,
        l: [1, [], Object.assign(Object.create(null) as object, {})],
        o: Object.assign(Object.create(null) as object, { k: 'v' }),
      },
    )
  })

  it('takes an empty body as the empty input', () => {
    assert.deepEqual({ ...decodeJson(new Uint8Array(0)) }, {})
  })

  it('keeps a member named __proto__ as data, without touching any prototype', () => {
    const decoded = decodeJson(bytes('{"__proto__":{"polluted":true},"constructor":1}'))
    assert.equal(Object.getPrototypeOf(decoded), null)
    assert.deepEqual(Object.keys(decoded), ['__proto__', 'constructor'])
    assert.equal(({} as { polluted?: boolean }).polluted, undefined)
  })

  const MALFORMED: readonly [string, string | Uint8Array, string][] = [
    [
      'an unclosed object',
      '{',
      'The request body is not valid JSON: a member name is expected at offset 1.',
    ],
    ['an array', '[]', 'The request body must be a JSON object.'],
    ['a string', '"x"', 'The request body must be a JSON object.'],
    ['whitespace alone', '  ', 'The request body must be a JSON object.'],
    [
      'a repeated member name',
      '{"MaxResults":1,"MaxResults":50}',
      'The request body is not valid JSON: the member name "MaxResults" appears twice in one object.',
    ],
    [
      'an escaped lone surrogate',
      '{"a":"\\ud800"}',
      'The request body is not valid JSON: a string escapes a lone UTF-16 surrogate.',
    ],
    [
      'a number beyond a double',
      '{"a":1e400}',
      'The request body is not valid JSON: a number is out of range at offset 5.',
    ],
    [
      'a leading zero',
      '{"a":01}',
      "The request body is not valid JSON: ',' or '}' is expected at offset 6.",
    ],
    [
      'a bare word',
      '{"a":nul}',
      'The request body is not valid JSON: an unknown literal at offset 5.',
    ],
    [
      'a trailing comma',
      '{"a":1,}',
      'The request body is not valid JSON: a member name is expected at offset 7.',
    ],
    [
      'a raw control character in a string',
      '{"a":"\u0001"}',
      'The request body is not valid JSON: a control character is not escaped at offset 6.',
    ],
    [
      'an unknown escape',
      '{"a":"\\x"}',
      'The request body is not valid JSON: a string has an invalid escape at offset 6.',
    ],
    [
      'a short \\u escape',
      '{"a":"\\u12"}',
      "The request body is not valid JSON: '\\u' is not followed by four hex digits at offset 6.",
    ],
    [
      'more after the object',
      '{} {}',
      'The request body is not valid JSON: there is more after the object, at offset 3.',
    ],
    ['a byte order mark', '\ufeff{}', 'The request body must be a JSON object.'],
    [
      'bytes that are not UTF-8',
      new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      'The request body is not valid JSON: it is not UTF-8.',
    ],
    [
      'nesting deeper than the limit',
      `{"a":${'['.repeat(JSON_LIMITS.maxDepth)}${']'.repeat(JSON_LIMITS.maxDepth)}}`,
      `The request body nests objects and arrays more than ${JSON_LIMITS.maxDepth} deep.`,
    ],
    [
      'more values than the limit',
      `{"a":[${Array.from({ length: JSON_LIMITS.maxValues }, () => '0').join(',')}]}`,
      `The request body has more than ${JSON_LIMITS.maxValues} JSON values.`,
    ],
    [
      'a body larger than the limit',
      `{"a":"${'x'.repeat(JSON_LIMITS.maxBytes)}"}`,
      `The request body is larger than ${JSON_LIMITS.maxBytes} bytes.`,
    ],
  ]
  for (const [name, body, message] of MALFORMED) {
    it(`refuses ${name} with SerializationException`, () => {
      assert.deepEqual(refusal(body), { code: 'SerializationException', message })
    })
  }

  it('accepts nesting at the limit, and values up to the limit', () => {
    const depth = JSON_LIMITS.maxDepth - 1
    assert.equal(refusal(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`), undefined)
    const values = JSON_LIMITS.maxValues - 2
    assert.equal(
      refusal(`{"a":[${Array.from({ length: values }, () => '0').join(',')}]}`),
      undefined,
    )
  })

  it('decodes what JSON.parse decodes, for valid documents', () => {
    const doc = {
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'ü "quoted" \n tab\t' }],
      StartTime: 1773568800.123,
      MaxResults: 50,
      Nested: { a: [true, false, null, -0.5, 1e21] },
    }
    const text = JSON.stringify(doc)
    assert.equal(JSON.stringify(decodeJson(bytes(text))), text)
  })
})

describe('encodeJson', () => {
  it('sends Dates as epoch seconds, milliseconds as a fraction, and leaves undefined out', () => {
    assert.equal(
      encodeJson({
        At: new Date('2026-03-15T12:00:00.250Z'),
        Whole: new Date('2026-03-15T12:00:00Z'),
        Missing: undefined,
        List: [new Date(0), 'x', 1, false, { Inner: undefined, Kept: 'y' }],
      }),
      '{"At":1773576000.25,"Whole":1773576000,"List":[0,"x",1,false,{"Kept":"y"}]}',
    )
  })

  it('refuses what JSON cannot carry rather than send null', () => {
    assert.throws(() => encodeJson({ N: Number.NaN }), RangeError)
    assert.throws(() => encodeJson({ D: new Date(Number.NaN) }), RangeError)
  })
})

describe('jsonErrorOf', () => {
  it('sends a denial as AccessDeniedException (400), a failure as InternalFailure (500)', () => {
    const denied = jsonErrorOf(new AwsError('AccessDenied', 'User: x is not authorized'))
    assert.deepEqual(
      [denied.code, denied.status, denied.fault, denied.message],
      ['AccessDeniedException', 400, 'client', 'User: x is not authorized'],
    )
    const inner = new Error('SQLITE_BUSY at /var/lib/gatehouse')
    const failed = jsonErrorOf(
      new AwsError('ServiceFailure', SERVICE_FAILURE_MESSAGE, { cause: inner }),
    )
    assert.deepEqual(
      [failed.code, failed.status, failed.fault, failed.message, failed.cause],
      ['InternalFailure', 500, 'server', SERVICE_FAILURE_MESSAGE, inner],
    )
  })

  it('keeps the code and status of the signature and credential errors', () => {
    for (const code of ['InvalidClientTokenId', 'IncompleteSignature', 'ExpiredToken'] as const) {
      const error = new AwsError(code, 'm')
      const json = jsonErrorOf(error)
      assert.deepEqual([json.code, json.status, json.message], [code, error.status, 'm'])
    }
  })
})

describe('the awsJson request path', () => {
  let t: JsonInProcess

  before(async () => {
    t = await startJsonInProcess()
    await t.trail.appendTrailEvents([
      sampleEvent({ eventName: 'CreateUser', time: '2026-03-15T10:00:00Z' }),
    ])
  })
  after(() => t.close())

  it('answers with the awsJson content type, x-amzn-RequestId and the server date', async () => {
    const r = await t.call({})
    assert.equal(r.status, 200, r.body)
    assert.equal(r.headers['content-type'], 'application/x-amz-json-1.1')
    assert.match(r.headers['x-amzn-requestid'] ?? '', /^[0-9a-f-]{36}$/)
    assert.equal(r.headers['date'], 'Sun, 15 Mar 2026 12:00:00 GMT')
  })

  it("answers botocore's target prefix as SDK v3's", async () => {
    const short = await t.call({}, { target: 'CloudTrail_20131101.LookupEvents' })
    const long = await t.call(
      {},
      { target: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents' },
    )
    assert.equal(short.status, 200)
    assert.equal(long.status, 200)
    assert.deepEqual(long.json, short.json)
  })

  const UNKNOWN: readonly [string, string][] = [
    ['CloudTrail_20131101.CreateTrail', 'an operation CloudTrail has but this server does not'],
    ['CloudTrail_20131101.lookupevents', 'an operation in another case'],
    ['DynamoDB_20120810.ListTables', 'another service'],
    ['LookupEvents', 'no prefix'],
    ['CloudTrail_20131101.', 'no operation'],
    ['', 'an empty target'],
  ]
  for (const [target, what] of UNKNOWN) {
    it(`answers ${what} with UnknownOperationException`, async () => {
      const r = await t.call({}, { target })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'UnknownOperationException',
        message: `The X-Amz-Target ${JSON.stringify(target)} names no operation of this server.`,
      })
      assert.equal(r.headers['content-type'], 'application/x-amz-json-1.1')
      assert.match(r.headers['x-amzn-requestid'] ?? '', /^[0-9a-f-]{36}$/)
    })
  }

  it('cuts a long unknown target in its message', async () => {
    const target = `CloudTrail_20131101.${'X'.repeat(500)}`
    const r = await t.call({}, { target })
    assert.equal(r.error?.code, 'UnknownOperationException')
    assert.ok((r.error?.message.length ?? 0) < 300)
  })

  it('refuses two X-Amz-Target headers rather than pick one', async () => {
    const r = await t.call({}, { headers: [['X-Amz-Target', 'CloudTrail_20131101.LookupEvents']] })
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'UnknownOperationException',
      message: 'The request must have exactly one X-Amz-Target header.',
    })
  })

  it('refuses a request signed for another service, as the awsQuery path does', async () => {
    const r = await t.call({}, { service: 'iam' })
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'SignatureDoesNotMatch',
      message: "Credential should be scoped to correct service: 'cloudtrail'.",
    })
  })

  it('refuses an unknown access key with InvalidClientTokenId', async () => {
    const r = await t.call(
      {},
      { key: { accessKeyId: 'AKIANOSUCHKEY0000001', secretAccessKey: 'x'.repeat(40) } },
    )
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    })
  })

  it('refuses a wrong secret with SignatureDoesNotMatch, telling nothing of what was signed', async () => {
    const r = await t.call(
      {},
      { key: { accessKeyId: ROOT_KEY.accessKeyId, secretAccessKey: 'wrong'.repeat(8) } },
    )
    assert.equal(r.status, 403)
    assert.equal(r.error?.code, 'SignatureDoesNotMatch')
    assert.ok(!r.body.includes('AWS4-HMAC-SHA256\n'))
  })

  it('refuses a request signed too long ago', async () => {
    const r = await t.call({}, { time: '20260315T100000Z' })
    assert.equal(r.status, 403)
    assert.equal(r.error?.code, 'SignatureDoesNotMatch')
    assert.match(r.error?.message ?? '', /Signature expired/)
  })

  it('refuses an unsigned request with MissingAuthenticationToken', async () => {
    const response = await handleJsonRequest(t.deps, {
      method: 'POST',
      path: '/',
      query: '',
      headers: [
        ['Host', 'cloudtrail.example.test'],
        ['X-Amz-Target', 'CloudTrail_20131101.LookupEvents'],
        ['Content-Type', 'application/x-amz-json-1.1'],
      ],
      body: bytes('{}'),
      sourceIp: '127.0.0.1',
      secure: false,
    })
    assert.equal(response.status, 403)
    assert.deepEqual(JSON.parse(response.body), {
      __type: 'MissingAuthenticationToken',
      message: 'Request is missing Authentication Token',
    })
  })

  it('refuses a body that is not JSON with SerializationException (400)', async () => {
    const r = await t.call('{"MaxResults":')
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'SerializationException',
      message: 'The request body is not valid JSON: it ends where a value should begin.',
    })
  })

  const WRONG_TYPES: readonly [string, Record<string, unknown>, string][] = [
    [
      'MaxResults as a string',
      { MaxResults: '5' },
      'STRING_VALUE can not be converted to an Integer',
    ],
    [
      'MaxResults as a fraction',
      { MaxResults: 1.5 },
      'NUMBER_VALUE can not be converted to an Integer',
    ],
    [
      'MaxResults as a boolean',
      { MaxResults: true },
      'TRUE_VALUE can not be converted to an Integer',
    ],
    [
      'StartTime as an ISO string',
      { StartTime: '2026-03-15T10:00:00Z' },
      'STRING_VALUE can not be converted to a Timestamp',
    ],
    ['EndTime as a boolean', { EndTime: false }, 'FALSE_VALUE can not be converted to a Timestamp'],
    ['NextToken as a number', { NextToken: 5 }, 'NUMBER_VALUE can not be converted to a String'],
    [
      'EventCategory as an object',
      { EventCategory: {} },
      'Start of structure or map found where not expected.',
    ],
    [
      'LookupAttributes as an object',
      { LookupAttributes: { AttributeKey: 'Username', AttributeValue: 'x' } },
      'Start of structure or map found where not expected.',
    ],
    [
      'a lookup attribute as a list',
      { LookupAttributes: [['Username', 'x']] },
      'Start of list found where not expected.',
    ],
    [
      'a lookup attribute as a string',
      { LookupAttributes: ['Username'] },
      'STRING_VALUE can not be converted to a Structure',
    ],
    [
      'AttributeValue as a number',
      { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 1 }] },
      'NUMBER_VALUE can not be converted to a String',
    ],
  ]
  for (const [name, input, message] of WRONG_TYPES) {
    it(`refuses ${name} with SerializationException`, async () => {
      const r = await t.call(input)
      assert.equal(r.status, 400, r.body)
      assert.deepEqual(r.error, { code: 'SerializationException', message })
    })
  }

  it('takes a null member as absent, and ignores members the model does not have', async () => {
    const r = await t.call({ MaxResults: null, NextToken: null, Unknown: { x: 1 } })
    assert.equal(r.status, 200, r.body)
    assert.equal((r.json as { Events: unknown[] }).Events.length, 1)
  })

  it('hands every answered call to the audit trail, allowed or not', async () => {
    t.audited.length = 0
    const ok = await t.call({ MaxResults: 5 })
    const bad = await t.call({ MaxResults: 0 })
    const unknown = await t.call({}, { target: 'CloudTrail_20131101.StopLogging' })
    assert.equal(t.audited.length, 3)
    const [allowed, refused, unrouted] = t.audited
    assert.equal(allowed?.requestId, ok.headers['x-amzn-requestid'])
    assert.equal(allowed?.service, 'cloudtrail')
    assert.equal(allowed?.action, 'LookupEvents')
    assert.equal(allowed?.readOnly, true)
    assert.equal(allowed?.accountId, ACCOUNT_ID)
    assert.equal(allowed?.accessKeyId, ROOT_KEY.accessKeyId)
    assert.equal(allowed?.region, 'us-east-1')
    assert.deepEqual({ ...allowed?.parameters }, { MaxResults: 5 })
    // A read-only call has no responseElements; LookupEvents' own would nest records.
    assert.deepEqual(allowed?.result, {})
    assert.equal(allowed?.error, undefined)
    assert.equal(refused?.requestId, bad.headers['x-amzn-requestid'])
    assert.deepEqual(refused?.error, {
      code: 'InvalidMaxResultsException',
      message: 'The MaxResults value 0 is not valid. Specify a value from 1 through 50.',
    })
    assert.equal(refused?.result, undefined)
    assert.equal(unrouted?.requestId, unknown.headers['x-amzn-requestid'])
    assert.equal(unrouted?.service, 'cloudtrail')
    assert.equal(unrouted?.action, 'StopLogging')
    assert.equal(unrouted?.error?.code, 'UnknownOperationException')
    assert.equal(unrouted?.caller, undefined)
  })

  it('answers InternalFailure (500) when the audit trail cannot take the record', async () => {
    const failing = await startJsonInProcess()
    try {
      const deps = {
        ...failing.deps,
        audit: () => Promise.reject(new Error('disk full at /var/lib/gatehouse')),
      }
      const signed = signRequest({
        form: 'header',
        time: NOW,
        headers: [['X-Amz-Target', 'CloudTrail_20131101.LookupEvents']],
        body: '{}',
        service: 'cloudtrail',
        accessKeyId: ROOT_KEY.accessKeyId,
        secret: ROOT_KEY.secretAccessKey,
      })
      const response = await handleJsonRequest(deps, {
        ...signed,
        sourceIp: '127.0.0.1',
        secure: false,
      })
      assert.equal(response.status, 500)
      const body = JSON.parse(response.body) as { __type: string; message: string }
      assert.equal(body.__type, 'InternalFailure')
      // SECURITY: the failure's own text stays in the log.
      assert.ok(!response.body.includes('/var/lib'))
    } finally {
      await failing.close()
    }
  })

  it('logs one line per request with its outcome', async () => {
    t.logLines.length = 0
    const r = await t.call({ MaxResults: 51 })
    const line = t.logLines.find((l) => l['requestId'] === r.headers['x-amzn-requestid'])
    assert.equal(line?.['msg'], 'request')
    assert.equal(line?.['service'], 'cloudtrail')
    assert.equal(line?.['action'], 'LookupEvents')
    assert.equal(line?.['status'], 400)
    assert.equal(line?.['code'], 'InvalidMaxResultsException')
    assert.equal(line?.['caller'], `arn:aws:iam::${ACCOUNT_ID}:root`)
  })
})

describe('the awsJson request path in report-only mode', () => {
  let t: JsonInProcess

  before(async () => {
    t = await startJsonInProcess({ enforcement: 'report-only' })
  })
  after(() => t.close())

  it('lets a denied call through and logs what would have been denied', async () => {
    const nobody = await createUserWithKey(t.g, 'nobody')
    const r = await t.call({}, { key: nobody })
    assert.equal(r.status, 200, r.body)
    const warning = t.logLines.find((l) => String(l['msg']).startsWith('report-only: would deny'))
    assert.equal(warning?.['missingPermission'], 'cloudtrail:LookupEvents on *')
    assert.equal(warning?.['caller'], `arn:aws:iam::${ACCOUNT_ID}:user/nobody`)
  })
})
