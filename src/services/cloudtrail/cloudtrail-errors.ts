/**
 * CloudTrail's own error codes, from its model (botocore cloudtrail/2013-11-01, the exceptions
 * LookupEvents lists). The model gives none of them an httpStatusCode, so each is sent with the
 * awsJson default for a client error, 400, as AWS's API Reference also lists them ("HTTP Status
 * Code: 400" under each of LookupEvents' errors).
 */
import { JsonServiceError } from '../../protocol/json/json-service-error.js'
import type { JsonErrorEntry } from '../../protocol/json/json-service-error.js'

const CLIENT = { status: 400, fault: 'client' } as const

/** The codes CloudTrail's operations send, with their statuses. */
export const CLOUDTRAIL_ERRORS = {
  InvalidEventCategoryException: CLIENT,
  InvalidLookupAttributesException: CLIENT,
  InvalidMaxResultsException: CLIENT,
  InvalidNextTokenException: CLIENT,
  InvalidTimeRangeException: CLIENT,
  OperationNotPermittedException: CLIENT,
  UnsupportedOperationException: CLIENT,
} as const satisfies Readonly<Record<string, JsonErrorEntry>>

/** An error code of CloudTrail's model that Gatehouse sends. */
export type CloudTrailErrorCode = keyof typeof CLOUDTRAIL_ERRORS

/** A CloudTrail error, with its status from the model. */
export function cloudTrailError(
  code: CloudTrailErrorCode,
  message: string,
  options?: ErrorOptions,
): JsonServiceError {
  return new JsonServiceError(code, message, CLOUDTRAIL_ERRORS[code], options)
}

/**
 * CloudTrail's codes in the shape of the awsQuery catalog's entries (src/errors/catalog.ts,
 * `{ status, fault }`), for whoever wants them in one catalog with the others.
 */
export function cloudTrailCatalogEntries(): Record<
  CloudTrailErrorCode,
  { readonly status: number; readonly fault: 'client' | 'server' }
> {
  return { ...CLOUDTRAIL_ERRORS }
}
