/**
 * The members of the JSON objects a record is built of, set one by one: faster on the request
 * path than collecting entries for Object.fromEntries (an array per member and per object), with
 * the same result.
 */
import type { JsonValue } from './json-value.js'

/**
 * Sets `name` on `object` as Object.fromEntries does (an own member, last value in the first
 * place): a plain assignment would do the same, but for a member named `__proto__` (a request
 * may name one) it would set the object's prototype instead.
 */
export function defineMember(
  object: Record<string, JsonValue>,
  name: string,
  value: JsonValue,
): void {
  if (name === '__proto__') {
    Object.defineProperty(object, name, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    })
  } else {
    object[name] = value
  }
}
