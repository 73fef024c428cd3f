/**
 * Gatehouse for the API benchmark: `gatehouse serve` as its own process (bin/gatehouse.js, as
 * installed), on a free loopback port, with a fresh data directory and a known root key.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { stopChild, tailBuffer } from './bench-server.js'
import type { BenchServer } from './bench-server.js'
import type { BenchCredentials } from './presigner.js'

const BIN = resolve(import.meta.dirname, '../../bin/gatehouse.js')

/** The account the benchmark's Gatehouse serves; moto's default account too. */
export const BENCH_ACCOUNT_ID = '123456789012'

/** How to start Gatehouse. */
export interface GatehouseOptions {
  readonly dataDir: string
  /**
   * More `gatehouse serve` flags, for the benchmark's own switches (a store backend, the
   * trail) as they come.
   */
  readonly extraArgs?: readonly string[]
  /**
   * The root user's key to start with (generated when absent): nodes on one database are all
   * given the same, so that the setup signed for one is valid on all.
   */
  readonly root?: BenchCredentials
  /** More environment variables, e.g. GATEHOUSE_MASTER_KEY for nodes sharing a database. */
  readonly env?: Readonly<Record<string, string>>
  /**
   * What runs the entry script: a program and its arguments, ending with Node itself (a tool
   * that runs Node under it, as `npm run bench:instructions` runs callgrind). Node with
   * BENCH_NODE_ARGS when absent.
   */
  readonly launcher?: readonly [string, ...string[]]
  /** The script Node runs: BENCH_BIN, else bin/gatehouse.js. */
  readonly entry?: string
  /** How long the banner may take (30 s). */
  readonly startTimeoutMs?: number
}

/** The line `gatehouse serve` prints once it listens, with the URL it serves at. */
const SERVING_BANNER = /Gatehouse is serving IAM and STS at (http:\/\/127\.0\.0\.1:\d+)/

/**
 * `gatehouse serve`'s arguments for a benchmark: a free port, the data directory, the benchmark's
 * account and root key, warnings only, then `extra`.
 */
function serveArgs(
  dataDir: string,
  root: BenchCredentials,
  extra: readonly string[] = [],
): string[] {
  return [
    'serve',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--account-id',
    BENCH_ACCOUNT_ID,
    '--root-access-key-id',
    root.accessKeyId,
    '--root-secret-access-key',
    root.secretAccessKey,
    '--log-level',
    'warn',
    ...extra,
  ]
}

/** Starts `gatehouse serve` and waits for its banner. */
export function startGatehouse(options: GatehouseOptions): Promise<BenchServer> {
  const root = options.root ?? {
    accessKeyId: `AKIABENCH${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  }
  const [program, ...launcherArgs] = options.launcher ?? [
    process.execPath,
    // BENCH_NODE_ARGS: node flags of the benchmark's user (a CPU profile of the server, say).
    ...(process.env['BENCH_NODE_ARGS']?.split(' ').filter((a) => a !== '') ?? []),
  ]
  const child = spawn(
    program,
    [
      ...launcherArgs,
      // BENCH_BIN: another entry (a compiled build's), to compare two versions.
      options.entry ?? (process.env['BENCH_BIN'] || BIN),
      ...serveArgs(options.dataDir, root, options.extraArgs),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
    },
  )
  const log = tailBuffer()
  child.stdout.on('data', (chunk: Buffer) => log.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => log.push(chunk))

  return new Promise<BenchServer>((resolveStart, rejectStart) => {
    const fail = (why: string): void => {
      clearTimeout(timer)
      child.stdout.off('data', check)
      child.off('exit', onExit)
      child.kill('SIGKILL')
      rejectStart(new Error(`gatehouse serve ${why}:\n${log.text()}`))
    }
    const onExit = (code: number | null): void => fail(`exited with ${code}`)
    const timeoutMs = options.startTimeoutMs ?? 30_000
    const timer = setTimeout(() => fail(`did not start in ${timeoutMs / 1000} s`), timeoutMs)
    const check = (): void => {
      const url = SERVING_BANNER.exec(log.text())?.[1]
      if (url === undefined) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      child.off('exit', onExit)
      resolveStart({
        name: 'gatehouse',
        url,
        accountId: BENCH_ACCOUNT_ID,
        root,
        nodes: [{ url, child }],
        logTail: () => log.text(),
        stop: () => stopChild(child),
      })
    }
    child.stdout.on('data', check)
    child.once('exit', onExit)
  })
}
