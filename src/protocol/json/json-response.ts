/**
 * The awsJson response: the result or the error body, with the headers clients read. An error
 * is `{"__type":"<Code>","message":"..."}` (Smithy awsJson1_1, "Operation error serialization"):
 * @aws-sdk/client-* v3 takes the code from `__type` first (loadJsonRpcErrorCode: `__type`, then
 * `code`, then the x-amzn-ErrorType header) and the message from `message` or `Message`; botocore
 * reads the same two members. Both read the request id from `x-amzn-RequestId`.
 */
import type { AwsError } from '../../errors/aws-error.js'
import { httpDate } from '../http-date.js'
import { JsonServiceError, jsonProtocolError } from './json-service-error.js'

/** The content type of awsJson 1.1 requests and responses. */
export const AWS_JSON_1_1 = 'application/x-amz-json-1.1'

/** What to send back. */
export interface JsonResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

function headers(requestId: string, now: Date): Record<string, string> {
  return {
    'content-type': AWS_JSON_1_1,
    'x-amzn-requestid': requestId,
    date: httpDate(now),
  }
}

/** A 200 response with an encoded result. */
export function jsonResultResponse(body: string, requestId: string, now: Date): JsonResponse {
  return { status: 200, headers: headers(requestId, now), body }
}

/** The awsJson error response for an error. */
export function jsonErrorResponse(
  error: JsonServiceError,
  requestId: string,
  now: Date,
): JsonResponse {
  return {
    status: error.status,
    headers: headers(requestId, now),
    body: JSON.stringify({ __type: error.code, message: error.message }),
  }
}

/**
 * An awsQuery-vocabulary error (what authentication and the shared layers throw) as awsJson
 * sends it. The signature and credential errors keep their codes and statuses, which CloudTrail's
 * API Reference lists among its common errors (IncompleteSignature, InvalidClientTokenId,
 * MissingAuthenticationToken, RequestExpired, ...); a policy denial is AccessDeniedException
 * (400) and a failure of the server InternalFailure (500), as awsJson services send them.
 */
export function jsonErrorOf(error: AwsError): JsonServiceError {
  // What went wrong inside (what the server signed, say) stays with the error, for the log.
  const options = error.cause === undefined ? undefined : { cause: error.cause }
  if (error.code === 'AccessDenied') {
    return jsonProtocolError('AccessDeniedException', error.message, options)
  }
  if (error.fault === 'server') {
    return jsonProtocolError('InternalFailure', error.message, { cause: error.cause ?? error })
  }
  return new JsonServiceError(error.code, error.message, error, options)
}
