/**
 * The serial number of a virtual MFA device, which is its ARN (iam-guide reference_identifiers):
 * `arn:aws:iam::<account>:mfa/<path without its leading slash><name>`, as
 * `arn:aws:iam::123456789012:mfa/division_abc/JaneDoeMFA`.
 */

/** A virtual MFA device as its serial number names it. */
export interface MfaSerialParts {
  readonly accountId: string
  /** Begins and ends with `/`. */
  readonly path: string
  readonly name: string
}

const SERIAL = /^arn:aws:iam::([0-9]{12}):mfa(\/(?:.*\/)?)([^/]+)$/

/** The serial number (ARN) of the device named `name` under `path` in `accountId`. */
export function mfaSerialNumber(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:mfa${path}${name}`
}

/** The parts of a virtual MFA device's serial number, or undefined for anything else. */
export function parseMfaSerialNumber(serialNumber: string): MfaSerialParts | undefined {
  const match = SERIAL.exec(serialNumber)
  if (match === null) return undefined
  const [, accountId, path, name] = match as unknown as [string, string, string, string]
  return { accountId, path, name }
}
