/**
 * Marker/MaxItems pagination over any query that yields a `sort_key` column unique within the
 * list: a page is the rows whose key follows the marker's, in key order, and the marker handed
 * out is the last returned row's key. A page after a deleted row still continues where it was.
 */
import { DEFAULT_MAX_ITEMS } from '../store.js'
import type { Page, PageRequest } from '../store.js'
import type { SqlContext, SqlValue } from './sql-context.js'
import { LIMIT_PARAM } from './limit-param.js'

/** Markers are the sort key in base64url: opaque to clients, printable as AWS requires. */
function encodeMarker(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url')
}

function decodeMarker(marker: string): string {
  return Buffer.from(marker, 'base64url').toString('utf8')
}

/** The page size asked for, or AWS's default; RangeError for anything but a positive integer. */
export function pageSize(request: PageRequest | undefined): number {
  const maxItems = request?.maxItems ?? DEFAULT_MAX_ITEMS
  if (!Number.isSafeInteger(maxItems) || maxItems < 1) {
    throw new RangeError(`maxItems must be a positive integer, not ${maxItems}`)
  }
  return maxItems
}

/**
 * One page of `select` (which must yield a text column `sort_key`), mapped by `map`.
 * `select` may use `?` parameters, given in `params`.
 */
export async function paginate<Row extends { sort_key: string }, T>(
  ctx: SqlContext,
  select: string,
  params: readonly SqlValue[],
  request: PageRequest | undefined,
  map: (row: Row) => T | Promise<T>,
): Promise<Page<T>> {
  const maxItems = pageSize(request)
  const after = request?.marker === undefined ? '' : decodeMarker(request.marker)
  const rows = await ctx.all<Row>(
    `SELECT * FROM (${select}) AS page WHERE ${ctx.bytewise('sort_key')} > ?
     ORDER BY ${ctx.bytewise('sort_key')} ${LIMIT_PARAM}`,
    ...params,
    after,
    maxItems + 1,
  )
  const truncated = rows.length > maxItems
  const pageRows = truncated ? rows.slice(0, maxItems) : rows
  const last = pageRows[pageRows.length - 1]
  // One row after another: a mapping that reads more (an instance profile's roles) then asks
  // one connection one thing at a time.
  const items: T[] = []
  for (const row of pageRows) items.push(await map(row))
  return {
    items,
    marker: truncated && last !== undefined ? encodeMarker(last.sort_key) : null,
  }
}

/** A `path` filter for PathPrefix: the SQL condition and its parameters (none without a prefix). */
export function pathPrefixFilter(
  column: string,
  pathPrefix: string | undefined,
): { sql: string; params: SqlValue[] } {
  if (pathPrefix === undefined) return { sql: '', params: [] }
  // substr, not LIKE: `_` and `%` are ordinary characters in a path.
  return { sql: ` AND substr(${column}, 1, length(?)) = ?`, params: [pathPrefix, pathPrefix] }
}
