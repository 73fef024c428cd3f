/**
 * The SQL operations' context on SQLite: better-sqlite3's synchronous statements (prepared once
 * and cached), answered as promises because the operations are shared with PostgreSQL, whose
 * driver is asynchronous.
 */
import type { Database, Statement } from 'better-sqlite3'
import type { RandomBytes } from '../ids.js'
import type { StoreLimits } from '../limits.js'
import type { MasterKey } from '../secret-box.js'
import { SqlContext } from '../sql/sql-context.js'
import type { SqlRunResult, SqlValue } from '../sql/sql-context.js'

/** The connection and everything the operations need besides it. */
export class SqliteContext extends SqlContext {
  readonly #statements = new Map<string, Statement>()

  constructor(
    readonly db: Database,
    clock: () => Date,
    random: RandomBytes,
    limits: StoreLimits,
    masterKey: MasterKey,
  ) {
    super(clock, random, limits, masterKey)
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      statement = this.db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  /** The first row of a query, at once: for the store's own bookkeeping outside operations. */
  getNow<Row>(sql: string, ...params: readonly SqlValue[]): Row | undefined {
    return this.#prepare(sql).get(...params) as Row | undefined
  }

  /** Runs a statement at once: for the store's own BEGIN and COMMIT. */
  runNow(sql: string, ...params: readonly SqlValue[]): SqlRunResult {
    return this.#prepare(sql).run(...params)
  }

  all<Row>(sql: string, ...params: readonly SqlValue[]): Promise<Row[]> {
    try {
      return Promise.resolve(this.#prepare(sql).all(...params) as Row[])
    } catch (err) {
      return Promise.reject(asError(err))
    }
  }

  get<Row>(sql: string, ...params: readonly SqlValue[]): Promise<Row | undefined> {
    try {
      return Promise.resolve(this.getNow<Row>(sql, ...params))
    } catch (err) {
      return Promise.reject(asError(err))
    }
  }

  run(sql: string, ...params: readonly SqlValue[]): Promise<SqlRunResult> {
    try {
      return Promise.resolve(this.runNow(sql, ...params))
    } catch (err) {
      return Promise.reject(asError(err))
    }
  }

  async atomically<T>(fn: () => Promise<T>): Promise<T> {
    this.runNow('SAVEPOINT store_call')
    try {
      const result = await fn()
      this.runNow('RELEASE store_call')
      return result
    } catch (err) {
      this.runNow('ROLLBACK TO store_call')
      this.runNow('RELEASE store_call')
      throw err
    }
  }

  isUniqueViolation(err: unknown): boolean {
    if (!(err instanceof Error) || !('code' in err)) return false
    return err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  }

  zeroPad(expr: string, width: number): string {
    return `printf('%0${width}d', ${expr})`
  }

  bytewise(expr: string): string {
    // SQLite's default collation (BINARY) is already byte order.
    return expr
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}
