/**
 * Access keys of IAM users and of the root user: CreateAccessKey, ListAccessKeys,
 * UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed (reference §2, "Access keys"). Without
 * UserName the first four act on the caller's own keys.
 */
import { AwsError } from '../../errors/aws-error.js'
import { rootArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import type { AccessKey } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { pageEnd, pageRequest } from './results.js'
import { ACCESS_KEY_ID, EXISTING_USER_NAME, PAGE_MEMBERS, STATUS, required } from './shapes.js'
import { targetUserArn, targetUserName } from './target-user.js'

/** AccessKeyMetadata, as ListAccessKeys returns it (the root user's keys carry no UserName). */
type AccessKeyMetadataXml = {
  readonly UserName: string | undefined
  readonly AccessKeyId: string
  readonly Status: string
  readonly CreateDate: Date
}

function metadataXml(key: AccessKey): AccessKeyMetadataXml {
  return {
    UserName: key.userName ?? undefined,
    AccessKeyId: key.accessKeyId,
    Status: key.status,
    CreateDate: key.createdAt,
  }
}

/** CreateAccessKey: the only response that ever carries the secret. */
export const CREATE_ACCESS_KEY = defineOperation({
  name: 'CreateAccessKey',
  action: 'iam:CreateAccessKey',
  input: { kind: 'structure', members: { UserName: EXISTING_USER_NAME } } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const { accessKey, secretAccessKey } = await ctx.tx.createAccessKey({
      accountId: ctx.caller.accountId,
      userName: targetUserName(ctx.caller, input.UserName),
    })
    return {
      AccessKey: {
        UserName: accessKey.userName ?? undefined,
        AccessKeyId: accessKey.accessKeyId,
        Status: accessKey.status,
        SecretAccessKey: secretAccessKey,
        CreateDate: accessKey.createdAt,
      },
    }
  },
})

/** ListAccessKeys: a user's keys (never their secrets), in order of id. */
export const LIST_ACCESS_KEYS = defineOperation({
  name: 'ListAccessKeys',
  action: 'iam:ListAccessKeys',
  input: { kind: 'structure', members: { UserName: EXISTING_USER_NAME, ...PAGE_MEMBERS } } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listAccessKeys(
      ctx.caller.accountId,
      targetUserName(ctx.caller, input.UserName),
      pageRequest(input),
    )
    return { AccessKeyMetadata: page.items.map(metadataXml), ...pageEnd(page) }
  },
})

/** UpdateAccessKey: makes a key Active or Inactive. */
export const UPDATE_ACCESS_KEY = defineOperation({
  name: 'UpdateAccessKey',
  action: 'iam:UpdateAccessKey',
  input: {
    kind: 'structure',
    members: {
      UserName: EXISTING_USER_NAME,
      AccessKeyId: required(ACCESS_KEY_ID),
      Status: required(STATUS),
    },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    // statusType also has Expired, which IAM sets on signing certificates, never on a key.
    if (input.Status === 'Expired') {
      throw new AwsError(
        'InvalidInput',
        'Status Expired is not valid for an access key: use Active or Inactive.',
      )
    }
    await ctx.tx.updateAccessKeyStatus(
      ctx.caller.accountId,
      targetUserName(ctx.caller, input.UserName),
      input.AccessKeyId,
      input.Status,
    )
    return undefined
  },
})

/** DeleteAccessKey. */
export const DELETE_ACCESS_KEY = defineOperation({
  name: 'DeleteAccessKey',
  action: 'iam:DeleteAccessKey',
  input: {
    kind: 'structure',
    members: { UserName: EXISTING_USER_NAME, AccessKeyId: required(ACCESS_KEY_ID) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    await ctx.tx.deleteAccessKey(
      ctx.caller.accountId,
      targetUserName(ctx.caller, input.UserName),
      input.AccessKeyId,
    )
    return undefined
  },
})

/**
 * The key an AccessKeyId names, if it is one of the caller's account; IAM answers any other id,
 * unknown or another account's, with this AccessDenied (recorded against AWS, for an
 * administrator asking about AKIAIOSFODNN7EXAMPLE), so it tells nothing of what exists.
 */
async function accountKey(ctx: OperationContext, accessKeyId: string): Promise<AccessKey> {
  const key = await ctx.tx.getAccessKey(accessKeyId).catch((err: unknown) => {
    if (err instanceof NotFoundError) return null
    throw err
  })
  if (key === null || key.accountId !== ctx.caller.accountId) {
    throw new AwsError(
      'AccessDenied',
      `User: ${ctx.caller.arn} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${accessKeyId}`,
    )
  }
  return key
}

/**
 * GetAccessKeyLastUsed: when and where a key last signed a request, authorized on the key's user
 * (the root user for a root key). A key never used has no date, and `N/A` as service and region,
 * as IAM answers.
 */
export const GET_ACCESS_KEY_LAST_USED = defineOperation({
  name: 'GetAccessKeyLastUsed',
  action: 'iam:GetAccessKeyLastUsed',
  input: { kind: 'structure', members: { AccessKeyId: required(ACCESS_KEY_ID) } } as const,
  resource: async (input, ctx) => {
    const key = await accountKey(ctx, input.AccessKeyId)
    if (key.userName === null) return rootArn(key.accountId)
    return (await ctx.tx.getUser(key.accountId, key.userName)).arn
  },
  handle: async (input, ctx) => {
    const key = await accountKey(ctx, input.AccessKeyId)
    return {
      // The root user is no IAM user: its keys come without a UserName, as in ListAccessKeys.
      UserName: key.userName ?? undefined,
      AccessKeyLastUsed: {
        LastUsedDate: key.lastUsedAt ?? undefined,
        ServiceName: key.lastUsedService ?? 'N/A',
        Region: key.lastUsedRegion ?? 'N/A',
      },
    }
  },
})
