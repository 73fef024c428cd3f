/**
 * PackedPolicySize: how much of the session token's room the session policies and tags take, in
 * percent. AWS packs them into a binary format of its own ("An AWS conversion compresses the
 * passed inline session policy, managed policy ARNs, and session tags into a packed binary
 * format that has a separate limit") and refuses past 100% with PackedPolicyTooLarge.
 *
 * Gatehouse's packing is raw deflate over the policies (minified) and the tags, against
 * PACKED_POLICY_LIMIT_BYTES. It counts the documents of managed session policies, not their
 * ARNs as AWS does, because Gatehouse's token carries the documents: the limit is what keeps
 * every token small enough for a request header.
 */
import { deflateRawSync } from 'node:zlib'
import { AwsError } from '../../errors/aws-error.js'
import type { SessionPolicy } from '../../auth/session-token.js'
import type { Tag } from '../../store/store.js'

/** The room in a session token for session policies and tags, in deflated bytes. */
export const PACKED_POLICY_LIMIT_BYTES = 4096

/** The packed size of session policies and tags in percent; PackedPolicyTooLarge past 100. */
export function packedPolicySize(
  policies: readonly SessionPolicy[] | null,
  tags: readonly Tag[],
): number {
  // Most sessions pass neither: their size is one number, worked out once (a deflate stream
  // costs about 7 us to set up and run, a twentieth of an AssumeRole).
  if ((policies === null || policies.length === 0) && tags.length === 0) {
    emptyPercent ??= packedPercent([])
    return emptyPercent
  }
  return packedPercent(policies ?? [], tags)
}

let emptyPercent: number | undefined

function packedPercent(policies: readonly SessionPolicy[], tags: readonly Tag[] = []): number {
  const documents = policies.map((p) => JSON.stringify(JSON.parse(p.document)))
  const packed = deflateRawSync(
    Buffer.from(JSON.stringify([documents, tags.map((t) => [t.key, t.value])]), 'utf8'),
    { level: 9 },
  )
  const percent = Math.ceil((packed.length * 100) / PACKED_POLICY_LIMIT_BYTES)
  if (percent > 100) {
    throw new AwsError(
      'PackedPolicyTooLarge',
      `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`,
    )
  }
  return percent
}
