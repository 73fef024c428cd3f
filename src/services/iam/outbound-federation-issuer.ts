/**
 * The account's issuer of outbound web identity tokens: its URL, made from the origin the
 * request reached Gatehouse at, its signing keys (ES384 and RS256, AWS's two), and how they
 * rotate.
 *
 * AWS's issuer is `https://<uuid>.tokens.sts.global.api.aws`; Gatehouse's is its own URL,
 * `<origin>/gatehouse/v1/issuers/<issuer id>`, whose `/.well-known/openid-configuration` and
 * `/.well-known/jwks.json` (src/http/web-identity-issuer.ts) an external service reads. The
 * origin is the server's public URL when it is configured (--public-url), else the scheme and
 * Host of the request: a client that reaches Gatehouse at the name the external services reach
 * it at gets the issuer they can verify.
 *
 * Rotation: AWS says nothing of its own (its keys' ids, `RSA_0` and `EC384_0` in the JWKS of a
 * new issuer, suggest numbered generations), so the period is Gatehouse's: a key signs for
 * KEY_ROTATION_MS, then the next GetWebIdentityToken of its algorithm makes a new one and signs
 * with it. The replaced key stays in the JWKS for KEY_RETENTION_MS, long enough for every token
 * it signed to expire, so a token never outlives the key that verifies it.
 */
import { randomUUID } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair } from 'jose'
import type {
  NewOutboundIssuer,
  NewOutboundSigningKey,
  OutboundKeyRotation,
  OutboundPublicKey,
  OutboundSigningAlgorithm,
} from '../../store/outbound-federation-ops.js'

/** Where an issuer's documents are served, below the origin. */
export const ISSUER_PATH_PREFIX = '/gatehouse/v1/issuers/'

/** The algorithms an issuer signs with, as GetWebIdentityToken names them. */
export const OUTBOUND_SIGNING_ALGORITHMS: readonly OutboundSigningAlgorithm[] = ['ES384', 'RS256']

/** The longest token GetWebIdentityToken issues, in seconds (the model's DurationSeconds range). */
export const MAX_TOKEN_SECONDS = 3600

/** How long a key signs before the next one replaces it: 30 days. */
export const KEY_ROTATION_MS = 30 * 24 * 3600 * 1000

/**
 * How long a replaced key stays published: the longest token it may have signed, and five
 * minutes for verifiers whose clocks run behind (and nodes whose clocks differ).
 */
export const KEY_RETENTION_MS = (MAX_TOKEN_SECONDS + 300) * 1000

/** The rotation GetWebIdentityToken asks the store for, at `now`. */
export function keyRotation(now: Date): OutboundKeyRotation {
  return { now, rotateAfterMs: KEY_ROTATION_MS, retainMs: KEY_RETENTION_MS }
}

/** The issuer URL of the issuer `issuerId`, reached at `origin`. */
export function issuerUrl(issuerId: string, origin: string): string {
  return `${origin}${ISSUER_PATH_PREFIX}${issuerId}`
}

/**
 * The keys an issuer's JWKS serves at `now`: the signing key of each algorithm and the keys
 * replaced less than KEY_RETENTION_MS ago (the store prunes older ones only when it next
 * rotates; they are not served in between).
 */
export function publishedKeys(
  keys: readonly OutboundPublicKey[],
  now: Date,
): readonly OutboundPublicKey[] {
  return keys.filter(
    (k) => k.retiredAt === null || now.getTime() < k.retiredAt.getTime() + KEY_RETENTION_MS,
  )
}

/** A new key pair for `algorithm`, its `kid` the RFC 7638 thumbprint of its public half. */
export async function newSigningKey(
  algorithm: OutboundSigningAlgorithm,
): Promise<NewOutboundSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, {
    extractable: true,
    ...(algorithm === 'RS256' ? { modulusLength: 2048 } : {}),
  })
  const jwk = await exportJWK(publicKey)
  // A kid that names this key and no other, of this issuer or any: verifiers cache keys by kid.
  const keyId = await calculateJwkThumbprint(jwk, 'sha256')
  return {
    algorithm,
    keyId,
    publicJwk: JSON.stringify({ ...jwk, kid: keyId, alg: algorithm, use: 'sig' }),
    privateKeyPem: await exportPKCS8(privateKey),
  }
}

/** A new issuer: a random id and one key pair per algorithm. */
export async function newOutboundIssuer(): Promise<NewOutboundIssuer> {
  return {
    issuerId: randomUUID(),
    keys: await Promise.all(OUTBOUND_SIGNING_ALGORITHMS.map(newSigningKey)),
  }
}
