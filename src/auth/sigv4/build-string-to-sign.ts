/** The SigV4 string to sign. */
import { ALGORITHM } from './constants.js'
import { sha256Hex } from './sha256-hex.js'

/**
 * The algorithm, the request time (`YYYYMMDDTHHMMSSZ`), the credential scope
 * (`date/region/service/aws4_request`) and the hex SHA-256 of the canonical request, one per
 * line, with no final newline.
 */
export function buildStringToSign(
  requestDateTime: string,
  credentialScope: string,
  canonicalRequest: string,
): string {
  return `${ALGORITHM}\n${requestDateTime}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`
}
