/**
 * The account's issuer of outbound web identity tokens: its URL, made from the origin the
 * request reached Gatehouse at, and its signing keys (ES384 and RS256, AWS's two).
 *
 * AWS's issuer is `https://<uuid>.tokens.sts.global.api.aws`; Gatehouse's is its own URL,
 * `<origin>/gatehouse/v1/issuers/<issuer id>`, whose `/.well-known/openid-configuration` and
 * `/.well-known/jwks.json` (src/http/web-identity-issuer.ts) an external service reads. The
 * origin is the scheme and Host of the request: a client that reaches Gatehouse at the name the
 * external services reach it at gets the issuer they can verify.
 */
import { randomUUID } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair } from 'jose'
import type {
  NewOutboundIssuer,
  NewOutboundSigningKey,
  OutboundSigningAlgorithm,
} from '../../store/outbound-federation-ops.js'

/** Where an issuer's documents are served, below the origin. */
export const ISSUER_PATH_PREFIX = '/gatehouse/v1/issuers/'

/** The algorithms an issuer signs with, as GetWebIdentityToken names them. */
export const OUTBOUND_SIGNING_ALGORITHMS: readonly OutboundSigningAlgorithm[] = ['ES384', 'RS256']

/** The issuer URL of the issuer `issuerId`, reached at `origin`. */
export function issuerUrl(issuerId: string, origin: string): string {
  return `${origin}${ISSUER_PATH_PREFIX}${issuerId}`
}

async function newSigningKey(algorithm: OutboundSigningAlgorithm): Promise<NewOutboundSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, {
    extractable: true,
    ...(algorithm === 'RS256' ? { modulusLength: 2048 } : {}),
  })
  const jwk = await exportJWK(publicKey)
  // The RFC 7638 thumbprint: a kid that names this key and no other.
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
