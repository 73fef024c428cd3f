/**
 * SigV4 verification, pure: the server's authentication step uses it through these names only.
 * Time, secrets and requests are arguments; nothing here reads a clock, a store or the network.
 */
export { verifySignature } from './verify-signature.js'
export type { VerifySignatureInput, VerifySignatureResult } from './verify-signature.js'
export { parseAuthorization } from './parse-authorization.js'
export type {
  CredentialScope,
  ParseAuthorizationResult,
  ParsedAuthorization,
} from './parse-authorization.js'
export type { HeaderEntry, SignedRequest } from './signed-request.js'
export type { SigV4Error, SigV4ErrorCode } from './sigv4-error.js'
export {
  ALGORITHM,
  DEFAULT_ALLOWED_SKEW_MS,
  MAX_PRESIGNED_EXPIRES_SECONDS,
  MISSING_AUTHENTICATION_TOKEN_MESSAGE,
  SIGNATURE_DOES_NOT_MATCH_MESSAGE,
} from './constants.js'
export { buildCanonicalRequest } from './build-canonical-request.js'
export type { CanonicalRequestParts } from './build-canonical-request.js'
export { buildStringToSign } from './build-string-to-sign.js'
export { deriveSigningKey } from './derive-signing-key.js'
export { calculateSignature } from './calculate-signature.js'
export { canonicalizeHeaders } from './canonicalize-headers.js'
export type { CanonicalHeadersResult } from './canonicalize-headers.js'
export { canonicalizeQuery } from './canonicalize-query.js'
export { canonicalizeUri } from './canonicalize-uri.js'
export { parseQuery } from './parse-query.js'
export type { QueryParameter } from './parse-query.js'
export { sha256Hex } from './sha256-hex.js'
