/**
 * The origin (`scheme://host[:port]`) a request reached Gatehouse at: what the URLs Gatehouse
 * hands out (an outbound federation issuer's) are built on. The Host header is the client's to
 * write (and signed, for SigV4 requests); one that is not a plain host name or address with an
 * optional port is not echoed into a URL.
 */

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/

/** The origin of a request over TLS or not, with this Host header (`localhost` if unusable). */
export function requestOrigin(secure: boolean, host: string | undefined): string {
  const name = host !== undefined && HOST.test(host) ? host : 'localhost'
  return `${secure ? 'https' : 'http'}://${name}`
}
