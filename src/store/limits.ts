/**
 * The IAM quotas the store enforces, with AWS's defaults (../shared/reference/aws-iam-sts-api.md
 * §4.3 and §4.4). They live in the store, not the handlers, because each is a count checked
 * together with the write that would exceed it: only the backend can make that race-free (SQLite
 * by serializing write transactions, PostgreSQL by locking the owning row), so handlers stay the
 * same on every backend. Per-document rules (a policy's own size, name patterns) are the handlers'.
 */

/** Every quota the store enforces; LimitExceededError names one of these keys. */
export interface StoreLimits {
  /** Users in an account (AWS: 5000). */
  readonly usersPerAccount: number
  /** Groups in an account (AWS default 300). */
  readonly groupsPerAccount: number
  /** Roles in an account (AWS default 1000). */
  readonly rolesPerAccount: number
  /** Customer managed policies in an account (AWS default 1500). */
  readonly policiesPerAccount: number
  /** Instance profiles in an account (AWS default 1000). */
  readonly instanceProfilesPerAccount: number
  /** Groups a user belongs to (AWS: 10). */
  readonly groupsPerUser: number
  /** Managed policies attached to a user (AWS default 10). */
  readonly attachedPoliciesPerUser: number
  /** Managed policies attached to a group (AWS: 10). */
  readonly attachedPoliciesPerGroup: number
  /** Managed policies attached to a role (AWS default 10). */
  readonly attachedPoliciesPerRole: number
  /** Versions of a managed policy (AWS: 5). */
  readonly versionsPerPolicy: number
  /** Access keys of a user, and of an account's root user (AWS: 2). */
  readonly accessKeysPerUser: number
  /** Roles in an instance profile (AWS: 1). */
  readonly rolesPerInstanceProfile: number
  /** Tags on one user, role, managed policy or instance profile (AWS: 50). */
  readonly tagsPerResource: number
  /** All inline policies of a user together, in non-whitespace characters (AWS: 2048). */
  readonly inlinePolicySizePerUser: number
  /** All inline policies of a group together, in non-whitespace characters (AWS: 5120). */
  readonly inlinePolicySizePerGroup: number
  /** All inline policies of a role together, in non-whitespace characters (AWS: 10240). */
  readonly inlinePolicySizePerRole: number
}

/** AWS's default quotas. */
export const DEFAULT_LIMITS: StoreLimits = Object.freeze({
  usersPerAccount: 5000,
  groupsPerAccount: 300,
  rolesPerAccount: 1000,
  policiesPerAccount: 1500,
  instanceProfilesPerAccount: 1000,
  groupsPerUser: 10,
  attachedPoliciesPerUser: 10,
  attachedPoliciesPerGroup: 10,
  attachedPoliciesPerRole: 10,
  versionsPerPolicy: 5,
  accessKeysPerUser: 2,
  rolesPerInstanceProfile: 1,
  tagsPerResource: 50,
  inlinePolicySizePerUser: 2048,
  inlinePolicySizePerGroup: 5120,
  inlinePolicySizePerRole: 10240,
})

/** The limits to use: AWS's defaults with any of them overridden. */
export function resolveLimits(overrides: Partial<StoreLimits> = {}): StoreLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`store limit ${name} must be a non-negative integer, not ${value}`)
    }
  }
  return Object.freeze(limits)
}

/**
 * A policy document's size as IAM counts it against its quotas: characters other than white
 * space ("IAM does not count white space when calculating the size of a policy").
 */
export function policySize(document: string): number {
  let size = 0
  for (const ch of document) if (!/\s/.test(ch)) size++
  return size
}
