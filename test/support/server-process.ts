/**
 * The real server for end-to-end tests: `gatehouse serve` started as its own process (the
 * installed bin/gatehouse.js), listening on 127.0.0.1 on a free port, with a temporary data
 * directory; stopped with SIGTERM.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const BIN = resolve(import.meta.dirname, '../../bin/gatehouse.js')

/** A running `gatehouse serve`. */
export interface ServerProcess {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  readonly accountId: string
  readonly dataDir: string
  readonly child: ChildProcess
  /** Everything written to standard output and error so far. */
  stdout(): string
  stderr(): string
  /** Sends SIGTERM and waits for the exit; resolves to the exit code. */
  stop(): Promise<number | null>
}

/** Options of startServerProcess. */
export interface StartOptions {
  /** Extra flags for `gatehouse serve`. */
  readonly args?: readonly string[]
  /** The data directory; a new temporary one (removed by `removeDataDir`) when absent. */
  readonly dataDir?: string
  readonly env?: Readonly<Record<string, string>>
}

/** A new temporary directory for a data directory. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'))
}

/** Removes a temporary data directory. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Starts the server and waits for its banner (20 s at most). */
export function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDataDir()
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
      ...(options.args ?? []),
    ],
    {
      env: {
        ...process.env,
        ...options.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8')
  })
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8')
  })
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))

  return new Promise<ServerProcess>((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      rejectStart(new Error(`gatehouse serve did not start in 20 s:\n${out}\n${err}`))
    }, 20_000)
    const check = (): void => {
      const url = /Gatehouse is serving IAM and STS at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
      const accountId = /^ {2}account {6}(\d{12})$/m.exec(out)?.[1]
      if (url === undefined || accountId === undefined) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      resolveStart({
        url,
        accountId,
        dataDir,
        child,
        stdout: () => out,
        stderr: () => err,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          return exited
        },
      })
    }
    child.stdout.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      rejectStart(new Error(`gatehouse serve exited with ${code}:\n${out}\n${err}`))
    })
  })
}

/** The root user's generated key, as the first start prints it. */
export function printedRootKey(stdout: string): { accessKeyId: string; secretAccessKey: string } {
  const accessKeyId = /aws_access_key_id {5}= (\S+)/.exec(stdout)?.[1]
  const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(stdout)?.[1]
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error(`no root credentials in:\n${stdout}`)
  }
  return { accessKeyId, secretAccessKey }
}
