/**
 * `gatehouse serve --workers 2`: two server processes on one port and one SQLite file. The
 * cluster hands each new connection to the next worker, so every call here opens its own
 * connection; a change written through one worker must apply to the very next request, whichever
 * worker serves it. Stopping the primary stops the workers, gracefully.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam'
import type { IAMServiceException } from '@aws-sdk/client-iam'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/**
 * The worker processes of the primary `pid`: its children running `gatehouse serve` (tsx may
 * start esbuild children beside them when its transform cache is cold; they are not counted).
 */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^[0-9]+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] !== String(pid)) return false
        const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
        return command.includes('serve')
      } catch {
        return false
      }
    })
    .map(Number)
}

describe('gatehouse serve --workers 2', () => {
  let server: ServerProcess
  let root: Key

  /** One call on a connection of its own, so that calls spread over both workers. */
  async function call<T>(key: Key, send: (client: IAMClient) => Promise<T>): Promise<T> {
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

  /** The outcome of ListUsers as `key`, `times` times over fresh connections. */
  async function listOutcomes(key: Key, times: number): Promise<string[]> {
    const outcomes: string[] = []
    for (let i = 0; i < times; i++) {
      try {
        await call(key, (c) => c.send(new ListUsersCommand({})))
        outcomes.push('allowed')
      } catch (err) {
        outcomes.push((err as IAMServiceException).name)
      }
    }
    return outcomes
  }

  before(async () => {
    server = await startServerProcess({ args: ['--workers', '2'] })
    root = printedRootKey(server.stdout())
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('runs two worker processes under the primary, and says so in its banner', () => {
    assert.match(server.stdout(), /^ {2}workers {6}2 processes$/m)
    const pid = server.child.pid
    assert.ok(pid !== undefined)
    assert.equal(childPids(pid).length, 2)
  })

  it('applies a change made through one worker to the next request on every worker', async () => {
    await call(root, (c) => c.send(new CreateUserCommand({ UserName: 'alice' })))
    const created = await call(root, (c) =>
      c.send(new CreateAccessKeyCommand({ UserName: 'alice' })),
    )
    const alice = {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
    // Each worker caches alice's (empty) policies as it serves her.
    assert.deepEqual(await listOutcomes(alice, 6), Array(6).fill('AccessDenied'))
    await call(root, (c) =>
      c.send(
        new PutUserPolicyCommand({
          UserName: 'alice',
          PolicyName: 'List',
          PolicyDocument:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}',
        }),
      ),
    )
    assert.deepEqual(await listOutcomes(alice, 6), Array(6).fill('allowed'))
    await call(root, (c) =>
      c.send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'List' })),
    )
    assert.deepEqual(await listOutcomes(alice, 6), Array(6).fill('AccessDenied'))
    await call(root, (c) =>
      c.send(
        new UpdateAccessKeyCommand({
          UserName: 'alice',
          AccessKeyId: alice.accessKeyId,
          Status: 'Inactive',
        }),
      ),
    )
    assert.deepEqual(await listOutcomes(alice, 6), Array(6).fill('InvalidClientTokenId'))
  })

  it('stops every worker when the primary is told to stop', async () => {
    const pid = server.child.pid
    assert.ok(pid !== undefined)
    const workers = childPids(pid)
    assert.equal(await server.stop(), 0)
    for (const worker of workers) {
      assert.throws(() => readFileSync(`/proc/${String(worker)}/stat`), 'worker still running')
    }
    assert.match(server.stderr(), /Gatehouse stopped/)
  })
})
