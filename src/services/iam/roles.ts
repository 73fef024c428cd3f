/**
 * IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription,
 * UpdateAssumeRolePolicy, DeleteRole (reference §2, "Roles").
 */
import { AwsError } from '../../errors/aws-error.js'
import { parsePolicy } from '../../policy/index.js'
import { allItems } from '../../store/all-items.js'
import { entityArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import { policySize } from '../../store/limits.js'
import type { Role, StoreTx } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import { protectedRoleCheck } from './protected-role.js'
import type { OperationContext } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { roleBoundaryKey } from './current-boundary.js'
import { managedPolicyByArn } from './managed-policy-arn.js'
import { roleXml } from './role-results.js'
import type { RoleXml } from './role-results.js'
import { MAX_SESSION_DURATION, ROLE_DESCRIPTION, ROLE_NAME } from './role-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { ARN, PAGE_MEMBERS, PATH, PATH_PREFIX, POLICY_DOCUMENT, TAGS, required } from './shapes.js'

/**
 * A trust policy's quota in non-whitespace characters: AWS's default, which IAM reports as
 * "Cannot exceed quota for ACLSizePerRole: 2048" (reference §4.4).
 */
export const TRUST_POLICY_SIZE = 2048

/**
 * Checks a role's trust policy as CreateRole and UpdateAssumeRolePolicy do: MalformedPolicyDocument
 * with IAM's message for a document IAM would refuse, LimitExceeded for one past the quota.
 */
export function checkTrustPolicy(document: string): void {
  parsePolicy(document, 'trust')
  if (policySize(document) > TRUST_POLICY_SIZE) {
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_SIZE}`,
    )
  }
}

/**
 * The ARN an action on a role is authorized on: the role's own, path included, when it exists;
 * for a role that does not, its ARN at the root path, so a denial comes before NoSuchEntity and
 * tells nothing of what exists.
 */
export async function targetRoleArn(
  tx: StoreTx,
  accountId: string,
  roleName: string,
): Promise<string> {
  try {
    return (await tx.getRole(accountId, roleName)).arn
  } catch (err) {
    if (err instanceof NotFoundError) return entityArn('role', accountId, '/', roleName)
    throw err
  }
}

/** A role with its tags, as GetRole and UpdateRoleDescription return it. */
async function fullRoleXml(ctx: OperationContext, role: Role): Promise<RoleXml> {
  const tags = await allItems((r) =>
    ctx.tx.listTags({ kind: 'role', accountId: role.accountId, name: role.name }, r),
  )
  // RoleLastUsed: the newest attempt of any of its sessions, as the trail kept it.
  const lastUsed = await ctx.accessAdvisor.roleLastUsed(role.accountId, role.roleId)
  return roleXml(role, 'get', tags, lastUsed)
}

/** CreateRole. */
export const CREATE_ROLE = defineOperation({
  name: 'CreateRole',
  action: 'iam:CreateRole',
  input: {
    kind: 'structure',
    members: {
      Path: PATH,
      RoleName: required(ROLE_NAME),
      AssumeRolePolicyDocument: required(POLICY_DOCUMENT),
      Description: ROLE_DESCRIPTION,
      MaxSessionDuration: MAX_SESSION_DURATION,
      PermissionsBoundary: ARN,
      Tags: TAGS,
    },
  } as const,
  resource: (input, ctx) =>
    entityArn('role', ctx.caller.accountId, input.Path ?? '/', input.RoleName),
  conditionKeys: (input) => {
    const keys = requestTagKeys(input.Tags)
    if (input.PermissionsBoundary !== undefined) {
      keys['iam:PermissionsBoundary'] = input.PermissionsBoundary
    }
    return keys
  },
  handle: async (input, ctx) => {
    checkTrustPolicy(input.AssumeRolePolicyDocument)
    const tags = checkTags(input.Tags ?? [])
    const boundary =
      input.PermissionsBoundary === undefined
        ? undefined
        : (await managedPolicyByArn(ctx, input.PermissionsBoundary)).name
    const role = await ctx.tx.createRole({
      accountId: ctx.caller.accountId,
      name: input.RoleName,
      assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
      ...(input.Path === undefined ? {} : { path: input.Path }),
      ...(input.Description === undefined ? {} : { description: input.Description }),
      ...(input.MaxSessionDuration === undefined
        ? {}
        : { maxSessionDuration: input.MaxSessionDuration }),
      ...(boundary === undefined ? {} : { permissionsBoundary: boundary }),
      tags,
    })
    return { Role: roleXml(role, 'create', tags) }
  },
})

/** GetRole: the role with its tags, boundary and (empty) RoleLastUsed. */
export const GET_ROLE = defineOperation({
  name: 'GetRole',
  action: 'iam:GetRole',
  input: { kind: 'structure', members: { RoleName: required(ROLE_NAME) } } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input, ctx) => roleBoundaryKey(ctx, input.RoleName),
  handle: async (input, ctx) => {
    const role = await ctx.tx.getRole(ctx.caller.accountId, input.RoleName)
    return { Role: await fullRoleXml(ctx, role) }
  },
})

/** ListRoles: by name, filtered by path prefix, Marker/MaxItems paginated. */
export const LIST_ROLES = defineOperation({
  name: 'ListRoles',
  action: 'iam:ListRoles',
  input: { kind: 'structure', members: { PathPrefix: PATH_PREFIX, ...PAGE_MEMBERS } } as const,
  // As for ListUsers, IAM authorizes a listing on the path it lists: "... iam:ListRoles on
  // resource: arn:aws:iam::123456789012:role/".
  resource: (input, ctx) => entityArn('role', ctx.caller.accountId, input.PathPrefix ?? '/', ''),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listRoles(ctx.caller.accountId, {
      ...pageRequest(input),
      ...(input.PathPrefix === undefined ? {} : { pathPrefix: input.PathPrefix }),
    })
    return { Roles: page.items.map((role) => roleXml(role, 'list')), ...pageEnd(page) }
  },
})

/** UpdateRole: the description and the maximum session duration; what is absent stays. */
export const UPDATE_ROLE = defineOperation({
  name: 'UpdateRole',
  action: 'iam:UpdateRole',
  input: {
    kind: 'structure',
    members: {
      RoleName: required(ROLE_NAME),
      Description: ROLE_DESCRIPTION,
      MaxSessionDuration: MAX_SESSION_DURATION,
    },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input, ctx) => roleBoundaryKey(ctx, input.RoleName),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    await ctx.tx.updateRole(ctx.caller.accountId, input.RoleName, {
      ...(input.Description === undefined ? {} : { description: input.Description }),
      ...(input.MaxSessionDuration === undefined
        ? {}
        : { maxSessionDuration: input.MaxSessionDuration }),
    })
    // UpdateRole has an output shape without members: an empty <UpdateRoleResult/> is sent.
    return {}
  },
})

/** UpdateRoleDescription: the older form of UpdateRole's Description; returns the role. */
export const UPDATE_ROLE_DESCRIPTION = defineOperation({
  name: 'UpdateRoleDescription',
  action: 'iam:UpdateRoleDescription',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), Description: required(ROLE_DESCRIPTION) },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input, ctx) => roleBoundaryKey(ctx, input.RoleName),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    const role = await ctx.tx.updateRole(ctx.caller.accountId, input.RoleName, {
      description: input.Description,
    })
    return { Role: await fullRoleXml(ctx, role) }
  },
})

/** UpdateAssumeRolePolicy: replaces the trust policy, checked as CreateRole checks it. */
export const UPDATE_ASSUME_ROLE_POLICY = defineOperation({
  name: 'UpdateAssumeRolePolicy',
  action: 'iam:UpdateAssumeRolePolicy',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), PolicyDocument: required(POLICY_DOCUMENT) },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input, ctx) => roleBoundaryKey(ctx, input.RoleName),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    checkTrustPolicy(input.PolicyDocument)
    await ctx.tx.updateRole(ctx.caller.accountId, input.RoleName, {
      assumeRolePolicyDocument: input.PolicyDocument,
    })
    return undefined
  },
})

/**
 * DeleteRole: refused with DeleteConflict while the role has inline policies, attached
 * policies or instance profiles (checked in that order); its tags and boundary go with it.
 */
export const DELETE_ROLE = defineOperation({
  name: 'DeleteRole',
  action: 'iam:DeleteRole',
  input: { kind: 'structure', members: { RoleName: required(ROLE_NAME) } } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input, ctx) => roleBoundaryKey(ctx, input.RoleName),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    await ctx.tx.deleteRole(ctx.caller.accountId, input.RoleName)
    return undefined
  },
})
