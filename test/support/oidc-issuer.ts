/**
 * A real OpenID Connect issuer on 127.0.0.1 for the web identity tests: node:http serving
 * `/.well-known/openid-configuration` and the JSON Web Key Set it names, with keys the test
 * generates (RSA for RS256, P-256 for ES256), and ID tokens signed with them by jose. A key the
 * issuer does not publish signs forged tokens; the issuer can be made to fail, and counts what it
 * serves, so that the tests see the server's cache at work.
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import type { CryptoKey, JWK, JWTPayload } from 'jose'

/** A signing key of the issuer's: published (or not) under its kid. */
interface SigningKey {
  readonly kid: string
  readonly alg: 'RS256' | 'ES256'
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
}

/** How to sign one token. */
export interface SignOptions {
  /** `rsa` (RS256, published), `ec` (ES256, published), `forged` (RS256, never published). */
  readonly key?: 'rsa' | 'ec' | 'forged'
  /** The kid the header names; the key's own when absent, none when null. */
  readonly kid?: string | null
}

/** A running issuer. */
export interface OidcIssuer {
  /** `http://127.0.0.1:PORT`: the `iss` of its tokens. */
  readonly url: string
  /** `127.0.0.1:PORT`: the IAM provider's name (its URL without the scheme). */
  readonly name: string
  /** How many times the discovery document and the key set were served. */
  readonly served: { discovery: number; jwks: number }
  /** While true, every request is answered 503. */
  failing: boolean
  /** A token with `claims` (iss defaults to the issuer), signed as `options` says. */
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>
  /** Publishes a new RSA key under `kid` (a rotation), which `sign({ kid })` cannot pick. */
  rotate(kid: string): Promise<(claims: JWTPayload) => Promise<string>>
  close(): Promise<void>
}

async function newKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  }
}

async function signWith(key: SigningKey, claims: JWTPayload, kid: string | null): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...(kid === null ? {} : { kid }) })
    .sign(key.privateKey)
}

/** An unsigned token (`alg: none`) with `claims`. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`
}

/** `token` with its payload replaced by `claims`, the header and signature kept. */
export function tamperedToken(token: string, claims: JWTPayload): string {
  const [header, , signature] = token.split('.')
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
}

/** Starts an issuer on a free port of 127.0.0.1. */
export async function startOidcIssuer(): Promise<OidcIssuer> {
  const published: SigningKey[] = [await newKey('rsa-1', 'RS256'), await newKey('ec-1', 'ES256')]
  const forged = await newKey('rsa-1', 'RS256')
  const served = { discovery: 0, jwks: 0 }
  let url = ''
  const state = { failing: false }
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    if (state.failing) return send(503, { error: 'unavailable' })
    if (request.url === '/.well-known/openid-configuration') {
      served.discovery += 1
      return send(200, {
        issuer: url,
        jwks_uri: `${url}/keys`,
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      })
    }
    if (request.url === '/keys') {
      served.jwks += 1
      return send(200, { keys: published.map((k) => k.publicJwk) })
    }
    return send(404, { error: 'not found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  url = `http://127.0.0.1:${port}`
  const keyOf = (which: SignOptions['key']): SigningKey =>
    which === 'forged' ? forged : (published[which === 'ec' ? 1 : 0] as SigningKey)
  return {
    url,
    name: `127.0.0.1:${port}`,
    served,
    get failing() {
      return state.failing
    },
    set failing(value: boolean) {
      state.failing = value
    },
    sign(claims, options = {}) {
      const key = keyOf(options.key)
      return signWith(
        key,
        { iss: url, ...claims },
        options.kid === undefined ? key.kid : options.kid,
      )
    },
    async rotate(kid) {
      const key = await newKey(kid, 'RS256')
      published.push(key)
      return (claims) => signWith(key, { iss: url, ...claims }, kid)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
