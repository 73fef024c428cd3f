/** The SigV4 signing key. */
import { createHmac } from 'node:crypto'
import { SCOPE_TERMINATOR } from './constants.js'

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

/**
 * The HMAC-SHA256 chain from `"AWS4" + secret` through the scope's date (`YYYYMMDD`), region and
 * service to `aws4_request`. The key depends only on these four values, so a caller may cache it
 * per access key and day; this function keeps no cache of its own.
 */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date)
  const kRegion = hmac(kDate, region)
  const kService = hmac(kRegion, service)
  return hmac(kService, SCOPE_TERMINATOR)
}
