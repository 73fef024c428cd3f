/**
 * The SQLite store (better-sqlite3): one file in the data directory in WAL mode, or `:memory:`.
 * One connection serves every transaction, one at a time in order of arrival: a transaction
 * holds SQLite's write lock (BEGIN IMMEDIATE) from start to end, so quota checks cannot race,
 * neither here nor with another process on the same file.
 *
 * Group commit: the write transactions of one turn of the event loop share one SQLite
 * transaction, each under a savepoint of its own, and one COMMIT at the end of the turn
 * (setImmediate), once no transaction runs or waits (or after MAX_GROUP_MEMBERS). A transaction
 * that fails rolls back to its savepoint and leaves the others' writes; every transaction that
 * ran while the group was open (reads too: they may have seen its writes) is answered only once
 * the group has committed, and fails if the commit does. Requests read in one turn then share a
 * commit, as their audit records share the trail's: BEGIN and COMMIT cost about four fifths of a
 * small write transaction alone (the locks taken and released, the log's frames written), and
 * eight writes to a commit cost about a sixth of eight commits.
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
import type { StoreChangeKind } from '../store.js'
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
  return new SqliteStore(db, ctx, options.checkNesting === true, checkpointer, busyTimeoutMs)
}

/** The longest pause between two tries for another process's write lock, in ms. */
const MAX_LOCK_RETRY_MS = 4

/** Write transactions that have run and share one SQLite transaction, not yet committed. */
interface CommitGroup {
  /** Settles once the group's COMMIT has run, or rejects with why it did not. */
  readonly committed: Promise<void>
  readonly resolve: () => void
  readonly reject: (err: unknown) => void
  /** What the change feed reports once the group has committed: one entry per member that wrote. */
  readonly changes: (StoreChangeKind | undefined)[]
  /** Write transactions that joined it, failed ones included. */
  members: number
}

/**
 * The most write transactions one commit takes: a server never idle would otherwise keep one
 * group open, and every answer waiting for it.
 */
export const MAX_GROUP_MEMBERS = 64

function newCommitGroup(): CommitGroup {
  let resolve: () => void = () => undefined
  let reject: (err: unknown) => void = () => undefined
  const committed = new Promise<void>((yes, no) => {
    resolve = yes
    reject = no
  })
  // A group whose every member failed has no one waiting for it.
  committed.catch(() => undefined)
  return { committed, resolve, reject, changes: [], members: 0 }
}

// The savepoint of a commit group's member (store_call is each call's own, inside it).
const MEMBER = 'store_transaction'

/** The SQLite implementation of the store port. */
export class SqliteStore implements Store {
  readonly #db: Database.Database
  readonly #ctx: SqliteContext
  readonly #newTx: SqliteTxFactory
  // Only with checkNesting: AsyncLocalStorage costs every promise of the process.
  readonly #insideTransaction: AsyncLocalStorage<true> | undefined
  #tail: Promise<unknown> = Promise.resolve()
  /** Transactions queued that have not started: while there are some, a group stays open. */
  #waiting = 0
  #group: CommitGroup | undefined
  /** The open group's COMMIT, at the end of the event loop's turn. */
  #commitTimer: NodeJS.Immediate | undefined
  /** Whether a transaction is running: a group commits only between transactions. */
  #running = false
  #commits = 0
  #closed = false
  // SQLite's data_version as last seen: it moves when another connection commits.
  #dataVersion: number
  readonly #feed = new ChangeFeed()
  readonly #checkpointer: WalCheckpointer | undefined
  readonly #busyTimeoutMs: number
  /**
   * Whether another connection has committed to the file since it was opened (another worker):
   * from then on BEGIN IMMEDIATE may well find the write lock taken, and is tried without
   * SQLite's wait, at the cost of two statements around it. Before, a store alone on its file
   * never waits, and the rare first wait of a worker is SQLite's own.
   */
  #otherWriters = false

  /** @internal Use openSqliteStore. */
  constructor(
    db: Database.Database,
    ctx: SqliteContext,
    checkNesting = false,
    checkpointer?: WalCheckpointer,
    busyTimeoutMs = 5000,
  ) {
    this.#db = db
    this.#checkpointer = checkpointer
    this.#busyTimeoutMs = busyTimeoutMs
    this.#ctx = ctx
    this.#insideTransaction = checkNesting ? new AsyncLocalStorage<true>() : undefined
    this.#dataVersion = this.#readDataVersion()
    this.#newTx = sqliteTxFactory(ctx, sqlOperations(ctx), (state) => this.#begin(state))
  }

  /**
   * @internal The connection itself, for this backend's own tests (reading raw rows, proving
   * what the schema enforces) and for diagnostics. Callers of the port never need it.
   */
  get database(): Database.Database {
    return this.#db
  }

  /** @internal The write transactions' COMMITs so far (group commit shares them), for tests. */
  get commits(): number {
    return this.#commits
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
    // Inside a transaction the counter is that transaction's snapshot. Neither a transaction nor
    // a commit group outlasts an event-loop turn, so the next turn's requests look again; and
    // while a group is open this process holds the write lock: no other process commits.
    if (this.#closed || this.#db.inTransaction) return
    const version = this.#readDataVersion()
    if (version !== this.#dataVersion) {
      this.#dataVersion = version
      this.#otherWriters = true
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
    this.#waiting += 1
    const ran = this.#tail.then(() => {
      this.#waiting -= 1
      return this.#run(fn, options.readOnly === true)
    })
    // The queue goes on once the transaction has run (before its group commits), however it ran.
    this.#tail = ran.catch(() => undefined)
    return ran.then((run) => run.outcome)
  }

  /**
   * Begins a transaction at its first call: inside the open group, or a new one. A new group
   * waits for another process's write lock without blocking the event loop (a promise).
   */
  #begin(state: SqliteTxState): Promise<void> | undefined {
    const group = this.#group
    if (group !== undefined) {
      if (state.readOnly) {
        state.begun = 'inside'
      } else {
        this.#ctx.runNow(`SAVEPOINT ${MEMBER}`)
        state.begun = 'member'
        group.members += 1
      }
      return
    }
    if (state.readOnly) {
      // A snapshot (WAL) that locks out no one.
      this.#ctx.runNow('BEGIN DEFERRED')
      state.begun = 'read'
      return
    }
    // IMMEDIATE takes the write lock at once, so the transaction's reads and its quota checks
    // see one state that no other process can change before it commits.
    if (!this.#otherWriters) {
      this.#ctx.runNow('BEGIN IMMEDIATE')
    } else if (this.#tryBeginImmediate() !== undefined) {
      return this.#waitForWriteLock(state)
    }
    this.#openGroup(state)
    return undefined
  }

  /**
   * BEGIN IMMEDIATE if no other connection holds the write lock, without waiting: SQLite's
   * SQLITE_BUSY error if one does. SQLite's own wait (its busy timeout) sleeps on this thread,
   * stopping every request of the process, in steps that grow to 100 ms; so only this statement
   * goes without it.
   */
  #tryBeginImmediate(): Error | undefined {
    this.#ctx.getNow('PRAGMA busy_timeout = 0')
    try {
      this.#ctx.runNow('BEGIN IMMEDIATE')
      return undefined
    } catch (err) {
      // SQLITE_BUSY, or an extended code of it (SQLITE_BUSY_RECOVERY while another connection
      // recovers the log).
      if (err instanceof Database.SqliteError && err.code.startsWith('SQLITE_BUSY')) return err
      throw err
    } finally {
      this.#ctx.getNow(`PRAGMA busy_timeout = ${this.#busyTimeoutMs}`)
    }
  }

  /**
   * Tries for the write lock again every few milliseconds while the event loop goes on (another
   * process's group holds it for one turn of its loop), then opens the group; SQLITE_BUSY once
   * the busy timeout has passed, as SQLite's own wait would end. The transaction runs meanwhile,
   * so no other of this store's transactions starts: none can open a group before this one.
   */
  async #waitForWriteLock(state: SqliteTxState): Promise<void> {
    const deadline = performance.now() + this.#busyTimeoutMs
    let pause = 0
    for (;;) {
      await new Promise<void>((resolve) =>
        pause === 0 ? setImmediate(resolve) : setTimeout(resolve, pause),
      )
      // The transaction failed meanwhile (a call it did not wait for is the one waiting):
      // nothing may begin for it any more.
      if (!state.open) throw new Error('the transaction ended while waiting for the write lock')
      const busy = this.#tryBeginImmediate()
      if (busy === undefined) {
        this.#openGroup(state)
        return
      }
      // SQLite's own error, as its busy timeout would have ended.
      if (performance.now() >= deadline) throw busy
      pause = Math.min(pause + 1, MAX_LOCK_RETRY_MS)
    }
  }

  /** Opens a group on the write transaction just begun, with `state` its first member. */
  #openGroup(state: SqliteTxState): void {
    const opened = newCommitGroup()
    this.#group = opened
    this.#ctx.runNow(`SAVEPOINT ${MEMBER}`)
    state.begun = 'member'
    opened.members += 1
  }

  /** Runs one transaction; never rejects: `outcome` is what its caller is answered. */
  async #run<T>(
    fn: (tx: StoreTx) => T | Promise<T>,
    readOnly: boolean,
  ): Promise<{ readonly outcome: Promise<T> }> {
    const state: SqliteTxState = {
      open: true,
      begun: 'no',
      changed: undefined,
      readOnly,
      queue: Promise.resolve(),
    }
    const tx = this.#newTx(state)
    let outcome: Promise<T>
    this.#running = true
    try {
      const inside = this.#insideTransaction
      const value = await (inside === undefined ? fn(tx) : inside.run(true, () => fn(tx)))
      // A call `fn` did not wait for finishes before the transaction ends (or fails it).
      await state.queue
      state.open = false
      this.#end(state)
      outcome = this.#answer(() => value)
    } catch (err) {
      state.open = false
      // A call `fn` did not wait for may still be under way (waiting for the write lock, or
      // between its statements): it stops at its next step, and only then is its work undone.
      await state.queue
      this.#undo(state, err)
      // Whatever was read through a cache after a write of this transaction may hold data
      // that was never committed: it goes too.
      if (state.changed !== undefined) this.#feed.report()
      outcome = this.#answer(() => {
        throw err
      })
    }
    this.#running = false
    this.#afterTransaction()
    return { outcome }
  }

  /** Commits the open group now if it is full, else at the end of the turn once idle. */
  #afterTransaction(): void {
    const group = this.#group
    if (group === undefined) return
    if (group.members >= MAX_GROUP_MEMBERS) {
      this.#commitGroup()
      return
    }
    // A transaction waiting (or one running when the turn ends) calls this again when it ends.
    if (this.#waiting > 0 || this.#commitTimer !== undefined) return
    this.#commitTimer = setImmediate(() => {
      this.#commitTimer = undefined
      if (!this.#running && this.#waiting === 0) this.#commitGroup()
    })
  }

  /** Ends a transaction that succeeded. */
  #end(state: SqliteTxState): void {
    if (state.begun === 'read') {
      this.#ctx.runNow('COMMIT')
    } else if (state.begun === 'member') {
      this.#ctx.runNow(`RELEASE ${MEMBER}`)
      if (state.changed !== undefined) this.#group?.changes.push(committedChangeKind(state))
    }
  }

  /**
   * Undoes what a failed transaction wrote, and nothing of the group's other members, unless
   * SQLite undid them too: they then fail with the transaction's own error, `cause`.
   */
  #undo(state: SqliteTxState, cause: unknown): void {
    if (state.begun === 'read') {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
      return
    }
    if (state.begun !== 'member') return
    // Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction: the
    // group's other members' writes are gone with it.
    if (!this.#db.inTransaction) {
      this.#abandonGroup(cause)
      return
    }
    try {
      this.#ctx.runNow(`ROLLBACK TO ${MEMBER}`)
      this.#ctx.runNow(`RELEASE ${MEMBER}`)
    } catch (err) {
      this.#abandonGroup(err)
    }
  }

  /** What a transaction's caller is answered: at once, or once the open group has committed. */
  #answer<T>(settle: () => T): Promise<T> {
    const group = this.#group
    if (group === undefined) return new Promise<T>((resolve) => resolve(settle()))
    return group.committed.then(settle, (err: unknown) => {
      // The transaction's own failure is its answer; a failed commit is the others'.
      settle()
      throw err
    })
  }

  /** Commits the open group, if any, and answers its members. */
  #commitGroup(): void {
    const group = this.#group
    if (group === undefined) return
    this.#group = undefined
    if (this.#commitTimer !== undefined) {
      clearImmediate(this.#commitTimer)
      this.#commitTimer = undefined
    }
    try {
      if (!this.#db.inTransaction) throw new Error('SQLite rolled back the whole transaction')
      this.#ctx.runNow('COMMIT')
      this.#commits += 1
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
      this.#feed.report()
      group.reject(err)
      return
    }
    for (const kind of group.changes) this.#feed.report(kind)
    group.resolve()
  }

  /** The open group's transaction is lost: every member fails with `err`. */
  #abandonGroup(err: unknown): void {
    const group = this.#group
    this.#group = undefined
    if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
    this.#feed.report()
    group?.reject(err)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#tail
    // The last transaction's group, if its turn has not ended yet.
    this.#commitGroup()
    // The thread's connection first: the last to close checkpoints the whole log and removes
    // it, and that is then this one, on the caller's thread, as without the thread.
    await this.#checkpointer?.stop()
    this.#db.close()
  }
}
