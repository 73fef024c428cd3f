/** Virtual MFA devices: the store port's operations (StoreTx extends them). */
import type { Page, PageRequest, Tag, User } from './store.js'

/**
 * MFA devices a user may have in use at once (IAM quotas: "MFA devices in use per user", 8); the
 * root user may have as many ("up to eight MFA devices ... with your AWS account root user",
 * iam-guide id_credentials_mfa).
 */
export const MFA_DEVICES_PER_USER = 8

/**
 * Bytes of a new device's seed: 40, the size of the seeds IAM hands out (64 Base32 characters).
 * RFC 4226 §4 asks for at least 128 bits and recommends 160.
 */
export const MFA_SEED_BYTES = 40

/** A virtual MFA device, without its seed. Its serial number is its ARN. */
export interface VirtualMfaDevice {
  readonly accountId: string
  /** As written at creation. Unique per account and path without regard to case. */
  readonly name: string
  /** Begins and ends with `/`. */
  readonly path: string
  /** `arn:aws:iam::<account>:mfa/<path without its leading slash><name>`. */
  readonly serialNumber: string
  readonly createdAt: Date
  /** The IAM user it is enabled for; null while it is unassigned or the root user's. */
  readonly user: User | null
  /** Whether it is enabled for the account's root user (`user` is then null). */
  readonly root: boolean
  /** When it was enabled for its user or the root user; null while it is unassigned. */
  readonly enabledAt: Date | null
}

/** A new device and its seed: the only time the seed is returned besides getVirtualMfaDeviceSecret. */
export interface VirtualMfaDeviceWithSeed {
  readonly device: VirtualMfaDevice
  /** The TOTP key K (RFC 6238), MFA_SEED_BYTES random bytes. */
  readonly seed: Uint8Array
}

/** A device with its seed and what its accepted codes told. */
export interface VirtualMfaDeviceSecret extends VirtualMfaDeviceWithSeed {
  /**
   * The TOTP time step of the newest code ever accepted for the device, or null if none was:
   * no code of this step or an earlier one is accepted again (no replay).
   */
  readonly lastStep: number | null
  /**
   * The device's clock less the server's, in time steps, as the last EnableMFADevice or
   * ResyncMFADevice measured it (0 before either).
   */
  readonly driftSteps: number
}

/** Codes a handler found valid (two consecutive ones), for the store to accept once only. */
export interface AcceptedCodes {
  /** The time step of the first code. */
  readonly firstStep: number
  /** The time step of the last code, which becomes the device's lastStep. */
  readonly lastStep: number
  /** The device's clock less the server's, in time steps, that the codes show. */
  readonly driftSteps: number
}

/** A new virtual MFA device. */
export interface NewVirtualMfaDevice {
  readonly accountId: string
  readonly name: string
  /** `/` when absent. */
  readonly path?: string
  readonly tags?: readonly Tag[]
}

/** Which devices ListVirtualMFADevices lists. */
export type MfaAssignmentStatus = 'Assigned' | 'Unassigned' | 'Any'

/** A page of an account's virtual MFA devices, filtered by assignment. */
export interface VirtualMfaDeviceListRequest extends PageRequest {
  /** Any when absent. */
  readonly assignmentStatus?: MfaAssignmentStatus
}

/**
 * Virtual MFA devices: created unassigned, enabled for one user (assigned) with two consecutive
 * codes, deactivated (unassigned again), deleted once unassigned. Devices are named by account id
 * and serial number; a serial number of another account, or that names no device, is
 * MfaDeviceError (notFound). Lists are in order of serial number without case.
 *
 * Where an operation takes a `userName`, null names the account's root user, as for access keys:
 * its devices are enabled, listed, used and deactivated like a user's (NotFoundError (account)
 * where a user's operation would give NotFoundError (user)).
 */
export interface MfaDeviceOps {
  /**
   * A new unassigned device with a new random seed, sealed at rest. MfaDeviceError
   * (alreadyExists) for a device of the same path and name without regard to case, NotFoundError
   * (account), LimitExceededError (tagsPerResource).
   */
  createVirtualMfaDevice(input: NewVirtualMfaDevice): Promise<VirtualMfaDeviceWithSeed>
  /** MfaDeviceError (notFound) if absent. */
  getVirtualMfaDevice(accountId: string, serialNumber: string): Promise<VirtualMfaDevice>
  /**
   * SECURITY: the only way to read a stored seed (checking codes needs it). The caller must not
   * log or return it.
   */
  getVirtualMfaDeviceSecret(
    accountId: string,
    serialNumber: string,
  ): Promise<VirtualMfaDeviceSecret>
  listVirtualMfaDevices(
    accountId: string,
    request?: VirtualMfaDeviceListRequest,
  ): Promise<Page<VirtualMfaDevice>>
  /** The devices enabled for a user (null: the root user). NotFoundError (user). */
  listMfaDevices(
    accountId: string,
    userName: string | null,
    request?: PageRequest,
  ): Promise<Page<VirtualMfaDevice>>
  /**
   * Enables an unassigned device for a user (null: the root user), stamped now, and accepts its
   * codes. In this order: NotFoundError (user), MfaDeviceError notFound, assigned, codesReused
   * (`codes.firstStep` is not after the device's lastStep), perUserLimit (past
   * MFA_DEVICES_PER_USER).
   */
  enableMfaDevice(
    accountId: string,
    serialNumber: string,
    userName: string | null,
    codes: AcceptedCodes,
  ): Promise<VirtualMfaDevice>
  /**
   * Accepts new codes of a device enabled for the user, keeping their step and drift. In this
   * order: NotFoundError (user), MfaDeviceError notFound, notAssignedToUser, codesReused.
   */
  resyncMfaDevice(
    accountId: string,
    serialNumber: string,
    userName: string | null,
    codes: AcceptedCodes,
  ): Promise<void>
  /**
   * Uses up one code of a device enabled for the user (an STS call's TokenCode): true if `step`
   * is after the device's lastStep, which becomes `step`; false if it is not (a replay, or a
   * code no newer than one already used). MfaDeviceError notFound, notAssignedToUser.
   */
  useMfaCode(
    accountId: string,
    serialNumber: string,
    userName: string | null,
    step: number,
  ): Promise<boolean>
  /**
   * Unassigns a device from the user it is enabled for; its seed and lastStep stay. In this order:
   * NotFoundError (user), MfaDeviceError notFound, notAssignedToUser.
   */
  deactivateMfaDevice(
    accountId: string,
    serialNumber: string,
    userName: string | null,
  ): Promise<void>
  /** Deletes an unassigned device and its tags. MfaDeviceError notFound, assigned. */
  deleteVirtualMfaDevice(accountId: string, serialNumber: string): Promise<void>
  /**
   * Adds tags or replaces their values; keys compare with case. LimitExceededError
   * (tagsPerResource) if the device would have more. MfaDeviceError (notFound).
   */
  tagMfaDevice(accountId: string, serialNumber: string, tags: readonly Tag[]): Promise<void>
  /** Removes the keys present (with case); absent keys are ignored. MfaDeviceError (notFound). */
  untagMfaDevice(accountId: string, serialNumber: string, keys: readonly string[]): Promise<void>
  /** By key. MfaDeviceError (notFound). */
  listMfaDeviceTags(
    accountId: string,
    serialNumber: string,
    request?: PageRequest,
  ): Promise<Page<Tag>>
}
