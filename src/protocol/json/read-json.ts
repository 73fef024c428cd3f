/**
 * Reading an operation's input members by their model types. A member of the wrong JSON type is
 * a SerializationException, worded as AWS's JSON services word it ("NUMBER_VALUE can not be
 * converted to a String", "Start of list found where not expected"); a null member is an absent
 * one (Smithy: null and absent are the same for a structure member). What each service then
 * checks of the values (ranges, enums) is that service's own error.
 */
import type { JsonObject, JsonValue } from './decode-json.js'
import { jsonProtocolError } from './json-service-error.js'
import type { JsonServiceError } from './json-service-error.js'

function found(value: JsonValue): string {
  if (Array.isArray(value)) return 'Start of list'
  if (typeof value === 'string') return 'STRING_VALUE'
  if (typeof value === 'number') return 'NUMBER_VALUE'
  if (value === true) return 'TRUE_VALUE'
  if (value === false) return 'FALSE_VALUE'
  return 'Start of structure or map'
}

function mismatch(value: JsonValue, type: string): JsonServiceError {
  const what = found(value)
  return jsonProtocolError(
    'SerializationException',
    what.startsWith('Start of')
      ? `${what} found where not expected.`
      : `${what} can not be converted to ${type}`,
  )
}

/** A string member, or undefined when absent. */
export function readString(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw mismatch(value, 'a String')
  return value
}

/** An integer member, or undefined when absent. */
export function readInteger(value: JsonValue | undefined): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value)) throw mismatch(value, 'an Integer')
  return value
}

/**
 * A timestamp member (epoch seconds, a JSON number, fractions allowed), or undefined when absent.
 * A number beyond the range of Date gives an invalid Date, for the service to refuse in its own
 * words.
 */
export function readTimestamp(value: JsonValue | undefined): Date | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number') throw mismatch(value, 'a Timestamp')
  return new Date(Math.round(value * 1000))
}

/** A list member, or undefined when absent. */
export function readList(value: JsonValue | undefined): readonly JsonValue[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) throw mismatch(value, 'a List')
  return value as readonly JsonValue[]
}

/** A structure member (or a list's structure item), or undefined when absent. */
export function readStructure(value: JsonValue | undefined): JsonObject | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(value, 'a Structure')
  return value as JsonObject
}
