/**
 * The rules of IAM user passwords, pure: what a password must be under an account's password
 * policy (or, without one, under AWS's default password policy), with IAM's
 * PasswordPolicyViolation wording; how old a password may grow; and the permissions that
 * AllowUsersToChangePassword gives every IAM user. Time is an argument; nothing here reads the
 * store or a clock.
 */
import type { PasswordPolicy } from '../store/passwords-ops.js'

/**
 * The characters that count as symbols, and no others: "! @ # $ % ^ & * ( ) _ + - = [ ] { } | '"
 * (the model's RequireSymbols documentation and the IAM User Guide's password policy options).
 * A password may hold other printable characters (`~`, `"`, `.`, a space, Latin-1 letters), but
 * they satisfy no requirement.
 */
export const PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'"

/**
 * What UpdateAccountPasswordPolicy sets for each member a call leaves out ("This operation does
 * not support partial updates ... if you do not specify a parameter, that parameter's value
 * reverts to its default value"): a minimum length of 6, nothing required, no expiry, no reuse
 * prevention (the model's documentation of each member).
 */
export const PASSWORD_POLICY_DEFAULTS: PasswordPolicy = {
  minimumPasswordLength: 6,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercaseCharacters: false,
  requireLowercaseCharacters: false,
  allowUsersToChangePassword: false,
  maxPasswordAge: null,
  passwordReusePrevention: null,
  hardExpiry: false,
}

/**
 * AWS's default password policy, which binds every password set while the account has no
 * password policy of its own (IAM User Guide, "Set an account password policy for IAM users"):
 * at least 8 characters, and at least three of the four kinds of character. Its third rule, not
 * the account's name or email address, has nothing to check here: a Gatehouse account has
 * neither.
 */
export const DEFAULT_POLICY_MINIMUM_LENGTH = 8
const DEFAULT_POLICY_KINDS_REQUIRED = 3

/** A kind of character a policy can require, in the order IAM's messages list them. */
type CharacterKind = 'uppercase' | 'lowercase' | 'number' | 'symbol'
const KINDS: readonly CharacterKind[] = ['uppercase', 'lowercase', 'number', 'symbol']

// IAM's wording for each requirement a password misses. The uppercase and symbol messages are
// recorded from CreateLoginProfile ("Password should meet 1 more of the following requirements:
// Password should have at least one uppercase letter, Password should have at least one
// symbol"); the other two follow them word for word.
const KIND_REQUIREMENT: Readonly<Record<CharacterKind, string>> = {
  uppercase: 'Password should have at least one uppercase letter',
  lowercase: 'Password should have at least one lowercase letter',
  number: 'Password should have at least one number',
  symbol: 'Password should have at least one symbol',
}

function kindOf(char: string): CharacterKind | null {
  // ISO basic Latin letters and digits only: the model's documentation of the Require* members.
  if (char >= 'A' && char <= 'Z') return 'uppercase'
  if (char >= 'a' && char <= 'z') return 'lowercase'
  if (char >= '0' && char <= '9') return 'number'
  if (PASSWORD_SYMBOLS.includes(char)) return 'symbol'
  return null
}

function kindsIn(password: string): Set<CharacterKind> {
  const kinds = new Set<CharacterKind>()
  for (const char of password) {
    const kind = kindOf(char)
    if (kind !== null) kinds.add(kind)
  }
  return kinds
}

/**
 * IAM's message for a password shorter than the minimum (recorded from CreateLoginProfile under
 * the default policy: "Password should have a minimum length of 8").
 */
export function minimumLengthMessage(minimum: number): string {
  return `Password should have a minimum length of ${minimum}`
}

function required(policy: PasswordPolicy, kind: CharacterKind): boolean {
  switch (kind) {
    case 'uppercase':
      return policy.requireUppercaseCharacters
    case 'lowercase':
      return policy.requireLowercaseCharacters
    case 'number':
      return policy.requireNumbers
    case 'symbol':
      return policy.requireSymbols
  }
}

/**
 * Every requirement `password` fails, each in IAM's words: of `policy`, or of AWS's default
 * password policy when the account has none (null). Empty when it complies.
 */
export function passwordPolicyViolations(
  password: string,
  policy: PasswordPolicy | null,
): string[] {
  const kinds = kindsIn(password)
  const violations: string[] = []
  // Java's String.length(), as AWS counts; every character a password may hold (U+0009 to
  // U+00FF) is one UTF-16 code unit.
  const minimum = policy === null ? DEFAULT_POLICY_MINIMUM_LENGTH : policy.minimumPasswordLength
  if (password.length < minimum) violations.push(minimumLengthMessage(minimum))
  if (policy === null) {
    const missing = KINDS.filter((kind) => !kinds.has(kind))
    const short = DEFAULT_POLICY_KINDS_REQUIRED - kinds.size
    if (short > 0) {
      violations.push(
        `Password should meet ${short} more of the following requirements: ${missing
          .map((kind) => KIND_REQUIREMENT[kind])
          .join(', ')}`,
      )
    }
    return violations
  }
  for (const kind of KINDS) {
    if (required(policy, kind) && !kinds.has(kind)) violations.push(KIND_REQUIREMENT[kind])
  }
  return violations
}

/**
 * The PasswordPolicyViolation message for `password`, or null when it complies. Several
 * failures are joined by `, `.
 */
export function passwordPolicyViolation(
  password: string,
  policy: PasswordPolicy | null,
): string | null {
  const violations = passwordPolicyViolations(password, policy)
  // Invented message: AWS's answer to a password failing several requirements at once is not on
  // record; the comma follows its own list of the default policy's requirements.
  return violations.length === 0 ? null : violations.join(', ')
}

/** How many of the latest passwords a new one may not repeat (0: any may be set again). */
export function reusePreventionDepth(policy: PasswordPolicy | null): number {
  return policy?.passwordReusePrevention ?? 0
}

/** The PasswordPolicyViolation message for a password among the latest `depth` ones. */
export function passwordReuseMessage(depth: number): string {
  // Invented message: AWS's API answer is not on record (its console says "Password does not
  // conform to the account password policy."); this one names the rule in IAM's "Password
  // should ..." style.
  return depth === 1
    ? 'Password should not be the same as your current password'
    : `Password should not be one of your ${depth} previous passwords`
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * When a password set at `setAt` expires under `policy`: MaxPasswordAge days later, or never
 * (null) without one. An expiry period binds at once, passwords already older than it included
 * (IAM User Guide: "the expiration period is enforced immediately").
 */
export function passwordExpiresAt(policy: PasswordPolicy | null, setAt: Date): Date | null {
  const days = policy?.maxPasswordAge ?? null
  return days === null ? null : new Date(setAt.getTime() + days * DAY_MS)
}

/** Whether a password set at `setAt` has expired at `now` under `policy`. */
export function isPasswordExpired(policy: PasswordPolicy | null, setAt: Date, now: Date): boolean {
  const expiresAt = passwordExpiresAt(policy, setAt)
  return expiresAt !== null && now.getTime() >= expiresAt.getTime()
}

/**
 * Whether the console may let a user whose password has expired set a new one. HardExpiry says
 * no: "The IAM user cannot access the console until an administrator resets the password". It
 * binds the console only: "IAM users with iam:ChangePassword permission and active access keys
 * can reset their own expired console password using the CLI or API" (the model's HardExpiry
 * documentation), so ChangePassword does not ask it.
 */
export function consoleMayRenewExpiredPassword(policy: PasswordPolicy | null): boolean {
  return policy === null || !policy.hardExpiry
}

/**
 * The permissions AllowUsersToChangePassword gives an IAM user: iam:ChangePassword on its own
 * user and iam:GetAccountPasswordPolicy ("This option does not attach a permissions policy to
 * each user, rather the permissions are applied at the account-level for all users by IAM", the
 * model's AllowUsersToChangePassword documentation), as a policy document to evaluate with the
 * user's identity policies.
 */
export function selfServicePasswordPolicy(userArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iam:ChangePassword', Resource: userArn },
      { Effect: 'Allow', Action: 'iam:GetAccountPasswordPolicy', Resource: '*' },
    ],
  })
}
