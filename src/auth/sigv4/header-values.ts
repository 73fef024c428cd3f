/** Reading a header the way SigV4 does: every occurrence, in the order received. */
import type { HeaderEntry } from './signed-request.js'

/** The values of every header line whose name, lower-cased, is `lowerName`, in order received. */
export function headerValues(headers: readonly HeaderEntry[], lowerName: string): string[] {
  const values: string[] = []
  for (const [name, value] of headers) {
    if (name.toLowerCase() === lowerName) values.push(value)
  }
  return values
}
