/**
 * The SQLite store (better-sqlite3): one file in the data directory in WAL mode, or `:memory:`.
 * One connection serves every transaction, one at a time in order of arrival: a transaction
 * holds SQLite's write lock (BEGIN IMMEDIATE) from start to end, so quota checks cannot race,
 * neither here nor with another process on the same file.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import Database from 'better-sqlite3'
import { ChangeFeed } from '../change-feed.js'
import { pooledRandomBytes } from '../random-pool.js'
import { MasterKeyMismatchError } from '../errors.js'
import { resolveLimits } from '../limits.js'
import { SecretBoxError, decryptSecret, encryptSecret } from '../secret-box.js'
import type { MasterKey } from '../secret-box.js'
import type {
  Store,
  StoreChangeListener,
  StoreOptions,
  StoreTx,
  TransactionOptions,
} from '../store.js'
import { SqliteContext } from './context.js'
import { loadMigrations, migrate } from './migrate.js'
import { sqlOperations } from '../sql/sql-operations.js'
import { committedChangeKind } from '../sql/transaction-prototype.js'
import { sqliteTxFactory } from './sqlite-tx.js'
import type { SqliteTxFactory, SqliteTxState } from './sqlite-tx.js'
import { WalCheckpointer } from './wal-checkpointer.js'

/** Options of the SQLite store. */
export interface SqliteStoreOptions extends StoreOptions {
  /** The database file, or `:memory:`. */
  readonly filename: string
  /** How long to wait for another process's write lock, in ms (5000 when absent). */
  readonly busyTimeoutMs?: number
  /**
   * Checkpoint a database file on a thread of its own as well (WalCheckpointer), so that the
   * request thread's checkpoints copy and flush little. For a server: each store so opened
   * starts a thread, which tests that open many stores can do without.
   */
  readonly checkpointThread?: boolean
}

const MASTER_KEY_CHECK = 'master_key_check'
const MASTER_KEY_CHECK_TEXT = 'gatehouse master key check'

/**
 * Seals a known text with the master key on first open and opens it on every later one, so a
 * store opened with the wrong key fails at once instead of writing secrets nobody can read.
 */
function checkMasterKey(db: Database.Database, masterKey: MasterKey): void {
  db.exec('BEGIN IMMEDIATE')
  try {
    const row = db.prepare('SELECT value FROM store_meta WHERE key = ?').get(MASTER_KEY_CHECK) as
      { value: Uint8Array } | undefined
    if (row === undefined) {
      const sealed = encryptSecret(masterKey, MASTER_KEY_CHECK_TEXT, MASTER_KEY_CHECK)
      db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)').run(MASTER_KEY_CHECK, sealed)
    } else {
      try {
        decryptSecret(masterKey, row.value, MASTER_KEY_CHECK)
      } catch (err) {
        if (err instanceof SecretBoxError) throw new MasterKeyMismatchError()
        throw err
      }
    }
    db.exec('COMMIT')
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw err
  }
}

/** Opens (creating and migrating if needed) a SQLite store. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const clock = options.clock ?? (() => new Date())
  const limits = resolveLimits(options.limits)
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000
  const db = new Database(options.filename, { timeout: busyTimeoutMs })
  try {
    // WAL lets readers in other processes (backups, diagnostics) run beside the writer; an
    // in-memory database stays in its own mode.
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    migrate(db, loadMigrations(), clock)
    checkMasterKey(db, options.masterKey)
  } catch (err) {
    db.close()
    throw err
  }
  const random = options.random ?? pooledRandomBytes
  const ctx = new SqliteContext(db, clock, random, limits, options.masterKey)
  // Only a named database file has a log to checkpoint (an in-memory one keeps its own journal
  // mode; an unnamed one is a temporary file no other connection can open).
  const checkpointer =
    options.checkpointThread === true && !db.memory && db.name !== ''
      ? new WalCheckpointer(db.name, busyTimeoutMs)
      : undefined
  return new SqliteStore(db, ctx, options.checkNesting === true, checkpointer)
}

/** The SQLite implementation of the store port. */
export class SqliteStore implements Store {
  readonly #db: Database.Database
  readonly #ctx: SqliteContext
  readonly #newTx: SqliteTxFactory
  // Only with checkNesting: AsyncLocalStorage costs every promise of the process.
  readonly #insideTransaction: AsyncLocalStorage<true> | undefined
  #tail: Promise<unknown> = Promise.resolve()
  #closed = false
  // SQLite's data_version as last seen: it moves when another connection commits.
  #dataVersion: number
  readonly #feed = new ChangeFeed()
  readonly #checkpointer: WalCheckpointer | undefined

  /** @internal Use openSqliteStore. */
  constructor(
    db: Database.Database,
    ctx: SqliteContext,
    checkNesting = false,
    checkpointer?: WalCheckpointer,
  ) {
    this.#db = db
    this.#checkpointer = checkpointer
    this.#ctx = ctx
    this.#insideTransaction = checkNesting ? new AsyncLocalStorage<true>() : undefined
    this.#dataVersion = this.#readDataVersion()
    this.#newTx = sqliteTxFactory(ctx, sqlOperations(ctx))
  }

  /**
   * @internal The connection itself, for this backend's own tests (reading raw rows, proving
   * what the schema enforces) and for diagnostics. Callers of the port never need it.
   */
  get database(): Database.Database {
    return this.#db
  }

  get generation(): number {
    return this.#feed.generation
  }

  onChange(listener: StoreChangeListener): () => void {
    return this.#feed.onChange(listener)
  }

  #readDataVersion(): number {
    return this.#ctx.getNow<{ data_version: number }>('PRAGMA data_version')?.data_version ?? 0
  }

  observeOtherWriters(): void {
    // Inside a transaction the counter is that transaction's snapshot; transactions never span
    // an event-loop turn, so a request starts outside one, and the next request looks again.
    if (this.#closed || this.#db.inTransaction) return
    const version = this.#readDataVersion()
    if (version !== this.#dataVersion) {
      this.#dataVersion = version
      this.#feed.report()
    }
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
    const result = this.#tail.then(() => this.#run(fn, options.readOnly === true))
    // The queue goes on whether this transaction commits or fails.
    this.#tail = result.catch(() => undefined)
    return result
  }

  async #run<T>(fn: (tx: StoreTx) => T | Promise<T>, readOnly: boolean): Promise<T> {
    const db = this.#db
    const state: SqliteTxState = {
      open: true,
      begun: false,
      changed: undefined,
      readOnly,
      queue: Promise.resolve(),
    }
    const tx = this.#newTx(state)
    try {
      const inside = this.#insideTransaction
      const value = await (inside === undefined ? fn(tx) : inside.run(true, () => fn(tx)))
      // A call `fn` did not wait for finishes before the transaction ends (or fails it).
      await state.queue
      state.open = false
      if (state.begun) this.#ctx.runNow('COMMIT')
      if (state.changed !== undefined) this.#feed.report(committedChangeKind(state))
      return value
    } catch (err) {
      state.open = false
      if (db.inTransaction) db.exec('ROLLBACK')
      // Whatever was read through a cache after a write of this transaction may hold data
      // that was never committed: it goes too.
      if (state.changed !== undefined) this.#feed.report()
      throw err
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#tail
    // The thread's connection first: the last to close checkpoints the whole log and removes
    // it, and that is then this one, on the caller's thread, as without the thread.
    await this.#checkpointer?.stop()
    this.#db.close()
  }
}
