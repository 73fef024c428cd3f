/**
 * The input shapes of the managed-policy operations that shapes.ts does not have, with the
 * model's constraints (botocore's iam/2010-05-08 service-2.json).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'

/** policyPathType: a managed policy's path, and ListPolicies' and ListAttached*Policies' PathPrefix. */
export const POLICY_PATH = {
  kind: 'string',
  min: 1,
  max: 512,
  pattern: queryPattern('((/[A-Za-z0-9\\.,\\+@=_-]+)*)/'),
} as const

/** policyDescriptionType. */
export const POLICY_DESCRIPTION = { kind: 'string', max: 1000 } as const

/** policyVersionIdType: `v1`, `v2`, ... */
export const POLICY_VERSION_ID = {
  kind: 'string',
  pattern: queryPattern('v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?'),
} as const

/** booleanType. */
export const BOOLEAN = { kind: 'boolean' } as const

/** policyScopeType: ListPolicies' Scope. */
export const POLICY_SCOPE = { kind: 'string', enum: ['All', 'AWS', 'Local'] } as const

/** PolicyUsageType: ListPolicies' and ListEntitiesForPolicy's PolicyUsageFilter. */
export const POLICY_USAGE = {
  kind: 'string',
  enum: ['PermissionsPolicy', 'PermissionsBoundary'],
} as const

/** EntityType: ListEntitiesForPolicy's EntityFilter. */
export const ENTITY_TYPE = {
  kind: 'string',
  enum: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'],
} as const
