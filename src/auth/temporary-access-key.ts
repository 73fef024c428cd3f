/**
 * The access key of temporary credentials: `ASIA` and 16 characters of `[A-Z2-7]`, like AWS's
 * (GetAccessKeyInfo: "Access key IDs beginning with ASIA are temporary credentials"), and a
 * secret like a long-term key's.
 */
import type { RandomBytes } from '../store/ids.js'
import { pooledRandomBytes } from '../store/random-pool.js'
import { ACCESS_KEY_ID_PREFIX, newAccessKeyId, newSecretAccessKey } from '../store/ids.js'

/** The prefix of a temporary access key id. */
export const TEMPORARY_ACCESS_KEY_ID_PREFIX = 'ASIA'

/** A new temporary key. */
export interface TemporaryAccessKey {
  readonly accessKeyId: string
  /** SECURITY: returned once, to the caller that asked for the credentials; never logged. */
  readonly secretAccessKey: string
}

/** Makes a temporary access key id and its secret. */
export function newTemporaryAccessKey(random: RandomBytes = pooledRandomBytes): TemporaryAccessKey {
  // A long-term id's 16 random characters behind the temporary prefix.
  const suffix = newAccessKeyId(random).slice(ACCESS_KEY_ID_PREFIX.length)
  return {
    accessKeyId: TEMPORARY_ACCESS_KEY_ID_PREFIX + suffix,
    secretAccessKey: newSecretAccessKey(random),
  }
}
