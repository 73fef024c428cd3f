/**
 * Session tags (iam-guide id_session-tags): the tags a request passes, checked, joined with the
 * transitive tags the calling session passes on through role chaining.
 */
import { AwsError } from '../../errors/aws-error.js'
import type { Tag } from '../../store/store.js'
import type { SessionClaims } from '../../auth/session-token.js'

/** A session's tags and which of them pass on to the sessions it assumes. */
export interface SessionTags {
  readonly tags: readonly Tag[]
  readonly transitiveTagKeys: readonly string[]
}

const NO_TAGS: SessionTags = { tags: [], transitiveTagKeys: [] }

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message)
}

/** The tags a session passes on: its tags whose keys it marked transitive. */
export function inheritedTags(parent: SessionClaims | undefined): SessionTags {
  if (parent === undefined || parent.transitiveTagKeys.length === 0) return NO_TAGS
  const transitive = new Set(parent.transitiveTagKeys.map((k) => k.toLowerCase()))
  return {
    tags: parent.tags.filter((t) => transitive.has(t.key.toLowerCase())),
    transitiveTagKeys: parent.transitiveTagKeys,
  }
}

/**
 * The tags of a new session: the inherited transitive tags, then the request's. Keys are unique
 * without regard to case and never in the reserved `aws:` namespace; a transitive key must name
 * one of the request's tags; an inherited transitive tag cannot be set again.
 */
export function sessionTags(
  requested: readonly { readonly Key: string; readonly Value: string }[] | undefined,
  transitiveKeys: readonly string[] | undefined,
  inherited: SessionTags,
): SessionTags {
  const given = requested ?? []
  const seen = new Set<string>()
  for (const tag of given) {
    const key = tag.Key.toLowerCase()
    if (key.startsWith('aws:')) {
      throw invalid("Tag keys cannot start with the reserved prefix 'aws:'.")
    }
    if (seen.has(key)) {
      throw invalid('Duplicate tag keys found. Please note that Tag keys are case insensitive.')
    }
    seen.add(key)
  }
  for (const key of transitiveKeys ?? []) {
    if (!seen.has(key.toLowerCase())) {
      throw invalid(`The transitive tag key ${key} is not the key of a session tag in the request.`)
    }
  }
  for (const tag of inherited.tags) {
    if (seen.has(tag.key.toLowerCase())) {
      throw invalid(
        `The session tag ${tag.key} is a transitive tag of the calling session and cannot be set again.`,
      )
    }
  }
  const transitive = [...inherited.transitiveTagKeys]
  const marked = new Set(transitive.map((k) => k.toLowerCase()))
  for (const key of transitiveKeys ?? []) {
    if (!marked.has(key.toLowerCase())) {
      marked.add(key.toLowerCase())
      transitive.push(key)
    }
  }
  return {
    tags: [...inherited.tags, ...given.map((t) => ({ key: t.Key, value: t.Value }))],
    transitiveTagKeys: transitive,
  }
}

/**
 * The condition keys of the tags a request passes: aws:RequestTag/<key> for each, and
 * aws:TagKeys (when the request has a Tags parameter, even an empty one).
 */
export function sessionTagKeys(
  tags: readonly { readonly Key: string; readonly Value: string }[] | undefined,
): Record<string, string | string[]> {
  if (tags === undefined) return {}
  const keys: Record<string, string | string[]> = {}
  for (const tag of tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value
  keys['aws:TagKeys'] = tags.map((t) => t.Key)
  return keys
}
