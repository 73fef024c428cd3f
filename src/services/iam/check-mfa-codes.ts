/**
 * The two consecutive codes EnableMFADevice and ResyncMFADevice take, checked against the
 * device's seed with TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits).
 */
import { findConsecutiveCodes, totpStep } from '../../auth/totp.js'
import { AwsError } from '../../errors/aws-error.js'
import type { AcceptedCodes, VirtualMfaDeviceSecret } from '../../store/mfa-devices-ops.js'
import { INVALID_AUTHENTICATION_CODE_MESSAGE } from './mfa-device-aws-error.js'

/**
 * How far, in 30-second steps either way, the second code's step may be from the server's:
 * five minutes. IAM does not publish its window; its documentation says that codes submitted
 * "too long" after they were generated still enable the device (which is then out of sync), so
 * the window is wider than a sign-in's one step (RFC 6238 §5.2), and resynchronizing a drifted
 * device needs room too (§6).
 */
export const MFA_SYNC_WINDOW_STEPS = 10

/**
 * The steps of `code1` and `code2` when they are the device's codes of two consecutive steps
 * within the window around `now`, both after every code the device has had accepted (no
 * replay); InvalidAuthenticationCode (403) otherwise. The store checks the replay again when it
 * takes the codes, in the same transaction.
 */
export function checkMfaCodes(
  secret: VirtualMfaDeviceSecret,
  code1: string,
  code2: string,
  now: Date,
): AcceptedCodes {
  const step = totpStep(now)
  const last = findConsecutiveCodes(secret.seed, code1, code2, {
    step,
    window: MFA_SYNC_WINDOW_STEPS,
    after: secret.lastStep,
  })
  if (last === undefined) {
    throw new AwsError('InvalidAuthenticationCode', INVALID_AUTHENTICATION_CODE_MESSAGE)
  }
  return { firstStep: last - 1, lastStep: last, driftSteps: last - step }
}
