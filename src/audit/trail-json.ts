/**
 * Any value the request path holds (a result member, a JSON body's member) as CloudTrail writes
 * it: structures with their member names in lowerCamelCase, Dates in the service's format,
 * lists as arrays, maps as objects keyed by their own (unchanged) keys.
 */
import { defineMember } from './define-member.js'
import type { JsonValue } from './json-value.js'
import { lowerCamel } from './lower-camel.js'
import { trailDate } from './trail-date.js'

function isPlainRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
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
    const object: Record<string, JsonValue> = {}
    for (const [k, v] of value as Map<unknown, unknown>) {
      defineMember(object, String(k), trailJson(v, service))
    }
    return object
  }
  if (isPlainRecord(value)) {
    const object: Record<string, JsonValue> = {}
    for (const name of Object.keys(value)) {
      const member = value[name]
      if (member !== undefined) defineMember(object, lowerCamel(name), trailJson(member, service))
    }
    return object
  }
  // Functions and symbols: nothing a request or a result carries.
  return null
}
