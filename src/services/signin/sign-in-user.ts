/**
 * What a console sign-in reads of the user it names, and the checks made on it with no store at
 * hand: whether its password must change, and which of its devices a code is of.
 */
import { isPasswordExpired } from '../../auth/password-rules.js'
import { NotFoundError } from '../../store/errors.js'
import type { VirtualMfaDeviceSecret } from '../../store/mfa-devices-ops.js'
import type { LoginProfile, PasswordPolicy } from '../../store/passwords-ops.js'
import type { StoreTx, User } from '../../store/store.js'
import { matchingCodeStep } from '../sts/check-mfa.js'

/** What the first transaction found of the user a sign-in names. */
export interface SignInUser {
  readonly user: User
  /** SECURITY: the stored hash; never leaves console sign-in. */
  readonly passwordHash: string
  readonly profile: LoginProfile
  readonly policy: PasswordPolicy | null
  /** SECURITY: with their seeds; never leave console sign-in. */
  readonly devices: readonly VirtualMfaDeviceSecret[]
}

/** Why a password must change before the sign-in gives credentials. */
export type ChangeReason = 'resetRequired' | 'expired'

/** The user of that name, or undefined if the account has none. */
export async function userOrUndefined(tx: StoreTx, accountId: string, name: string) {
  try {
    return await tx.getUser(accountId, name)
  } catch (err) {
    if (err instanceof NotFoundError) return undefined
    throw err
  }
}

/** The user's password and devices, if the user has a login profile. */
export async function readSignInUser(tx: StoreTx, user: User): Promise<SignInUser | undefined> {
  const passwordHash = await tx.getPasswordHash(user.accountId, user.name)
  const profile = await tx.getLoginProfile(user.accountId, user.name)
  if (passwordHash === null || profile === null) return undefined
  const devices: VirtualMfaDeviceSecret[] = []
  for (const device of (await tx.listMfaDevices(user.accountId, user.name)).items) {
    devices.push(await tx.getVirtualMfaDeviceSecret(user.accountId, device.serialNumber))
  }
  const policy = await tx.getAccountPasswordPolicy(user.accountId)
  return { user, passwordHash, profile, policy, devices }
}

/** Why the password must change before the sign-in gives credentials, if it must. */
export function changeReason(found: SignInUser, now: Date): ChangeReason | undefined {
  if (found.profile.passwordResetRequired) return 'resetRequired'
  if (isPasswordExpired(found.policy, found.profile.passwordSetAt, now)) return 'expired'
  return undefined
}

/** The device and time step of a code, among the user's devices. */
export function matchCode(
  devices: readonly VirtualMfaDeviceSecret[],
  code: string,
  now: Date,
): { readonly serialNumber: string; readonly step: number } | undefined {
  for (const device of devices) {
    const step = matchingCodeStep(device, code, now)
    if (step !== undefined) return { serialNumber: device.device.serialNumber, step }
  }
  return undefined
}
