/** Reading the HTTP Date header, SigV4's fallback when there is no X-Amz-Date. */
import { parseAmzDate } from './parse-amz-date.js'

const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * The epoch milliseconds of a Date header: an RFC 7231 IMF-fixdate (`Sun, 30 Aug 2015 12:36:00
 * GMT`), or the ISO 8601 basic format, which AWS's common-parameters pages also accept there;
 * undefined otherwise. The obsolete RFC 850 and asctime forms are refused: no SDK sends them.
 */
export function parseHttpDate(text: string): number | undefined {
  const m = IMF_FIXDATE.exec(text)
  if (m === null) return parseAmzDate(text)
  const [, day, month, year, hour, minute, second] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  const mm = String(MONTHS.indexOf(month) + 1).padStart(2, '0')
  return parseAmzDate(`${year}${mm}${day}T${hour}${minute}${second}Z`)
}
