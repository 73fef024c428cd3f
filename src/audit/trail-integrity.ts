/**
 * The audit trail's integrity on a data directory: sealing the records not yet covered by a
 * digest, and verifying the whole trail. Wires the SQLite trail (its own file, trail.db), its
 * digests and the signing key together for the `gatehouse trail` command and, later, the server's
 * periodic sealing.
 */
import type { KeyObject } from 'node:crypto'
import { journalDirOf, openSqliteTrailStore } from '../store/sqlite/sqlite-trail-store.js'
import type { SqliteTrailStore } from '../store/sqlite/sqlite-trail-store.js'
import { readTrailDigests, sealTrail } from '../store/sqlite/trail-digests.js'
import type { StoredTrailEvent } from '../store/trail-store.js'
import { buildTrailDigest, parseTrailDigest } from './trail-digest.js'
import type { TrailDigest } from './trail-digest.js'
import type { TrailSigningKey } from './trail-signing-key.js'
import { verifyTrail } from './verify-trail.js'
import type { TrailVerification } from './verify-trail.js'

/** Records read per page while verifying: bounded memory on a trail of any length. */
const PAGE = 1000

async function* allEvents(store: SqliteTrailStore): AsyncGenerator<StoredTrailEvent> {
  let after = 0
  for (;;) {
    const page = await store.readTrailEvents(after, PAGE)
    yield* page
    const last = page[page.length - 1]
    if (last === undefined || page.length < PAGE) return
    after = last.sequence
  }
}

async function withTrail<T>(file: string, fn: (store: SqliteTrailStore) => Promise<T>): Promise<T> {
  const store = openSqliteTrailStore({ filename: file, journalDir: journalDirOf(file) })
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

/**
 * Seals the trail in `file`: one digest over the records appended since the last digest (none
 * when nothing was appended, which still records that nothing was). TrailSealError if those
 * records do not chain, since a digest over them would vouch for tampering.
 */
export function sealTrailFile(
  file: string,
  key: TrailSigningKey,
  now: Date = new Date(),
): Promise<TrailDigest> {
  return withTrail(file, (store) => {
    const stored = sealTrail(store, (unsealed) => buildTrailDigest(unsealed, key, now), now)
    return Promise.resolve(parseTrailDigest(stored.body))
  })
}

/** Verifies the whole trail in `file` against `publicKey` (null: no key, digests unchecked). */
export function verifyTrailFile(
  file: string,
  publicKey: KeyObject | null,
): Promise<TrailVerification> {
  return withTrail(file, (store) =>
    verifyTrail(allEvents(store), readTrailDigests(store), publicKey),
  )
}
