/**
 * What the SQLite operations share within one store: the connection with its prepared-statement
 * cache, the clock, the random source, the limits and the master key, and the lookups every
 * operation starts with (an entity's id from its account and name).
 */
import type { Database, RunResult, Statement } from 'better-sqlite3'
import { AlreadyExistsError, LimitExceededError, NotFoundError } from '../errors.js'
import type { StoreEntity } from '../errors.js'
import type { RandomBytes } from '../ids.js'
import type { StoreLimits } from '../limits.js'
import type { MasterKey } from '../secret-box.js'

/** A value SQLite binds. */
export type SqlValue = string | number | bigint | Uint8Array | null

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

/** The connection and everything the operations need besides it. */
export class SqliteContext {
  readonly #statements = new Map<string, Statement>()

  constructor(
    readonly db: Database,
    readonly clock: () => Date,
    readonly random: RandomBytes,
    readonly limits: StoreLimits,
    readonly masterKey: MasterKey,
  ) {}

  #prepare(sql: string, pluck = false): Statement {
    const cacheKey = pluck ? `pluck:${sql}` : sql
    let statement = this.#statements.get(cacheKey)
    if (statement === undefined) {
      statement = this.db.prepare(sql)
      if (pluck) statement.pluck()
      this.#statements.set(cacheKey, statement)
    }
    return statement
  }

  /** Every row of a query. */
  all<Row>(sql: string, ...params: readonly SqlValue[]): Row[] {
    return this.#prepare(sql).all(...params) as Row[]
  }

  /** The first row of a query, if any. */
  get<Row>(sql: string, ...params: readonly SqlValue[]): Row | undefined {
    return this.#prepare(sql).get(...params) as Row | undefined
  }

  /** The first column of the first row: a count or other single number (0 if no row). */
  count(sql: string, ...params: readonly SqlValue[]): number {
    const value = this.#prepare(sql, true).get(...params) as number | null | undefined
    return value ?? 0
  }

  /** Whether a query yields any row. */
  exists(sql: string, ...params: readonly SqlValue[]): boolean {
    return this.#prepare(sql).get(...params) !== undefined
  }

  /**
   * LimitExceededError if `count` (taken after the write it guards, inside the same call) is
   * over the quota. The call's savepoint then undoes the write.
   */
  ensureWithin(quota: keyof StoreLimits, count: number): void {
    const limit = this.limits[quota]
    if (count > limit) throw new LimitExceededError(quota, limit)
  }

  /** Runs a statement that returns no rows. */
  run(sql: string, ...params: readonly SqlValue[]): RunResult {
    return this.#prepare(sql).run(...params)
  }

  /** Now, in milliseconds since the epoch. */
  now(): number {
    return this.clock().getTime()
  }

  /**
   * Runs `fn` so that it changes all or nothing: a savepoint around it, rolled back if it throws.
   * This is what keeps a transaction usable after one of its calls failed.
   */
  atomically<T>(fn: () => T): T {
    this.#prepare('SAVEPOINT store_call').run()
    try {
      const result = fn()
      this.#prepare('RELEASE store_call').run()
      return result
    } catch (err) {
      this.#prepare('ROLLBACK TO store_call').run()
      this.#prepare('RELEASE store_call').run()
      throw err
    }
  }

  /** NotFoundError unless the account exists. */
  requireAccount(accountId: string): void {
    if (this.get('SELECT 1 FROM accounts WHERE account_id = ?', accountId) === undefined) {
      throw new NotFoundError('account', accountId)
    }
  }

  /** The unique id of an entity named `name` (without case) in the account, or undefined. */
  findId(kind: NamedKind, accountId: string, name: string): string | undefined {
    const { table, id } = ENTITY_TABLES[kind]
    const row = this.get<{ id: string }>(
      `SELECT ${id} AS id FROM ${table} WHERE account_id = ? AND name_key = lower(?)`,
      accountId,
      name,
    )
    return row?.id
  }

  /** The unique id of an entity named `name` (without case) in the account; NotFoundError if none. */
  idOf(kind: NamedKind, accountId: string, name: string): string {
    const id = this.findId(kind, accountId, name)
    if (id === undefined) throw new NotFoundError(kind, name)
    return id
  }

  /**
   * Runs an insert or rename, turning the database's refusal of a duplicate name (its unique
   * index on the lower-cased name) into AlreadyExistsError.
   */
  uniquely<T>(entity: StoreEntity, name: string, fn: () => T): T {
    try {
      return fn()
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExistsError(entity, name)
      throw err
    }
  }
}

/** Whether `err` is SQLite refusing a duplicate key. */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err)) return false
  return err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/** The synchronous form of a port interface: what each SQLite operation file implements. */
export type Sync<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never
}
