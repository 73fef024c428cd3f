/**
 * IAM instance profiles and the role each holds: CreateInstanceProfile, GetInstanceProfile,
 * ListInstanceProfiles, DeleteInstanceProfile, AddRoleToInstanceProfile,
 * RemoveRoleFromInstanceProfile, ListInstanceProfilesForRole, and their tags:
 * TagInstanceProfile, UntagInstanceProfile, ListInstanceProfileTags (reference §2, "Instance
 * profiles").
 */
import { allItems } from '../../store/all-items.js'
import { entityArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import type { TaggableRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { instanceProfileXml, tagListXml } from './role-results.js'
import { INSTANCE_PROFILE_NAME, ROLE_NAME } from './role-shapes.js'
import { TAG_KEYS } from './shapes.js'
import { targetRoleArn } from './roles.js'
import { pageEnd, pageRequest } from './results.js'
import { PAGE_MEMBERS, PATH, PATH_PREFIX, TAGS, required } from './shapes.js'

/**
 * The ARN an action on an instance profile is authorized on: the profile's own, path included,
 * when it exists; else its ARN at the root path, so a denial comes before NoSuchEntity.
 */
async function targetProfileArn(ctx: OperationContext, profileName: string): Promise<string> {
  try {
    return (await ctx.tx.getInstanceProfile(ctx.caller.accountId, profileName)).arn
  } catch (err) {
    if (err instanceof NotFoundError) {
      return entityArn('instanceProfile', ctx.caller.accountId, '/', profileName)
    }
    throw err
  }
}

function taggable(ctx: OperationContext, profileName: string): TaggableRef {
  return { kind: 'instanceProfile', accountId: ctx.caller.accountId, name: profileName }
}

const PROFILE_ONLY = {
  kind: 'structure',
  members: { InstanceProfileName: required(INSTANCE_PROFILE_NAME) },
} as const

const PROFILE_AND_ROLE = {
  kind: 'structure',
  members: { InstanceProfileName: required(INSTANCE_PROFILE_NAME), RoleName: required(ROLE_NAME) },
} as const

/** CreateInstanceProfile: a new profile holds no role. */
export const CREATE_INSTANCE_PROFILE = defineOperation({
  name: 'CreateInstanceProfile',
  action: 'iam:CreateInstanceProfile',
  input: {
    kind: 'structure',
    members: {
      InstanceProfileName: required(INSTANCE_PROFILE_NAME),
      Path: PATH,
      Tags: TAGS,
    },
  } as const,
  resource: (input, ctx) =>
    entityArn(
      'instanceProfile',
      ctx.caller.accountId,
      input.Path ?? '/',
      input.InstanceProfileName,
    ),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags ?? [])
    const profile = await ctx.tx.createInstanceProfile({
      accountId: ctx.caller.accountId,
      name: input.InstanceProfileName,
      ...(input.Path === undefined ? {} : { path: input.Path }),
      tags,
    })
    return { InstanceProfile: instanceProfileXml(profile, tags) }
  },
})

/** GetInstanceProfile: the profile with its role and its tags. */
export const GET_INSTANCE_PROFILE = defineOperation({
  name: 'GetInstanceProfile',
  action: 'iam:GetInstanceProfile',
  input: PROFILE_ONLY,
  resource: (input, ctx) => targetProfileArn(ctx, input.InstanceProfileName),
  handle: async (input, ctx) => {
    const profile = await ctx.tx.getInstanceProfile(ctx.caller.accountId, input.InstanceProfileName)
    const tags = await allItems((r) => ctx.tx.listTags(taggable(ctx, profile.name), r))
    return { InstanceProfile: instanceProfileXml(profile, tags) }
  },
})

/** ListInstanceProfiles: by name, filtered by path prefix, without tags. */
export const LIST_INSTANCE_PROFILES = defineOperation({
  name: 'ListInstanceProfiles',
  action: 'iam:ListInstanceProfiles',
  input: { kind: 'structure', members: { PathPrefix: PATH_PREFIX, ...PAGE_MEMBERS } } as const,
  // IAM authorizes a listing on the path it lists: "... iam:ListInstanceProfiles on resource:
  // arn:aws:iam::123456789012:instance-profile/".
  resource: (input, ctx) =>
    entityArn('instanceProfile', ctx.caller.accountId, input.PathPrefix ?? '/', ''),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listInstanceProfiles(ctx.caller.accountId, {
      ...pageRequest(input),
      ...(input.PathPrefix === undefined ? {} : { pathPrefix: input.PathPrefix }),
    })
    return {
      InstanceProfiles: page.items.map((profile) => instanceProfileXml(profile)),
      ...pageEnd(page),
    }
  },
})

/** DeleteInstanceProfile: refused with DeleteConflict while the profile holds a role. */
export const DELETE_INSTANCE_PROFILE = defineOperation({
  name: 'DeleteInstanceProfile',
  action: 'iam:DeleteInstanceProfile',
  input: PROFILE_ONLY,
  resource: (input, ctx) => targetProfileArn(ctx, input.InstanceProfileName),
  handle: async (input, ctx) => {
    await ctx.tx.deleteInstanceProfile(ctx.caller.accountId, input.InstanceProfileName)
    return undefined
  },
})

/**
 * AddRoleToInstanceProfile: LimitExceeded once the profile holds its one role (even the same
 * role again, as in AWS). The caller must also be allowed to pass the role: "The caller of this
 * operation must be granted the PassRole permission on the IAM role by a permissions policy"
 * (IAM API reference), since whoever launches an instance with the profile acts as the role.
 */
export const ADD_ROLE_TO_INSTANCE_PROFILE = defineOperation({
  name: 'AddRoleToInstanceProfile',
  action: 'iam:AddRoleToInstanceProfile',
  input: PROFILE_AND_ROLE,
  resource: (input, ctx) => targetProfileArn(ctx, input.InstanceProfileName),
  // iam:PassRole's iam:AssociatedResourceArn, as IAM gives it here: any instance of the account
  // ("The ARN value must be arn:aws:ec2:*:CallerAccountId:instance/*"), so that a PassRole
  // allowed only for the account's instances allows this call too.
  conditionKeys: (_input, ctx) => ({
    'iam:AssociatedResourceArn': `arn:aws:ec2:*:${ctx.caller.accountId}:instance/*`,
  }),
  alsoAuthorize: async (input, ctx) => [
    {
      action: 'iam:PassRole',
      resource: await targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
    },
  ],
  handle: async (input, ctx) => {
    await ctx.tx.addRoleToInstanceProfile(
      ctx.caller.accountId,
      input.InstanceProfileName,
      input.RoleName,
    )
    return undefined
  },
})

/** RemoveRoleFromInstanceProfile. */
export const REMOVE_ROLE_FROM_INSTANCE_PROFILE = defineOperation({
  name: 'RemoveRoleFromInstanceProfile',
  action: 'iam:RemoveRoleFromInstanceProfile',
  input: PROFILE_AND_ROLE,
  resource: (input, ctx) => targetProfileArn(ctx, input.InstanceProfileName),
  handle: async (input, ctx) => {
    await ctx.tx.removeRoleFromInstanceProfile(
      ctx.caller.accountId,
      input.InstanceProfileName,
      input.RoleName,
    )
    return undefined
  },
})

/** ListInstanceProfilesForRole: authorized on the role, as the Service Authorization Reference says. */
export const LIST_INSTANCE_PROFILES_FOR_ROLE = defineOperation({
  name: 'ListInstanceProfilesForRole',
  action: 'iam:ListInstanceProfilesForRole',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listInstanceProfilesForRole(
      ctx.caller.accountId,
      input.RoleName,
      pageRequest(input),
    )
    return {
      InstanceProfiles: page.items.map((profile) => instanceProfileXml(profile)),
      ...pageEnd(page),
    }
  },
})

/**
 * TagInstanceProfile: adds or replaces; an instance profile's tag keys compare with case, so
 * `dept` and `Dept` are two tags.
 */
export const TAG_INSTANCE_PROFILE = defineOperation({
  name: 'TagInstanceProfile',
  action: 'iam:TagInstanceProfile',
  input: {
    kind: 'structure',
    members: { InstanceProfileName: required(INSTANCE_PROFILE_NAME), Tags: required(TAGS) },
  } as const,
  resource: (input, ctx) => targetProfileArn(ctx, input.InstanceProfileName),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags)
    await ctx.tx.tagResource(taggable(ctx, input.InstanceProfileName), tags)
    return undefined
  },
})

/** UntagInstanceProfile: removes the keys given (with case); absent keys are ignored. */
export const UNTAG_INSTANCE_PROFILE = defineOperation({
  name: 'UntagInstanceProfile',
  action: 'iam:UntagInstanceProfile',
  input: {
    kind: 'structure',
    members: { InstanceProfileName: required(INSTANCE_PROFILE_NAME), TagKeys: required(TAG_KEYS) },
  } as const,
  resource: (input, ctx) => targetProfileArn(ctx, input.InstanceProfileName),
  conditionKeys: (input) => ({ 'aws:TagKeys': [...input.TagKeys] }),
  handle: async (input, ctx) => {
    await ctx.tx.untagResource(taggable(ctx, input.InstanceProfileName), input.TagKeys)
    return undefined
  },
})

/** ListInstanceProfileTags: by key, Marker/MaxItems paginated. */
export const LIST_INSTANCE_PROFILE_TAGS = defineOperation({
  name: 'ListInstanceProfileTags',
  action: 'iam:ListInstanceProfileTags',
  input: {
    kind: 'structure',
    members: { InstanceProfileName: required(INSTANCE_PROFILE_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetProfileArn(ctx, input.InstanceProfileName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listTags(taggable(ctx, input.InstanceProfileName), pageRequest(input))
    return { Tags: tagListXml(page.items), ...pageEnd(page) }
  },
})
