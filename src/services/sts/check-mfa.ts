/**
 * MFA on STS calls (SerialNumber and TokenCode): the code of the caller's own virtual MFA device,
 * checked against the device's seed (RFC 6238) and used up, so that no code opens two sessions.
 * What it proves becomes aws:MultiFactorAuthPresent (and aws:MultiFactorAuthAge) of the session,
 * and, for AssumeRole, of the AssumeRole request itself, where a trust policy can demand it.
 */
import { codeMatches, totpStep } from '../../auth/totp.js'
import { AwsError } from '../../errors/aws-error.js'
import { MfaDeviceError } from '../../store/mfa-device-error.js'
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
const WINDOW_STEPS = 1

/** What a request's MFA fields prove. */
export type MfaProof = { readonly present: false } | { readonly present: true; readonly at: Date }

const NO_MFA: MfaProof = { present: false }

/**
 * Checks a request's SerialNumber and TokenCode, and uses the code up. Neither: no MFA. Both: the
 * code of a device enabled for the calling IAM user, newer than any used before; AccessDenied with
 * AWS's messages otherwise (also for one without the other, and for callers other than an IAM
 * user with its own keys: the root user's MFA is not served yet).
 */
export async function verifyMfa(
  ctx: OperationContext,
  serialNumber: string | undefined,
  tokenCode: string | undefined,
): Promise<MfaProof> {
  if (serialNumber === undefined && tokenCode === undefined) return NO_MFA
  const { caller } = ctx
  if (serialNumber === undefined || tokenCode === undefined || caller.kind !== 'user') {
    throw new AwsError('AccessDenied', MFA_UNVERIFIABLE_MESSAGE)
  }
  const userName = caller.user.name
  try {
    const device = await ctx.tx.getVirtualMfaDeviceSecret(caller.accountId, serialNumber)
    if (device.device.user?.name.toLowerCase() !== userName.toLowerCase()) {
      throw new AwsError('AccessDenied', MFA_UNVERIFIABLE_MESSAGE)
    }
    const centre = totpStep(ctx.now) + device.driftSteps
    let matched: number | undefined
    for (let step = centre - WINDOW_STEPS; step <= centre + WINDOW_STEPS; step++) {
      if (device.lastStep !== null && step <= device.lastStep) continue
      if (codeMatches(device.seed, step, tokenCode)) {
        matched = step
        break
      }
    }
    // A code of another step, or one already used (here or by a call racing this one).
    if (
      matched === undefined ||
      !(await ctx.tx.useMfaCode(caller.accountId, serialNumber, userName, matched))
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
