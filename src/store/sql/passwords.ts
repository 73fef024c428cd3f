/**
 * The account password policy, login profiles and passwords, on SQLite: one policy row per
 * account, one login profile row per user, and the user's password history (hashes only).
 */
import type { LoginProfile, PasswordOps, PasswordPolicy } from '../passwords-ops.js'
import { PASSWORD_HISTORY_SIZE } from '../passwords-ops.js'
import type { SqlContext } from './sql-context.js'

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
           ORDER BY seq DESC LIMIT ?`,
          userId,
          limit,
        )
      ).map((row) => row.password_hash)
    },
  }
}
