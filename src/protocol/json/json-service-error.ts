/**
 * An error as a client of an awsJson service sees it: the wire code (`__type`), the message and
 * the HTTP status. awsJson services have codes of their own (each model's exceptions, and the
 * protocol's SerializationException, UnknownOperationException, AccessDeniedException), which the
 * awsQuery catalog (src/errors/catalog.ts) does not hold, so each carries its status with it.
 */

/** Whose fault an error is: the client's (4xx) or the server's (5xx). */
export type JsonFault = 'client' | 'server'

/** What a catalog of awsJson error codes fixes for one code. */
export interface JsonErrorEntry {
  readonly status: number
  readonly fault: JsonFault
}

/** An error to send in the awsJson error body: `code` and `message` go on the wire verbatim. */
export class JsonServiceError extends Error {
  override readonly name = 'JsonServiceError'
  /** The HTTP status the error is sent with. */
  readonly status: number
  readonly fault: JsonFault

  /**
   * @param code - the exact wire code, e.g. `InvalidMaxResultsException`
   * @param message - the message the client reads
   * @param entry - the HTTP status and fault the code is sent with
   * @param options - `cause`: what went wrong inside, for the log and the audit trail only
   */
  constructor(
    readonly code: string,
    message: string,
    entry: JsonErrorEntry,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.status = entry.status
    this.fault = entry.fault
  }
}

/**
 * The awsJson protocol's own errors, in no service's model: what every awsJson service answers
 * for a body it cannot read, an X-Amz-Target it does not know, a policy denial, and a failure
 * of its own. All 400 but the last (AWS CloudTrail API Reference, "Common Errors":
 * AccessDeniedException 400, InternalFailure 500).
 */
export const JSON_PROTOCOL_ERRORS = {
  // A body that is not JSON, or a member of the wrong JSON type.
  SerializationException: { status: 400, fault: 'client' },
  // An X-Amz-Target naming no operation of the service.
  UnknownOperationException: { status: 400, fault: 'client' },
  // A policy denial; awsJson services send this code, not awsQuery's AccessDenied (403).
  AccessDeniedException: { status: 400, fault: 'client' },
  InternalFailure: { status: 500, fault: 'server' },
} as const satisfies Readonly<Record<string, JsonErrorEntry>>

/** A code of the awsJson protocol's own errors. */
export type JsonProtocolErrorCode = keyof typeof JSON_PROTOCOL_ERRORS

/** One of the protocol's own errors, with its status. */
export function jsonProtocolError(
  code: JsonProtocolErrorCode,
  message: string,
  options?: ErrorOptions,
): JsonServiceError {
  return new JsonServiceError(code, message, JSON_PROTOCOL_ERRORS[code], options)
}
