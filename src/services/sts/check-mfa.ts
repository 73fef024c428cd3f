/**
 * MFA on STS calls (SerialNumber and TokenCode). Gatehouse has no MFA devices yet, so no serial
 * number can be associated with the caller: a request that passes one is refused as AWS refuses
 * an unknown device.
 */
import { AwsError } from '../../errors/aws-error.js'

/** AWS's message for a serial number it cannot match to the caller's device (two spaces and all). */
export const MFA_UNVERIFIABLE_MESSAGE =
  'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.'

/** Refuses MFA information, which no device of the caller's can confirm. */
export function checkMfa(serialNumber: string | undefined, tokenCode: string | undefined): void {
  if (serialNumber !== undefined || tokenCode !== undefined) {
    throw new AwsError('AccessDenied', MFA_UNVERIFIABLE_MESSAGE)
  }
}
