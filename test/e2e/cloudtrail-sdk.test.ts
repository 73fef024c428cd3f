/**
 * End to end with the real @aws-sdk/client-cloudtrail (LookupEventsCommand, paginateLookupEvents)
 * and the real AWS CLI (`aws cloudtrail lookup-events --endpoint-url ...`) against a real HTTP
 * listener in this process: real SigV4 signing (SDK v3 and botocore), real HTTP, real JSON on
 * both sides, a real SQLite IAM store, and an audit trail in memory (the port's implementation
 * over an array) filled with records. The listener sends what carries an X-Amz-Target to the
 * awsJson path and the rest to the awsQuery path, as src/app.ts is to; the users and policies
 * are made with the real @aws-sdk/client-iam through it. The CLI tests are skipped, with the
 * reason, where the CLI is not installed.
 */
import { AccessAdvisor } from '../../src/analysis/access-advisor.js'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  CloudTrailClient,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  LookupEventsCommand,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail'
import type { CloudTrailServiceException, Event } from '@aws-sdk/client-cloudtrail'
import Fastify from 'fastify'
import { AuthCache } from '../../src/auth/auth-cache.js'
import { KeyUseRecorder } from '../../src/auth/key-use-recorder.js'
import { PolicyCompiler } from '../../src/auth/policy-compiler.js'
import { SessionTokenKey } from '../../src/auth/session-token.js'
import type { HeaderEntry } from '../../src/auth/sigv4/index.js'
import { handleJsonRequest, isJsonProtocolRequest } from '../../src/http/json-pipeline.js'
import type { JsonPipelineDeps } from '../../src/http/json-pipeline.js'
import { handleQueryRequest } from '../../src/http/query-pipeline.js'
import type { IncomingRequest } from '../../src/http/query-pipeline.js'
import { ensureAccount } from '../../src/startup/ensure-account.js'
import { generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'
import type { StoredTrailEvent } from '../../src/store/trail-store.js'
import { sampleEvent } from '../support/json-in-process.js'
import { ACCOUNT_ID, ROOT_KEY } from '../support/in-process.js'
import { MemoryTrailStore } from '../support/memory-trail-store.js'
import { createUserKey, iamClient } from '../support/sdk-clients.js'
import type { SdkKey } from '../support/sdk-clients.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

const noCli = ((): string | false => {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' })
  return probe.status === 0 ? false : 'the AWS CLI (aws) is not installed here'
})()

/** What a failed SDK call threw: its class, name, message, status and request id. */
async function failure(call: Promise<unknown>): Promise<CloudTrailServiceException> {
  try {
    await call
  } catch (err) {
    assert.ok(err instanceof Error)
    return err as CloudTrailServiceException
  }
  assert.fail('the call succeeded')
}

function rawHeaders(raw: readonly string[]): HeaderEntry[] {
  const headers: HeaderEntry[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i] ?? '', raw[i + 1] ?? ''])
  return headers
}

/** The environment of an AWS CLI that knows only what it is given here. */
function cliEnv(key: SdkKey, configFile = '/dev/null'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) env[name] = value
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    // The CLI prints timestamps in local time.
    TZ: 'UTC',
  }
}

/**
 * Runs the CLI without blocking this process, which is also the server the CLI talks to
 * (spawnSync would stop the listener from answering).
 */
function aws(
  url: string,
  key: SdkKey,
  args: readonly string[],
  configFile?: string,
): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('aws', ['--endpoint-url', url, '--output', 'json', ...args], {
      env: cliEnv(key, configFile),
      timeout: 60_000,
    })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, out, err }))
  })
}

describe('@aws-sdk/client-cloudtrail and the AWS CLI against the awsJson path', () => {
  let store: Store
  let trail: MemoryTrailStore
  let server: Server
  let url: string
  let deps: JsonPipelineDeps
  const logger = Fastify({ logger: false })
  let stored: readonly StoredTrailEvent[]
  let auditor: SdkKey
  let nobody: SdkKey

  const cloudtrail = (key: SdkKey) =>
    new CloudTrailClient({ endpoint: url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
  const createKeyedUser = (name: string, policy?: string): Promise<SdkKey> =>
    createUserKey(iamClient({ url }, ROOT_KEY), name, policy)

  before(async () => {
    store = openSqliteStore({ filename: ':memory:', masterKey: generateMasterKey() })
    await ensureAccount(
      store,
      {
        accountId: ACCOUNT_ID,
        rootAccessKeyId: ROOT_KEY.accessKeyId,
        rootSecretAccessKey: ROOT_KEY.secretAccessKey,
      },
      () => undefined,
    )
    trail = new MemoryTrailStore()
    stored = await trail.appendTrailEvents([
      sampleEvent({
        eventName: 'CreateUser',
        time: '2026-03-15T10:00:00Z',
        resources: [{ type: 'AWS::IAM::User', name: 'bob' }],
      }),
      sampleEvent({ eventName: 'GetUser', time: '2026-03-15T10:01:00.5Z', username: 'bob' }),
      sampleEvent({ eventName: 'ListUsers', time: '2026-03-15T10:02:00Z' }),
      sampleEvent({ eventName: 'CreateRole', time: '2026-03-15T10:03:00Z' }),
      sampleEvent({ eventName: 'ListRoles', time: '2026-03-15T10:04:00Z' }),
      sampleEvent({ eventName: 'DeleteUser', time: '2026-03-15T10:05:00Z' }),
      sampleEvent({
        eventName: 'CreateUser',
        time: '2026-03-15T10:06:00Z',
        accountId: '999999999999',
      }),
    ])
    deps = {
      store,
      compiler: new PolicyCompiler(),
      cache: new AuthCache(store),
      sessionTokens: SessionTokenKey.generate(),
      keyUses: new KeyUseRecorder(store, 0, logger.log),
      observeOtherWriters: false,
      enforcement: 'enforce',
      // The real clock: the SDK and the CLI sign with it.
      clock: () => new Date(),
      newRequestId: randomUUID,
      log: logger.log,
      trail,
      accessAdvisor: new AccessAdvisor(store, trail, () => new Date(), logger.log),
    }
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const target = req.url ?? '/'
      const q = target.indexOf('?')
      const request: IncomingRequest = {
        method: req.method ?? 'POST',
        path: q < 0 ? target : target.slice(0, q),
        query: q < 0 ? '' : target.slice(q + 1),
        headers: rawHeaders(req.rawHeaders),
        body: new Uint8Array(Buffer.concat(chunks)),
        sourceIp: req.socket.remoteAddress ?? '',
        secure: false,
      }
      const response = isJsonProtocolRequest(request.headers)
        ? await handleJsonRequest(deps, request)
        : await handleQueryRequest(deps, request)
      res.writeHead(response.status, response.headers).end(response.body)
    }
    server = createServer((req, res) => {
      handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    auditor = await createKeyedUser(
      'auditor',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }],
      }),
    )
    nobody = await createKeyedUser('nobody')
  })
  after(async () => {
    await new Promise<void>((resolve, reject) =>
      server.close((err) => (err === undefined ? resolve() : reject(err))),
    )
    deps.cache.dispose()
    await deps.keyUses.close()
    await logger.close()
    await trail.close()
    await store.close()
  })

  const OWN_NEWEST_FIRST = [
    'DeleteUser',
    'ListRoles',
    'CreateRole',
    'ListUsers',
    'GetUser',
    'CreateUser',
  ]

  it('looks up the events of the account, newest first, read into the model types', async () => {
    const out = await cloudtrail(auditor).send(new LookupEventsCommand({}))
    assert.deepEqual(
      out.Events?.map((e) => e.EventName),
      OWN_NEWEST_FIRST,
    )
    assert.equal(out.NextToken, undefined)
    assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/)
    const created = stored[0]
    const event = out.Events?.at(-1)
    assert.ok(created !== undefined && event !== undefined)
    assert.deepEqual(event, {
      EventId: created.eventId,
      EventName: 'CreateUser',
      ReadOnly: 'false',
      AccessKeyId: created.accessKeyId ?? undefined,
      EventTime: created.eventTime,
      EventSource: 'iam.amazonaws.com',
      Username: 'alice',
      Resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: 'bob' }],
      CloudTrailEvent: created.record,
    } satisfies Event)
    // EventTime reaches the SDK as a Date, milliseconds included.
    const getUser = out.Events?.find((e) => e.EventName === 'GetUser')
    assert.equal(getUser?.EventTime?.toISOString(), '2026-03-15T10:01:00.500Z')
  })

  it('filters by a lookup attribute and a time range given as Dates', async () => {
    const out = await cloudtrail(auditor).send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
        StartTime: new Date('2026-03-15T10:01:00.500Z'),
        EndTime: new Date('2026-03-15T10:04:00Z'),
      }),
    )
    assert.deepEqual(
      out.Events?.map((e) => e.EventName),
      ['ListRoles', 'ListUsers', 'GetUser'],
    )
  })

  it('pages with paginateLookupEvents, every event once', async () => {
    const names: string[] = []
    let pages = 0
    for await (const page of paginateLookupEvents(
      { client: cloudtrail(auditor), pageSize: 4 },
      {},
    )) {
      pages += 1
      names.push(...(page.Events ?? []).map((e) => e.EventName ?? ''))
    }
    assert.deepEqual(names, OWN_NEWEST_FIRST)
    assert.equal(pages, 2)
  })

  it("throws CloudTrail's modeled exceptions, with their status and message", async () => {
    const cases: readonly [Promise<unknown>, new (...args: never[]) => Error, string][] = [
      [
        cloudtrail(auditor).send(new LookupEventsCommand({ MaxResults: 51 })),
        InvalidMaxResultsException,
        'The MaxResults value 51 is not valid. Specify a value from 1 through 50.',
      ],
      [
        cloudtrail(auditor).send(
          new LookupEventsCommand({
            LookupAttributes: [
              { AttributeKey: 'EventName', AttributeValue: 'CreateUser' },
              { AttributeKey: 'Username', AttributeValue: 'alice' },
            ],
          }),
        ),
        InvalidLookupAttributesException,
        'You can specify only one lookup attribute; the request specifies 2.',
      ],
      [
        cloudtrail(auditor).send(
          new LookupEventsCommand({
            StartTime: new Date('2026-03-15T11:00:00Z'),
            EndTime: new Date('2026-03-15T10:00:00Z'),
          }),
        ),
        InvalidTimeRangeException,
        'The StartTime must not be after the EndTime.',
      ],
      [
        cloudtrail(auditor).send(new LookupEventsCommand({ NextToken: 'forged' })),
        InvalidNextTokenException,
        'The NextToken is not valid, or was returned for a request with different parameters.',
      ],
    ]
    for (const [call, type, message] of cases) {
      const err = await failure(call)
      assert.ok(err instanceof type, `${err.name}: ${err.message}`)
      assert.equal(err.message, message)
      assert.equal(err.$fault, 'client')
      assert.equal(err.$metadata.httpStatusCode, 400)
      assert.match(err.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/)
    }
  })

  it('denies a user without a policy with AccessDeniedException and AWS message', async () => {
    const err = await failure(cloudtrail(nobody).send(new LookupEventsCommand({})))
    assert.equal(err.name, 'AccessDeniedException')
    assert.equal(
      err.message,
      `User: arn:aws:iam::${ACCOUNT_ID}:user/nobody is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
    )
    assert.equal(err.$metadata.httpStatusCode, 400)
  })

  it('refuses an unknown key as the awsQuery path does', async () => {
    const err = await failure(
      cloudtrail({ accessKeyId: 'AKIANOSUCHKEY0000001', secretAccessKey: 'x'.repeat(40) }).send(
        new LookupEventsCommand({}),
      ),
    )
    assert.equal(err.name, 'InvalidClientTokenId')
    assert.equal(err.message, 'The security token included in the request is invalid.')
    assert.equal(err.$metadata.httpStatusCode, 403)
  })

  interface CliEvent {
    readonly EventId: string
    readonly EventName: string
    readonly EventTime: number | string
    readonly ReadOnly: string
    readonly CloudTrailEvent: string
  }

  it(
    'runs `aws cloudtrail lookup-events`, paging through every page',
    { skip: noCli },
    async () => {
      const run = await aws(url, auditor, ['cloudtrail', 'lookup-events', '--page-size', '2'])
      assert.equal(run.status, 0, run.err)
      const out = JSON.parse(run.out) as { Events: CliEvent[]; NextToken?: string }
      assert.deepEqual(
        out.Events.map((e) => e.EventName),
        OWN_NEWEST_FIRST,
      )
      assert.equal(out.NextToken, undefined)
      const created = out.Events.at(-1)
      // CLI v1 prints timestamps as the service sent them (cli_timestamp_format "none").
      assert.equal(created?.EventTime, 1773568800)
      assert.equal(created?.ReadOnly, 'false')
      assert.equal(created?.CloudTrailEvent, stored[0]?.record)
    },
  )

  it(
    'runs `aws cloudtrail lookup-events` with an attribute and a time range',
    { skip: noCli },
    async () => {
      // Timestamps printed as ISO 8601 (from the epoch seconds sent), as CLI v2 prints them.
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'))
      const config = join(dir, 'config')
      writeFileSync(config, '[default]\ncli_timestamp_format = iso8601\n')
      const run = await aws(
        url,
        auditor,
        [
          'cloudtrail',
          'lookup-events',
          '--lookup-attributes',
          'AttributeKey=Username,AttributeValue=bob',
          '--start-time',
          '2026-03-15T10:00:00Z',
          '--end-time',
          '2026-03-15T10:05:00Z',
        ],
        config,
      ).finally(() => rmSync(dir, { recursive: true, force: true }))
      assert.equal(run.status, 0, run.err)
      const out = JSON.parse(run.out) as { Events: CliEvent[] }
      assert.deepEqual(
        out.Events.map((e) => e.EventName),
        ['GetUser'],
      )
      assert.equal(out.Events[0]?.EventTime, '2026-03-15T10:01:00.500000+00:00')
    },
  )

  it('shows the CLI the error code and message', { skip: noCli }, async () => {
    const invalid = await aws(url, auditor, [
      'cloudtrail',
      'lookup-events',
      '--no-paginate',
      '--max-results',
      '51',
    ])
    assert.notEqual(invalid.status, 0)
    assert.match(
      invalid.err,
      /An error occurred \(InvalidMaxResultsException\) when calling the LookupEvents operation: The MaxResults value 51 is not valid\. Specify a value from 1 through 50\./,
    )
    const denied = await aws(url, nobody, ['cloudtrail', 'lookup-events'])
    assert.notEqual(denied.status, 0)
    assert.match(
      denied.err,
      new RegExp(
        `An error occurred \\(AccessDeniedException\\) when calling the LookupEvents operation: User: arn:aws:iam::${ACCOUNT_ID}:user/nobody is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
      ),
    )
  })
})
