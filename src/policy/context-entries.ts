/**
 * The policy simulator's ContextEntries as request context values: each key's values read by
 * its ContextKeyType (string, numeric, boolean, date, ip or binary; a `List` type is a
 * multivalued key, the others single-valued). A value that is not of its type is refused, so
 * that a typo in a simulation does not quietly decide it.
 *
 * Pure.
 */
import { parseDateValue } from './conditions/date-value.js'
import { parseCidr } from './conditions/ip-address.js'
import { parseDecimal } from './conditions/numeric-matcher.js'
import type { ContextValue } from './request-context.js'

/** ContextKeyTypeEnum. */
export const CONTEXT_KEY_TYPES = [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
] as const

/** A ContextKeyType. */
export type ContextKeyType = (typeof CONTEXT_KEY_TYPES)[number]

/** One ContextEntry as the request gives it. */
export interface ContextEntry {
  readonly name?: string | undefined
  readonly values?: readonly string[] | undefined
  readonly type?: ContextKeyType | undefined
}

/** An entry that cannot be read; its message is for InvalidInput. */
export class ContextEntryError extends Error {
  override readonly name = 'ContextEntryError'
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Whether `value` reads as a value of the base type `base`. */
function fits(base: string, value: string): boolean {
  switch (base) {
    case 'numeric':
      return !Number.isNaN(parseDecimal(value))
    case 'boolean':
      return /^(?:true|false)$/i.test(value)
    case 'date':
      return !Number.isNaN(parseDateValue(value))
    case 'ip':
      // An address, or a block (`address/prefix`).
      return parseCidr(value) !== null
    case 'binary':
      return BASE64.test(value)
    default:
      return true
  }
}

/** The context values of `entries`, by key name as given (a later entry for a key wins). */
export function contextFromEntries(entries: readonly ContextEntry[]): Record<string, ContextValue> {
  // No prototype: a key named `__proto__` is a key like any other.
  const values = Object.create(null) as Record<string, ContextValue>
  for (const entry of entries) {
    // Invented message: AWS's wording for an entry without a key name is not documented.
    if (entry.name === undefined) throw new ContextEntryError('ContextKeyName is required.')
    const given = entry.values ?? []
    // Without a type, one value is a single-valued key and several a multivalued one.
    const type = entry.type ?? (given.length === 1 ? 'string' : 'stringList')
    const list = type.endsWith('List')
    const base = list ? type.slice(0, -'List'.length) : type
    if (!list && given.length !== 1) {
      // Invented message: AWS's wording is not documented.
      throw new ContextEntryError(
        `Context key ${entry.name} of type ${type} takes exactly one value, not ${given.length}.`,
      )
    }
    for (const value of given) {
      if (!fits(base, value)) {
        // Invented message: AWS's wording is not documented.
        throw new ContextEntryError(
          `Value ${value} of context key ${entry.name} is not of type ${type}.`,
        )
      }
    }
    values[entry.name] = list ? given : (given[0] ?? '')
  }
  return values
}
