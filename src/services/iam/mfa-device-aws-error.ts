/**
 * The AWS errors of the virtual MFA device operations. The store's MfaDeviceError is this
 * family's own (src/store/mfa-device-error.ts), so the one mapper (src/errors/to-aws-error.ts)
 * does not know it yet: each operation passes what it throws through here first.
 */
import { AwsError } from '../../errors/aws-error.js'
import { MfaDeviceError } from '../../store/mfa-device-error.js'

/**
 * IAM's answer to codes that are not two consecutive codes of the device (recorded from AWS by
 * people enabling devices in the console and with the CLI). Replayed codes get the same answer,
 * which tells nothing of why.
 */
export const INVALID_AUTHENTICATION_CODE_MESSAGE = 'Authentication code for device is not valid.'

/** IAM's NoSuchEntity for a serial number that names no virtual MFA device of the account. */
export function deviceNotFoundMessage(serialNumber: string): string {
  // Wording of moto's tests, written against AWS.
  return `VirtualMFADevice with serial number ${serialNumber} doesn't exist.`
}

/** The AwsError an MfaDeviceError thrown by `action` becomes. */
function fromStore(err: MfaDeviceError, action: string): AwsError {
  const options = { cause: err }
  switch (err.reason) {
    case 'notFound':
      return new AwsError('NoSuchEntity', deviceNotFoundMessage(err.serialNumber), options)
    case 'alreadyExists':
      // AWS's wording, as CloudTrail records it for CreateVirtualMFADevice.
      return new AwsError(
        'EntityAlreadyExists',
        'MFADevice entity at the same path and name already exists.',
        options,
      )
    case 'assigned':
      // An assigned device can be neither deleted (DeleteConflict) nor enabled again. The wording
      // is an AWS-compatible implementation's (ctyun OOS IAM), whose other MFA messages match
      // AWS's where AWS's are on record; AWS's own text for these two is not.
      return action === 'DeleteVirtualMFADevice'
        ? new AwsError(
            'DeleteConflict',
            'MFA VirtualDevice in use. Must deactivate first.',
            options,
          )
        : new AwsError('EntityAlreadyExists', 'MFA Device is already in use.', options)
    case 'notAssignedToUser':
      // Same source as 'assigned'.
      return new AwsError('NoSuchEntity', 'MFA Device invalid for user.', options)
    case 'codesReused':
      return new AwsError('InvalidAuthenticationCode', INVALID_AUTHENTICATION_CODE_MESSAGE, options)
    case 'perUserLimit':
      // Invented message: IAM's "Cannot exceed quota for <Name>: <limit>" with this quota's name;
      // AWS's own text for it is not on record.
      return new AwsError(
        'LimitExceeded',
        `Cannot exceed quota for MFADevicesPerUser: ${err.limit ?? ''}`,
        options,
      )
  }
}

/** What `fn` returns, with an MfaDeviceError it throws turned into AWS's error for `action`. */
export async function withMfaDeviceErrors<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof MfaDeviceError) throw fromStore(err, action)
    throw err
  }
}
