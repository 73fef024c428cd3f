/**
 * STS GetFederationToken: temporary credentials for a federated user of the IAM user (or root
 * user) that calls. Its permissions are the caller's cut down by the session policies it passes;
 * with none passed it has none (S25).
 */
import { federatedUserArn } from '../../auth/caller.js'
import { defineOperation } from '../operation.js'
import { DEFAULT_SESSION_SECONDS, ROOT_MAX_SESSION_SECONDS } from './get-session-token.js'
import { issueCredentials } from './issue-credentials.js'
import { packedPolicySize } from './packed-policy-size.js'
import { readSessionPolicies } from './session-policies.js'
import { sessionTagKeys, sessionTags } from './session-tags.js'
import {
  DURATION_SECONDS,
  FEDERATED_USER_NAME,
  POLICY_ARNS,
  SESSION_POLICY,
  SESSION_TAGS,
  required,
} from './shapes.js'

const INPUT = {
  kind: 'structure',
  members: {
    Name: required(FEDERATED_USER_NAME),
    Policy: SESSION_POLICY,
    PolicyArns: POLICY_ARNS,
    DurationSeconds: DURATION_SECONDS,
    Tags: SESSION_TAGS,
  },
} as const

/** GetFederationToken. */
export const GET_FEDERATION_TOKEN = defineOperation({
  name: 'GetFederationToken',
  action: 'sts:GetFederationToken',
  input: INPUT,
  resource: (input, ctx) => federatedUserArn(ctx.caller.accountId, input.Name),
  conditionKeys: (input) => sessionTagKeys(input.Tags),
  async handle(input, ctx) {
    const { caller } = ctx
    const user = caller.kind === 'user' ? caller.user : null
    let duration = input.DurationSeconds ?? DEFAULT_SESSION_SECONDS
    if (user === null) duration = Math.min(duration, ROOT_MAX_SESSION_SECONDS)
    const tags = sessionTags(input.Tags, undefined, { tags: [], transitiveTagKeys: [] })
    const policies = await readSessionPolicies(
      ctx.tx,
      { policy: input.Policy, policyArns: input.PolicyArns },
      caller.accountId,
    )
    const packed = packedPolicySize(policies, tags.tags)
    const credentials = issueCredentials(
      ctx,
      {
        accountId: caller.accountId,
        principal: {
          kind: 'federatedUser',
          name: input.Name,
          federatedBy:
            user === null ? null : { userId: user.userId, userName: user.name, userArn: user.arn },
        },
        policies,
        tags: tags.tags,
        transitiveTagKeys: [],
        sourceIdentity: null,
        chained: false,
        mfa: false,
      },
      duration,
    )
    return {
      Credentials: credentials,
      FederatedUser: {
        FederatedUserId: `${caller.accountId}:${input.Name}`,
        Arn: federatedUserArn(caller.accountId, input.Name),
      },
      PackedPolicySize: policies !== null || tags.tags.length > 0 ? packed : undefined,
    }
  },
})
