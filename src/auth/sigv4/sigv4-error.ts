/**
 * Why a request failed SigV4 authentication, in AWS's vocabulary: the code AWS puts on the wire
 * and its message. Only errors/ turns these into HTTP statuses.
 */

/** The AWS error codes the signature check itself can produce. */
export type SigV4ErrorCode =
  'MissingAuthenticationToken' | 'IncompleteSignature' | 'SignatureDoesNotMatch' | 'RequestExpired'

/** A failed signature check. */
export interface SigV4Error {
  readonly code: SigV4ErrorCode
  /** The message AWS sends with the code, or one in AWS's manner where AWS's own is unknown. */
  readonly message: string
  /**
   * For a signature that did not match: what the server signed, for the server's log (AWS once
   * echoed these to the client; Gatehouse keeps them out of the response).
   */
  readonly canonicalRequest?: string
  readonly stringToSign?: string
}
