/** Reading SigV4's timestamp format. */

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

/**
 * The epoch milliseconds of an ISO 8601 basic-format UTC time (`20150830T123600Z`), or undefined
 * for anything else, including impossible dates such as `20150230T000000Z` and leap seconds.
 */
export function parseAmzDate(text: string): number | undefined {
  const m = ISO_BASIC.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  // Date.UTC rolls 30 February over into March; a date that does not round-trip is not a date.
  const back = new Date(ms)
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    return undefined
  }
  return ms
}
