/** The output structures IAM's operations share, as encodeXml sends them. */
import type { Page, PageRequest, Tag, User } from '../../store/store.js'

/** A tag as IAM returns it. */
export type TagXml = { readonly Key: string; readonly Value: string }

/** The `User` structure. */
export type UserXml = {
  readonly Path: string
  readonly UserName: string
  readonly UserId: string
  readonly Arn: string
  readonly CreateDate: Date
  readonly PasswordLastUsed?: Date
  readonly PermissionsBoundary?: {
    readonly PermissionsBoundaryType: 'PermissionsBoundaryPolicy'
    readonly PermissionsBoundaryArn: string
  }
  readonly Tags?: readonly TagXml[] | undefined
}

/** A tag list, or nothing for no tags (IAM leaves the member out). */
export function tagsXml(tags: readonly Tag[]): readonly TagXml[] | undefined {
  return tags.length === 0 ? undefined : tags.map((t) => ({ Key: t.key, Value: t.value }))
}

/**
 * A user as GetUser and CreateUser return it; the List operations leave out the boundary and
 * the tags (`full` false), as IAM's do. PasswordLastUsed is there when it is given and known.
 */
export function userXml(
  user: User,
  tags: readonly Tag[] = [],
  full = true,
  passwordLastUsed: Date | null = null,
): UserXml {
  const boundary = user.permissionsBoundaryArn
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: user.createdAt,
    ...(passwordLastUsed === null ? {} : { PasswordLastUsed: passwordLastUsed }),
    ...(full && boundary !== null
      ? {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: boundary,
          },
        }
      : {}),
    ...(full ? { Tags: tagsXml(tags) } : {}),
  }
}

/** IsTruncated and Marker of a page: no Marker on the last page (SDK v3 pages on while one is sent). */
export function pageEnd<T>(page: Page<T>): {
  readonly IsTruncated: boolean
  readonly Marker: string | undefined
} {
  return { IsTruncated: page.marker !== null, Marker: page.marker ?? undefined }
}

/** The store's page request from an operation's Marker and MaxItems. */
export function pageRequest(input: {
  readonly Marker?: string
  readonly MaxItems?: number
}): PageRequest {
  return {
    ...(input.Marker === undefined ? {} : { marker: input.Marker }),
    ...(input.MaxItems === undefined ? {} : { maxItems: input.MaxItems }),
  }
}
