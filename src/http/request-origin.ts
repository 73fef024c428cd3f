/**
 * The origin (`scheme://host[:port]`) a request reached Gatehouse at: what the URLs Gatehouse
 * hands out (an outbound federation issuer's) are built on.
 *
 * A configured public URL (--public-url, GATEHOUSE_PUBLIC_URL) wins: behind a proxy or load
 * balancer that ends TLS, the request arrives over plain HTTP, and only the operator knows the
 * https origin clients use. X-Forwarded-Proto and X-Forwarded-Host are not read: any client can
 * send them, so without a list of trusted proxies (Gatehouse has none) they would let a caller
 * choose the issuer URL handed to everyone. Without a public URL, the Host header is the
 * client's to write (and signed, for SigV4 requests); one that is not a plain host name or
 * address with an optional port is not echoed into a URL.
 */

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/

/**
 * The origin of a request over TLS or not, with this Host header (`localhost` if unusable), or
 * `publicUrl` (an origin, as the configuration checked it) when there is one.
 */
export function requestOrigin(
  secure: boolean,
  host: string | undefined,
  publicUrl?: string,
): string {
  if (publicUrl !== undefined) return publicUrl
  const name = host !== undefined && HOST.test(host) ? host : 'localhost'
  return `${secure ? 'https' : 'http'}://${name}`
}
