/**
 * Versions of customer managed policies: CreatePolicyVersion, GetPolicyVersion,
 * ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion (reference §2, "Managed
 * policies and versions").
 */
import { AwsError } from '../../errors/aws-error.js'
import { NotFoundError } from '../../store/errors.js'
import { defineOperation } from '../operation.js'
import {
  checkManagedPolicyDocument,
  existingPolicy,
  policyArnResource,
} from './managed-policies.js'
import { policyVersionXml } from './policy-results.js'
import { BOOLEAN, POLICY_VERSION_ID } from './policy-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { ARN, PAGE_MEMBERS, POLICY_DOCUMENT, required } from './shapes.js'

/** IAM's NoSuchEntity for a version it cannot find, or for a missing policy of Get/SetDefault. */
function versionNotFound(arn: string, versionId: string): string {
  return `Policy ${arn} version ${versionId} does not exist or is not attachable.`
}

/** Runs a store call on one version, wording a missing version as IAM does. */
async function onVersion<T>(arn: string, versionId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    if (err instanceof NotFoundError && err.entity === 'policyVersion') {
      throw new AwsError('NoSuchEntity', versionNotFound(arn, versionId), { cause: err })
    }
    throw err
  }
}

const VERSION_INPUT = {
  kind: 'structure',
  members: { PolicyArn: required(ARN), VersionId: required(POLICY_VERSION_ID) },
} as const

/**
 * CreatePolicyVersion: a new version, the default if asked; LimitExceeded at the fifth. IAM
 * returns it without its document.
 */
export const CREATE_POLICY_VERSION = defineOperation({
  name: 'CreatePolicyVersion',
  action: 'iam:CreatePolicyVersion',
  input: {
    kind: 'structure',
    members: {
      PolicyArn: required(ARN),
      PolicyDocument: required(POLICY_DOCUMENT),
      SetAsDefault: BOOLEAN,
    },
  } as const,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    checkManagedPolicyDocument(input.PolicyDocument)
    const policy = await existingPolicy(ctx, input.PolicyArn)
    const version = await ctx.tx.createPolicyVersion(
      policy.accountId,
      policy.name,
      input.PolicyDocument,
      input.SetAsDefault ?? false,
    )
    return { PolicyVersion: policyVersionXml(version, false) }
  },
})

/** GetPolicyVersion: the version with its document, RFC 3986-encoded. */
export const GET_POLICY_VERSION = defineOperation({
  name: 'GetPolicyVersion',
  action: 'iam:GetPolicyVersion',
  input: VERSION_INPUT,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    const { PolicyArn: arn, VersionId: versionId } = input
    const policy = await existingPolicy(ctx, arn, () => versionNotFound(arn, versionId))
    const version = await onVersion(arn, versionId, () =>
      ctx.tx.getPolicyVersion(policy.accountId, policy.name, versionId),
    )
    return { PolicyVersion: policyVersionXml(version, true) }
  },
})

/** ListPolicyVersions: newest first, without their documents. */
export const LIST_POLICY_VERSIONS = defineOperation({
  name: 'ListPolicyVersions',
  action: 'iam:ListPolicyVersions',
  input: { kind: 'structure', members: { PolicyArn: required(ARN), ...PAGE_MEMBERS } } as const,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    const policy = await existingPolicy(ctx, input.PolicyArn)
    const page = await ctx.tx.listPolicyVersions(policy.accountId, policy.name, pageRequest(input))
    return { Versions: page.items.map((v) => policyVersionXml(v, false)), ...pageEnd(page) }
  },
})

/** DeletePolicyVersion: DeleteConflict for the default version. */
export const DELETE_POLICY_VERSION = defineOperation({
  name: 'DeletePolicyVersion',
  action: 'iam:DeletePolicyVersion',
  input: VERSION_INPUT,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    const { PolicyArn: arn, VersionId: versionId } = input
    const policy = await existingPolicy(ctx, arn)
    await onVersion(arn, versionId, () =>
      ctx.tx.deletePolicyVersion(policy.accountId, policy.name, versionId),
    )
    return undefined
  },
})

/** SetDefaultPolicyVersion: what every user, group and role it is attached to is allowed from now on. */
export const SET_DEFAULT_POLICY_VERSION = defineOperation({
  name: 'SetDefaultPolicyVersion',
  action: 'iam:SetDefaultPolicyVersion',
  input: VERSION_INPUT,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    const { PolicyArn: arn, VersionId: versionId } = input
    const policy = await existingPolicy(ctx, arn, () => versionNotFound(arn, versionId))
    await onVersion(arn, versionId, () =>
      ctx.tx.setDefaultPolicyVersion(policy.accountId, policy.name, versionId),
    )
    return undefined
  },
})
