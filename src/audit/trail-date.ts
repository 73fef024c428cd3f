/**
 * The dates inside a CloudTrail record's responseElements, as the service's Java formatter
 * prints them (eventTime and the session's creationDate are ISO 8601 to the second:
 * src/protocol/iso-seconds.ts).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * A date of responseElements, in UTC, as AWS's services print it. Real records from 2024 show
 * two forms: IAM writes `Aug 1, 2024 1:33:28 PM` (Java's medium date-time style before CLDR,
 * e.g. CreateUser's user.createDate and CreateAccessKey's accessKey.createDate), and STS writes
 * `Nov 30, 2024, 8:43:17 PM` (the CLDR style, with a comma after the year, e.g.
 * GetFederationToken's credentials.expiration). Source: DataDog/stratus-red-team detonation
 * logs (docs/attack-techniques/AWS/aws.persistence.iam-create-admin-user.md and
 * aws.persistence.sts-federation-token.md), records of real calls; the AssumeRole example of the
 * IAM User Guide's CloudTrail page writes STS's form too. Services other than IAM get STS's
 * newer form.
 */
export function trailDate(date: Date, service: string | undefined): string {
  const time = date.getTime()
  if (Number.isNaN(time)) return 'Invalid Date'
  const hours = date.getUTCHours()
  const day = `${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}, ${date.getUTCFullYear()}`
  const clock =
    `${hours % 12 === 0 ? 12 : hours % 12}:${pad(date.getUTCMinutes())}:` +
    `${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
  return service === 'iam' ? `${day} ${clock}` : `${day}, ${clock}`
}
