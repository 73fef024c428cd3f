/**
 * The direct path (src/http/api-server.ts): the API's calls that Node's server hands straight to
 * the pipelines are answered with the same bytes Fastify's route answers them with (the same
 * request sent over a real socket and through inject, on one app with a fixed clock and request
 * id), the calls meant for it take it, and everything else still goes through Fastify.
 */
import { strict as assert } from 'node:assert'
import { execFile, spawnSync } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { buildApp } from '../../src/app.js'
import { SessionTokenKey } from '../../src/auth/session-token.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import { FORM_LIMITS } from '../../src/protocol/query/form-limits.js'
import { epoch, signRequest } from '../auth/sigv4-signer.js'
import type { SignOptions } from '../auth/sigv4-signer.js'
import { ACCOUNT_ID, NOW, ROOT_KEY, formEncode, openAccountStore } from '../support/in-process.js'
import { LOOKUP_EVENTS_TARGET } from '../support/json-in-process.js'
import { NO_AWS_CLI, awsCliEnv } from '../support/aws-cli.js'

const FORM = 'application/x-www-form-urlencoded; charset=utf-8'

/** A request as sent: method, path with query, headers in order, body. */
interface Sent {
  readonly method: string
  readonly url: string
  readonly headers: readonly (readonly [string, string])[]
  readonly body: string
}

/** What came back, as the client sees it. */
interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

function signed(options: Partial<SignOptions> & { body: string }): Sent {
  const s = signRequest({
    form: 'header',
    time: NOW,
    accessKeyId: ROOT_KEY.accessKeyId,
    secret: ROOT_KEY.secretAccessKey,
    headers: [['Content-Type', FORM]],
    ...options,
  })
  return {
    method: s.method,
    url: s.query === '' ? s.path : `${s.path}?${s.query}`,
    headers: s.headers,
    body: options.body,
  }
}

function query(action: string, params: Record<string, string> = {}, service = 'iam'): Sent {
  const version = service === 'sts' ? '2011-06-15' : '2010-05-08'
  return signed({ body: formEncode({ Action: action, Version: version, ...params }), service })
}

/** A GetCallerIdentity presigned in its query, as a GET: Fastify's, not the direct path's. */
function presignedGet(): Sent {
  return signed({
    form: 'query',
    method: 'GET',
    query: 'Action=GetCallerIdentity&Version=2011-06-15',
    service: 'sts',
    headers: [],
    body: '',
  })
}

/** A signed ListUsers with `headers` in place of the usual Content-Type. */
function listUsersWith(headers: readonly (readonly [string, string])[]): Sent {
  return signed({ body: formEncode({ Action: 'ListUsers', Version: '2010-05-08' }), headers })
}

/** Sends over a real socket, headers exactly as given (Content-Length added unless chunked). */
function overSocket(port: number, sent: Sent, chunked = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: [string, string][] = sent.headers.map(([k, v]) => [k, v])
    if (!chunked) headers.push(['Content-Length', String(Buffer.byteLength(sent.body))])
    const req = httpRequest(
      { host: '127.0.0.1', port, method: sent.method, path: sent.url, headers: headers.flat() },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    if (chunked) {
      // Two writes without a length: Node sends the body chunked.
      const half = Math.floor(sent.body.length / 2)
      req.write(sent.body.slice(0, half))
      req.end(sent.body.slice(half))
    } else {
      req.end(sent.body)
    }
  })
}

async function throughFastify(app: FastifyInstance, sent: Sent): Promise<Answer> {
  const headers: Record<string, string> = {}
  for (const [k, v] of sent.headers) headers[k] = v
  const response = await app.inject({
    method: sent.method as 'GET' | 'POST',
    url: sent.url,
    headers,
    payload: sent.body,
  })
  return {
    status: response.statusCode,
    headers: response.headers as IncomingHttpHeaders,
    body: response.body,
  }
}

/** The headers both ways write; a socket's also says how it is kept alive. */
const ANSWER_HEADERS = ['content-type', 'x-amzn-requestid', 'date', 'content-length']

function assertSameAnswer(socket: Answer, inject: Answer, what: string): void {
  assert.equal(socket.status, inject.status, `${what}: status`)
  assert.equal(socket.body, inject.body, `${what}: body`)
  for (const name of ANSWER_HEADERS) {
    assert.equal(socket.headers[name], inject.headers[name], `${what}: ${name}`)
  }
  const extra = Object.keys(socket.headers).filter(
    (name) => !ANSWER_HEADERS.includes(name) && name !== 'connection' && name !== 'keep-alive',
  )
  assert.deepEqual(extra, [], `${what}: headers of its own`)
}

/** An app over a store in memory, listening on loopback, counting what Fastify handles. */
interface Listening {
  readonly app: FastifyInstance
  readonly url: string
  readonly port: number
  /** Requests Fastify handled so far (its onRequest hook ran). */
  throughFastify(): number
  close(): Promise<void>
}

/** `onClock`: called each time the app reads its (fixed) clock. */
async function listen(
  fixed: boolean,
  recordTrail = true,
  onClock?: () => void,
): Promise<Listening> {
  const store = await openAccountStore()
  const trail = openSqliteTrailStore({ filename: ':memory:' })
  const app = buildApp({
    store,
    trail,
    recordTrail,
    sessionTokens: SessionTokenKey.generate(),
    enforcement: 'enforce',
    ...(fixed
      ? {
          clock: () => {
            onClock?.()
            return new Date(epoch(NOW))
          },
          // One id for every request, so that the two ways answer with the same bytes.
          newRequestId: () => '11111111-2222-3333-4444-555555555555',
        }
      : {}),
  })
  let handled = 0
  app.addHook('onRequest', (_request, _reply, done) => {
    handled += 1
    done()
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  assert.ok(address !== null && typeof address === 'object')
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    throughFastify: () => handled,
    async close() {
      await app.close()
      await trail.close()
      await store.close()
    },
  }
}

// Without the trail, the direct path's answers leave together at the end of each turn
// (AnswerBatcher); with it, once their records are journaled. Both must answer the same bytes.
for (const recordTrail of [true, false]) {
  // A timeout: an answer lost on the way would leave its call waiting, not failing.
  describe(
    `the direct path of the API (trail ${recordTrail ? 'on' : 'off'})`,
    { timeout: 120_000 },
    () => {
      let server: Listening
      let app: FastifyInstance
      let port: number

      before(async () => {
        server = await listen(true, recordTrail)
        app = server.app
        port = server.port
        const created = await throughFastify(app, query('CreateUser', { UserName: 'alice' }))
        assert.equal(created.status, 200, created.body)
      })

      after(() => server.close())

      /** Sends `sent` both ways; asserts the answers match and which way the socket's went. */
      async function compare(what: string, sent: Sent, direct: boolean): Promise<Answer> {
        const before = server.throughFastify()
        const socket = await overSocket(port, sent)
        assert.equal(server.throughFastify() - before, direct ? 0 : 1, `${what}: went direct`)
        const inject = await throughFastify(app, sent)
        assertSameAnswer(socket, inject, what)
        return socket
      }

      const wrongKey = { ...ROOT_KEY, secretAccessKey: `${ROOT_KEY.secretAccessKey.slice(1)}x` }
      const directCases: readonly [string, () => Sent, number][] = [
        ['GetUser', () => query('GetUser', { UserName: 'alice' }), 200],
        ['ListUsers', () => query('ListUsers'), 200],
        ['GetCallerIdentity', () => query('GetCallerIdentity', {}, 'sts'), 200],
        ['NoSuchEntity', () => query('GetUser', { UserName: 'bob' }), 404],
        [
          'SignatureDoesNotMatch',
          () =>
            signed({
              body: formEncode({ Action: 'GetUser', Version: '2010-05-08' }),
              secret: wrongKey.secretAccessKey,
            }),
          403,
        ],
        ['an unknown action', () => query('GetUserz'), 400],
        // MalformedQueryString is a 404 in IAM's model.
        [
          'a bad escape',
          () => signed({ body: 'Action=GetUser&Version=2010-05-08&UserName=%ZZ' }),
          404,
        ],
        ['an empty body', () => signed({ body: '' }), 400],
        [
          'a form type without charset',
          () =>
            signed({
              body: formEncode({ Action: 'ListUsers', Version: '2010-05-08' }),
              headers: [['Content-Type', 'application/x-www-form-urlencoded']],
            }),
          200,
        ],
        [
          'awsJson LookupEvents',
          () =>
            signed({
              // A lookup that matches none, so that the first call's own record changes nothing.
              body: JSON.stringify({
                LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'NoSuchEvent' }],
              }),
              service: 'cloudtrail',
              headers: [
                ['Content-Type', 'application/x-amz-json-1.1'],
                ['X-Amz-Target', LOOKUP_EVENTS_TARGET],
              ],
            }),
          200,
        ],
      ]
      for (const [what, sent, status] of directCases) {
        it(`answers ${what} as Fastify does, without Fastify`, async () => {
          const answer = await compare(what, sent(), true)
          assert.equal(answer.status, status, answer.body)
        })
      }

      const fastifyCases: readonly [string, () => Sent][] = [
        ['a presigned GET', () => presignedGet()],
        ['another Content-Type', () => listUsersWith([['Content-Type', 'text/plain']])],
        ['no Content-Type', () => listUsersWith([])],
        ['an invalid Content-Type', () => listUsersWith([['Content-Type', 'form']])],
        [
          'another path',
          () => signed({ body: 'Action=ListUsers&Version=2010-05-08', path: '/iam' }),
        ],
        [
          'a body over the limit',
          () =>
            signed({
              body: `Action=ListUsers&Version=2010-05-08&x=${'a'.repeat(FORM_LIMITS.maxBytes)}`,
            }),
        ],
      ]
      for (const [what, sent] of fastifyCases) {
        it(`leaves ${what} to Fastify`, async () => {
          await compare(what, sent(), false)
        })
      }

      it('leaves a chunked body to Fastify, which reads it whole', async () => {
        const before = server.throughFastify()
        const answer = await overSocket(port, query('ListUsers'), true)
        assert.equal(server.throughFastify() - before, 1)
        assert.equal(answer.status, 200, answer.body)
        assert.match(answer.body, /<UserName>alice<\/UserName>/)
      })

      it('takes many calls at once on kept-alive connections', async () => {
        const answers = await Promise.all(
          Array.from({ length: 64 }, (_, i) =>
            overSocket(port, query('GetUser', { UserName: i % 2 === 0 ? 'alice' : 'bob' })),
          ),
        )
        assert.deepEqual(
          answers.map((a) => a.status),
          Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 200 : 404)),
        )
        // Each answer on its own connection: one batch of answers handed out crosswise would not be
        // told by the statuses alone.
        answers.forEach((a, i) => {
          if (i % 2 === 0) assert.match(a.body, /<UserName>alice<\/UserName>/)
          else assert.match(a.body, /The user with name bob cannot be found\./)
        })
      })
    },
  )
}

// Shutdown with an answer still to come: the server's close ends only the idle connections, so
// the answer must end its own, or the close waits for the client (or keepAliveTimeout, 72 s).
for (const recordTrail of [true, false]) {
  describe(`closing with an answer still to come (trail ${recordTrail ? 'on' : 'off'})`, () => {
    const ways: readonly [string, () => Sent][] = [
      ['on the direct path', () => query('GetCallerIdentity', {}, 'sts')],
      ['through Fastify (a presigned GET)', () => presignedGet()],
    ]
    for (const [way, sent] of ways) {
      it(
        `answers it ${way} with Connection: close, and the close does not wait for the client`,
        {
          // Without Connection: close the close waits 72 s: this fails it instead.
          timeout: 30_000,
        },
        async () => {
          let armed = false
          let closed: Promise<void> | undefined
          const server = await listen(true, recordTrail, () => {
            // The pipeline reads the clock once it has the request: the close starts then.
            if (armed) {
              armed = false
              closed = server.app.close()
            }
          })
          try {
            server.app.server.prependListener('request', () => {
              armed = true
            })
            // Node's global agent keeps connections alive.
            const answer = await overSocket(server.port, sent())
            assert.equal(answer.status, 200, answer.body)
            assert.match(answer.body, /<Account>\d{12}<\/Account>/)
            assert.ok(closed !== undefined, 'the close started while the call was answered')
            assert.equal(answer.headers.connection, 'close')
            await closed
          } finally {
            await server.close()
          }
        },
      )
    }
  })
}

const noBoto3 =
  spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0
    ? false
    : 'boto3 is not installed here'

/**
 * Runs a client to its end without blocking this process, whose event loop serves its calls.
 */
function runClient(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(command, [...args], { env, encoding: 'utf8', timeout: 60_000 }, (error, out, err) => {
      done({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
        out,
        err,
      })
    })
  })
}

// With the trail off their answers go through AnswerBatcher: the clients must not see it.
for (const recordTrail of [true, false]) {
  describe(`the real clients' calls take the direct path (trail ${recordTrail ? 'on' : 'off'})`, () => {
    let server: Listening
    const credentials = {
      accessKeyId: ROOT_KEY.accessKeyId,
      secretAccessKey: ROOT_KEY.secretAccessKey,
    }

    before(async () => {
      server = await listen(false, recordTrail)
    })
    after(() => server.close())

    it('the AWS SDK for JavaScript: IAM, STS and CloudTrail (awsJson)', async () => {
      const before = server.throughFastify()
      const options = { endpoint: server.url, region: 'us-east-1', credentials }
      const user = await new IAMClient(options).send(new GetUserCommand({}))
      assert.equal(user.User?.Arn, `arn:aws:iam::${ACCOUNT_ID}:root`)
      const identity = await new STSClient(options).send(new GetCallerIdentityCommand({}))
      assert.equal(identity.Account, ACCOUNT_ID)
      const events = await new CloudTrailClient(options).send(new LookupEventsCommand({}))
      assert.ok(Array.isArray(events.Events))
      assert.equal(server.throughFastify(), before)
    })

    it('the AWS CLI', { skip: NO_AWS_CLI }, async () => {
      const before = server.throughFastify()
      const run = await runClient(
        'aws',
        ['--endpoint-url', server.url, '--output', 'json', 'sts', 'get-caller-identity'],
        awsCliEnv(credentials),
      )
      assert.equal(run.code, 0, run.err)
      assert.equal((JSON.parse(run.out) as { Account: string }).Account, ACCOUNT_ID)
      assert.equal(server.throughFastify(), before)
    })

    it('boto3', { skip: noBoto3 }, async () => {
      const before = server.throughFastify()
      const script = `
import boto3, json, sys
iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1')
print(json.dumps(iam.get_user()['User']['Arn']))
`
      const run = await runClient('python3', ['-c', script, server.url], awsCliEnv(credentials))
      assert.equal(run.code, 0, run.err)
      assert.equal(JSON.parse(run.out), `arn:aws:iam::${ACCOUNT_ID}:root`)
      assert.equal(server.throughFastify(), before)
    })
  })
}
