/**
 * The MFA devices of IAM users: EnableMFADevice, ResyncMFADevice, DeactivateMFADevice,
 * ListMFADevices (reference §2, "MFA and virtual MFA devices"). Each is authorized on the user.
 */
import { MfaDeviceError } from '../../store/mfa-device-error.js'
import { defineOperation } from '../operation.js'
import { checkMfaCodes } from './check-mfa-codes.js'
import { withMfaDeviceErrors } from './mfa-device-aws-error.js'
import { AUTHENTICATION_CODE, SERIAL_NUMBER } from './mfa-device-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { EXISTING_USER_NAME, PAGE_MEMBERS, required } from './shapes.js'
import { targetUserArn, targetUserName } from './target-user.js'

const CODES_INPUT = {
  kind: 'structure',
  members: {
    UserName: required(EXISTING_USER_NAME),
    SerialNumber: required(SERIAL_NUMBER),
    AuthenticationCode1: required(AUTHENTICATION_CODE),
    AuthenticationCode2: required(AUTHENTICATION_CODE),
  },
} as const

/**
 * EnableMFADevice: assigns an unassigned virtual device to a user once its two consecutive codes
 * check out. Checked in this order: the user (NoSuchEntity), the device (NoSuchEntity), that it
 * is free (EntityAlreadyExists), the codes (InvalidAuthenticationCode, a replay included), the
 * user's quota of devices (LimitExceeded).
 */
export const ENABLE_MFA_DEVICE = defineOperation({
  name: 'EnableMFADevice',
  action: 'iam:EnableMFADevice',
  input: CODES_INPUT,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: (input, ctx) =>
    withMfaDeviceErrors('EnableMFADevice', async () => {
      const { tx, caller } = ctx
      await tx.getUser(caller.accountId, input.UserName)
      const secret = await tx.getVirtualMfaDeviceSecret(caller.accountId, input.SerialNumber)
      if (secret.device.user !== null) throw new MfaDeviceError('assigned', input.SerialNumber)
      const codes = checkMfaCodes(
        secret,
        input.AuthenticationCode1,
        input.AuthenticationCode2,
        ctx.now,
      )
      await tx.enableMfaDevice(caller.accountId, input.SerialNumber, input.UserName, codes)
      return undefined
    }),
})

/**
 * ResyncMFADevice: takes two new consecutive codes of a device enabled for the user, keeping the
 * device's drift; codes already used are refused as invalid.
 */
export const RESYNC_MFA_DEVICE = defineOperation({
  name: 'ResyncMFADevice',
  action: 'iam:ResyncMFADevice',
  input: CODES_INPUT,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: (input, ctx) =>
    withMfaDeviceErrors('ResyncMFADevice', async () => {
      const { tx, caller } = ctx
      const user = await tx.getUser(caller.accountId, input.UserName)
      const secret = await tx.getVirtualMfaDeviceSecret(caller.accountId, input.SerialNumber)
      if (secret.device.user?.userId !== user.userId) {
        throw new MfaDeviceError('notAssignedToUser', input.SerialNumber)
      }
      const codes = checkMfaCodes(
        secret,
        input.AuthenticationCode1,
        input.AuthenticationCode2,
        ctx.now,
      )
      await tx.resyncMfaDevice(caller.accountId, input.SerialNumber, input.UserName, codes)
      return undefined
    }),
})

/**
 * DeactivateMFADevice: unassigns a device from its user (the caller without UserName); the
 * device stays, unassigned, until DeleteVirtualMFADevice.
 */
export const DEACTIVATE_MFA_DEVICE = defineOperation({
  name: 'DeactivateMFADevice',
  action: 'iam:DeactivateMFADevice',
  input: {
    kind: 'structure',
    members: { UserName: EXISTING_USER_NAME, SerialNumber: required(SERIAL_NUMBER) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: (input, ctx) =>
    withMfaDeviceErrors('DeactivateMFADevice', async () => {
      const { tx, caller } = ctx
      const userName = targetUserName(caller, input.UserName)
      if (userName === null) {
        // The root user: Gatehouse enables no device for it (that is the console's sign-in).
        await tx.getVirtualMfaDevice(caller.accountId, input.SerialNumber)
        throw new MfaDeviceError('notAssignedToUser', input.SerialNumber)
      }
      await tx.deactivateMfaDevice(caller.accountId, input.SerialNumber, userName)
      return undefined
    }),
})

/**
 * ListMFADevices: the devices enabled for a user (the caller without UserName), by serial
 * number. The root user has none here: Gatehouse enables no device for it.
 */
export const LIST_MFA_DEVICES = defineOperation({
  name: 'ListMFADevices',
  action: 'iam:ListMFADevices',
  input: { kind: 'structure', members: { UserName: EXISTING_USER_NAME, ...PAGE_MEMBERS } } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const userName = targetUserName(ctx.caller, input.UserName)
    const page =
      userName === null
        ? { items: [], marker: null }
        : await ctx.tx.listMfaDevices(ctx.caller.accountId, userName, pageRequest(input))
    return {
      // MFADevices is a required member: an empty list is sent as <MFADevices/>.
      MFADevices: page.items.map((device) => ({
        UserName: device.user?.name ?? userName ?? undefined,
        SerialNumber: device.serialNumber,
        EnableDate: device.enabledAt ?? undefined,
      })),
      ...pageEnd(page),
    }
  },
})
