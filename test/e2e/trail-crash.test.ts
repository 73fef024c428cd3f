/**
 * The audit trail survives a crash of the real server: 16 loops of real IAM SDK calls run against
 * `gatehouse serve` (one process, then a primary with two workers), every server process is
 * killed with SIGKILL mid-load, and every call that got an answer is in the trail exactly once,
 * in one intact chain, once `gatehouse trail verify` has taken in what the dead processes'
 * journals held. A restart on the same data directory then appends to that same chain.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
} from '@aws-sdk/client-iam'
import type { MetadataBearer } from '@smithy/types'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { readWholeTrail } from '../../src/store/conformance/trail/trail-harness.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { SqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

const BIN = resolve(import.meta.dirname, '../../bin/gatehouse.js')
/** Concurrent call loops, each on connections of its own. */
const LOOPS = 16
/** How long the load runs before the kill. */
const LOAD_MS = 2000
/**
 * For this long before the kill another connection holds trail.db's write lock (as a seal or an
 * export can): the server answers on, its records in its journal only.
 */
const HOLD_MS = 700
/** Answered calls the load must reach before the kill, for the crash to be mid-load. */
const MIN_ANSWERED = 100

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** A call that got an answer from the server, and what its record must say. */
interface Answered {
  readonly requestId: string
  readonly eventName: string
  /** The SDK's error name, which is also the record's errorCode here; 'ok' for a success. */
  readonly outcome: string
}

/** What the load saw. */
interface Load {
  readonly answered: Answered[]
  /** Calls that got no answer: cut off by the kill. */
  unanswered: number
  /** What must not happen: a wrong outcome, an answer without its request id, a call lost early. */
  readonly problems: string[]
  killed: boolean
}

/** The pids whose parent is `pid`. */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^[0-9]+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(pid)
      } catch {
        return false
      }
    })
    .map(Number)
}

/** Every process below `pid`. */
function descendantPids(pid: number): number[] {
  return childPids(pid).flatMap((child) => [child, ...descendantPids(child)])
}

/**
 * The worker processes of the primary `pid`: its children that run `gatehouse serve` (not the
 * esbuild service that tsx starts to compile a source file it has not cached, nor a seal).
 */
function workerPids(pid: number): number[] {
  return childPids(pid).filter((child) => {
    try {
      const args = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')
      return args.includes(BIN) && args.includes('serve')
    } catch {
      return false
    }
  })
}

/**
 * Waits until none of `pids` exists any more, zombies included: the trail removes a journal file
 * only once kill(pid, 0) says its process is gone, and orphaned workers are reaped by init.
 */
async function waitGone(pids: readonly number[], ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    const left = pids.filter((pid) => existsSync(`/proc/${pid}`))
    if (left.length === 0) return
    if (Date.now() > deadline) {
      assert.fail(`processes ${left.join(', ')} still exist ${ms} ms after SIGKILL (unreaped?)`)
    }
    await sleep(50)
  }
}

/** Runs `gatehouse trail ...`; the exit code and what it printed. */
function trailCommand(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [BIN, 'trail', ...args], { encoding: 'utf8' })
  return { status: run.status, output: run.stdout + run.stderr }
}

/** `gatehouse trail verify`, which must find one intact chain; the number of records. */
function verifyTrail(dataDir: string): number {
  const verify = trailCommand('verify', '--data-dir', dataDir)
  assert.equal(verify.status, 0, verify.output)
  const records = /^trail intact: (\d+) records/m.exec(verify.output)?.[1]
  assert.ok(records !== undefined, verify.output)
  return Number(records)
}

/** `gatehouse trail export` into a new directory; every exported record. */
function exportTrail(dataDir: string): Record<string, unknown>[] {
  const out = mkdtempSync(join(tmpdir(), 'gatehouse-trail-crash-export-'))
  try {
    const run = trailCommand('export', '--data-dir', dataDir, '--out', out)
    assert.equal(run.status, 0, run.output)
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.json.gz'))
      .map((file) => join(out, file))
    const records = files.flatMap(
      (file) =>
        (JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: [] }).Records,
    )
    assert.equal(
      `exported ${records.length} records`,
      /^exported \d+ records/.exec(run.output)?.[0],
    )
    return records
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

/** The records by requestID; a requestID the trail holds twice is a duplicated record. */
function recordsByRequestId(records: readonly Record<string, unknown>[]): {
  readonly byId: Map<string, Record<string, unknown>>
  readonly duplicates: string[]
} {
  const byId = new Map<string, Record<string, unknown>>()
  const duplicates: string[] = []
  for (const record of records) {
    const id = String(record['requestID'])
    if (byId.has(id)) duplicates.push(id)
    byId.set(id, record)
  }
  return { byId, duplicates }
}

/** The answered calls missing from the trail, or recorded as another call or outcome. */
function unrecorded(
  answered: readonly Answered[],
  byId: ReadonlyMap<string, Record<string, unknown>>,
): string[] {
  return answered.flatMap((call) => {
    const record = byId.get(call.requestId)
    if (record === undefined) return [`${call.requestId} (${call.eventName}): not in the trail`]
    const outcome = (record['errorCode'] as string | undefined) ?? 'ok'
    return record['eventName'] === call.eventName && outcome === call.outcome
      ? []
      : [`${call.requestId}: recorded as ${String(record['eventName'])} ${outcome}`]
  })
}

/** The requestID of a record as the trail stores it (its CloudTrail JSON). */
function requestIdOf(record: string): string {
  return String((JSON.parse(record) as { requestID?: unknown }).requestID)
}

/** The journal files in the data directory, by the pid in their names. */
function journalFiles(dataDir: string): Map<number, string[]> {
  const dir = join(dataDir, 'trail.db.pending')
  const byPid = new Map<number, string[]>()
  for (const file of readdirSync(dir)) {
    const pid = Number(file.split('-')[0])
    byPid.set(pid, [...(byPid.get(pid) ?? []), join(dir, file)])
  }
  return byPid
}

/**
 * One call; whether the server answered it. An answer (a result or an AWS error) must carry its
 * request id and the outcome `expected`; no answer is a problem unless the server was killed.
 */
async function attempt(
  load: Load,
  eventName: string,
  expected: string,
  send: () => Promise<MetadataBearer>,
): Promise<boolean> {
  let requestId: string | undefined
  let outcome: string
  try {
    requestId = (await send()).$metadata.requestId
    outcome = 'ok'
  } catch (err) {
    const metadata = (err as Partial<MetadataBearer>).$metadata
    if (metadata?.httpStatusCode === undefined) {
      // No response: the connection died with the server.
      load.unanswered += 1
      if (!load.killed)
        load.problems.push(`${eventName}: no answer before the kill: ${String(err)}`)
      return false
    }
    requestId = metadata.requestId
    outcome = (err as Error).name
  }
  if (requestId === undefined) {
    load.problems.push(`${eventName}: answered ${outcome} without a request id`)
  } else {
    load.answered.push({ requestId, eventName, outcome })
  }
  if (outcome !== expected) load.problems.push(`${eventName}: ${outcome}, not ${expected}`)
  return true
}

/** A client with connections of its own, which gives up on a request the kill left hanging. */
function client(url: string, credentials: Key): IAMClient {
  return new IAMClient({
    endpoint: url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 10_000 },
  })
}

/**
 * One loop of the load until the kill: a read, a create and delete of a new user, a denial, a
 * refused input, a missing entity and an unknown key, in turns offset by the loop's number.
 */
async function callLoop(
  load: Load,
  n: number,
  clients: { root: IAMClient; denied: IAMClient; unknown: IAMClient },
): Promise<void> {
  // Until the first call without an answer: each loop ends on one call the kill cut off.
  for (let i = 0; ; i++) {
    let answered: boolean
    switch ((i + n) % 5) {
      case 0:
        answered = await attempt(load, 'GetUser', 'ok', () =>
          clients.root.send(new GetUserCommand({ UserName: 'target' })),
        )
        break
      case 1: {
        const UserName = `load-${n}-${i}`
        answered =
          (await attempt(load, 'CreateUser', 'ok', () =>
            clients.root.send(new CreateUserCommand({ UserName })),
          )) &&
          (await attempt(load, 'DeleteUser', 'ok', () =>
            clients.root.send(new DeleteUserCommand({ UserName })),
          ))
        break
      }
      case 2:
        answered = await attempt(load, 'GetUser', 'AccessDenied', () =>
          clients.denied.send(new GetUserCommand({ UserName: 'target' })),
        )
        break
      case 3:
        answered = await attempt(load, 'CreateUser', 'ValidationError', () =>
          clients.root.send(new CreateUserCommand({ UserName: `not a name ${n}-${i}` })),
        )
        break
      default:
        answered =
          (await attempt(load, 'GetUser', 'NoSuchEntityException', () =>
            clients.root.send(new GetUserCommand({ UserName: `missing-${n}-${i}` })),
          )) &&
          (await attempt(load, 'ListUsers', 'InvalidClientTokenId', () =>
            clients.unknown.send(new ListUsersCommand({})),
          ))
    }
    if (!answered) return
  }
}

/** The server's setup: a user to read, and a user without any policy, whose calls are denied. */
async function setUp(load: Load, url: string, root: Key): Promise<Key> {
  const iam = client(url, root)
  try {
    await attempt(load, 'CreateUser', 'ok', () =>
      iam.send(new CreateUserCommand({ UserName: 'target' })),
    )
    await attempt(load, 'CreateUser', 'ok', () =>
      iam.send(new CreateUserCommand({ UserName: 'denied' })),
    )
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: 'denied' }))
    const requestId = created.$metadata.requestId
    assert.ok(requestId !== undefined)
    load.answered.push({ requestId, eventName: 'CreateAccessKey', outcome: 'ok' })
    return {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
  } finally {
    iam.destroy()
  }
}

/**
 * Runs the load for LOAD_MS, then kills every process of the server at once with SIGKILL (the
 * primary and its workers: none of them gets to close its journal or its trail).
 */
async function loadAndKill(
  server: ServerProcess,
  root: Key,
  workers: number,
): Promise<{ load: Load; servers: number[]; inTrailDb: Set<string> }> {
  const load: Load = { answered: [], unanswered: 0, problems: [], killed: false }
  const denied = await setUp(load, server.url, root)
  const primary = server.child.pid
  assert.ok(primary !== undefined)
  const started = workerPids(primary)
  assert.equal(started.length, workers === 1 ? 0 : workers, 'the worker processes')
  const clients = Array.from({ length: LOOPS }, () => ({
    root: client(server.url, root),
    denied: client(server.url, denied),
    unknown: client(server.url, {
      accessKeyId: 'AKIAUNKNOWNKEY000000',
      secretAccessKey: 'x'.repeat(40),
    }),
  }))
  const exited = once(server.child, 'exit')
  let holder: SqliteTrailStore | undefined
  try {
    const loops = clients.map((c, n) => callLoop(load, n, c))
    await sleep(LOAD_MS - HOLD_MS)
    // Without this the trail thread appends each batch within a millisecond of its journal
    // write, and the kill would leave the journal nothing the trail lacks: the answered calls of
    // the last HOLD_MS are the ones only the journal can bring back. (A store opened without its
    // journal directory takes nothing in.)
    holder = openSqliteTrailStore({ filename: join(server.dataDir, 'trail.db') })
    holder.database.exec('BEGIN IMMEDIATE')
    await sleep(HOLD_MS)
    assert.ok(load.answered.length >= MIN_ANSWERED, `only ${load.answered.length} calls answered`)
    // Read right before the kill: a worker the primary had replaced would show here.
    const running = workerPids(primary)
    // The primary, its workers and anything they started, all at once.
    const victims = [primary, ...descendantPids(primary)]
    load.killed = true
    for (const pid of victims) process.kill(pid, 'SIGKILL')
    // What trail.db holds at the crash, read under the lock: nobody can append any more.
    const inTrailDb = new Set((await readWholeTrail(holder)).map((e) => requestIdOf(e.record)))
    holder.database.exec('ROLLBACK')
    await Promise.all(loops)
    assert.deepEqual(byNumber(running), byNumber(started), 'the same workers all along')
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null]
    assert.equal(signal, 'SIGKILL')
    await waitGone(victims)
    // The processes that wrote journals: the workers, or the one server process.
    return { load, servers: workers === 1 ? [primary] : started, inTrailDb }
  } finally {
    await holder?.close()
    load.killed = true
    for (const c of clients) for (const iam of Object.values(c)) iam.destroy()
  }
}

function byNumber(numbers: readonly number[]): number[] {
  return [...numbers].sort((a, b) => a - b)
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}

for (const workers of [1, 2]) {
  const command = workers === 1 ? 'gatehouse serve' : `gatehouse serve --workers ${workers}`
  describe(`${command} killed with SIGKILL mid-load`, () => {
    it('keeps every answered call once, in one chain, and appends to it after a restart', async (t) => {
      const args = workers === 1 ? [] : ['--workers', String(workers)]
      const server = await startServerProcess({ args })
      const dataDir = server.dataDir
      try {
        const root = printedRootKey(server.stdout())
        const { load, servers, inTrailDb } = await loadAndKill(server, root, workers)
        assert.deepEqual(load.problems, [])
        assert.equal(load.unanswered, LOOPS, 'each loop went on until the kill cut it off')

        // The dead processes' journals are still there, each holding what its process recorded:
        // none of them shut down.
        const journals = journalFiles(dataDir)
        assert.deepEqual(byNumber([...journals.keys()]), byNumber(servers))
        for (const [pid, files] of journals) {
          const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0)
          assert.ok(bytes > 0, `the journal of process ${pid} holds records`)
        }
        const fromJournal = load.answered.filter((call) => !inTrailDb.has(call.requestId)).length
        t.diagnostic(
          `${load.answered.length} answered, ${load.unanswered} cut off; ` +
            `${fromJournal} answered calls were only in the journal at the kill`,
        )
        assert.ok(fromJournal > 0, 'answered calls that only the journal holds')

        // verify opens the trail, which appends what the journals hold and removes their files.
        const records = verifyTrail(dataDir)
        assert.deepEqual(readdirSync(join(dataDir, 'trail.db.pending')), [])
        const exported = exportTrail(dataDir)
        assert.equal(exported.length, records)
        const crashed = recordsByRequestId(exported)
        assert.deepEqual(crashed.duplicates, [], 'records appended twice')
        assert.deepEqual(unrecorded(load.answered, crashed.byId), [])

        // A restart on the same data directory appends to the same chain, and a clean stop
        // leaves no journal behind.
        const again = await startServerProcess({ args, dataDir })
        const after: Load = { answered: [], unanswered: 0, problems: [], killed: false }
        try {
          for (const UserName of ['target', 'denied']) {
            // A client each: under --workers, each connection may go to another worker.
            const iam = client(again.url, root)
            await attempt(after, 'GetUser', 'ok', () => iam.send(new GetUserCommand({ UserName })))
            iam.destroy()
          }
        } finally {
          assert.equal(await again.stop(), 0, again.stderr())
        }
        assert.deepEqual(after.problems, [])
        assert.deepEqual(readdirSync(join(dataDir, 'trail.db.pending')), [])
        assert.equal(verifyTrail(dataDir), records + after.answered.length)
        const restarted = recordsByRequestId(exportTrail(dataDir))
        assert.deepEqual(restarted.duplicates, [], 'records appended twice')
        assert.deepEqual(unrecorded([...load.answered, ...after.answered], restarted.byId), [])
      } finally {
        // A failure before the kill leaves nothing running.
        const pid = server.child.pid
        if (
          pid !== undefined &&
          server.child.exitCode === null &&
          server.child.signalCode === null
        ) {
          for (const victim of [pid, ...descendantPids(pid)]) process.kill(victim, 'SIGKILL')
        }
        removeDataDir(dataDir)
      }
    })
  })
}
