/**
 * `gatehouse trail` as an operator runs it: a real trail appended through the SQLite store,
 * sealed by the real command, then tampered with directly in the database file, as an attacker
 * with write access would (triggers dropped first), and verified by the real bin script.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { SqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import { chainHash } from '../../src/store/trail-hash.js'
import type { TrailEvent } from '../../src/store/trail-store.js'

const ROOT = join(import.meta.dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'gatehouse.js')
const T0 = Date.parse('2026-04-01T08:00:00.000Z')
const time = (sequence: number): string => new Date(T0 + sequence * 60_000).toISOString()

function gatehouse(args: readonly string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function event(sequence: number): TrailEvent {
  const eventTime = new Date(T0 + sequence * 60_000)
  return {
    eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    eventTime,
    eventName: 'CreateUser',
    eventSource: 'iam.amazonaws.com',
    readOnly: false,
    username: 'root',
    accessKeyId: null,
    resources: [{ type: 'AWS::IAM::User', name: `user-${sequence}` }],
    accountId: '123456789012',
    record: JSON.stringify({ eventName: 'CreateUser', eventTime, userName: `user-${sequence}` }),
  }
}

async function append(dir: string, from: number, to: number): Promise<void> {
  const store = openSqliteTrailStore({ filename: join(dir, 'trail.db') })
  const events = []
  for (let s = from; s <= to; s++) events.push(event(s))
  await store.appendTrailEvents(events)
  await store.close()
}

let pristine: string

/** The raw better-sqlite3 connection (the store's own, as the lint rules keep the driver there). */
type Db = SqliteTrailStore['database']

/**
 * A copy of the sealed trail, written as an attacker with the file would: triggers dropped, no
 * foreign keys, plain SQL on the tables.
 */
function tamper(fn: (db: Db) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-trail-'))
  cpSync(pristine, dir, { recursive: true })
  const store = openSqliteTrailStore({ filename: join(dir, 'trail.db') })
  const db = store.database
  db.pragma('foreign_keys = OFF')
  for (const { name } of db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    .all() as { name: string }[]) {
    db.exec(`DROP TRIGGER "${name}"`)
  }
  fn(db)
  void store.close()
  return dir
}

function verify(dir: string, ...extra: string[]) {
  return gatehouse(['trail', 'verify', '--data-dir', dir, ...extra])
}

describe('gatehouse trail', () => {
  before(async () => {
    pristine = mkdtempSync(join(tmpdir(), 'gatehouse-trail-'))
    await append(pristine, 1, 10)
    const first = gatehouse(['trail', 'seal', '--data-dir', pristine])
    assert.equal(first.status, 0, first.stderr)
    assert.equal(first.stdout, 'digest 1: sealed sequences 1 to 10 (10 records)\n')
    await append(pristine, 11, 15)
    const second = gatehouse(['trail', 'seal', '--data-dir', pristine])
    assert.equal(second.stdout, 'digest 2: sealed sequences 11 to 15 (5 records)\n')
    await append(pristine, 16, 18)
  })

  it('keeps the signing key readable by its owner only, and prints its public key', () => {
    assert.equal(statSync(join(pristine, 'trail-signing.key')).mode & 0o777, 0o600)
    const { status, stdout } = gatehouse(['trail', 'public-key', '--data-dir', pristine])
    assert.equal(status, 0)
    assert.match(stdout, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/)
  })

  it('exits 0 with a summary on an untampered trail', () => {
    const { status, stdout } = verify(pristine)
    assert.equal(status, 0)
    assert.equal(
      stdout,
      'trail intact: 18 records (through sequence 18), 2 digests sealing through sequence 15, 3 records not yet sealed\n',
    )
  })

  it('exits 2 on a data directory that does not exist, creating nothing', () => {
    const { status, stderr } = verify(join(pristine, 'nope'))
    assert.equal(status, 2)
    assert.match(stderr, /no data directory/)
  })

  const cases: { name: string; attack: (db: Db) => void; lines: RegExp[] }[] = [
    {
      name: "a record's text updated",
      attack: (db) =>
        db
          .prepare(
            "UPDATE trail_events SET record = replace(record, 'user-4', 'user-x') WHERE sequence = 4",
          )
          .run(),
      lines: [
        new RegExp(`^sequence 4 modified: eventTime ${time(4)}; its record no longer matches`),
        new RegExp(`untrustworthy since ${time(4)}$`),
      ],
    },
    {
      name: 'a row deleted',
      attack: (db) => db.prepare('DELETE FROM trail_events WHERE sequence = 7').run(),
      lines: [
        new RegExp(
          `^sequence 7 deleted: missing between sequence 6 \\(eventTime ${time(6)}\\) and sequence 8 \\(eventTime ${time(8)}\\)$`,
        ),
      ],
    },
    {
      name: 'a forged row inserted with a recomputed hash',
      attack: (db) => {
        // Room for it at sequence 12: the later rows move up one.
        db.prepare('UPDATE trail_events SET sequence = sequence + 1000 WHERE sequence >= 12').run()
        db.prepare('UPDATE trail_events SET sequence = sequence - 999 WHERE sequence > 1000').run()
        const { hash } = db.prepare('SELECT hash FROM trail_events WHERE sequence = 11').get() as {
          hash: string
        }
        const forged = event(12)
        const record = JSON.stringify({ eventName: 'DeleteUser', forged: true })
        db.prepare(
          `INSERT INTO trail_events (sequence, event_id, event_time, event_name, event_source,
          read_only, username, access_key_id, resources, account_id, record, hash)
          VALUES (12, ?, ?, 'DeleteUser', 'iam.amazonaws.com', 0, 'root', NULL, '[]', ?, ?, ?)`,
        ).run(forged.eventId, T0 + 11.5 * 60_000, forged.accountId, record, chainHash(hash, record))
      },
      lines: [
        new RegExp(
          `^sequence 12 inserted \\(or moved\\): eventTime ${new Date(T0 + 11.5 * 60_000).toISOString()}; the genuine sequence 13 \\(eventTime ${time(12)}\\) chains directly to sequence 11$`,
        ),
        /^digest 2 \(sealed .*\) does not match: it sealed sequence 15/,
      ],
    },
    {
      name: 'the whole chain rewritten consistently after a digest',
      attack: (db) => {
        db.prepare(
          "UPDATE trail_events SET record = replace(record, 'user-3', 'user-x') WHERE sequence = 3",
        ).run()
        let previous = (
          db.prepare('SELECT hash FROM trail_events WHERE sequence = 2').get() as {
            hash: string
          }
        ).hash
        const rows = db
          .prepare(
            'SELECT sequence, record FROM trail_events WHERE sequence >= 3 ORDER BY sequence',
          )
          .all() as { sequence: number; record: string }[]
        const update = db.prepare('UPDATE trail_events SET hash = ? WHERE sequence = ?')
        for (const row of rows) {
          previous = chainHash(previous, row.record)
          update.run(previous, row.sequence)
        }
      },
      lines: [
        new RegExp(
          `^digest 1 \\(sealed .*\\) does not match: it sealed sequence 10 with hash [0-9a-f]{64}, the trail has [0-9a-f]{64}; the chain was rewritten at or before sequence 10 \\(this digest covers sequences 1 to 10, eventTime ${time(1)} to ${time(10)}\\)$`,
        ),
        /^digest 2 \(sealed .*\) does not match: it sealed sequence 15/,
        new RegExp(`untrustworthy since ${time(1)}$`),
      ],
    },
    {
      name: 'the sealed tail cut off',
      attack: (db) => db.prepare('DELETE FROM trail_events WHERE sequence >= 14').run(),
      lines: [
        new RegExp(
          `^sequences 14 to 15 deleted: digest 2 sealed them \\(last eventTime ${time(15)}\\) but the trail ends at sequence 13 \\(eventTime ${time(13)}\\)$`,
        ),
      ],
    },
    {
      name: 'a digest altered',
      attack: (db) =>
        db
          .prepare(
            'UPDATE trail_digests SET body = replace(body, \'"recordCount":5\', \'"recordCount":5 \') WHERE sequence = 2',
          )
          .run(),
      lines: [/^digest 2 \(sealed .*\) has a signature that does not verify/],
    },
    {
      name: 'a digest deleted',
      attack: (db) => db.prepare('DELETE FROM trail_digests WHERE sequence = 1').run(),
      lines: [/^digests 1 to 1 deleted/, /^digest 2 does not chain to digest 1/],
    },
  ]

  for (const c of cases) {
    it(`names ${c.name} and exits 1`, () => {
      const { status, stdout } = verify(tamper(c.attack))
      assert.equal(status, 1, stdout)
      const lines = stdout.trim().split('\n')
      for (const line of c.lines) {
        assert.ok(
          lines.some((l) => line.test(l)),
          `no line matches ${String(line)} in:\n${stdout}`,
        )
      }
      assert.match(lines[lines.length - 1] ?? '', /^trail tampered: \d+ problems in \d+ records/)
    })
  }

  it('checks the digests against a public key kept elsewhere', () => {
    const exported = gatehouse(['trail', 'public-key', '--data-dir', pristine]).stdout
    const keyFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-key-')), 'trail.pem')
    writeFileSync(keyFile, exported)
    assert.equal(verify(pristine, '--public-key', keyFile).status, 0)
    // An attacker replaces the key file (sealing makes a new one) and seals with it: the exported
    // key does not vouch for that digest.
    const dir = tamper(() => undefined)
    rmSync(join(dir, 'trail-signing.key'))
    assert.equal(gatehouse(['trail', 'seal', '--data-dir', dir]).status, 0)
    const { status, stdout } = verify(dir, '--public-key', keyFile)
    assert.equal(status, 1)
    assert.match(stdout, /^digest 3 \(sealed .*\) has a signature that does not verify/m)
  })

  it("verifies several nodes' trails together, naming the one tampered with", () => {
    const other = tamper(() => undefined)
    const together = gatehouse(['trail', 'verify', '--data-dir', pristine, '--data-dir', other])
    assert.equal(together.status, 0, together.stdout)
    assert.equal(together.stdout.trim().split('\n').pop(), 'all 2 trails intact', together.stdout)
    assert.ok(together.stdout.includes(`${pristine}: trail intact: 18 records`))
    const broken = tamper((db) =>
      db.prepare("UPDATE trail_events SET record = 'x' WHERE sequence = 5").run(),
    )
    const { status, stdout } = gatehouse([
      'trail',
      'verify',
      '--data-dir',
      pristine,
      '--data-dir',
      broken,
    ])
    assert.equal(status, 1)
    assert.ok(stdout.includes(`${broken}: sequence 5 modified`), stdout)
    assert.ok(stdout.includes(`${pristine}: trail intact`), stdout)
    assert.equal(stdout.trim().split('\n').pop(), '1 of 2 trails tampered')
  })

  it('pairs --public-key with --data-dir, one each, and takes one --data-dir elsewhere', () => {
    const mismatched = gatehouse([
      'trail',
      'verify',
      '--data-dir',
      pristine,
      '--data-dir',
      pristine,
      '--public-key',
      'k.pem',
    ])
    assert.equal(mismatched.status, 2)
    assert.match(mismatched.stderr, /give --public-key once for each --data-dir/)
    const twice = gatehouse(['trail', 'seal', '--data-dir', pristine, '--data-dir', pristine])
    assert.equal(twice.status, 2)
    assert.match(twice.stderr, /--data-dir is given more than once/)
  })

  it('refuses to seal records that no longer chain', () => {
    const dir = tamper((db) =>
      db.prepare("UPDATE trail_events SET record = 'x' WHERE sequence = 17").run(),
    )
    const { status, stderr } = gatehouse(['trail', 'seal', '--data-dir', dir])
    assert.equal(status, 1)
    assert.match(stderr, /refusing to seal: sequence 17 does not chain to sequence 16/)
  })
})
