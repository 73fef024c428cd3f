/**
 * Tags of virtual MFA devices: TagMFADevice, UntagMFADevice, ListMFADeviceTags (reference §2,
 * "MFA and virtual MFA devices"). A device's tag keys compare with case (iam-guide id_tags).
 */
import { defineOperation } from '../operation.js'
import { requestTagKeys } from './check-tags.js'
import { checkPolicyTags } from './managed-policies.js'
import { withMfaDeviceErrors } from './mfa-device-aws-error.js'
import { deviceTagKeys, mfaResourceArn } from './mfa-device-resource.js'
import { SERIAL_NUMBER } from './mfa-device-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { PAGE_MEMBERS, TAGS, TAG_KEYS, required } from './shapes.js'

/** TagMFADevice: adds tags or replaces their values; LimitExceeded past 50. */
export const TAG_MFA_DEVICE = defineOperation({
  name: 'TagMFADevice',
  action: 'iam:TagMFADevice',
  input: {
    kind: 'structure',
    members: { SerialNumber: required(SERIAL_NUMBER), Tags: required(TAGS) },
  } as const,
  resource: (input, ctx) => mfaResourceArn(ctx.caller.accountId, input.SerialNumber),
  conditionKeys: async (input, ctx) => ({
    ...(await deviceTagKeys(ctx, input.SerialNumber)),
    ...requestTagKeys(input.Tags),
  }),
  handle: (input, ctx) =>
    withMfaDeviceErrors('TagMFADevice', async () => {
      const tags = checkPolicyTags(input.Tags)
      await ctx.tx.tagMfaDevice(ctx.caller.accountId, input.SerialNumber, tags)
      return undefined
    }),
})

/** UntagMFADevice: removes the keys given; keys the device does not have are ignored. */
export const UNTAG_MFA_DEVICE = defineOperation({
  name: 'UntagMFADevice',
  action: 'iam:UntagMFADevice',
  input: {
    kind: 'structure',
    members: { SerialNumber: required(SERIAL_NUMBER), TagKeys: required(TAG_KEYS) },
  } as const,
  resource: (input, ctx) => mfaResourceArn(ctx.caller.accountId, input.SerialNumber),
  conditionKeys: async (input, ctx) => ({
    ...(await deviceTagKeys(ctx, input.SerialNumber)),
    'aws:TagKeys': [...input.TagKeys],
  }),
  handle: (input, ctx) =>
    withMfaDeviceErrors('UntagMFADevice', async () => {
      await ctx.tx.untagMfaDevice(ctx.caller.accountId, input.SerialNumber, input.TagKeys)
      return undefined
    }),
})

/** ListMFADeviceTags: by key; Tags is always sent, empty or not (the model marks it required). */
export const LIST_MFA_DEVICE_TAGS = defineOperation({
  name: 'ListMFADeviceTags',
  action: 'iam:ListMFADeviceTags',
  input: {
    kind: 'structure',
    members: { SerialNumber: required(SERIAL_NUMBER), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => mfaResourceArn(ctx.caller.accountId, input.SerialNumber),
  conditionKeys: (input, ctx) => deviceTagKeys(ctx, input.SerialNumber),
  handle: (input, ctx) =>
    withMfaDeviceErrors('ListMFADeviceTags', async () => {
      const page = await ctx.tx.listMfaDeviceTags(
        ctx.caller.accountId,
        input.SerialNumber,
        pageRequest(input),
      )
      return { Tags: page.items.map((t) => ({ Key: t.key, Value: t.value })), ...pageEnd(page) }
    }),
})
