/**
 * The fixed strings and limits of AWS Signature Version 4, and the messages AWS answers with where
 * more than one step can produce them.
 */

/** The only signing algorithm Gatehouse accepts (SigV4a's AWS4-ECDSA-P256-SHA256 is refused). */
export const ALGORITHM = 'AWS4-HMAC-SHA256'

/** The last element of every credential scope. */
export const SCOPE_TERMINATOR = 'aws4_request'

/**
 * How far a request's date may be from the server's clock: five minutes, as the IAM User Guide
 * documents ("a request must reach AWS within five minutes of the time stamp in the request",
 * reference_aws-signing.md). STS has been seen answering with a 15-minute window; Gatehouse takes
 * the documented figure, and the caller may pass another.
 */
export const DEFAULT_ALLOWED_SKEW_MS = 5 * 60 * 1000

/** The longest X-Amz-Expires a presigned request may carry: seven days, in seconds. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800

/** SignatureDoesNotMatch's message, word for word as IAM and STS send it. */
export const SIGNATURE_DOES_NOT_MATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

/**
 * MissingAuthenticationToken's message as STS sends it for an unsigned GetCallerIdentity
 * (https://github.com/cert-manager/aws-privateca-issuer/issues/40); the Common Errors pages
 * describe the code in other words, but this is what clients see.
 */
export const MISSING_AUTHENTICATION_TOKEN_MESSAGE = 'Request is missing Authentication Token'

/** The query parameters of a presigned request, spelled as AWS spells them (names are case-sensitive). */
export const QUERY_PARAMETER = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  signedHeaders: 'X-Amz-SignedHeaders',
  signature: 'X-Amz-Signature',
  expires: 'X-Amz-Expires',
  securityToken: 'X-Amz-Security-Token',
} as const
