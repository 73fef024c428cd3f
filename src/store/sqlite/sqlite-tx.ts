/**
 * One transaction's StoreTx on SQLite: the SQL operations (built once per store), each call
 * beginning the transaction if need be and running a write atomically under a savepoint.
 */
import { newTransaction, transactionPrototype } from '../sql/transaction-prototype.js'
import type { CallState } from '../sql/transaction-prototype.js'
import type { StoreTx } from '../store.js'
import type { SqliteContext } from './context.js'

/** One transaction's state, shared by its StoreTx and the store that runs it. */
export interface SqliteTxState extends CallState {
  /** Whether BEGIN has run: it runs with the first call, so a call-less transaction is free. */
  begun: boolean
}

/** Makes a StoreTx for one transaction's state. */
export type SqliteTxFactory = (state: SqliteTxState) => StoreTx

type AnyOperation = (...args: unknown[]) => Promise<unknown>

/**
 * The StoreTx of every transaction of a store over `operations` (built once per store, not once
 * per transaction: a request's transaction then costs one small object).
 */
export function sqliteTxFactory(ctx: SqliteContext, operations: StoreTx): SqliteTxFactory {
  const byName = operations as unknown as Record<string, AnyOperation>
  const prototype = transactionPrototype<SqliteTxState>(
    Object.keys(byName),
    (state, name, writes, args) => {
      if (!state.begun) {
        // IMMEDIATE takes the write lock at once, so the transaction's reads and its quota
        // checks see one state that no other process can change before it commits. A
        // read-only one reads a snapshot (WAL) and locks out no one.
        ctx.runNow(state.readOnly ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE')
        state.begun = true
      }
      const operation = byName[name]
      if (operation === undefined) return Promise.reject(new Error(`no operation ${name}`))
      // Reads see one snapshot within the transaction: only calls that write need a savepoint.
      return writes ? ctx.atomically(() => operation(...args)) : operation(...args)
    },
  )
  return (state) => newTransaction(prototype, state)
}
