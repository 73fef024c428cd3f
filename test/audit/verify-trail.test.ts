/**
 * verifyTrail on trails built in memory with the real chain function and real Ed25519 digests,
 * each then tampered with one way: every way must be named with its sequences and time.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import { buildTrailDigest, parseTrailDigest } from '../../src/audit/trail-digest.js'
import { verifyTrail } from '../../src/audit/verify-trail.js'
import type { VerifiableDigest, VerifiableEvent } from '../../src/audit/verify-trail.js'
import { GENESIS_HASH, chainHash } from '../../src/store/trail-hash.js'

const keys = generateKeyPairSync('ed25519')
const otherKeys = generateKeyPairSync('ed25519')
const T0 = Date.parse('2026-03-01T10:00:00.000Z')
const time = (sequence: number): Date => new Date(T0 + sequence * 60_000)

function chain(records: readonly { sequence: number; record: string }[]): VerifiableEvent[] {
  let previous = GENESIS_HASH
  return records.map(({ sequence, record }) => {
    previous = chainHash(previous, record)
    return { sequence, eventTime: time(sequence), record, hash: previous }
  })
}

function trail(count: number): VerifiableEvent[] {
  return chain(
    Array.from({ length: count }, (_, i) => ({
      sequence: i + 1,
      record: JSON.stringify({ eventName: 'CreateUser', n: i + 1 }),
    })),
  )
}

/** Digests sealing the trail through each of `through`, in order. */
function seal(events: readonly VerifiableEvent[], through: readonly number[]): VerifiableDigest[] {
  const digests: VerifiableDigest[] = []
  let last = 0
  for (const upTo of through) {
    const previous = digests[digests.length - 1] ?? null
    const built = buildTrailDigest(
      {
        digestSequence: digests.length + 1,
        previous,
        previousLastSequence: last,
        events: () => events.filter((e) => e.sequence > last && e.sequence <= upTo),
      },
      keys,
      new Date(T0 + upTo * 60_000 + 1000),
    )
    digests.push({ sequence: digests.length + 1, body: built.body, signature: built.signature })
    last = upTo
  }
  return digests
}

const events = trail(12)
const digests = seal(events, [5, 10])

describe('verifyTrail', () => {
  it('finds nothing wrong with an untampered trail, and says how far it is sealed', async () => {
    const result = await verifyTrail(events, digests, keys.publicKey)
    assert.deepEqual(result.problems, [])
    assert.equal(result.records, 12)
    assert.equal(result.lastSequence, 12)
    assert.equal(result.sealedThrough, 10)
    assert.equal(result.since, null)
  })

  it('accepts an async iterable of events', async () => {
    const result = await verifyTrail(
      (async function* () {
        for (const e of events) yield await Promise.resolve(e)
      })(),
      digests,
      keys.publicKey,
    )
    assert.deepEqual(result.problems, [])
  })

  const cases: {
    name: string
    tamper: () => { events: VerifiableEvent[]; digests?: VerifiableDigest[] }
    kinds: string[]
    first: RegExp
    since: Date | null
  }[] = [
    {
      name: 'a record whose text was changed',
      tamper: () => ({
        events: events.map((e) => (e.sequence === 4 ? { ...e, record: '{"forged":true}' } : e)),
      }),
      kinds: ['modified'],
      first: /^sequence 4 modified: eventTime 2026-03-01T10:04:00.000Z/,
      since: time(4),
    },
    {
      name: 'a deleted record',
      tamper: () => ({ events: events.filter((e) => e.sequence !== 7) }),
      kinds: ['deleted'],
      first:
        /^sequence 7 deleted: missing between sequence 6 \(eventTime 2026-03-01T10:06:00.000Z\) and sequence 8 \(eventTime 2026-03-01T10:08:00.000Z\)/,
      since: time(6),
    },
    {
      name: 'deleted records at the start',
      tamper: () => ({ events: events.filter((e) => e.sequence > 2) }),
      kinds: ['deleted'],
      first: /^sequences 1 to 2 deleted: missing between the start of the trail and sequence 3/,
      since: time(3),
    },
    {
      name: 'a forged record inserted with a recomputed hash (later records renumbered)',
      tamper: () => {
        const forgedHash = chainHash(events[2]!.hash, '{"forged":true}')
        const forged = {
          sequence: 4,
          eventTime: time(3.5),
          record: '{"forged":true}',
          hash: forgedHash,
        }
        const shifted = events.slice(3).map((e) => ({ ...e, sequence: e.sequence + 1 }))
        return { events: [...events.slice(0, 3), forged, ...shifted] }
      },
      // The renumbering also moves digest 1's head (sequence 5) and digest 2's (10).
      kinds: ['inserted', 'digest-head', 'digest-head'],
      first:
        /^sequence 4 inserted \(or moved\): eventTime 2026-03-01T10:03:30.000Z; the genuine sequence 5/,
      // Digest 1 covers sequences 1 to 5 and can only say the change is among them.
      since: time(1),
    },
    {
      name: 'a chain recomputed consistently after a change',
      tamper: () => {
        const records = events.map((e) => ({
          sequence: e.sequence,
          record: e.sequence === 8 ? '{"forged":true}' : e.record,
        }))
        return { events: chain(records) }
      },
      kinds: ['digest-head'],
      first:
        /^digest 2 \(sealed .*\) does not match: it sealed sequence 10 with hash [0-9a-f]{64}, the trail has [0-9a-f]{64}; the chain was rewritten at or before sequence 10 \(this digest covers sequences 6 to 10, eventTime 2026-03-01T10:06:00.000Z to 2026-03-01T10:10:00.000Z\)/,
      since: time(6),
    },
    {
      name: 'the sealed tail cut off',
      tamper: () => ({ events: events.filter((e) => e.sequence <= 8) }),
      kinds: ['deleted'],
      first:
        /^sequences 9 to 10 deleted: digest 2 sealed them .* but the trail ends at sequence 8 \(eventTime 2026-03-01T10:08:00.000Z\)/,
      since: time(8),
    },
    {
      name: 'a digest whose text was changed',
      tamper: () => {
        const d = digests[0]!
        const body = d.body.replace(/"recordCount":5/, '"recordCount":5 ')
        return { events, digests: [{ ...d, body }, digests[1]!] }
      },
      // Digest 2 chains to digest 1's text as it was signed.
      kinds: ['digest-signature', 'digest-chain'],
      first: /^digest 1 \(sealed .*\) has a signature that does not verify/,
      since: time(1),
    },
    {
      name: 'a deleted digest',
      tamper: () => ({ events, digests: [digests[1]!] }),
      kinds: ['digest-chain', 'digest-chain'],
      first: /^digests 1 to 1 deleted/,
      since: time(6),
    },
  ]

  for (const c of cases) {
    it(`names ${c.name}`, async () => {
      const tampered = c.tamper()
      const result = await verifyTrail(tampered.events, tampered.digests ?? digests, keys.publicKey)
      assert.deepEqual(
        result.problems.map((p) => p.kind),
        c.kinds,
        result.problems.map((p) => p.message).join('\n'),
      )
      assert.match(result.problems[0]!.message, c.first)
      assert.deepEqual(result.since, c.since)
    })
  }

  it('reports digests signed by another key', async () => {
    const result = await verifyTrail(events, digests, otherKeys.publicKey)
    assert.deepEqual(
      result.problems.map((p) => p.kind),
      ['digest-signature', 'digest-signature'],
    )
  })

  it('reports digests it cannot check without a public key', async () => {
    const result = await verifyTrail(events, digests, null)
    assert.match(result.problems[0]!.message, /cannot be checked: there is no public key/)
  })
})

describe('buildTrailDigest', () => {
  it('covers the range after the previous digest and chains to it', () => {
    const second = parseTrailDigest(digests[1]!.body)
    assert.equal(second.firstSequence, 6)
    assert.equal(second.lastSequence, 10)
    assert.equal(second.recordCount, 5)
    assert.equal(second.headHash, events[9]!.hash)
    assert.equal(second.firstEventTime, time(6).toISOString())
    assert.equal(second.digestStartTime, parseTrailDigest(digests[0]!.body).digestEndTime)
  })

  it('seals a quiet period with no records', () => {
    const [quiet] = seal(events, [12, 12]).slice(1)
    const digest = parseTrailDigest(quiet!.body)
    assert.equal(digest.recordCount, 0)
    assert.equal(digest.firstSequence, 13)
    assert.equal(digest.lastSequence, 12)
  })

  it('refuses to seal records that do not chain', () => {
    const broken = events.map((e) => (e.sequence === 3 ? { ...e, record: 'x' } : e))
    assert.throws(
      () =>
        buildTrailDigest(
          { digestSequence: 1, previous: null, previousLastSequence: 0, events: () => broken },
          keys,
          new Date(),
        ),
      /refusing to seal: sequence 3 does not chain to sequence 2/,
    )
  })
})
