/**
 * Any value the request path holds (a result member, a JSON body's member) as CloudTrail writes
 * it: structures with their member names in lowerCamelCase, Dates in the service's format,
 * lists as arrays, maps as objects keyed by their own (unchanged) keys.
 */
import type { JsonObject, JsonValue } from './json-value.js'
import { lowerCamel } from './lower-camel.js'
import { trailDate } from './trail-date.js'

function isPlainRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Entries into an object; Object.fromEntries defines `__proto__` as a plain member. */
function objectOf(entries: readonly (readonly [string, JsonValue])[]): JsonObject {
  return Object.fromEntries<JsonValue>(entries)
}

/**
 * The value in JSON. Undefined members are left out, as encodeXml leaves them out of the
 * response; what JSON cannot hold (a non-finite number, a bigint) is written as its text, so
 * that building a record never throws.
 */
export function trailJson(value: unknown, service: string | undefined): JsonValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Date) return trailDate(value, service)
  if (Array.isArray(value)) return value.map((item: unknown) => trailJson(item, service))
  if (value instanceof Map) {
    // A map's keys are data (tag keys, context keys), not member names: they stay as they are.
    return objectOf(
      [...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), trailJson(v, service)]),
    )
  }
  if (isPlainRecord(value)) {
    return objectOf(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([name, member]) => [lowerCamel(name), trailJson(member, service)]),
    )
  }
  // Functions and symbols: nothing a request or a result carries.
  return null
}
