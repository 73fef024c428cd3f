/**
 * Virtual MFA devices, in SQL for every backend. The seed is sealed with the master key and bound to the
 * device's serial number before it is written; it is opened only in getVirtualMfaDeviceSecret.
 * A device is enabled for an IAM user (user_id, enabled_at) or for the account's root user
 * (root_enabled_at), never both.
 */
import { MfaDeviceError } from '../mfa-device-error.js'
import { MFA_DEVICES_PER_USER, MFA_SEED_BYTES } from '../mfa-devices-ops.js'
import type { AcceptedCodes, MfaDeviceOps, VirtualMfaDevice } from '../mfa-devices-ops.js'
import { mfaSerialNumber, parseMfaSerialNumber } from '../mfa-serial-number.js'
import { decryptSecret, encryptSecret } from '../secret-box.js'
import type { Tag } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { putCaseSensitiveTags } from './tags.js'
import { paginate } from './paginate.js'
import { toUser } from './rows.js'

interface DeviceRow {
  readonly sort_key: string
  readonly device_id: number
  readonly account_id: string
  readonly name: string
  readonly path: string
  readonly created_at: number
  readonly enabled_at: number | null
  readonly root_enabled_at: number | null
  readonly last_step: number | null
  readonly user_id: string | null
  readonly user_name: string | null
  readonly user_path: string | null
  readonly user_created_at: number | null
  readonly boundary_account_id: string | null
  readonly boundary_path: string | null
  readonly boundary_name: string | null
}

// The sort key orders by serial number without case (the account's prefix is the same for all),
// then as written; a space sorts below every character a path or name may hold.
// SECURITY: the sealed seed is not among these columns; only getVirtualMfaDeviceSecret reads it.
const DEVICE_SELECT = `SELECT d.device_id, d.account_id, d.name, d.path, d.created_at,
  d.enabled_at, d.root_enabled_at, d.last_step, lower(d.path || d.name) || ' ' || d.path || d.name AS sort_key,
  u.user_id, u.name AS user_name, u.path AS user_path, u.created_at AS user_created_at,
  b.account_id AS boundary_account_id, b.path AS boundary_path, b.name AS boundary_name
FROM virtual_mfa_devices d
  LEFT JOIN users u ON u.user_id = d.user_id
  LEFT JOIN policies b ON b.policy_id = u.boundary_policy_id`

function toDevice(row: DeviceRow): VirtualMfaDevice {
  const user =
    row.user_id === null
      ? null
      : toUser({
          sort_key: '',
          user_id: row.user_id,
          account_id: row.account_id,
          name: row.user_name ?? '',
          path: row.user_path ?? '/',
          created_at: row.user_created_at ?? 0,
          boundary_account_id: row.boundary_account_id,
          boundary_path: row.boundary_path,
          boundary_name: row.boundary_name,
        })
  return {
    accountId: row.account_id,
    name: row.name,
    path: row.path,
    serialNumber: mfaSerialNumber(row.account_id, row.path, row.name),
    createdAt: new Date(row.created_at),
    user,
    root: row.root_enabled_at !== null,
    enabledAt:
      row.enabled_at !== null
        ? new Date(row.enabled_at)
        : row.root_enabled_at !== null
          ? new Date(row.root_enabled_at)
          : null,
  }
}

/** Whether the device is enabled for anyone: an IAM user or the root user. */
function isAssigned(row: DeviceRow): boolean {
  return row.user_id !== null || row.root_enabled_at !== null
}

/** Whether the device is enabled for the owner `ownerOf` found (null: the root user). */
function isEnabledFor(row: DeviceRow, userId: string | null): boolean {
  return userId === null ? row.root_enabled_at !== null : row.user_id === userId
}

/**
 * The unique id of the user a device operation names, or null for the root user (`userName`
 * null), whose account must exist. NotFoundError (user or account).
 */
async function ownerOf(
  ctx: SqlContext,
  accountId: string,
  userName: string | null,
): Promise<string | null> {
  if (userName !== null) return ctx.idOf('user', accountId, userName)
  await ctx.requireAccount(accountId)
  return null
}

/** The row of the device `serialNumber` names in the account; MfaDeviceError if none. */
async function deviceRow(
  ctx: SqlContext,
  accountId: string,
  serialNumber: string,
): Promise<DeviceRow> {
  const parts = parseMfaSerialNumber(serialNumber)
  const row =
    parts === undefined || parts.accountId !== accountId
      ? undefined
      : await ctx.get<DeviceRow>(
          `${DEVICE_SELECT} WHERE d.account_id = ? AND d.path = ? AND d.name_key = lower(?)`,
          accountId,
          parts.path,
          parts.name,
        )
  if (row === undefined) throw new MfaDeviceError('notFound', serialNumber)
  return row
}

/** What a seed is sealed against: its device's serial number, as stored. */
function sealContext(row: Pick<DeviceRow, 'account_id' | 'path' | 'name'>): string {
  return `virtual MFA device ${mfaSerialNumber(row.account_id, row.path, row.name)}`
}

/** A new seed from the store's random source. */
function newSeed(ctx: SqlContext): Uint8Array {
  const seed = ctx.random(MFA_SEED_BYTES)
  if (seed.length !== MFA_SEED_BYTES) {
    throw new Error(
      `random source returned ${seed.length} bytes where ${MFA_SEED_BYTES} were asked for`,
    )
  }
  return seed
}

/** RangeError for codes that are not two time steps in order: a handler's bug. */
function checkCodes(codes: AcceptedCodes): void {
  const { firstStep, lastStep, driftSteps } = codes
  if (
    !Number.isSafeInteger(firstStep) ||
    !Number.isSafeInteger(lastStep) ||
    !Number.isSafeInteger(driftSteps) ||
    firstStep > lastStep
  ) {
    throw new RangeError(
      `accepted codes must be of two steps in order, not ${firstStep}..${lastStep}`,
    )
  }
}

/** MfaDeviceError (codesReused) unless the codes are all after the device's newest accepted one. */
function refuseReplay(row: DeviceRow, serialNumber: string, codes: AcceptedCodes): void {
  if (row.last_step !== null && codes.firstStep <= row.last_step) {
    throw new MfaDeviceError('codesReused', serialNumber)
  }
}

/** Adds or replaces tags (keys with case); LimitExceededError past tagsPerResource. */
async function putDeviceTags(
  ctx: SqlContext,
  deviceId: number,
  tags: readonly Tag[],
): Promise<void> {
  await putCaseSensitiveTags(ctx, 'virtual_mfa_device_tags', 'device_id', deviceId, tags)
}

const ASSIGNMENT_FILTERS = {
  Assigned: ' AND (d.user_id IS NOT NULL OR d.root_enabled_at IS NOT NULL)',
  Unassigned: ' AND d.user_id IS NULL AND d.root_enabled_at IS NULL',
  Any: '',
} as const

/** The virtual MFA devices operations. */
export function mfaDeviceOps(ctx: SqlContext): MfaDeviceOps {
  return {
    async createVirtualMfaDevice(input) {
      await ctx.requireAccount(input.accountId)
      const path = input.path ?? '/'
      const serialNumber = mfaSerialNumber(input.accountId, path, input.name)
      const seed = newSeed(ctx)
      const sealed = encryptSecret(
        ctx.masterKey,
        Buffer.from(seed).toString('base64'),
        sealContext({ account_id: input.accountId, path, name: input.name }),
      )
      let deviceId: number
      try {
        const inserted = await ctx.get<{ device_id: number }>(
          `INSERT INTO virtual_mfa_devices (account_id, name, path, seed_sealed, created_at)
           VALUES (?, ?, ?, ?, ?) RETURNING device_id`,
          input.accountId,
          input.name,
          path,
          sealed,
          ctx.now(),
        )
        deviceId = Number(inserted?.device_id)
      } catch (err) {
        if (ctx.isUniqueViolation(err)) throw new MfaDeviceError('alreadyExists', serialNumber)
        throw err
      }
      if (input.tags !== undefined) await putDeviceTags(ctx, deviceId, input.tags)
      return { device: toDevice(await deviceRow(ctx, input.accountId, serialNumber)), seed }
    },

    async getVirtualMfaDevice(accountId, serialNumber) {
      return toDevice(await deviceRow(ctx, accountId, serialNumber))
    },

    async getVirtualMfaDeviceSecret(accountId, serialNumber) {
      const row = await deviceRow(ctx, accountId, serialNumber)
      const secret = await ctx.get<{ seed_sealed: Uint8Array; drift_steps: number }>(
        'SELECT seed_sealed, drift_steps FROM virtual_mfa_devices WHERE device_id = ?',
        row.device_id,
      )
      if (secret === undefined) throw new MfaDeviceError('notFound', serialNumber)
      const seed = Buffer.from(
        decryptSecret(ctx.masterKey, secret.seed_sealed, sealContext(row)),
        'base64',
      )
      return {
        device: toDevice(row),
        seed: new Uint8Array(seed),
        lastStep: row.last_step,
        driftSteps: secret.drift_steps,
      }
    },

    async listVirtualMfaDevices(accountId, request) {
      const filter = ASSIGNMENT_FILTERS[request?.assignmentStatus ?? 'Any']
      return paginate(
        ctx,
        `${DEVICE_SELECT} WHERE d.account_id = ?${filter}`,
        [accountId],
        request,
        toDevice,
      )
    },

    async listMfaDevices(accountId, userName, request) {
      const userId = await ownerOf(ctx, accountId, userName)
      return userId === null
        ? await paginate(
            ctx,
            `${DEVICE_SELECT} WHERE d.account_id = ? AND d.root_enabled_at IS NOT NULL`,
            [accountId],
            request,
            toDevice,
          )
        : await paginate(ctx, `${DEVICE_SELECT} WHERE d.user_id = ?`, [userId], request, toDevice)
    },

    async enableMfaDevice(accountId, serialNumber, userName, codes) {
      checkCodes(codes)
      const userId = await ownerOf(ctx, accountId, userName)
      const row = await deviceRow(ctx, accountId, serialNumber)
      if (isAssigned(row)) throw new MfaDeviceError('assigned', serialNumber)
      refuseReplay(row, serialNumber, codes)
      await ctx.run(
        userId === null
          ? `UPDATE virtual_mfa_devices SET root_enabled_at = ?, last_step = ?, drift_steps = ?
             WHERE device_id = ?`
          : `UPDATE virtual_mfa_devices SET user_id = ?, enabled_at = ?, last_step = ?,
               drift_steps = ?
             WHERE device_id = ?`,
        ...(userId === null ? [] : [userId]),
        ctx.now(),
        codes.lastStep,
        codes.driftSteps,
        row.device_id,
      )
      const inUse =
        userId === null
          ? await ctx.count(
              `SELECT count(*) FROM virtual_mfa_devices
               WHERE account_id = ? AND root_enabled_at IS NOT NULL`,
              accountId,
            )
          : await ctx.count('SELECT count(*) FROM virtual_mfa_devices WHERE user_id = ?', userId)
      if (inUse > MFA_DEVICES_PER_USER) {
        throw new MfaDeviceError('perUserLimit', serialNumber, MFA_DEVICES_PER_USER)
      }
      return toDevice(await deviceRow(ctx, accountId, serialNumber))
    },

    async resyncMfaDevice(accountId, serialNumber, userName, codes) {
      checkCodes(codes)
      const userId = await ownerOf(ctx, accountId, userName)
      const row = await deviceRow(ctx, accountId, serialNumber)
      if (!isEnabledFor(row, userId)) throw new MfaDeviceError('notAssignedToUser', serialNumber)
      refuseReplay(row, serialNumber, codes)
      await ctx.run(
        'UPDATE virtual_mfa_devices SET last_step = ?, drift_steps = ? WHERE device_id = ?',
        codes.lastStep,
        codes.driftSteps,
        row.device_id,
      )
    },

    async useMfaCode(accountId, serialNumber, userName, step) {
      const userId = await ownerOf(ctx, accountId, userName)
      const row = await deviceRow(ctx, accountId, serialNumber)
      if (!isEnabledFor(row, userId)) throw new MfaDeviceError('notAssignedToUser', serialNumber)
      // One statement: of two calls racing with one code, only one moves last_step past it.
      return (
        (
          await ctx.run(
            `UPDATE virtual_mfa_devices SET last_step = ?
             WHERE device_id = ? AND (last_step IS NULL OR last_step < ?)`,
            step,
            row.device_id,
            step,
          )
        ).changes === 1
      )
    },

    async deactivateMfaDevice(accountId, serialNumber, userName) {
      const userId = await ownerOf(ctx, accountId, userName)
      const row = await deviceRow(ctx, accountId, serialNumber)
      if (!isEnabledFor(row, userId)) throw new MfaDeviceError('notAssignedToUser', serialNumber)
      await ctx.run(
        `UPDATE virtual_mfa_devices SET user_id = NULL, enabled_at = NULL, root_enabled_at = NULL
         WHERE device_id = ?`,
        row.device_id,
      )
    },

    async deleteVirtualMfaDevice(accountId, serialNumber) {
      const row = await deviceRow(ctx, accountId, serialNumber)
      if (isAssigned(row)) throw new MfaDeviceError('assigned', serialNumber)
      await ctx.run('DELETE FROM virtual_mfa_devices WHERE device_id = ?', row.device_id)
    },

    async tagMfaDevice(accountId, serialNumber, tags) {
      await putDeviceTags(ctx, (await deviceRow(ctx, accountId, serialNumber)).device_id, tags)
    },

    async untagMfaDevice(accountId, serialNumber, keys) {
      const { device_id: deviceId } = await deviceRow(ctx, accountId, serialNumber)
      for (const key of keys) {
        await ctx.run(
          'DELETE FROM virtual_mfa_device_tags WHERE device_id = ? AND key = ?',
          deviceId,
          key,
        )
      }
    },

    async listMfaDeviceTags(accountId, serialNumber, request) {
      const { device_id: deviceId } = await deviceRow(ctx, accountId, serialNumber)
      return paginate(
        ctx,
        'SELECT key, value, key AS sort_key FROM virtual_mfa_device_tags WHERE device_id = ?',
        [deviceId],
        request,
        (row: { sort_key: string; key: string; value: string }) => ({
          key: row.key,
          value: row.value,
        }),
      )
    },
  }
}
