/**
 * One transaction's StoreTx on SQLite: the SQL operations, each wrapped so that it begins the
 * transaction, runs atomically under a savepoint, and refuses to run once its transaction has
 * ended.
 */
import { operationChangesCachedData, operationReadsOnly } from '../sql/sql-operations.js'
import type { StoreTx } from '../store.js'
import type { SqliteContext } from './context.js'

/** One transaction's state, shared by its StoreTx and the store that runs it. */
export interface SqliteTxState {
  /** False once the transaction has ended: every call then fails. */
  open: boolean
  /** Whether BEGIN has run: it runs with the first call, so a call-less transaction is free. */
  begun: boolean
  /** Whether a call that may have written has succeeded: what the change feed reports. */
  wrote: boolean
  /** A read-only transaction: BEGIN DEFERRED, and writes refused. */
  readonly readOnly: boolean
  /** The calls made so far, settled or not: the next call starts after them. */
  queue: Promise<unknown>
}

/** Makes a StoreTx for one transaction's state. */
export type SqliteTxFactory = (state: SqliteTxState) => StoreTx

type AnyOperation = (...args: unknown[]) => Promise<unknown>

/**
 * The StoreTx of every transaction of a store: one prototype whose methods wrap `operations`
 * (built once per store, not once per transaction: a request's transaction then costs one small
 * object), beginning the transaction with the first call, running writes atomically under a
 * savepoint, one call at a time, and refusing to run once the transaction has ended.
 */
export function sqliteTxFactory(ctx: SqliteContext, operations: StoreTx): SqliteTxFactory {
  const prototype: Record<string, (this: { state: SqliteTxState }, ...args: unknown[]) => unknown> =
    {}
  for (const [name, operation] of Object.entries(operations) as [string, AnyOperation][]) {
    const writes = !operationReadsOnly(name)
    const changes = writes && operationChangesCachedData(name)
    const call = async (state: SqliteTxState, args: unknown[]): Promise<unknown> => {
      if (!state.open) throw new Error(`${name} called after its transaction ended`)
      if (!state.begun) {
        // IMMEDIATE takes the write lock at once, so the transaction's reads and its quota
        // checks see one state that no other process can change before it commits. A
        // read-only one reads a snapshot (WAL) and locks out no one.
        ctx.runNow(state.readOnly ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE')
        state.begun = true
      }
      // Reads see one snapshot within the transaction: only calls that write need a savepoint.
      const result = writes
        ? await ctx.atomically(() => operation(...args))
        : await operation(...args)
      if (changes) state.wrote = true
      return result
    }
    prototype[name] = function (this: { state: SqliteTxState }, ...args: unknown[]) {
      const state = this.state
      if (!state.open) {
        return Promise.reject(new Error(`${name} called after its transaction ended`))
      }
      if (writes && state.readOnly) {
        return Promise.reject(new Error(`${name} called in a read-only transaction`))
      }
      // Calls made together (Promise.all) run one after another: each call's savepoint must
      // not interleave with another's statements.
      const result = state.queue.then(() => call(state, args))
      state.queue = result.catch(() => undefined)
      return result
    }
  }
  // Each key of `operations` is a key of StoreTx, and each method returns a promise of what the
  // operation returns.
  return (state) => {
    const tx = Object.create(prototype) as { state: SqliteTxState }
    tx.state = state
    return tx as unknown as StoreTx
  }
}
