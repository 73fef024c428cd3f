/**
 * The account password policy, login profiles and passwords, in SQL for every backend: one
 * policy row per account, one login profile row per user, the user's password history (hashes
 * only), its password's last use, and the failed console sign-ins of each subject (by hash).
 */
import { createHash } from 'node:crypto'
import type { LoginProfile, PasswordOps, PasswordPolicy, SignInThrottle } from '../passwords-ops.js'
import {
  PASSWORD_HISTORY_SIZE,
  PASSWORD_USE_SPAN_MS,
  SIGN_IN_QUIET_RESET_MS,
} from '../passwords-ops.js'
import type { SqlContext } from './sql-context.js'
import { LIMIT_PARAM } from './limit-param.js'

interface PolicyRow {
  readonly minimum_password_length: number
  readonly require_symbols: number
  readonly require_numbers: number
  readonly require_uppercase: number
  readonly require_lowercase: number
  readonly allow_users_to_change: number
  readonly max_password_age: number | null
  readonly password_reuse_prevention: number | null
  readonly hard_expiry: number
}

interface ProfileRow {
  readonly account_id: string
  readonly name: string
  readonly created_at: number
  readonly password_reset_required: number
  readonly password_set_at: number
}

const PROFILE_SELECT = `SELECT u.account_id, u.name, p.created_at, p.password_reset_required,
  p.password_set_at
FROM login_profiles p JOIN users u ON u.user_id = p.user_id`

function toPolicy(row: PolicyRow): PasswordPolicy {
  return {
    minimumPasswordLength: row.minimum_password_length,
    requireSymbols: row.require_symbols === 1,
    requireNumbers: row.require_numbers === 1,
    requireUppercaseCharacters: row.require_uppercase === 1,
    requireLowercaseCharacters: row.require_lowercase === 1,
    allowUsersToChangePassword: row.allow_users_to_change === 1,
    maxPasswordAge: row.max_password_age,
    passwordReusePrevention: row.password_reuse_prevention,
    hardExpiry: row.hard_expiry === 1,
  }
}

function toProfile(row: ProfileRow): LoginProfile {
  return {
    accountId: row.account_id,
    userName: row.name,
    createdAt: new Date(row.created_at),
    passwordResetRequired: row.password_reset_required === 1,
    passwordSetAt: new Date(row.password_set_at),
  }
}

const bit = (value: boolean): number => (value ? 1 : 0)

interface FailureRow {
  readonly subject_hash: string
  readonly failures: number
  readonly window_started_at: number
  readonly last_failure_at: number
  readonly lockouts: number
  readonly locked_until: number | null
}

const FAILURE_SELECT = `SELECT subject_hash, failures, window_started_at, last_failure_at, lockouts,
  locked_until FROM sign_in_failures WHERE subject_hash = ?`

/** What sign_in_failures keys a subject by: its SHA-256, in hex. */
function subjectHash(subject: string): string {
  return createHash('sha256').update(subject, 'utf8').digest('hex')
}

/** The length of a subject's `lockouts`-th lock (the first is 1). */
function lockLength(throttle: SignInThrottle, lockouts: number): number {
  // 2^30 times any base is past every maxLockMs; the cap keeps the power finite.
  const factor = 2 ** Math.min(Math.max(lockouts - 1, 0), 30)
  return Math.min(throttle.baseLockMs * factor, throttle.maxLockMs)
}

/** RangeError for a throttle that could never let anyone in or out: a caller's bug. */
function checkThrottle(throttle: SignInThrottle): void {
  const { maxFailures, windowMs, baseLockMs, maxLockMs } = throttle
  if (
    !Number.isSafeInteger(maxFailures) ||
    maxFailures < 1 ||
    !(windowMs > 0) ||
    !(baseLockMs > 0) ||
    !(maxLockMs >= baseLockMs)
  ) {
    throw new RangeError('a sign-in throttle needs maxFailures >= 1 and positive times')
  }
}

/** The password operations. */
export function passwordOps(ctx: SqlContext): PasswordOps {
  async function readProfile(userId: string): Promise<LoginProfile | null> {
    const row = await ctx.get<ProfileRow>(`${PROFILE_SELECT} WHERE p.user_id = ?`, userId)
    return row === undefined ? null : toProfile(row)
  }

  /** Adds a password to the user's history and drops what falls beyond its size. */
  async function remember(userId: string, passwordHash: string, at: number): Promise<void> {
    await ctx.run(
      `INSERT INTO password_history (user_id, seq, password_hash, set_at)
       SELECT ?, coalesce(max(seq), 0) + 1, ?, ? FROM password_history WHERE user_id = ?`,
      userId,
      passwordHash,
      at,
      userId,
    )
    await ctx.run(
      `DELETE FROM password_history WHERE user_id = ? AND seq <= (
         SELECT max(seq) FROM password_history WHERE user_id = ?) - ?`,
      userId,
      userId,
      PASSWORD_HISTORY_SIZE,
    )
  }

  /** The subject's row, or undefined if it has none or has been quiet long enough to forget. */
  async function failureRow(hash: string, now: number): Promise<FailureRow | undefined> {
    const row = await ctx.get<FailureRow>(FAILURE_SELECT, hash)
    if (row === undefined) return undefined
    const locked = row.locked_until !== null && now < row.locked_until
    return !locked && now - row.last_failure_at >= SIGN_IN_QUIET_RESET_MS ? undefined : row
  }

  /** Counts one failure of a subject that is not locked, locking it at maxFailures. */
  async function countFailure(throttle: SignInThrottle, hash: string, now: number): Promise<void> {
    const row = await failureRow(hash, now)
    let failures = 1
    let windowStart = now
    let lockouts = row?.lockouts ?? 0
    if (row !== undefined) {
      const lockOver = row.locked_until !== null && now >= row.locked_until
      if (!lockOver && now - row.window_started_at < throttle.windowMs) {
        failures = row.failures + 1
        windowStart = row.window_started_at
      }
    }
    let lockedUntil: number | null = null
    if (failures >= throttle.maxFailures) {
      lockouts += 1
      lockedUntil = now + lockLength(throttle, lockouts)
    }
    await ctx.run(
      `INSERT INTO sign_in_failures (subject_hash, failures, window_started_at, last_failure_at,
         lockouts, locked_until)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (subject_hash) DO UPDATE SET failures = excluded.failures,
         window_started_at = excluded.window_started_at,
         last_failure_at = excluded.last_failure_at, lockouts = excluded.lockouts,
         locked_until = excluded.locked_until`,
      hash,
      failures,
      windowStart,
      now,
      lockouts,
      lockedUntil,
    )
  }

  return {
    async putAccountPasswordPolicy(accountId, policy) {
      await ctx.requireAccount(accountId)
      await ctx.run(
        `INSERT INTO account_password_policies (account_id, minimum_password_length,
           require_symbols, require_numbers, require_uppercase, require_lowercase,
           allow_users_to_change, max_password_age, password_reuse_prevention, hard_expiry)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET
           minimum_password_length = excluded.minimum_password_length,
           require_symbols = excluded.require_symbols,
           require_numbers = excluded.require_numbers,
           require_uppercase = excluded.require_uppercase,
           require_lowercase = excluded.require_lowercase,
           allow_users_to_change = excluded.allow_users_to_change,
           max_password_age = excluded.max_password_age,
           password_reuse_prevention = excluded.password_reuse_prevention,
           hard_expiry = excluded.hard_expiry`,
        accountId,
        policy.minimumPasswordLength,
        bit(policy.requireSymbols),
        bit(policy.requireNumbers),
        bit(policy.requireUppercaseCharacters),
        bit(policy.requireLowercaseCharacters),
        bit(policy.allowUsersToChangePassword),
        policy.maxPasswordAge,
        policy.passwordReusePrevention,
        bit(policy.hardExpiry),
      )
    },

    async getAccountPasswordPolicy(accountId) {
      await ctx.requireAccount(accountId)
      const row = await ctx.get<PolicyRow>(
        `SELECT minimum_password_length, require_symbols, require_numbers, require_uppercase,
           require_lowercase, allow_users_to_change, max_password_age, password_reuse_prevention,
           hard_expiry
         FROM account_password_policies WHERE account_id = ?`,
        accountId,
      )
      return row === undefined ? null : toPolicy(row)
    },

    async deleteAccountPasswordPolicy(accountId) {
      await ctx.requireAccount(accountId)
      const result = await ctx.run(
        'DELETE FROM account_password_policies WHERE account_id = ?',
        accountId,
      )
      return result.changes > 0
    },

    async createLoginProfile(input) {
      const userId = await ctx.idOf('user', input.accountId, input.userName)
      // The transaction holds the write lock (BEGIN IMMEDIATE): no other writer can create the
      // profile between this look and the insert.
      if (await ctx.exists('SELECT 1 FROM login_profiles WHERE user_id = ?', userId)) return null
      const now = ctx.now()
      await ctx.run(
        `INSERT INTO login_profiles (user_id, password_hash, password_reset_required, created_at,
           password_set_at)
         VALUES (?, ?, ?, ?, ?)`,
        userId,
        input.passwordHash,
        bit(input.passwordResetRequired),
        now,
        now,
      )
      await remember(userId, input.passwordHash, now)
      return readProfile(userId)
    },

    async getLoginProfile(accountId, userName) {
      return readProfile(await ctx.idOf('user', accountId, userName))
    },

    async updateLoginProfile(accountId, userName, update) {
      const userId = await ctx.idOf('user', accountId, userName)
      if (!(await ctx.exists('SELECT 1 FROM login_profiles WHERE user_id = ?', userId))) return null
      if (update.passwordHash !== undefined) {
        const now = ctx.now()
        await ctx.run(
          'UPDATE login_profiles SET password_hash = ?, password_set_at = ? WHERE user_id = ?',
          update.passwordHash,
          now,
          userId,
        )
        await remember(userId, update.passwordHash, now)
      }
      if (update.passwordResetRequired !== undefined) {
        await ctx.run(
          'UPDATE login_profiles SET password_reset_required = ? WHERE user_id = ?',
          bit(update.passwordResetRequired),
          userId,
        )
      }
      return readProfile(userId)
    },

    async deleteLoginProfile(accountId, userName) {
      const userId = await ctx.idOf('user', accountId, userName)
      return (await ctx.run('DELETE FROM login_profiles WHERE user_id = ?', userId)).changes > 0
    },

    async getPasswordHash(accountId, userName) {
      const userId = await ctx.idOf('user', accountId, userName)
      const row = await ctx.get<{ password_hash: string }>(
        'SELECT password_hash FROM login_profiles WHERE user_id = ?',
        userId,
      )
      return row?.password_hash ?? null
    },

    async getPasswordHistory(accountId, userName, count) {
      const userId = await ctx.idOf('user', accountId, userName)
      const limit = Math.max(0, Math.min(Math.trunc(count), PASSWORD_HISTORY_SIZE))
      return (
        await ctx.all<{ password_hash: string }>(
          `SELECT password_hash FROM password_history WHERE user_id = ?
           ORDER BY seq DESC ${LIMIT_PARAM}`,
          userId,
          limit,
        )
      ).map((row) => row.password_hash)
    },

    async getSignInAccountId(account) {
      const row = /^[0-9]{12}$/.test(account)
        ? await ctx.get<{ account_id: string }>(
            'SELECT account_id FROM accounts WHERE account_id = ?',
            account,
          )
        : await ctx.get<{ account_id: string }>(
            'SELECT account_id FROM account_aliases WHERE alias_key = lower(?)',
            account,
          )
      return row?.account_id ?? null
    },

    async reserveSignInAttempt(throttles) {
      throttles.forEach(checkThrottle)
      const now = ctx.now()
      // Subjects quiet for a day (and not locked) are forgotten, so the table holds only the
      // subjects of the last day's failures.
      await ctx.run(
        `DELETE FROM sign_in_failures WHERE last_failure_at <= ?
         AND (locked_until IS NULL OR locked_until <= ?)`,
        now - SIGN_IN_QUIET_RESET_MS,
        now,
      )
      let lockedUntil: number | null = null
      for (const throttle of throttles) {
        const row = await failureRow(subjectHash(throttle.subject), now)
        if (row?.locked_until != null && now < row.locked_until) {
          lockedUntil = Math.max(lockedUntil ?? 0, row.locked_until)
        }
      }
      if (lockedUntil !== null) return { allowed: false, lockedUntil: new Date(lockedUntil) }
      for (const throttle of throttles) {
        await countFailure(throttle, subjectHash(throttle.subject), now)
      }
      return { allowed: true }
    },

    async releaseSignInAttempt(throttles) {
      throttles.forEach(checkThrottle)
      for (const throttle of throttles) {
        const row = await ctx.get<FailureRow>(FAILURE_SELECT, subjectHash(throttle.subject))
        if (row === undefined || row.failures === 0) continue
        // The count that reached maxFailures started the lock: taking it back ends the lock.
        const undoLock = row.locked_until !== null && row.failures === throttle.maxFailures
        await ctx.run(
          `UPDATE sign_in_failures SET failures = ?, lockouts = ?, locked_until = ?
           WHERE subject_hash = ?`,
          row.failures - 1,
          undoLock ? Math.max(row.lockouts - 1, 0) : row.lockouts,
          undoLock ? null : row.locked_until,
          row.subject_hash,
        )
      }
    },

    async clearSignInFailures(subject) {
      await ctx.run('DELETE FROM sign_in_failures WHERE subject_hash = ?', subjectHash(subject))
    },

    async recordPasswordUse(accountId, userName) {
      const userId = await ctx.idOf('user', accountId, userName)
      await ctx.run(
        `INSERT INTO password_uses (user_id, last_used_at) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET last_used_at = excluded.last_used_at
         WHERE password_uses.last_used_at <= excluded.last_used_at - ?`,
        userId,
        ctx.now(),
        PASSWORD_USE_SPAN_MS,
      )
    },

    async getPasswordLastUsed(accountId, userName) {
      const userId = await ctx.idOf('user', accountId, userName)
      const row = await ctx.get<{ last_used_at: number }>(
        'SELECT last_used_at FROM password_uses WHERE user_id = ?',
        userId,
      )
      return row === undefined ? null : new Date(row.last_used_at)
    },
  }
}
