/**
 * The audit trail end to end: a real `gatehouse serve` records every call (allowed, denied,
 * unauthenticated), and the real CloudTrail client reads the records back with LookupEvents.
 * No secret reaches the trail's database file.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import type { Event } from '@aws-sdk/client-cloudtrail'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  ListUsersCommand,
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

const BIN = resolve(import.meta.dirname, '../../bin/gatehouse.js')

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

describe('the audit trail of gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let alice: Key
  const config = (credentials: Key) => ({
    endpoint: server.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  })

  async function lookup(name: string, value: string): Promise<Event[]> {
    const out = await new CloudTrailClient(config(root)).send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: name as 'EventName', AttributeValue: value }],
      }),
    )
    return out.Events ?? []
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    const iam = new IAMClient(config(root))
    await iam.send(new CreateUserCommand({ UserName: 'alice' }))
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))
    alice = {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
    // Denied: alice has no policy.
    await assert.rejects(new IAMClient(config(alice)).send(new ListUsersCommand({})))
    // Not authenticated: a key the server does not know.
    await assert.rejects(
      new IAMClient(
        config({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) }),
      ).send(new ListUsersCommand({})),
    )
    // Refused by the role's absence, with a secret-free record all the same.
    await assert.rejects(
      new STSClient(config(alice)).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${server.accountId}:role/missing`,
          RoleSessionName: 's',
        }),
      ),
    )
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('records a successful call as CloudTrail does', async () => {
    const [event] = await lookup('EventName', 'CreateUser')
    assert.ok(event !== undefined)
    assert.equal(event.EventSource, 'iam.amazonaws.com')
    assert.equal(event.Username, 'root')
    assert.equal(event.ReadOnly, 'false')
    const record = JSON.parse(event.CloudTrailEvent ?? '{}') as Record<string, unknown>
    assert.equal(record['eventVersion'], '1.08')
    assert.equal(record['eventName'], 'CreateUser')
    assert.equal(record['awsRegion'], 'us-east-1')
    assert.equal(record['sourceIPAddress'], '127.0.0.1')
    assert.equal(record['recipientAccountId'], server.accountId)
    assert.deepEqual(record['requestParameters'], { userName: 'alice' })
    assert.deepEqual(record['userIdentity'], {
      type: 'Root',
      principalId: server.accountId,
      arn: `arn:aws:iam::${server.accountId}:root`,
      accountId: server.accountId,
      accessKeyId: root.accessKeyId,
    })
    const response = record['responseElements'] as { user: { userName: string } }
    assert.equal(response.user.userName, 'alice')
  })

  it('records a denial with its errorCode and AWS message', async () => {
    const events = await lookup('Username', 'alice')
    const denied = events.find((e) => e.EventName === 'ListUsers')
    assert.ok(denied !== undefined)
    const record = JSON.parse(denied.CloudTrailEvent ?? '{}') as Record<string, unknown>
    assert.equal(record['errorCode'], 'AccessDenied')
    assert.match(
      String(record['errorMessage']),
      /^User: arn:aws:iam::\d{12}:user\/alice is not authorized to perform: iam:ListUsers/,
    )
    assert.equal((record['userIdentity'] as { type: string }).type, 'IAMUser')
  })

  it('records a call whose key it does not know (kept out of the account: LookupEvents of the account does not show it)', async () => {
    const events = await lookup('AccessKeyId', 'AKIAUNKNOWNKEY000000')
    assert.deepEqual(events, [])
  })

  it('keeps no secret in the trail database, nor in its journal', () => {
    // trail.db with its WAL, and the journal files the server writes its records to first.
    const journal = join(server.dataDir, 'trail.db.pending')
    const files = [
      ...readdirSync(server.dataDir)
        .filter((f) => f.startsWith('trail.db') && f !== 'trail.db.pending')
        .map((f) => join(server.dataDir, f)),
      ...readdirSync(journal).map((f) => join(journal, f)),
    ]
    assert.ok(
      files.some((f) => f.startsWith(journal)),
      'a journal file of the running server',
    )
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)))
    assert.ok(bytes.includes(Buffer.from('CreateAccessKey')), 'the call is recorded')
    assert.ok(!bytes.includes(Buffer.from(alice.secretAccessKey)), 'no secret access key')
    assert.ok(!bytes.includes(Buffer.from(root.secretAccessKey)), 'no root secret')
  })

  it('pages the trail newest first with the SDK', async () => {
    const out = await new CloudTrailClient(config(root)).send(
      new LookupEventsCommand({ MaxResults: 2 }),
    )
    assert.equal(out.Events?.length, 2)
    assert.ok(out.NextToken !== undefined)
    const [first, second] = out.Events ?? []
    assert.ok((first?.EventTime?.getTime() ?? 0) >= (second?.EventTime?.getTime() ?? 0))
  })
})

describe('gatehouse serve sealing its trail', () => {
  it('seals at its interval and when it stops, so that trail verify finds signed digests', async () => {
    const server = await startServerProcess({ args: ['--seal-interval', '1'] })
    try {
      const root = printedRootKey(server.stdout())
      const iam = new IAMClient({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: root,
        maxAttempts: 1,
      })
      await iam.send(new CreateUserCommand({ UserName: 'sealed' }))
      // Past an interval: the server has sealed once at least.
      await new Promise((resolve) => setTimeout(resolve, 2500))
      await iam.send(new ListUsersCommand({}))
      assert.equal(await server.stop(), 0)
      const verify = spawnSync(
        process.execPath,
        [BIN, 'trail', 'verify', '--data-dir', server.dataDir],
        { encoding: 'utf8' },
      )
      assert.equal(verify.status, 0, verify.stdout + verify.stderr)
      const digests = Number(
        /(\d+) digests sealing through sequence (\d+)/.exec(verify.stdout)?.[1],
      )
      const through = Number(/digests sealing through sequence (\d+)/.exec(verify.stdout)?.[1])
      assert.ok(digests >= 2, verify.stdout)
      // The last seal, at the stop, covers the last call.
      assert.ok(through >= 2, verify.stdout)
    } finally {
      removeDataDir(server.dataDir)
    }
  })
})
