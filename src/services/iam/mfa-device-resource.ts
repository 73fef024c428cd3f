/** What the operations on a virtual MFA device are authorized on: the device's ARN and tags. */
import { awsResourceTagKeys } from '../../auth/resource-tags.js'
import type { ContextValue } from '../../policy/index.js'
import { allItems } from '../../store/all-items.js'
import { MfaDeviceError } from '../../store/mfa-device-error.js'
import { parseMfaSerialNumber } from '../../store/mfa-serial-number.js'
import type { OperationContext } from '../operation.js'

/**
 * The ARN an operation on the device `serialNumber` is authorized on: the serial number itself,
 * which is a virtual device's ARN; any other serial (a hardware device's, say, which Gatehouse
 * has none of) as the name of an `mfa` resource of the caller's account, so that a denial is
 * told before the NoSuchEntity that follows.
 */
export function mfaResourceArn(accountId: string, serialNumber: string): string {
  if (parseMfaSerialNumber(serialNumber) !== undefined) return serialNumber
  return `arn:aws:iam::${accountId}:mfa/${serialNumber}`
}

/**
 * aws:ResourceTag/* of the device, which the request context of the actions on the `mfa`
 * resource type carries (the Service Authorization Reference lists the key for it); none for a
 * device that does not exist, whose NoSuchEntity is the handler's to tell once the call is
 * allowed.
 */
export async function deviceTagKeys(
  ctx: OperationContext,
  serialNumber: string,
): Promise<Record<string, ContextValue>> {
  let tags
  try {
    tags = await allItems((r) => ctx.tx.listMfaDeviceTags(ctx.caller.accountId, serialNumber, r))
  } catch (err) {
    if (err instanceof MfaDeviceError) return {}
    throw err
  }
  return awsResourceTagKeys(tags)
}
