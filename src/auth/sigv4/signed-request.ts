/**
 * The request as the HTTP layer received it: nothing decoded, merged or reordered, because the
 * signature covers exactly these bytes.
 */

/** One header line as received: its name in any case and its value untrimmed. */
export type HeaderEntry = readonly [name: string, value: string]

/** A request to verify. */
export interface SignedRequest {
  /** The method as received (`GET`, `POST`); compared byte for byte, so never upper-cased here. */
  readonly method: string
  /**
   * The path of the request target as received, before the `?` and still percent-encoded
   * (`/a%20b/`). Text beyond ASCII is taken as UTF-8.
   */
  readonly path: string
  /** The query string as received, without the leading `?`; empty when there is none. */
  readonly query: string
  /**
   * Every header line in the order received, repeats included (Node's `rawHeaders` in pairs, not
   * its merged `headers`, which drops some repeats and joins others with `, `).
   */
  readonly headers: readonly HeaderEntry[]
  /** The body's bytes as received. */
  readonly body: Uint8Array
}
