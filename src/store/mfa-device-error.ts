/**
 * Why a virtual MFA device operation failed. The store's shared vocabulary (./errors.ts) names
 * no MFA device, so this family brings its own error; the IAM service maps it to AWS's codes and
 * wording (src/services/iam/mfa-device-aws-error.ts).
 */
import { StoreError } from './errors.js'

/** What went wrong with a device. */
export type MfaDeviceFailure =
  /** No virtual MFA device of the account has this serial number. */
  | 'notFound'
  /** A device of this path and name (without case) exists already. */
  | 'alreadyExists'
  /** The device is enabled for a user: it cannot be enabled again or deleted. */
  | 'assigned'
  /** The device is not enabled for the user named. */
  | 'notAssignedToUser'
  /** The codes are of time steps no later than the newest one already accepted (a replay). */
  | 'codesReused'
  /** The user has as many MFA devices as the quota allows. */
  | 'perUserLimit'

/** A virtual MFA device operation the store refused. */
export class MfaDeviceError extends StoreError {
  override readonly name = 'MfaDeviceError'

  /**
   * @param reason - what went wrong
   * @param serialNumber - the device's serial number, as the caller gave it
   * @param limit - for perUserLimit, the quota
   */
  constructor(
    readonly reason: MfaDeviceFailure,
    readonly serialNumber: string,
    readonly limit?: number,
  ) {
    super(`virtual MFA device ${serialNumber}: ${reason}`)
  }
}
