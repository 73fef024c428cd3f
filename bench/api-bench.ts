/**
 * `npm run bench:api [-- FLAGS]`: Gatehouse against moto_server on loopback, both driven with
 * the same pre-signed requests (GetUser, ListUsers of 100 users, CreateUser + DeleteUser, STS
 * GetCallerIdentity, AssumeRole) by autocannon from 16 connections for a bounded time each;
 * prints 2xx requests per second, p50/p99 latency, every failed request, the Gatehouse/moto
 * ratio and whether the issue's targets are met. Requests are signed before each run, so the
 * load generator spends its CPU on sending only (the AWS SDK itself tops out near 1,600 calls
 * per second on these machines). With `--store postgres` Gatehouse runs on a PostgreSQL database
 * (a fresh one unless given), as one node or, with `--nodes`, several sharing the load.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { BenchDatabase } from './api/bench-database.js'
import { BENCH_POSTGRES_SERVER, openBenchDatabase } from './api/bench-database.js'
import type { BenchServer, ServerName } from './api/bench-server.js'
import type { Fixture } from './api/prepare-server.js'
import { prepareServer } from './api/prepare-server.js'
import { createPresigner } from './api/presigner.js'
import type { CpuShare, RunOutcome, ScenarioOutcome } from './api/print-report.js'
import { checkTargets, ratio, scenarioLines, targetLines } from './api/print-report.js'
import { cpuSecondsByPid, processCpuSeconds } from './api/process-cpu.js'
import type { LoadResult } from './api/load-recorder.js'
import { runLoad } from './api/run-load.js'
import type { LoadTarget } from './api/run-load.js'
import { SCENARIOS } from './api/scenarios.js'
import type { Scenario, Workload } from './api/scenarios.js'
import { sendOnce } from './api/send-once.js'
import { startGatehouse } from './api/start-gatehouse.js'
import { startGatehouseNodes } from './api/start-gatehouse-nodes.js'
import { startMoto } from './api/start-moto.js'

const USAGE = `usage: npm run bench:api [-- FLAGS]

  --duration SECONDS     measured seconds per scenario and server (10)
  --warmup SECONDS       unmeasured seconds before each of them (1)
  --connections N        concurrent clients, one request in flight each (16)
  --scenarios IDS        comma-separated subset of: ${SCENARIOS.map((s) => s.id).join(', ')}
  --servers NAMES        gatehouse,moto (both); one alone gives no ratio
  --moto-command PATH    the moto_server to run (moto_server on PATH)
  --workers N            Gatehouse server processes sharing the port (1)
  --trail on|off         Gatehouse records every call in its audit trail (on)
  --store NAME           Gatehouse's store: sqlite (in its data directory) or postgres (sqlite)
  --database-url URL     with postgres: an empty database to use, kept afterwards (a fresh
                         gatehouse_bench_<random> on ${BENCH_POSTGRES_SERVER}, dropped after)
  --nodes N              with postgres: Gatehouse processes on the one database, each on its
                         own port, the connections split evenly between them (1)
  --json                 print the results as JSON on stdout (tables go to stderr)

  BENCH_NODE_ARGS        environment: more node flags for Gatehouse's processes, e.g.
                         "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load
  BENCH_BIN              environment: the script Gatehouse runs, as \`node BENCH_BIN serve\`
                         (bin/gatehouse.js); a compiled build's entry, to compare two builds
`

/** Gatehouse allows five minutes of clock skew; each run's requests are signed just before it. */
const MAX_RUN_SECONDS = 240

/** The benchmark's settings, from its flags. */
interface BenchOptions {
  readonly duration: number
  readonly warmup: number
  readonly connections: number
  readonly scenarios: readonly Scenario[]
  readonly servers: readonly ServerName[]
  readonly motoCommand: string
  readonly json: boolean
  /** Gatehouse's `--workers`: server processes sharing the port. */
  readonly workers: number
  /** Gatehouse's `--trail`: whether every call is recorded in the audit trail. */
  readonly trail: 'on' | 'off'
  /** Gatehouse's `--store`. */
  readonly store: 'sqlite' | 'postgres'
  /** With postgres: the database to use; undefined makes a fresh one for the run. */
  readonly databaseUrl: string | undefined
  /** Gatehouse processes on the one PostgreSQL database, sharing the load. */
  readonly nodes: number
}

class UsageError extends Error {}

function positive(text: string, flag: string, integer: boolean): number {
  const n = Number(text)
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${flag} must be a positive ${integer ? 'integer' : 'number'}, not '${text}'`,
    )
  }
  return n
}

function onOff(text: string): 'on' | 'off' {
  if (text !== 'on' && text !== 'off')
    throw new UsageError(`--trail takes on or off, not '${text}'`)
  return text
}

function readOptions(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '16' },
      scenarios: { type: 'string' },
      servers: { type: 'string', default: 'gatehouse,moto' },
      'moto-command': { type: 'string', default: 'moto_server' },
      workers: { type: 'string', default: '1' },
      trail: { type: 'string', default: 'on' },
      store: { type: 'string', default: 'sqlite' },
      'database-url': { type: 'string' },
      nodes: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) return undefined
  const duration = positive(values.duration, '--duration', false)
  const warmup = Number(values.warmup)
  if (!Number.isFinite(warmup) || warmup < 0) {
    throw new UsageError(`--warmup must be a number of seconds, not '${values.warmup}'`)
  }
  if (duration + warmup > MAX_RUN_SECONDS) {
    throw new UsageError(
      `--duration plus --warmup must stay under ${MAX_RUN_SECONDS} s: requests are signed once per run and Gatehouse allows 5 minutes of clock skew`,
    )
  }
  const ids = values.scenarios?.split(',').map((id) => id.trim())
  const scenarios = ids === undefined ? SCENARIOS : SCENARIOS.filter((s) => ids.includes(s.id))
  const unknown = ids?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? []
  if (unknown.length > 0 || scenarios.length === 0) {
    throw new UsageError(`unknown scenario '${unknown.join(', ')}'`)
  }
  const servers = values.servers.split(',').map((name) => name.trim())
  const known: ServerName[] = ['gatehouse', 'moto']
  if (servers.length === 0 || servers.some((name) => !known.some((k) => k === name))) {
    throw new UsageError(`--servers takes gatehouse, moto or both, not '${values.servers}'`)
  }
  const store = values.store
  if (store !== 'sqlite' && store !== 'postgres') {
    throw new UsageError(`--store takes sqlite or postgres, not '${store}'`)
  }
  const nodes = positive(values.nodes, '--nodes', true)
  const databaseUrl = values['database-url']
  if (store === 'sqlite' && nodes > 1) {
    throw new UsageError(
      '--nodes is for --store postgres: SQLite serves from one data directory (--workers shares its port between processes)',
    )
  }
  if (store === 'sqlite' && databaseUrl !== undefined) {
    throw new UsageError('--database-url is for --store postgres')
  }
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    throw new UsageError('--database-url must be a postgres:// URL')
  }
  const connections = positive(values.connections, '--connections', true)
  if (connections < nodes) {
    throw new UsageError(`--connections must be at least --nodes (${nodes}): each node gets some`)
  }
  return {
    duration,
    warmup,
    connections,
    scenarios,
    servers: known.filter((name) => servers.includes(name)),
    motoCommand: values['moto-command'],
    json: values.json,
    workers: positive(values.workers, '--workers', true),
    trail: onOff(values.trail),
    store,
    databaseUrl,
    nodes,
  }
}

/** `<Code>: <Message>` of an AWS error body, or its start. */
function errorOf(body: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1]
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1]
  return code === undefined ? body.slice(0, 200) : `${code}: ${message ?? ''}`
}

/** `total` split into `parts` shares differing by one at most, the larger ones first. */
function splitEvenly(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  )
}

/**
 * CPU seconds so far of each process serving the database; undefined without one, or when they
 * cannot be listed.
 */
async function databaseCpu(
  database: BenchDatabase | undefined,
): Promise<Map<number, number> | undefined> {
  if (database === undefined) return undefined
  // Without the list, the column shows '-': the figure is lost, the run's results stand.
  const pids = await database.backendPids().catch(() => undefined)
  return pids === undefined ? undefined : cpuSecondsByPid(pids)
}

/**
 * The database's CPU seconds between two readings. A backend that appeared in between (the
 * nodes' pools open connections as load comes) counts whole; one that closed in between is lost.
 */
function databaseCpuBetween(
  before: Map<number, number> | undefined,
  after: Map<number, number> | undefined,
): number | undefined {
  if (before === undefined || after === undefined) return undefined
  let used = 0
  for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0)
  return used
}

/** CPU seconds so far of all the server's processes; undefined if one cannot be read. */
function serverCpu(server: BenchServer): number | undefined {
  let total = 0
  for (const node of server.nodes) {
    const used = processCpuSeconds(node.child.pid)
    if (used === undefined) return undefined
    total += used
  }
  return total
}

/**
 * Runs one scenario on one server: probe, warm-up, measured run. A server of several nodes gets
 * the same workload on each (signed for that node's port; CreateUser names differ between them)
 * and an even share of the connections, each node its own autocannon instance, all recorded
 * together: its figures are the sum of the nodes' throughput and the latency over every response.
 */
async function runScenario(
  scenario: Scenario,
  server: BenchServer,
  fixture: Fixture,
  options: BenchOptions,
  database: BenchDatabase | undefined,
  signal: AbortSignal,
  progress: (text: string) => void,
): Promise<RunOutcome> {
  const several = server.nodes.length > 1
  const workloads = async (tag: string): Promise<Workload[] | string> => {
    const built = await Promise.all(
      server.nodes.map((node, i) =>
        scenario.build(
          createPresigner(node.url, fixture.caller, new Date()),
          fixture,
          several ? `${tag}${i + 1}` : tag,
        ),
      ),
    )
    const skipped = built.find((workload) => typeof workload === 'string')
    return skipped ?? built.filter((workload) => typeof workload !== 'string')
  }

  const first = await workloads('w')
  if (typeof first === 'string') return { kind: 'skipped', reason: first }
  let keepsAlive = true
  for (const [i, node] of server.nodes.entries()) {
    const workload = first[i] as Workload
    const where = several ? `node ${i + 1}: ` : ''
    const bodies: string[] = []
    for (const request of workload.probe) {
      const reply = await sendOnce(node.url, request)
      if (reply.status < 200 || reply.status > 299) {
        if (reply.status >= 500) {
          const tail = server.logTail().trim().split('\n').slice(-10).join('\n')
          progress(
            `${server.name} ${scenario.id}: ${where}probe answered ${reply.status}; last output:\n${tail}`,
          )
        }
        return {
          kind: 'skipped',
          reason: `${where}probe answered ${reply.status} ${errorOf(reply.body)}`,
        }
      }
      bodies.push(reply.body)
      keepsAlive &&= reply.keepsAlive
    }
    const wrong = workload.check(bodies)
    if (wrong !== undefined) return { kind: 'skipped', reason: `${where}probe: ${wrong}` }
  }

  const shares = splitEvenly(options.connections, server.nodes.length)
  const targets = (built: readonly Workload[]): LoadTarget[] =>
    server.nodes.map((node, i) => ({
      url: node.url,
      requests: (built[i] as Workload).requests,
      connections: shares[i] ?? 0,
    }))
  const load = {
    driver: keepsAlive ? ('autocannon' as const) : ('connection-per-request' as const),
    signal,
  }
  if (options.warmup > 0) {
    progress(`${server.name} ${scenario.id}: warming up ${options.warmup} s`)
    await runLoad(targets(first), { ...load, seconds: options.warmup })
  }
  if (signal.aborted) return { kind: 'skipped', reason: 'interrupted' }
  const measuredWorkloads = await workloads('m')
  if (typeof measuredWorkloads === 'string') return { kind: 'skipped', reason: measuredWorkloads }
  progress(`${server.name} ${scenario.id}: measuring ${options.duration} s`)
  const databaseCpuBefore = await databaseCpu(database)
  const serverCpuBefore = serverCpu(server)
  const ownCpuBefore = process.cpuUsage()
  const result: LoadResult = await runLoad(targets(measuredWorkloads), {
    ...load,
    seconds: options.duration,
  })
  const serverCpuAfter = serverCpu(server)
  const own = process.cpuUsage(ownCpuBefore)
  const databaseSeconds = databaseCpuBetween(databaseCpuBefore, await databaseCpu(database))
  const cpu: CpuShare = {
    server:
      serverCpuBefore === undefined || serverCpuAfter === undefined
        ? undefined
        : (serverCpuAfter - serverCpuBefore) / result.seconds,
    loadGenerator: (own.user + own.system) / 1e6 / result.seconds,
    ...(database === undefined
      ? {}
      : {
          database: databaseSeconds === undefined ? undefined : databaseSeconds / result.seconds,
        }),
  }
  return { kind: 'measured', load: result, cpu }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions | undefined
  try {
    options = readOptions(argv)
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err
    process.stderr.write(`bench:api: ${err.message}\n\n${USAGE}`)
    return 2
  }
  if (options === undefined) {
    process.stdout.write(USAGE)
    return 0
  }
  const report = (line: string): void => {
    if (options.json) process.stderr.write(`${line}\n`)
    else process.stdout.write(`${line}\n`)
  }
  const progress = (text: string): void => {
    process.stderr.write(`  .. ${text}\n`)
  }

  const servers: BenchServer[] = []
  let database: BenchDatabase | undefined
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'))
  const aborter = new AbortController()
  // A hard exit still takes the servers down with it.
  const killAll = (): void => {
    for (const server of servers) for (const node of server.nodes) node.child.kill('SIGKILL')
  }
  process.on('exit', killAll)
  let interrupts = 0
  const onSigint = (): void => {
    interrupts++
    if (interrupts > 1) {
      killAll()
      if (database?.created === true) {
        process.stderr.write(`bench:api: the database ${database.shown} is left behind\n`)
      }
      process.exit(130)
    }
    process.stderr.write('bench:api: interrupted; stopping the servers (again to kill)\n')
    aborter.abort()
  }
  process.on('SIGINT', onSigint)

  try {
    const cpu = cpus()
    report(
      `bench:api: ${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s per scenario and server; node ${process.version}, ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? '?'})`,
    )
    const postgres = options.store === 'postgres' && options.servers.includes('gatehouse')
    if (postgres) {
      database = await openBenchDatabase(options.databaseUrl)
      const shares = splitEvenly(options.connections, options.nodes)
      report(
        `bench:api: gatehouse on postgres ${database.shown}${database.created ? ' (made for this run)' : ''}, ${options.nodes === 1 ? '1 node' : `${options.nodes} nodes, ${shares.join(' + ')} connections`}`,
      )
    }
    const databaseUrl = database?.url
    progress(`starting ${options.servers.join(' and ')}`)
    const gatehouseArgs = ['--workers', String(options.workers), '--trail', options.trail]
    const started = await Promise.allSettled(
      options.servers.map((name) =>
        name === 'moto'
          ? startMoto(options.motoCommand)
          : databaseUrl === undefined
            ? startGatehouse({ dataDir: join(dataDir, 'gatehouse'), extraArgs: gatehouseArgs })
            : startGatehouseNodes({
                count: options.nodes,
                dataDir: join(dataDir, 'gatehouse'),
                databaseUrl,
                extraArgs: gatehouseArgs,
              }),
      ),
    )
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value)
    const failed = started.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason

    progress('creating users, the caller and its role on each server')
    const fixtures = await Promise.all(servers.map((server) => prepareServer(server)))
    servers.forEach((server, i) => {
      for (const note of fixtures[i]?.notes ?? []) report(`${server.name} setup: ${note}`)
    })

    const outcomes: ScenarioOutcome[] = []
    for (const scenario of options.scenarios) {
      const runs: ScenarioOutcome['runs'] = {}
      for (const [i, server] of servers.entries()) {
        if (aborter.signal.aborted) break
        const fixture = fixtures[i] as Fixture
        runs[server.name] = await runScenario(
          scenario,
          server,
          fixture,
          options,
          server.name === 'gatehouse' ? database : undefined,
          aborter.signal,
          progress,
        )
      }
      const outcome: ScenarioOutcome = {
        id: scenario.id,
        title: scenario.title,
        extra: scenario.extra === true,
        runs,
      }
      outcomes.push(outcome)
      report('')
      for (const line of scenarioLines(outcome)) report(line)
      if (aborter.signal.aborted) break
    }
    const checks = checkTargets(outcomes)
    report('')
    if (aborter.signal.aborted) report('Interrupted: the last run measured less than its duration.')
    for (const line of targetLines(checks)) report(line)
    if (options.json) {
      const json = {
        connections: options.connections,
        warmupSeconds: options.warmup,
        durationSeconds: options.duration,
        ...(database === undefined
          ? {}
          : {
              gatehouseStore: { store: 'postgres', database: database.shown, nodes: options.nodes },
            }),
        setupNotes: Object.fromEntries(servers.map((s, i) => [s.name, fixtures[i]?.notes ?? []])),
        scenarios: outcomes.map((o) => ({ ...o, ratio: ratio(o) })),
        targets: checks,
      }
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
    }
    return aborter.signal.aborted ? 130 : 0
  } catch (err) {
    process.stderr.write(`bench:api: ${err instanceof Error ? err.message : String(err)}\n`)
    for (const server of servers) {
      const tail = server.logTail().trim()
      if (tail !== '') process.stderr.write(`--- ${server.name}'s last output:\n${tail}\n`)
    }
    return 1
  } finally {
    process.off('SIGINT', onSigint)
    progress('stopping the servers')
    await Promise.all(servers.map((server) => server.stop()))
    rmSync(dataDir, { recursive: true, force: true })
    if (database !== undefined) {
      if (database.created) progress(`dropping the database ${database.shown}`)
      await database.close()
    }
  }
}

process.exitCode = await main(process.argv.slice(2))
