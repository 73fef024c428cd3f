/** The Role and InstanceProfile output structures, as IAM's role operations send them. */
import { encodePolicyDocument } from '../../protocol/query/encode-policy-document.js'
import type { RoleLastUsed } from '../../analysis/access-advisor.js'
import type { InstanceProfile, Role, Tag } from '../../store/store.js'
import { tagsXml } from './results.js'
import type { TagXml } from './results.js'

/** The `Role` structure, its members in the model's order. */
export type RoleXml = {
  readonly Path: string
  readonly RoleName: string
  readonly RoleId: string
  readonly Arn: string
  readonly CreateDate: Date
  /** RFC 3986-encoded, as IAM returns every policy document (reference §1.6). */
  readonly AssumeRolePolicyDocument: string
  readonly Description?: string | undefined
  readonly MaxSessionDuration: number
  readonly PermissionsBoundary?: {
    readonly PermissionsBoundaryType: 'PermissionsBoundaryPolicy'
    readonly PermissionsBoundaryArn: string
  }
  readonly Tags?: readonly TagXml[] | undefined
  readonly RoleLastUsed?: { readonly LastUsedDate?: Date; readonly Region?: string }
}

/**
 * How much of a role an operation shows:
 * - `get` (GetRole, UpdateRoleDescription): everything, RoleLastUsed included;
 * - `create` (CreateRole): everything but RoleLastUsed, which a new role cannot have;
 * - `list` (ListRoles, and the roles inside an instance profile): without PermissionsBoundary,
 *   RoleLastUsed and Tags, the members ListRoles' documentation says it leaves out.
 */
export type RoleView = 'get' | 'create' | 'list'

/** RoleLastUsed: empty for a role never used, as IAM sends it (`<RoleLastUsed/>`). */
export function roleLastUsedXml(
  lastUsed: RoleLastUsed | null,
): NonNullable<RoleXml['RoleLastUsed']> {
  return lastUsed === null ? {} : { LastUsedDate: lastUsed.date, Region: lastUsed.region }
}

/**
 * A role as `view` shows it; `tags` are the role's tags (ignored by the list view), `lastUsed`
 * its last use (the get view's RoleLastUsed).
 */
export function roleXml(
  role: Role,
  view: RoleView,
  tags: readonly Tag[] = [],
  lastUsed: RoleLastUsed | null = null,
): RoleXml {
  const boundary = role.permissionsBoundaryArn
  const full = view !== 'list'
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createdAt,
    AssumeRolePolicyDocument: encodePolicyDocument(role.assumeRolePolicyDocument),
    Description: role.description ?? undefined,
    MaxSessionDuration: role.maxSessionDuration,
    ...(full && boundary !== null
      ? {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: boundary,
          },
        }
      : {}),
    ...(full ? { Tags: tagsXml(tags) } : {}),
    ...(view === 'get' ? { RoleLastUsed: roleLastUsedXml(lastUsed) } : {}),
  }
}

/** The `InstanceProfile` structure. */
export type InstanceProfileXml = {
  readonly Path: string
  readonly InstanceProfileName: string
  readonly InstanceProfileId: string
  readonly Arn: string
  readonly CreateDate: Date
  readonly Roles: readonly RoleXml[]
  readonly Tags?: readonly TagXml[] | undefined
}

/**
 * An instance profile with its role; with `tags` (GetInstanceProfile, CreateInstanceProfile)
 * its tags too, without (the List operations) none, as IAM's listings leave tags out.
 */
export function instanceProfileXml(
  profile: InstanceProfile,
  tags?: readonly Tag[],
): InstanceProfileXml {
  return {
    Path: profile.path,
    InstanceProfileName: profile.name,
    InstanceProfileId: profile.instanceProfileId,
    Arn: profile.arn,
    CreateDate: profile.createdAt,
    Roles: profile.roles.map((role) => roleXml(role, 'list')),
    ...(tags === undefined ? {} : { Tags: tagsXml(tags) }),
  }
}

/** A list of tags as the List*Tags operations return it: always present, maybe empty. */
export function tagListXml(tags: readonly Tag[]): readonly TagXml[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }))
}
