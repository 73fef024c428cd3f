/**
 * The StoreTx of the SQL backends: one prototype per store whose methods (one per operation)
 * refuse calls once the transaction has ended and writes in a read-only one, run the calls one
 * at a time, and note the writes the change feed must report. What a call does (begin the
 * transaction, run the operation under a savepoint) is the backend's `runCall`.
 */
import type { StoreChangeKind, StoreTx } from '../store.js'
import {
  operationChangeKind,
  operationChangesCachedData,
  operationReadsOnly,
} from './sql-operations.js'

/** What every SQL backend's transaction state holds. */
export interface CallState {
  /** False once the transaction has ended: every call then fails. */
  open: boolean
  /** A read-only transaction: writes are refused. */
  readonly readOnly: boolean
  /**
   * What the change feed reports of the calls that may have written and succeeded: undefined
   * before the first (nothing to report), their kind (StoreChange.only) while every one was of
   * it, 'any' once one was of no kind or of another.
   */
  changed: StoreChangeKind | 'any' | undefined
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

/**
 * The prototype of a store's transactions, as the constructor whose instances share it: build it
 * once, then newTransaction per transaction.
 */
export type TransactionPrototype<S extends CallState> = new (state: S) => StoreTx

/** Builds the prototype of a store's transactions. */
export function transactionPrototype<S extends CallState>(
  names: readonly string[],
  runCall: RunCall<S>,
): TransactionPrototype<S> {
  const prototype: Record<string, (this: { state: S }, ...args: unknown[]) => unknown> = {}
  for (const name of names) {
    const writes = !operationReadsOnly(name)
    const changes = writes && operationChangesCachedData(name)
    const kind = operationChangeKind(name) ?? 'any'
    const call = async (state: S, args: unknown[]): Promise<unknown> => {
      if (!state.open) throw new Error(`${name} called after its transaction ended`)
      const result = await runCall(state, name, writes, args)
      if (changes) {
        const before = state.changed
        state.changed = before === undefined || before === kind ? kind : 'any'
      }
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
  // A constructor rather than Object.create(prototype) and an assignment: under load the
  // objects Object.create made of this prototype (one per request) lasted, with what they held,
  // into V8's old generation (--trace-gc-nvp under `npm run bench:api`); a constructor's do not.
  function Transaction(this: { state: S }, state: S): void {
    this.state = state
  }
  Transaction.prototype = prototype
  // Each method of the prototype is an operation of StoreTx, returning a promise of its result.
  return Transaction as unknown as TransactionPrototype<S>
}

/** What the change feed reports of a transaction that wrote and committed: StoreChange.only. */
export function committedChangeKind(state: CallState): StoreChangeKind | undefined {
  const kind = state.changed
  return kind === 'any' ? undefined : kind
}

/** A transaction's StoreTx: the prototype's methods over its state. */
export function newTransaction<S extends CallState>(
  prototype: TransactionPrototype<S>,
  state: S,
): StoreTx {
  return new prototype(state)
}
