/**
 * The date check of IAM's older "legacy" parser, which every Date condition value must pass
 * before a policy is accepted. It is not the reading evaluation uses (conditions/date-value.ts):
 * each accepts values the other refuses.
 */
import { cut } from './cut.js'

const INTEGER = /^[+-]?\d+$/
const MAX_LONG = 9223372036854775807n

/** The legacy parser's date check: epoch seconds within a Java long, or a loose ISO 8601 form. */
export function isLegacyDate(value: string): boolean {
  const lower = value.toLowerCase()
  if (lower.includes('t') || value.includes('-')) return isLegacyIsoDate(lower)
  if (!INTEGER.test(value)) return false
  const n = BigInt(value)
  return n >= 0n && n <= MAX_LONG
}

function inRange(text: string, min: number, max: number): boolean {
  if (!INTEGER.test(text)) return false
  const n = Number(text)
  return n >= min && n <= max
}

// Java's date range (years -292275054 to 292278993); each part is optional after the year, and
// the time may end in `z` or an offset (`+hh`, `-hh:mm`).
function isLegacyIsoDate(text: string): boolean {
  const [datePart, , timeAndZone] = cut(text, 't')
  const negative = datePart.startsWith('-')
  const dateParts = (negative ? datePart.slice(1) : datePart).split('-')
  const [year = '', month, day] = dateParts
  if (dateParts.length > 3 || !inRange((negative ? '-' : '') + year, -292275054, 292278993)) {
    return false
  }
  if (month !== undefined && !inRange(month, 1, 12)) return false
  if (day !== undefined && !inRange(day, 1, 31)) return false
  const zoneAt = firstIndexOf(timeAndZone, ['z', '+', '-'])
  const time = zoneAt < 0 ? timeAndZone : timeAndZone.slice(0, zoneAt)
  if (zoneAt >= 0 && !isZone(timeAndZone.slice(zoneAt))) return false
  const [hours = '', minutes, seconds] = time.split(':')
  if (hours !== '' && !inRange(hours, 0, 23)) return false
  if (minutes !== undefined && !inRange(minutes, 0, 59)) return false
  if (seconds === undefined) return true
  const [whole, hasFraction, fraction] = cut(seconds, '.')
  return inRange(whole, 0, 59) && (!hasFraction || inRange(fraction, 0, 999999999))
}

function firstIndexOf(text: string, characters: readonly string[]): number {
  let first = -1
  for (const c of characters) {
    const i = text.indexOf(c)
    if (i >= 0 && (first < 0 || i < first)) first = i
  }
  return first
}

/** `z`, or `+`/`-` followed by hh, hh:mm or hhmm. */
function isZone(zone: string): boolean {
  if (zone === 'z') return true
  const digits = zone.slice(1)
  const [hh, hasColon, mm] = cut(digits)
  if (hasColon)
    return hh.length === 2 && inRange(hh, 0, 23) && mm.length === 2 && inRange(mm, 0, 59)
  if (digits.length === 2) return inRange(digits, 0, 23)
  return (
    digits.length === 4 && inRange(digits.slice(0, 2), 0, 23) && inRange(digits.slice(2), 0, 59)
  )
}
