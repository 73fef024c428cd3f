/**
 * aws:ResourceTag/* for IAM resources: the tags of the user, role, managed policy or instance
 * profile a request acts on, as AWS puts them in the request context (with their iam:ResourceTag
 * twins) for the actions whose resource type lists those keys.
 */
import type { ContextValue } from '../policy/index.js'
import type { StoreTx, Tag, TaggableRef } from '../store/store.js'

const TAGGABLE_TYPES: Readonly<Record<string, TaggableRef['kind']>> = {
  user: 'user',
  role: 'role',
  policy: 'policy',
  'instance-profile': 'instanceProfile',
}

/** `arn:aws:iam::ACCOUNT:TYPE/path/NAME` -> the taggable entity it names, if any. */
export function taggableOf(arn: string): TaggableRef | undefined {
  const match = /^arn:aws:iam::([0-9]{12}):([a-z-]+)\/(?:[^/]*\/)*([^/]+)$/.exec(arn)
  if (match === null) return undefined
  const [, accountId, type, name] = match as unknown as [string, string, string, string]
  const kind = TAGGABLE_TYPES[type]
  return kind === undefined ? undefined : { kind, accountId, name }
}

/**
 * The resource-tag keys of the entity `arn` names, read in `tx`; none for an ARN that names no
 * taggable entity or an entity that does not exist (a condition on its tags then finds no key,
 * as in AWS for a resource being created).
 */
export async function resourceTagKeys(
  tx: StoreTx,
  arn: string,
): Promise<Record<string, ContextValue>> {
  const ref = taggableOf(arn)
  if (ref === undefined) return {}
  const tags = await tx.getResourceTags(ref)
  if (tags === undefined) return {}
  const keys: Record<string, ContextValue> = {}
  for (const tag of tags) {
    keys[`aws:ResourceTag/${tag.key}`] = tag.value
    keys[`iam:ResourceTag/${tag.key}`] = tag.value
  }
  return keys
}

/**
 * aws:ResourceTag/* alone, for the resource types whose reference lists no iam:ResourceTag (OIDC
 * and SAML providers, MFA devices, server certificates): their families read the tags themselves.
 */
export function awsResourceTagKeys(tags: readonly Tag[]): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {}
  for (const tag of tags) keys[`aws:ResourceTag/${tag.key}`] = tag.value
  return keys
}
