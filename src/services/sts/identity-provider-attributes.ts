/**
 * Session tags and the source identity an identity provider passes in its token or assertion
 * (IAM User Guide, "Pass session tags in AWS STS" and "Monitor and control actions taken with
 * assumed roles"), held to the rules AWS holds the same values to in AssumeRole's parameters: at
 * most 50 tags, keys of 1 to 128 and values of up to 256 characters of the tag alphabet, no key
 * in `aws:`, keys unique without case, transitive keys among the tags; a source identity of 2 to
 * 64 characters of `[\w+=,.@-]`, not starting with `aws:`. The IdP's mistakes are the token's:
 * InvalidIdentityToken.
 */
import { AwsError } from '../../errors/aws-error.js'
import { sessionTags } from './session-tags.js'
import type { SessionTags } from './session-tags.js'

const MAX_SESSION_TAGS = 50
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/

function invalid(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message)
}

/** The session tags an identity provider passed, checked; InvalidIdentityToken for bad ones. */
export function identityProviderTags(
  tags: readonly { readonly key: string; readonly value: string }[],
  transitiveKeys: readonly string[],
): SessionTags {
  if (tags.length > MAX_SESSION_TAGS) {
    throw invalid(`The identity provider passed more than ${MAX_SESSION_TAGS} session tags.`)
  }
  for (const tag of tags) {
    if (!TAG_KEY.test(tag.key)) {
      throw invalid(`The identity provider passed a session tag with an invalid key: ${tag.key}`)
    }
    if (!TAG_VALUE.test(tag.value)) {
      throw invalid(`The identity provider passed an invalid value for the session tag ${tag.key}.`)
    }
  }
  try {
    return sessionTags(
      tags.map((t) => ({ Key: t.key, Value: t.value })),
      transitiveKeys,
      { tags: [], transitiveTagKeys: [] },
    )
  } catch (err) {
    if (err instanceof AwsError) throw invalid(err.message)
    throw err
  }
}

/** The source identity an identity provider passed, checked; null when it passed none. */
export function identityProviderSourceIdentity(value: string | undefined): string | null {
  if (value === undefined) return null
  if (!SOURCE_IDENTITY.test(value) || value.toLowerCase().startsWith('aws:')) {
    throw invalid(
      'The source identity the identity provider passed must be 2 to 64 characters of [\\w+=,.@-] and may not start with aws:.',
    )
  }
  return value
}
