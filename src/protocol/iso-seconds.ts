/**
 * Time as AWS states it to the second (`2026-03-15T12:00:00Z`): a CloudTrail record's eventTime,
 * aws:CurrentTime, a credential's Expiration in the workload API, a token claim.
 */

// The last second formatted: the calls of one second (nearly all of them, under load) share its
// text instead of formatting it again.
let lastSecond = Number.NaN
let lastText = ''

/** `2026-03-15T12:00:00Z`: UTC, no milliseconds. RangeError for an invalid date. */
export function isoSeconds(date: Date): string {
  const second = Math.floor(date.getTime() / 1000)
  // An invalid date (NaN) never equals the last second: toISOString throws for it.
  if (second !== lastSecond) {
    lastText = date.toISOString().replace(/\.\d{3}Z$/, 'Z')
    lastSecond = second
  }
  return lastText
}
