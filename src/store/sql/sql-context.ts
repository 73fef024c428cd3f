/**
 * What the SQL operations (this folder) need of a database, whichever it is: statements with `?`
 * parameters, a savepoint around a call, and the few spellings in which the dialects differ.
 * Each backend (src/store/sqlite/, src/store/postgres/) extends this class with its driver; the
 * operations, written once here, then run on both, and one conformance suite holds them to it.
 *
 * The statements are the common ground of SQLite and PostgreSQL: `ON CONFLICT ... DO NOTHING`
 * and `DO UPDATE`, `RETURNING`, `lower`, `substr`, `length`, subqueries with an alias. Times are
 * integers (milliseconds since the epoch), flags are integers 0 and 1, bytes are blobs/bytea.
 */
import { AlreadyExistsError, LimitExceededError, NotFoundError } from '../errors.js'
import type { StoreEntity } from '../errors.js'
import type { RandomBytes } from '../ids.js'
import type { StoreLimits } from '../limits.js'
import type { MasterKey } from '../secret-box.js'

/** A value a statement binds. */
export type SqlValue = string | number | bigint | Uint8Array | null

/** What a statement that returns no rows reports. */
export interface SqlRunResult {
  /** How many rows it inserted, updated or deleted. */
  readonly changes: number
}

/** The named entities: their table and the column of their unique id. */
export const ENTITY_TABLES = {
  user: { table: 'users', id: 'user_id' },
  group: { table: 'groups', id: 'group_id' },
  role: { table: 'roles', id: 'role_id' },
  policy: { table: 'policies', id: 'policy_id' },
  instanceProfile: { table: 'instance_profiles', id: 'instance_profile_id' },
} as const

/** A kind of named entity. */
export type NamedKind = keyof typeof ENTITY_TABLES

/** A backend's connection within one transaction, and everything the operations need besides. */
export abstract class SqlContext {
  constructor(
    readonly clock: () => Date,
    readonly random: RandomBytes,
    readonly limits: StoreLimits,
    readonly masterKey: MasterKey,
  ) {}

  /** Every row of a query. */
  abstract all<Row>(sql: string, ...params: readonly SqlValue[]): Promise<Row[]>

  /** The first row of a query, if any. */
  abstract get<Row>(sql: string, ...params: readonly SqlValue[]): Promise<Row | undefined>

  /** Runs a statement that returns no rows. */
  abstract run(sql: string, ...params: readonly SqlValue[]): Promise<SqlRunResult>

  /**
   * Runs `fn` so that it changes all or nothing: a savepoint around it, rolled back if it throws.
   * This is what keeps a transaction usable after one of its calls failed.
   */
  abstract atomically<T>(fn: () => Promise<T>): Promise<T>

  /** Whether `err` is the database refusing a duplicate key. */
  abstract isUniqueViolation(err: unknown): boolean

  /** SQL for the decimal digits of the integer expression `expr`, zero-padded to `width`. */
  abstract zeroPad(expr: string, width: number): string

  /**
   * SQL for the text expression `expr` compared and ordered byte by byte, whatever the
   * database's locale: page markers compare sort keys, and must agree with the order.
   */
  abstract bytewise(expr: string): string

  /** The first column of the first row: a count or other single number (0 if no row). */
  async count(sql: string, ...params: readonly SqlValue[]): Promise<number> {
    const row = await this.get<Record<string, unknown>>(sql, ...params)
    if (row === undefined) return 0
    const value = Object.values(row)[0]
    return value === null || value === undefined ? 0 : Number(value)
  }

  /** Whether a query yields any row. */
  async exists(sql: string, ...params: readonly SqlValue[]): Promise<boolean> {
    return (await this.get(sql, ...params)) !== undefined
  }

  /**
   * LimitExceededError if `count` (taken after the write it guards, inside the same call) is
   * over the quota. The call's savepoint then undoes the write.
   */
  ensureWithin(quota: keyof StoreLimits, count: number): void {
    const limit = this.limits[quota]
    if (count > limit) throw new LimitExceededError(quota, limit)
  }

  /** Now, in milliseconds since the epoch. */
  now(): number {
    return this.clock().getTime()
  }

  /** NotFoundError unless the account exists. */
  async requireAccount(accountId: string): Promise<void> {
    if (!(await this.exists('SELECT 1 FROM accounts WHERE account_id = ?', accountId))) {
      throw new NotFoundError('account', accountId)
    }
  }

  /** The unique id of an entity named `name` (without case) in the account, or undefined. */
  async findId(kind: NamedKind, accountId: string, name: string): Promise<string | undefined> {
    const { table, id } = ENTITY_TABLES[kind]
    const row = await this.get<{ id: string }>(
      `SELECT ${id} AS id FROM ${table} WHERE account_id = ? AND name_key = lower(?)`,
      accountId,
      name,
    )
    return row?.id
  }

  /** The unique id of an entity named `name` (without case) in the account; NotFoundError if none. */
  async idOf(kind: NamedKind, accountId: string, name: string): Promise<string> {
    const id = await this.findId(kind, accountId, name)
    if (id === undefined) throw new NotFoundError(kind, name)
    return id
  }

  /**
   * Runs an insert or rename, turning the database's refusal of a duplicate name (its unique
   * index on the lower-cased name) into AlreadyExistsError.
   */
  async uniquely<T>(entity: StoreEntity, name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (this.isUniqueViolation(err)) throw new AlreadyExistsError(entity, name)
      throw err
    }
  }
}
