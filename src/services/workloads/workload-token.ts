/**
 * A workload's token: what it presents to the container credentials endpoint, in place of any
 * key. `ghw1.<workload id>.<secret>`: the id says which workload to look up, the secret (32
 * random bytes in base64url) proves the caller was handed the token. The store keeps only the
 * secret's SHA-256, compared in constant time. The version prefix lets secret scanners
 * recognize a leaked token and lets a later format coexist.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** What every token of this format begins with. */
export const WORKLOAD_TOKEN_PREFIX = 'ghw1'

const SECRET_BYTES = 32

// The id's format is the store's (WORKLOAD_ID_PREFIX and 17 base32 characters).
const TOKEN = /^ghw1\.(GWKL[A-Z2-7]{17})\.([A-Za-z0-9_-]{43})$/

/** The longest text worth parsing as a token: anything longer is not one. */
export const MAX_TOKEN_LENGTH = 256

/** A token's parts. */
export interface ParsedWorkloadToken {
  readonly workloadId: string
  /** SECURITY: the secret part; never logged, compared only through its hash. */
  readonly secret: string
}

/** A new secret with its hash: the secret goes into the token, the hash into the store. */
export function newTokenSecret(): { readonly secret: string; readonly hash: Uint8Array } {
  const secret = randomBytes(SECRET_BYTES).toString('base64url')
  return { secret, hash: hashTokenSecret(secret) }
}

/** The token handed to the workload once, at its creation. */
export function workloadToken(workloadId: string, secret: string): string {
  return `${WORKLOAD_TOKEN_PREFIX}.${workloadId}.${secret}`
}

/** The parts of a token, or undefined for text that is not a token of this format. */
export function parseWorkloadToken(token: string): ParsedWorkloadToken | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined
  const match = TOKEN.exec(token)
  if (match === null) return undefined
  const [, workloadId, secret] = match as unknown as [string, string, string]
  return { workloadId, secret }
}

/** The SHA-256 of a secret (a 256-bit random value needs no salt nor slow hash). */
export function hashTokenSecret(secret: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(secret, 'utf8').digest())
}

/** Whether `secret` hashes to `hash`, compared in constant time. */
export function tokenSecretMatches(secret: string, hash: Uint8Array): boolean {
  const actual = hashTokenSecret(secret)
  return actual.length === hash.length && timingSafeEqual(actual, hash)
}
