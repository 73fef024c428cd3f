/**
 * The server process: the data directory prepared, the master key loaded, the store opened, the
 * account and its root key made on first start, the app built and listening, and a graceful stop
 * on SIGTERM or SIGINT (requests in flight finish). The only module that listens, handles signals
 * or exits the process.
 */
import { buildApp } from './app.js'
import { SessionTokenKey } from './auth/session-token.js'
import type { ServerConfig } from './config/config.js'
import { writeCredentialsFile } from './startup/credentials-file.js'
import type { RootCredentials } from './startup/credentials-file.js'
import { prepareDataDir } from './startup/data-dir.js'
import { ensureAccount } from './startup/ensure-account.js'
import { loadMasterKey } from './startup/master-key.js'
import { StartupError } from './startup/startup-error.js'
import { MasterKeyMismatchError } from './store/errors.js'
import { openSqliteStore } from './store/sqlite/sqlite-store.js'
import type { SqliteStore } from './store/sqlite/sqlite-store.js'

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

function openStore(database: string, masterKey: ReturnType<typeof loadMasterKey>): SqliteStore {
  try {
    return openSqliteStore({ filename: database, masterKey: masterKey.key })
  } catch (err) {
    if (err instanceof MasterKeyMismatchError) {
      const where =
        masterKey.source === 'environment' ? 'GATEHOUSE_MASTER_KEY' : 'the master key file'
      throw new StartupError(
        `${where} is not the key this data directory's secrets were sealed with (${database})`,
        { cause: err },
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
    `  enforcement  ${mode}`,
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
  const store = openStore(paths.database, masterKey)
  try {
    const ensured = await ensureAccount(store, config, (credentials) => {
      writeCredentialsFile(paths.rootCredentials, credentials, new Date())
    })
    const app = buildApp({
      store,
      enforcement: config.enforcement,
      logger: { level: config.logLevel },
      // Tokens sealed under the master key open on every node that has it, and after a restart.
      sessionTokens: SessionTokenKey.fromMasterKey(masterKey.key),
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
    app.log.info({ url: address, accountId, enforcement: config.enforcement }, 'listening')
    let closing: Promise<void> | undefined
    return {
      url: address,
      accountId,
      close() {
        closing ??= app.close().finally(() => store.close())
        return closing
      },
    }
  } catch (err) {
    await store.close()
    throw err
  }
}

/**
 * Runs the server until SIGTERM or SIGINT, then stops it gracefully; a second signal exits at
 * once. Resolves to the process exit code.
 */
export async function runServer(
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  output: ServerOutput,
): Promise<number> {
  const server = await startServer(config, env, output)
  return new Promise<number>((resolve) => {
    let stopping = false
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        output.err(`${signal} again: exiting without waiting\n`)
        process.exit(1)
      }
      stopping = true
      output.err(`${signal}: shutting down; requests in flight finish first\n`)
      server.close().then(
        () => {
          process.off('SIGTERM', onSignal)
          process.off('SIGINT', onSignal)
          output.err('Gatehouse stopped\n')
          resolve(0)
        },
        (err: unknown) => {
          output.err(`error while shutting down: ${String(err)}\n`)
          resolve(1)
        },
      )
    }
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  })
}
