/**
 * One transaction's StoreTx on SQLite: the SQL operations (built once per store), each call
 * beginning the transaction if need be and running a write atomically under a savepoint.
 */
import { newTransaction, transactionPrototype } from '../sql/transaction-prototype.js'
import type { CallState } from '../sql/transaction-prototype.js'
import type { StoreTx } from '../store.js'
import type { SqliteContext } from './context.js'

/**
 * How a transaction began, with its first call (a call-less transaction is free): not yet;
 * `read`, a read-only transaction of its own (BEGIN DEFERRED); `member`, a write transaction
 * under a savepoint of the store's open commit group (its BEGIN IMMEDIATE); `inside`, a
 * read-only transaction reading inside that group.
 */
export type SqliteTxBegun = 'no' | 'read' | 'member' | 'inside'

/** One transaction's state, shared by its StoreTx and the store that runs it. */
export interface SqliteTxState extends CallState {
  begun: SqliteTxBegun
}

/** Makes a StoreTx for one transaction's state. */
export type SqliteTxFactory = (state: SqliteTxState) => StoreTx

type AnyOperation = (...args: unknown[]) => Promise<unknown>

/**
 * The StoreTx of every transaction of a store over `operations` (built once per store, not once
 * per transaction: a request's transaction then costs one small object). `begin` begins a
 * transaction at its first call (the store's: it knows whether a commit group is open), and
 * returns a promise when it must wait for another process's write lock.
 */
export function sqliteTxFactory(
  ctx: SqliteContext,
  operations: StoreTx,
  begin: (state: SqliteTxState) => Promise<void> | undefined,
): SqliteTxFactory {
  const byName = operations as unknown as Record<string, AnyOperation>
  const prototype = transactionPrototype<SqliteTxState>(
    Object.keys(byName),
    (state, name, writes, args) => {
      const operation = byName[name]
      if (operation === undefined) return Promise.reject(new Error(`no operation ${name}`))
      // Reads see one snapshot within the transaction: only calls that write need a savepoint.
      const call = () => (writes ? ctx.atomically(() => operation(...args)) : operation(...args))
      if (state.begun !== 'no') return call()
      const begun = begin(state)
      if (begun === undefined) return call()
      // The transaction may have failed while this call waited to begin it: its savepoint is
      // then undone, and the call must not write after it.
      return begun.then(() => {
        if (!state.open) throw new Error(`${name} called after its transaction ended`)
        return call()
      })
    },
  )
  return (state) => newTransaction(prototype, state)
}
