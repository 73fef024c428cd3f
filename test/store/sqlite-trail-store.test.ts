/**
 * The SQLite trail store: the trail conformance suite on files and on `:memory:`, then what only
 * this backend can show: WAL with synchronous=NORMAL, the chain continuing across a reopen and
 * across connections sharing the file, the schema refusing to rewrite history, the lookup index
 * filled off the append path (in bulk, when appends pause, and before every lookup), and every
 * lookup served by an index in order.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { runTrailConformance } from '../../src/store/conformance/trail/run-trail-conformance.js'
import {
  OTHER_TRAIL_ACCOUNT,
  TRAIL_ACCOUNT,
  TRAIL_START,
  assertChain,
  eventIdOf,
  readWholeTrail,
  trailEvent,
} from '../../src/store/conformance/trail/trail-harness.js'
import {
  INDEX_BATCH,
  INDEX_IDLE_MS,
  openSqliteTrailStore,
} from '../../src/store/sqlite/sqlite-trail-store.js'
import type { SqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import { lookupStatement } from '../../src/store/sqlite/trail-lookup.js'
import type { TrailEvent, TrailQuery, TrailStore } from '../../src/store/trail-store.js'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-sqlite-trail-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function newFile(): string {
  files += 1
  return join(dir, `trail-${files}.db`)
}

runTrailConformance({
  name: 'sqlite file',
  create: () => openSqliteTrailStore({ filename: newFile() }),
})

runTrailConformance({
  name: 'sqlite :memory:',
  create: () => openSqliteTrailStore({ filename: ':memory:' }),
})

/** Every query shape LookupEvents can send: no attribute, and each attribute. */
const QUERY_SHAPES: readonly TrailQuery[] = [
  { accountId: TRAIL_ACCOUNT },
  ...(
    [
      'EventId',
      'EventName',
      'ReadOnly',
      'Username',
      'ResourceType',
      'ResourceName',
      'EventSource',
      'AccessKeyId',
    ] as const
  ).map((key) => ({ accountId: TRAIL_ACCOUNT, attribute: { key, value: 'true' } })),
]

/** The index each shape of query must walk. */
const INDEXES: Record<string, string> = {
  'no attribute': 'trail_lookup_time',
  EventId: 'trail_lookup_event_id',
  EventName: 'trail_lookup_event_name',
  ReadOnly: 'trail_lookup_read_only',
  Username: 'trail_lookup_username',
  ResourceType: 'trail_event_resources_type',
  ResourceName: 'trail_event_resources_name',
  EventSource: 'trail_lookup_event_source',
  AccessKeyId: 'trail_lookup_access_key_id',
}

/** How far the lookup index has come, and how many events and resources it holds. */
function indexed(store: SqliteTrailStore): { through: number; lookup: number; resources: number } {
  return store.database
    .prepare(
      `SELECT (SELECT indexed_through FROM trail_index_state) AS through,
        (SELECT count(*) FROM trail_lookup) AS lookup,
        (SELECT count(*) FROM trail_event_resources) AS resources`,
    )
    .get() as { through: number; lookup: number; resources: number }
}

const withBob = { resources: [{ type: 'AWS::IAM::User', name: 'bob' }] }

/** Every page of a lookup of `pageSize` events: the sequences returned, in order. */
async function lookupSequences(
  store: TrailStore,
  query: Omit<TrailQuery, 'nextToken' | 'maxResults'>,
  pageSize: number,
): Promise<number[]> {
  const sequences: number[] = []
  let nextToken: string | undefined
  for (;;) {
    const page = await store.lookupTrailEvents({
      ...query,
      maxResults: pageSize,
      ...(nextToken === undefined ? {} : { nextToken }),
    })
    sequences.push(...page.events.map((e) => e.sequence))
    if (page.nextToken === null) return sequences
    nextToken = page.nextToken
  }
}

/** The sequences of `events` (sequence i + 1 for events[i]) a lookup returns, in lookup order. */
function expectedSequences(
  events: readonly TrailEvent[],
  match: (event: TrailEvent) => boolean,
): number[] {
  return events
    .map((event, i) => ({ event, sequence: i + 1 }))
    .filter(({ event }) => match(event))
    .sort(
      (a, b) =>
        b.event.eventTime.getTime() - a.event.eventTime.getTime() || b.sequence - a.sequence,
    )
    .map(({ sequence }) => sequence)
}

/** Appends the events in calls of at most 1000. */
async function appendAll(store: TrailStore, events: readonly TrailEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    await store.appendTrailEvents(events.slice(i, i + 1000))
  }
}

describe('sqlite trail store: the lookup index, off the append path', () => {
  it('appends without indexing, and a lookup indexes everything before it reads', async () => {
    const store = openSqliteTrailStore({ filename: newFile() })
    try {
      await store.appendTrailEvents([trailEvent(0, withBob), trailEvent(1)])
      // An event without an account cannot be looked up, so it is not indexed.
      await store.appendTrailEvents([trailEvent(2, { ...withBob, accountId: null })])
      assert.deepEqual(indexed(store), { through: 0, lookup: 0, resources: 0 })
      const page = await store.lookupTrailEvents({
        accountId: TRAIL_ACCOUNT,
        attribute: { key: 'ResourceName', value: 'bob' },
      })
      assert.deepEqual(
        page.events.map((e) => e.sequence),
        [1],
      )
      assert.deepEqual(indexed(store), { through: 3, lookup: 2, resources: 1 })
    } finally {
      await store.close()
    }
  })

  it('finds at once what another connection appended to the file', async () => {
    const filename = newFile()
    const writer = openSqliteTrailStore({ filename })
    const reader = openSqliteTrailStore({ filename })
    try {
      await writer.appendTrailEvents([trailEvent(0), trailEvent(1, { username: 'carol' })])
      const page = await reader.lookupTrailEvents({
        accountId: TRAIL_ACCOUNT,
        attribute: { key: 'Username', value: 'carol' },
      })
      assert.deepEqual(
        page.events.map((e) => e.sequence),
        [2],
      )
    } finally {
      await writer.close()
      await reader.close()
    }
  })

  it(`indexes in the background once ${INDEX_BATCH} events wait, and once appends pause`, async () => {
    const store = openSqliteTrailStore({ filename: newFile() })
    try {
      const batch = (from: number, n: number) =>
        Array.from({ length: n }, (_, i) => trailEvent(from + i, withBob))
      await store.appendTrailEvents(batch(0, INDEX_BATCH - 1))
      await sleep(20)
      assert.equal(indexed(store).through, 0, 'fewer than a batch wait')
      await store.appendTrailEvents(batch(INDEX_BATCH, 1))
      // Right after the append has answered (setImmediate), not at the next pause.
      for (let i = 0; i < 50 && indexed(store).through === 0; i++) await sleep(1)
      assert.deepEqual(indexed(store), {
        through: INDEX_BATCH,
        lookup: INDEX_BATCH,
        resources: INDEX_BATCH,
      })
      await store.appendTrailEvents(batch(2 * INDEX_BATCH, 3))
      await sleep(INDEX_IDLE_MS / 2)
      assert.equal(indexed(store).through, INDEX_BATCH, 'not before the pause')
      await sleep(INDEX_IDLE_MS)
      assert.equal(indexed(store).through, INDEX_BATCH + 3, 'after the pause')
    } finally {
      await store.close()
    }
  })

  it('indexes what waits when it closes', async () => {
    const filename = newFile()
    const store = openSqliteTrailStore({ filename })
    await store.appendTrailEvents([trailEvent(0, withBob), trailEvent(1)])
    await store.close()
    const reopened = openSqliteTrailStore({ filename })
    try {
      assert.deepEqual(indexed(reopened), { through: 2, lookup: 2, resources: 1 })
    } finally {
      await reopened.close()
    }
  })
})

/** trail_lookup_event_id's generations: 8192 records each (sequence >> 13). */
const GENERATION = 8192
const RECURRING_ID = eventIdOf(999_999)

/**
 * A trail of three generations in which one event id recurs: in each generation (at its first
 * and last records too), twice at one time, out of order in time, in another account, and in no
 * account.
 */
function generationsTrail(): TrailEvent[] {
  const at = (seconds: number): Date => new Date(TRAIL_START.getTime() + seconds * 1000)
  const recurring: Record<number, Partial<TrailEvent>> = {
    5: { eventTime: at(50) },
    [GENERATION - 1]: { eventTime: at(20) },
    [GENERATION]: { eventTime: at(30) },
    12_000: { eventTime: at(30) },
    [2 * GENERATION + 10]: { eventTime: at(10) },
    [2 * GENERATION + 11]: { eventTime: at(40), accountId: OTHER_TRAIL_ACCOUNT },
    [2 * GENERATION + 12]: { eventTime: at(45), accountId: null },
  }
  return Array.from({ length: 2 * GENERATION + 20 }, (_, i) => {
    const sequence = i + 1
    const fields = recurring[sequence]
    return fields === undefined
      ? trailEvent(i)
      : trailEvent(i, { ...fields, eventId: RECURRING_ID })
  })
}

describe('sqlite trail store: lookups by EventId, generation by generation', () => {
  it('finds an event id in every generation, in lookup order, page by page', async () => {
    const store = openSqliteTrailStore({ filename: ':memory:' })
    try {
      const events = generationsTrail()
      await appendAll(store, events)
      const query = {
        accountId: TRAIL_ACCOUNT,
        attribute: { key: 'EventId', value: RECURRING_ID },
      } as const
      const all = expectedSequences(
        events,
        (e) => e.eventId === RECURRING_ID && e.accountId === TRAIL_ACCOUNT,
      )
      // Newest first; of two at one time, the later appended first.
      assert.deepEqual(all, [5, 12_000, GENERATION, GENERATION - 1, 2 * GENERATION + 10])
      for (const pageSize of [1, 2, 50]) {
        assert.deepEqual(await lookupSequences(store, query, pageSize), all, `pages of ${pageSize}`)
      }
      const at = (seconds: number): Date => new Date(TRAIL_START.getTime() + seconds * 1000)
      const range = { startTime: at(20), endTime: at(30) }
      assert.deepEqual(
        await lookupSequences(store, { ...query, ...range }, 1),
        expectedSequences(
          events,
          (e) =>
            e.eventId === RECURRING_ID &&
            e.accountId === TRAIL_ACCOUNT &&
            e.eventTime >= range.startTime &&
            e.eventTime <= range.endTime,
        ),
      )
      const other = await store.lookupTrailEvents({ ...query, accountId: OTHER_TRAIL_ACCOUNT })
      assert.deepEqual(
        other.events.map((e) => e.sequence),
        [2 * GENERATION + 11],
      )
      // An ordinary id, in the last generation; and one that is nowhere.
      const last = await store.lookupTrailEvents({
        accountId: TRAIL_ACCOUNT,
        attribute: { key: 'EventId', value: eventIdOf(2 * GENERATION + 15) },
      })
      assert.deepEqual(
        last.events.map((e) => e.sequence),
        [2 * GENERATION + 16],
      )
      const none = await store.lookupTrailEvents({
        accountId: TRAIL_ACCOUNT,
        attribute: { key: 'EventId', value: eventIdOf(3 * GENERATION) },
      })
      assert.deepEqual(none, { events: [], nextToken: null })
    } finally {
      await store.close()
    }
  })

  it('carries over the EventId index of a trail written before generations', async () => {
    const filename = newFile()
    const events = generationsTrail().slice(0, GENERATION + 10)
    const query = {
      accountId: TRAIL_ACCOUNT,
      attribute: { key: 'EventId', value: RECURRING_ID },
    } as const
    const store = openSqliteTrailStore({ filename })
    await appendAll(store, events)
    const before = await lookupSequences(store, query, 1)
    // The file as schema version 5 left it: the index by account, event id and time.
    store.database.exec(`DROP INDEX trail_lookup_event_id;
      CREATE INDEX trail_lookup_event_id ON trail_lookup (account_id, event_id, event_time);
      DELETE FROM schema_version WHERE version = 6`)
    await store.close()
    const reopened = openSqliteTrailStore({ filename })
    try {
      const db = reopened.database
      assert.equal(db.prepare('SELECT max(version) FROM schema_version').pluck().get(), 6)
      const sql = db
        .prepare("SELECT sql FROM sqlite_schema WHERE name = 'trail_lookup_event_id'")
        .pluck()
        .get() as string
      assert.match(sql, /\(\(sequence >> 13\), event_id\)/)
      assert.deepEqual(before, [5, GENERATION, GENERATION - 1])
      assert.deepEqual(await lookupSequences(reopened, query, 1), before)
    } finally {
      await reopened.close()
    }
  })
})

describe('sqlite trail store', () => {
  it('opens a file in WAL mode with synchronous=NORMAL, at the latest schema', async () => {
    const store = openSqliteTrailStore({ filename: newFile() })
    try {
      const db = store.database
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
      // 1 is NORMAL: with WAL, a commit survives the process's crash without an fsync.
      assert.equal(db.pragma('synchronous', { simple: true }), 1)
      assert.deepEqual(db.prepare('SELECT version, name FROM schema_version').all(), [
        { version: 1, name: 'trail' },
        { version: 2, name: 'digests' },
        { version: 3, name: 'access-advisor' },
        { version: 4, name: 'lookup-index' },
        { version: 5, name: 'journals' },
        { version: 6, name: 'event-id-generations' },
      ])
      // Its own database: none of the IAM store's tables.
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .pluck()
        .all()
      assert.deepEqual(tables, [
        'access_jobs',
        'schema_version',
        'trail_access',
        'trail_digests',
        'trail_event_resources',
        'trail_events',
        'trail_index_state',
        'trail_journals',
        'trail_lookup',
      ])
    } finally {
      await store.close()
    }
  })

  it('continues the chain when the file is opened again', async () => {
    const filename = newFile()
    const first = openSqliteTrailStore({ filename })
    await first.appendTrailEvents([trailEvent(0), trailEvent(1)])
    await first.close()
    const second = openSqliteTrailStore({ filename })
    try {
      const [stored] = await second.appendTrailEvents([trailEvent(2)])
      assert.equal(stored?.sequence, 3)
      const trail = await readWholeTrail(second)
      assert.equal(trail.length, 3)
      assertChain(trail)
    } finally {
      await second.close()
    }
  })

  it('makes one chain of the appends of several connections to one file', async () => {
    const filename = newFile()
    // As `--workers` server processes do, each with its own connection.
    const stores = [0, 1, 2].map(() => openSqliteTrailStore({ filename }))
    try {
      for (let round = 0; round < 20; round++) {
        for (const [i, store] of stores.entries()) {
          const n = round * 10 + i
          await store.appendTrailEvents([trailEvent(n), trailEvent(n + 5)])
        }
      }
      const trail = await readWholeTrail(stores[1] ?? assert.fail())
      assert.equal(trail.length, 120)
      assertChain(trail)
    } finally {
      for (const store of stores) await store.close()
    }
  })

  it('refuses in the schema to change or delete what was appended', async () => {
    const store = openSqliteTrailStore({ filename: ':memory:' })
    try {
      await store.appendTrailEvents([
        trailEvent(0, { resources: [{ type: 'AWS::IAM::User', name: 'bob' }] }),
      ])
      // A lookup indexes the resources first, so that there is a row to refuse changing.
      await store.lookupTrailEvents({ accountId: TRAIL_ACCOUNT })
      const db = store.database
      assert.equal(db.prepare('SELECT count(*) FROM trail_event_resources').pluck().get(), 1)
      const statements = [
        "UPDATE trail_events SET record = '{}'",
        'DELETE FROM trail_events',
        "UPDATE trail_event_resources SET name = 'carol'",
        'DELETE FROM trail_event_resources',
      ]
      for (const sql of statements) {
        assert.throws(() => db.prepare(sql).run(), /the audit trail is append-only/, sql)
      }
      assertChain(await readWholeTrail(store))
    } finally {
      await store.close()
    }
  })

  it('writes none of a batch that the database refuses part of', async () => {
    const store = openSqliteTrailStore({ filename: newFile() })
    try {
      await store.appendTrailEvents([trailEvent(0)])
      // A real refusal by SQLite itself, on the batch's third event.
      store.database.exec(`CREATE TRIGGER refuse BEFORE INSERT ON trail_events
        WHEN NEW.event_name = 'Refused' BEGIN SELECT RAISE(ABORT, 'refused'); END`)
      await assert.rejects(
        store.appendTrailEvents([
          trailEvent(1),
          trailEvent(2, { resources: [{ type: 'AWS::IAM::User', name: 'bob' }] }),
          trailEvent(3, { eventName: 'Refused' }),
        ]),
        /refused/,
      )
      const count = store.database
        .prepare(
          'SELECT (SELECT count(*) FROM trail_events) + (SELECT count(*) FROM trail_event_resources)',
        )
        .pluck()
      assert.equal(count.get(), 1)
      const [next] = await store.appendTrailEvents([trailEvent(4)])
      assert.equal(next?.sequence, 2)
      assertChain(await readWholeTrail(store))
    } finally {
      await store.close()
    }
  })

  it('appends batches of any size, many rows to an INSERT, in one chain', async () => {
    const store = openSqliteTrailStore({ filename: newFile() })
    try {
      const events: TrailEvent[] = []
      for (const size of [1, 15, 16, 17, 33, 2]) {
        const batch = Array.from({ length: size }, (_, i) => trailEvent(events.length + i, withBob))
        const stored = await store.appendTrailEvents(batch)
        assert.deepEqual(
          stored.map((e) => e.sequence),
          batch.map((_, i) => events.length + i + 1),
        )
        events.push(...batch)
      }
      const trail = await readWholeTrail(store)
      assertChain(trail)
      assert.deepEqual(
        trail,
        events.map((event, i) => ({ ...event, sequence: i + 1, hash: trail[i]?.hash })),
      )
    } finally {
      await store.close()
    }
  })

  it('writes none of a batch whose refused event comes after a first INSERT of many', async () => {
    const store = openSqliteTrailStore({ filename: newFile() })
    try {
      store.database.exec(`CREATE TRIGGER refuse BEFORE INSERT ON trail_events
        WHEN NEW.event_name = 'Refused' BEGIN SELECT RAISE(ABORT, 'refused'); END`)
      const batch = Array.from({ length: 20 }, (_, i) =>
        trailEvent(i, i === 18 ? { eventName: 'Refused' } : withBob),
      )
      await assert.rejects(store.appendTrailEvents(batch), /refused/)
      assert.equal(store.database.prepare('SELECT count(*) FROM trail_events').pluck().get(), 0)
      const [next] = await store.appendTrailEvents([trailEvent(30)])
      assert.equal(next?.sequence, 1)
    } finally {
      await store.close()
    }
  })

  it('looks up resource names that JSON must escape', async () => {
    const store = openSqliteTrailStore({ filename: ':memory:' })
    try {
      const names = ['a"b', 'back\\slash', 'tab\there', 'é', '😀', '/path/to/x', '']
      await store.appendTrailEvents(
        names.map((name, i) =>
          trailEvent(i, {
            resources: [
              { type: 'AWS::IAM::User', name },
              { type: `Type "${i}"`, name: 'other' },
            ],
          }),
        ),
      )
      for (const [i, name] of names.entries()) {
        const byName = await store.lookupTrailEvents({
          accountId: TRAIL_ACCOUNT,
          attribute: { key: 'ResourceName', value: name },
        })
        assert.deepEqual(
          byName.events.map((e) => e.sequence),
          [i + 1],
          JSON.stringify(name),
        )
        const byType = await store.lookupTrailEvents({
          accountId: TRAIL_ACCOUNT,
          attribute: { key: 'ResourceType', value: `Type "${i}"` },
        })
        assert.deepEqual(
          byType.events.map((e) => e.sequence),
          [i + 1],
        )
      }
    } finally {
      await store.close()
    }
  })

  for (const query of QUERY_SHAPES) {
    const shape = query.attribute?.key ?? 'no attribute'
    const index = INDEXES[shape]
    it(`looks up by ${shape} through an index, in order, sorting one page at most`, async () => {
      const store = openSqliteTrailStore({ filename: ':memory:' })
      try {
        const bounded = { ...query, startTime: new Date(0), endTime: new Date(1e13) }
        for (const [q, after] of [
          [query, undefined],
          [bounded, { time: 5, sequence: 9 }],
        ] as const) {
          const { sql, params } = lookupStatement(q, after, 51)
          const plan = store.database
            .prepare(`EXPLAIN QUERY PLAN ${sql}`)
            .all(...params)
            .map((row) => (row as { detail: string }).detail)
          const details = plan.join('\n')
          assert.match(details, new RegExp(`USING (COVERING )?INDEX ${index}\\b`), details)
          assert.doesNotMatch(details, /SCAN trail_events(?! USING)/, details)
          assert.doesNotMatch(details, /SCAN trail_lookup(?! USING)/, details)
          // A page (at most 51 rows) is found in index order, then sorted once after the join
          // that reads its records, no more.
          const sorts = plan.filter((d) => d.includes('TEMP B-TREE'))
          assert.ok(sorts.length <= 1, details)
        }
      } finally {
        await store.close()
      }
    })
  }
})
