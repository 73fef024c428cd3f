/**
 * Virtual MFA devices of the account: CreateVirtualMFADevice, DeleteVirtualMFADevice,
 * ListVirtualMFADevices (reference §2, "MFA and virtual MFA devices").
 */
import { encodeBase32 } from '../../auth/base32.js'
import { mfaSerialNumber } from '../../store/mfa-serial-number.js'
import { defineOperation } from '../operation.js'
import { requestTagKeys } from './check-tags.js'
import { checkPolicyTags } from './managed-policies.js'
import { deviceTagKeys, mfaResourceArn } from './mfa-device-resource.js'
import { withMfaDeviceErrors } from './mfa-device-aws-error.js'
import { ASSIGNMENT_STATUS, SERIAL_NUMBER, VIRTUAL_MFA_DEVICE_NAME } from './mfa-device-shapes.js'
import { pageEnd, pageRequest, tagsXml, userXml } from './results.js'
import { PAGE_MEMBERS, PATH, TAGS, required } from './shapes.js'
import { otpauthUri, virtualMfaQrCode } from './virtual-mfa-qr-code.js'

/**
 * CreateVirtualMFADevice: a new unassigned device and, in this response only, its seed: as
 * Base32 text and as a QR code of the otpauth:// URI that holds it. Both are blobs, sent in
 * base64. Tag keys compare with case, as for every virtual MFA device.
 */
export const CREATE_VIRTUAL_MFA_DEVICE = defineOperation({
  name: 'CreateVirtualMFADevice',
  action: 'iam:CreateVirtualMFADevice',
  input: {
    kind: 'structure',
    members: { Path: PATH, VirtualMFADeviceName: required(VIRTUAL_MFA_DEVICE_NAME), Tags: TAGS },
  } as const,
  resource: (input, ctx) =>
    mfaSerialNumber(ctx.caller.accountId, input.Path ?? '/', input.VirtualMFADeviceName),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: (input, ctx) =>
    withMfaDeviceErrors('CreateVirtualMFADevice', async () => {
      const tags = checkPolicyTags(input.Tags ?? [])
      const { device, seed } = await ctx.tx.createVirtualMfaDevice({
        accountId: ctx.caller.accountId,
        name: input.VirtualMFADeviceName,
        ...(input.Path === undefined ? {} : { path: input.Path }),
        tags,
      })
      // SECURITY: the seed leaves the server here and nowhere else; the trail leaves both members
      // out of the record (src/audit/redact.ts).
      const base32Seed = encodeBase32(seed, false)
      const png = await virtualMfaQrCode(otpauthUri(device.accountId, device.name, base32Seed))
      return {
        VirtualMFADevice: {
          SerialNumber: device.serialNumber,
          Base32StringSeed: Buffer.from(base32Seed, 'ascii').toString('base64'),
          QRCodePNG: png.toString('base64'),
          Tags: tagsXml(tags),
        },
      }
    }),
})

/** DeleteVirtualMFADevice: only an unassigned device (DeleteConflict while it is enabled). */
export const DELETE_VIRTUAL_MFA_DEVICE = defineOperation({
  name: 'DeleteVirtualMFADevice',
  action: 'iam:DeleteVirtualMFADevice',
  input: { kind: 'structure', members: { SerialNumber: required(SERIAL_NUMBER) } } as const,
  resource: (input, ctx) => mfaResourceArn(ctx.caller.accountId, input.SerialNumber),
  conditionKeys: (input, ctx) => deviceTagKeys(ctx, input.SerialNumber),
  handle: (input, ctx) =>
    withMfaDeviceErrors('DeleteVirtualMFADevice', async () => {
      await ctx.tx.deleteVirtualMfaDevice(ctx.caller.accountId, input.SerialNumber)
      return undefined
    }),
})

/**
 * ListVirtualMFADevices: the account's devices by serial number, all of them unless
 * AssignmentStatus says Assigned or Unassigned ("defaults to Any"); an assigned one with its
 * user and enable date. Never a seed, and no tags (IAM's listings leave them out).
 */
export const LIST_VIRTUAL_MFA_DEVICES = defineOperation({
  name: 'ListVirtualMFADevices',
  action: 'iam:ListVirtualMFADevices',
  input: {
    kind: 'structure',
    members: { AssignmentStatus: ASSIGNMENT_STATUS, ...PAGE_MEMBERS },
  } as const,
  resource: () => '*',
  handle: async (input, ctx) => {
    const page = await ctx.tx.listVirtualMfaDevices(ctx.caller.accountId, {
      ...pageRequest(input),
      ...(input.AssignmentStatus === undefined ? {} : { assignmentStatus: input.AssignmentStatus }),
    })
    return {
      VirtualMFADevices: page.items.map((device) => ({
        SerialNumber: device.serialNumber,
        User: device.user === null ? undefined : userXml(device.user, [], false),
        EnableDate: device.enabledAt ?? undefined,
      })),
      ...pageEnd(page),
    }
  },
})
