/**
 * The StoreTx of the SQL backends: one prototype per store whose methods (one per operation)
 * refuse calls once the transaction has ended and writes in a read-only one, run the calls one
 * at a time, and note the writes the change feed must report. What a call does (begin the
 * transaction, run the operation under a savepoint) is the backend's `runCall`.
 */
import type { StoreTx } from '../store.js'
import { operationChangesCachedData, operationReadsOnly } from './sql-operations.js'

/** What every SQL backend's transaction state holds. */
export interface CallState {
  /** False once the transaction has ended: every call then fails. */
  open: boolean
  /** A read-only transaction: writes are refused. */
  readonly readOnly: boolean
  /** Whether a call that may have written has succeeded: what the change feed reports. */
  wrote: boolean
  /** The calls made so far, settled or not: the next call starts after them. */
  queue: Promise<unknown>
}

/** Runs the operation `name` of a transaction, beginning the transaction if need be. */
export type RunCall<S extends CallState> = (
  state: S,
  name: string,
  writes: boolean,
  args: unknown[],
) => Promise<unknown>

/** The prototype of a store's transactions: build it once, then newTransaction per transaction. */
export function transactionPrototype<S extends CallState>(
  names: readonly string[],
  runCall: RunCall<S>,
): object {
  const prototype: Record<string, (this: { state: S }, ...args: unknown[]) => unknown> = {}
  for (const name of names) {
    const writes = !operationReadsOnly(name)
    const changes = writes && operationChangesCachedData(name)
    const call = async (state: S, args: unknown[]): Promise<unknown> => {
      if (!state.open) throw new Error(`${name} called after its transaction ended`)
      const result = await runCall(state, name, writes, args)
      if (changes) state.wrote = true
      return result
    }
    prototype[name] = function (this: { state: S }, ...args: unknown[]) {
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
  return prototype
}

/** A transaction's StoreTx: the prototype's methods over its state. */
export function newTransaction<S extends CallState>(prototype: object, state: S): StoreTx {
  const tx = Object.create(prototype) as { state: S }
  tx.state = state
  // Each method of the prototype is an operation of StoreTx, returning a promise of its result.
  return tx as unknown as StoreTx
}
