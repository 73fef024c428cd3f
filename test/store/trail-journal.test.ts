/**
 * The trail's journal (src/store/sqlite/trail-journal.ts): records written to a process's file
 * before the trail has them, appended exactly once whoever appends them (the process's own batch,
 * or another store taking them from the file), files removed once nobody writes them, and every
 * record's line read back as it was written.
 */
import assert from 'node:assert/strict'
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  TRAIL_ACCOUNT,
  assertChain,
  readWholeTrail,
  trailEvent,
} from '../../src/store/conformance/trail/trail-harness.js'
import { journalDirOf, openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import {
  TrailJournal,
  TrailJournalFile,
  decodeJournalLine,
  decodeJournalLines,
  encodeJournalLine,
  parseJournalName,
} from '../../src/store/sqlite/trail-journal.js'

const root = mkdtempSync(join(tmpdir(), 'gatehouse-trail-journal-'))
after(() => rmSync(root, { recursive: true, force: true }))

let count = 0
/** A new trail file and its journal directory. */
function newTrail(): { filename: string; journalDir: string } {
  count += 1
  const filename = join(root, `trail-${count}.db`)
  const journalDir = journalDirOf(filename)
  mkdirSync(journalDir)
  return { filename, journalDir }
}

/** A pid no process has: past the kernel's largest. */
const DEAD_PID = 4_194_305

/**
 * Two lines as earlier versions wrote them (the record as a JSON string inside the array): those
 * of trailEvent(7) with a resource and an access, and of trailEvent(8).
 */
const OLDER_LINES =
  String.raw`["6f1c2a3b-0000-4000-8000-000000000007",1767225607000,"GetUser","iam.amazonaws.com",true,"alice","AKIAIOSFODNN7EXAMPLE",[{"type":"AWS::IAM::User","name":"bob"}],"111122223333","{\"eventVersion\":\"1.08\",\"eventID\":\"6f1c2a3b-0000-4000-8000-000000000007\",\"eventTime\":\"2026-01-01T00:00:07Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"GetUser\",\"readOnly\":true,\"recipientAccountId\":\"111122223333\"}",{"entityId":"AIDAX","service":"iam","action":"GetUser","region":"us-east-1"}]` +
  '\n' +
  String.raw`["6f1c2a3b-0000-4000-8000-000000000008",1767225608000,"GetUser","iam.amazonaws.com",true,"alice","AKIAIOSFODNN7EXAMPLE",[],"111122223333","{\"eventVersion\":\"1.08\",\"eventID\":\"6f1c2a3b-0000-4000-8000-000000000008\",\"eventTime\":\"2026-01-01T00:00:08Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"GetUser\",\"readOnly\":true,\"recipientAccountId\":\"111122223333\"}",null]` +
  '\n'

describe('trail journal', () => {
  it('reads back each line as the event written, whatever its record holds', () => {
    const events = [
      trailEvent(0),
      trailEvent(1, {
        record: '{"a":"line\\nbreak","b":"tab\\t","c":"ünïcödé ✓ 𝄞"}\n\t raw',
        resources: [{ type: 'AWS::IAM::User', name: 'bob' }],
        accountId: null,
        username: null,
        accessKeyId: null,
        access: { entityId: 'AIDAX', service: 'iam', action: 'GetUser', region: 'eu-west-1' },
      }),
      trailEvent(2, { record: '\t{"tab":"\t","c":"ünïcödé ✓ 𝄞"}\t' }),
      // A lone surrogate, which UTF-8 cannot hold, and a carriage return.
      trailEvent(3, { record: '{"a":"\ud800 \udc00\r"}', username: '\udc00\n\t' }),
    ]
    for (const event of events) {
      const line = encodeJournalLine(event)
      assert.ok(line.endsWith('\n'))
      assert.equal(line.indexOf('\n'), line.length - 1, 'one line per event')
      assert.deepEqual(decodeJournalLine(line.slice(0, -1)), event)
    }
    // As the trail's thread and a reader of the file get them: bytes, several lines at once.
    const bytes = Buffer.from(events.map(encodeJournalLine).join(''), 'utf8')
    assert.deepEqual(decodeJournalLines(bytes), events)
    assert.throws(() => decodeJournalLine('[1,2]'), /not an event/)
    assert.throws(() => decodeJournalLine('[1,2]\t{}'), /not an event/)
  })

  it('writes the members before the record exactly as JSON.stringify writes them', () => {
    const awkward = 'q"uote \\ back\u0001 ünï 𝄞 \ud800 </x>'
    const events = [
      trailEvent(0),
      trailEvent(1, {
        resources: [
          { type: 'AWS::IAM::User', name: 'bob' },
          { type: 'AWS::IAM::Role', name: awkward },
          { type: awkward, name: '' },
        ],
        access: { entityId: 'AIDAX', service: awkward, action: 'GetUser', region: 'eu-west-1' },
        username: awkward,
      }),
      trailEvent(2, { resources: [], accountId: null, accessKeyId: null, readOnly: false }),
    ]
    for (const event of events) {
      const line = encodeJournalLine(event)
      const expected = JSON.stringify([
        event.eventId,
        event.eventTime.getTime(),
        event.eventName,
        event.eventSource,
        event.readOnly,
        event.username,
        event.accessKeyId,
        event.resources,
        event.accountId,
        event.access ?? null,
      ])
      assert.equal(line.slice(0, line.indexOf('\t')), expected)
    }
  })

  it("writes a record as it is, after the event's other members", () => {
    const event = trailEvent(0, { resources: [{ type: 'AWS::IAM::User', name: 'bob' }] })
    const line = encodeJournalLine(event)
    assert.equal(line.slice(line.indexOf('\t') + 1), `${event.record}\n`)
    assert.deepEqual(JSON.parse(line.slice(0, line.indexOf('\t'))), [
      event.eventId,
      event.eventTime.getTime(),
      'GetUser',
      'iam.amazonaws.com',
      true,
      'alice',
      'AKIAIOSFODNN7EXAMPLE',
      [{ type: 'AWS::IAM::User', name: 'bob' }],
      TRAIL_ACCOUNT,
      null,
    ])
  })

  it('reads the lines of earlier versions, their records inside the array', async () => {
    const access = { entityId: 'AIDAX', service: 'iam', action: 'GetUser', region: 'us-east-1' }
    const first = trailEvent(7, { resources: [{ type: 'AWS::IAM::User', name: 'bob' }], access })
    assert.deepEqual(decodeJournalLine(OLDER_LINES.split('\n')[0] ?? ''), first)
    assert.deepEqual(decodeJournalLine(OLDER_LINES.split('\n')[1] ?? ''), trailEvent(8))
    // A file of them left by a process that died (an upgrade after a crash) is taken in.
    const { filename, journalDir } = newTrail()
    writeFileSync(join(journalDir, `${DEAD_PID}-0b0b0b0b-1.log`), OLDER_LINES)
    const store = openSqliteTrailStore({ filename, journalDir })
    try {
      const trail = await readWholeTrail(store)
      assert.deepEqual(
        trail.map((e) => e.record),
        [first.record, trailEvent(8).record],
      )
      assertChain(trail)
      assert.deepEqual(readdirSync(journalDir), [])
    } finally {
      await store.close()
    }
  })

  it('names files by process, tag and generation', () => {
    assert.deepEqual(parseJournalName('123-0a1b2c3d-7.log'), {
      pid: 123,
      tag: '123-0a1b2c3d',
      generation: 7,
    })
    for (const other of ['x.log', '123-0a1b2c3d-7.txt', '123-zzzzzzzz-1.log']) {
      assert.equal(parseJournalName(other), undefined, other)
    }
  })

  it("appends a process's batches once, and removes its file when it closes", async () => {
    const { filename, journalDir } = newTrail()
    const store = openSqliteTrailStore({ filename, journalDir })
    const journal = new TrailJournal(journalDir, store)
    try {
      await journal.write([trailEvent(0), trailEvent(1)])
      await journal.write([trailEvent(2)])
      assert.equal(readdirSync(journalDir).length, 1)
      await journal.close()
      assert.deepEqual(readdirSync(journalDir), [])
      const trail = await readWholeTrail(store)
      assert.deepEqual(
        trail.map((e) => e.eventName + e.eventTime.getTime()),
        [0, 1, 2].map((n) => trailEvent(n).eventName + trailEvent(n).eventTime.getTime()),
      )
      assertChain(trail)
    } finally {
      await store.close()
    }
  })

  it('appends nothing twice when another store took the records from the file first', async () => {
    const { filename, journalDir } = newTrail()
    const own = openSqliteTrailStore({ filename, journalDir })
    const other = openSqliteTrailStore({ filename, journalDir })
    try {
      const file = new TrailJournalFile(journalDir)
      const first = file.write([trailEvent(0), trailEvent(1)])
      // A lookup on another process takes the file's lines before this process's batch lands.
      await other.lookupTrailEvents({ accountId: TRAIL_ACCOUNT })
      await own.appendJournaled(first)
      const second = file.write([trailEvent(2)])
      await own.appendJournaled(second)
      const trail = await readWholeTrail(own)
      assert.equal(trail.length, 3)
      assertChain(trail)
      file.close()
      await own.finishJournals(file.finished)
      assert.deepEqual(readdirSync(journalDir), [])
    } finally {
      await own.close()
      await other.close()
    }
  })

  it('takes only whole lines from a file still being written', async () => {
    const { filename, journalDir } = newTrail()
    const store = openSqliteTrailStore({ filename, journalDir })
    try {
      const file = new TrailJournalFile(journalDir)
      file.write([trailEvent(0)])
      // Half of a line, as another process's reader may see a write in progress.
      const line = encodeJournalLine(trailEvent(1))
      appendFileSync(join(journalDir, file.name), line.slice(0, 40))
      store.takeJournals()
      assert.equal((await readWholeTrail(store)).length, 1)
      appendFileSync(join(journalDir, file.name), line.slice(40))
      store.takeJournals()
      assert.equal((await readWholeTrail(store)).length, 2)
      // Still written by a live process (this one): the file stays.
      assert.deepEqual(readdirSync(journalDir), [file.name])
      file.close()
    } finally {
      await store.close()
    }
  })

  it('takes in the files a dead process left, torn last line aside, and removes them', async () => {
    const { filename, journalDir } = newTrail()
    const first = openSqliteTrailStore({ filename, journalDir })
    await first.appendTrailEvents([trailEvent(0)])
    await first.close()
    const name = `${DEAD_PID}-0a0b0c0d-1.log`
    writeFileSync(
      join(journalDir, name),
      encodeJournalLine(trailEvent(1)) +
        encodeJournalLine(trailEvent(2)) +
        encodeJournalLine(trailEvent(3)).slice(0, 25),
    )
    const reopened = openSqliteTrailStore({ filename, journalDir })
    try {
      const trail = await readWholeTrail(reopened)
      assert.equal(trail.length, 3)
      assertChain(trail)
      assert.deepEqual(readdirSync(journalDir), [])
    } finally {
      await reopened.close()
    }
  })

  it('removes a full file once the process has moved on to its next one', async () => {
    const { filename, journalDir } = newTrail()
    const store = openSqliteTrailStore({ filename, journalDir })
    try {
      const tag = `${process.pid}-0f0e0d0c`
      writeFileSync(join(journalDir, `${tag}-1.log`), encodeJournalLine(trailEvent(0)))
      writeFileSync(join(journalDir, `${tag}-2.log`), encodeJournalLine(trailEvent(1)))
      store.takeJournals()
      assert.deepEqual(readdirSync(journalDir), [`${tag}-2.log`])
      assert.deepEqual(
        (await readWholeTrail(store)).map((e) => e.eventId),
        [trailEvent(0).eventId, trailEvent(1).eventId],
      )
    } finally {
      await store.close()
    }
  })

  it("appends nothing twice when another process removed a finished file before its owner's batches arrived", async () => {
    const { filename, journalDir } = newTrail()
    const own = openSqliteTrailStore({ filename, journalDir })
    const other = openSqliteTrailStore({ filename, journalDir })
    try {
      // Every batch starts a new file: the first file is finished once the second exists.
      const file = new TrailJournalFile(journalDir, 1)
      const first = file.write([trailEvent(0), trailEvent(1)])
      const second = file.write([trailEvent(2)])
      // Another process takes both files in and removes the first, which nobody writes now.
      other.takeJournals()
      assert.deepEqual(readdirSync(journalDir), [second.journal])
      // The owner's batches arrive late, one of them for a file that is gone.
      await own.appendJournaled(first)
      await own.appendJournaled(second)
      const trail = await readWholeTrail(own)
      assert.equal(trail.length, 3)
      assert.equal(new Set(trail.map((e) => e.eventId)).size, 3)
      assertChain(trail)
      file.close()
      await own.finishJournals(file.finished)
      assert.deepEqual(readdirSync(journalDir), [])
    } finally {
      await own.close()
      await other.close()
    }
  })

  it('takes a batch whose file is gone and not yet appended as nothing, without failing', async () => {
    const { filename, journalDir } = newTrail()
    const store = openSqliteTrailStore({ filename, journalDir })
    try {
      // As when another process removed the file between listing the directory and opening it.
      await store.appendJournaled({
        journal: `${process.pid}-00000000-1.log`,
        start: 10,
        end: 20,
        events: [trailEvent(0)],
      })
      assert.deepEqual(await readWholeTrail(store), [])
    } finally {
      await store.close()
    }
  })

  it('refuses an event without a valid time, as an append does', () => {
    const { journalDir } = newTrail()
    const file = new TrailJournalFile(journalDir)
    try {
      assert.throws(
        () => file.write([trailEvent(0, { eventTime: new Date(Number.NaN) })]),
        RangeError,
      )
    } finally {
      file.close()
    }
  })
})
