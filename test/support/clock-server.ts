/**
 * The real Gatehouse app (buildApp over a real SQLite file in a temporary data directory,
 * listening on a loopback port) with a clock the test moves forward, so that an end-to-end test
 * can outlive the credentials it was given.
 *
 * Run as a script (`node --import tsx test/support/clock-server.ts [DATA_DIR]`), it starts the
 * server and prints one JSON line: `{"url", "accountId", "accessKeyId", "secretAccessKey",
 * "dataDir"}` (the root user's generated key). Each line `advance SECONDS` on its standard input
 * moves the server's clock forward and is answered with `clock ISO-TIME`. It stops on SIGTERM or
 * at the end of its input. Imported, `startClockServer` runs it as a child process.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildApp } from '../../src/app.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { RootCredentials } from '../../src/startup/credentials-file.js'
import { prepareDataDir } from '../../src/startup/data-dir.js'
import { ensureAccount } from '../../src/startup/ensure-account.js'
import { loadMasterKey } from '../../src/startup/master-key.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'

/** What the server prints when it is ready. */
interface Ready {
  readonly url: string
  readonly accountId: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly dataDir: string
}

/** A running clock server. */
export interface ClockServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  readonly accountId: string
  /** The root user's key. */
  readonly root: { readonly accessKeyId: string; readonly secretAccessKey: string }
  readonly dataDir: string
  /** Moves the server's clock `seconds` forward; resolves to its new time. */
  advance(seconds: number): Promise<Date>
  /** Everything the server wrote to standard error. */
  stderr(): string
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>
}

/** Starts the clock server as a child process and waits for it (20 s at most). */
export function startClockServer(): Promise<ClockServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-clock-'))
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), dataDir],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } },
  )
  let err = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8')
  })
  const lines = createInterface({ input: child.stdout! })
  const waiting: ((line: string) => void)[] = []
  let ready: ((line: string) => void) | undefined
  lines.on('line', (line) => {
    if (ready !== undefined) {
      const done = ready
      ready = undefined
      done(line)
    } else waiting.shift()?.(line)
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))

  return new Promise<ClockServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the clock server did not start in 20 s:\n${err}`))
    }, 20_000)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`the clock server exited:\n${err}`))
    })
    ready = (line) => {
      clearTimeout(timer)
      const started = JSON.parse(line) as Ready
      resolve({
        url: started.url,
        accountId: started.accountId,
        root: { accessKeyId: started.accessKeyId, secretAccessKey: started.secretAccessKey },
        dataDir,
        advance(seconds) {
          return new Promise<Date>((done, fail) => {
            waiting.push((answer) => {
              const match = /^clock (\S+)$/.exec(answer)
              if (match?.[1] === undefined) fail(new Error(`clock server answered ${answer}`))
              else done(new Date(match[1]))
            })
            child.stdin?.write(`advance ${seconds}\n`)
          })
        },
        stderr: () => err,
        async stop() {
          child.stdin?.end()
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          await exited
          rmSync(dataDir, { recursive: true, force: true })
        },
      })
    }
  })
}

/** The server itself, as the child process runs it. */
async function serve(dataDir: string): Promise<void> {
  const paths = prepareDataDir(dataDir)
  const store = openSqliteStore({
    filename: paths.database,
    masterKey: loadMasterKey(paths.masterKey, undefined).key,
  })
  let root: RootCredentials | undefined
  const ensured = await ensureAccount(
    store,
    { accountId: undefined, rootAccessKeyId: undefined, rootSecretAccessKey: undefined },
    (generated) => {
      root = generated
    },
  )
  if (root === undefined) throw new Error(`${dataDir} is not a new data directory`)
  let offsetMs = 0
  const clock = (): Date => new Date(Date.now() + offsetMs)
  const trail = openSqliteTrailStore({ filename: join(paths.dir, 'trail.db') })
  const app = buildApp({ store, trail, enforcement: 'enforce', clock, logger: false })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const ready: Ready = {
    url,
    accountId: ensured.account.accountId,
    accessKeyId: root.accessKeyId,
    secretAccessKey: root.secretAccessKey,
    dataDir: paths.dir,
  }
  process.stdout.write(`${JSON.stringify(ready)}\n`)

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= app
      .close()
      .then(() => store.close())
      .then(() => trail.close())
      .then(() => process.exit(0)))
  process.on('SIGTERM', () => void stop())
  const input = createInterface({ input: process.stdin })
  input.on('line', (line) => {
    const seconds = /^advance (\d+)$/.exec(line.trim())?.[1]
    if (seconds === undefined) {
      process.stdout.write(`error: not a command: ${line}\n`)
      return
    }
    offsetMs += Number(seconds) * 1000
    process.stdout.write(`clock ${clock().toISOString()}\n`)
  })
  input.on('close', () => void stop())
}

const script = process.argv[1]
if (script !== undefined && import.meta.url === pathToFileURL(script).href) {
  serve(process.argv[2] ?? mkdtempSync(join(tmpdir(), 'gatehouse-clock-'))).catch(
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`)
      process.exit(1)
    },
  )
}
