/**
 * Date values (S13): W3C profiles of ISO 8601 or epoch seconds, both read as milliseconds since
 * the epoch so the two forms compare with each other.
 */

const W3C_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/
const EPOCH_SECONDS = /^-?\d+(?:\.\d+)?$/

/** Milliseconds since the epoch, or NaN when the text is no date AWS accepts. */
export function parseDateValue(text: string): number {
  const trimmed = text.trim()
  // Four digits alone are a year in ISO 8601; anything else all-digit is epoch seconds.
  if (EPOCH_SECONDS.test(trimmed) && !/^\d{4}$/.test(trimmed)) return Number(trimmed) * 1000
  const m = W3C_DATE.exec(trimmed)
  if (m === null) return NaN
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const month = mo === undefined ? 1 : Number(mo)
  const day = d === undefined ? 1 : Number(d)
  const hour = h === undefined ? 0 : Number(h)
  const minute = mi === undefined ? 0 : Number(mi)
  const second = s === undefined ? 0 : Number(s)
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) {
    return NaN
  }
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000)
  let time = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms)
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))
    time -= sign * offset * 60_000
  }
  return time
}
