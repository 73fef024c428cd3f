/**
 * LookupEvents on the SQLite trail: the SQL for one page of a query, and the NextToken that
 * carries a page's end to the next call. Pages are in the trail's lookup order, newest first
 * (event_time desc, then sequence desc); a token names the last event returned, so a page
 * continues right after it however many events were appended since.
 */
import { createHash } from 'node:crypto'
import { TrailQueryError } from '../trail-query-error.js'
import type { TrailQuery } from '../trail-store.js'
import type { SqlValue } from '../sql/sql-context.js'
import { LIMIT_PARAM } from '../sql/limit-param.js'

/** LookupEvents' page size when MaxResults is absent, and its largest. */
export const DEFAULT_TRAIL_RESULTS = 50
const MAX_TRAIL_RESULTS = 50

/** Where a page ended: the last event returned, in lookup order. */
export interface TrailPosition {
  readonly time: number
  readonly sequence: number
}

/** One page's query: SQL yielding trail_events rows, and its parameters. */
export interface LookupStatement {
  readonly sql: string
  readonly params: readonly SqlValue[]
}

type AttributeKey = NonNullable<TrailQuery['attribute']>['key']

/**
 * trail_lookup_event_id is ordered by generation first, `sequence >> 13`, exactly as in
 * trail-migrations/006-event-id-generations.sql (an index on an expression serves only a query
 * with the same expression).
 */
const GENERATION_BITS = 13

/** Attributes that are columns of trail_lookup (each with an index behind account_id). */
const EVENT_COLUMNS: Partial<Record<AttributeKey, string>> = {
  EventName: 'event_name',
  ReadOnly: 'read_only',
  Username: 'username',
  EventSource: 'event_source',
  AccessKeyId: 'access_key_id',
}

/** Attributes matched against any of an event's resources (trail_event_resources). */
const RESOURCE_COLUMNS: Partial<Record<AttributeKey, string>> = {
  ResourceType: 'type',
  ResourceName: 'name',
}

/** The page size a query asks for; RangeError outside LookupEvents' 1 to 50. */
export function trailPageSize(query: TrailQuery): number {
  const size = query.maxResults ?? DEFAULT_TRAIL_RESULTS
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_TRAIL_RESULTS) {
    throw new RangeError(
      `maxResults must be an integer from 1 to ${MAX_TRAIL_RESULTS}, not ${size}`,
    )
  }
  return size
}

/** ReadOnly's value as stored; a value other than `true`/`false` matches no event. */
function readOnlyValue(value: string): number {
  if (value === 'true') return 1
  if (value === 'false') return 0
  return -1
}

/**
 * The conditions every page shares: time bounds and the previous page's end, on the columns of
 * the table aliased `table` (none: unqualified).
 */
function rangeConditions(
  query: TrailQuery,
  after: TrailPosition | undefined,
  table = '',
): { sql: string; params: SqlValue[] } {
  const time = `${table}event_time`
  let sql = ''
  const params: SqlValue[] = []
  if (query.startTime !== undefined) {
    sql += ` AND ${time} >= ?`
    params.push(query.startTime.getTime())
  }
  if (query.endTime !== undefined) {
    sql += ` AND ${time} <= ?`
    params.push(query.endTime.getTime())
  }
  if (after !== undefined) {
    // The first term bounds the index range; the second orders events of the same millisecond.
    sql += ` AND ${time} <= ? AND (${time} < ? OR ${table}sequence < ?)`
    params.push(after.time, after.time, after.sequence)
  }
  return { sql, params }
}

/**
 * EventId's page: the event id sought in each generation of trail_lookup_event_id in turn (one
 * seek each), the few matches sorted into lookup order.
 */
function eventIdStatement(
  query: TrailQuery,
  eventId: string,
  after: TrailPosition | undefined,
  limit: number,
): LookupStatement {
  const range = rangeConditions(query, after, 'l.')
  return {
    sql: `WITH RECURSIVE generation (n) AS (
        SELECT 0 UNION ALL SELECT n + 1 FROM generation
        WHERE n < (SELECT max(sequence) >> ${GENERATION_BITS} FROM trail_lookup)
      )
      SELECT e.* FROM generation
        CROSS JOIN trail_lookup AS l INDEXED BY trail_lookup_event_id
        CROSS JOIN trail_events AS e
      WHERE (l.sequence >> ${GENERATION_BITS}) = generation.n AND l.event_id = ? AND l.account_id = ?
        AND e.sequence = l.sequence${range.sql}
      ORDER BY l.event_time DESC, l.sequence DESC ${LIMIT_PARAM}`,
    params: [eventId, query.accountId, ...range.params, limit],
  }
}

/** The SQL for at most `limit` events of a query after `after`, in lookup order. */
export function lookupStatement(
  query: TrailQuery,
  after: TrailPosition | undefined,
  limit: number,
): LookupStatement {
  const key = query.attribute?.key
  if (key === 'EventId' && query.attribute !== undefined) {
    return eventIdStatement(query, query.attribute.value, after, limit)
  }
  const range = rangeConditions(query, after)
  const order = 'ORDER BY event_time DESC, sequence DESC'
  const resourceColumn = key === undefined ? undefined : RESOURCE_COLUMNS[key]
  if (resourceColumn !== undefined && query.attribute !== undefined) {
    // DISTINCT: an event naming two resources of one type is still one event.
    return {
      sql: `SELECT e.* FROM (
          SELECT DISTINCT event_time, sequence
          FROM trail_event_resources INDEXED BY trail_event_resources_${resourceColumn}
          WHERE account_id = ? AND ${resourceColumn} = ?${range.sql}
          ${order} ${LIMIT_PARAM}
        ) AS r JOIN trail_events AS e ON e.sequence = r.sequence
        ORDER BY e.event_time DESC, e.sequence DESC`,
      params: [query.accountId, query.attribute.value, ...range.params, limit],
    }
  }
  let index = 'trail_lookup_time'
  let attributeSql = ''
  const params: SqlValue[] = [query.accountId]
  if (key !== undefined && query.attribute !== undefined) {
    const column = EVENT_COLUMNS[key]
    if (column === undefined) throw new RangeError(`unknown lookup attribute: ${key}`)
    index = `trail_lookup_${column}`
    attributeSql = ` AND ${column} = ?`
    params.push(key === 'ReadOnly' ? readOnlyValue(query.attribute.value) : query.attribute.value)
  }
  // INDEXED BY: without statistics the planner may prefer the time index for a wide time range
  // and then filter a whole account's events by the attribute; the attribute's own index walks
  // only its matches, already in order. The page is found in trail_lookup, then its records read.
  return {
    sql: `SELECT e.* FROM (
        SELECT event_time, sequence FROM trail_lookup INDEXED BY ${index}
        WHERE account_id = ?${attributeSql}${range.sql} ${order} ${LIMIT_PARAM}
      ) AS l JOIN trail_events AS e ON e.sequence = l.sequence
      ORDER BY e.event_time DESC, e.sequence DESC`,
    params: [...params, ...range.params, limit],
  }
}

/**
 * What ties a token to its query: a digest of every parameter but the page size (which a client
 * may change from page to page), so a token used with other parameters is refused, not misread.
 */
function queryBinding(query: TrailQuery): string {
  const parameters = [
    query.accountId,
    query.attribute?.key ?? null,
    query.attribute?.value ?? null,
    query.startTime?.getTime() ?? null,
    query.endTime?.getTime() ?? null,
  ]
  return createHash('sha256').update(JSON.stringify(parameters)).digest('base64url').slice(0, 22)
}

/** The NextToken for the page of `query` that ended at `position`. */
export function encodeTrailToken(query: TrailQuery, position: TrailPosition): string {
  const body = { t: position.time, s: position.sequence, q: queryBinding(query) }
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url')
}

function isPosition(value: unknown): value is { t: number; s: number; q: string } {
  if (typeof value !== 'object' || value === null) return false
  const { t, s, q } = value as Record<string, unknown>
  return Number.isSafeInteger(t) && Number.isSafeInteger(s) && typeof q === 'string'
}

/** Where the page before ended; TrailQueryError for a token not issued for this same query. */
export function decodeTrailToken(query: TrailQuery, token: string): TrailPosition {
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw new TrailQueryError('the next token is not one this trail issued')
  }
  if (!isPosition(body)) throw new TrailQueryError('the next token is not one this trail issued')
  if (body.q !== queryBinding(query)) {
    throw new TrailQueryError('the next token was issued for other query parameters')
  }
  return { time: body.t, sequence: body.s }
}
