/**
 * The audit trail's store port (src/store/trail-store.ts) over an array in memory: a real
 * implementation of the port, for the tests of what reads the trail (LookupEvents) without a
 * database. Same chain hash as every backend (chainHash), same order (eventTime, then sequence,
 * newest first), NextTokens bound to the query that returned them (TrailQueryError otherwise).
 */
import { createHash } from 'node:crypto'
import { GENESIS_HASH, chainHash } from '../../src/store/trail-hash.js'
import { TrailQueryError } from '../../src/store/trail-query-error.js'
import type {
  AccessJob,
  LastAccess,
  NewAccessJob,
  StoredTrailEvent,
  TrailEvent,
  TrailPage,
  TrailQuery,
  TrailStore,
} from '../../src/store/trail-store.js'

const DEFAULT_MAX_RESULTS = 50

/** Where a page ends: the last event's place in the order. */
interface Cursor {
  readonly time: number
  readonly sequence: number
}

/** What a NextToken is bound to: the query less its page. */
function fingerprint(query: TrailQuery): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        query.accountId,
        query.attribute?.key ?? null,
        query.attribute?.value ?? null,
        query.startTime?.getTime() ?? null,
        query.endTime?.getTime() ?? null,
      ]),
    )
    .digest('base64url')
}

function encodeToken(query: TrailQuery, cursor: Cursor): string {
  return Buffer.from(
    JSON.stringify({ q: fingerprint(query), t: cursor.time, s: cursor.sequence }),
  ).toString('base64url')
}

function decodeToken(query: TrailQuery, token: string): Cursor {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw new TrailQueryError('the NextToken is not one of this trail')
  }
  const { q, t, s } = (parsed ?? {}) as { q?: unknown; t?: unknown; s?: unknown }
  if (typeof q !== 'string' || typeof t !== 'number' || typeof s !== 'number') {
    throw new TrailQueryError('the NextToken is not one of this trail')
  }
  if (q !== fingerprint(query)) {
    throw new TrailQueryError('the NextToken was returned for other query parameters')
  }
  return { time: t, sequence: s }
}

function matches(event: StoredTrailEvent, query: TrailQuery): boolean {
  if (event.accountId !== query.accountId) return false
  const time = event.eventTime.getTime()
  if (query.startTime !== undefined && time < query.startTime.getTime()) return false
  if (query.endTime !== undefined && time > query.endTime.getTime()) return false
  const attribute = query.attribute
  if (attribute === undefined) return true
  const { value } = attribute
  switch (attribute.key) {
    case 'EventId':
      return event.eventId === value
    case 'EventName':
      return event.eventName === value
    case 'ReadOnly':
      return String(event.readOnly) === value
    case 'Username':
      return event.username === value
    case 'ResourceType':
      return event.resources.some((r) => r.type === value)
    case 'ResourceName':
      return event.resources.some((r) => r.name === value)
    case 'EventSource':
      return event.eventSource === value
    case 'AccessKeyId':
      return event.accessKeyId === value
  }
}

/** Newest first: by eventTime, then by sequence. */
function newestFirst(a: StoredTrailEvent, b: StoredTrailEvent): number {
  return b.eventTime.getTime() - a.eventTime.getTime() || b.sequence - a.sequence
}

/** A trail in memory. */
export class MemoryTrailStore implements TrailStore {
  readonly #events: StoredTrailEvent[] = []
  /** The newest attempt per account, entity and action. */
  readonly #access = new Map<string, LastAccess & { readonly accountId: string }>()
  readonly #jobs = new Map<string, AccessJob>()
  #closed = false

  #open(): void {
    if (this.#closed) throw new Error('the trail store is closed')
  }

  appendTrailEvents(events: readonly TrailEvent[]): Promise<readonly StoredTrailEvent[]> {
    this.#open()
    const stored: StoredTrailEvent[] = []
    for (const event of events) {
      const previous = this.#events.at(-1)?.hash ?? GENESIS_HASH
      const entry: StoredTrailEvent = {
        ...event,
        resources: event.resources.map((r) => ({ ...r })),
        sequence: this.#events.length + 1,
        hash: chainHash(previous, event.record),
      }
      this.#events.push(entry)
      stored.push(entry)
      const access = event.access
      if (access !== undefined && event.accountId !== null) {
        const key = JSON.stringify([
          event.accountId,
          access.entityId,
          access.service,
          access.action,
        ])
        const seen = this.#access.get(key)
        if (seen === undefined || event.eventTime.getTime() >= seen.time.getTime()) {
          this.#access.set(key, {
            accountId: event.accountId,
            entityId: access.entityId,
            service: access.service,
            action: access.action,
            time: event.eventTime,
            region: access.region,
          })
        }
      }
    }
    return Promise.resolve(stored)
  }

  lookupTrailEvents(query: TrailQuery): Promise<TrailPage> {
    this.#open()
    const after = query.nextToken === undefined ? undefined : decodeToken(query, query.nextToken)
    const limit = query.maxResults ?? DEFAULT_MAX_RESULTS
    const found = this.#events
      .filter((e) => matches(e, query))
      .sort(newestFirst)
      .filter(
        (e) =>
          after === undefined ||
          e.eventTime.getTime() < after.time ||
          (e.eventTime.getTime() === after.time && e.sequence < after.sequence),
      )
    const events = found.slice(0, limit)
    const last = events.at(-1)
    const nextToken =
      found.length > limit && last !== undefined
        ? encodeToken(query, { time: last.eventTime.getTime(), sequence: last.sequence })
        : null
    return Promise.resolve({ events, nextToken })
  }

  readTrailEvents(after: number, limit: number): Promise<readonly StoredTrailEvent[]> {
    this.#open()
    return Promise.resolve(this.#events.filter((e) => e.sequence > after).slice(0, limit))
  }

  lastAccess(accountId: string, entityIds: readonly string[]): Promise<readonly LastAccess[]> {
    this.#open()
    const wanted = new Set(entityIds)
    const found = [...this.#access.values()]
      .filter((a) => a.accountId === accountId && wanted.has(a.entityId))
      .map(({ entityId, service, action, time, region }) => ({
        entityId,
        service,
        action,
        time,
        region,
      }))
    return Promise.resolve(found)
  }

  createAccessJob(job: NewAccessJob): Promise<void> {
    this.#open()
    if (this.#jobs.has(job.jobId)) throw new Error(`job ${job.jobId} exists`)
    this.#jobs.set(job.jobId, { ...job, status: 'IN_PROGRESS', completedAt: null, result: null })
    return Promise.resolve()
  }

  finishAccessJob(
    jobId: string,
    outcome: { status: 'COMPLETED' | 'FAILED'; result: string; completedAt: Date },
  ): Promise<boolean> {
    this.#open()
    const job = this.#jobs.get(jobId)
    if (job === undefined || job.status !== 'IN_PROGRESS') return Promise.resolve(false)
    this.#jobs.set(jobId, { ...job, ...outcome })
    return Promise.resolve(true)
  }

  getAccessJob(accountId: string, jobId: string): Promise<AccessJob | null> {
    this.#open()
    const job = this.#jobs.get(jobId)
    return Promise.resolve(job !== undefined && job.accountId === accountId ? job : null)
  }

  close(): Promise<void> {
    this.#closed = true
    return Promise.resolve()
  }
}
