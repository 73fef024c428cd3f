/** A server under benchmark, started as a child process on loopback, and how to stop it. */
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import type { BenchCredentials } from './presigner.js'

/** The servers the API benchmark compares. */
export type ServerName = 'gatehouse' | 'moto'

/** One process serving, on a port of its own. */
export interface BenchNode {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  /** Its process, to read CPU time or to kill on the way out. */
  readonly child: ChildProcess
}

/** A running server. */
export interface BenchServer {
  readonly name: ServerName
  /** `http://127.0.0.1:PORT` of its first node: where the setup calls go. */
  readonly url: string
  /**
   * Every process serving it, the first at `url`: one, or with Gatehouse's `--nodes`, one per
   * node on the shared PostgreSQL database (each node on its own port, so the load signs its
   * requests for each).
   */
  readonly nodes: readonly BenchNode[]
  readonly accountId: string
  /** The account root's key, for setup. */
  readonly root: BenchCredentials
  /** The last lines the server wrote, for a failure report. */
  logTail(): string
  /** Sends SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<void>
}

/** Resolves when `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => child.once('exit', () => done()))
}

/** SIGTERM, and SIGKILL if the process is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited(child)
  clearTimeout(timer)
}

/**
 * A loopback port free right now. moto_server cannot be told to pick one and report it, so the
 * port is reserved and released here; another process taking it in between would fail the
 * start, not the measurement.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Keeps the last `max` characters written to a stream. */
export function tailBuffer(max = 4_000): { push(chunk: Buffer): void; text(): string } {
  let text = ''
  return {
    push(chunk) {
      text = (text + chunk.toString('utf8')).slice(-max)
    },
    text: () => text,
  }
}
