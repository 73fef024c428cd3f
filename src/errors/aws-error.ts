/**
 * The AWS vocabulary: an error as a client sees it, with AWS's exact code and message. Handlers
 * throw it (or their layer's own errors, which toAwsError maps); only src/errors turns it into a
 * status and a wire body.
 */
import { AWS_ERRORS } from './catalog.js'
import type { AwsErrorCode, AwsFault } from './catalog.js'

/** An error to send to the client as AWS would: `code` and `message` go on the wire verbatim. */
export class AwsError extends Error {
  override readonly name = 'AwsError'
  /** The HTTP status, from the catalog. */
  readonly status: number
  /** Whose fault it is, from the catalog. */
  readonly fault: AwsFault

  /**
   * @param code - the exact wire code, e.g. `NoSuchEntity` (a key of AWS_ERRORS)
   * @param message - the message the client reads, in AWS's wording where AWS has one
   * @param options - `cause`: what went wrong inside, for the log and the audit trail only
   */
  constructor(
    readonly code: AwsErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    const entry = AWS_ERRORS[code]
    this.status = entry.status
    this.fault = entry.fault
  }
}
