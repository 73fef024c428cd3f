/**
 * The query codec against the real AWS SDK for JavaScript v3 (@aws-sdk/client-iam and
 * client-sts): the SDK serializes and signs each command, the codec decodes and reads it, encodes
 * a result, and the SDK parses that. Only the transport is replaced, by a request handler that
 * answers in process with an HTTP response; the SDK's serializers, signer, XML parser and
 * paginator are its own.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  CreateUserCommand,
  DeleteUserCommand,
  GetAccountSummaryCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutAccountPropertiesCommand,
  paginateListUsers,
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { AwsError } from '../../src/errors/aws-error.js'
import { renderQueryErrorXml } from '../../src/errors/query-error-xml.js'
import type { QueryService } from '../../src/errors/query-error-xml.js'
import { decodeForm } from '../../src/protocol/query/decode-form.js'
import { encodePolicyDocument } from '../../src/protocol/query/encode-policy-document.js'
import { encodeXml } from '../../src/protocol/query/encode-xml.js'
import type { QueryRequest } from '../../src/protocol/query/query-request.js'
import { readParams } from '../../src/protocol/query/read-params.js'
import type { XmlValue } from '../../src/protocol/query/xml-value.js'
import { loadVectors, shapeFromJson, valueToJson } from './query-json.js'

// The SDK warns once per process that its releases after January 2027 will need Node 22; the
// pinned versions run on Node 20, and the warning would only clutter the test output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

const REQUEST_ID = '7a62c49f-347e-4fc4-9331-6e8eEXAMPLE'

type Structure = { readonly [member: string]: XmlValue | undefined }

/** What the in-process "server" answers: a result (or none), or an error. */
type Answer = { readonly result?: Structure } | { readonly error: AwsError }

/** The shapes of the read-params vectors, by operation. */
const shapes = (loadVectors('read-params.json') as { shapes: Record<string, unknown> }).shapes

function readInput(request: QueryRequest, operation: string): unknown {
  const shape = shapeFromJson(shapes[operation])
  assert.equal(shape.kind, 'structure')
  return valueToJson(readParams(request.params, shape))
}

/** One request as the SDK sent it and the codec decoded it. */
interface Seen {
  readonly method: string
  readonly contentType: string | undefined
  readonly body: string
  readonly decoded: QueryRequest
}

/**
 * The transport of an IAM or STS client, handing each request to the codec: `answer` sees the
 * decoded request and says what to send back, which goes out as the XML encodeXml (or, for an
 * error, renderQueryErrorXml) writes.
 */
function transport(service: QueryService, answer: (request: QueryRequest) => Answer) {
  const seen: Seen[] = []
  const requestHandler = {
    handle: (request: {
      method: string
      headers: Record<string, string>
      body?: unknown
    }): Promise<{
      response: { statusCode: number; headers: Record<string, string>; body: Uint8Array }
    }> => {
      const body = typeof request.body === 'string' ? request.body : ''
      const decoded = decodeForm({ body })
      seen.push({
        method: request.method,
        contentType: request.headers['content-type'],
        body,
        decoded,
      })
      const reply = answer(decoded)
      const xml =
        'error' in reply
          ? renderQueryErrorXml(reply.error, service, REQUEST_ID)
          : encodeXml(service, decoded.action, reply.result, REQUEST_ID)
      return Promise.resolve({
        response: {
          statusCode: 'error' in reply ? reply.error.status : 200,
          headers: { 'content-type': 'text/xml', 'x-amzn-requestid': REQUEST_ID },
          body: new TextEncoder().encode(xml),
        },
      })
    },
  }
  return { requestHandler, seen }
}

const CLIENT_CONFIG = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:4566',
  maxAttempts: 1,
  credentials: {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  },
}

function iamClient(answer: (request: QueryRequest) => Answer) {
  const { requestHandler, seen } = transport('iam', answer)
  return { client: new IAMClient({ ...CLIENT_CONFIG, requestHandler }), seen }
}

function stsClient(answer: (request: QueryRequest) => Answer) {
  const { requestHandler, seen } = transport('sts', answer)
  return { client: new STSClient({ ...CLIENT_CONFIG, requestHandler }), seen }
}

const CREATED = new Date('2013-06-08T03:20:41.270Z')

describe('the real SDK v3 against the query codec', () => {
  it("CreateUser: the SDK's body reads back as the input; the SDK reads the user back", async () => {
    const input = {
      Path: '/division_abc/',
      UserName: 'Bob+=,.@_-9',
      Tags: [
        { Key: 'Cost Center', Value: '12345' },
        { Key: 'a+b=c/d:e@f', Value: '' },
        { Key: 'Équipe', Value: '日本 語' },
      ],
    }
    const user = {
      Path: input.Path,
      UserName: input.UserName,
      UserId: 'AIDACKCEVSQ6C2EXAMPLE',
      Arn: `arn:aws:iam::123456789012:user/division_abc/${input.UserName}`,
      CreateDate: CREATED,
      Tags: input.Tags,
    }
    const { client, seen } = iamClient((request) => {
      assert.deepEqual(readInput(request, 'CreateUser'), input)
      return { result: { User: user } }
    })
    const output = await client.send(new CreateUserCommand(input))
    assert.deepEqual(output.User, user)
    assert.equal(output.$metadata.requestId, REQUEST_ID)
    assert.equal(seen.length, 1)
    assert.equal(seen[0]?.method, 'POST')
    assert.equal(seen[0]?.contentType, 'application/x-www-form-urlencoded')
    assert.equal(seen[0]?.decoded.action, 'CreateUser')
    assert.equal(seen[0]?.decoded.version, '2010-05-08')
  })

  it('CreateUser with no tags: the SDK sends `Tags=`, read as an empty list', async () => {
    const { client, seen } = iamClient((request) => {
      assert.deepEqual(readInput(request, 'CreateUser'), { UserName: 'Alice', Tags: [] })
      return { result: {} }
    })
    const output = await client.send(new CreateUserCommand({ UserName: 'Alice', Tags: [] }))
    assert.equal(output.User, undefined)
    assert.match(seen[0]?.body ?? '', /&Tags=$/)
  })

  it('CreateUser without UserName: the SDK sends it, and reads the ValidationError back', async () => {
    const { client } = iamClient((request) => {
      try {
        readInput(request, 'CreateUser')
      } catch (err) {
        if (err instanceof AwsError) return { error: err }
        throw err
      }
      assert.fail('expected a ValidationError')
    })
    // @ts-expect-error -- UserName is required; the SDK does not check it (reference §4.1)
    const sent = client.send(new CreateUserCommand({}))
    await assert.rejects(sent, (err: unknown) => {
      assert.ok(err instanceof Error)
      assert.equal(err.name, 'ValidationError')
      assert.equal(
        err.message,
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      )
      return true
    })
  })

  it('ListUsers: the paginator follows Marker and stops on the page without one', async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({
      Path: '/',
      UserName: `user${i}`,
      UserId: `AIDAEXAMPLEUSER0000${i}`,
      Arn: `arn:aws:iam::123456789012:user/user${i}`,
      CreateDate: new Date(Date.UTC(2026, 10, 28, 19, 12, i)),
    }))
    const { client, seen } = iamClient((request) => {
      const input = readInput(request, 'ListUsers') as { Marker?: string; MaxItems?: number }
      const start = input.Marker === undefined ? 0 : Number(input.Marker.slice('page:'.length))
      const end = Math.min(start + (input.MaxItems ?? 100), all.length)
      const truncated = end < all.length
      return {
        result: {
          Users: all.slice(start, end),
          IsTruncated: truncated,
          Marker: truncated ? `page:${end}` : undefined,
        },
      }
    })
    const users = []
    for await (const page of paginateListUsers({ client, pageSize: 3 }, {})) {
      users.push(...(page.Users ?? []))
    }
    assert.deepEqual(users, all)
    assert.deepEqual(
      seen.map((s) => [...s.decoded.params]),
      [
        [['MaxItems', '3']],
        [
          ['Marker', 'page:3'],
          ['MaxItems', '3'],
        ],
        [
          ['Marker', 'page:6'],
          ['MaxItems', '3'],
        ],
      ],
    )
  })

  it('ListUsers with no users: `<Users/>` is an empty list', async () => {
    const { client } = iamClient(() => ({ result: { Users: [], IsTruncated: false } }))
    const output = await client.send(new ListUsersCommand({}))
    assert.deepEqual(output.Users, [])
    assert.equal(output.IsTruncated, false)
    assert.equal(output.Marker, undefined)
  })

  it('GetAccountSummary: a map of integers', async () => {
    const summary = new Map([
      ['Users', 7],
      ['UsersQuota', 5000],
      ['AccountMFAEnabled', 0],
    ])
    const { client } = iamClient(() => ({ result: { SummaryMap: summary } }))
    const output = await client.send(new GetAccountSummaryCommand({}))
    assert.deepEqual(output.SummaryMap, Object.fromEntries(summary))
  })

  it('DeleteUser: a response with no Result', async () => {
    const { client, seen } = iamClient(() => ({}))
    const output = await client.send(new DeleteUserCommand({ UserName: 'Bob' }))
    assert.deepEqual(Object.keys(output), ['$metadata'])
    assert.equal(output.$metadata.httpStatusCode, 200)
    assert.deepEqual([...(seen[0]?.decoded.params ?? [])], [['UserName', 'Bob']])
  })

  it('GetRole: the trust policy arrives percent-encoded and decodes to the JSON stored', async () => {
    const trust = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::123456789012:root' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': "a+b c!'()*" } },
          },
        ],
      },
      null,
      2,
    )
    const role = {
      Path: '/',
      RoleName: 'demo',
      RoleId: 'AROAEXAMPLEDEMO00001',
      Arn: 'arn:aws:iam::123456789012:role/demo',
      CreateDate: CREATED,
      AssumeRolePolicyDocument: encodePolicyDocument(trust),
      MaxSessionDuration: 3600,
      RoleLastUsed: { LastUsedDate: new Date('2026-11-28T19:12:27Z'), Region: 'us-east-1' },
      Tags: [],
    }
    const { client } = iamClient(() => ({ result: { Role: role } }))
    const output = await client.send(new GetRoleCommand({ RoleName: 'demo' }))
    assert.deepEqual(output.Role, role)
    // SDK v3 passes the encoded form through (reference §1.6); every decoder gets the JSON back.
    assert.equal(decodeURIComponent(output.Role?.AssumeRolePolicyDocument ?? ''), trust)
  })

  it("PutAccountProperties: the SDK's map input reads back as a Map", async () => {
    const { client } = iamClient((request) => {
      assert.deepEqual(readInput(request, 'PutAccountProperties'), {
        Properties: {
          $map: [
            ['RoleManager/Enabled', 'true'],
            ['a b', 'x&y'],
          ],
        },
      })
      return {}
    })
    await client.send(
      new PutAccountPropertiesCommand({
        Properties: { 'RoleManager/Enabled': 'true', 'a b': 'x&y' },
      }),
    )
  })

  it('GetUser: any string XML can carry comes back to the SDK unchanged', async () => {
    const xmlText = fc
      .string({ unit: 'binary', maxLength: 30 })
      .filter((s) => !/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(s))
    let name = ''
    const { client } = iamClient(() => ({
      result: {
        User: { UserName: name, Path: '/', Arn: 'arn', UserId: 'AIDA', CreateDate: CREATED },
      },
    }))
    await fc.assert(
      fc.asyncProperty(xmlText, async (text) => {
        name = text
        const output = await client.send(new GetUserCommand({ UserName: 'x' }))
        assert.equal(output.User?.UserName, text)
      }),
      {
        seed: 3201,
        numRuns: 200,
        examples: [
          [' '],
          ['\r'],
          ['a\r\nb'],
          ['\t x \n'],
          ['&#13;'],
          ['<![CDATA[x]]>'],
          ['\u{1F600}'],
        ],
      },
    )
  })
})

describe('the real STS client against the query codec', () => {
  it('AssumeRole: session policies, tags and transitive keys read back; credentials parse', async () => {
    const input = {
      RoleArn: 'arn:aws:iam::123456789012:role/demo',
      RoleSessionName: 'John-session',
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      Policy:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
      DurationSeconds: 1800,
      Tags: [
        { Key: 'Project', Value: 'Pegasus' },
        { Key: 'Cost-Center', Value: '12345' },
      ],
      TransitiveTagKeys: ['Project'],
      ExternalId: '123ABC',
      SourceIdentity: 'DevUser123',
    }
    const result = {
      Credentials: {
        AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
        SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
        SessionToken: 'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW',
        Expiration: new Date('2019-07-15T23:28:33.359Z'),
      },
      AssumedRoleUser: {
        AssumedRoleId: 'AROACLKWSDQRAOEXAMPLE:John-session',
        Arn: 'arn:aws:sts::123456789012:assumed-role/demo/John-session',
      },
      PackedPolicySize: 8,
      SourceIdentity: 'DevUser123',
    }
    const { client, seen } = stsClient((request) => {
      assert.deepEqual(readInput(request, 'AssumeRole'), input)
      return { result }
    })
    const output = await client.send(new AssumeRoleCommand(input))
    const { $metadata, ...parsed } = output
    assert.deepEqual(parsed, result)
    assert.equal($metadata.requestId, REQUEST_ID)
    assert.equal(seen[0]?.decoded.version, '2011-06-15')
  })

  it('GetCallerIdentity: a request with no parameters, answered in the STS namespace', async () => {
    const identity = {
      UserId: 'AIDACKCEVSQ6C2EXAMPLE',
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:user/Bob',
    }
    const { client, seen } = stsClient(() => ({ result: identity }))
    const { $metadata, ...parsed } = await client.send(new GetCallerIdentityCommand({}))
    assert.deepEqual(parsed, identity)
    assert.equal($metadata.httpStatusCode, 200)
    assert.equal(seen[0]?.decoded.action, 'GetCallerIdentity')
    assert.equal(seen[0]?.decoded.params.size, 0)
  })
})
