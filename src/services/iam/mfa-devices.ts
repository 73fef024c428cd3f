/**
 * The MFA devices of IAM users and of the root user: EnableMFADevice, ResyncMFADevice,
 * DeactivateMFADevice, ListMFADevices, GetMFADevice (reference §2, "MFA and virtual MFA
 * devices"). Each is authorized on the user, or on the root user's ARN when the root user acts on
 * its own devices by leaving UserName out.
 */
import type { Caller } from '../../auth/caller.js'
import { AwsError } from '../../errors/aws-error.js'
import { MfaDeviceError } from '../../store/mfa-device-error.js'
import type { VirtualMfaDevice } from '../../store/mfa-devices-ops.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { checkMfaCodes } from './check-mfa-codes.js'
import { withMfaDeviceErrors } from './mfa-device-aws-error.js'
import { AUTHENTICATION_CODE, SERIAL_NUMBER } from './mfa-device-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { EXISTING_USER_NAME, PAGE_MEMBERS, required } from './shapes.js'
import { targetUserArn, targetUserName } from './target-user.js'

/**
 * IAM's answer to a request without a member the model requires (read-params' wording), here
 * for EnableMFADevice's and ResyncMFADevice's UserName when an IAM user or a role leaves it out.
 */
const USER_NAME_REQUIRED_MESSAGE =
  "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"

/**
 * UserName is required by the model, which the root user's own devices do without: AWS lets the
 * root user leave it out to act on its own device ("When you make this request with root user
 * credentials, you must use an AssumeRoot session to omit the user name", the model's
 * documentation of DeactivateMFADevice; Gatehouse's root user needs no AssumeRoot session).
 */
const CODES_INPUT = {
  kind: 'structure',
  members: {
    UserName: EXISTING_USER_NAME,
    SerialNumber: required(SERIAL_NUMBER),
    AuthenticationCode1: required(AUTHENTICATION_CODE),
    AuthenticationCode2: required(AUTHENTICATION_CODE),
  },
} as const

/** Whether the caller is the root user, with its own keys or a session of its own. */
function isRootCaller(caller: Caller): boolean {
  return caller.kind === 'root' || caller.kind === 'rootSession'
}

/**
 * Whose device EnableMFADevice or ResyncMFADevice acts on: the user UserName names, else the root
 * user (null) when it calls; anyone else must name a user, as the model requires.
 */
function codesOwner(caller: Caller, userName: string | undefined): string | null {
  if (userName !== undefined) return userName
  if (isRootCaller(caller)) return null
  throw new AwsError('ValidationError', USER_NAME_REQUIRED_MESSAGE)
}

/** The ARN EnableMFADevice and ResyncMFADevice are authorized on (ValidationError first). */
function codesResource(input: { readonly UserName?: string }, ctx: OperationContext) {
  codesOwner(ctx.caller, input.UserName)
  return targetUserArn(ctx.tx, ctx.caller, input.UserName)
}

/** Whether `device` is enabled for `owner`: a user by name (any case), or the root user (null). */
function enabledFor(device: VirtualMfaDevice, owner: string | null): boolean {
  if (owner === null) return device.root
  return device.user !== null && device.user.name.toLowerCase() === owner.toLowerCase()
}

/**
 * EnableMFADevice: assigns an unassigned virtual device to a user (or, without UserName, to the
 * root user calling) once its two consecutive codes check out. Checked in this order: the user
 * (NoSuchEntity), the device (NoSuchEntity), that it is free (EntityAlreadyExists), the codes
 * (InvalidAuthenticationCode, a replay included), the quota of devices (LimitExceeded).
 */
export const ENABLE_MFA_DEVICE = defineOperation({
  name: 'EnableMFADevice',
  action: 'iam:EnableMFADevice',
  input: CODES_INPUT,
  resource: codesResource,
  handle: (input, ctx) =>
    withMfaDeviceErrors('EnableMFADevice', async () => {
      const { tx, caller } = ctx
      const owner = codesOwner(caller, input.UserName)
      if (owner !== null) await tx.getUser(caller.accountId, owner)
      const secret = await tx.getVirtualMfaDeviceSecret(caller.accountId, input.SerialNumber)
      if (secret.device.user !== null || secret.device.root) {
        throw new MfaDeviceError('assigned', input.SerialNumber)
      }
      const codes = checkMfaCodes(
        secret,
        input.AuthenticationCode1,
        input.AuthenticationCode2,
        ctx.now,
      )
      await tx.enableMfaDevice(caller.accountId, input.SerialNumber, owner, codes)
      return undefined
    }),
})

/**
 * ResyncMFADevice: takes two new consecutive codes of a device enabled for the user (or, without
 * UserName, for the root user calling), keeping the device's drift; codes already used are
 * refused as invalid.
 */
export const RESYNC_MFA_DEVICE = defineOperation({
  name: 'ResyncMFADevice',
  action: 'iam:ResyncMFADevice',
  input: CODES_INPUT,
  resource: codesResource,
  handle: (input, ctx) =>
    withMfaDeviceErrors('ResyncMFADevice', async () => {
      const { tx, caller } = ctx
      const owner = codesOwner(caller, input.UserName)
      if (owner !== null) await tx.getUser(caller.accountId, owner)
      const secret = await tx.getVirtualMfaDeviceSecret(caller.accountId, input.SerialNumber)
      if (!enabledFor(secret.device, owner)) {
        throw new MfaDeviceError('notAssignedToUser', input.SerialNumber)
      }
      const codes = checkMfaCodes(
        secret,
        input.AuthenticationCode1,
        input.AuthenticationCode2,
        ctx.now,
      )
      await tx.resyncMfaDevice(caller.accountId, input.SerialNumber, owner, codes)
      return undefined
    }),
})

/**
 * DeactivateMFADevice: unassigns a device from its user (the caller without UserName, the root
 * user included); the device stays, unassigned, until DeleteVirtualMFADevice.
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
      const owner = targetUserName(caller, input.UserName)
      await tx.deactivateMfaDevice(caller.accountId, input.SerialNumber, owner)
      return undefined
    }),
})

/**
 * ListMFADevices: the devices enabled for a user (the caller without UserName), by serial
 * number. The root user's own list leaves UserName out of each device: the root user has no user
 * name (GetUser shows it without one).
 */
export const LIST_MFA_DEVICES = defineOperation({
  name: 'ListMFADevices',
  action: 'iam:ListMFADevices',
  input: { kind: 'structure', members: { UserName: EXISTING_USER_NAME, ...PAGE_MEMBERS } } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const userName = targetUserName(ctx.caller, input.UserName)
    const page = await ctx.tx.listMfaDevices(ctx.caller.accountId, userName, pageRequest(input))
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

/**
 * GetMFADevice: one device enabled for a user (the caller without UserName, the root user
 * included): its user, serial number and enable date. The model documents the operation for
 * FIDO security keys, whose Certifications come from the FIDO Alliance's metadata; Gatehouse has
 * only virtual devices, which no such body certifies, so Certifications is left out. A serial
 * number of no device is NoSuchEntity, as is a device not enabled for that user.
 */
export const GET_MFA_DEVICE = defineOperation({
  name: 'GetMFADevice',
  action: 'iam:GetMFADevice',
  input: {
    kind: 'structure',
    members: { SerialNumber: required(SERIAL_NUMBER), UserName: EXISTING_USER_NAME },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: (input, ctx) =>
    withMfaDeviceErrors('GetMFADevice', async () => {
      const { tx, caller } = ctx
      const owner = targetUserName(caller, input.UserName)
      const user = owner === null ? null : await tx.getUser(caller.accountId, owner)
      const device = await tx.getVirtualMfaDevice(caller.accountId, input.SerialNumber)
      if (!enabledFor(device, owner)) {
        throw new MfaDeviceError('notAssignedToUser', input.SerialNumber)
      }
      return {
        UserName: user?.name,
        SerialNumber: device.serialNumber,
        EnableDate: device.enabledAt ?? undefined,
      }
    }),
})
