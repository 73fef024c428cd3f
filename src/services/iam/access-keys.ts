/**
 * Access keys of IAM users and of the root user: CreateAccessKey, ListAccessKeys,
 * UpdateAccessKey, DeleteAccessKey (reference §2, "Access keys"). Without UserName each acts on
 * the caller's own keys.
 */
import { AwsError } from '../../errors/aws-error.js'
import type { AccessKey } from '../../store/store.js'
import { defineOperation } from '../operation.js'
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
