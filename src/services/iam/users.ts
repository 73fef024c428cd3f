/**
 * IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser (reference §2, "Users").
 */
import { entityArn } from '../../store/arn.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { NotFoundError } from '../../store/errors.js'
import type { Page, User, UserDetails } from '../../store/store.js'
import { encodeOnce } from '../../protocol/query/encode-once.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { ifFound } from './if-found.js'
import { managedPolicyByArn } from './managed-policy-arn.js'
import { renameAuthorizations } from './rename-authorization.js'
import { pageEnd, pageRequest, userXml } from './results.js'
import type { UserXml } from './results.js'
import {
  ARN,
  EXISTING_USER_NAME,
  PAGE_MEMBERS,
  PATH,
  PATH_PREFIX,
  TAGS,
  USER_NAME,
  required,
} from './shapes.js'
import { missingUserArn, targetUserArn, targetUserName } from './target-user.js'

const CREATE_USER_INPUT = {
  kind: 'structure',
  members: { Path: PATH, UserName: required(USER_NAME), PermissionsBoundary: ARN, Tags: TAGS },
} as const

/** CreateUser. */
export const CREATE_USER = defineOperation({
  name: 'CreateUser',
  action: 'iam:CreateUser',
  input: CREATE_USER_INPUT,
  resource: (input, ctx) =>
    entityArn('user', ctx.caller.accountId, input.Path ?? '/', input.UserName),
  conditionKeys: (input) => {
    const keys = requestTagKeys(input.Tags)
    if (input.PermissionsBoundary !== undefined) {
      keys['iam:PermissionsBoundary'] = input.PermissionsBoundary
    }
    return keys
  },
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags ?? [])
    const boundary =
      input.PermissionsBoundary === undefined
        ? undefined
        : (await managedPolicyByArn(ctx, input.PermissionsBoundary)).name
    const user = await ctx.tx.createUser({
      accountId: ctx.caller.accountId,
      name: input.UserName,
      ...(input.Path === undefined ? {} : { path: input.Path }),
      ...(boundary === undefined ? {} : { permissionsBoundary: boundary }),
      tags,
    })
    return { User: userXml(user, tags) }
  },
})

// GetUser is read-only, so it reads its user through the cache: the read that gives the ARN to
// authorize is then the one answered, and a repeated GetUser reads no database. Not found is
// null, answered after authorization. A user kept in the cache comes at once, not as a promise,
// so that neither step waits for it.
function readTargetUser(
  ctx: OperationContext,
  name: string,
): UserDetails | null | Promise<UserDetails | null> {
  const accountId = ctx.caller.accountId
  const kept = ctx.cache.keptUserDetails(accountId, name)
  return kept !== undefined ? kept : ctx.cache.userDetails(accountId, name, ctx.tx)
}

/** The ARN authorized for a user read by name: its own, or the one a missing user would have. */
function userArn(details: UserDetails | null, accountId: string, name: string): string {
  return details?.user.arn ?? missingUserArn(accountId, name)
}

/** GetUser: the named user, or the caller (the root user too) without UserName. */
export const GET_USER = defineOperation({
  name: 'GetUser',
  action: 'iam:GetUser',
  input: { kind: 'structure', members: { UserName: EXISTING_USER_NAME } } as const,
  resource: (input, ctx) => {
    const name = input.UserName
    if (name === undefined) return targetUserArn(ctx.tx, ctx.caller, name)
    const accountId = ctx.caller.accountId
    const details = readTargetUser(ctx, name)
    return details instanceof Promise
      ? details.then((read) => userArn(read, accountId, name))
      : userArn(details, accountId, name)
  },
  handle: async (input, ctx) => {
    const { caller } = ctx
    const name = targetUserName(caller, input.UserName)
    if (name === null) {
      // Only the root user (its own keys or a session of it) is a target without a user name.
      if (caller.kind !== 'root' && caller.kind !== 'rootSession') {
        throw new Error(`GetUser: no user name for a ${caller.kind} caller`)
      }
      // The root user as IAM shows it: the account as its id, no name and no path.
      return {
        User: { UserId: caller.accountId, Arn: caller.arn, CreateDate: caller.account.createdAt },
      }
    }
    const found = readTargetUser(ctx, name)
    const details = found instanceof Promise ? await found : found
    if (details === null) throw new NotFoundError('user', name)
    // passwordLastUsed: when the user last signed in to the console with its password.
    return { User: userXml(details.user, details.tags, true, details.passwordLastUsed) }
  },
})

/** ListUsers: by name, filtered by path prefix, Marker/MaxItems paginated. */
export const LIST_USERS = defineOperation({
  name: 'ListUsers',
  action: 'iam:ListUsers',
  input: { kind: 'structure', members: { PathPrefix: PATH_PREFIX, ...PAGE_MEMBERS } } as const,
  // IAM authorizes a listing on the path it lists: "... iam:ListUsers on resource:
  // arn:aws:iam::123456789012:user/".
  resource: (input, ctx) => entityArn('user', ctx.caller.accountId, input.PathPrefix ?? '/', ''),
  handle: async (input, ctx) => {
    // Read-only, so through the cache: a repeated ListUsers reads no database, and the page's
    // users, the same list until the store changes, are encoded once.
    const page = await ctx.cache.userPage(
      ctx.caller.accountId,
      {
        ...pageRequest(input),
        ...(input.PathPrefix === undefined ? {} : { pathPrefix: input.PathPrefix }),
      },
      ctx.tx,
    )
    return { Users: usersXml(page), ...pageEnd(page) }
  },
})

// The users of each kept page as ListUsers sends them, made once per page.
const PAGE_USERS = new WeakMap<Page<User>, readonly UserXml[]>()

function usersXml(page: Page<User>): readonly UserXml[] {
  let users = PAGE_USERS.get(page)
  if (users === undefined) {
    users = encodeOnce(page.items.map((user) => userXml(user, [], false)))
    PAGE_USERS.set(page, users)
  }
  return users
}

/**
 * UpdateUser: renames or moves a user; its id, keys, policies, groups and tags stay with it.
 * EntityAlreadyExists when another user has the new name in any case. Authorized on the user's
 * ARN before and after.
 */
export const UPDATE_USER = defineOperation({
  name: 'UpdateUser',
  action: 'iam:UpdateUser',
  input: {
    kind: 'structure',
    members: { UserName: required(EXISTING_USER_NAME), NewPath: PATH, NewUserName: USER_NAME },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  alsoAuthorize: async (input, ctx) => {
    // A user that does not exist is placed where its ARN for authorization puts it: at `/`.
    const user = await ifFound(ctx.tx.getUser(ctx.caller.accountId, input.UserName))
    return renameAuthorizations(
      'iam:UpdateUser',
      'user',
      ctx.caller.accountId,
      user ?? { path: '/', name: input.UserName },
      { newPath: input.NewPath, newName: input.NewUserName },
    )
  },
  handle: async (input, ctx) => {
    await ctx.tx.updateUser(ctx.caller.accountId, input.UserName, {
      ...(input.NewUserName === undefined ? {} : { newName: input.NewUserName }),
      ...(input.NewPath === undefined ? {} : { newPath: input.NewPath }),
    })
    return undefined
  },
})

/** DeleteUser: refused with DeleteConflict while the user has keys, policies or groups. */
export const DELETE_USER = defineOperation({
  name: 'DeleteUser',
  action: 'iam:DeleteUser',
  input: { kind: 'structure', members: { UserName: required(EXISTING_USER_NAME) } } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    await ctx.tx.deleteUser(ctx.caller.accountId, input.UserName)
    return undefined
  },
})
