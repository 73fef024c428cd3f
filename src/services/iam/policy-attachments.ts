/**
 * Managed policies attached to users, groups and roles: Attach/Detach/ListAttached
 * {User,Group,Role}Policies and ListEntitiesForPolicy (reference §2, "Managed-policy
 * attachments"). Attaching and detaching are authorized on the user, group or role, with the
 * policy's ARN as iam:PolicyARN, as the Service Authorization Reference has it.
 */
import { AwsError } from '../../errors/aws-error.js'
import { entityArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import type {
  EntityBase,
  PolicyEntity,
  PolicyEntityListRequest,
  PolicyHolderRef,
} from '../../store/store.js'
import type { ContextValue } from '../../policy/index.js'
import { defineOperation } from '../operation.js'
import { protectedRoleCheck } from './protected-role.js'
import type { OperationContext, OperationResult } from '../operation.js'
import { roleBoundaryKey, userBoundaryKey } from './current-boundary.js'
import { existingPolicy, policyArnResource, policyNotFoundMessage } from './managed-policies.js'
import { managedPolicyByArn, parseManagedPolicyArn } from './managed-policy-arn.js'
import { attachedPolicyXml, policyEntitiesXml } from './policy-results.js'
import { GROUP_NAME } from './group-shapes.js'
import { ENTITY_TYPE, POLICY_PATH, POLICY_USAGE } from './policy-shapes.js'
import { ROLE_NAME } from './role-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { ARN, PAGE_MEMBERS, PATH, USER_NAME, required } from './shapes.js'

type HolderKind = PolicyHolderRef['kind']

/** The user, group or role named; NotFoundError (IAM's "cannot be found") if there is none. */
function findHolder(ctx: OperationContext, kind: HolderKind, name: string): Promise<EntityBase> {
  const { tx, caller } = ctx
  if (kind === 'user') return tx.getUser(caller.accountId, name)
  if (kind === 'group') return tx.getGroup(caller.accountId, name)
  return tx.getRole(caller.accountId, name)
}

/**
 * The ARN an operation on a holder is authorized on: the existing entity's, path included, or,
 * for one that does not exist, its ARN at the root path (so a denial is told before
 * NoSuchEntity, and tells nothing of what exists).
 */
async function holderArn(ctx: OperationContext, kind: HolderKind, name: string): Promise<string> {
  try {
    return (await findHolder(ctx, kind, name)).arn
  } catch (err) {
    if (err instanceof NotFoundError && err.entity === kind) {
      return entityArn(kind, ctx.caller.accountId, '/', name)
    }
    throw err
  }
}

function holderRef(kind: HolderKind, holder: EntityBase): PolicyHolderRef {
  return { kind, accountId: holder.accountId, name: holder.name }
}

/** iam:PolicyARN, the condition key of the attach and detach actions. */
function policyArnKey(input: { readonly PolicyArn: string }): Record<string, ContextValue> {
  return { 'iam:PolicyARN': input.PolicyArn }
}

/**
 * The keys of attaching to or detaching from a user or role: iam:PolicyARN, and the holder's
 * current boundary as iam:PermissionsBoundary (the reference lists it for the user and role
 * actions, not the group ones: a group has no boundary).
 */
async function boundedHolderKeys(
  ctx: OperationContext,
  kind: 'user' | 'role',
  name: string,
  input: { readonly PolicyArn: string },
): Promise<Record<string, ContextValue>> {
  const boundary =
    kind === 'user' ? await userBoundaryKey(ctx, name) : await roleBoundaryKey(ctx, name)
  return { ...boundary, ...policyArnKey(input) }
}

/**
 * Attaches: a malformed ARN first (InvalidInput), then the holder, then the policy ("does not
 * exist or is not attachable"). Attaching an attached policy again changes nothing.
 */
async function attach(
  ctx: OperationContext,
  kind: HolderKind,
  name: string,
  arn: string,
): Promise<undefined> {
  parseManagedPolicyArn(arn)
  const holder = await findHolder(ctx, kind, name)
  const policy = await managedPolicyByArn(ctx, arn)
  await ctx.tx.attachPolicy(holderRef(kind, holder), policy.name)
  return undefined
}

/** Detaches; a policy that does not exist or is not attached is "Policy ARN was not found.". */
async function detach(
  ctx: OperationContext,
  kind: HolderKind,
  name: string,
  arn: string,
): Promise<undefined> {
  parseManagedPolicyArn(arn)
  const holder = await findHolder(ctx, kind, name)
  const policy = await existingPolicy(ctx, arn)
  try {
    await ctx.tx.detachPolicy(holderRef(kind, holder), policy.name)
  } catch (err) {
    if (err instanceof NotFoundError && err.entity === 'policyAttachment') {
      throw new AwsError('NoSuchEntity', policyNotFoundMessage(arn), { cause: err })
    }
    throw err
  }
  return undefined
}

/** The managed policies attached to a holder, filtered by their path. */
async function listAttached(
  ctx: OperationContext,
  kind: HolderKind,
  name: string,
  input: { readonly PathPrefix?: string; readonly Marker?: string; readonly MaxItems?: number },
): Promise<OperationResult> {
  const holder = await findHolder(ctx, kind, name)
  const page = await ctx.tx.listAttachedPolicies(holderRef(kind, holder), {
    ...pageRequest(input),
    ...(input.PathPrefix === undefined ? {} : { pathPrefix: input.PathPrefix }),
  })
  return { AttachedPolicies: page.items.map(attachedPolicyXml), ...pageEnd(page) }
}

const LIST_FILTER_MEMBERS = { PathPrefix: POLICY_PATH, ...PAGE_MEMBERS } as const

/** AttachUserPolicy. */
export const ATTACH_USER_POLICY = defineOperation({
  name: 'AttachUserPolicy',
  action: 'iam:AttachUserPolicy',
  input: {
    kind: 'structure',
    members: { UserName: required(USER_NAME), PolicyArn: required(ARN) },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'user', input.UserName),
  conditionKeys: (input, ctx) => boundedHolderKeys(ctx, 'user', input.UserName, input),
  handle: (input, ctx) => attach(ctx, 'user', input.UserName, input.PolicyArn),
})

/** DetachUserPolicy. */
export const DETACH_USER_POLICY = defineOperation({
  name: 'DetachUserPolicy',
  action: 'iam:DetachUserPolicy',
  input: {
    kind: 'structure',
    members: { UserName: required(USER_NAME), PolicyArn: required(ARN) },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'user', input.UserName),
  conditionKeys: (input, ctx) => boundedHolderKeys(ctx, 'user', input.UserName, input),
  handle: (input, ctx) => detach(ctx, 'user', input.UserName, input.PolicyArn),
})

/** ListAttachedUserPolicies. */
export const LIST_ATTACHED_USER_POLICIES = defineOperation({
  name: 'ListAttachedUserPolicies',
  action: 'iam:ListAttachedUserPolicies',
  input: {
    kind: 'structure',
    members: { UserName: required(USER_NAME), ...LIST_FILTER_MEMBERS },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'user', input.UserName),
  handle: (input, ctx) => listAttached(ctx, 'user', input.UserName, input),
})

/** AttachGroupPolicy. */
export const ATTACH_GROUP_POLICY = defineOperation({
  name: 'AttachGroupPolicy',
  action: 'iam:AttachGroupPolicy',
  input: {
    kind: 'structure',
    members: { GroupName: required(GROUP_NAME), PolicyArn: required(ARN) },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'group', input.GroupName),
  conditionKeys: policyArnKey,
  handle: (input, ctx) => attach(ctx, 'group', input.GroupName, input.PolicyArn),
})

/** DetachGroupPolicy. */
export const DETACH_GROUP_POLICY = defineOperation({
  name: 'DetachGroupPolicy',
  action: 'iam:DetachGroupPolicy',
  input: {
    kind: 'structure',
    members: { GroupName: required(GROUP_NAME), PolicyArn: required(ARN) },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'group', input.GroupName),
  conditionKeys: policyArnKey,
  handle: (input, ctx) => detach(ctx, 'group', input.GroupName, input.PolicyArn),
})

/** ListAttachedGroupPolicies. */
export const LIST_ATTACHED_GROUP_POLICIES = defineOperation({
  name: 'ListAttachedGroupPolicies',
  action: 'iam:ListAttachedGroupPolicies',
  input: {
    kind: 'structure',
    members: { GroupName: required(GROUP_NAME), ...LIST_FILTER_MEMBERS },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'group', input.GroupName),
  handle: (input, ctx) => listAttached(ctx, 'group', input.GroupName, input),
})

/** AttachRolePolicy. */
export const ATTACH_ROLE_POLICY = defineOperation({
  name: 'AttachRolePolicy',
  action: 'iam:AttachRolePolicy',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), PolicyArn: required(ARN) },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'role', input.RoleName),
  conditionKeys: (input, ctx) => boundedHolderKeys(ctx, 'role', input.RoleName, input),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    return attach(ctx, 'role', input.RoleName, input.PolicyArn)
  },
})

/** DetachRolePolicy. */
export const DETACH_ROLE_POLICY = defineOperation({
  name: 'DetachRolePolicy',
  action: 'iam:DetachRolePolicy',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), PolicyArn: required(ARN) },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'role', input.RoleName),
  conditionKeys: (input, ctx) => boundedHolderKeys(ctx, 'role', input.RoleName, input),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    return detach(ctx, 'role', input.RoleName, input.PolicyArn)
  },
})

/** ListAttachedRolePolicies. */
export const LIST_ATTACHED_ROLE_POLICIES = defineOperation({
  name: 'ListAttachedRolePolicies',
  action: 'iam:ListAttachedRolePolicies',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), ...LIST_FILTER_MEMBERS },
  } as const,
  resource: (input, ctx) => holderArn(ctx, 'role', input.RoleName),
  handle: (input, ctx) => listAttached(ctx, 'role', input.RoleName, input),
})

// EntityFilter's kinds of entity; the two policy types name no user, group or role, so nothing.
const ENTITY_KINDS: Readonly<
  Record<(typeof ENTITY_TYPE.enum)[number], readonly PolicyEntity['kind'][]>
> = {
  User: ['user'],
  Group: ['group'],
  Role: ['role'],
  LocalManagedPolicy: [],
  AWSManagedPolicy: [],
}

/**
 * ListEntitiesForPolicy: the groups, users and roles that use the policy, as a permissions
 * policy, a permissions boundary, or (without PolicyUsageFilter) either.
 */
export const LIST_ENTITIES_FOR_POLICY = defineOperation({
  name: 'ListEntitiesForPolicy',
  action: 'iam:ListEntitiesForPolicy',
  input: {
    kind: 'structure',
    members: {
      PolicyArn: required(ARN),
      EntityFilter: ENTITY_TYPE,
      PathPrefix: PATH,
      PolicyUsageFilter: POLICY_USAGE,
      ...PAGE_MEMBERS,
    },
  } as const,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    const policy = await existingPolicy(ctx, input.PolicyArn)
    const request: PolicyEntityListRequest = {
      ...pageRequest(input),
      ...(input.PathPrefix === undefined ? {} : { pathPrefix: input.PathPrefix }),
      ...(input.EntityFilter === undefined ? {} : { kinds: ENTITY_KINDS[input.EntityFilter] }),
      ...(input.PolicyUsageFilter === undefined
        ? {}
        : {
            usage:
              input.PolicyUsageFilter === 'PermissionsBoundary'
                ? 'permissionsBoundary'
                : 'permissionsPolicy',
          }),
    }
    const page = await ctx.tx.listEntitiesForPolicy(policy.accountId, policy.name, request)
    return { ...policyEntitiesXml(page.items), ...pageEnd(page) }
  },
})
