/**
 * The conditions under which STS takes a verified SAML assertion: it was made for AWS's sign-in
 * endpoint (the bearer confirmation's Recipient, the Response's Destination when it has one, and
 * the audience restriction when there is one), the shared one or the provider's own, and the
 * provider's own when it requires encrypted assertions; and it is used within its validity
 * window, with a small allowance for clocks that differ.
 */
import { AwsError } from '../../errors/aws-error.js'
import type { SamlAssertion } from './read-saml-assertion.js'

/** How far the IdP's clock may be off the server's, in seconds. */
export const SAML_CLOCK_SKEW_SECONDS = 60

/**
 * AWS's SAML endpoints, where an IdP posts its responses: `https://signin.aws.amazon.com/saml`,
 * `https://<region-code>.signin.aws.amazon.com/saml`, `https://signin.aws.amazon.com/static/saml`,
 * the same with `/acs/<IdP-ID>`, and the China and GovCloud partitions' sign-in hosts (IAM User
 * Guide, "Configure SAML assertions for the authentication response"; AWS General Reference,
 * "AWS Sign-In endpoints"). The IdP-ID is "the unique identifier AWS assigns to your SAML
 * provider", its SAMLProviderUUID; group 1 captures it.
 */
const AWS_SAML_ENDPOINT =
  /^https:\/\/(?:[a-z0-9-]+\.)?signin\.(?:aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)\/(?:static\/)?saml(?:\/acs\/([A-Za-z0-9-]+))?\/?$/

/** The audiences IdPs name AWS by in an AudienceRestriction (`urn:amazon:webservices`, ...). */
const AWS_AUDIENCES: ReadonlySet<string> = new Set([
  'urn:amazon:webservices',
  'urn:amazon:webservices:cn',
  'urn:amazon:webservices:govcloud',
])

/** The SAML provider an assertion is for, as the endpoint checks need it. */
export interface SamlEndpointProvider {
  /** Its SAMLProviderUUID: the IdP-ID of its own endpoint, `.../saml/acs/<IdP-ID>`. */
  readonly providerId: string
  /**
   * Whether its AssertionEncryptionMode is Required: "If SAML encryption is required, the
   * sign-in URL must include the unique identifier AWS assigns to your SAML provider" (IAM User
   * Guide, "Configure SAML assertions for the authentication response").
   */
  readonly encryptionRequired: boolean
}

/**
 * Whether `url` is one of AWS's SAML endpoints for the provider `providerId`: the shared ones,
 * or its own (an endpoint with another provider's IdP-ID is not), or, with `ownOnly`, its own
 * only.
 */
export function isAwsSamlEndpoint(url: string, providerId: string, ownOnly = false): boolean {
  const match = AWS_SAML_ENDPOINT.exec(url)
  if (match === null) return false
  const id = match[1]
  return id === undefined ? !ownOnly : id === providerId
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message)
}

function expired(at: Date, now: Date): AwsError {
  return new AwsError(
    'ExpiredTokenException',
    `The SAML assertion is no longer valid: it expired at ${at.toISOString()}, and it is now ${now.toISOString()}.`,
  )
}

/** Checks `assertion` (with its response's Destination) for `provider` at time `now`. */
export function checkSamlConditions(
  assertion: SamlAssertion,
  destination: string | undefined,
  now: Date,
  provider: SamlEndpointProvider,
): void {
  const { providerId, encryptionRequired } = provider
  if (!isAwsSamlEndpoint(assertion.recipient, providerId)) {
    throw invalid(
      `The SAML assertion's Recipient ${assertion.recipient} is not an AWS sign-in endpoint for this SAML provider, such as https://signin.aws.amazon.com/saml.`,
    )
  }
  // Invented message: AWS's answer to the shared endpoint when its own is required is not on record.
  if (encryptionRequired && !isAwsSamlEndpoint(assertion.recipient, providerId, true)) {
    throw invalid(
      `The SAML provider requires encrypted assertions: the SAML assertion's Recipient must be its own sign-in endpoint, https://signin.aws.amazon.com/saml/acs/${providerId}.`,
    )
  }
  if (destination !== undefined && !isAwsSamlEndpoint(destination, providerId)) {
    throw invalid(
      `The SAML response's Destination ${destination} is not an AWS sign-in endpoint for this SAML provider, such as https://signin.aws.amazon.com/saml.`,
    )
  }
  const audiences = assertion.conditions.audiences
  if (
    audiences.length > 0 &&
    !audiences.some(
      (audience) => AWS_AUDIENCES.has(audience) || isAwsSamlEndpoint(audience, providerId),
    )
  ) {
    throw invalid(
      'The SAML assertion is restricted to audiences other than urn:amazon:webservices.',
    )
  }

  const skew = SAML_CLOCK_SKEW_SECONDS * 1000
  const notBefore = assertion.conditions.notBefore
  if (notBefore !== undefined && notBefore.getTime() - skew > now.getTime()) {
    throw invalid(`The SAML assertion is not valid before ${notBefore.toISOString()}.`)
  }
  for (const end of [assertion.notOnOrAfter, assertion.conditions.notOnOrAfter]) {
    if (end !== undefined && end.getTime() + skew <= now.getTime()) throw expired(end, now)
  }
}
