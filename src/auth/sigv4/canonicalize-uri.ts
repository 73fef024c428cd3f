/** The CanonicalURI line of a SigV4 canonical request, for services other than S3. */
import { uriEncode } from './uri-encode.js'

// Removes `.` and `..` segments (RFC 3986 §5.2.4) and, as AWS's services also do, empty segments
// from repeated slashes; keeps the leading slash and a trailing one. `..` at the root stays at
// the root. The vendor suite's *-normalized cases fix each of these rules.
function normalizePath(path: string): string {
  const kept: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') kept.pop()
    else kept.push(segment)
  }
  const lead = path.startsWith('/') ? '/' : ''
  const trail = kept.length > 0 && path.endsWith('/') ? '/' : ''
  return lead + kept.join('/') + trail
}

/**
 * Normalizes the path as received (unless `normalize` is false, as for S3) and percent-encodes it
 * once more, keeping `/`: the path on the wire is already encoded, so an escape such as `%20`
 * becomes `%2520`. That second encoding is what non-S3 services sign ("double URI-encoding").
 */
export function canonicalizeUri(path: string, normalize: boolean): string {
  // Only an empty path stands for the root. A relative one (`.`, which normalizes to nothing) is
  // no request target and must not be signed as if it were `/`.
  if (path === '') return '/'
  // The path of every IAM and STS call, whose canonical form is itself.
  if (path === '/') return path
  const effective = normalize ? normalizePath(path) : path
  return uriEncode(Buffer.from(effective, 'utf8'), true)
}
