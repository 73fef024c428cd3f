/**
 * Customer managed policies: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy (reference §2,
 * "Managed policies and versions"), and what the other managed-policy operations share: the
 * checks of a new document and of a policy's tags, and the policy a PolicyArn names.
 */
import { AwsError } from '../../errors/aws-error.js'
import { parsePolicy } from '../../policy/index.js'
import { allItems } from '../../store/all-items.js'
import { entityArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import { policySize } from '../../store/limits.js'
import type { ManagedPolicy, PolicyListRequest, Tag } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { requestTagKeys } from './check-tags.js'
import { managedPolicyByArn, parseManagedPolicyArn } from './managed-policy-arn.js'
import { policyXml } from './policy-results.js'
import {
  BOOLEAN,
  POLICY_DESCRIPTION,
  POLICY_PATH,
  POLICY_SCOPE,
  POLICY_USAGE,
} from './policy-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { ARN, PAGE_MEMBERS, POLICY_DOCUMENT, POLICY_NAME, TAGS, required } from './shapes.js'

/**
 * The size of one managed policy version, in characters other than white space (reference §4.4:
 * "Cannot exceed quota for PolicySize: 6144"). A per-document rule, so the handlers', not the
 * store's.
 */
export const MANAGED_POLICY_SIZE_QUOTA = 6144

/**
 * Checks a document for a new managed policy version as IAM does: a valid identity policy that
 * says Version 2012-10-17 (MalformedPolicyDocument), then within the size quota (LimitExceeded).
 */
export function checkManagedPolicyDocument(document: string): void {
  parsePolicy(document, 'identity', { requireCurrentVersion: true })
  if (policySize(document) > MANAGED_POLICY_SIZE_QUOTA) {
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_SIZE_QUOTA}`,
    )
  }
}

/**
 * Checks a managed policy's new tags. Unlike users' and roles', a policy's tag keys are compared
 * with case, so only an exact repeat is a duplicate, and IAM's message says nothing of case
 * (LocalStack's AWS-validated provider: "Duplicate tag keys found.").
 */
export function checkPolicyTags(
  tags: readonly { readonly Key: string; readonly Value: string }[],
): Tag[] {
  const seen = new Set<string>()
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      throw new AwsError('InvalidInput', "Tag keys cannot start with the reserved prefix 'aws:'.")
    }
    if (seen.has(tag.Key)) throw new AwsError('InvalidInput', 'Duplicate tag keys found.')
    seen.add(tag.Key)
  }
  return tags.map((t) => ({ key: t.Key, value: t.Value }))
}

/**
 * The ARN an operation on a managed policy is authorized on: the PolicyArn as given, once it is
 * a policy ARN at all (InvalidInput, as for any malformed input, before authorization).
 */
export function policyArnResource(arn: string): string {
  parseManagedPolicyArn(arn)
  return arn
}

/** IAM's NoSuchEntity for a policy the operations other than the attach ones cannot find. */
export function policyNotFoundMessage(arn: string): string {
  return `Policy ${arn} was not found.`
}

/**
 * The caller's managed policy that `arn` names. IAM words a missing one differently per
 * operation: "Policy ARN was not found." for most (LocalStack's AWS-validated provider), "does
 * not exist or is not attachable" for the attach operations, with a version for some.
 */
export async function existingPolicy(
  ctx: OperationContext,
  arn: string,
  notFound: (arn: string) => string = policyNotFoundMessage,
): Promise<ManagedPolicy> {
  try {
    return await managedPolicyByArn(ctx, arn)
  } catch (err) {
    if (err instanceof NotFoundError && err.entity === 'policy') {
      throw new AwsError('NoSuchEntity', notFound(arn), { cause: err })
    }
    throw err
  }
}

const CREATE_POLICY_INPUT = {
  kind: 'structure',
  members: {
    PolicyName: required(POLICY_NAME),
    Path: POLICY_PATH,
    PolicyDocument: required(POLICY_DOCUMENT),
    Description: POLICY_DESCRIPTION,
    Tags: TAGS,
  },
} as const

/** CreatePolicy: the document becomes version v1, the default. */
export const CREATE_POLICY = defineOperation({
  name: 'CreatePolicy',
  action: 'iam:CreatePolicy',
  input: CREATE_POLICY_INPUT,
  resource: (input, ctx) =>
    entityArn('policy', ctx.caller.accountId, input.Path ?? '/', input.PolicyName),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    checkManagedPolicyDocument(input.PolicyDocument)
    const tags = checkPolicyTags(input.Tags ?? [])
    const policy = await ctx.tx.createPolicy({
      accountId: ctx.caller.accountId,
      name: input.PolicyName,
      ...(input.Path === undefined ? {} : { path: input.Path }),
      ...(input.Description === undefined ? {} : { description: input.Description }),
      document: input.PolicyDocument,
      tags,
    })
    return { Policy: policyXml(policy, 'create', tags) }
  },
})

/** GetPolicy: the policy with its description and tags. */
export const GET_POLICY = defineOperation({
  name: 'GetPolicy',
  action: 'iam:GetPolicy',
  input: { kind: 'structure', members: { PolicyArn: required(ARN) } } as const,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    const policy = await existingPolicy(ctx, input.PolicyArn)
    const tags = await allItems((r) =>
      ctx.tx.listTags({ kind: 'policy', accountId: policy.accountId, name: policy.name }, r),
    )
    return { Policy: policyXml(policy, 'get', tags) }
  },
})

const LIST_POLICIES_INPUT = {
  kind: 'structure',
  members: {
    Scope: POLICY_SCOPE,
    OnlyAttached: BOOLEAN,
    PathPrefix: POLICY_PATH,
    PolicyUsageFilter: POLICY_USAGE,
    ...PAGE_MEMBERS,
  },
} as const

/** ListPolicies' filters as the store's: how the listed policies must be in use, if at all. */
function usedAs(
  onlyAttached: boolean | undefined,
  filter: 'PermissionsPolicy' | 'PermissionsBoundary' | undefined,
): PolicyListRequest['usedAs'] {
  if (filter === 'PermissionsPolicy') return 'permissionsPolicy'
  if (filter === 'PermissionsBoundary') return 'permissionsBoundary'
  return onlyAttached === true ? 'any' : undefined
}

/**
 * ListPolicies: the account's customer managed policies, without description or tags. Gatehouse
 * has no AWS managed policies yet, so Scope=AWS lists none.
 */
export const LIST_POLICIES = defineOperation({
  name: 'ListPolicies',
  action: 'iam:ListPolicies',
  input: LIST_POLICIES_INPUT,
  // The Service Authorization Reference gives iam:ListPolicies no resource type.
  resource: () => '*',
  handle: async (input, ctx) => {
    if (input.Scope === 'AWS') return { Policies: [], IsTruncated: false }
    const used = usedAs(input.OnlyAttached, input.PolicyUsageFilter)
    const page = await ctx.tx.listPolicies(ctx.caller.accountId, {
      ...pageRequest(input),
      ...(input.PathPrefix === undefined ? {} : { pathPrefix: input.PathPrefix }),
      ...(used === undefined ? {} : { usedAs: used }),
    })
    return { Policies: page.items.map((p) => policyXml(p, 'list')), ...pageEnd(page) }
  },
})

/**
 * DeletePolicy: refused with DeleteConflict while it is attached, is a permissions boundary, or
 * has versions besides the default.
 */
export const DELETE_POLICY = defineOperation({
  name: 'DeletePolicy',
  action: 'iam:DeletePolicy',
  input: { kind: 'structure', members: { PolicyArn: required(ARN) } } as const,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    const policy = await existingPolicy(ctx, input.PolicyArn)
    await ctx.tx.deletePolicy(policy.accountId, policy.name)
    return undefined
  },
})
