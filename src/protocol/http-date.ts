/**
 * The Date header of a response. SDK v3 sets its signing clock from it, so it is the server's
 * real time, to the second as HTTP dates are.
 */

// The last second formatted: the responses of one second share its text.
let lastSecond = Number.NaN
let lastText = ''

/** `Sun, 29 Nov 2026 09:14:00 GMT` (RFC 7231's IMF-fixdate). */
export function httpDate(now: Date): string {
  const second = Math.floor(now.getTime() / 1000)
  if (second !== lastSecond) {
    lastText = now.toUTCString()
    lastSecond = second
  }
  return lastText
}
