/**
 * Bad input against the real server over real HTTP: every request here is refused with AWS's
 * code, status and message, and none of them changes anything (the account's state is read
 * before and after, and compared whole). Requests are signed by the test signer, so each can
 * be broken in exactly one way.
 */
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  paginateListUsers,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import { signRequest } from '../auth/sigv4-signer.js'
import type { SignOptions } from '../auth/sigv4-signer.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** `YYYYMMDDTHHMMSSZ` for a time `offsetMs` from now. */
function amzTime(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')
}

function form(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
}

/** What the server answered: status, and the error's code and message. */
interface Answer {
  readonly status: number
  readonly code: string | undefined
  readonly message: string | undefined
}

/** A bad request and the answer AWS gives it. */
interface BadCase {
  readonly name: string
  /** The request, given the root key. */
  readonly build: (root: Key) => {
    readonly options: SignOptions | undefined
    readonly raw?: { headers: [string, string][]; body: string }
    /** Changes the signed request after signing. */
    readonly tamper?: (r: { headers: [string, string][]; body: string; query: string }) => void
  }
  readonly status: number
  readonly code: string
  /** The exact message, or a pattern for messages that carry times. */
  readonly message: string | RegExp
}

const CREATE_CAROL = { Action: 'CreateUser', Version: '2010-05-08', UserName: 'carol' }

function signed(root: Key, params: Record<string, string>, extra: Partial<SignOptions> = {}) {
  return {
    options: {
      form: 'header' as const,
      time: amzTime(),
      headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']] as [
        string,
        string,
      ][],
      body: form(params),
      accessKeyId: root.accessKeyId,
      secret: root.secretAccessKey,
      ...extra,
    },
  }
}

const CASES: readonly BadCase[] = [
  {
    name: 'a required parameter missing',
    build: (root) => signed(root, { Action: 'CreateUser', Version: '2010-05-08' }),
    status: 400,
    code: 'ValidationError',
    message:
      "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'a name over its length',
    build: (root) => signed(root, { ...CREATE_CAROL, UserName: 'c'.repeat(65) }),
    status: 400,
    code: 'ValidationError',
    message:
      /at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64$/,
  },
  {
    name: 'a name outside its pattern',
    build: (root) => signed(root, { ...CREATE_CAROL, UserName: 'carol/evil' }),
    status: 400,
    code: 'ValidationError',
    message:
      /Value 'carol\/evil' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  },
  {
    name: 'a policy document that is not JSON',
    build: (root) =>
      signed(root, {
        Action: 'PutUserPolicy',
        Version: '2010-05-08',
        UserName: 'alice',
        PolicyName: 'Broken',
        PolicyDocument: '{"Version": "2012-10-17", "Statement": [',
      }),
    status: 400,
    code: 'MalformedPolicyDocument',
    message: 'Syntax errors in policy.',
  },
  {
    // PE-007 of test/cases/parse-errors: AWS reads an unknown version string as a syntax error.
    name: 'a policy with an unknown Version',
    build: (root) =>
      signed(root, {
        Action: 'PutUserPolicy',
        Version: '2010-05-08',
        UserName: 'alice',
        PolicyName: 'OldVersion',
        PolicyDocument:
          '{"Version":"2013-01-01","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
      }),
    status: 400,
    code: 'MalformedPolicyDocument',
    message: 'Syntax errors in policy.',
  },
  {
    name: 'a policy document over the model size',
    build: (root) =>
      signed(root, {
        Action: 'PutUserPolicy',
        Version: '2010-05-08',
        UserName: 'alice',
        PolicyName: 'Huge',
        PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"${'x'.repeat(131_100)}"}]}`,
      }),
    status: 400,
    code: 'ValidationError',
    message:
      /at 'policyDocument' failed to satisfy constraint: Member must have length less than or equal to 131072$/,
  },
  {
    name: 'an unknown action',
    build: (root) => signed(root, { Action: 'CreateUnicorn', Version: '2010-05-08' }),
    status: 400,
    code: 'InvalidAction',
    message: 'Could not find operation CreateUnicorn for version 2010-05-08',
  },
  {
    name: "another API version than IAM's",
    build: (root) => signed(root, { ...CREATE_CAROL, Version: '2009-01-01' }),
    status: 400,
    code: 'InvalidAction',
    message: 'Could not find operation CreateUser for version 2009-01-01',
  },
  {
    name: 'no signature at all',
    build: () => ({
      options: undefined,
      raw: {
        headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
        body: form(CREATE_CAROL),
      },
    }),
    status: 403,
    code: 'MissingAuthenticationToken',
    message: 'Request is missing Authentication Token',
  },
  {
    name: 'an Authorization header without its Signature',
    build: (root) => ({
      ...signed(root, CREATE_CAROL),
      tamper: (r) => {
        const auth = r.headers.find(([k]) => k === 'Authorization')
        if (auth !== undefined) auth[1] = auth[1].replace(/, Signature=[0-9a-f]+/, '')
      },
    }),
    status: 400,
    code: 'IncompleteSignature',
    message: /^Authorization header requires 'Signature' parameter\./,
  },
  {
    name: 'a body changed after signing',
    build: (root) => ({
      ...signed(root, CREATE_CAROL),
      tamper: (r) => {
        r.body = r.body.replace('carol', 'carl0')
      },
    }),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  },
  {
    name: 'a request replayed after the skew window (signed 20 minutes ago)',
    build: (root) => signed(root, CREATE_CAROL, { time: amzTime(-20 * 60_000) }),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message:
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
  },
  {
    name: 'a request dated too far in the future',
    build: (root) => signed(root, CREATE_CAROL, { time: amzTime(20 * 60_000) }),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message:
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
  },
  {
    name: 'a presigned URL past its expiry',
    build: (root) => ({
      options: {
        form: 'query' as const,
        method: 'GET',
        time: amzTime(-120_000),
        expires: 60,
        query: form(CREATE_CAROL),
        accessKeyId: root.accessKeyId,
        secret: root.secretAccessKey,
      },
    }),
    status: 400,
    code: 'RequestExpired',
    message: /^Request has expired/,
  },
  {
    name: 'an unknown access key',
    build: (root) =>
      signed(root, CREATE_CAROL, {
        accessKeyId: 'AKIAUNKNOWNKEY000000',
      }),
    status: 403,
    code: 'InvalidClientTokenId',
    message: 'The security token included in the request is invalid.',
  },
]

/** Sends a request with exactly these headers (Host included) over real HTTP. */
function send(
  url: URL,
  method: string,
  path: string,
  headers: readonly [string, string][],
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: headers.flat() },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

function answerOf(reply: { status: number; body: string }): Answer {
  return {
    status: reply.status,
    code: /<Code>([^<]*)<\/Code>/.exec(reply.body)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(reply.body)?.[1]?.replace(/&apos;/g, "'"),
  }
}

describe('bad input against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  const iam = () =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: root, maxAttempts: 1 })

  /** Everything the bad requests could touch. */
  async function snapshot(): Promise<unknown> {
    const users = (await iam().send(new ListUsersCommand({}))).Users?.map((u) => u.UserName)
    const policies = (await iam().send(new ListUserPoliciesCommand({ UserName: 'alice' })))
      .PolicyNames
    const keys = (await iam().send(new ListAccessKeysCommand({ UserName: 'alice' })))
      .AccessKeyMetadata?.length
    return { users, policies, keys }
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    await iam().send(new CreateUserCommand({ UserName: 'alice' }))
    await iam().send(new CreateAccessKeyCommand({ UserName: 'alice' }))
    await iam().send(
      new PutUserPolicyCommand({
        UserName: 'alice',
        PolicyName: 'Read',
        PolicyDocument:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}',
      }),
    )
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  for (const c of CASES) {
    it(`refuses ${c.name} with ${c.code} (${String(c.status)}) and changes nothing`, async () => {
      const before = await snapshot()
      const url = new URL(server.url)
      const built = c.build(root)
      let method = 'POST'
      let path = '/'
      let headers: [string, string][]
      let body: string
      if (built.options === undefined) {
        headers = [['Host', url.host], ...(built.raw?.headers ?? [])]
        body = built.raw?.body ?? ''
      } else {
        // Sent exactly as signed, Host included: the server verifies the headers it receives.
        const request = signRequest(built.options)
        headers = request.headers.map(([k, v]) => [k, v])
        body = Buffer.from(request.body).toString('utf8')
        const parts = { headers, body, query: request.query }
        built.tamper?.(parts)
        headers = parts.headers
        body = parts.body
        method = request.method
        path = request.query === '' ? request.path : `${request.path}?${request.query}`
      }
      const answer = answerOf(await send(url, method, path, headers, body))
      assert.equal(answer.code, c.code, JSON.stringify(answer))
      assert.equal(answer.status, c.status)
      if (typeof c.message === 'string') assert.equal(answer.message, c.message)
      else assert.match(answer.message ?? '', c.message)
      assert.deepEqual(await snapshot(), before)
    })
  }

  it('pages through 1,000 users with the SDK paginator, every user once, in order', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`)
    for (const name of names) {
      await iam().send(new CreateUserCommand({ UserName: name, Path: '/bulk/' }))
    }
    const seen: string[] = []
    let pages = 0
    for await (const page of paginateListUsers(
      { client: iam(), pageSize: 100 },
      { PathPrefix: '/bulk/' },
    )) {
      pages++
      // No Marker on the last page: SDK v3 would otherwise ask again.
      if (page.IsTruncated !== true) assert.equal(page.Marker, undefined)
      seen.push(...(page.Users ?? []).map((u) => u.UserName ?? ''))
    }
    assert.equal(pages, 10)
    assert.deepEqual(seen, names)
  })
})
