/** Reading SigV4's timestamp format. */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

// The number the `count` ASCII digits at `start` spell, or -1 if any is not a digit.
function digits(text: string, start: number, count: number): number {
  let n = 0
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 0x30
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/**
 * The epoch milliseconds of an ISO 8601 basic-format UTC time (`20150830T123600Z`), or undefined
 * for anything else, including impossible dates such as `20150230T000000Z` and leap seconds.
 * Years before 100 are refused too: Date.UTC would read them as 19xx.
 */
export function parseAmzDate(text: string): number | undefined {
  // Read digit by digit rather than by regular expression: every signed request parses one.
  if (text.length !== 16 || text.charCodeAt(8) !== 0x54 || text.charCodeAt(15) !== 0x5a) {
    return undefined
  }
  const year = digits(text, 0, 4)
  const month = digits(text, 4, 2)
  const day = digits(text, 6, 2)
  const hour = digits(text, 9, 2)
  const minute = digits(text, 11, 2)
  const second = digits(text, 13, 2)
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number)
  if (day > monthDays) return undefined
  return Date.UTC(year, month - 1, day, hour, minute, second)
}
