/**
 * What the trail conformance cases share: events made to order, a chain checker that computes
 * the hash from its definition (not through the code under test), and page walking.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { StoredTrailEvent, TrailEvent, TrailQuery, TrailStore } from '../../trail-store.js'

/** The account most events belong to. */
export const TRAIL_ACCOUNT = '111122223333'
/** Another account, whose events a lookup for TRAIL_ACCOUNT must never see. */
export const OTHER_TRAIL_ACCOUNT = '444455556666'
/** The time of event 0; event n is n seconds later unless a case says otherwise. */
export const TRAIL_START = new Date('2026-01-01T00:00:00.000Z')

/** What a case gets: a new, empty trail store, closed after the case. */
export interface TrailCaseContext {
  readonly store: TrailStore
}

/** Registers one case. */
export type DefineTrailCase = (name: string, fn: (c: TrailCaseContext) => Promise<void>) => void

/** A named group of cases. */
export interface TrailCaseGroup {
  readonly name: string
  readonly cases: (test: DefineTrailCase) => void
}

/** The eventID of event `n` (a GUID, as CloudTrail's are). */
export function eventIdOf(n: number): string {
  return `6f1c2a3b-0000-4000-8000-${String(n).padStart(12, '0')}`
}

/**
 * Event `n`: GetUser by alice in TRAIL_ACCOUNT at TRAIL_START + n seconds, with a record that
 * names its eventID; `fields` overrides any of it.
 */
export function trailEvent(n: number, fields: Partial<TrailEvent> = {}): TrailEvent {
  const event: Omit<TrailEvent, 'record'> = {
    eventId: eventIdOf(n),
    eventTime: new Date(TRAIL_START.getTime() + n * 1000),
    eventName: 'GetUser',
    eventSource: 'iam.amazonaws.com',
    readOnly: true,
    username: 'alice',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    resources: [],
    accountId: TRAIL_ACCOUNT,
    ...fields,
  }
  const record =
    fields.record ??
    JSON.stringify({
      eventVersion: '1.08',
      eventID: event.eventId,
      eventTime: event.eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: event.eventSource,
      eventName: event.eventName,
      readOnly: event.readOnly,
      recipientAccountId: event.accountId,
    })
  return { ...event, record }
}

/** Appends events 0..count-1 (as trailEvent makes them), one append call. */
export function appendNumbered(
  store: TrailStore,
  count: number,
  fields: (n: number) => Partial<TrailEvent> = () => ({}),
): Promise<readonly StoredTrailEvent[]> {
  return store.appendTrailEvents(Array.from({ length: count }, (_, n) => trailEvent(n, fields(n))))
}

/**
 * Asserts that `events` are the whole trail from its start: sequences 1, 2, 3... and each hash
 * the hex SHA-256 of the previous hash, a newline and the record, from 64 zeros.
 */
export function assertChain(events: readonly StoredTrailEvent[]): void {
  let previous = '0'.repeat(64)
  events.forEach((event, index) => {
    assert.equal(event.sequence, index + 1, `the sequence of event ${index}`)
    const expected = createHash('sha256').update(`${previous}\n${event.record}`).digest('hex')
    assert.equal(event.hash, expected, `the hash of event ${event.sequence}`)
    previous = event.hash
  })
}

/** The whole trail, in order of sequence, read in pages of `pageSize`. */
export async function readWholeTrail(
  store: TrailStore,
  pageSize = 1000,
): Promise<StoredTrailEvent[]> {
  const events: StoredTrailEvent[] = []
  for (;;) {
    const page = await store.readTrailEvents(events.length, pageSize)
    events.push(...page)
    if (page.length < pageSize) return events
  }
}

/** Every page of a lookup: the eventIDs in order, and each page's size. */
export async function lookupAllPages(
  store: TrailStore,
  query: Omit<TrailQuery, 'nextToken'>,
): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = []
  const pages: number[] = []
  let nextToken: string | undefined
  for (;;) {
    const page = await store.lookupTrailEvents({
      ...query,
      ...(nextToken === undefined ? {} : { nextToken }),
    })
    ids.push(...page.events.map((event) => event.eventId))
    pages.push(page.events.length)
    if (page.nextToken === null) return { ids, pages }
    assert.ok(pages.length < 10_000, 'pagination does not end')
    nextToken = page.nextToken
  }
}

/** The eventIDs of events numbered `ns`. */
export function idsOf(...ns: readonly number[]): string[] {
  return ns.map(eventIdOf)
}
