/**
 * Tags a request brings (CreateUser, CreateRole, TagUser, ...), checked as IAM checks them before
 * they reach the store.
 */
import { AwsError } from '../../errors/aws-error.js'
import type { Tag } from '../../store/store.js'

/**
 * Checks tags as IAM does: keys unique without case (IAM refuses `a` beside `A` in one request
 * for every resource type) and never in the reserved `aws:` namespace.
 */
export function checkTags(
  tags: readonly { readonly Key: string; readonly Value: string }[],
): Tag[] {
  const seen = new Set<string>()
  for (const tag of tags) {
    const key = tag.Key.toLowerCase()
    if (key.startsWith('aws:')) {
      throw new AwsError('InvalidInput', "Tag keys cannot start with the reserved prefix 'aws:'.")
    }
    if (seen.has(key)) {
      throw new AwsError(
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      )
    }
    seen.add(key)
  }
  return tags.map((t) => ({ key: t.Key, value: t.Value }))
}

/** The condition keys of tags in a request: aws:RequestTag/<key> for each, and aws:TagKeys. */
export function requestTagKeys(
  tags: readonly { readonly Key: string; readonly Value: string }[] | undefined,
): Record<string, string | string[]> {
  if (tags === undefined) return {}
  const keys: Record<string, string | string[]> = {}
  for (const tag of tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value
  keys['aws:TagKeys'] = tags.map((t) => t.Key)
  return keys
}
