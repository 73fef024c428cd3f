/**
 * `npm run bench:instructions [-- FLAGS]`: the instructions Gatehouse executes per call, counted
 * by valgrind's callgrind, for comparing two versions of the code on these machines, whose speed
 * drifts by up to twice from one day to the next and by a fifth within an hour (see the README's
 * Speed section): an instruction count does not drift. `gatehouse serve` runs under callgrind
 * (each thread counted on its own), the benchmark's fixture is made, a scenario's pre-signed
 * requests are sent from 16 connections to warm it up, the counters are zeroed, the measured
 * requests are sent, and the counts are dumped and divided by the calls. What a count leaves out:
 * the kernel's work (the socket's system calls) and the machine's caches, which a CPU profile or
 * `npm run bench:api` shows instead.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { prepareServer } from './api/prepare-server.js'
import { createPresigner } from './api/presigner.js'
import { SCENARIOS } from './api/scenarios.js'
import type { Workload } from './api/scenarios.js'
import type { BenchServer } from './api/bench-server.js'
import { startGatehouse } from './api/start-gatehouse.js'

const USAGE = `usage: npm run bench:instructions [-- FLAGS]

  --scenario ID       one of: ${SCENARIOS.map((s) => s.id).join(', ')} (get-user)
  --warmup N          calls sent before counting, so that the code is compiled (4000)
  --calls N           calls counted (3000)
  --trail on|off      Gatehouse records every call in its audit trail (on)
  --entry PATH        the script run as \`node PATH serve ...\` (bin/gatehouse.js); a build's
                      entry compares two builds side by side, each in its own directory
`

const BIN = resolve(import.meta.dirname, '../bin/gatehouse.js')
/** Under callgrind Node starts some fifty times slower than on its own. */
const START_TIMEOUT_MS = 600_000
const CONNECTIONS = 16

class UsageError extends Error {}

interface Options {
  readonly scenario: string
  readonly warmup: number
  readonly calls: number
  readonly trail: 'on' | 'off'
  readonly entry: string
}

function count(text: string, flag: string): number {
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive integer, not '${text}'`)
  }
  return n
}

function readOptions(argv: readonly string[]): Options | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: 'string', default: 'get-user' },
      warmup: { type: 'string', default: '4000' },
      calls: { type: 'string', default: '3000' },
      trail: { type: 'string', default: 'on' },
      entry: { type: 'string', default: BIN },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) return undefined
  if (!SCENARIOS.some((s) => s.id === values.scenario)) {
    throw new UsageError(`unknown scenario '${values.scenario}'`)
  }
  if (values.trail !== 'on' && values.trail !== 'off') {
    throw new UsageError(`--trail takes on or off, not '${values.trail}'`)
  }
  return {
    scenario: values.scenario,
    warmup: count(values.warmup, '--warmup'),
    calls: count(values.calls, '--calls'),
    trail: values.trail,
    entry: resolve(values.entry),
  }
}

/** Sends `amount` calls of the workload's cycle; throws unless every one answered 2xx. */
async function send(url: string, workload: Workload, amount: number): Promise<void> {
  const result = await new Promise<autocannon.Result>((done, fail) => {
    autocannon({ url, connections: CONNECTIONS, amount, requests: workload.requests }, (err, r) =>
      err === null || err === undefined ? done(r) : fail(err),
    )
  })
  if (result['2xx'] !== amount) {
    throw new Error(`${result['2xx']} of ${amount} calls answered 2xx (${result.non2xx} did not)`)
  }
}

/**
 * The instructions of each thread in the first dump (`callgrind.out.PID.1-THREAD`; the files
 * without `.1` are written at exit and count the shutdown), by callgrind's thread number.
 */
function readCounts(dir: string): Map<number, number> {
  const counts = new Map<number, number>()
  for (const file of readdirSync(dir)) {
    const thread = /^callgrind\.out\.\d+\.1-(\d+)$/.exec(file)?.[1]
    if (thread === undefined) continue
    const text = readFileSync(join(dir, file), 'utf8')
    const total = /^(?:summary|totals): (\d+)/m.exec(text)?.[1]
    if (total === undefined) throw new Error(`no total in ${file}`)
    counts.set(Number(thread), (counts.get(Number(thread)) ?? 0) + Number(total))
  }
  return counts
}

async function run(options: Options): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-instructions-'))
  let server: BenchServer | undefined
  try {
    server = await startGatehouse({
      dataDir: join(dir, 'data'),
      extraArgs: ['--trail', options.trail],
      launcher: [
        'valgrind',
        '--tool=callgrind',
        // V8 writes and rewrites the machine code it runs.
        '--smc-check=all-non-file',
        '--separate-threads=yes',
        `--callgrind-out-file=${join(dir, 'callgrind.out.%p')}`,
        process.execPath,
      ],
      entry: options.entry,
      startTimeoutMs: START_TIMEOUT_MS,
    })
    const url = server.url
    const child = server.nodes[0]?.child
    if (child?.pid === undefined) throw new Error('valgrind has no process id')
    const fixture = await prepareServer(server)
    const scenario = SCENARIOS.find((s) => s.id === options.scenario)
    if (scenario === undefined) throw new Error(`unknown scenario ${options.scenario}`)
    const workload = await scenario.build(
      createPresigner(url, fixture.caller, new Date()),
      fixture,
      'i',
    )
    if (typeof workload === 'string') throw new Error(workload)
    process.stderr.write(`.. warming up: ${options.warmup} calls\n`)
    await send(url, workload, options.warmup)
    const pid = String(child.pid)
    execFileSync('callgrind_control', ['--zero', pid], { stdio: 'ignore' })
    process.stderr.write(`.. counting: ${options.calls} calls\n`)
    await send(url, workload, options.calls)
    // Returns once callgrind has written the dump.
    execFileSync('callgrind_control', ['--dump', pid], { stdio: 'ignore' })
    const counts = readCounts(dir)
    if (!counts.has(1)) throw new Error(`callgrind wrote no dump of the request thread in ${dir}`)
    console.log(
      `${scenario.title} [${scenario.id}], trail ${options.trail}, ${options.calls} calls after ${options.warmup}`,
    )
    console.log('  thread  instructions per call')
    for (const [thread, total] of [...counts].sort(([a], [b]) => a - b)) {
      const perCall = total / options.calls
      // Threads that did nothing while counting (Node's idle helpers) are left out.
      if (perCall < 100) continue
      const note = thread === 1 ? '  (the request thread)' : ''
      console.log(
        `  ${String(thread).padStart(6)}  ${Math.round(perCall).toLocaleString('en-US').padStart(21)}${note}`,
      )
    }
    console.log(
      "  The others are V8's helpers (garbage collection, compiling) and, with the trail on, the trail's thread.",
    )
  } finally {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

try {
  const options = readOptions(process.argv.slice(2))
  if (options === undefined) process.stdout.write(USAGE)
  else await run(options)
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${USAGE}`)
    process.exitCode = 2
  } else {
    throw err
  }
}
