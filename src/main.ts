/**
 * The server process: the data directory prepared, the master key loaded, the store opened, the
 * account and its root key made on first start, the app built and listening, and a graceful stop
 * on SIGTERM or SIGINT (requests in flight finish). The only module that listens, handles signals
 * or exits the process.
 */
import cluster from 'node:cluster'
import type { Worker } from 'node:cluster'
import { buildApp } from './app.js'
import { SessionTokenKey } from './auth/session-token.js'
import { redactDatabaseUrl } from './config/config.js'
import type { ServerConfig } from './config/config.js'
import { writeCredentialsFile } from './startup/credentials-file.js'
import type { RootCredentials } from './startup/credentials-file.js'
import { prepareDataDir } from './startup/data-dir.js'
import { ensureAccount } from './startup/ensure-account.js'
import { loadMasterKey } from './startup/master-key.js'
import { StartupError } from './startup/startup-error.js'
import { startTrailSealer } from './startup/trail-sealer.js'
import { MasterKeyMismatchError } from './store/errors.js'
import { openSqliteStore } from './store/sqlite/sqlite-store.js'
import { journalDirOf } from './store/sqlite/sqlite-trail-store.js'
import { openThreadedSqliteTrailStore } from './store/sqlite/threaded-trail-store.js'
import { TrailJournal } from './store/sqlite/trail-journal.js'
import type { TrailStore } from './store/trail-store.js'
import { openPostgresStore } from './store/postgres/postgres-store.js'
import type { Store } from './store/store.js'

/** Where the server writes what a person reads: the banner, the first start's credentials. */
export interface ServerOutput {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

/** A started server. */
export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string
  readonly accountId: string
  /** Stops accepting connections, lets requests in flight finish, closes the store. Idempotent. */
  close(): Promise<void>
}

/**
 * Opens the configured store: the SQLite file of the data directory, or the shared PostgreSQL
 * database (migrated under its advisory lock, so that nodes starting together do not race).
 */
async function openStore(
  config: ServerConfig,
  database: string,
  masterKey: ReturnType<typeof loadMasterKey>,
): Promise<Store> {
  const where = config.store === 'postgres' ? redactDatabaseUrl(config.databaseUrl ?? '') : database
  try {
    if (config.store === 'postgres') {
      return await openPostgresStore({
        connectionString: config.databaseUrl ?? '',
        masterKey: masterKey.key,
      })
    }
    return openSqliteStore({ filename: database, masterKey: masterKey.key, checkpointThread: true })
  } catch (err) {
    if (err instanceof MasterKeyMismatchError) {
      const key =
        masterKey.source === 'environment' ? 'GATEHOUSE_MASTER_KEY' : 'the master key file'
      throw new StartupError(
        `${key} is not the key this store's secrets were sealed with (${where})`,
        { cause: err },
      )
    }
    if (config.store === 'postgres') {
      // SECURITY: the driver's message names no password; the URL is shown redacted.
      throw new StartupError(
        `cannot open the PostgreSQL store ${where}: ${(err as Error).message}`,
        {
          cause: err,
        },
      )
    }
    throw err
  }
}

function banner(config: ServerConfig, url: string, accountId: string, dataDir: string): string {
  const mode =
    config.enforcement === 'enforce'
      ? 'enforce: every request is authorized by its IAM policies'
      : 'REPORT-ONLY: denials are logged, NOT enforced; every authenticated request goes through'
  return [
    `Gatehouse is serving IAM and STS at ${url}`,
    `  account      ${accountId}`,
    `  data dir     ${dataDir}`,
    `  store        ${config.store === 'postgres' ? `postgres ${redactDatabaseUrl(config.databaseUrl ?? '')}` : 'sqlite (in the data dir)'}`,
    `  enforcement  ${mode}`,
    ...(config.workers > 1 ? [`  workers      ${config.workers} processes`] : []),
    '',
  ].join('\n')
}

function credentialsNotice(credentials: RootCredentials, path: string): string {
  return [
    `Created account ${credentials.accountId} and an access key for its root user.`,
    `It is shown this once, and kept in ${path} (mode 0600):`,
    `  aws_access_key_id     = ${credentials.accessKeyId}`,
    `  aws_secret_access_key = ${credentials.secretAccessKey}`,
    '',
  ].join('\n')
}

/** Starts the server; throws StartupError for what the operator must fix. */
export async function startServer(
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  output: ServerOutput,
): Promise<RunningServer> {
  const paths = prepareDataDir(config.dataDir)
  const masterKey = loadMasterKey(paths.masterKey, env['GATEHOUSE_MASTER_KEY'])
  if (masterKey.warning !== undefined) output.err(`warning: ${masterKey.warning}\n`)
  const store = await openStore(config, paths.database, masterKey)
  let trail: TrailStore | undefined
  let journal: TrailJournal | undefined
  try {
    // The trail works on a thread of its own, so that its commits never stop the request path.
    const journalDir = journalDirOf(paths.trail)
    const threaded = await openThreadedSqliteTrailStore({
      filename: paths.trail,
      journalDir,
    }).catch((err: unknown) => {
      throw new StartupError(`cannot open the audit trail ${paths.trail}: ${String(err)}`, {
        cause: err,
      })
    })
    trail = threaded
    // Each process writes its records to a journal file of its own and answers once they are
    // there; its trail thread appends them to trail.db right after.
    journal = config.trail ? new TrailJournal(journalDir, threaded) : undefined
    const ensured = await ensureAccount(store, config, (credentials) => {
      writeCredentialsFile(paths.rootCredentials, credentials, new Date())
    })
    const app = buildApp({
      store,
      enforcement: config.enforcement,
      logger: { level: config.logLevel },
      // Tokens sealed under the master key open on every node that has it, and after a restart.
      sessionTokens: SessionTokenKey.fromMasterKey(masterKey.key),
      // Workers share the database: each sees the others' commits at its next request. (The
      // PostgreSQL store hears other nodes by itself, and asks for a look only while it cannot.)
      observeOtherWriters: config.workers > 1 || config.store === 'postgres',
      trail,
      recordTrail: config.trail,
      ...(journal === undefined ? {} : { trailJournal: journal }),
      ...(config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl }),
    })
    let address: string
    try {
      address = await app.listen({ host: config.host, port: config.port })
    } catch (err) {
      await app.close()
      throw new StartupError(
        `cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`,
        { cause: err },
      )
    }
    const accountId = ensured.account.accountId
    if (ensured.generatedRootKey !== undefined) {
      output.out(credentialsNotice(ensured.generatedRootKey, paths.rootCredentials))
    }
    output.out(banner(config, address, accountId, paths.dir))
    // A worker leaves sealing to its primary, which seals the file all workers share.
    const sealer = cluster.isWorker
      ? undefined
      : startTrailSealer(paths.dir, config.sealIntervalSeconds, (message) => {
          app.log.error(message)
        })
    app.log.info({ url: address, accountId, enforcement: config.enforcement }, 'listening')
    let closing: Promise<void> | undefined
    return {
      url: address,
      accountId,
      close() {
        const opened = trail
        const written = journal
        closing ??= app
          .close()
          // The journal's file is taken in and removed before the trail closes; if that fails,
          // the file stays for the next start to take in, and shutdown goes on.
          .finally(() =>
            written?.close().catch((err: unknown) => {
              app.log.error(
                { err },
                'the trail journal was not taken in; it is kept for the next start',
              )
            }),
          )
          .finally(() => Promise.all([store.close(), opened?.close()]).then(() => undefined))
          .then(() => sealer?.stop())
        return closing
      },
    }
  } catch (err) {
    await store.close()
    await journal?.close().catch(() => undefined)
    await trail?.close()
    throw err
  }
}

/**
 * Waits for SIGTERM or SIGINT, then runs `stop`; a second signal exits at once. Resolves to the
 * process exit code.
 */
function untilStopped(
  stop: () => Promise<void>,
  output: ServerOutput,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
  forceOnSecond = true,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping && !forceOnSecond) return
      if (stopping) {
        output.err(`${signal} again: exiting without waiting\n`)
        process.exit(1)
      }
      stopping = true
      output.err(`${signal}: shutting down; requests in flight finish first\n`)
      stop().then(
        () => {
          for (const signal of signals) process.off(signal, onSignal)
          output.err('Gatehouse stopped\n')
          resolve(0)
        },
        (err: unknown) => {
          output.err(`error while shutting down: ${String(err)}\n`)
          resolve(1)
        },
      )
    }
    for (const signal of signals) process.on(signal, onSignal)
  })
}

/**
 * Runs the server until SIGTERM or SIGINT, then stops it gracefully; a second signal exits at
 * once. With `workers` above 1 this process is the primary of that many worker processes
 * (runPrimary). Resolves to the process exit code.
 */
export async function runServer(
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  output: ServerOutput,
): Promise<number> {
  if (cluster.isWorker) return runWorker(config, env, output)
  if (config.workers > 1) return runPrimary(config, env, output)
  const server = await startServer(config, env, output)
  return untilStopped(() => server.close(), output)
}

/**
 * A worker of the cluster: the same server, its banner left to the primary, which it tells
 * where it listens; it stops gracefully on the SIGTERM the primary forwards.
 */
async function runWorker(
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  output: ServerOutput,
): Promise<number> {
  const server = await startServer(config, env, { out: () => undefined, err: output.err })
  process.send?.({ type: 'listening', url: server.url, accountId: server.accountId })
  // A Ctrl-C reaches the whole process group; the worker waits for the primary's SIGTERM, so
  // that it stops once, gracefully.
  process.on('SIGINT', () => undefined)
  // A worker may get SIGTERM twice (from whoever signalled the group, and from the primary):
  // only the primary forces an exit on a second signal.
  const code = await untilStopped(
    () => server.close(),
    { out: () => undefined, err: () => undefined },
    ['SIGTERM'],
    false,
  )
  // The channel to the primary would keep this process alive.
  process.disconnect?.()
  return code
}

/** Worker deaths within RESTART_WINDOW_MS past which the primary gives up. */
const RESTART_LIMIT = 5
const RESTART_WINDOW_MS = 60_000

/** What a worker tells the primary once it listens. */
interface ListeningMessage {
  readonly type: 'listening'
  readonly url: string
  readonly accountId: string
}

function isListening(message: unknown): message is ListeningMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'listening'
  )
}

/**
 * The primary of `workers` processes sharing the port (node:cluster). It prepares the data
 * directory and the account once, so that workers never race to create them; each worker then
 * opens the database itself and serves. A commit in one worker reaches the others' caches at
 * their next request (Store.observeOtherWriters). A worker that dies is replaced; SIGTERM or
 * SIGINT is passed on, and the primary exits once every worker has stopped.
 */
async function runPrimary(
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  output: ServerOutput,
): Promise<number> {
  const paths = prepareDataDir(config.dataDir)
  const masterKey = loadMasterKey(paths.masterKey, env['GATEHOUSE_MASTER_KEY'])
  if (masterKey.warning !== undefined) output.err(`warning: ${masterKey.warning}\n`)
  const store = await openStore(config, paths.database, masterKey)
  let ensured
  try {
    ensured = await ensureAccount(store, config, (credentials) => {
      writeCredentialsFile(paths.rootCredentials, credentials, new Date())
    })
  } finally {
    await store.close()
  }
  if (ensured.generatedRootKey !== undefined) {
    output.out(credentialsNotice(ensured.generatedRootKey, paths.rootCredentials))
  }

  let stopping = false
  const fork = (): Worker => cluster.fork()
  const listening = new Promise<ListeningMessage>((resolve, reject) => {
    let ready = 0
    const onMessage = (_worker: Worker, message: unknown): void => {
      if (!isListening(message)) return
      ready += 1
      if (ready === config.workers) {
        cluster.off('message', onMessage)
        cluster.off('exit', onEarlyExit)
        resolve(message)
      }
    }
    const onEarlyExit = (): void => {
      cluster.off('message', onMessage)
      cluster.off('exit', onEarlyExit)
      reject(new StartupError('a worker process stopped before it was listening (see above)'))
    }
    cluster.on('message', onMessage)
    cluster.on('exit', onEarlyExit)
  })
  for (let i = 0; i < config.workers; i++) fork()
  let first: ListeningMessage
  try {
    first = await listening
  } catch (err) {
    stopping = true
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
    throw err
  }
  output.out(banner(config, first.url, first.accountId, paths.dir))
  const sealer = startTrailSealer(paths.dir, config.sealIntervalSeconds, (message) => {
    output.err(`${message}\n`)
  })
  // A worker that keeps dying (a broken disk, a changed master key) is not restarted for ever:
  // past RESTART_LIMIT deaths within RESTART_WINDOW_MS the primary stops everything.
  const deaths: number[] = []
  let gaveUp: ((code: number) => void) | undefined
  const givingUp = new Promise<number>((resolve) => {
    gaveUp = resolve
  })
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    const now = Date.now()
    deaths.push(now)
    while (deaths.length > 0 && (deaths[0] ?? now) < now - RESTART_WINDOW_MS) deaths.shift()
    const how = signal ?? `exit code ${String(code)}`
    if (deaths.length > RESTART_LIMIT) {
      output.err(`worker ${String(worker.process.pid)} stopped (${how}); too many, stopping\n`)
      stopping = true
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM')
      gaveUp?.(1)
      return
    }
    output.err(`worker ${String(worker.process.pid)} stopped (${how}); starting another\n`)
    fork()
  })
  const stopped = untilStopped(
    () =>
      new Promise<void>((resolve) => {
        stopping = true
        const running = Object.values(cluster.workers ?? {}).filter(
          (worker): worker is Worker => worker !== undefined,
        )
        if (running.length === 0) {
          resolve()
          return
        }
        let left = running.length
        for (const worker of running) {
          worker.once('exit', () => {
            left -= 1
            if (left === 0) resolve()
          })
          // Each worker finishes its requests in flight, as a single server does.
          worker.process.kill('SIGTERM')
        }
      }).then(() => sealer.stop()),
    output,
  )
  return Promise.race([stopped, givingUp])
}
