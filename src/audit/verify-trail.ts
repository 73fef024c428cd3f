/**
 * Verification of the audit trail: recomputes the hash chain over every stored record, checks
 * every digest's signature, its chaining to the previous digest and the chain head it sealed,
 * and names each problem precisely: which sequences, what happened to them, and since when (the
 * earliest eventTime affected). It reads only what it is given, so it judges a trail read from
 * any backend, or an export.
 *
 * What the chain alone can tell: an UPDATE of a record's text leaves its stored hash behind
 * (modified); a row gone leaves a gap in the sequences (deleted); a forged row with a hash
 * recomputed to chain after its predecessor makes the next genuine record chain past it
 * (inserted). What needs the digests: a trail whose chain was recomputed consistently after a
 * change, or whose tail was cut off, which only a signed head shows.
 */
import type { KeyObject } from 'node:crypto'
import { GENESIS_HASH, chainHash } from '../store/trail-hash.js'
import type { TrailDigest } from './trail-digest.js'
import { parseTrailDigest, trailDigestHash, verifyTrailDigestSignature } from './trail-digest.js'

/** An event as verification reads it (a StoredTrailEvent is one). */
export interface VerifiableEvent {
  readonly sequence: number
  readonly eventTime: Date
  readonly record: string
  readonly hash: string
}

/** A digest as stored: its signed text and signature. */
export interface VerifiableDigest {
  readonly sequence: number
  readonly body: string
  readonly signature: string
}

/** What kind of tampering a problem shows. */
export type TrailProblemKind =
  /** A record's text no longer matches its hash. */
  | 'modified'
  /** Sequences are missing: between two records, or after the last one when a digest sealed them. */
  | 'deleted'
  /** Records that the genuine chain skips over: forged, or moved. */
  | 'inserted'
  /** A digest's signature does not verify with the public key. */
  | 'digest-signature'
  /** A digest's sealed head is not the trail's hash at that sequence: the chain was rewritten. */
  | 'digest-head'
  /** A digest does not follow the previous one: a digest was removed, replaced or reordered. */
  | 'digest-chain'
  /** A digest's text is not a digest at all. */
  | 'digest-invalid'

/** One problem found. */
export interface TrailProblem {
  readonly kind: TrailProblemKind
  /** The record sequences concerned, first to last (null when none is known). */
  readonly firstSequence: number | null
  readonly lastSequence: number | null
  /** The digest concerned, if any. */
  readonly digestSequence: number | null
  /** The earliest eventTime the problem affects, as far as can be known. */
  readonly since: Date | null
  /** One line saying what was found, naming sequences, times and digests. */
  readonly message: string
}

/** The outcome of a verification. */
export interface TrailVerification {
  /** Records read. */
  readonly records: number
  /** The last record's sequence (0 if none). */
  readonly lastSequence: number
  /** Digests read. */
  readonly digests: number
  /** The last sequence the newest valid digest seals (0 if none). */
  readonly sealedThrough: number
  readonly problems: readonly TrailProblem[]
  /** The earliest `since` of all problems: when the trail stopped being trustworthy. */
  readonly since: Date | null
}

/** How far back a record that fails to chain looks for the record it does chain to. */
const LOOKBACK = 256

interface Seen {
  readonly sequence: number
  readonly hash: string
  readonly eventTime: Date
}

/** A digest whose signature verified, so its sealed head can be trusted. */
interface SealedHead {
  readonly digest: TrailDigest
}

function iso(date: Date | null | undefined): string {
  return date === null || date === undefined ? 'unknown time' : date.toISOString()
}

function range(first: number, last: number): string {
  return first === last ? `sequence ${first}` : `sequences ${first} to ${last}`
}

function parseTime(text: string | null): Date | null {
  return text === null ? null : new Date(text)
}

/**
 * Verifies a trail: `events` in order of sequence (as readTrailEvents pages them), `digests` in
 * order of sealing, checked against `publicKey` (null: none is available, and every digest is
 * reported as unverifiable).
 */
export async function verifyTrail(
  events: Iterable<VerifiableEvent> | AsyncIterable<VerifiableEvent>,
  digests: readonly VerifiableDigest[],
  publicKey: KeyObject | null,
): Promise<TrailVerification> {
  const problems: TrailProblem[] = []
  const heads = checkDigests(digests, publicKey, problems)
  const byHead = new Map<number, SealedHead[]>()
  for (const head of heads) {
    const list = byHead.get(head.digest.lastSequence) ?? []
    list.push(head)
    byHead.set(head.digest.lastSequence, list)
  }
  for (const head of byHead.get(0) ?? []) checkHead(head, GENESIS_HASH, problems)

  const window: Seen[] = []
  let previous: Seen | null = null
  let records = 0
  // for await takes a plain iterable too; the cast only spares the linter the union.
  for await (const event of events as AsyncIterable<VerifiableEvent>) {
    records++
    const expected = (previous?.sequence ?? 0) + 1
    if (event.sequence > expected) {
      problems.push({
        kind: 'deleted',
        firstSequence: expected,
        lastSequence: event.sequence - 1,
        digestSequence: null,
        since: previous?.eventTime ?? event.eventTime,
        message:
          `${range(expected, event.sequence - 1)} deleted: missing between ` +
          (previous === null
            ? 'the start of the trail'
            : `sequence ${previous.sequence} (eventTime ${iso(previous.eventTime)})`) +
          ` and sequence ${event.sequence} (eventTime ${iso(event.eventTime)})`,
      })
      // Its predecessor is gone, so its link cannot be checked; the next one's can.
    } else if (chainHash(previous?.hash ?? GENESIS_HASH, event.record) !== event.hash) {
      problems.push(brokenLink(event, previous, window))
    }
    for (const head of byHead.get(event.sequence) ?? []) checkHead(head, event.hash, problems)
    previous = { sequence: event.sequence, hash: event.hash, eventTime: event.eventTime }
    window.push(previous)
    if (window.length > LOOKBACK) window.shift()
  }

  const lastSequence = previous?.sequence ?? 0
  const sealedThrough = heads.reduce((max, head) => Math.max(max, head.digest.lastSequence), 0)
  if (sealedThrough > lastSequence) {
    const sealer = heads.find((head) => head.digest.lastSequence === sealedThrough)?.digest
    problems.push({
      kind: 'deleted',
      firstSequence: lastSequence + 1,
      lastSequence: sealedThrough,
      digestSequence: sealer?.digestSequence ?? null,
      since: previous?.eventTime ?? parseTime(sealer?.firstEventTime ?? null),
      message:
        `${range(lastSequence + 1, sealedThrough)} deleted: digest ${sealer?.digestSequence ?? '?'} ` +
        `sealed them (last eventTime ${sealer?.lastEventTime ?? 'unknown'}) but the trail ends at ` +
        (previous === null
          ? 'no record at all'
          : `sequence ${previous.sequence} (eventTime ${iso(previous.eventTime)})`),
    })
  }
  const since = problems.reduce<Date | null>(
    (min, p) => (p.since !== null && (min === null || p.since < min) ? p.since : min),
    null,
  )
  return { records, lastSequence, digests: digests.length, sealedThrough, problems, since }
}

/**
 * A record that does not chain to the stored record before it. If it chains to an earlier one,
 * the records between were inserted (a forged row given a hash that chains after its own
 * predecessor makes the genuine record after it skip it); otherwise its text was changed.
 */
function brokenLink(
  event: VerifiableEvent,
  previous: Seen | null,
  window: readonly Seen[],
): TrailProblem {
  // The window's last entry is `previous`, already tried; the genesis comes before the first.
  const candidates: (Seen | null)[] = window.slice(0, -1)
  if (window[0]?.sequence === 1) candidates.unshift(null)
  for (let i = candidates.length - 1; i >= 0; i--) {
    const anchor = candidates[i] ?? null
    if (chainHash(anchor?.hash ?? GENESIS_HASH, event.record) !== event.hash) continue
    const firstInserted = (anchor?.sequence ?? 0) + 1
    const inserted = window.find((seen) => seen.sequence === firstInserted)
    return {
      kind: 'inserted',
      firstSequence: firstInserted,
      lastSequence: event.sequence - 1,
      digestSequence: null,
      since: inserted?.eventTime ?? event.eventTime,
      message:
        `${range(firstInserted, event.sequence - 1)} inserted (or moved): ` +
        `eventTime ${iso(inserted?.eventTime)}; the genuine sequence ${event.sequence} ` +
        `(eventTime ${iso(event.eventTime)}) chains directly to ` +
        (anchor === null ? 'the start of the trail' : `sequence ${anchor.sequence}`),
    }
  }
  return {
    kind: 'modified',
    firstSequence: event.sequence,
    lastSequence: event.sequence,
    digestSequence: null,
    since: event.eventTime,
    message:
      `sequence ${event.sequence} modified: eventTime ${iso(event.eventTime)}; its record no ` +
      `longer matches its hash after sequence ${previous?.sequence ?? 0}`,
  }
}

function checkHead(head: SealedHead, actual: string, problems: TrailProblem[]): void {
  const { digest } = head
  if (digest.headHash === actual) return
  problems.push({
    kind: 'digest-head',
    firstSequence: digest.firstSequence,
    lastSequence: digest.lastSequence,
    digestSequence: digest.digestSequence,
    since: parseTime(digest.firstEventTime),
    message:
      `digest ${digest.digestSequence} (sealed ${digest.digestEndTime}) does not match: it sealed ` +
      `sequence ${digest.lastSequence} with hash ${digest.headHash}, the trail has ${actual}; ` +
      `the chain was rewritten at or before sequence ${digest.lastSequence}` +
      (digest.recordCount === 0
        ? ''
        : ` (this digest covers ${range(digest.firstSequence, digest.lastSequence)}, eventTime ` +
          `${digest.firstEventTime ?? '?'} to ${digest.lastEventTime ?? '?'})`),
  })
}

/**
 * Checks each digest on its own and against the one before; returns those whose sealed heads
 * can be trusted (signed, well-formed) for the check against the records.
 */
function checkDigests(
  digests: readonly VerifiableDigest[],
  publicKey: KeyObject | null,
  problems: TrailProblem[],
): SealedHead[] {
  const trusted: SealedHead[] = []
  let previous: { stored: VerifiableDigest; digest: TrailDigest | null } | null = null
  for (const stored of digests) {
    const expected = (previous?.stored.sequence ?? 0) + 1
    if (stored.sequence > expected) {
      problems.push(
        digestProblem(
          'digest-chain',
          stored.sequence,
          null,
          `digests ${expected} to ` +
            `${stored.sequence - 1} deleted: the digests jump from ${expected - 1} to ${stored.sequence}`,
        ),
      )
    }
    let digest: TrailDigest
    try {
      digest = parseTrailDigest(stored.body)
    } catch (err) {
      problems.push(
        digestProblem(
          'digest-invalid',
          stored.sequence,
          null,
          `digest ${stored.sequence} is ` + `not a valid digest: ${(err as Error).message}`,
        ),
      )
      previous = { stored, digest: null }
      continue
    }
    const since = parseTime(digest.firstEventTime)
    if (publicKey === null) {
      problems.push(
        digestProblem(
          'digest-signature',
          stored.sequence,
          since,
          `digest ${stored.sequence} ` + 'cannot be checked: there is no public key',
        ),
      )
    } else if (!verifyTrailDigestSignature(stored.body, stored.signature, publicKey)) {
      problems.push(
        digestProblem(
          'digest-signature',
          stored.sequence,
          since,
          `digest ${stored.sequence} ` +
            `(sealed ${digest.digestEndTime}) has a signature that does not verify: it was ` +
            'altered, or signed by another key',
        ),
      )
      previous = { stored, digest }
      continue
    }
    const previousHash = previous === null ? GENESIS_HASH : trailDigestHash(previous.stored.body)
    const previousLast = previous?.digest?.lastSequence ?? 0
    if (digest.digestSequence !== stored.sequence) {
      problems.push(
        digestProblem(
          'digest-chain',
          stored.sequence,
          since,
          `digest ${stored.sequence} ` +
            `says it is digest ${digest.digestSequence}: digests were moved`,
        ),
      )
    } else if (digest.previousDigestHash !== previousHash) {
      problems.push(
        digestProblem(
          'digest-chain',
          stored.sequence,
          since,
          `digest ${stored.sequence} does ` +
            `not chain to digest ${stored.sequence - 1}: a digest was removed or replaced`,
        ),
      )
    } else if (previous?.digest !== null && digest.firstSequence !== previousLast + 1) {
      problems.push(
        digestProblem(
          'digest-chain',
          stored.sequence,
          since,
          `digest ${stored.sequence} ` +
            `starts at sequence ${digest.firstSequence}, not ${previousLast + 1}`,
        ),
      )
    }
    trusted.push({ digest })
    previous = { stored, digest }
  }
  return trusted
}

function digestProblem(
  kind: TrailProblemKind,
  digestSequence: number,
  since: Date | null,
  message: string,
): TrailProblem {
  return { kind, firstSequence: null, lastSequence: null, digestSequence, since, message }
}
