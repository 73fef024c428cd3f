/**
 * The server's configuration: what `gatehouse serve` runs with, its defaults, and how flags and
 * GATEHOUSE_* environment variables are read into it (a flag beats its variable, which beats the
 * default).
 */

/** Whether a denial stops the call, or is only logged. */
export type EnforcementMode = 'enforce' | 'report-only'

/** The log levels of the server's logger (pino's), from the most to the least verbose. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const

/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Where the IAM data lives: a SQLite file in the data directory, or a shared PostgreSQL. */
export type StoreBackend = 'sqlite' | 'postgres'

/** Everything `gatehouse serve` needs to start. */
export interface ServerConfig {
  /** The address to listen on. */
  readonly host: string
  /** The TCP port; 0 picks a free one. */
  readonly port: number
  /** Where the database, the master key and the root credentials live. */
  readonly dataDir: string
  /** The account to create on first start; generated when absent. */
  readonly accountId: string | undefined
  /** The root user's access key to create on first start; generated when absent. */
  readonly rootAccessKeyId: string | undefined
  readonly rootSecretAccessKey: string | undefined
  readonly enforcement: EnforcementMode
  readonly logLevel: LogLevel
  /**
   * How many server processes share the port (node:cluster), each with its own connection to
   * the database: 1 serves from this process alone.
   */
  readonly workers: number
  /** Whether every API call is recorded in the audit trail (CloudTrail records). */
  readonly trail: boolean
  /** Seconds between the server's seals of the trail (signed digests); 0 for none. */
  readonly sealIntervalSeconds: number
  /** The store's backend. */
  readonly store: StoreBackend
  /**
   * With the postgres store: `postgres://user:password@host:port/database`.
   * SECURITY: it may hold a password; it is never printed or logged whole (see redactDatabaseUrl).
   */
  readonly databaseUrl: string | undefined
  /**
   * The origin clients and external services reach the server at (`https://iam.example.com`),
   * the base of the URLs it hands out (outbound federation's issuer); absent: each request's
   * scheme and Host.
   */
  readonly publicUrl: string | undefined
}

/** The port Gatehouse listens on unless told otherwise. */
export const DEFAULT_PORT = 8080

/** The defaults of every setting that has one. */
export const DEFAULT_CONFIG = {
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  dataDir: './data',
  enforcement: 'enforce',
  logLevel: 'info',
  workers: 1,
  trail: true,
  sealIntervalSeconds: 300,
  store: 'sqlite',
} as const satisfies Partial<ServerConfig>

/** The most worker processes `--workers` takes. */
export const MAX_WORKERS = 64

/** A setting that could not be read: the message names the flag or variable and the value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

interface Setting {
  /** The flag, e.g. `--data-dir`. */
  readonly flag: string
  /** The environment variable, e.g. `GATEHOUSE_DATA_DIR`. */
  readonly env: string
  /** What `--help` says of it. */
  readonly help: string
}

/** Every setting, by its ServerConfig key, with its flag, variable and help line. */
export const SETTINGS = {
  host: { flag: '--host', env: 'GATEHOUSE_HOST', help: 'address to listen on (127.0.0.1)' },
  port: {
    flag: '--port',
    env: 'GATEHOUSE_PORT',
    help: `TCP port (${DEFAULT_PORT}; 0 picks a free one)`,
  },
  dataDir: {
    flag: '--data-dir',
    env: 'GATEHOUSE_DATA_DIR',
    help: 'database, master key and root credentials (./data)',
  },
  accountId: {
    flag: '--account-id',
    env: 'GATEHOUSE_ACCOUNT_ID',
    help: 'the 12-digit account to create on first start (generated)',
  },
  rootAccessKeyId: {
    flag: '--root-access-key-id',
    env: 'GATEHOUSE_ROOT_ACCESS_KEY_ID',
    help: "the root user's access key id on first start (generated)",
  },
  rootSecretAccessKey: {
    flag: '--root-secret-access-key',
    env: 'GATEHOUSE_ROOT_SECRET_ACCESS_KEY',
    help: "the root user's secret access key on first start (generated)",
  },
  enforcement: {
    flag: '--enforcement',
    env: 'GATEHOUSE_ENFORCEMENT',
    help: 'enforce | report-only (enforce)',
  },
  logLevel: {
    flag: '--log-level',
    env: 'GATEHOUSE_LOG_LEVEL',
    help: `${LOG_LEVELS.join(' | ')} (info)`,
  },
  workers: {
    flag: '--workers',
    env: 'GATEHOUSE_WORKERS',
    help: `server processes sharing the port, 1 to ${MAX_WORKERS} (1)`,
  },
  trail: {
    flag: '--trail',
    env: 'GATEHOUSE_TRAIL',
    help: 'on | off: record every API call in the audit trail (on)',
  },
  sealIntervalSeconds: {
    flag: '--seal-interval',
    env: 'GATEHOUSE_SEAL_INTERVAL',
    help: 'seconds between signed digests of the audit trail, 0 for none (300)',
  },
  store: {
    flag: '--store',
    env: 'GATEHOUSE_STORE',
    help: 'sqlite | postgres: where the IAM data lives (sqlite, in the data directory)',
  },
  databaseUrl: {
    flag: '--database-url',
    env: 'GATEHOUSE_DATABASE_URL',
    help: 'with --store postgres: postgres://user:password@host:port/database',
  },
  publicUrl: {
    flag: '--public-url',
    env: 'GATEHOUSE_PUBLIC_URL',
    help: "http(s)://host[:port] clients reach the server at, for the URLs it hands out (each request's Host)",
  },
} as const satisfies Record<keyof ServerConfig, Setting>

type Key = keyof typeof SETTINGS

const FLAG_TO_KEY: ReadonlyMap<string, Key> = new Map(
  (Object.entries(SETTINGS) as [Key, Setting][]).map(([key, setting]) => [setting.flag, key]),
)

/** Reads `--flag value` and `--flag=value` pairs; ConfigError for anything else. */
function readFlags(argv: readonly string[]): Map<Key, string> {
  const values = new Map<Key, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const eq = arg.indexOf('=')
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const key = FLAG_TO_KEY.get(flag)
    if (key === undefined) throw new ConfigError(`unknown argument '${arg}'`)
    let value: string | undefined
    if (flag !== arg) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      i++
    }
    if (value === undefined) throw new ConfigError(`${flag} needs a value`)
    if (values.has(key)) throw new ConfigError(`${flag} is given more than once`)
    values.set(key, value)
  }
  return values
}

function parsePort(text: string, where: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) {
    throw new ConfigError(`${where} must be a port number from 0 to 65535, not '${text}'`)
  }
  return Number(text)
}

function oneOf<T extends string>(text: string, allowed: readonly T[], where: string): T {
  const found = allowed.find((value) => value === text)
  if (found === undefined) {
    throw new ConfigError(`${where} must be one of ${allowed.join(', ')}, not '${text}'`)
  }
  return found
}

/**
 * Reads the configuration from command-line flags and the environment: each setting from its
 * flag, else its GATEHOUSE_* variable, else its default. Throws ConfigError for an unknown flag,
 * a missing value or a value out of range.
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerConfig {
  const flags = readFlags(argv)
  const raw = (key: Key): { value: string; where: string } | undefined => {
    const flag = flags.get(key)
    if (flag !== undefined) return { value: flag, where: SETTINGS[key].flag }
    const fromEnv = env[SETTINGS[key].env]
    // An empty variable is an unset one, as shells make it easy to leave one empty.
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, where: SETTINGS[key].env }
    return undefined
  }
  const text = (key: Key): string | undefined => raw(key)?.value

  const port = raw('port')
  const enforcement = raw('enforcement')
  const logLevel = raw('logLevel')
  const workers = raw('workers')
  const trail = raw('trail')
  const sealInterval = raw('sealIntervalSeconds')
  const accountId = raw('accountId')
  if (accountId !== undefined && !/^[0-9]{12}$/.test(accountId.value)) {
    throw new ConfigError(`${accountId.where} must be 12 digits, not '${accountId.value}'`)
  }
  const keyId = raw('rootAccessKeyId')
  if (keyId !== undefined && !/^[A-Za-z0-9]{16,128}$/.test(keyId.value)) {
    throw new ConfigError(
      `${keyId.where} must be 16 to 128 letters and digits, like AKIAIOSFODNN7EXAMPLE`,
    )
  }
  const secret = raw('rootSecretAccessKey')
  // SECURITY: the secret's value is never echoed in an error.
  if (secret !== undefined && !/^[\x21-\x7e]{16,128}$/.test(secret.value)) {
    throw new ConfigError(`${secret.where} must be 16 to 128 printable ASCII characters`)
  }
  if ((keyId === undefined) !== (secret === undefined)) {
    throw new ConfigError(
      `${SETTINGS.rootAccessKeyId.flag} and ${SETTINGS.rootSecretAccessKey.flag} go together: give both or neither`,
    )
  }
  const store =
    raw('store') === undefined
      ? DEFAULT_CONFIG.store
      : oneOf(raw('store')?.value ?? '', ['sqlite', 'postgres'], raw('store')?.where ?? '')
  const databaseUrl = raw('databaseUrl')
  if (store === 'postgres' && databaseUrl === undefined) {
    throw new ConfigError(
      `${SETTINGS.store.flag} postgres needs ${SETTINGS.databaseUrl.flag} (or ${SETTINGS.databaseUrl.env})`,
    )
  }
  if (store === 'sqlite' && databaseUrl !== undefined) {
    throw new ConfigError(
      `${databaseUrl.where} is for ${SETTINGS.store.flag} postgres; the sqlite store lives in the data directory`,
    )
  }
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl.value)) {
    // SECURITY: the URL may hold a password: only its redacted form is echoed.
    throw new ConfigError(
      `${databaseUrl.where} must be a postgres:// URL, not '${redactDatabaseUrl(databaseUrl.value)}'`,
    )
  }
  const publicUrl = raw('publicUrl')
  const host = text('host') ?? DEFAULT_CONFIG.host
  const dataDir = text('dataDir') ?? DEFAULT_CONFIG.dataDir
  return {
    host,
    port: port === undefined ? DEFAULT_CONFIG.port : parsePort(port.value, port.where),
    dataDir,
    accountId: accountId?.value,
    rootAccessKeyId: keyId?.value,
    rootSecretAccessKey: secret?.value,
    enforcement:
      enforcement === undefined
        ? DEFAULT_CONFIG.enforcement
        : oneOf(enforcement.value, ['enforce', 'report-only'], enforcement.where),
    logLevel:
      logLevel === undefined
        ? DEFAULT_CONFIG.logLevel
        : oneOf(logLevel.value, LOG_LEVELS, logLevel.where),
    workers: workers === undefined ? DEFAULT_CONFIG.workers : parseWorkers(workers),
    sealIntervalSeconds:
      sealInterval === undefined
        ? DEFAULT_CONFIG.sealIntervalSeconds
        : parseSealInterval(sealInterval),
    trail:
      trail === undefined
        ? DEFAULT_CONFIG.trail
        : oneOf(trail.value, ['on', 'off'], trail.where) === 'on',
    store,
    databaseUrl: databaseUrl?.value,
    publicUrl: publicUrl === undefined ? undefined : parsePublicUrl(publicUrl),
  }
}

/** A database URL fit to print: its password (and anything else that is not host, port or database) left out. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url)
    const user = parsed.username === '' ? '' : `${decodeURIComponent(parsed.username)}@`
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`
  } catch {
    return '(not a URL)'
  }
}

/**
 * A public URL as the origin it names (`https://iam.example.com`, the default port left out),
 * ConfigError for anything else: another scheme, a user, a path, a query or a fragment would
 * end up in every URL built on it.
 */
function parsePublicUrl(setting: { value: string; where: string }): string {
  let url: URL | undefined
  try {
    url = new URL(setting.value)
  } catch {
    url = undefined
  }
  // SECURITY: a URL naming a user may hold a password: it is not echoed.
  if (url !== undefined && (url.username !== '' || url.password !== '')) {
    throw new ConfigError(`${setting.where} must not name a user or password`)
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== '' ||
    /[?#]$/.test(setting.value)
  ) {
    throw new ConfigError(
      `${setting.where} must be an http(s)://host[:port] URL without a path, not '${setting.value}'`,
    )
  }
  return url.origin
}

function parseSealInterval(setting: { value: string; where: string }): number {
  if (!/^[0-9]{1,7}$/.test(setting.value)) {
    throw new ConfigError(
      `${setting.where} must be a number of seconds (0 for none), not '${setting.value}'`,
    )
  }
  return Number(setting.value)
}

function parseWorkers(setting: { value: string; where: string }): number {
  const n = Number(setting.value)
  if (!/^[0-9]{1,2}$/.test(setting.value) || n < 1 || n > MAX_WORKERS) {
    throw new ConfigError(
      `${setting.where} must be a number of processes from 1 to ${MAX_WORKERS}, not '${setting.value}'`,
    )
  }
  return n
}

/** The `--help` text of the settings, one line each. */
export function settingsHelp(): string {
  return (Object.values(SETTINGS) as Setting[])
    .map((s) => `  ${`${s.flag} VALUE`.padEnd(32)}${s.help}; env ${s.env}`)
    .join('\n')
}
