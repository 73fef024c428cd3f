/**
 * The audit trail's digests, after CloudTrail's digest files: each covers the records appended
 * since the previous digest (a range of sequences), names the hash chain's head at its last
 * record, chains to the previous digest by that digest's hash, and is signed with the data
 * directory's Ed25519 key. The head binds every record before it through the hash chain, so a
 * record changed, removed or added anywhere in a sealed range, even with the chain recomputed
 * consistently after it, no longer reaches the signed head.
 *
 * The signed text is JSON with its members in the order below, stored byte for byte; the
 * signature is Ed25519 over its UTF-8 bytes, base64.
 */
import { createHash, sign, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { GENESIS_HASH, chainHash } from '../store/trail-hash.js'
import { publicKeyFingerprint } from './trail-signing-key.js'

/** The format's version. */
export const TRAIL_DIGEST_VERSION = 1

/** A digest's signed content. */
export interface TrailDigest {
  readonly version: typeof TRAIL_DIGEST_VERSION
  /** 1, 2, 3... in order of sealing. */
  readonly digestSequence: number
  /** The first record it covers: the previous digest's lastSequence + 1. */
  readonly firstSequence: number
  /** The last record it covers; firstSequence - 1 when it covers none (a sealed quiet period). */
  readonly lastSequence: number
  readonly recordCount: number
  /** The chain's hash at lastSequence (64 zeros when the trail is empty). */
  readonly headHash: string
  /** eventTime of the first and last records covered, ISO 8601; null when it covers none. */
  readonly firstEventTime: string | null
  readonly lastEventTime: string | null
  /** When the previous digest was sealed (null for the first), and when this one was. */
  readonly digestStartTime: string | null
  readonly digestEndTime: string
  /** Hex SHA-256 of the previous digest's signed text (64 zeros for the first). */
  readonly previousDigestHash: string
  /** Hex SHA-256 of the signing public key's SPKI DER. */
  readonly publicKeyFingerprint: string
}

/** An event as sealing sees it. */
export interface SealableEvent {
  readonly sequence: number
  readonly eventTime: Date
  readonly record: string
  readonly hash: string
}

/** What sealing starts from: the previous digest and the events after it. */
export interface SealInput {
  readonly digestSequence: number
  readonly previous: { readonly body: string } | null
  readonly previousLastSequence: number
  readonly events: () => Iterable<SealableEvent>
}

/** Thrown when the records to seal do not chain: sealing them would vouch for tampering. */
export class TrailSealError extends Error {
  override readonly name = 'TrailSealError'
}

/** The digest's signed text: its members in the format's order, no whitespace. */
export function serializeTrailDigest(digest: TrailDigest): string {
  // INVARIANT: member order is fixed here, not left to whoever built the object.
  return JSON.stringify({
    version: digest.version,
    digestSequence: digest.digestSequence,
    firstSequence: digest.firstSequence,
    lastSequence: digest.lastSequence,
    recordCount: digest.recordCount,
    headHash: digest.headHash,
    firstEventTime: digest.firstEventTime,
    lastEventTime: digest.lastEventTime,
    digestStartTime: digest.digestStartTime,
    digestEndTime: digest.digestEndTime,
    previousDigestHash: digest.previousDigestHash,
    publicKeyFingerprint: digest.publicKeyFingerprint,
  })
}

const HEX64 = /^[0-9a-f]{64}$/

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value))
}

/** Parses a digest's signed text; throws an Error saying what is wrong with it. */
export function parseTrailDigest(body: string): TrailDigest {
  const value = JSON.parse(body) as Record<string, unknown> | null
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('the digest is not a JSON object')
  }
  const v = value
  const bad = (member: string): never => {
    throw new Error(`the digest's ${member} is missing or invalid`)
  }
  if (v['version'] !== TRAIL_DIGEST_VERSION) bad('version')
  for (const m of ['digestSequence', 'firstSequence', 'lastSequence', 'recordCount']) {
    if (!isCount(v[m])) bad(m)
  }
  for (const m of ['headHash', 'previousDigestHash', 'publicKeyFingerprint']) {
    if (typeof v[m] !== 'string' || !HEX64.test(v[m])) bad(m)
  }
  for (const m of ['firstEventTime', 'lastEventTime', 'digestStartTime']) {
    if (v[m] !== null && !isTime(v[m])) bad(m)
  }
  if (!isTime(v['digestEndTime'])) bad('digestEndTime')
  const digest = v as unknown as TrailDigest
  if (digest.lastSequence - digest.firstSequence + 1 !== digest.recordCount) bad('recordCount')
  return digest
}

/** Hex SHA-256 of a digest's signed text: what the next digest chains to. */
export function trailDigestHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex')
}

/** The Ed25519 signature of a digest's signed text, base64. */
export function signTrailDigest(body: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(body, 'utf8'), privateKey).toString('base64')
}

/** Whether `signature` (base64) is `publicKey`'s signature of `body`. */
export function verifyTrailDigestSignature(
  body: string,
  signature: string,
  publicKey: KeyObject,
): boolean {
  try {
    return verify(null, Buffer.from(body, 'utf8'), publicKey, Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}

/**
 * Builds and signs the digest over the events after the previous digest, first checking that
 * they chain from its head with no gap; throws TrailSealError if they do not.
 */
export function buildTrailDigest(
  input: SealInput,
  keys: { readonly privateKey: KeyObject; readonly publicKey: KeyObject },
  now: Date,
): { body: string; signature: string; lastSequence: number } {
  const previous = input.previous === null ? null : parseTrailDigest(input.previous.body)
  let head = previous?.headHash ?? GENESIS_HASH
  let lastSequence = input.previousLastSequence
  let first: SealableEvent | null = null
  let last: SealableEvent | null = null
  for (const event of input.events()) {
    if (event.sequence !== lastSequence + 1) {
      throw new TrailSealError(
        `refusing to seal: sequences ${lastSequence + 1} to ${event.sequence - 1} are missing`,
      )
    }
    if (chainHash(head, event.record) !== event.hash) {
      throw new TrailSealError(
        `refusing to seal: sequence ${event.sequence} does not chain to sequence ${lastSequence}`,
      )
    }
    first ??= event
    last = event
    head = event.hash
    lastSequence = event.sequence
  }
  const digest: TrailDigest = {
    version: TRAIL_DIGEST_VERSION,
    digestSequence: input.digestSequence,
    firstSequence: input.previousLastSequence + 1,
    lastSequence,
    recordCount: lastSequence - input.previousLastSequence,
    headHash: head,
    firstEventTime: first?.eventTime.toISOString() ?? null,
    lastEventTime: last?.eventTime.toISOString() ?? null,
    digestStartTime: previous?.digestEndTime ?? null,
    digestEndTime: now.toISOString(),
    previousDigestHash:
      input.previous === null ? GENESIS_HASH : trailDigestHash(input.previous.body),
    publicKeyFingerprint: publicKeyFingerprint(keys.publicKey),
  }
  const body = serializeTrailDigest(digest)
  return { body, signature: signTrailDigest(body, keys.privateKey), lastSequence }
}
