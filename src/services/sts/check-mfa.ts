/**
 * MFA on STS calls (SerialNumber and TokenCode): the code of the caller's own virtual MFA device
 * (an IAM user's, or the root user's), checked against the device's seed (RFC 6238) and used up,
 * so that no code opens two sessions. What it proves becomes aws:MultiFactorAuthPresent (and
 * aws:MultiFactorAuthAge) of the session, and, for AssumeRole, of the AssumeRole request itself,
 * where a trust policy can demand it. Console sign-in checks its codes with the same window.
 */
import { codeMatches, totpStep } from '../../auth/totp.js'
import { AwsError } from '../../errors/aws-error.js'
import { MfaDeviceError } from '../../store/mfa-device-error.js'
import type { VirtualMfaDeviceSecret } from '../../store/mfa-devices-ops.js'
import { NotFoundError } from '../../store/errors.js'
import type { OperationContext } from '../operation.js'

/** AWS's message for a serial number it cannot match to the caller's device (two spaces and all). */
export const MFA_UNVERIFIABLE_MESSAGE =
  'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.'

/** AWS's message for a code that is not the device's (as reported from real calls). */
export const MFA_INVALID_CODE_MESSAGE =
  'MultiFactorAuthentication failed with invalid MFA one time pass code.'

/**
 * Steps either side of the device's own clock (the server's step plus the drift its last codes
 * showed) a code may come from: a code stays good for about a minute and a half.
 */
export const MFA_CODE_WINDOW_STEPS = 1

/** What a request's MFA fields prove. */
export type MfaProof = { readonly present: false } | { readonly present: true; readonly at: Date }

const NO_MFA: MfaProof = { present: false }

/**
 * The time step whose code `code` is, among the steps within MFA_CODE_WINDOW_STEPS of the
 * device's clock at `now` and after its last used code; undefined if none. Every step of the
 * window is compared, in constant time each, whether or not an earlier one matched.
 */
export function matchingCodeStep(
  device: VirtualMfaDeviceSecret,
  code: string,
  now: Date,
): number | undefined {
  const centre = totpStep(now) + device.driftSteps
  let matched: number | undefined
  for (let step = centre - MFA_CODE_WINDOW_STEPS; step <= centre + MFA_CODE_WINDOW_STEPS; step++) {
    const usable = device.lastStep === null || step > device.lastStep
    if (codeMatches(device.seed, step, code) && usable && matched === undefined) matched = step
  }
  return matched
}

/**
 * The owner whose device a caller's SerialNumber must name: an IAM user by name, or the root
 * user (null), calling with its own long-term keys; undefined for anyone else (sessions call no
 * GetSessionToken, and a role session's AssumeRole has no device of its own).
 */
function deviceOwner(ctx: OperationContext): { readonly userName: string | null } | undefined {
  const { caller } = ctx
  if (caller.kind === 'user') return { userName: caller.user.name }
  if (caller.kind === 'root') return { userName: null }
  return undefined
}

/**
 * Checks a request's SerialNumber and TokenCode, and uses the code up. Neither: no MFA. Both: the
 * code of a device enabled for the calling IAM user (or for the root user, when it calls),
 * newer than any used before; AccessDenied with AWS's messages otherwise (also for one without
 * the other, and for callers without a device of their own).
 */
export async function verifyMfa(
  ctx: OperationContext,
  serialNumber: string | undefined,
  tokenCode: string | undefined,
): Promise<MfaProof> {
  if (serialNumber === undefined && tokenCode === undefined) return NO_MFA
  const { caller } = ctx
  const owner = deviceOwner(ctx)
  if (serialNumber === undefined || tokenCode === undefined || owner === undefined) {
    throw new AwsError('AccessDenied', MFA_UNVERIFIABLE_MESSAGE)
  }
  try {
    const device = await ctx.tx.getVirtualMfaDeviceSecret(caller.accountId, serialNumber)
    const enabledForOwner =
      owner.userName === null
        ? device.device.root
        : device.device.user?.name.toLowerCase() === owner.userName.toLowerCase()
    if (!enabledForOwner) throw new AwsError('AccessDenied', MFA_UNVERIFIABLE_MESSAGE)
    const matched = matchingCodeStep(device, tokenCode, ctx.now)
    // A code of another step, or one already used (here or by a call racing this one).
    if (
      matched === undefined ||
      !(await ctx.tx.useMfaCode(caller.accountId, serialNumber, owner.userName, matched))
    ) {
      throw new AwsError('AccessDenied', MFA_INVALID_CODE_MESSAGE)
    }
    return { present: true, at: ctx.now }
  } catch (err) {
    if (err instanceof MfaDeviceError || err instanceof NotFoundError) {
      throw new AwsError('AccessDenied', MFA_UNVERIFIABLE_MESSAGE)
    }
    throw err
  }
}
