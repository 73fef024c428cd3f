/**
 * How records are read: one SELECT per entity (with `sort_key` for pagination) and the mapping
 * from its rows to the port's records, ARNs included.
 */
import { entityArn } from '../arn.js'
import type { Group, ManagedPolicy, PolicyVersion, Role, User } from '../store.js'

/** A managed policy referred to as a boundary: enough to write its ARN. */
interface BoundaryColumns {
  readonly boundary_account_id: string | null
  readonly boundary_path: string | null
  readonly boundary_name: string | null
}

function boundaryArn(row: BoundaryColumns): string | null {
  if (row.boundary_account_id === null || row.boundary_path === null) return null
  return entityArn('policy', row.boundary_account_id, row.boundary_path, row.boundary_name ?? '')
}

/** A row of USER_SELECT. */
export interface UserRow extends BoundaryColumns {
  readonly sort_key: string
  readonly user_id: string
  readonly account_id: string
  readonly name: string
  readonly path: string
  readonly created_at: number
}

/** Users with their boundary's ARN parts; filter on `u.`. */
export const USER_SELECT = `SELECT u.user_id, u.account_id, u.name, u.path, u.created_at,
  u.name_key AS sort_key,
  b.account_id AS boundary_account_id, b.path AS boundary_path, b.name AS boundary_name
FROM users u LEFT JOIN policies b ON b.policy_id = u.boundary_policy_id`

/** A user record from its row. */
export function toUser(row: UserRow): User {
  return {
    accountId: row.account_id,
    userId: row.user_id,
    name: row.name,
    path: row.path,
    arn: entityArn('user', row.account_id, row.path, row.name),
    createdAt: new Date(row.created_at),
    permissionsBoundaryArn: boundaryArn(row),
  }
}

/** A row of GROUP_SELECT. */
export interface GroupRow {
  readonly sort_key: string
  readonly group_id: string
  readonly account_id: string
  readonly name: string
  readonly path: string
  readonly created_at: number
}

/** Groups; filter on `g.`. */
export const GROUP_SELECT = `SELECT g.group_id, g.account_id, g.name, g.path, g.created_at,
  g.name_key AS sort_key
FROM groups g`

/** A group record from its row. */
export function toGroup(row: GroupRow): Group {
  return {
    accountId: row.account_id,
    groupId: row.group_id,
    name: row.name,
    path: row.path,
    arn: entityArn('group', row.account_id, row.path, row.name),
    createdAt: new Date(row.created_at),
  }
}

/** A row of ROLE_SELECT. */
export interface RoleRow extends BoundaryColumns {
  readonly sort_key: string
  readonly role_id: string
  readonly account_id: string
  readonly name: string
  readonly path: string
  readonly assume_role_policy: string
  readonly description: string | null
  readonly max_session_duration: number
  readonly created_at: number
}

/** Roles with their boundary's ARN parts; filter on `r.`. */
export const ROLE_SELECT = `SELECT r.role_id, r.account_id, r.name, r.path, r.assume_role_policy,
  r.description, r.max_session_duration, r.created_at, r.name_key AS sort_key,
  b.account_id AS boundary_account_id, b.path AS boundary_path, b.name AS boundary_name
FROM roles r LEFT JOIN policies b ON b.policy_id = r.boundary_policy_id`

/** A role record from its row. */
export function toRole(row: RoleRow): Role {
  return {
    accountId: row.account_id,
    roleId: row.role_id,
    name: row.name,
    path: row.path,
    arn: entityArn('role', row.account_id, row.path, row.name),
    createdAt: new Date(row.created_at),
    assumeRolePolicyDocument: row.assume_role_policy,
    description: row.description,
    maxSessionDuration: row.max_session_duration,
    permissionsBoundaryArn: boundaryArn(row),
  }
}

/** A row of POLICY_SELECT. */
export interface PolicyRow {
  readonly sort_key: string
  readonly policy_id: string
  readonly account_id: string
  readonly name: string
  readonly path: string
  readonly description: string | null
  readonly default_version: number
  readonly created_at: number
  readonly updated_at: number
  readonly attachment_count: number
  readonly boundary_count: number
}

/** Managed policies with their usage counts, counted rather than kept; filter on `p.`. */
export const POLICY_SELECT = `SELECT p.policy_id, p.account_id, p.name, p.path, p.description,
  p.default_version, p.created_at, p.updated_at, p.name_key AS sort_key,
  (SELECT count(*) FROM user_attached_policies x WHERE x.policy_id = p.policy_id)
    + (SELECT count(*) FROM group_attached_policies x WHERE x.policy_id = p.policy_id)
    + (SELECT count(*) FROM role_attached_policies x WHERE x.policy_id = p.policy_id)
    AS attachment_count,
  (SELECT count(*) FROM users x WHERE x.boundary_policy_id = p.policy_id)
    + (SELECT count(*) FROM roles x WHERE x.boundary_policy_id = p.policy_id)
    AS boundary_count
FROM policies p`

/** A policy version's id from its number. */
export function versionId(version: number): string {
  return `v${version}`
}

/** A policy version's number from its id, or undefined if it is not of the form `vN`. */
export function versionNumber(id: string): number | undefined {
  const match = /^v([1-9][0-9]{0,8})$/.exec(id)
  return match?.[1] === undefined ? undefined : Number(match[1])
}

/** A managed policy record from its row. */
export function toPolicy(row: PolicyRow): ManagedPolicy {
  return {
    accountId: row.account_id,
    policyId: row.policy_id,
    name: row.name,
    path: row.path,
    arn: entityArn('policy', row.account_id, row.path, row.name),
    createdAt: new Date(row.created_at),
    description: row.description,
    defaultVersionId: versionId(row.default_version),
    attachmentCount: row.attachment_count,
    permissionsBoundaryUsageCount: row.boundary_count,
    updatedAt: new Date(row.updated_at),
  }
}

/** A row of POLICY_VERSION_SELECT. */
export interface PolicyVersionRow {
  readonly sort_key: string
  readonly version: number
  readonly document: string
  readonly created_at: number
  readonly is_default: number
}

/**
 * Versions of the policy given as the one parameter, newest first: the sort key counts down
 * from a constant of ten digits, so that (versions staying below a billion) every key has ten
 * digits and text order is number order.
 */
export const POLICY_VERSION_SELECT = `SELECT v.version, v.document, v.created_at,
  CASE WHEN v.version = p.default_version THEN 1 ELSE 0 END AS is_default,
  CAST(2000000000 - v.version AS TEXT) AS sort_key
FROM policy_versions v JOIN policies p ON p.policy_id = v.policy_id
WHERE v.policy_id = ?`

/** A policy version record from its row. */
export function toPolicyVersion(row: PolicyVersionRow): PolicyVersion {
  return {
    versionId: versionId(row.version),
    document: row.document,
    isDefault: row.is_default === 1,
    createdAt: new Date(row.created_at),
  }
}
