/**
 * The audit trail's digests on SQLite: rows of the trail's own database (trail_digests, see
 * trail-migrations/002-digests.sql), beside the events they seal. This file only stores and
 * reads them; what a digest says and how it is signed is src/audit/trail-digest.ts's, which the
 * store may not import, so sealing hands the unsealed records to a callback that builds the
 * signed text.
 */
import type { SqliteTrailStore } from './sqlite-trail-store.js'

/** A digest as stored: its signed text and its signature, unparsed. */
export interface StoredTrailDigest {
  /** 1, 2, 3... in order of sealing. */
  readonly sequence: number
  /** The signed text, exactly as signed. */
  readonly body: string
  /** The signature over `body`'s UTF-8 bytes, base64. */
  readonly signature: string
}

/** One event as the chain sees it: what its hash covers, and where it sits. */
export interface TrailChainRow {
  readonly sequence: number
  readonly eventTime: Date
  readonly record: string
  readonly hash: string
}

/** What a new digest covers: the events appended since the last digest. */
export interface UnsealedTrail {
  /** The new digest's sequence. */
  readonly digestSequence: number
  /** The newest digest, or null if there is none. */
  readonly previous: StoredTrailDigest | null
  /** The last event sequence the previous digest covers (0 if none). */
  readonly previousLastSequence: number
  /** The events after it, in order; read inside the sealing transaction. */
  readonly events: () => Iterable<TrailChainRow>
}

/** What the callback of sealTrail returns: the new digest's text and signature. */
export interface NewTrailDigest {
  readonly body: string
  readonly signature: string
  /** The last event sequence it covers. */
  readonly lastSequence: number
}

interface DigestRow {
  readonly sequence: number
  readonly last_sequence: number
  readonly body: string
  readonly signature: string
}

interface ChainRow {
  readonly sequence: number
  readonly event_time: number
  readonly record: string
  readonly hash: string
}

/** Every digest of the trail, in order of sealing. */
export function readTrailDigests(store: SqliteTrailStore): readonly StoredTrailDigest[] {
  const rows = store.database
    .prepare('SELECT sequence, last_sequence, body, signature FROM trail_digests ORDER BY sequence')
    .all() as DigestRow[]
  return rows.map((row) => ({ sequence: row.sequence, body: row.body, signature: row.signature }))
}

/**
 * Seals the trail: under the write lock (BEGIN IMMEDIATE, so neither an append nor another seal
 * slips in between reading the unsealed events and recording their digest), calls `build` with
 * them and appends the digest it returns. Returns the stored digest.
 */
export function sealTrail(
  store: SqliteTrailStore,
  build: (unsealed: UnsealedTrail) => NewTrailDigest,
  now: Date,
): StoredTrailDigest {
  const db = store.database
  const last = db.prepare(
    'SELECT sequence, last_sequence, body, signature FROM trail_digests ORDER BY sequence DESC LIMIT 1',
  )
  const after = db.prepare(
    'SELECT sequence, event_time, record, hash FROM trail_events WHERE sequence > ? ORDER BY sequence',
  )
  const insert = db.prepare(
    'INSERT INTO trail_digests (sequence, last_sequence, body, signature, created_at) VALUES (?, ?, ?, ?, ?)',
  )
  const seal = db.transaction((): StoredTrailDigest => {
    const previous = last.get() as DigestRow | undefined
    const previousLastSequence = previous?.last_sequence ?? 0
    const digestSequence = (previous?.sequence ?? 0) + 1
    const built = build({
      digestSequence,
      previous:
        previous === undefined
          ? null
          : { sequence: previous.sequence, body: previous.body, signature: previous.signature },
      previousLastSequence,
      events: function* () {
        for (const row of after.iterate(previousLastSequence) as IterableIterator<ChainRow>) {
          yield {
            sequence: row.sequence,
            eventTime: new Date(row.event_time),
            record: row.record,
            hash: row.hash,
          }
        }
      },
    })
    insert.run(digestSequence, built.lastSequence, built.body, built.signature, now.getTime())
    return { sequence: digestSequence, body: built.body, signature: built.signature }
  })
  return seal.immediate()
}
