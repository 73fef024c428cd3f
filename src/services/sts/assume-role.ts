/**
 * STS AssumeRole: temporary credentials for a session of a role. The pipeline has already
 * authorized sts:AssumeRole on the role with the role's trust policy as the resource-based policy
 * (and sts:TagSession, sts:SetSourceIdentity when the request passes tags or a source identity);
 * the handler checks what authorization does not: MFA, the duration against the role's maximum
 * and the role-chaining cap, the source identity of a chain, the session tags and policies, and
 * their packed size.
 */
import { assumedRoleArn, sessionOf } from '../../auth/caller.js'
import { parseRoleArn } from '../../auth/role-by-arn.js'
import { AwsError } from '../../errors/aws-error.js'
import { denialMessage } from '../../policy/index.js'
import type { ContextValue } from '../../policy/index.js'
import { defineOperation } from '../operation.js'
import { verifyMfa } from './check-mfa.js'
import type { MfaProof } from './check-mfa.js'
import { issueCredentials } from './issue-credentials.js'
import { packedPolicySize } from './packed-policy-size.js'
import { readSessionPolicies } from './session-policies.js'
import { inheritedTags, sessionTagKeys, sessionTags } from './session-tags.js'
import {
  EXTERNAL_ID,
  POLICY_ARNS,
  PROVIDED_CONTEXTS,
  ROLE_DURATION_SECONDS,
  ROLE_SESSION_NAME,
  SERIAL_NUMBER,
  SESSION_TAGS,
  SOURCE_IDENTITY,
  STS_ARN,
  TOKEN_CODE,
  TRANSITIVE_TAG_KEYS,
  UNRESTRICTED_SESSION_POLICY,
  required,
} from './shapes.js'

/** A role session lasts an hour unless the request says otherwise. */
export const DEFAULT_ROLE_SESSION_SECONDS = 3600

/** The longest session role chaining gives ("Role chaining limits ... to a maximum of one hour"). */
export const ROLE_CHAINING_MAX_SECONDS = 3600

/** AWS's ValidationError messages for a DurationSeconds the role does not allow. */
export const DURATION_MESSAGES = {
  maxSessionDuration:
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  roleChaining:
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
} as const

/** STS's ValidationError message for a RoleArn that is not a role's ARN. */
export const INVALID_ROLE_ARN_MESSAGE = 'Request ARN is invalid'

const INPUT = {
  kind: 'structure',
  members: {
    RoleArn: required(STS_ARN),
    RoleSessionName: required(ROLE_SESSION_NAME),
    PolicyArns: POLICY_ARNS,
    Policy: UNRESTRICTED_SESSION_POLICY,
    DurationSeconds: ROLE_DURATION_SECONDS,
    Tags: SESSION_TAGS,
    TransitiveTagKeys: TRANSITIVE_TAG_KEYS,
    ExternalId: EXTERNAL_ID,
    SerialNumber: SERIAL_NUMBER,
    TokenCode: TOKEN_CODE,
    SourceIdentity: SOURCE_IDENTITY,
    ProvidedContexts: PROVIDED_CONTEXTS,
  },
} as const

/**
 * What a call's MFA fields proved, from its condition keys (where the code is used up) to its
 * handler: the two share the call's context object, and a code may be used once only.
 */
const MFA_OF_CALL = new WeakMap<object, MfaProof>()

/** AssumeRole. */
export const ASSUME_ROLE = defineOperation({
  name: 'AssumeRole',
  action: 'sts:AssumeRole',
  // It issues a token and writes nothing, unless it uses up an MFA code.
  readOnly: true,
  writes: (input) => input.SerialNumber !== undefined || input.TokenCode !== undefined,
  input: INPUT,
  resource: (input) => {
    // STS's answer to an ARN that names no role (an identity provider's, a user's, ...).
    if (parseRoleArn(input.RoleArn) === undefined) {
      throw new AwsError('ValidationError', INVALID_ROLE_ARN_MESSAGE)
    }
    return input.RoleArn
  },
  conditionKeys: async (input, ctx) => {
    const keys: Record<string, ContextValue> = {
      'sts:RoleSessionName': input.RoleSessionName,
      ...sessionTagKeys(input.Tags),
    }
    // The code is checked before the trust policy is: it may demand aws:MultiFactorAuthPresent.
    const mfa = await verifyMfa(ctx, input.SerialNumber, input.TokenCode)
    MFA_OF_CALL.set(ctx, mfa)
    if (mfa.present) {
      keys['aws:MultiFactorAuthPresent'] = 'true'
      keys['aws:MultiFactorAuthAge'] = '0'
    }
    if (input.ExternalId !== undefined) keys['sts:ExternalId'] = input.ExternalId
    if (input.SourceIdentity !== undefined) keys['sts:SourceIdentity'] = input.SourceIdentity
    if (input.TransitiveTagKeys !== undefined) {
      keys['sts:TransitiveTagKeys'] = input.TransitiveTagKeys
    }
    return keys
  },
  async handle(input, ctx) {
    const { caller } = ctx
    const mfa = MFA_OF_CALL.get(ctx) ?? (await verifyMfa(ctx, input.SerialNumber, input.TokenCode))
    if (input.ProvidedContexts !== undefined) {
      throw new AwsError(
        'InvalidParameterValue',
        'ProvidedContexts is not supported: this server trusts no context provider.',
      )
    }
    // Read-only: the role authorization read is kept, and is the one answered.
    const role = await ctx.cache.roleByArn(input.RoleArn, ctx.tx)
    // Only reached without a role in report-only mode, where the denial was logged, not sent.
    if (role === undefined) {
      throw new AwsError(
        'AccessDenied',
        denialMessage(caller.arn, 'sts:AssumeRole', input.RoleArn, false, 'roleTrust'),
      )
    }

    const chained = caller.kind === 'assumedRole'
    const duration = input.DurationSeconds ?? DEFAULT_ROLE_SESSION_SECONDS
    if (chained && duration > ROLE_CHAINING_MAX_SECONDS) {
      throw new AwsError('ValidationError', DURATION_MESSAGES.roleChaining)
    }
    if (duration > role.maxSessionDuration) {
      throw new AwsError('ValidationError', DURATION_MESSAGES.maxSessionDuration)
    }

    const parent = sessionOf(caller)
    const inheritedSource = parent?.sourceIdentity ?? null
    if (
      inheritedSource !== null &&
      input.SourceIdentity !== undefined &&
      input.SourceIdentity !== inheritedSource
    ) {
      throw new AwsError(
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:SetSourceIdentity on resource: ${role.arn} because the source identity of a session cannot be changed once it is set`,
      )
    }
    const sourceIdentity = input.SourceIdentity ?? inheritedSource
    const tags = sessionTags(input.Tags, input.TransitiveTagKeys, inheritedTags(parent))
    const policies = await readSessionPolicies(
      ctx.tx,
      { policy: input.Policy, policyArns: input.PolicyArns },
      role.accountId,
    )
    const packed = packedPolicySize(policies, tags.tags)

    const sessionName = input.RoleSessionName
    const credentials = issueCredentials(
      ctx,
      {
        accountId: role.accountId,
        principal: {
          kind: 'assumedRole',
          roleId: role.roleId,
          roleName: role.name,
          roleArn: role.arn,
          sessionName,
        },
        policies,
        tags: tags.tags,
        transitiveTagKeys: tags.transitiveTagKeys,
        sourceIdentity,
        chained,
        mfa: mfa.present,
      },
      duration,
    )
    return {
      Credentials: credentials,
      AssumedRoleUser: {
        AssumedRoleId: `${role.roleId}:${sessionName}`,
        Arn: assumedRoleArn(role.accountId, role.name, sessionName),
      },
      PackedPolicySize: policies !== null || tags.tags.length > 0 ? packed : undefined,
      SourceIdentity: sourceIdentity ?? undefined,
    }
  },
})
