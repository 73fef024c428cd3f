/**
 * The SQL operations' context on PostgreSQL: one pooled connection for one transaction. The
 * operations write `?` parameters (the form SQLite takes); they become `$1, $2, ...` here, once
 * per statement text, and each statement is prepared on the connection by name, so a statement
 * is parsed once per connection rather than once per call.
 */
import type pg from 'pg'
import type { RandomBytes } from '../ids.js'
import type { StoreLimits } from '../limits.js'
import type { MasterKey } from '../secret-box.js'
import { SqlContext } from '../sql/sql-context.js'
import type { SqlRunResult, SqlValue } from '../sql/sql-context.js'

/** A statement in PostgreSQL's form, with the name it is prepared under. */
interface Translated {
  readonly name: string
  readonly text: string
}

// Statement texts are the operations' constants (a few hundred): the map stays small.
const translations = new Map<string, Translated>()

/**
 * `?` to `$n`, leaving alone what is inside quotes. A `?` never appears in the operations' SQL
 * but as a parameter; quoted text is skipped all the same, so a literal could hold one.
 */
export function translateParameters(sql: string): Translated {
  let translated = translations.get(sql)
  if (translated !== undefined) return translated
  // A parameter is text of the database's collation, whose lower() folds by its locale (`Ä` to
  // `ä` under en_US); the stored keys are lower(name) in the C collation, which folds ASCII only,
  // as SQLite's lower() does. Cast first, so both sides fold alike.
  const source = sql.replaceAll('lower(?)', 'lower(?::ctext)')
  let text = ''
  let n = 0
  let quote: string | null = null
  for (const ch of source) {
    if (quote !== null) {
      if (ch === quote) quote = null
      text += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      text += ch
    } else if (ch === '?') {
      n += 1
      text += `$${n}`
    } else {
      text += ch
    }
  }
  translated = { name: `gh${translations.size + 1}`, text }
  translations.set(sql, translated)
  return translated
}

/** A value as node-postgres binds it: bigints as text (it has no bigint of its own). */
function bindable(value: SqlValue): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  }
  return value
}

/** SQLSTATE of unique_violation. */
const UNIQUE_VIOLATION = '23505'

/**
 * One transaction's connection and everything the operations need besides it. The operations
 * bound to a context are many closures: a store keeps contexts between transactions and lends
 * each to one transaction at a time, with that transaction's connection.
 */
export class PgContext extends SqlContext {
  #client: pg.ClientBase | undefined

  constructor(clock: () => Date, random: RandomBytes, limits: StoreLimits, masterKey: MasterKey) {
    super(clock, random, limits, masterKey)
  }

  /** The connection of the transaction that holds this context. */
  get client(): pg.ClientBase {
    if (this.#client === undefined) throw new Error('no transaction holds this context')
    return this.#client
  }

  /** Lends the context to a transaction on `client`; `undefined` takes it back. */
  bind(client: pg.ClientBase | undefined): void {
    this.#client = client
  }

  async #query<Row>(
    sql: string,
    params: readonly SqlValue[],
  ): Promise<pg.QueryResult<Row & pg.QueryResultRow>> {
    const { name, text } = translateParameters(sql)
    return this.client.query<Row & pg.QueryResultRow>({ name, text, values: params.map(bindable) })
  }

  async all<Row>(sql: string, ...params: readonly SqlValue[]): Promise<Row[]> {
    return (await this.#query<Row>(sql, params)).rows
  }

  async get<Row>(sql: string, ...params: readonly SqlValue[]): Promise<Row | undefined> {
    return (await this.#query<Row>(sql, params)).rows[0]
  }

  async run(sql: string, ...params: readonly SqlValue[]): Promise<SqlRunResult> {
    return { changes: (await this.#query(sql, params)).rowCount ?? 0 }
  }

  async atomically<T>(fn: () => Promise<T>): Promise<T> {
    // A failed statement aborts the whole transaction in PostgreSQL until it rolls back to a
    // savepoint: this is what lets a handler catch NotFoundError and go on.
    await this.client.query('SAVEPOINT store_call')
    try {
      const result = await fn()
      await this.client.query('RELEASE SAVEPOINT store_call')
      return result
    } catch (err) {
      await this.client.query('ROLLBACK TO SAVEPOINT store_call')
      await this.client.query('RELEASE SAVEPOINT store_call')
      throw err
    }
  }

  isUniqueViolation(err: unknown): boolean {
    return err instanceof Error && 'code' in err && err.code === UNIQUE_VIOLATION
  }

  zeroPad(expr: string, width: number): string {
    return `lpad((${expr})::text, ${width}, '0')`
  }

  bytewise(expr: string): string {
    return `(${expr}) COLLATE "C"`
  }
}
