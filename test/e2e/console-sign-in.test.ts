/**
 * Console sign-in end to end against `gatehouse serve`: users made with the real
 * @aws-sdk/client-iam sign in over real HTTP (POST /console/sign-in), with MFA codes computed
 * from the seed their device was given and the real clock; the credentials they get work with
 * the real SDK; five failures lock a user name out (a user that does not exist answers and locks
 * the same way); and the real @aws-sdk/client-cloudtrail reads the ConsoleLogin records back.
 * Two nodes on one PostgreSQL database share the failures, the lockout and the used codes.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import {
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { decodeBase32 } from '../../src/auth/base32.js'
import { totpAtStep, totpStep } from '../../src/auth/totp.js'
import { createTestDatabase } from '../support/postgres-database.js'
import {
  printedRootKey,
  removeDataDir,
  startServerProcess,
  tempDataDir,
} from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

// At the top level, so that the database is dropped after every test of the file.
const databaseUrl = await createTestDatabase()

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

const PASSWORD = 'Correct-Horse-9-Battery'

/** What these tests read of a ConsoleLogin record. */
interface LoginRecord {
  readonly eventType?: string
  readonly userAgent?: string
  readonly errorMessage?: string
  readonly userIdentity?: { readonly userName?: string }
  readonly responseElements?: { readonly ConsoleLogin?: string }
  readonly additionalEventData?: { readonly MFAUsed?: string }
}

const SELF_READ = (arn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: arn }],
  })

describe('console sign-in against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
  const sts = (key: Key) =>
    new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  async function signIn(body: Record<string, string>): Promise<{
    status: number
    headers: Headers
    json: Record<string, unknown>
  }> {
    const response = await fetch(`${server.url}/console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'console-e2e' },
      body: JSON.stringify({ account: server.accountId, ...body }),
    })
    return {
      status: response.status,
      headers: response.headers,
      json: (await response.json()) as Record<string, unknown>,
    }
  }

  function keyOf(answer: { status: number; json: Record<string, unknown> }): Key {
    assert.equal(answer.status, 200, JSON.stringify(answer.json))
    const c = answer.json['Credentials'] as Record<string, string>
    return {
      accessKeyId: c['AccessKeyId'] ?? '',
      secretAccessKey: c['SecretAccessKey'] ?? '',
      sessionToken: c['SessionToken'] ?? '',
    }
  }

  async function userWithPassword(name: string): Promise<string> {
    const created = await iam(root).send(new CreateUserCommand({ UserName: name }))
    const arn = created.User?.Arn ?? ''
    await iam(root).send(new CreateLoginProfileCommand({ UserName: name, Password: PASSWORD }))
    await iam(root).send(
      new PutUserPolicyCommand({
        UserName: name,
        PolicyName: 'self',
        PolicyDocument: SELF_READ(arn),
      }),
    )
    return arn
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
  })

  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('signs a user in with its password; the credentials work with the SDK', async () => {
    const arn = await userWithPassword('alice')
    const answer = await signIn({ userName: 'alice', password: PASSWORD })
    const key = keyOf(answer)
    assert.match(key.accessKeyId, /^ASIA/)
    assert.equal(answer.headers.get('cache-control'), 'no-store')
    const identity = await sts(key).send(new GetCallerIdentityCommand({}))
    assert.equal(identity.Arn, arn)
    assert.equal(identity.Account, server.accountId)
  })

  it('shows PasswordLastUsed in GetUser and the credential report', async () => {
    const before = Date.now()
    keyOf(await signIn({ userName: 'alice', password: PASSWORD }))
    const user = await iam(root).send(new GetUserCommand({ UserName: 'alice' }))
    assert.ok(user.User?.PasswordLastUsed instanceof Date, 'GetUser has PasswordLastUsed')
    assert.ok(
      (user.User?.PasswordLastUsed?.getTime() ?? 0) >= Math.floor(before / 1000) * 1000 - 300_000,
      'PasswordLastUsed is this sign-in',
    )
    await iam(root).send(new GenerateCredentialReportCommand({}))
    const report = await iam(root).send(new GetCredentialReportCommand({}))
    const row = Buffer.from(report.Content ?? new Uint8Array())
      .toString('utf8')
      .split('\n')
      .find((line) => line.startsWith('alice,'))
      ?.split(',')
    assert.match(row?.[4] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/)
  })

  it('asks a user with an MFA device for its code, takes it once, and makes an MFA session', async () => {
    const arn = await userWithPassword('carol')
    const device = await iam(root).send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'carol-phone' }),
    )
    const seed = decodeBase32(
      Buffer.from(device.VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('ascii'),
    )
    const serial = device.VirtualMFADevice?.SerialNumber ?? ''
    const step = totpStep(new Date())
    await iam(root).send(
      new EnableMFADeviceCommand({
        UserName: 'carol',
        SerialNumber: serial,
        AuthenticationCode1: totpAtStep(seed, step - 1),
        AuthenticationCode2: totpAtStep(seed, step),
      }),
    )
    const challenge = await signIn({ userName: 'carol', password: PASSWORD })
    assert.equal(challenge.status, 401)
    assert.equal(challenge.json['__type'], 'MFACodeRequired')
    // The next step's code: the device's clock may be that far ahead.
    const code = totpAtStep(seed, step + 1)
    const answer = await signIn({ userName: 'carol', password: PASSWORD, mfaCode: code })
    const key = keyOf(answer)
    assert.equal(answer.json['MFAUsed'], true)
    const replay = await signIn({ userName: 'carol', password: PASSWORD, mfaCode: code })
    assert.equal(replay.status, 401)
    assert.equal(replay.json['__type'], 'FailedAuthentication')
    // A session made with MFA may call IAM.
    const self = await iam(key).send(new GetUserCommand({}))
    assert.equal(self.User?.Arn, arn)
  })

  it('locks a user name out after five failures, and a user of no name alike', async () => {
    await userWithPassword('dave')
    const wrong = { userName: 'dave', password: 'not-the-password' }
    const ghost = { userName: 'nobody-at-all', password: 'not-the-password' }
    for (let i = 0; i < 5; i++) {
      const a = await signIn(wrong)
      const b = await signIn(ghost)
      assert.equal(a.status, 401)
      assert.deepEqual(a.json, b.json, 'an unknown user answers as a wrong password')
    }
    for (const body of [{ userName: 'dave', password: PASSWORD }, ghost]) {
      const locked = await signIn(body)
      assert.equal(locked.status, 429)
      assert.equal(locked.json['__type'], 'TooManyFailedAttempts')
      assert.equal(locked.headers.get('retry-after'), '300')
    }
  })

  it('records every sign-in as a ConsoleLogin event that LookupEvents reads back', async () => {
    const trail = new CloudTrailClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: root,
      maxAttempts: 1,
    })
    const out = await trail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }],
        MaxResults: 50,
      }),
    )
    const events = out.Events ?? []
    assert.ok(
      events.every((e) => e.EventSource === 'signin.amazonaws.com'),
      'every ConsoleLogin is of signin.amazonaws.com',
    )
    const records = events.map((e) => JSON.parse(e.CloudTrailEvent ?? '{}') as LoginRecord)
    for (const record of records) {
      assert.ok(!JSON.stringify(record).includes(PASSWORD), 'the password is never recorded')
      assert.equal(record.eventType, 'AwsConsoleSignIn')
      assert.equal(record.userAgent, 'console-e2e')
    }
    const alice = records.find((r) => r.userIdentity?.userName === 'alice')
    assert.deepEqual(alice?.responseElements, { ConsoleLogin: 'Success' })
    assert.equal(alice?.additionalEventData?.MFAUsed, 'No')
    const carol = records.find(
      (r) => r.userIdentity?.userName === 'carol' && r.responseElements?.ConsoleLogin === 'Success',
    )
    assert.equal(carol?.additionalEventData?.MFAUsed, 'Yes')
    const daveFailures = records.filter(
      (r) => r.userIdentity?.userName === 'dave' && r.errorMessage === 'Failed authentication',
    )
    assert.equal(daveFailures.length, 5)
    assert.ok(
      records.some((r) => r.userIdentity?.userName === 'HIDDEN_DUE_TO_SECURITY_REASONS'),
      'the unknown user is recorded hidden',
    )
    const byUser = await trail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'carol' }],
      }),
    )
    assert.ok(
      (byUser.Events ?? []).some((e) => e.EventName === 'ConsoleLogin'),
      "carol's sign-ins are found by her name",
    )
  })
})

describe('console sign-in on two nodes of one PostgreSQL database', () => {
  const accountId = '210987654322'
  const root: Key = {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  }
  const masterKey = randomBytes(32).toString('base64')
  const dataDirs = [tempDataDir(), tempDataDir()]
  const nodes: ServerProcess[] = []

  async function signIn(
    node: ServerProcess,
    body: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${node.url}/console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: accountId, ...body }),
    })
    return { status: response.status, json: (await response.json()) as Record<string, unknown> }
  }

  before(async () => {
    for (const dataDir of dataDirs) {
      nodes.push(
        await startServerProcess({
          dataDir,
          args: [
            '--store',
            'postgres',
            '--database-url',
            databaseUrl,
            '--account-id',
            accountId,
            '--root-access-key-id',
            root.accessKeyId,
            '--root-secret-access-key',
            root.secretAccessKey,
          ],
          env: { GATEHOUSE_MASTER_KEY: masterKey },
        }),
      )
    }
  })

  after(async () => {
    for (const node of nodes) await node.stop()
    for (const dir of dataDirs) removeDataDir(dir)
  })

  it('counts failures on both nodes towards one lockout', async () => {
    const [a, b] = nodes
    assert.ok(a !== undefined && b !== undefined, 'two nodes started')
    const iam = new IAMClient({ endpoint: a.url, region: 'us-east-1', credentials: root })
    await iam.send(new CreateUserCommand({ UserName: 'erin' }))
    await iam.send(new CreateLoginProfileCommand({ UserName: 'erin', Password: PASSWORD }))
    const wrong = { userName: 'erin', password: 'not-the-password' }
    for (const node of [a, b, a, b, a]) assert.equal((await signIn(node, wrong)).status, 401)
    for (const node of [a, b]) {
      const locked = await signIn(node, { userName: 'erin', password: PASSWORD })
      assert.equal(locked.status, 429, JSON.stringify(locked.json))
    }
  })

  it('gives credentials on one node that the other accepts, and uses a code up on both', async () => {
    const [a, b] = nodes
    assert.ok(a !== undefined && b !== undefined, 'two nodes started')
    const iam = new IAMClient({ endpoint: b.url, region: 'us-east-1', credentials: root })
    await iam.send(new CreateUserCommand({ UserName: 'frank' }))
    await iam.send(new CreateLoginProfileCommand({ UserName: 'frank', Password: PASSWORD }))
    const device = await iam.send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'frank-phone' }),
    )
    const seed = decodeBase32(
      Buffer.from(device.VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('ascii'),
    )
    const step = totpStep(new Date())
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: 'frank',
        SerialNumber: device.VirtualMFADevice?.SerialNumber,
        AuthenticationCode1: totpAtStep(seed, step - 1),
        AuthenticationCode2: totpAtStep(seed, step),
      }),
    )
    const body = { userName: 'frank', password: PASSWORD, mfaCode: totpAtStep(seed, step + 1) }
    const signedIn = await signIn(a, body)
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.json))
    const replay = await signIn(b, body)
    assert.equal(replay.status, 401)
    const c = signedIn.json['Credentials'] as Record<string, string>
    const identity = await new STSClient({
      endpoint: b.url,
      region: 'us-east-1',
      credentials: {
        accessKeyId: c['AccessKeyId'] ?? '',
        secretAccessKey: c['SecretAccessKey'] ?? '',
        sessionToken: c['SessionToken'] ?? '',
      },
    }).send(new GetCallerIdentityCommand({}))
    assert.equal(identity.Arn, `arn:aws:iam::${accountId}:user/frank`)
  })
})
