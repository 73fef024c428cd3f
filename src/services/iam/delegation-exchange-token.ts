/**
 * The exchange token of a delegation request (STS's TradeInToken): what SendDelegationToken
 * releases to the partner and the partner trades for credentials with GetDelegatedAccessToken.
 * `gdt1.<request id>.<secret>`: the id says which request to look up, the secret (32 random bytes
 * in base64url) proves the bearer was handed the token. The store keeps only the secret's
 * SHA-256, compared in constant time. The prefix lets secret scanners recognize a leaked token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** What every token of this format begins with. */
export const EXCHANGE_TOKEN_PREFIX = 'gdt1'

const SECRET_BYTES = 32

// The id is the store's: a version 4 UUID in lower case.
const TOKEN =
  /^gdt1\.([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/

/** The longest text worth parsing as a token: anything longer is not one. */
const MAX_TOKEN_LENGTH = 256

/** A token's parts. */
export interface ParsedExchangeToken {
  readonly requestId: string
  /** SECURITY: the secret part; never logged, compared only through its hash. */
  readonly secret: string
}

/** The SHA-256 of a secret (a 256-bit random value needs no salt nor slow hash). */
function hashSecret(secret: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(secret, 'utf8').digest())
}

/** A new token for a request, with the hash the store keeps. */
export function newExchangeToken(requestId: string): {
  readonly token: string
  readonly hash: Uint8Array
} {
  const secret = randomBytes(SECRET_BYTES).toString('base64url')
  return { token: `${EXCHANGE_TOKEN_PREFIX}.${requestId}.${secret}`, hash: hashSecret(secret) }
}

/** The parts of a token, or undefined for text that is not a token of this format. */
export function parseExchangeToken(token: string): ParsedExchangeToken | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined
  const match = TOKEN.exec(token)
  if (match === null) return undefined
  const [, requestId, secret] = match as unknown as [string, string, string]
  return { requestId, secret }
}

/** Whether `secret` hashes to `hash`, compared in constant time. */
export function exchangeSecretMatches(secret: string, hash: Uint8Array): boolean {
  const actual = hashSecret(secret)
  return actual.length === hash.length && timingSafeEqual(actual, hash)
}
