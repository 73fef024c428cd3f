/**
 * STS AssumeRoleWithSAML: unsigned; the SAMLAssertion is the base64 of an IdP's SAML 2.0
 * Response, signed (the Response or its Assertion) with a certificate of the IAM SAML provider
 * PrincipalArn names, made for AWS's sign-in endpoint, within its validity window, and naming
 * the pair "RoleArn,PrincipalArn" in its `https://aws.amazon.com/SAML/Attributes/Role`
 * attribute; the role's trust policy must allow sts:AssumeRoleWithSAML to Principal
 * `{"Federated": "<provider ARN>"}`, with the saml:* condition keys. The session's name is the
 * RoleSessionName attribute; the SessionDuration attribute and the SessionNotOnOrAfter of the
 * authentication statement bound its length (IAM User Guide, "Configure SAML assertions for the
 * authentication response").
 *
 * An assertion may come encrypted (saml:EncryptedAssertion) for a provider with private keys
 * (AddPrivateKey): decrypted with either of its keys, then verified as a plain one is
 * (../../auth/federation/verify-saml-response.ts). A provider whose AssertionEncryptionMode is
 * Required takes encrypted assertions only, made for its own endpoint
 * (`https://signin.aws.amazon.com/saml/acs/<SAMLProviderUUID>`); one that is Allowed takes both.
 */
import { checkSamlConditions } from '../../auth/federation/check-saml-conditions.js'
import {
  decodeSamlResponse,
  verifySamlResponse,
} from '../../auth/federation/verify-saml-response.js'
import { parseRoleArn } from '../../auth/role-by-arn.js'
import { AwsError } from '../../errors/aws-error.js'
import { NotFoundError } from '../../store/errors.js'
import {
  SamlPrivateKeyNotFoundError,
  SamlProviderNotFoundError,
} from '../../store/saml-provider-errors.js'
import type { SamlProvider } from '../../store/saml-providers-ops.js'
import { parseSamlMetadata } from '../iam/saml-metadata.js'
import { INVALID_ROLE_ARN_MESSAGE } from './assume-role.js'
import { defineFederatedOperation } from './federated-operation.js'
import type { FederationContext } from './federated-operation.js'
import {
  identityProviderSourceIdentity,
  identityProviderTags,
} from './identity-provider-attributes.js'
import { samlConditionKeys, samlNameQualifier, samlSubjectType } from './saml-condition-keys.js'
import { POLICY_ARNS, ROLE_DURATION_SECONDS, SESSION_POLICY, STS_ARN, required } from './shapes.js'
import { notAuthorizedMessage, startFederatedSession } from './start-federated-session.js'

/** SAMLAssertionType: the base64 Response, 4 to 100,000 characters, never quoted in an error. */
const SAML_ASSERTION = { kind: 'string', min: 4, max: 100_000, sensitive: true } as const

const INPUT = {
  kind: 'structure',
  members: {
    RoleArn: required(STS_ARN),
    PrincipalArn: required(STS_ARN),
    SAMLAssertion: required(SAML_ASSERTION),
    PolicyArns: POLICY_ARNS,
    Policy: SESSION_POLICY,
    DurationSeconds: ROLE_DURATION_SECONDS,
  },
} as const

const ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/'

/** The attributes AWS reads, by Name (case matters: "It must be set to ... exactly"). */
export const SAML_ATTRIBUTES = {
  role: `${ATTRIBUTE}Role`,
  roleSessionName: `${ATTRIBUTE}RoleSessionName`,
  sessionDuration: `${ATTRIBUTE}SessionDuration`,
  sourceIdentity: `${ATTRIBUTE}SourceIdentity`,
  principalTagPrefix: `${ATTRIBUTE}PrincipalTag:`,
  transitiveTagKeys: `${ATTRIBUTE}TransitiveTagKeys`,
} as const

/** AWS's refusal of a PrincipalArn that names no SAML provider. */
export const NO_SAML_PROVIDER_MESSAGE = "Specified provider doesn't exist"

/** AWS's refusal of a RoleSessionName attribute that is missing or malformed. */
export const ROLE_SESSION_NAME_MESSAGE =
  'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}'

const SAML_PROVIDER_ARN = /^arn:aws:iam::(\d{12}):saml-provider\/([\w+=,.@-]{1,128})$/

/** The provider PrincipalArn names; InvalidIdentityToken when there is none. */
async function samlProvider(ctx: FederationContext, arn: string): Promise<SamlProvider> {
  const match = SAML_PROVIDER_ARN.exec(arn)
  if (match === null) throw new AwsError('InvalidIdentityToken', NO_SAML_PROVIDER_MESSAGE)
  const [, accountId, name] = match as unknown as [string, string, string]
  const provider = await ctx.store.transaction(
    async (tx) => {
      try {
        return await tx.getSamlProvider(accountId, name)
      } catch (err) {
        if (err instanceof SamlProviderNotFoundError || err instanceof NotFoundError) {
          return undefined
        }
        throw err
      }
    },
    { readOnly: true },
  )
  // Names match without case in the store; the ARN must be the provider's own.
  if (provider === undefined || provider.arn !== arn) {
    throw new AwsError('InvalidIdentityToken', NO_SAML_PROVIDER_MESSAGE)
  }
  return provider
}

/**
 * The provider's private keys, PEM, oldest first. SECURITY: opened only for an encrypted
 * assertion, held no longer than the call, and never logged or returned.
 */
async function samlPrivateKeys(
  ctx: FederationContext,
  provider: SamlProvider,
): Promise<readonly string[]> {
  if (provider.privateKeys.length === 0) return []
  return await ctx.store.transaction(
    async (tx) => {
      const keys: string[] = []
      for (const { keyId } of provider.privateKeys) {
        try {
          keys.push(await tx.getSamlProviderPrivateKey(provider.accountId, provider.name, keyId))
        } catch (err) {
          // Removed since the provider was read (a rotation, or the provider deleted): skipped.
          if (
            err instanceof SamlPrivateKeyNotFoundError ||
            err instanceof SamlProviderNotFoundError
          ) {
            continue
          }
          throw err
        }
      }
      return keys
    },
    { readOnly: true },
  )
}

/** The only value of a single-valued attribute, undefined when absent; InvalidIdentityToken for several. */
function single(values: readonly string[] | undefined, what: string): string | undefined {
  if (values === undefined || values.length === 0) return undefined
  if (values.length > 1) {
    throw new AwsError(
      'InvalidIdentityToken',
      `The SAML attribute ${what} has more than one value.`,
    )
  }
  return values[0]
}

/** Whether the Role attribute names the pair (either order, as IdPs write both). */
function namesRole(values: readonly string[], roleArn: string, providerArn: string): boolean {
  return values.some((value) => {
    const parts = value.split(',').map((part) => part.trim())
    return (
      parts.length === 2 &&
      ((parts[0] === roleArn && parts[1] === providerArn) ||
        (parts[0] === providerArn && parts[1] === roleArn))
    )
  })
}

/** The SessionDuration attribute in seconds (900 to 43200), if the assertion has one. */
function sessionDuration(values: readonly string[] | undefined): number | undefined {
  const text = single(values, SAML_ATTRIBUTES.sessionDuration)
  if (text === undefined) return undefined
  const seconds = /^\d{1,6}$/.test(text) ? Number(text) : NaN
  if (!(seconds >= 900 && seconds <= 43200)) {
    throw new AwsError(
      'InvalidIdentityToken',
      'The SessionDuration attribute must be a number of seconds from 900 to 43200.',
    )
  }
  return seconds
}

/** AssumeRoleWithSAML. */
export const ASSUME_ROLE_WITH_SAML = defineFederatedOperation({
  name: 'AssumeRoleWithSAML',
  action: 'sts:AssumeRoleWithSAML',
  input: INPUT,
  async federate(input, ctx) {
    const role = parseRoleArn(input.RoleArn)
    if (role === undefined) throw new AwsError('ValidationError', INVALID_ROLE_ARN_MESSAGE)
    ctx.progress({ accountId: role.account })

    const provider = await samlProvider(ctx, input.PrincipalArn)
    ctx.progress({ providerArn: provider.arn })
    if (provider.validUntil.getTime() <= ctx.now.getTime()) {
      throw new AwsError(
        'InvalidIdentityToken',
        `The metadata of the SAML provider ${provider.arn} expired at ${provider.validUntil.toISOString()}.`,
      )
    }
    const metadata = parseSamlMetadata(provider.metadataDocument)
    const encryption = provider.assertionEncryptionMode
    const { assertion, destination } = await verifySamlResponse(
      decodeSamlResponse(input.SAMLAssertion),
      {
        certificates: metadata.signingCertificates.map((certificate) => certificate.toString()),
        entityId: metadata.entityId,
        encryption,
        privateKeys: () => samlPrivateKeys(ctx, provider),
      },
    )
    checkSamlConditions(assertion, destination, ctx.now, {
      providerId: provider.uuid,
      encryptionRequired: encryption === 'Required',
    })

    const nameQualifier = samlNameQualifier(assertion.issuer, provider.accountId, provider.name)
    const subject = assertion.nameId ?? ''
    ctx.progress({
      identity: {
        type: 'SAMLUser',
        principalId: `${nameQualifier}:${subject}`,
        userName: subject,
        identityProvider: nameQualifier,
      },
    })

    const attributes = assertion.attributes
    if (!namesRole(attributes.get(SAML_ATTRIBUTES.role) ?? [], input.RoleArn, provider.arn)) {
      throw new AwsError('AccessDenied', notAuthorizedMessage('sts:AssumeRoleWithSAML'))
    }
    const sessionName = single(
      attributes.get(SAML_ATTRIBUTES.roleSessionName),
      SAML_ATTRIBUTES.roleSessionName,
    )
    if (sessionName === undefined || !/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new AwsError('InvalidIdentityToken', ROLE_SESSION_NAME_MESSAGE)
    }
    const tags = [...attributes]
      .filter(([name]) => name.startsWith(SAML_ATTRIBUTES.principalTagPrefix))
      .map(([name, values]) => ({
        key: name.slice(SAML_ATTRIBUTES.principalTagPrefix.length),
        value: single(values, name) ?? '',
      }))
    const maxSeconds = sessionDuration(attributes.get(SAML_ATTRIBUTES.sessionDuration))

    const session = await ctx.store.transaction(
      (tx) =>
        startFederatedSession(tx, ctx, {
          action: 'sts:AssumeRoleWithSAML',
          roleArn: input.RoleArn,
          sessionName,
          providerArn: provider.arn,
          conditionKeys: samlConditionKeys(assertion, provider.accountId, provider.name),
          tags: identityProviderTags(tags, attributes.get(SAML_ATTRIBUTES.transitiveTagKeys) ?? []),
          sourceIdentity: identityProviderSourceIdentity(
            single(attributes.get(SAML_ATTRIBUTES.sourceIdentity), SAML_ATTRIBUTES.sourceIdentity),
          ),
          policy: input.Policy,
          policyArns: input.PolicyArns,
          durationSeconds: input.DurationSeconds,
          ...(maxSeconds === undefined ? {} : { maxSecondsByIdp: maxSeconds }),
          ...(assertion.sessionNotOnOrAfter === undefined
            ? {}
            : { endsNoLaterThan: assertion.sessionNotOnOrAfter }),
        }),
      { readOnly: true },
    )
    return {
      Credentials: session.credentials,
      AssumedRoleUser: session.assumedRoleUser,
      PackedPolicySize: session.packedPolicySize,
      Subject: assertion.nameId,
      SubjectType: samlSubjectType(assertion.nameIdFormat),
      Issuer: assertion.issuer,
      Audience: assertion.recipient,
      NameQualifier: nameQualifier,
      SourceIdentity: session.sourceIdentity,
    }
  },
})
