/**
 * The account issuers' OpenID Connect discovery documents, unauthenticated as every OIDC
 * issuer's are, so that external services verify GetWebIdentityToken's tokens:
 *
 *   GET <issuer>/.well-known/openid-configuration   issuer, jwks_uri, the algorithms and claims
 *   GET <issuer>/.well-known/jwks.json              the issuer's public keys (never a private one)
 *
 * where <issuer> is `<origin>/gatehouse/v1/issuers/<issuer id>`, the origin the configured public
 * URL or else the request's. The JWKS holds each algorithm's signing key and the keys it replaced
 * that tokens still in their lifetime were signed with (publishedKeys). A disabled issuer is still
 * served: disabling stops new tokens, and those issued before stay verifiable (the model's
 * documentation of DisableOutboundWebIdentityFederation). An unknown issuer is a 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  ISSUER_PATH_PREFIX,
  OUTBOUND_SIGNING_ALGORITHMS,
  issuerUrl,
  publishedKeys,
} from '../services/iam/outbound-federation-issuer.js'
import type { OutboundIssuer } from '../store/outbound-federation-ops.js'
import type { PipelineDeps } from './query-pipeline.js'
import { requestOrigin } from './request-origin.js'

const CONFIGURATION_PATH = '/.well-known/openid-configuration'
const JWKS_PATH = '/.well-known/jwks.json'

// A short cache spares the store. A key rotation shows at once in tokens and within five minutes
// here; a verifier that meets an unknown kid fetches the JWKS again (jose, and OIDC libraries
// generally, do), and a replaced key stays published for an hour and more after it stopped.
const CACHE_CONTROL = 'public, max-age=300'

function originOf(request: FastifyRequest, deps: PipelineDeps): string {
  return requestOrigin(request.protocol === 'https', request.headers.host, deps.publicUrl)
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .header('content-type', 'application/json')
    .send(JSON.stringify({ error: 'not_found', error_description: 'No such issuer.' }))
}

function json(reply: FastifyReply, body: unknown): FastifyReply {
  return reply
    .code(200)
    .header('content-type', 'application/json')
    .header('cache-control', CACHE_CONTROL)
    .send(JSON.stringify(body))
}

/** The discovery document of `issuer`, reached at `origin`. */
export function openIdConfiguration(issuer: OutboundIssuer, origin: string): unknown {
  const url = issuerUrl(issuer.issuerId, origin)
  return {
    issuer: url,
    jwks_uri: `${url}${JWKS_PATH}`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: OUTBOUND_SIGNING_ALGORITHMS,
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'https://sts.amazonaws.com/'],
  }
}

/** The JWKS of `issuer` at `now`: the public keys that verify its tokens then. */
export function issuerJwks(issuer: OutboundIssuer, now: Date): unknown {
  return {
    keys: publishedKeys(issuer.keys, now).map((k) => JSON.parse(k.publicJwk) as unknown),
  }
}

/** Registers the discovery routes. */
export function registerWebIdentityIssuer(app: FastifyInstance, deps: PipelineDeps): void {
  const find = (request: FastifyRequest): Promise<OutboundIssuer | undefined> => {
    const { issuerId } = request.params as { readonly issuerId: string }
    return deps.store.transaction((tx) => tx.getOutboundIssuerById(issuerId), { readOnly: true })
  }
  app.get(`${ISSUER_PATH_PREFIX}:issuerId${CONFIGURATION_PATH}`, async (request, reply) => {
    const issuer = await find(request)
    return issuer === undefined
      ? notFound(reply)
      : json(reply, openIdConfiguration(issuer, originOf(request, deps)))
  })
  app.get(`${ISSUER_PATH_PREFIX}:issuerId${JWKS_PATH}`, async (request, reply) => {
    const issuer = await find(request)
    return issuer === undefined ? notFound(reply) : json(reply, issuerJwks(issuer, deps.clock()))
  })
}
