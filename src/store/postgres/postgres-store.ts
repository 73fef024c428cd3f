/**
 * The PostgreSQL store (node-postgres): any number of Gatehouse nodes on one database. The SQL
 * operations are SQLite's (src/store/sql/); what differs is here.
 *
 * - Transactions run side by side on a pool of connections. One that may write takes the
 *   schema's store lock (a transaction-scoped advisory lock) with its first call and holds it to
 *   the end, as SQLite's BEGIN IMMEDIATE does: quota checks and check-then-write cannot race,
 *   between transactions of one node or of many. One that only reads runs on a REPEATABLE READ
 *   snapshot and locks out no one.
 * - The change feed crosses nodes: a transaction that wrote sends a NOTIFY on the schema's
 *   channel as part of its commit, and every node LISTENs on a connection of its own. When that
 *   connection is lost, a notification may have been missed: until it is back, every request
 *   starts with a change (caches hold nothing for long), and reconnecting reports one more.
 * - A database that goes away fails calls at once (the pool does not wait long for a
 *   connection); the pool and the listener reconnect by themselves when it returns.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { ChangeFeed } from '../change-feed.js'
import { MasterKeyMismatchError } from '../errors.js'
import { resolveLimits } from '../limits.js'
import type { StoreLimits } from '../limits.js'
import { SecretBoxError, decryptSecret, encryptSecret } from '../secret-box.js'
import type { MasterKey } from '../secret-box.js'
import type { RandomBytes } from '../ids.js'
import { pooledRandomBytes } from '../random-pool.js'
import { sqlOperations } from '../sql/sql-operations.js'
import {
  committedChangeKind,
  newTransaction,
  transactionPrototype,
} from '../sql/transaction-prototype.js'
import type { TransactionPrototype } from '../sql/transaction-prototype.js'
import type { CallState } from '../sql/transaction-prototype.js'
import type {
  Store,
  StoreChangeListener,
  StoreOptions,
  StoreTx,
  TransactionOptions,
} from '../store.js'
import { PgContext } from './pg-context.js'
import { loadPgMigrations, migratePg } from './pg-migrate.js'

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions extends StoreOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly connectionString: string
  /**
   * The schema the store's tables live in, created if missing (lower-case letters, digits and
   * `_`); the connection's default search_path (normally `public`) when absent.
   */
  readonly schema?: string
  /** Connections in the pool (10 when absent). */
  readonly poolSize?: number
  /** How long a call waits for a connection before it fails, in ms (3000 when absent). */
  readonly connectTimeoutMs?: number
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

// int8 (count(*), times in ms, identity ids) and numeric (sum) arrive as text by default, as
// they may exceed a double; every such value here is far below 2^53.
const INT8_OID = 20
const NUMERIC_OID = 1700
function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === INT8_OID || oid === NUMERIC_OID) return Number
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown
}
const TYPES = { getTypeParser }

const MASTER_KEY_CHECK = 'master_key_check'
const MASTER_KEY_CHECK_TEXT = 'gatehouse master key check'

// The store lock: a two-key advisory lock, "Gatf" and the schema's hash, so that stores in
// two schemas of one database do not wait for each other (the migration lock is another key).
const STORE_LOCK = `SELECT pg_advisory_xact_lock(${0x47617466}, hashtext(current_schema()))`

/** The listener's first wait before reconnecting, doubled up to a second. */
const RECONNECT_MS = 50
const RECONNECT_MAX_MS = 1000

/** One transaction's state. */
interface PgTxState extends CallState {
  /** The connection, once the first call has taken it (a call-less transaction takes none). */
  client: pg.PoolClient | undefined
  /** The context and the operations bound to the connection, from the first call on. */
  ctx: PgContext | undefined
  operations: StoreTx | undefined
  /** Set when the connection failed: it is not put back in the pool. */
  broken: boolean
  /** Listens for the connection's failure while the transaction holds it. */
  onError: (() => void) | undefined
}

type AnyOperation = (...args: unknown[]) => Promise<unknown>

/** A context and the operations bound to it, built together: building them costs. */
interface Bound {
  readonly ctx: PgContext
  readonly operations: StoreTx
}

/** Opens (creating and migrating if needed) a PostgreSQL store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`not a schema name this store uses: ${JSON.stringify(schema)}`)
  }
  const config: pg.PoolConfig = {
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    application_name: 'gatehouse',
    types: TYPES,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  }
  const clock = options.clock ?? (() => new Date())
  const setup = new pg.Client(config)
  await setup.connect()
  try {
    if (schema !== undefined) await createSchema(setup, schema)
    await migratePg(setup, loadPgMigrations(), clock)
    await checkMasterKey(setup, options.masterKey)
  } finally {
    await setup.end()
  }
  const store = new PostgresStore(
    config,
    channelName(schema ?? 'public'),
    clock,
    options.random ?? pooledRandomBytes,
    resolveLimits(options.limits),
    options.masterKey,
    options.checkNesting === true,
  )
  try {
    await store.listen()
  } catch (err) {
    await store.close()
    throw err
  }
  return store
}

/**
 * CREATE SCHEMA IF NOT EXISTS, for nodes that start together: two of them can both find it
 * missing, and the second then fails on the catalog's unique index; it exists all the same.
 */
async function createSchema(client: pg.ClientBase, schema: string): Promise<void> {
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? err.code : undefined
    // 23505 unique_violation, 42P06 duplicate_schema.
    if (code !== '23505' && code !== '42P06') throw err
  }
}

/** The channel of a schema's change notifications. */
function channelName(schema: string): string {
  return `gatehouse_store_${schema}`
}

/** As SQLite's: a known text sealed on first open, opened on every later one. */
async function checkMasterKey(client: pg.ClientBase, masterKey: MasterKey): Promise<void> {
  await client.query('BEGIN')
  try {
    await client.query(STORE_LOCK)
    const result = await client.query<{ value: Buffer }>(
      'SELECT value FROM store_meta WHERE key = $1',
      [MASTER_KEY_CHECK],
    )
    const row = result.rows[0]
    if (row === undefined) {
      const sealed = encryptSecret(masterKey, MASTER_KEY_CHECK_TEXT, MASTER_KEY_CHECK)
      await client.query('INSERT INTO store_meta (key, value) VALUES ($1, $2)', [
        MASTER_KEY_CHECK,
        Buffer.from(sealed),
      ])
    } else {
      try {
        decryptSecret(masterKey, new Uint8Array(row.value), MASTER_KEY_CHECK)
      } catch (err) {
        if (err instanceof SecretBoxError) throw new MasterKeyMismatchError()
        throw err
      }
    }
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK')
    throw err
  }
}

/** The PostgreSQL implementation of the store port. */
export class PostgresStore implements Store {
  readonly #pool: pg.Pool
  readonly #config: pg.PoolConfig
  readonly #channel: string
  readonly #clock: () => Date
  readonly #random: RandomBytes
  readonly #limits: StoreLimits
  readonly #masterKey: MasterKey
  readonly #prototype: TransactionPrototype<PgTxState>
  readonly #insideTransaction: AsyncLocalStorage<true> | undefined
  /** This node's name on the channel: its own notifications were reported already. */
  readonly #nodeId = randomUUID()
  readonly #running = new Set<Promise<unknown>>()
  /** Contexts with their operations, between transactions (as many as ran at once, at most). */
  readonly #idle: Bound[] = []
  readonly #feed = new ChangeFeed()
  #closed = false
  #listener: pg.Client | undefined
  #listening = false
  #reconnectMs = RECONNECT_MS
  #reconnectTimer: NodeJS.Timeout | undefined

  /** @internal Use openPostgresStore. */
  constructor(
    config: pg.PoolConfig,
    channel: string,
    clock: () => Date,
    random: RandomBytes,
    limits: StoreLimits,
    masterKey: MasterKey,
    checkNesting: boolean,
  ) {
    this.#config = config
    this.#channel = channel
    this.#clock = clock
    this.#random = random
    this.#limits = limits
    this.#masterKey = masterKey
    this.#insideTransaction = checkNesting ? new AsyncLocalStorage<true>() : undefined
    this.#pool = new pg.Pool(config)
    // An idle connection the server dropped: the pool discards it and makes another when asked.
    this.#pool.on('error', () => undefined)
    this.#prototype = this.#txPrototype()
  }

  /**
   * @internal The pool, for this backend's own tests (reading raw rows) and diagnostics.
   * Callers of the port never need it.
   */
  get pool(): pg.Pool {
    return this.#pool
  }

  get generation(): number {
    return this.#feed.generation
  }

  /** Whether the change notifications of other nodes are being received. */
  get listening(): boolean {
    return this.#listening
  }

  onChange(listener: StoreChangeListener): () => void {
    return this.#feed.onChange(listener)
  }

  observeOtherWriters(): void {
    // Notifications arrive by themselves; without the connection that receives them, nothing
    // read before this request can be trusted.
    if (!this.#listening && !this.#closed) this.#feed.report()
  }

  /** @internal Connects the listening connection; openPostgresStore calls it. */
  async listen(): Promise<void> {
    const client = new pg.Client(this.#config)
    client.on('error', () => this.#lostListener(client))
    client.on('end', () => this.#lostListener(client))
    client.on('notification', (message) => {
      if (message.channel === this.#channel && message.payload !== this.#nodeId) this.#feed.report()
    })
    this.#listener = client
    await client.connect()
    await client.query(`LISTEN ${this.#channel}`)
    this.#listening = true
    this.#reconnectMs = RECONNECT_MS
  }

  #lostListener(client: pg.Client): void {
    if (this.#listener !== client) return
    this.#listener = undefined
    this.#listening = false
    this.#feed.report()
    client.removeAllListeners('notification')
    client.end().catch(() => undefined)
    this.#scheduleReconnect()
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer !== undefined) return
    const wait = this.#reconnectMs
    this.#reconnectMs = Math.min(wait * 2, RECONNECT_MAX_MS)
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined
      if (this.#closed) return
      this.listen().then(
        // What was committed while no one listened is reported now.
        () => this.#feed.report(),
        () => {
          const failed = this.#listener
          this.#listener = undefined
          failed?.end().catch(() => undefined)
          this.#scheduleReconnect()
        },
      )
    }, wait)
    this.#reconnectTimer.unref()
  }

  transaction<T>(
    fn: (tx: StoreTx) => T | Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    if (this.#insideTransaction?.getStore() === true) {
      return Promise.reject(
        new Error('store transactions do not nest: use the transaction already open'),
      )
    }
    if (this.#closed) return Promise.reject(new Error('the store is closed'))
    const result = this.#run(fn, options.readOnly === true)
    const settled = result.catch(() => undefined)
    this.#running.add(settled)
    void settled.then(() => this.#running.delete(settled))
    return result
  }

  async #run<T>(fn: (tx: StoreTx) => T | Promise<T>, readOnly: boolean): Promise<T> {
    const state: PgTxState = {
      open: true,
      readOnly,
      client: undefined,
      ctx: undefined,
      operations: undefined,
      changed: undefined,
      queue: Promise.resolve(),
      broken: false,
      onError: undefined,
    }
    const tx = newTransaction(this.#prototype, state)
    const inside = this.#insideTransaction
    try {
      const value = await (inside === undefined ? fn(tx) : inside.run(true, () => fn(tx)))
      await state.queue
      state.open = false
      const client = state.client
      if (client !== undefined) {
        if (state.changed !== undefined) {
          // Delivered to the listeners when, and only if, the transaction commits.
          await client.query('SELECT pg_notify($1, $2)', [this.#channel, this.#nodeId])
        }
        await client.query('COMMIT')
      }
      // Other nodes hear only that something changed (the notification): they drop everything.
      if (state.changed !== undefined) this.#feed.report(committedChangeKind(state))
      return value
    } catch (err) {
      state.open = false
      await state.queue
      if (state.client !== undefined && !state.broken) {
        // A connection that cannot even roll back is broken: it does not go back to the pool.
        await state.client.query('ROLLBACK').catch(() => {
          state.broken = true
        })
      }
      // Whatever was read through a cache after a write of this transaction may hold data
      // that was never committed: it goes too.
      if (state.changed !== undefined) this.#feed.report()
      throw err
    } finally {
      const client = state.client
      if (client !== undefined) {
        if (state.onError !== undefined) client.off('error', state.onError)
        client.release(state.broken)
      }
      if (state.ctx !== undefined && state.operations !== undefined) {
        state.ctx.bind(undefined)
        this.#idle.push({ ctx: state.ctx, operations: state.operations })
      }
    }
  }

  /** The StoreTx methods: each begins the transaction if need be. */
  #txPrototype(): TransactionPrototype<PgTxState> {
    // The operations' names, from a context that is never lent to a transaction.
    const names = Object.keys(this.#newBound().operations)
    return transactionPrototype<PgTxState>(names, async (state, name, writes, args) => {
      const ctx = await this.#begin(state)
      const operations = state.operations as unknown as Record<string, AnyOperation>
      const operation = operations[name]
      if (operation === undefined) throw new Error(`no operation ${name}`)
      // Reads see one snapshot within the transaction: only calls that write need a savepoint.
      return writes ? ctx.atomically(() => operation(...args)) : operation(...args)
    })
  }

  /** A context and the operations bound to it. */
  #newBound(): Bound {
    const ctx = new PgContext(this.#clock, this.#random, this.#limits, this.#masterKey)
    return { ctx, operations: sqlOperations(ctx) }
  }

  /** Takes a connection and begins the transaction, with its first call. */
  async #begin(state: PgTxState): Promise<PgContext> {
    if (state.ctx !== undefined) return state.ctx
    const client = await this.#pool.connect()
    state.client = client
    // The pool listens for the errors of idle connections only: a connection the database drops
    // while a transaction holds it emits 'error' on the client, which would otherwise end the
    // process. Its query fails as well, so the transaction fails; the connection is thrown away.
    state.onError = () => {
      state.broken = true
    }
    client.on('error', state.onError)
    try {
      if (state.readOnly) {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      } else {
        await client.query('BEGIN')
        await client.query(STORE_LOCK)
      }
    } catch (err) {
      state.broken = true
      throw err
    }
    const bound = this.#idle.pop() ?? this.#newBound()
    bound.ctx.bind(client)
    state.operations = bound.operations
    state.ctx = bound.ctx
    return bound.ctx
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#reconnectTimer)
    await Promise.all(this.#running)
    const listener = this.#listener
    this.#listener = undefined
    this.#listening = false
    await listener?.end().catch(() => undefined)
    await this.#pool.end()
  }
}
