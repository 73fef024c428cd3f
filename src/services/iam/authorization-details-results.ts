/**
 * The output structures of GetAccountAuthorizationDetails (UserDetail, GroupDetail, RoleDetail,
 * ManagedPolicyDetail), their members in the model's order, built from what the store holds.
 */
import type { RoleLastUsed } from '../../analysis/access-advisor.js'
import { encodePolicyDocument } from '../../protocol/query/encode-policy-document.js'
import type {
  Group,
  InlinePolicy,
  InstanceProfile,
  ManagedPolicy,
  PolicyVersion,
  Role,
  Tag,
  User,
} from '../../store/store.js'
import { attachedPolicyXml, policyVersionXml } from './policy-results.js'
import type { AttachedPolicyXml, PolicyVersionXml } from './policy-results.js'
import { tagsXml } from './results.js'
import type { TagXml } from './results.js'
import { instanceProfileXml, roleLastUsedXml } from './role-results.js'
import type { InstanceProfileXml, RoleXml } from './role-results.js'

/** The `PolicyDetail` structure: an inline policy with its document, RFC 3986-encoded. */
export type PolicyDetailXml = { readonly PolicyName: string; readonly PolicyDocument: string }

/** The `AttachedPermissionsBoundary` structure. */
export type BoundaryXml = {
  readonly PermissionsBoundaryType: 'PermissionsBoundaryPolicy'
  readonly PermissionsBoundaryArn: string
}

/** The `UserDetail` structure. */
export type UserDetailXml = {
  readonly Path: string
  readonly UserName: string
  readonly UserId: string
  readonly Arn: string
  readonly CreateDate: Date
  readonly UserPolicyList: readonly PolicyDetailXml[]
  readonly GroupList: readonly string[]
  readonly AttachedManagedPolicies: readonly AttachedPolicyXml[]
  readonly PermissionsBoundary?: BoundaryXml | undefined
  readonly Tags?: readonly TagXml[] | undefined
}

/** The `GroupDetail` structure: IAM keeps no tags or boundary on groups. */
export type GroupDetailXml = {
  readonly Path: string
  readonly GroupName: string
  readonly GroupId: string
  readonly Arn: string
  readonly CreateDate: Date
  readonly GroupPolicyList: readonly PolicyDetailXml[]
  readonly AttachedManagedPolicies: readonly AttachedPolicyXml[]
}

/** The `RoleDetail` structure. */
export type RoleDetailXml = {
  readonly Path: string
  readonly RoleName: string
  readonly RoleId: string
  readonly Arn: string
  readonly CreateDate: Date
  readonly AssumeRolePolicyDocument: string
  readonly InstanceProfileList: readonly InstanceProfileXml[]
  readonly RolePolicyList: readonly PolicyDetailXml[]
  readonly AttachedManagedPolicies: readonly AttachedPolicyXml[]
  readonly PermissionsBoundary?: BoundaryXml | undefined
  readonly Tags?: readonly TagXml[] | undefined
  readonly RoleLastUsed: NonNullable<RoleXml['RoleLastUsed']>
}

/** The `ManagedPolicyDetail` structure: a managed policy with every version's document. */
export type ManagedPolicyDetailXml = {
  readonly PolicyName: string
  readonly PolicyId: string
  readonly Arn: string
  readonly Path: string
  readonly DefaultVersionId: string
  readonly AttachmentCount: number
  readonly PermissionsBoundaryUsageCount: number
  readonly IsAttachable: boolean
  readonly Description?: string | undefined
  readonly CreateDate: Date
  readonly UpdateDate: Date
  readonly PolicyVersionList: readonly PolicyVersionXml[]
}

/** What a user, group or role is given with: its inline and attached managed policies. */
export interface HolderPolicies {
  readonly inline: readonly InlinePolicy[]
  readonly attached: readonly ManagedPolicy[]
}

function policyDetailXml(policy: InlinePolicy): PolicyDetailXml {
  return { PolicyName: policy.name, PolicyDocument: encodePolicyDocument(policy.document) }
}

function boundaryXml(arn: string | null): BoundaryXml | undefined {
  return arn === null
    ? undefined
    : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn }
}

/**
 * A user with its inline policies, its groups' names, its attached policies, its boundary and
 * tags. The three lists are always sent, empty or not (the CLI's documented output shows
 * `"UserPolicyList": []`); the boundary and the tags only when there are some, as GetUser does.
 */
export function userDetailXml(
  user: User,
  policies: HolderPolicies,
  groups: readonly Group[],
  tags: readonly Tag[],
): UserDetailXml {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: user.createdAt,
    UserPolicyList: policies.inline.map(policyDetailXml),
    GroupList: groups.map((g) => g.name),
    AttachedManagedPolicies: policies.attached.map(attachedPolicyXml),
    PermissionsBoundary: boundaryXml(user.permissionsBoundaryArn),
    Tags: tagsXml(tags),
  }
}

/** A group with its inline and attached policies. */
export function groupDetailXml(group: Group, policies: HolderPolicies): GroupDetailXml {
  return {
    Path: group.path,
    GroupName: group.name,
    GroupId: group.groupId,
    Arn: group.arn,
    CreateDate: group.createdAt,
    GroupPolicyList: policies.inline.map(policyDetailXml),
    AttachedManagedPolicies: policies.attached.map(attachedPolicyXml),
  }
}

/**
 * A role with its trust policy, the instance profiles holding it (each with its roles, as
 * ListInstanceProfilesForRole shows them), its policies, its boundary and tags.
 */
export function roleDetailXml(
  role: Role,
  profiles: readonly InstanceProfile[],
  policies: HolderPolicies,
  tags: readonly Tag[],
  lastUsed: RoleLastUsed | null,
): RoleDetailXml {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createdAt,
    AssumeRolePolicyDocument: encodePolicyDocument(role.assumeRolePolicyDocument),
    InstanceProfileList: profiles.map((profile) => instanceProfileXml(profile)),
    RolePolicyList: policies.inline.map(policyDetailXml),
    AttachedManagedPolicies: policies.attached.map(attachedPolicyXml),
    PermissionsBoundary: boundaryXml(role.permissionsBoundaryArn),
    Tags: tagsXml(tags),
    RoleLastUsed: roleLastUsedXml(lastUsed),
  }
}

/**
 * A managed policy with every version and its document, newest first as ListPolicyVersions
 * lists them. The model's ManagedPolicyDetail has a Description but no Tags.
 */
export function managedPolicyDetailXml(
  policy: ManagedPolicy,
  versions: readonly PolicyVersion[],
): ManagedPolicyDetailXml {
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: policy.permissionsBoundaryUsageCount,
    // Every customer managed policy can be attached; only some AWS managed ones cannot.
    IsAttachable: true,
    Description: policy.description ?? undefined,
    CreateDate: policy.createdAt,
    UpdateDate: policy.updatedAt,
    PolicyVersionList: versions.map((version) => policyVersionXml(version, true)),
  }
}
