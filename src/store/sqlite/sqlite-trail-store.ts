/**
 * The audit trail on SQLite (better-sqlite3): a database file of its own (the server's
 * <data-dir>/trail.db), so that recording every request never takes the IAM data's write lock.
 * WAL with synchronous=NORMAL: a commit is a write of WAL frames, with no fsync, and once that
 * write returns the frames are in the operating system's page cache, where they survive a crash
 * of the process (kill -9), though not of the machine. Appends run under BEGIN IMMEDIATE and read
 * the chain's last hash inside it, so several server processes appending to one file still make
 * one chain.
 *
 * LookupEvents' indexes are not written by appends: an indexer fills them in bulk, in order of
 * sequence (trail-migrations/004-lookup-index.sql), once INDEX_BATCH records wait, once appends
 * pause for INDEX_IDLE_MS, and before every lookup.
 */
import Database from 'better-sqlite3'
import type { Statement } from 'better-sqlite3'
import { closeSync, fstatSync, openSync, readSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GENESIS_HASH, chainHash } from '../trail-hash.js'
import type {
  LastAccessOptions,
  AccessJob,
  AccessJobStatus,
  LastAccess,
  NewAccessJob,
  StoredTrailEvent,
  TrailAccess,
  TrailEvent,
  TrailPage,
  TrailQuery,
  TrailResource,
  TrailStore,
} from '../trail-store.js'
import { loadMigrations, migrate } from './migrate.js'
import { decodeJournalLine, parseJournalName } from './trail-journal.js'
import type { JournalName, JournaledBatch } from './trail-journal.js'
import type { SqlValue } from '../sql/sql-context.js'
import {
  decodeTrailToken,
  encodeTrailToken,
  lookupStatement,
  trailPageSize,
} from './trail-lookup.js'
import { LIMIT_PARAM } from '../sql/limit-param.js'

/** Options of the SQLite trail store. */
export interface SqliteTrailStoreOptions {
  /** The database file, or `:memory:`. */
  readonly filename: string
  /** How long to wait for another process's write lock, in ms (5000 when absent). */
  readonly busyTimeoutMs?: number
  /**
   * The journal directory of the server processes writing to this trail (trail-journal.ts):
   * what it holds that the trail lacks is appended when the store opens and before each lookup.
   * Absent: the store has no journal (an in-memory trail, tests of the store itself).
   */
  readonly journalDir?: string
}

/** The journal directory of a trail file: beside it. */
export function journalDirOf(trailFile: string): string {
  return `${trailFile}.pending`
}

/**
 * The indexer runs once this many appended records wait for it. Each run rewrites the last pages
 * of every index (and a page for each resource name it adds to), so fewer, larger runs write
 * less; a lookup indexes at most this many records before it reads.
 */
export const INDEX_BATCH = 8000
/** ... or once appends have paused this long with records waiting. */
export const INDEX_IDLE_MS = 500
/** At most this many records per indexing transaction, so that appends wait little for it. */
const INDEX_CHUNK = 10_000

/**
 * The columns of trail_events an append writes, and at most how many rows one INSERT writes: a
 * statement's own work (binding, stepping, resetting) once for many rows, not for each.
 */
const EVENT_COLUMNS = 12
const INSERT_ROWS = 16

/** The INSERT of `rows` events. */
function insertEventsSql(rows: number): string {
  const row = `(${Array<string>(EVENT_COLUMNS).fill('?').join(', ')})`
  return `INSERT INTO trail_events (sequence, event_id, event_time, event_name, event_source,
    read_only, username, access_key_id, resources, account_id, record, hash)
    VALUES ${Array<string>(rows).fill(row).join(', ')}`
}

const TRAIL_MIGRATIONS_DIR = fileURLToPath(new URL('./trail-migrations/', import.meta.url))

/** A trail_events row as SQLite returns it. */
interface TrailEventRow {
  readonly sequence: number
  readonly event_id: string
  readonly event_time: number
  readonly event_name: string
  readonly event_source: string
  readonly read_only: number
  readonly username: string | null
  readonly access_key_id: string | null
  readonly resources: string
  readonly account_id: string | null
  readonly record: string
  readonly hash: string
}

/** A trail_access row as SQLite returns it. */
interface AccessRow {
  readonly entity_id: string
  readonly service: string
  readonly action: string
  readonly last_time: number
  readonly region: string
}

/** An access_jobs row as SQLite returns it. */
interface AccessJobRow {
  readonly job_id: string
  readonly account_id: string
  readonly entity_arn: string
  readonly granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL'
  readonly owner_arn: string
  readonly status: AccessJobStatus
  readonly created_at: number
  readonly completed_at: number | null
  readonly result: string | null
}

/** The newest attempt per account, entity and action within one append. */
interface BatchAccess {
  readonly accountId: string
  readonly access: TrailAccess
  readonly time: number
}

function toStoredEvent(row: TrailEventRow): StoredTrailEvent {
  return {
    sequence: row.sequence,
    hash: row.hash,
    eventId: row.event_id,
    eventTime: new Date(row.event_time),
    eventName: row.event_name,
    eventSource: row.event_source,
    readOnly: row.read_only === 1,
    username: row.username,
    accessKeyId: row.access_key_id,
    resources: JSON.parse(row.resources) as TrailResource[],
    accountId: row.account_id,
    record: row.record,
  }
}

/** Opens (creating and migrating if needed) a SQLite trail store. */
export function openSqliteTrailStore(options: SqliteTrailStoreOptions): SqliteTrailStore {
  const db = new Database(options.filename, { timeout: options.busyTimeoutMs ?? 5000 })
  try {
    // An in-memory database stays in its own journal mode; a file goes to WAL.
    db.pragma('journal_mode = WAL')
    // INVARIANT: durable against a crash of the process, not of the machine (see above); FULL
    // would fsync on every commit, which group commit would amortise but not remove.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    migrate(db, loadMigrations(TRAIL_MIGRATIONS_DIR))
  } catch (err) {
    db.close()
    throw err
  }
  const store = new SqliteTrailStore(db, options.journalDir)
  try {
    // What a crash left in the journal is appended before anything reads the trail.
    store.takeJournals()
  } catch (err) {
    db.close()
    throw err
  }
  return store
}

/** A journal file's size; 0 for one removed since the directory was listed. */
function journalSize(path: string): number {
  try {
    return statSync(path).size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw err
  }
}

/** Whether the process of a journal file is gone, so that nobody writes the file any more. */
function processGone(pid: number): boolean {
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** The SQLite implementation of the trail port. */
export class SqliteTrailStore implements TrailStore {
  readonly #db: Database.Database
  readonly #lastEvent: Statement
  /** The INSERT of n events at index n, prepared when first needed. */
  readonly #insertEvents: (Statement | undefined)[] = []
  readonly #indexState: Statement
  readonly #indexLookup: Statement
  readonly #indexResources: Statement
  readonly #setIndexed: Statement
  readonly #catchUp: (limit: number) => boolean
  readonly #journalDir: string | undefined
  readonly #journalAppended: Statement
  readonly #setJournalAppended: Statement
  /** Appends a batch unless the trail has it; the last sequence it appended, if any. */
  readonly #appendJournaled: (batch: JournaledBatch) => number | undefined
  readonly #takeJournal: (name: string) => { appended: number; size: number; whole: boolean }
  /** The newest sequence this connection appended or saw, and how far the index was. */
  #lastAppended = 0
  #indexedThrough = 0
  #idleTimer: ReturnType<typeof setTimeout> | undefined
  #indexScheduled = false
  readonly #readAfter: Statement
  readonly #upsertAccess: Statement
  readonly #selectAccess: Statement
  readonly #insertJob: Statement
  readonly #finishJob: Statement
  readonly #selectJob: Statement
  readonly #lookups = new Map<string, Statement>()
  readonly #append: (events: readonly TrailEvent[]) => StoredTrailEvent[]
  #closed = false

  /** @internal Use openSqliteTrailStore. */
  constructor(db: Database.Database, journalDir?: string) {
    this.#db = db
    this.#journalDir = journalDir
    this.#journalAppended = db.prepare('SELECT appended FROM trail_journals WHERE name = ?').pluck()
    this.#setJournalAppended = db.prepare(`INSERT INTO trail_journals (name, appended)
      VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET appended = excluded.appended`)
    // Under the write lock, like appends: whoever appends a journal's records (its own process,
    // or another that takes them from the file) reads how far it has come inside the lock.
    const appendJournaled = db.transaction((batch: JournaledBatch): number | undefined => {
      const appended = (this.#journalAppended.get(batch.journal) as number | undefined) ?? 0
      if (appended >= batch.end) return undefined
      if (appended === batch.start) {
        const last = this.#appendAll(batch.events)
        this.#setJournalAppended.run(batch.journal, batch.end)
        return last
      }
      // Another process took part of it from the file, or an earlier batch failed: the file
      // has everything, in order.
      this.#takeJournalFile(batch.journal)
      return undefined
    })
    this.#appendJournaled = (batch) => appendJournaled.immediate(batch)
    const takeJournal = db.transaction((name: string) => this.#takeJournalFile(name))
    this.#takeJournal = (name) => takeJournal.immediate(name)
    this.#lastEvent = db.prepare(
      'SELECT sequence, hash FROM trail_events ORDER BY sequence DESC LIMIT 1',
    )
    this.#indexState = db.prepare(`SELECT indexed_through AS through,
      (SELECT coalesce(max(sequence), 0) FROM trail_events) AS last FROM trail_index_state`)
    this.#indexLookup = db.prepare(`INSERT INTO trail_lookup SELECT sequence, account_id,
      event_time, event_id, event_name, read_only, username, access_key_id, event_source
      FROM trail_events WHERE sequence > ? AND sequence <= ? AND account_id IS NOT NULL`)
    // jsonb_each: each resource comes as the binary JSON its members are read from, not as text
    // parsed again for each of them.
    this.#indexResources = db.prepare(`INSERT INTO trail_event_resources (sequence, position,
      account_id, event_time, type, name)
      SELECT e.sequence, r.key, e.account_id, e.event_time, r.value ->> 'type', r.value ->> 'name'
      FROM trail_events AS e, jsonb_each(e.resources) AS r
      WHERE e.sequence > ? AND e.sequence <= ? AND e.account_id IS NOT NULL
        AND r.value ->> 'type' IS NOT NULL AND r.value ->> 'name' IS NOT NULL`)
    this.#setIndexed = db.prepare('UPDATE trail_index_state SET indexed_through = ?')
    // Under the write lock, like appends: several connections index one file without overlap.
    const catchUp = db.transaction((limit: number) => this.#indexSome(limit))
    this.#catchUp = (limit) => catchUp.immediate(limit)
    this.#readAfter = db.prepare(
      `SELECT * FROM trail_events WHERE sequence > ? ORDER BY sequence ${LIMIT_PARAM}`,
    )
    // Attempts only move forward in time: an older one arriving later (another process's
    // append, a clock stepped back) leaves the newer in place.
    this.#upsertAccess = db.prepare(`INSERT INTO trail_access (account_id, entity_id, service,
      action, last_time, region) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (account_id, entity_id, service, action) DO UPDATE
      SET last_time = excluded.last_time, region = excluded.region
      WHERE excluded.last_time >= trail_access.last_time`)
    // json_each: one statement for any number of entities, so it is prepared once.
    this.#selectAccess = db.prepare(`SELECT entity_id, service, action, last_time, region
      FROM trail_access WHERE account_id = ? AND entity_id IN (SELECT value FROM json_each(?))
      ORDER BY entity_id, service, action`)
    this.#insertJob = db.prepare(`INSERT INTO access_jobs (job_id, account_id, entity_arn,
      granularity, owner_arn, status, created_at) VALUES (?, ?, ?, ?, ?, 'IN_PROGRESS', ?)`)
    this.#finishJob = db.prepare(`UPDATE access_jobs SET status = ?, completed_at = ?, result = ?
      WHERE job_id = ? AND status = 'IN_PROGRESS'`)
    this.#selectJob = db.prepare('SELECT * FROM access_jobs WHERE account_id = ? AND job_id = ?')
    // BEGIN IMMEDIATE: the chain's end is read under the write lock, so no other connection can
    // append between reading it and extending it.
    const append = db.transaction((events: readonly TrailEvent[]) => {
      const stored: StoredTrailEvent[] = []
      this.#appendAll(events, stored)
      return stored
    })
    this.#append = (events) => append.immediate(events)
  }

  /**
   * @internal The connection itself, for this backend's own tests (raw rows, query plans, the
   * schema's refusals) and diagnostics. Callers of the port never need it.
   */
  get database(): Database.Database {
    return this.#db
  }

  /**
   * Appends the events at the chain's end, inside the caller's write transaction, pushing each
   * as stored onto `stored` if given (a journaled batch's caller needs none of them). Returns
   * the last sequence appended.
   */
  #appendAll(events: readonly TrailEvent[], stored?: StoredTrailEvent[]): number {
    const last = this.#lastEvent.get() as { sequence: number; hash: string } | undefined
    let sequence = last?.sequence ?? 0
    let previous = last?.hash ?? GENESIS_HASH
    // Many requests of one batch are the same entity on the same action: one upsert each.
    const accesses = new Map<string, BatchAccess>()
    // The rows of up to INSERT_ROWS events, written by one statement.
    const values: SqlValue[] = []
    for (const event of events) {
      sequence += 1
      const hash = chainHash(previous, event.record)
      const time = event.eventTime.getTime()
      if (!Number.isFinite(time)) throw new RangeError(`event ${event.eventId} has no valid time`)
      values.push(
        sequence,
        event.eventId,
        time,
        event.eventName,
        event.eventSource,
        event.readOnly ? 1 : 0,
        event.username,
        event.accessKeyId,
        JSON.stringify(event.resources.map((r) => ({ type: r.type, name: r.name }))),
        event.accountId,
        event.record,
        hash,
      )
      if (values.length === INSERT_ROWS * EVENT_COLUMNS) {
        this.#insertRows(values)
        values.length = 0
      }
      if (event.access !== undefined && event.accountId !== null) {
        const { entityId, service, action } = event.access
        const key = `${event.accountId} ${entityId} ${service} ${action}`
        const seen = accesses.get(key)
        if (seen === undefined || time >= seen.time) {
          accesses.set(key, { accountId: event.accountId, access: event.access, time })
        }
      }
      stored?.push({ ...event, sequence, hash })
      previous = hash
    }
    if (values.length > 0) this.#insertRows(values)
    for (const { accountId, access, time } of accesses.values()) {
      this.#upsertAccess.run(
        accountId,
        access.entityId,
        access.service,
        access.action,
        time,
        access.region,
      )
    }
    return sequence
  }

  /** Inserts the events whose columns `values` holds, one row after another. */
  #insertRows(values: readonly SqlValue[]): void {
    const rows = values.length / EVENT_COLUMNS
    let statement = this.#insertEvents[rows]
    if (statement === undefined) {
      statement = this.#db.prepare(insertEventsSql(rows))
      this.#insertEvents[rows] = statement
    }
    statement.run(values)
  }

  /**
   * Appends what a journal file holds past the point the trail has reached in it (complete
   * lines only: a process may be writing the rest). Inside a write transaction.
   */
  #takeJournalFile(name: string): { appended: number; size: number; whole: boolean } {
    const dir = this.#journalDir
    if (dir === undefined) throw new Error('this trail store has no journal')
    const appended = (this.#journalAppended.get(name) as number | undefined) ?? 0
    let fd: number
    try {
      fd = openSync(join(dir, name), 'r')
    } catch (err) {
      // Another process took it all and removed it since the directory was listed.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return { appended, size: appended, whole: true }
      }
      throw err
    }
    try {
      const size = fstatSync(fd).size
      if (size <= appended) return { appended, size, whole: true }
      const bytes = Buffer.alloc(size - appended)
      let read = 0
      while (read < bytes.length) {
        const n = readSync(fd, bytes, read, bytes.length - read, appended + read)
        if (n === 0) break
        read += n
      }
      // A newline byte never occurs inside a UTF-8 character: the text up to the last one is
      // whole lines.
      const last = bytes.lastIndexOf(0x0a, read - 1)
      if (last < 0) return { appended, size, whole: false }
      const lines = bytes.toString('utf8', 0, last).split('\n')
      const events: TrailEvent[] = []
      for (const line of lines) {
        try {
          events.push(decodeJournalLine(line))
        } catch (err) {
          // Only a damaged file holds a line that is not an event (writers cut off a failed
          // write): it is passed over, loudly, so that it cannot stop the trail for good.
          process.emitWarning(`journal ${name}: a line that is not an event was passed over`, {
            code: 'GATEHOUSE_TRAIL_JOURNAL',
            detail: String(err),
          })
        }
      }
      for (let i = 0; i < events.length; i += 1000) this.#appendAll(events.slice(i, i + 1000))
      const now = appended + last + 1
      this.#setJournalAppended.run(name, now)
      return { appended: now, size, whole: now === size }
    } finally {
      closeSync(fd)
    }
  }

  /**
   * Appends what the journal directory's files hold that the trail lacks, and removes the files
   * nobody writes any more once the trail has them all: those in `finished` (their process said
   * so), those with a newer generation, and those whose process is gone (a torn last line, a
   * write the crash cut short and never acknowledged, goes with them).
   */
  takeJournals(finished: readonly string[] = []): void {
    const dir = this.#journalDir
    if (dir === undefined || this.#closed) return
    let files: string[]
    try {
      files = readdirSync(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw err
    }
    const newest = new Map<string, number>()
    const journals: [string, JournalName][] = []
    for (const file of files) {
      const name = parseJournalName(file)
      if (name === undefined) continue
      journals.push([file, name])
      newest.set(name.tag, Math.max(newest.get(name.tag) ?? 0, name.generation))
    }
    let took = false
    for (const [file, name] of journals.sort((a, b) => a[1].generation - b[1].generation)) {
      const before = (this.#journalAppended.get(file) as number | undefined) ?? 0
      const ownerDone = finished.includes(file) || processGone(name.pid)
      const rotated = (newest.get(name.tag) ?? 0) > name.generation
      // Most calls find nothing new: a size read, without the write lock.
      if (!ownerDone && !rotated && journalSize(join(dir, file)) <= before) continue
      const taken = this.#takeJournal(file)
      took ||= taken.appended > before
      // Removed once nobody writes it: its process finished it or is gone (a torn last line
      // was a write never acknowledged), or moved on to a newer file and the trail has it all.
      // Its row in trail_journals stays: a batch of it still on its way from its process then
      // finds that the trail has it.
      if (ownerDone || (rotated && taken.whole)) rmSync(join(dir, file), { force: true })
    }
    if (took) {
      const last = this.#lastEvent.get() as { sequence: number } | undefined
      this.#lastAppended = last?.sequence ?? this.#lastAppended
      this.#afterAppend()
    }
  }

  /**
   * Appends a batch its process wrote to its journal file, unless the trail already has it
   * (another process took it from the file), and notes how far into the file the trail is.
   */
  appendJournaled(batch: JournaledBatch): Promise<void> {
    return this.#settle(() => {
      const appended = this.#appendJournaled(batch)
      if (appended === undefined) {
        const last = this.#lastEvent.get() as { sequence: number } | undefined
        this.#lastAppended = last?.sequence ?? this.#lastAppended
      } else {
        this.#lastAppended = appended
      }
      this.#afterAppend()
    })
  }

  /** Takes in the files a process has finished writing, then removes them. */
  finishJournals(names: readonly string[]): Promise<void> {
    return this.#settle(() => this.takeJournals(names))
  }

  /** Indexes at most `limit` records past the index's end; whether more remain. */
  #indexSome(limit: number): boolean {
    const state = this.#indexState.get() as { through: number; last: number }
    const to = Math.min(state.last, state.through + limit)
    if (to > state.through) {
      this.#indexLookup.run(state.through, to)
      this.#indexResources.run(state.through, to)
      this.#setIndexed.run(to)
    }
    this.#indexedThrough = to
    this.#lastAppended = Math.max(this.#lastAppended, state.last)
    return to < state.last
  }

  /** Brings the lookup index up to every record appended so far (by any connection). */
  #indexAll(): void {
    while (this.#catchUp(INDEX_CHUNK)) {
      // Each chunk commits on its own, so appends of other connections wait one chunk at most.
    }
  }

  /**
   * After an append: index now (after the caller has its answer) if enough records wait, and
   * in any case once appends pause.
   */
  #afterAppend(): void {
    if (this.#lastAppended - this.#indexedThrough >= INDEX_BATCH) {
      if (!this.#indexScheduled) {
        this.#indexScheduled = true
        setImmediate(() => this.#indexInBackground())
      }
    }
    if (this.#idleTimer === undefined) {
      this.#idleTimer = setTimeout(() => this.#indexInBackground(), INDEX_IDLE_MS)
      // An idle timer keeps no process alive: close() indexes what is left.
      this.#idleTimer.unref()
    } else {
      this.#idleTimer.refresh()
    }
  }

  #indexInBackground(): void {
    this.#indexScheduled = false
    if (this.#closed) return
    try {
      this.#indexAll()
    } catch {
      // The index is derived data: what failed now (a busy database) is retried by the next
      // trigger, and a lookup indexes everything before it reads.
    }
  }

  /**
   * Runs `fn` now, on an open store, and hands its outcome over as a promise: the port is
   * asynchronous, better-sqlite3 is not.
   */
  #settle<T>(fn: () => T): Promise<T> {
    try {
      if (this.#closed) throw new Error('the trail store is closed')
      return Promise.resolve(fn())
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
  }

  appendTrailEvents(events: readonly TrailEvent[]): Promise<readonly StoredTrailEvent[]> {
    return this.#settle(() => {
      if (events.length === 0) return []
      const stored = this.#append(events)
      this.#lastAppended = stored[stored.length - 1]?.sequence ?? this.#lastAppended
      this.#afterAppend()
      return stored
    })
  }

  lookupTrailEvents(query: TrailQuery): Promise<TrailPage> {
    return this.#settle(() => this.#lookup(query))
  }

  #lookup(query: TrailQuery): TrailPage {
    // Every record whose call was answered before the lookup, by any process, is found by it:
    // first what other processes' journals hold, then the index.
    this.takeJournals()
    this.#indexAll()
    const size = trailPageSize(query)
    const after =
      query.nextToken === undefined ? undefined : decodeTrailToken(query, query.nextToken)
    const { sql, params } = lookupStatement(query, after, size + 1)
    let statement = this.#lookups.get(sql)
    if (statement === undefined) {
      statement = this.#db.prepare(sql)
      this.#lookups.set(sql, statement)
    }
    const rows = statement.all(...params) as TrailEventRow[]
    const more = rows.length > size
    const events = (more ? rows.slice(0, size) : rows).map(toStoredEvent)
    const last = events[events.length - 1]
    return {
      events,
      nextToken:
        more && last !== undefined
          ? encodeTrailToken(query, { time: last.eventTime.getTime(), sequence: last.sequence })
          : null,
    }
  }

  readTrailEvents(after: number, limit: number): Promise<readonly StoredTrailEvent[]> {
    return this.#settle(() => {
      if (!Number.isSafeInteger(limit) || limit < 0) {
        throw new RangeError(`limit must be a non-negative integer, not ${limit}`)
      }
      return (this.#readAfter.all(after, limit) as TrailEventRow[]).map(toStoredEvent)
    })
  }

  lastAccess(
    accountId: string,
    entityIds: readonly string[],
    options: LastAccessOptions = {},
  ): Promise<readonly LastAccess[]> {
    return this.#settle(() => {
      // Attempts other processes have answered are in their journals until their trails append.
      if (options.everyProcess === true) this.takeJournals()
      const rows = this.#selectAccess.all(accountId, JSON.stringify(entityIds)) as AccessRow[]
      return rows.map((row) => ({
        entityId: row.entity_id,
        service: row.service,
        action: row.action,
        time: new Date(row.last_time),
        region: row.region,
      }))
    })
  }

  createAccessJob(job: NewAccessJob): Promise<void> {
    return this.#settle(() => {
      this.#insertJob.run(
        job.jobId,
        job.accountId,
        job.entityArn,
        job.granularity,
        job.ownerArn,
        job.createdAt.getTime(),
      )
    })
  }

  finishAccessJob(
    jobId: string,
    outcome: { status: 'COMPLETED' | 'FAILED'; result: string; completedAt: Date },
  ): Promise<boolean> {
    return this.#settle(
      () =>
        this.#finishJob.run(outcome.status, outcome.completedAt.getTime(), outcome.result, jobId)
          .changes === 1,
    )
  }

  getAccessJob(accountId: string, jobId: string): Promise<AccessJob | null> {
    return this.#settle(() => {
      const row = this.#selectJob.get(accountId, jobId) as AccessJobRow | undefined
      if (row === undefined) return null
      return {
        jobId: row.job_id,
        accountId: row.account_id,
        entityArn: row.entity_arn,
        granularity: row.granularity,
        ownerArn: row.owner_arn,
        status: row.status,
        createdAt: new Date(row.created_at),
        completedAt: row.completed_at === null ? null : new Date(row.completed_at),
        result: row.result,
      }
    })
  }

  close(): Promise<void> {
    if (!this.#closed) {
      try {
        // What the journals hold is appended, and what waits indexed, now rather than later.
        this.takeJournals()
        clearTimeout(this.#idleTimer)
        this.#indexAll()
      } catch {
        // Derived data: the next lookup indexes it.
      }
      this.#closed = true
      // Every append ran to its commit synchronously: nothing is pending.
      this.#db.close()
    }
    return Promise.resolve()
  }
}
