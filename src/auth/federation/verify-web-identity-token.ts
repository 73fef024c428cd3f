/**
 * Verifying an OpenID Connect ID token for AssumeRoleWithWebIdentity: its signature against the
 * issuer's published keys (RS256/384/512 or ES256/384/512, as STS's API reference lists), its
 * times (exp required, nbf and iat honoured, with a small skew), and its audience against the IAM
 * OIDC provider's client ids. What fails answers with STS's errors: InvalidIdentityToken,
 * ExpiredTokenException, IDPCommunicationError. SECURITY: no message or cause carries the token.
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose'
import type { JWTHeaderParameters, JWTPayload } from 'jose'
import { AwsError } from '../../errors/aws-error.js'
import { IdpCommunicationError } from './oidc-key-source.js'
import type { OidcKeySource } from './oidc-key-source.js'

/** The algorithms STS accepts ("Tokens must be signed using either RSA keys ... or ECDSA keys"). */
export const WEB_IDENTITY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512']

/** How far a token's times may be off the server's clock, in seconds. */
export const WEB_IDENTITY_CLOCK_SKEW_SECONDS = 60

/** AWS's answer when the issuer's keys hold none that fits the token. */
export const NO_VERIFICATION_KEY_MESSAGE =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"

/** AWS's answer to a token whose audience is none of the provider's client ids. */
export const INCORRECT_AUDIENCE_MESSAGE = 'Incorrect token audience'

/** The IAM OIDC provider a token's issuer matched. */
export interface TrustedOidcProvider {
  /** The provider's URL without `https://`: the prefix of its condition keys. */
  readonly name: string
  readonly arn: string
  readonly clientIds: readonly string[]
}

/** A verified token: its claims, and the audience that matched a client id. */
export interface VerifiedWebIdentity {
  readonly issuer: string
  readonly subject: string
  /** The client id the token was issued to: `azp` when the provider lists it, else the `aud` it lists. */
  readonly audience: string
  /** Every claim of the token, verified. */
  readonly claims: JWTPayload
}

function invalid(message: string, cause?: unknown): AwsError {
  return new AwsError('InvalidIdentityToken', message, cause === undefined ? undefined : { cause })
}

// The text of a JOSE error without anything of the token: for the log only.
function describe(err: unknown): Error {
  return err instanceof Error ? new Error(`${err.name}: ${err.message}`) : new Error(String(err))
}

/**
 * The `iss` of a token, read before anything is verified: it names the provider (and so the keys)
 * to verify the token with. InvalidIdentityToken when the token is not a signed JWT with an issuer.
 */
export function peekIssuer(token: string): string {
  // A JWS in compact form has three parts; five would be an encrypted JWT, which STS does not take.
  if (token.split('.').length !== 3) {
    throw invalid('The web identity token is not a signed JSON Web Token.')
  }
  let claims: JWTPayload
  try {
    decodeProtectedHeader(token)
    claims = decodeJwt(token)
  } catch (err) {
    throw invalid('The web identity token is not a signed JSON Web Token.', describe(err))
  }
  if (typeof claims.iss !== 'string' || claims.iss === '') {
    throw invalid('The web identity token has no iss claim.')
  }
  return claims.iss
}

/** Whether the token's audience (`aud`, or `azp`) names one of the provider's client ids. */
function matchedAudience(claims: JWTPayload, clientIds: readonly string[]): string | undefined {
  const allowed = new Set(clientIds)
  if (typeof claims['azp'] === 'string' && allowed.has(claims['azp'])) return claims['azp']
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? [])
  return audiences.find((aud) => allowed.has(aud))
}

/**
 * Verifies `token`, whose issuer `issuer` (peekIssuer) matched `provider`, at time `now`, with
 * the keys `keys` fetches.
 */
export async function verifyWebIdentityToken(
  token: string,
  issuer: string,
  provider: TrustedOidcProvider,
  keys: OidcKeySource,
  now: Date,
): Promise<VerifiedWebIdentity> {
  const header = decodeProtectedHeader(token)
  if (typeof header.alg !== 'string' || !WEB_IDENTITY_ALGORITHMS.includes(header.alg)) {
    throw invalid(
      `The web identity token is signed with ${String(header.alg)}; tokens must be signed with ${WEB_IDENTITY_ALGORITHMS.join(', ')}.`,
    )
  }

  const keyFor = async (protectedHeader: JWTHeaderParameters) => {
    try {
      return await createLocalJWKSet(await keys.keys(issuer))(protectedHeader)
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err
      // The issuer may have rotated its keys since they were fetched: look once more.
      return await createLocalJWKSet(await keys.keys(issuer, { refresh: true }))(protectedHeader)
    }
  }

  let claims: JWTPayload
  try {
    ;({ payload: claims } = await jwtVerify(token, keyFor, {
      algorithms: WEB_IDENTITY_ALGORITHMS,
      currentDate: now,
      clockTolerance: WEB_IDENTITY_CLOCK_SKEW_SECONDS,
      issuer,
      requiredClaims: ['exp', 'sub'],
    }))
  } catch (err) {
    throw mapVerificationError(err, now)
  }

  const audience = matchedAudience(claims, provider.clientIds)
  if (audience === undefined) throw invalid(INCORRECT_AUDIENCE_MESSAGE)
  return { issuer, subject: String(claims.sub), audience, claims }
}

/** STS's error for what jose (or the key source) refused; anything else as it was thrown. */
function mapVerificationError(err: unknown, now: Date): unknown {
  if (err instanceof AwsError) return err
  if (err instanceof IdpCommunicationError) {
    return new AwsError(
      'IDPCommunicationError',
      `The identity provider could not be reached to verify the token: ${err.message}.`,
      { cause: err },
    )
  }
  if (err instanceof errors.JWTExpired) {
    const exp = typeof err.payload.exp === 'number' ? err.payload.exp : 0
    return new AwsError(
      'ExpiredTokenException',
      `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${exp}`,
      { cause: describe(err) },
    )
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSInvalid) {
    return invalid(NO_VERIFICATION_KEY_MESSAGE, describe(err))
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return invalid('The web identity token signature could not be verified.', describe(err))
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' || err.claim === 'iat') {
      return invalid(`The web identity token is not yet valid (${err.claim}).`, describe(err))
    }
    return invalid(`The web identity token's ${err.claim} claim is not valid.`, describe(err))
  }
  if (err instanceof errors.JOSEError) {
    return invalid('The web identity token could not be verified.', describe(err))
  }
  // Anything else (a bug, say) is the mapper's: a server fault, its cause in the log only.
  return err
}
