/**
 * PostgreSQL goes away under load and comes back: two `gatehouse serve --store postgres` nodes on
 * a private cluster of this test's own (the machine's shared server is never stopped), driven by
 * the real IAM client. While the database is down, calls fail fast with a server fault
 * (ServiceFailure, 500) and the node stays up; when it returns, the nodes recover by themselves
 * (no restart): calls succeed again, each node LISTENs again, and a policy removed through one
 * node is enforced by the other at its next call. No CreateUser is applied by halves: a user
 * never exists without the tags it was created with.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  paginateGetAccountAuthorizationDetails,
} from '@aws-sdk/client-iam'
import type { Tag } from '@aws-sdk/client-iam'
import pg from 'pg'
import { findPostgresBin, startPrivatePostgres } from '../support/private-postgres.js'
import type { PrivatePostgres } from '../support/private-postgres.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** One call of the load, as the client saw it; times in ms on the test's performance clock. */
interface Outcome {
  readonly op: 'CreateUser' | 'GetUser'
  readonly worker: number
  readonly userName: string
  readonly started: number
  readonly ended: number
  readonly ok: boolean
  /** The error's name (the AWS error code for an AWS error), for a failed call. */
  readonly code?: string
  readonly status?: number | undefined
  /** For a GetUser that succeeded: the user's tags as answered. */
  readonly tags?: readonly Tag[]
}

/** The outage, on the same clock. */
interface Timeline {
  stopBegan: number
  stopEnded: number
  startBegan: number
  startEnded: number
}

const BIN = findPostgresBin()
const SKIP = BIN === undefined ? 'no PostgreSQL initdb under /usr/lib/postgresql' : false

const WORKERS = 4
/** How long each phase of the load runs, in ms. */
const WARM_MS = 1500
const OUTAGE_MS = 3000
const AFTER_RECOVERY_MS = 1500
/** The bounds asserted: generous beside what is measured, tight beside a hang. */
const FAIL_FAST_MS = 5000
const RECOVERY_MS = 15_000
/** A call the client gives up on: far past FAIL_FAST_MS, so a hang shows as a slow failure. */
const CLIENT_TIMEOUT_MS = 20_000

// The IAM client throws the wire code ServiceFailure as the model's ServiceFailureException;
// ServiceUnavailable, which the model lacks, keeps its wire code as its name.
const SERVICE_FAILURE = new Set(['ServiceFailure', 'ServiceFailureException'])
const SERVICE_UNAVAILABLE = new Set(['ServiceUnavailable', 'ServiceUnavailableException'])

const ALLOW_IAM = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
})

/** The tags a load user is created with: two, so that half of a CreateUser would show. */
function loadTags(worker: number, seq: number): Tag[] {
  return [
    { Key: 'worker', Value: String(worker) },
    { Key: 'seq', Value: String(seq) },
  ]
}

function sortedTags(tags: readonly Tag[] | undefined): string {
  return JSON.stringify(
    [...(tags ?? [])]
      .map((tag) => [tag.Key ?? '', tag.Value ?? ''])
      .sort(([a], [b]) => (a ?? '').localeCompare(b ?? '')),
  )
}

/** `ms` as whole milliseconds, or `never` for a time that did not come. */
function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(0)} ms` : 'never'
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

function describeError(err: unknown): { code: string; status: number | undefined } {
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  const name = err instanceof Error ? err.name : String(err)
  // A call the server never answered: the socket's error code (ECONNRESET, ECONNREFUSED) says why.
  const socketCode = (err as { code?: unknown }).code
  return {
    code: typeof socketCode === 'string' && status === undefined ? `${name} ${socketCode}` : name,
    status,
  }
}

describe('gatehouse on PostgreSQL, with the database restarted under load', { skip: SKIP }, () => {
  let cluster: PrivatePostgres | undefined
  let nodeA: ServerProcess | undefined
  let nodeB: ServerProcess | undefined
  let root: Key
  let loader: Key
  const outcomes: Outcome[] = []
  const timeline: Timeline = { stopBegan: 0, stopEnded: 0, startBegan: 0, startEnded: 0 }
  let loadRan = false

  function client(server: ServerProcess, key: Key): IAMClient {
    return new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
      requestHandler: { requestTimeout: CLIENT_TIMEOUT_MS },
    })
  }

  function running(server: ServerProcess | undefined): boolean {
    return (
      server !== undefined && server.child.exitCode === null && server.child.signalCode === null
    )
  }

  function serverOutput(server: ServerProcess | undefined): string {
    return server === undefined ? '' : `stdout:\n${server.stdout()}\nstderr:\n${server.stderr()}`
  }

  before(async () => {
    assert.ok(BIN !== undefined)
    cluster = await startPrivatePostgres(BIN)
    const masterKey = randomBytes(32).toString('base64')
    const args = ['--store', 'postgres', '--database-url', cluster.url]
    const env = { GATEHOUSE_MASTER_KEY: masterKey }
    nodeA = await startServerProcess({ args, env })
    // The second node finds the account the first made: one store, two stateless nodes.
    nodeB = await startServerProcess({ args, env })
    root = printedRootKey(nodeA.stdout())
    const admin = client(nodeA, root)
    try {
      await admin.send(new CreateUserCommand({ UserName: 'loader' }))
      await admin.send(
        new PutUserPolicyCommand({
          UserName: 'loader',
          PolicyName: 'allow-iam',
          PolicyDocument: ALLOW_IAM,
        }),
      )
      const created = await admin.send(new CreateAccessKeyCommand({ UserName: 'loader' }))
      loader = {
        accessKeyId: created.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
      }
    } finally {
      admin.destroy()
    }
  })

  after(async () => {
    for (const server of [nodeA, nodeB]) {
      if (server === undefined) continue
      if (running(server)) await server.stop()
      removeDataDir(server.dataDir)
    }
    await cluster?.remove()
  })

  /** One client's loop: CreateUser with tags, then GetUser of what it made, until told to stop. */
  async function loadWorker(worker: number, server: ServerProcess, stop: () => boolean) {
    const iam = client(server, loader)
    try {
      for (let seq = 0; !stop(); seq++) {
        const userName = `load-${worker}-${seq}`
        let started = performance.now()
        let created = false
        try {
          await iam.send(new CreateUserCommand({ UserName: userName, Tags: loadTags(worker, seq) }))
          created = true
          outcomes.push({
            op: 'CreateUser',
            worker,
            userName,
            started,
            ended: performance.now(),
            ok: true,
          })
        } catch (err) {
          const ended = performance.now()
          outcomes.push({
            op: 'CreateUser',
            worker,
            userName,
            started,
            ended,
            ok: false,
            ...describeError(err),
          })
        }
        // A user just made, or (after a failure) the caller itself: a read either way.
        const readName = created ? userName : 'loader'
        started = performance.now()
        try {
          const got = await iam.send(new GetUserCommand({ UserName: readName }))
          outcomes.push({
            op: 'GetUser',
            worker,
            userName: readName,
            started,
            ended: performance.now(),
            ok: true,
            tags: got.User?.Tags ?? [],
          })
        } catch (err) {
          const ended = performance.now()
          outcomes.push({
            op: 'GetUser',
            worker,
            userName: readName,
            started,
            ended,
            ok: false,
            ...describeError(err),
          })
          // Failures come fast: a short pause keeps the outage from turning into a flood.
          await sleep(20)
        }
      }
    } finally {
      iam.destroy()
    }
  }

  it('fails calls fast while PostgreSQL is down, and recovers by itself when it returns', async (t: TestContext) => {
    assert.ok(cluster !== undefined && nodeA !== undefined)
    const pgCluster = cluster
    const server = nodeA
    let stopLoad = false
    let diedAt: number | undefined
    server.child.once('exit', () => {
      diedAt = performance.now()
    })
    const workers = Array.from({ length: WORKERS }, (_, w) => loadWorker(w, server, () => stopLoad))
    try {
      await sleep(WARM_MS)
      timeline.stopBegan = performance.now()
      await pgCluster.stop('immediate')
      timeline.stopEnded = performance.now()
      await sleep(OUTAGE_MS)
      // Started again whatever became of the node: the tests after this one read through the
      // other node.
      timeline.startBegan = performance.now()
      await pgCluster.start()
      timeline.startEnded = performance.now()
      // Recovered once every load client has had a call succeed again.
      const deadline = timeline.startEnded + RECOVERY_MS
      const recovered = (): boolean =>
        Array.from({ length: WORKERS }, (_, w) => w).every((w) =>
          outcomes.some((o) => o.worker === w && o.ok && o.started >= timeline.startBegan),
        )
      while (!recovered() && performance.now() < deadline && running(server)) await sleep(50)
      await sleep(AFTER_RECOVERY_MS)
    } finally {
      stopLoad = true
      await Promise.all(workers)
      loadRan = true
    }
    const { stopBegan, stopEnded, startBegan, startEnded } = timeline
    const warm = outcomes.filter((o) => o.ended < stopBegan)
    // Calls that ran while the database was down from start to end: none could reach it.
    const down = outcomes.filter((o) => o.started >= stopEnded && o.ended <= startBegan)
    const atCrash = outcomes.filter((o) => o.started < stopEnded && o.ended > stopBegan)
    const failed = outcomes.filter((o) => !o.ok)
    const firstSuccess = outcomes
      .filter((o) => o.ok && o.started >= startBegan)
      .reduce((first, o) => Math.min(first, o.ended), Number.POSITIVE_INFINITY)
    const allRecovered = Math.max(
      ...Array.from({ length: WORKERS }, (_, w) =>
        outcomes
          .filter((o) => o.worker === w && o.ok && o.started >= startBegan)
          .reduce((first, o) => Math.min(first, o.ended), Number.POSITIVE_INFINITY),
      ),
    )
    const durations = failed.map((o) => o.ended - o.started)
    const codes = new Map<string, number>()
    for (const o of failed) {
      const key = `${o.status ?? '-'} ${o.code ?? '?'}`
      codes.set(key, (codes.get(key) ?? 0) + 1)
    }
    t.diagnostic(
      `${outcomes.length} calls: ${warm.length} before the stop (median ` +
        `${median(warm.map((o) => o.ended - o.started)).toFixed(1)} ms each), ${atCrash.length} ` +
        `in flight at the stop, ${down.length} wholly while down; ${failed.length} failed: ` +
        [...codes].map(([code, n]) => `${n}× ${code}`).join(', '),
    )
    t.diagnostic(
      `failing calls answered in median ${median(durations).toFixed(1)} ms, max ` +
        `${Math.max(...durations).toFixed(1)} ms; pg_ctl stop -m immediate took ` +
        `${(stopEnded - stopBegan).toFixed(0)} ms, start ${(startEnded - startBegan).toFixed(0)} ms`,
    )
    // pg_ctl returns a little after the server accepts connections: a call may beat it.
    t.diagnostic(
      `first success ${ms(firstSuccess - startBegan)} after pg_ctl start began ` +
        `(${ms(firstSuccess - startEnded)} after it returned); every client succeeding ` +
        `${ms(allRecovered - startBegan)} after it began (${ms(allRecovered - startEnded)} after ` +
        `it returned)`,
    )

    assert.ok(
      diedAt === undefined,
      `gatehouse (node A) exited ${((diedAt ?? 0) - timeline.stopBegan).toFixed(0)} ms after ` +
        `the stop of PostgreSQL began:\n${serverOutput(server)}`,
    )

    assert.ok(warm.length > 0)
    assert.deepEqual(
      warm.filter((o) => !o.ok),
      [],
      'every call before the stop succeeds',
    )
    assert.ok(down.length > 0, 'calls were made while the database was down')
    assert.deepEqual(
      down.filter((o) => o.ok),
      [],
      'no call succeeds while the database is down',
    )
    // Every failure, at the crash, during the outage or while reconnecting, is a server fault
    // answered in time: not a hang, not a client-side error, not a 4xx blaming the caller.
    const wrong = failed.filter(
      (o) =>
        !(
          (o.status === 500 && SERVICE_FAILURE.has(o.code ?? '')) ||
          (o.status === 503 && SERVICE_UNAVAILABLE.has(o.code ?? ''))
        ),
    )
    assert.deepEqual(wrong, [], 'every failure is ServiceFailure (500) or ServiceUnavailable (503)')
    const slow = failed.filter((o) => o.ended - o.started > FAIL_FAST_MS)
    assert.deepEqual(slow, [], `every failing call is answered within ${FAIL_FAST_MS} ms`)
    assert.ok(
      allRecovered - startEnded < RECOVERY_MS,
      `every client succeeds again within ${RECOVERY_MS} ms of the database's return`,
    )
    // Once recovered, it stays recovered: no stale connection fails a later call.
    const afterRecovery = outcomes.filter((o) => o.started > allRecovered)
    assert.ok(afterRecovery.length > 0)
    assert.deepEqual(
      afterRecovery.filter((o) => !o.ok),
      [],
      'every call after recovery succeeds',
    )
  })

  it('LISTENs again on both nodes, so a policy removed through one is enforced by the other at once', async (t: TestContext) => {
    assert.ok(loadRan && cluster !== undefined && nodeA !== undefined && nodeB !== undefined)
    assert.ok(running(nodeA), 'node A is gone (see the first test): nothing to recover')
    // Each node's change feed is a session that last ran LISTEN; until both are back, a node
    // drops its caches on every request and the check below would prove nothing.
    const watcher = new pg.Client(cluster.url)
    await watcher.connect()
    const began = performance.now()
    let listeners = 0
    try {
      for (;;) {
        const result = await watcher.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE application_name = 'gatehouse' AND query LIKE 'LISTEN %'`,
        )
        listeners = result.rows[0]?.n ?? 0
        if (listeners >= 2 || performance.now() - began > RECOVERY_MS) break
        await sleep(50)
      }
    } finally {
      await watcher.end()
    }
    t.diagnostic(
      `both nodes were listening ${(performance.now() - began).toFixed(0)} ms after the load ended`,
    )
    assert.equal(listeners, 2, 'each node has its LISTEN session back')

    const onA = client(nodeA, loader)
    const adminOnB = client(nodeB, root)
    try {
      // Twice: the second call is served from node A's caches, filled while it listens.
      await onA.send(new GetUserCommand({ UserName: 'loader' }))
      await onA.send(new GetUserCommand({ UserName: 'loader' }))
      await adminOnB.send(
        new DeleteUserPolicyCommand({ UserName: 'loader', PolicyName: 'allow-iam' }),
      )
      const denied = await failure(onA.send(new GetUserCommand({ UserName: 'loader' })))
      assert.equal(denied.name, 'AccessDenied')
      assert.equal(denied.status, 403)
    } finally {
      onA.destroy()
      adminOnB.destroy()
    }
  })

  it('applies no CreateUser by halves', async (t: TestContext) => {
    assert.ok(loadRan && nodeB !== undefined)
    // Read through node B, which carried no load: this holds even if node A fell over.
    assert.ok(running(nodeB), `node B is gone:\n${serverOutput(nodeB)}`)
    const admin = client(nodeB, root)
    const stored = new Map<string, readonly Tag[]>()
    try {
      for await (const page of paginateGetAccountAuthorizationDetails(
        { client: admin },
        { Filter: ['User'] },
      )) {
        for (const user of page.UserDetailList ?? []) {
          stored.set(user.UserName ?? '', user.Tags ?? [])
        }
      }
    } finally {
      admin.destroy()
    }
    const creates = outcomes.filter((o) => o.op === 'CreateUser')
    const attempted = new Map(creates.map((o) => [o.userName, o]))
    const expected = (name: string): string => {
      const match = /^load-(\d+)-(\d+)$/.exec(name)
      assert.ok(match !== null, name)
      return sortedTags(loadTags(Number(match[1]), Number(match[2])))
    }

    // Every user the load made, committed whole: the row and both tags, or nothing at all.
    const loadUsers = [...stored.keys()].filter((name) => name.startsWith('load-'))
    for (const name of loadUsers) {
      assert.ok(attempted.has(name), `${name} exists but was never asked for`)
      assert.equal(sortedTags(stored.get(name)), expected(name), `${name} has all its tags`)
    }
    // An acknowledged CreateUser survives the crash, and so does what GetUser read back.
    for (const o of creates.filter((c) => c.ok)) {
      assert.ok(stored.has(o.userName), `${o.userName} was created (200) but is gone`)
    }
    for (const o of outcomes.filter((g) => g.op === 'GetUser' && g.ok && g.userName !== 'loader')) {
      assert.equal(
        sortedTags(o.tags),
        expected(o.userName),
        `GetUser ${o.userName} answered its tags`,
      )
    }
    const { stopEnded, startBegan } = timeline
    // A CreateUser that ran wholly while the database was down never reached it: it is absent.
    const surelyUnapplied = creates.filter(
      (o) => !o.ok && o.started >= stopEnded && o.ended <= startBegan,
    )
    for (const o of surelyUnapplied) {
      assert.equal(stored.has(o.userName), false, `${o.userName} failed while down, yet exists`)
    }
    // The others that failed were in flight at the crash or while the node reconnected. One whose
    // COMMIT reached the database but whose answer was lost with the connection did happen, and
    // the client cannot know: as with AWS, a 5xx leaves the outcome unknown. What holds for them
    // is the check above: whole or absent, never half.
    const ambiguous = creates.filter((o) => !o.ok && !surelyUnapplied.includes(o))
    const appliedAnyway = ambiguous.filter((o) => stored.has(o.userName))
    t.diagnostic(
      `${creates.length} CreateUser calls: ${creates.filter((o) => o.ok).length} acknowledged, ` +
        `all stored with their tags; ${surelyUnapplied.length} failed while down, none stored; ` +
        `${ambiguous.length} failed at the crash or while reconnecting, ${appliedAnyway.length} ` +
        `of them stored (whole)`,
    )
  })

  it('stops both nodes cleanly on SIGTERM', async (t: TestContext) => {
    assert.ok(nodeA !== undefined && nodeB !== undefined)
    const began = performance.now()
    const codeA = await nodeA.stop()
    const stoppedA = performance.now()
    const codeB = await nodeB.stop()
    t.diagnostic(
      `SIGTERM to exit: node A ${(stoppedA - began).toFixed(0)} ms, node B ` +
        `${(performance.now() - stoppedA).toFixed(0)} ms`,
    )
    const codes = [codeA, codeB]
    assert.deepEqual(codes, [0, 0], `${serverOutput(nodeA)}\n${serverOutput(nodeB)}`)
  })
})
