/**
 * The messages between ThreadedTrailStore and its worker thread, and errors across the thread
 * boundary: structured cloning keeps an Error's message but not its class, so the class the
 * port's callers tell apart (TrailQueryError, RangeError) is sent by name and rebuilt.
 */
import { TrailQueryError } from '../trail-query-error.js'
import type { LastAccessOptions, NewAccessJob, TrailEvent, TrailQuery } from '../trail-store.js'
import type { WrittenBatch } from './trail-journal.js'

/**
 * A journaled batch as it crosses to the trail's thread: its bytes (transferred), which the
 * thread decodes, rather than its events (structured cloning each of their members costs the
 * request path far more).
 */
export type JournaledLines = Omit<WrittenBatch, 'events'>

/** A call of the store, numbered so that its result finds its caller. */
export type TrailRequest =
  | { readonly id: number; readonly method: 'append'; readonly events: readonly TrailEvent[] }
  | { readonly id: number; readonly method: 'lookup'; readonly query: TrailQuery }
  | { readonly id: number; readonly method: 'read'; readonly after: number; readonly limit: number }
  | {
      readonly id: number
      readonly method: 'lastAccess'
      readonly accountId: string
      readonly entityIds: readonly string[]
      readonly options: LastAccessOptions
    }
  | { readonly id: number; readonly method: 'createAccessJob'; readonly job: NewAccessJob }
  | {
      readonly id: number
      readonly method: 'finishAccessJob'
      readonly jobId: string
      readonly outcome: {
        readonly status: 'COMPLETED' | 'FAILED'
        readonly result: string
        readonly completedAt: Date
      }
    }
  | {
      readonly id: number
      readonly method: 'getAccessJob'
      readonly accountId: string
      readonly jobId: string
    }
  | { readonly id: number; readonly method: 'appendJournaled'; readonly batch: JournaledLines }
  | { readonly id: number; readonly method: 'finishJournals'; readonly names: readonly string[] }
  | { readonly id: number; readonly method: 'close' }

/** An error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string
  readonly message: string
  /** SQLite's error code (SQLITE_BUSY...), if any. */
  readonly code?: string
}

/** What the worker sends: once ready (or failed), then one result per request. */
export type TrailReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly error: WireError }
  | { readonly kind: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly kind: 'result'; readonly id: number; readonly ok: false; readonly error: WireError }

/** An error thrown in the worker, as sent. */
export function toWireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) }
  const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined
  return { name: err.name, message: err.message, ...(code === undefined ? {} : { code }) }
}

/** The error to throw on the caller's side, of the class the worker threw where it matters. */
export function fromWireError(wire: WireError): Error {
  if (wire.name === 'TrailQueryError') return new TrailQueryError(wire.message)
  if (wire.name === 'RangeError') return new RangeError(wire.message)
  const err = new Error(wire.message)
  err.name = wire.name
  return wire.code === undefined ? err : Object.assign(err, { code: wire.code })
}
