/**
 * `node --import tsx bench/trail-bench.ts [-- FLAGS]`: what recording the audit trail costs.
 * Concurrent callers (16, as the API bench's connections) each record an event through a
 * TrailWriter on a SQLite trail file and await it, as the request path does, for a bounded time;
 * then, for contrast, one caller appends one event per commit. Prints appends per second, the
 * commits and their batch sizes, record() latency, and the CPU time per event, with the share of
 * one core that recording would take at the API's request rate (the issue allows 15%).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { TrailWriter } from '../src/audit/trail-writer.js'
import { openSqliteTrailStore } from '../src/store/sqlite/sqlite-trail-store.js'
import { openThreadedSqliteTrailStore } from '../src/store/sqlite/threaded-trail-store.js'
import type { TrailEvent, TrailStore } from '../src/store/trail-store.js'

const USAGE = `usage: node --import tsx bench/trail-bench.ts [-- FLAGS]

  --duration SECONDS   measured seconds per run (5)
  --callers N          concurrent callers of record() (16)
  --window-ms MS       the writer's batching window (0: one event-loop turn)
  --api-rps N          the API's request rate to relate the CPU cost to (3861: README's GetUser)
  --json               print the results as JSON
`

/** An event about as large as a real CloudTrail record of an IAM call (about 1.3 KB). */
function benchEvent(): TrailEvent {
  const eventId = randomUUID()
  const eventTime = new Date()
  const record = JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'alice',
    },
    eventTime: eventTime.toISOString(),
    eventSource: 'iam.amazonaws.com',
    eventName: 'GetUser',
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'aws-sdk-js/3.0.0 ua/2.1 os/linux lang/js md/nodejs#20.19.0 api/iam#3.0.0',
    requestParameters: { userName: 'bob' },
    responseElements: null,
    requestID: randomUUID(),
    eventID: eventId,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    tlsDetails: { clientProvidedHostHeader: 'localhost:4566' },
  })
  return {
    eventId,
    eventTime,
    eventName: 'GetUser',
    eventSource: 'iam.amazonaws.com',
    readOnly: true,
    username: 'alice',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    resources: [{ type: 'AWS::IAM::User', name: 'bob' }],
    accountId: '111122223333',
    record,
  }
}

/** One run's figures. */
interface RunResult {
  readonly name: string
  readonly events: number
  readonly seconds: number
  readonly appendsPerSecond: number
  readonly commits: number
  readonly meanBatch: number
  readonly largestBatch: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Process CPU time (user + system, every thread) per event, in microseconds. */
  readonly cpuMicrosPerEvent: number
  /**
   * The main thread's CPU time per event, in microseconds: what recording takes from the
   * request path (the event loop that serves the API).
   */
  readonly mainThreadMicrosPerEvent: number
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0
}

/**
 * The main thread's own CPU time (user + system), in microseconds, from Linux's per-thread
 * accounting (10 ms ticks); process.cpuUsage() adds the worker thread's in. Where /proc is
 * missing, the event loop's busy time stands in (which also counts time the thread waited for
 * a core).
 */
function mainThreadMicros(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return performance.eventLoopUtilization().active * 1000
  }
}

/** Runs `callers` loops of `recordOne` for `seconds`, timing each call. */
async function measure(
  seconds: number,
  callers: number,
  recordOne: () => Promise<void>,
): Promise<{ latencies: number[]; elapsed: number; cpuMicros: number; busyMicros: number }> {
  const latencies: number[] = []
  const start = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const mainStart = mainThreadMicros()
  const end = start + BigInt(Math.round(seconds * 1e9))
  const loop = async (): Promise<void> => {
    while (process.hrtime.bigint() < end) {
      const t0 = process.hrtime.bigint()
      await recordOne()
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
  }
  await Promise.all(Array.from({ length: callers }, loop))
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  const busy = mainThreadMicros() - mainStart
  return {
    latencies: latencies.sort((a, b) => a - b),
    elapsed,
    cpuMicros: used.user + used.system,
    busyMicros: busy,
  }
}

async function groupCommit(
  name: string,
  store: TrailStore,
  seconds: number,
  callers: number,
  windowMs: number,
): Promise<RunResult> {
  const writer = new TrailWriter(store, { windowMs })
  const run = await measure(seconds, callers, () => writer.record(benchEvent()))
  await writer.close()
  await store.close()
  const { commits, events, largestBatch } = writer.stats
  return {
    name: `TrailWriter on ${name}, ${callers} callers${windowMs > 0 ? `, ${windowMs} ms window` : ''}`,
    events,
    seconds: run.elapsed,
    appendsPerSecond: events / run.elapsed,
    commits,
    meanBatch: events / commits,
    largestBatch,
    p50Ms: percentile(run.latencies, 50),
    p99Ms: percentile(run.latencies, 99),
    cpuMicrosPerEvent: run.cpuMicros / events,
    mainThreadMicrosPerEvent: run.busyMicros / events,
  }
}

async function commitPerEvent(file: string, seconds: number): Promise<RunResult> {
  const store = openSqliteTrailStore({ filename: file })
  let events = 0
  const run = await measure(seconds, 1, async () => {
    await store.appendTrailEvents([benchEvent()])
    events += 1
  })
  await store.close()
  return {
    name: 'appendTrailEvents, one event per commit',
    events,
    seconds: run.elapsed,
    appendsPerSecond: events / run.elapsed,
    commits: events,
    meanBatch: 1,
    largestBatch: 1,
    p50Ms: percentile(run.latencies, 50),
    p99Ms: percentile(run.latencies, 99),
    cpuMicrosPerEvent: run.cpuMicros / events,
    mainThreadMicrosPerEvent: run.busyMicros / events,
  }
}

/** What building one sample event costs (the request path builds its record anyway). */
function buildMicrosPerEvent(): number {
  const count = 20_000
  const start = process.hrtime.bigint()
  for (let i = 0; i < count; i++) benchEvent()
  return Number(process.hrtime.bigint() - start) / 1e3 / count
}

function line(result: RunResult, apiRps: number): string {
  const share = (result.mainThreadMicrosPerEvent * apiRps) / 1e4
  return [
    `${result.name}:`,
    `  ${Math.round(result.appendsPerSecond).toLocaleString('en-US')} appends/s`,
    `(${result.events.toLocaleString('en-US')} events in ${result.seconds.toFixed(1)} s),`,
    `${result.commits.toLocaleString('en-US')} commits, batch mean ${result.meanBatch.toFixed(1)}`,
    `max ${result.largestBatch};`,
    `record p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms;`,
    `CPU ${result.cpuMicrosPerEvent.toFixed(1)} µs/event in all,`,
    `${result.mainThreadMicrosPerEvent.toFixed(1)} µs/event on the main thread`,
    `= ${share.toFixed(1)}% of it at ${apiRps.toLocaleString('en-US')} requests/s`,
  ].join(' ')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      callers: { type: 'string', default: '16' },
      'window-ms': { type: 'string', default: '0' },
      'api-rps': { type: 'string', default: '3861' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(USAGE)
    return
  }
  const seconds = Number(values.duration)
  const callers = Number(values.callers)
  const windowMs = Number(values['window-ms'])
  const apiRps = Number(values['api-rps'])
  if (!(seconds > 0) || !Number.isSafeInteger(callers) || callers < 1 || !(windowMs >= 0)) {
    process.stderr.write(USAGE)
    process.exitCode = 2
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-trail-bench-'))
  try {
    const threaded = await openThreadedSqliteTrailStore({ filename: join(dir, 'thread.db') })
    const results = [
      await groupCommit('a worker thread', threaded, seconds, callers, windowMs),
      await groupCommit(
        'the main thread',
        openSqliteTrailStore({ filename: join(dir, 'main.db') }),
        seconds,
        callers,
        windowMs,
      ),
      await commitPerEvent(join(dir, 'single.db'), seconds),
    ]
    const build = buildMicrosPerEvent()
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ buildMicrosPerEvent: build, results }, null, 2)}\n`)
    } else {
      for (const result of results) process.stdout.write(`${line(result, apiRps)}\n`)
      process.stdout.write(
        `(the main thread's figures include building each sample event: ${build.toFixed(1)} µs)\n`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
