/**
 * End to end, the credential report: the real AWS SDK for JavaScript v3 and the real AWS CLI
 * against `gatehouse serve --workers 2` on 127.0.0.1 (the report is kept in the database, so
 * both worker processes hand out the same one), and the SDK against a server whose clock the
 * test moves four hours on, to see the report expire. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam'
import type { GetCredentialReportCommandOutput } from '@aws-sdk/client-iam'
import { reportTime } from '../../src/services/iam/build-credential-report.js'
import { startClockServer } from '../support/clock-server.js'
import type { ClockServer } from '../support/clock-server.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

const STARTED_DESCRIPTION = 'No report exists. Starting a new report generation task'
const NOT_PRESENT_MESSAGE =
  'The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.'
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,' +
  'password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,' +
  'access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,' +
  'access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,' +
  'cert_1_last_rotated,cert_2_active,cert_2_last_rotated'

/** The CSV of a GetCredentialReport answer (the SDK has decoded the base64 into bytes). */
function csvOf(output: GetCredentialReportCommandOutput): string {
  assert.ok(output.Content instanceof Uint8Array)
  return Buffer.from(output.Content).toString('utf8')
}

/** The environment of an AWS CLI that knows only what it is given here. */
function cliEnv(key: Key): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) env[name] = value
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  }
}

const noCli = spawnSync('aws', ['--version']).status === 0 ? false : 'aws is not installed here'

describe('the credential report through the AWS SDK and CLI against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let alice: Key
  let arn: string
  let sdkCsv: string

  /**
   * One call on a client (and so a connection) of its own, so that calls spread over both
   * workers. maxAttempts 1: an error comes back as it was sent.
   */
  async function iam<T>(key: Key, send: (client: IAMClient) => Promise<T>): Promise<T> {
    const client = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
    })
    try {
      return await send(client)
    } finally {
      client.destroy()
    }
  }

  function aws(key: Key, ...args: string[]): { status: number | null; out: string; err: string } {
    const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env: cliEnv(key),
      encoding: 'utf8',
      timeout: 60_000,
    })
    return { status: run.status, out: run.stdout, err: run.stderr }
  }

  before(async () => {
    server = await startServerProcess({ args: ['--workers', '2'] })
    root = printedRootKey(server.stdout())
    arn = `arn:aws:iam::${server.accountId}`
    await iam(root, (c) => c.send(new CreateUserCommand({ UserName: 'bob', Path: '/ops/' })))
    await iam(root, (c) => c.send(new CreateUserCommand({ UserName: 'alice' })))
    const key = await iam(root, (c) => c.send(new CreateAccessKeyCommand({ UserName: 'alice' })))
    alice = {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    }
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('has the CLI report ReportNotPresent before any report', { skip: noCli }, () => {
    const run = aws(root, 'iam', 'get-credential-report')
    assert.notEqual(run.status, 0)
    assert.ok(
      run.err.includes(
        `An error occurred (ReportNotPresent) when calling the GetCredentialReport operation: ${NOT_PRESENT_MESSAGE}`,
      ),
      run.err,
    )
  })

  it('has the SDK throw CredentialReportNotPresentException (410) before any report', async () => {
    assert.deepEqual(await failure(iam(root, (c) => c.send(new GetCredentialReportCommand({})))), {
      name: 'CredentialReportNotPresentException',
      message: NOT_PRESENT_MESSAGE,
      status: 410,
    })
  })

  it('refuses a user without permission with AccessDenied (403)', async () => {
    assert.deepEqual(
      await failure(iam(alice, (c) => c.send(new GenerateCredentialReportCommand({})))),
      {
        name: 'AccessDenied',
        message: `User: ${arn}:user/alice is not authorized to perform: iam:GenerateCredentialReport because no identity-based policy allows the iam:GenerateCredentialReport action`,
        status: 403,
      },
    )
  })

  it('starts a report, then answers COMPLETE', async () => {
    await iam(root, (c) =>
      c.send(
        new UpdateAccessKeyCommand({
          UserName: 'alice',
          AccessKeyId: alice.accessKeyId,
          Status: 'Inactive',
        }),
      ),
    )
    const started = await iam(root, (c) => c.send(new GenerateCredentialReportCommand({})))
    assert.equal(started.State, 'STARTED')
    assert.equal(started.Description, STARTED_DESCRIPTION)
    const again = await iam(root, (c) => c.send(new GenerateCredentialReportCommand({})))
    assert.equal(again.State, 'COMPLETE')
    assert.equal(again.Description, undefined)
  })

  it("hands the SDK the report: AWS's columns, the root row and each user", async () => {
    const output = await iam(root, (c) => c.send(new GetCredentialReportCommand({})))
    assert.equal(output.ReportFormat, 'text/csv')
    assert.ok(output.GeneratedTime instanceof Date)
    assert.ok(Math.abs(output.GeneratedTime.getTime() - Date.now()) < 60_000)
    sdkCsv = csvOf(output)
    const lines = sdkCsv.split('\n')
    assert.equal(lines[0], HEADER)
    assert.deepEqual(
      lines.map((line) => line.split(',')[0]),
      ['user', '<root_account>', 'alice', 'bob'],
    )
    for (const line of lines) assert.equal(line.split(',').length, 22, line)

    const rootKeys = await iam(root, (c) => c.send(new ListAccessKeysCommand({})))
    const rootKey = rootKeys.AccessKeyMetadata?.[0]?.CreateDate ?? new Date(Number.NaN)
    const rootRow = lines[1]?.split(',') ?? []
    // The account was made when the server first started, just before its root key.
    const accountCreated = rootRow[2] ?? ''
    assert.match(accountCreated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/)
    assert.ok(accountCreated <= reportTime(rootKey), accountCreated)
    assert.deepEqual(
      [...rootRow.slice(0, 2), ...rootRow.slice(3, 10), ...rootRow.slice(13)],
      [
        '<root_account>',
        `${arn}:root`,
        ...['not_supported', 'N/A', 'not_supported', 'not_supported', 'false'],
        ...['true', reportTime(rootKey)],
        ...['false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'],
      ],
    )

    const aliceUser = await iam(root, (c) => c.send(new GetUserCommand({ UserName: 'alice' })))
    const aliceKeys = await iam(root, (c) =>
      c.send(new ListAccessKeysCommand({ UserName: 'alice' })),
    )
    const keyCreated = aliceKeys.AccessKeyMetadata?.[0]?.CreateDate ?? new Date(Number.NaN)
    assert.equal(
      lines[2],
      `alice,${arn}:user/alice,${reportTime(aliceUser.User?.CreateDate ?? new Date(Number.NaN))},` +
        `false,N/A,N/A,N/A,false,false,${reportTime(keyCreated)},N/A,N/A,N/A,` +
        'false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    )
    assert.match(lines[3] ?? '', new RegExp(`^bob,${arn}:user/ops/bob,`))
  })

  it('hands out the same report from every worker process', async () => {
    for (let i = 0; i < 6; i++) {
      const output = await iam(root, (c) => c.send(new GetCredentialReportCommand({})))
      assert.equal(csvOf(output), sdkCsv)
      const generated = await iam(root, (c) => c.send(new GenerateCredentialReportCommand({})))
      assert.equal(generated.State, 'COMPLETE')
    }
  })

  it('hands the AWS CLI the same report, as base64 Content', { skip: noCli }, () => {
    const generated = aws(root, 'iam', 'generate-credential-report')
    assert.equal(generated.status, 0, generated.err)
    assert.deepEqual(JSON.parse(generated.out), { State: 'COMPLETE' })
    const run = aws(root, 'iam', 'get-credential-report')
    assert.equal(run.status, 0, run.err)
    const printed = JSON.parse(run.out) as Record<string, string>
    assert.equal(printed['ReportFormat'], 'text/csv')
    assert.match(printed['GeneratedTime'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/)
    assert.match(printed['Content'] ?? '', /^[A-Za-z0-9+/]+=*$/)
    assert.equal(Buffer.from(printed['Content'] ?? '', 'base64').toString('utf8'), sdkCsv)
  })
})

describe('the credential report expiring after four hours', () => {
  let server: ClockServer
  // maxAttempts 2: once the server's clock has moved on, the SDK reads the server's Date header
  // from the first (refused) attempt and signs again with the corrected time.
  const iam = () =>
    new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: server.root,
      maxAttempts: 2,
    })

  before(async () => {
    server = await startClockServer()
  })
  after(() => server.stop())

  it('answers ReportExpired (410) after four hours, until a new report is started', async () => {
    const client = iam()
    try {
      assert.equal((await client.send(new GenerateCredentialReportCommand({}))).State, 'STARTED')
      const first = await client.send(new GetCredentialReportCommand({}))
      await server.advance(4 * 60 * 60 - 60)
      const still = await client.send(new GetCredentialReportCommand({}))
      assert.deepEqual(still.GeneratedTime, first.GeneratedTime)
      assert.equal((await client.send(new GenerateCredentialReportCommand({}))).State, 'COMPLETE')

      await server.advance(61)
      assert.deepEqual(await failure(client.send(new GetCredentialReportCommand({}))), {
        name: 'CredentialReportExpiredException',
        message:
          'The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.',
        status: 410,
      })
      const restarted = await client.send(new GenerateCredentialReportCommand({}))
      assert.equal(restarted.State, 'STARTED')
      assert.equal(restarted.Description, STARTED_DESCRIPTION)
      const fresh = await client.send(new GetCredentialReportCommand({}))
      const age = (fresh.GeneratedTime?.getTime() ?? 0) - (first.GeneratedTime?.getTime() ?? 0)
      assert.ok(age > 4 * 60 * 60 * 1000, `the new report is ${age} ms younger`)
      assert.match(csvOf(fresh), /^user,arn,.*\n<root_account>,/)
    } finally {
      client.destroy()
    }
  })
})
