/**
 * The ARNs of stored IAM entities (iam-guide reference_identifiers): the path is embedded between
 * the resource type and the name, as in `arn:aws:iam::123456789012:user/division_abc/JaneDoe`.
 */

/** The kinds of entity that have an IAM ARN with a path. */
export type ArnKind = 'user' | 'group' | 'role' | 'policy' | 'instanceProfile'

const RESOURCE_TYPES = {
  user: 'user',
  group: 'group',
  role: 'role',
  policy: 'policy',
  instanceProfile: 'instance-profile',
} as const satisfies Record<ArnKind, string>

/** The ARN of an entity of `kind` named `name` under `path` in `accountId`. */
export function entityArn(kind: ArnKind, accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${RESOURCE_TYPES[kind]}${path}${name}`
}

/** The ARN of an account's root user. */
export function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`
}
