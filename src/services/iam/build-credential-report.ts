/**
 * The credential report's CSV, as IAM writes it (iam-guide id_credentials_getting-report,
 * "Understanding the report format"): a header of AWS's 22 columns, the `<root_account>` row,
 * then one row per IAM user. Pure: the caller reads the account, users and keys from the store.
 */
import { rootArn } from '../../store/arn.js'
import type { AccessKey, Account, User } from '../../store/store.js'

/** The report's columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const

/** The `user` of the account root user's row. */
export const ROOT_ACCOUNT_USER = '<root_account>'

/** What the report writes where a value does not apply (no key, a key never used...). */
const NOT_APPLICABLE = 'N/A'

/** What it writes for a password never used to sign in. */
const NO_INFORMATION = 'no_information'
/** What it writes for the root user's password fields, which IAM does not report. */
const NOT_SUPPORTED = 'not_supported'

/** An IAM user with its access keys, its password and its MFA. */
export interface CredentialReportUser {
  readonly user: User
  readonly accessKeys: readonly AccessKey[]
  /** Its console password (login profile), if it has one. */
  readonly password: {
    readonly setAt: Date
    /** When the account's policy makes it expire; null without MaxPasswordAge. */
    readonly nextRotation: Date | null
    /**
     * When it was last used to sign in to the console (PasswordLastUsed); null or absent if it
     * never was.
     */
    readonly lastUsedAt?: Date | null
  } | null
  /** Whether an MFA device is enabled for it. */
  readonly mfaActive: boolean
  /** Its X.509 signing certificates. */
  readonly signingCertificates: readonly ReportCertificate[]
}

/** A signing certificate as the report shows it. */
export interface ReportCertificate {
  readonly certificateId: string
  readonly active: boolean
  readonly uploadedAt: Date
}

/** Everything one report describes. */
export interface CredentialReportInput {
  /** Its creation is the root row's user_creation_time. */
  readonly account: Account
  /** Whether an MFA device is enabled for the root user; false when absent. */
  readonly rootMfaActive?: boolean
  readonly rootAccessKeys: readonly AccessKey[]
  readonly rootSigningCertificates: readonly ReportCertificate[]
  /** In the order the rows are written. */
  readonly users: readonly CredentialReportUser[]
}

/**
 * A time as the report writes it: ISO 8601 to the second with an explicit UTC offset,
 * `2015-08-14T10:14:20+00:00` (the form of every date in IAM's reports).
 */
export function reportTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`
}

/**
 * A field as CSV (RFC 4180): quoted when it holds a comma, a quote or a line break. User names
 * may hold commas and paths quotes; AWS does not say how it writes them, and a bare comma would
 * shift every later column.
 */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

function flag(value: boolean): string {
  return value ? 'true' : 'false'
}

/**
 * The five columns of access key 1 or 2. last_rotated is the key's creation whether or not the
 * key is active: IAM's reports carry it for inactive keys too (cloud-custodian#5551,
 * prowler#1929), and N/A only where there is no key. A key never used has N/A as date, region
 * and service.
 */
function keyColumns(key: AccessKey | undefined): string[] {
  if (key === undefined) {
    return ['false', NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE]
  }
  const used = key.lastUsedAt
  return [
    flag(key.status === 'Active'),
    reportTime(key.createdAt),
    used === null ? NOT_APPLICABLE : reportTime(used),
    used === null ? NOT_APPLICABLE : (key.lastUsedRegion ?? NOT_APPLICABLE),
    used === null ? NOT_APPLICABLE : (key.lastUsedService ?? NOT_APPLICABLE),
  ]
}

/** Access keys 1 and 2: the owner's keys in order of creation (of id, for one instant). */
function bothKeys(keys: readonly AccessKey[]): string[] {
  const ordered = [...keys].sort(
    (a, b) =>
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.accessKeyId < b.accessKeyId ? -1 : a.accessKeyId > b.accessKeyId ? 1 : 0),
  )
  return [...keyColumns(ordered[0]), ...keyColumns(ordered[1])]
}

// Gatehouse has no signing certificates yet: cert_1_active, cert_1_last_rotated, cert_2_active,
/**
 * cert_1_active, cert_1_last_rotated, cert_2_active and cert_2_last_rotated: the first two
 * certificates by upload (then id), false and N/A for a slot without one.
 */
function bothCertificates(certificates: readonly ReportCertificate[]): string[] {
  const ordered = [...certificates].sort(
    (a, b) =>
      a.uploadedAt.getTime() - b.uploadedAt.getTime() ||
      (a.certificateId < b.certificateId ? -1 : a.certificateId > b.certificateId ? 1 : 0),
  )
  return [0, 1].flatMap((i) => {
    const certificate = ordered[i]
    return certificate === undefined
      ? ['false', NOT_APPLICABLE]
      : [certificate.active ? 'true' : 'false', reportTime(certificate.uploadedAt)]
  })
}

/**
 * The root user's row. IAM always writes not_supported for its password_enabled,
 * password_last_changed and password_next_rotation. Gatehouse's root user has no password:
 * password_last_used is N/A (the guide's value for a user without a password). mfa_active says
 * whether an MFA device is enabled for it.
 */
function rootRow(input: CredentialReportInput): string[] {
  return [
    ROOT_ACCOUNT_USER,
    rootArn(input.account.accountId),
    reportTime(input.account.createdAt),
    NOT_SUPPORTED,
    NOT_APPLICABLE,
    NOT_SUPPORTED,
    NOT_SUPPORTED,
    flag(input.rootMfaActive ?? false),
    ...bothKeys(input.rootAccessKeys),
    ...bothCertificates(input.rootSigningCertificates),
  ]
}

/**
 * An IAM user's row. Without a password: password_enabled false and N/A for its last use, last
 * change and next rotation. With one: its last use to sign in to the console, or no_information
 * (IAM's value for a password never used to sign in), its last change, and its next rotation
 * where the account's policy sets a maximum age (N/A otherwise). mfa_active says whether an MFA
 * device is enabled; then its keys and signing certificates.
 */
function userRow({
  user,
  accessKeys,
  password,
  mfaActive,
  signingCertificates,
}: CredentialReportUser): string[] {
  return [
    user.name,
    user.arn,
    reportTime(user.createdAt),
    password === null ? 'false' : 'true',
    password === null
      ? NOT_APPLICABLE
      : password.lastUsedAt == null
        ? NO_INFORMATION
        : reportTime(password.lastUsedAt),
    password === null ? NOT_APPLICABLE : reportTime(password.setAt),
    password?.nextRotation == null ? NOT_APPLICABLE : reportTime(password.nextRotation),
    mfaActive ? 'true' : 'false',
    ...bothKeys(accessKeys),
    ...bothCertificates(signingCertificates),
  ]
}

/**
 * The report's CSV: the header, the root row, then the users' rows, one line each, separated by
 * `\n` without one after the last (as IAM's reports end; readers that split on `\n` rely on it).
 */
export function buildCredentialReport(input: CredentialReportInput): string {
  const rows = [[...CREDENTIAL_REPORT_COLUMNS], rootRow(input), ...input.users.map(userRow)]
  return rows.map((row) => row.map(csvField).join(',')).join('\n')
}
