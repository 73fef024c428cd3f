/** The output structures of the managed-policy operations, as encodeXml sends them. */
import { encodePolicyDocument } from '../../protocol/query/encode-policy-document.js'
import type { ManagedPolicy, PolicyEntity, PolicyVersion, Tag } from '../../store/store.js'
import type { TagXml } from './results.js'

/** The `Policy` structure. */
export type PolicyXml = {
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
  readonly Tags?: readonly TagXml[] | undefined
}

/**
 * Which operation a policy is returned by. IAM shows each a different part of it: GetPolicy all
 * of it, tags as a list even when there are none; CreatePolicy no description and its tags only
 * when there are some; ListPolicies neither description nor tags (the model's Policy.Description
 * and ListPolicies documentation; LocalStack's AWS-recorded snapshots for the tag lists).
 */
export type PolicyView = 'get' | 'create' | 'list'

/** A managed policy as `view` returns it. */
export function policyXml(
  policy: ManagedPolicy,
  view: PolicyView,
  tags: readonly Tag[] = [],
): PolicyXml {
  const tagList = tags.map((t) => ({ Key: t.key, Value: t.value }))
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
    ...(view === 'get' && policy.description !== null ? { Description: policy.description } : {}),
    CreateDate: policy.createdAt,
    UpdateDate: policy.updatedAt,
    ...(view === 'get' ? { Tags: tagList } : {}),
    ...(view === 'create' && tagList.length > 0 ? { Tags: tagList } : {}),
  }
}

/** The `PolicyVersion` structure. */
export type PolicyVersionXml = {
  readonly Document?: string | undefined
  readonly VersionId: string
  readonly IsDefaultVersion: boolean
  readonly CreateDate: Date
}

/**
 * A policy version; its document (RFC 3986-encoded) only for GetPolicyVersion, as the model says
 * CreatePolicyVersion and ListPolicyVersions leave it out.
 */
export function policyVersionXml(version: PolicyVersion, withDocument: boolean): PolicyVersionXml {
  return {
    ...(withDocument ? { Document: encodePolicyDocument(version.document) } : {}),
    VersionId: version.versionId,
    IsDefaultVersion: version.isDefault,
    CreateDate: version.createdAt,
  }
}

/** The `AttachedPolicy` structure of the ListAttached*Policies operations. */
export type AttachedPolicyXml = { readonly PolicyName: string; readonly PolicyArn: string }

/** A managed policy as attached to a user, group or role. */
export function attachedPolicyXml(policy: ManagedPolicy): AttachedPolicyXml {
  return { PolicyName: policy.name, PolicyArn: policy.arn }
}

/** ListEntitiesForPolicy's three lists. */
export type PolicyEntitiesXml = {
  readonly PolicyGroups: readonly { readonly GroupName: string; readonly GroupId: string }[]
  readonly PolicyUsers: readonly { readonly UserName: string; readonly UserId: string }[]
  readonly PolicyRoles: readonly { readonly RoleName: string; readonly RoleId: string }[]
}

/** Splits the entities of a page into ListEntitiesForPolicy's groups, users and roles. */
export function policyEntitiesXml(entities: readonly PolicyEntity[]): PolicyEntitiesXml {
  const groups: { GroupName: string; GroupId: string }[] = []
  const users: { UserName: string; UserId: string }[] = []
  const roles: { RoleName: string; RoleId: string }[] = []
  for (const entity of entities) {
    if (entity.kind === 'group') groups.push({ GroupName: entity.name, GroupId: entity.id })
    else if (entity.kind === 'user') users.push({ UserName: entity.name, UserId: entity.id })
    else roles.push({ RoleName: entity.name, RoleId: entity.id })
  }
  return { PolicyGroups: groups, PolicyUsers: users, PolicyRoles: roles }
}
