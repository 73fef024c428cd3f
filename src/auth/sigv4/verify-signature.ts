/**
 * verifySignature: does a request carry a valid SigV4 signature, made with this secret, at a time
 * close enough to now? Pure: the secret and the clock come in as arguments.
 *
 * The steps, in order: parse the authorization (parseAuthorization); check the credential scope's
 * date against the request's; check the time (skew window, or a presigned request's expiry);
 * check X-Amz-Content-SHA256 against the body; recompute the canonical request, string to sign and
 * signature over exactly what was received; compare in constant time. The cheap checks come first
 * so that a stale or malformed request costs no HMAC.
 */
import { buildCanonicalRequest } from './build-canonical-request.js'
import { buildStringToSign } from './build-string-to-sign.js'
import { calculateSignature } from './calculate-signature.js'
import { canonicalizeHeaders } from './canonicalize-headers.js'
import {
  DEFAULT_ALLOWED_SKEW_MS,
  QUERY_PARAMETER as QP,
  SIGNATURE_DOES_NOT_MATCH_MESSAGE,
} from './constants.js'
import { deriveSigningKey } from './derive-signing-key.js'
import { formatAmzDate } from './format-amz-date.js'
import { headerValues } from './header-values.js'
import { parseAuthorization } from './parse-authorization.js'
import type { ParsedAuthorization } from './parse-authorization.js'
import { parseQuery } from './parse-query.js'
import { sha256Hex } from './sha256-hex.js'
import type { SignedRequest } from './signed-request.js'
import type { SigV4Error } from './sigv4-error.js'
import { signaturesEqual } from './signatures-equal.js'

/** What verifySignature needs. */
export interface VerifySignatureInput {
  readonly request: SignedRequest
  /** The secret of the access key the request names (the caller looks it up). */
  readonly secretAccessKey: string
  /** The server's clock: a Date or epoch milliseconds. */
  readonly now: Date | number
  /**
   * How far the request time may be from `now`, either way; DEFAULT_ALLOWED_SKEW_MS (five
   * minutes, AWS's documented window) when left out.
   */
  readonly allowedSkewMs?: number | undefined
  /**
   * Normalize the path (drop `.`, `..` and empty segments) before encoding it, as every AWS
   * service but S3 does; default true. False serves the vendor suite's *-unnormalized cases.
   */
  readonly normalizePath?: boolean
  /**
   * The client added X-Amz-Security-Token to the presigned query after signing, so it is left
   * out of the canonical query (AWS: "Other services require only that you add
   * X-Amz-Security-Token at the end, after you calculate the signature"; the vendor suite's
   * `omit_session_token`). Default false: IAM and STS clients sign the token. The header form
   * needs no such flag, since SignedHeaders says whether the token header was signed.
   */
  readonly unsignedSessionToken?: boolean
  /** The request's authorization, when the caller has parsed it already (it is not reparsed). */
  readonly authorization?: ParsedAuthorization
  /**
   * The signing key of a credential scope; deriveSigningKey from the secret when left out. A
   * server keeps derived keys per access key and scope (a day, a region, a service), as AWS's
   * own signers do, since deriving takes four HMACs.
   */
  readonly signingKey?: ((date: string, region: string, service: string) => Uint8Array) | undefined
}

/** The outcome of verifySignature. */
export type VerifySignatureResult =
  | {
      readonly ok: true
      readonly authorization: ParsedAuthorization
      /** What was signed, for logs and tests. */
      readonly canonicalRequest: string
      readonly stringToSign: string
    }
  | { readonly ok: false; readonly error: SigV4Error }

function fail(code: SigV4Error['code'], message: string): VerifySignatureResult {
  return { ok: false, error: { code, message } }
}

function minutes(ms: number): string {
  return `${ms / 60_000} min.`
}

// The time checks. Outside the window AWS's IAM and STS answer SignatureDoesNotMatch with these
// two messages (https://github.com/aws/aws-cli/issues/5166 for IAM, /6676 for STS; the
// future-dated form in https://github.com/serverless/enterprise/issues/11). A presigned request
// past its X-Amz-Expires gets RequestExpired, which AWS's Common Errors pages define for exactly
// that ("... after the request expiration date (such as for pre-signed URLs)"); its message is
// Gatehouse's, after S3's "Request has expired".
function checkTime(
  auth: ParsedAuthorization,
  now: number,
  skew: number,
): VerifySignatureResult | undefined {
  const at = auth.requestDateTime
  if (auth.requestTime > now + skew) {
    return fail(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${at} is still later than ${formatAmzDate(now + skew)} (${formatAmzDate(now)} + ${minutes(skew)})`,
    )
  }
  if (auth.expiresSeconds !== undefined) {
    const expiry = auth.requestTime + auth.expiresSeconds * 1000
    if (now > expiry) {
      return fail(
        'RequestExpired',
        `Request has expired: ${formatAmzDate(expiry)} (${QP.date} ${at} + ${QP.expires} ${auth.expiresSeconds} s) is now earlier than ${formatAmzDate(now)}`,
      )
    }
    return undefined
  }
  if (auth.requestTime < now - skew) {
    return fail(
      'SignatureDoesNotMatch',
      `Signature expired: ${at} is now earlier than ${formatAmzDate(now - skew)} (${formatAmzDate(now)} - ${minutes(skew)})`,
    )
  }
  return undefined
}

/**
 * Verifies a header-signed or presigned SigV4 request over exactly the method, path, query,
 * headers and body received. On success it returns the parsed authorization (access key, scope,
 * session token) for the caller's credential checks; the caller must still check that the scope's
 * service is one it serves.
 */
export function verifySignature(input: VerifySignatureInput): VerifySignatureResult {
  const { request, secretAccessKey } = input
  const now = typeof input.now === 'number' ? input.now : input.now.getTime()
  const skew = input.allowedSkewMs ?? DEFAULT_ALLOWED_SKEW_MS
  // SECURITY: NaN would make every time comparison false and let any date through.
  if (!Number.isFinite(now)) throw new RangeError('verifySignature: now is not a valid time')
  if (!Number.isFinite(skew) || skew < 0) {
    throw new RangeError('verifySignature: allowedSkewMs must be a finite number >= 0')
  }

  let auth: ParsedAuthorization
  if (input.authorization === undefined) {
    const parsed = parseAuthorization(request)
    if (!parsed.ok) return parsed
    auth = parsed.authorization
  } else {
    auth = input.authorization
  }

  // The wording of the IAM User Guide's SigV4 troubleshooting page, with the values AWS adds.
  const requestDate = auth.requestDateTime.slice(0, 8)
  if (auth.scope.date !== requestDate) {
    return fail(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scope.date}' != '${requestDate}', from '${auth.requestDateTime}'.`,
    )
  }

  const late = checkTime(auth, now, skew)
  if (late !== undefined) return late

  const payloadHash = sha256Hex(request.body)
  // SECURITY: the canonical request always hashes the body received, so the body is bound to the
  // signature whatever the client declares; a declared hash that differs (UNSIGNED-PAYLOAD
  // included, which only S3 honours) is refused rather than trusted.
  const declared = headerValues(request.headers, 'x-amz-content-sha256')
  if (declared.length > 0 && declared.map((v) => v.trim()).join(',') !== payloadHash) {
    return fail('SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH_MESSAGE)
  }

  const headers = canonicalizeHeaders(request.headers, auth.signedHeaders)
  if (!headers.ok) return fail('SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH_MESSAGE)

  const excluded = new Set<string>()
  if (auth.form === 'query') {
    excluded.add(QP.signature)
    if (input.unsignedSessionToken === true) excluded.add(QP.securityToken)
  }
  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    path: request.path,
    normalizePath: input.normalizePath ?? true,
    query: parseQuery(request.query),
    excludedQueryParameters: excluded,
    canonicalHeaders: headers.text,
    signedHeaders: auth.signedHeadersText,
    payloadHash,
  })
  const stringToSign = buildStringToSign(
    auth.requestDateTime,
    auth.credentialScope,
    canonicalRequest,
  )
  const key =
    input.signingKey === undefined
      ? deriveSigningKey(secretAccessKey, auth.scope.date, auth.scope.region, auth.scope.service)
      : input.signingKey(auth.scope.date, auth.scope.region, auth.scope.service)
  const expected = calculateSignature(key, stringToSign)
  if (!signaturesEqual(expected, auth.signature)) {
    return {
      ok: false,
      error: {
        code: 'SignatureDoesNotMatch',
        message: SIGNATURE_DOES_NOT_MATCH_MESSAGE,
        canonicalRequest,
        stringToSign,
      },
    }
  }
  return { ok: true, authorization: auth, canonicalRequest, stringToSign }
}
