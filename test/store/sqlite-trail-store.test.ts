/**
 * The SQLite trail store: the trail conformance suite on files and on `:memory:`, then what only
 * this backend can show: WAL with synchronous=NORMAL, the chain continuing across a reopen and
 * across connections sharing the file, the schema refusing to rewrite history, and every lookup
 * served by an index in order, without sorting.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runTrailConformance } from '../../src/store/conformance/trail/run-trail-conformance.js'
import {
  TRAIL_ACCOUNT,
  assertChain,
  readWholeTrail,
  trailEvent,
} from '../../src/store/conformance/trail/trail-harness.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import { lookupStatement } from '../../src/store/sqlite/trail-lookup.js'
import type { TrailQuery } from '../../src/store/trail-store.js'

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
  'no attribute': 'trail_events_time',
  EventId: 'trail_events_event_id',
  EventName: 'trail_events_event_name',
  ReadOnly: 'trail_events_read_only',
  Username: 'trail_events_username',
  ResourceType: 'trail_event_resources_type',
  ResourceName: 'trail_event_resources_name',
  EventSource: 'trail_events_event_source',
  AccessKeyId: 'trail_events_access_key_id',
}

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
      const db = store.database
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

  for (const query of QUERY_SHAPES) {
    const shape = query.attribute?.key ?? 'no attribute'
    const index = INDEXES[shape]
    it(`looks up by ${shape} through an index, in order, without sorting`, async () => {
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
          const sorts = plan.filter((d) => d.includes('TEMP B-TREE'))
          // The resource lookups sort their page (at most 51 rows) after the join, no more.
          if (query.attribute?.key.startsWith('Resource') === true) {
            assert.ok(sorts.length <= 1, details)
          } else {
            assert.deepEqual(sorts, [], details)
          }
        }
      } finally {
        await store.close()
      }
    })
  }
})
