/**
 * `gatehouse trail export` as an operator runs it: a real trail appended through the SQLite
 * store, exported by the real bin script, and the log files read back as a CloudTrail reader
 * would (walk AWSLogs/, gunzip, JSON.parse), checked against what was appended.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { before, describe, it } from 'node:test'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { TrailEvent } from '../../src/store/trail-store.js'

const ROOT = join(import.meta.dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'gatehouse.js')
const A = '111111111111'
const B = '222222222222'

function gatehouse(args: readonly string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

interface Spec {
  readonly account: string | null
  readonly region: string | undefined
  /** eventTime, ISO. */
  readonly time: string
}

/**
 * The trail, in the order appended (sequence 1, 2, ...). Interleaved across groups, and with
 * sequence 6 earlier in time than sequence 1 of the same hour: the file keeps sequence order.
 */
const SPECS: readonly Spec[] = [
  { account: A, region: 'us-east-1', time: '2026-04-01T08:10:00.000Z' },
  { account: B, region: 'us-east-1', time: '2026-04-01T08:11:00.000Z' },
  { account: A, region: 'eu-west-1', time: '2026-04-01T08:12:00.000Z' },
  { account: A, region: 'us-east-1', time: '2026-04-01T08:30:00.000Z' },
  { account: A, region: 'us-east-1', time: '2026-04-01T09:00:00.000Z' },
  { account: A, region: 'us-east-1', time: '2026-04-01T08:05:00.000Z' },
  { account: B, region: 'eu-west-1', time: '2026-04-01T09:15:00.000Z' },
  { account: null, region: 'us-east-1', time: '2026-04-01T09:20:00.000Z' },
  { account: A, region: 'eu-west-1', time: '2026-04-01T09:29:59.999Z' },
  { account: A, region: 'us-east-1', time: '2026-04-01T09:30:00.000Z' },
  { account: B, region: 'us-east-1', time: '2026-04-01T08:59:59.999Z' },
  // A record with no awsRegion at all, and a region that would climb out of the output dir.
  { account: B, region: undefined, time: '2026-04-01T09:40:00.000Z' },
  { account: B, region: '../../escape', time: '2026-04-01T09:41:00.000Z' },
]

/**
 * Record text as stored, deliberately not as JSON.stringify would write it (spacing, key order,
 * escapes, non-ASCII): the export must copy it byte for byte, not re-serialise it.
 */
function recordText(sequence: number, spec: Spec): string {
  const region = spec.region === undefined ? '' : `"awsRegion" : ${JSON.stringify(spec.region)}, `
  return (
    `{ "eventVersion":"1.08", ${region}"eventTime": "${spec.time.replace('.000', '')}", ` +
    `"eventName":"CreateUser", "requestParameters": {"userName":"usér-${sequence}\\u2028\\/"}, ` +
    `"sequence":${sequence} }`
  )
}

function event(sequence: number, spec: Spec): TrailEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    eventTime: new Date(spec.time),
    eventName: 'CreateUser',
    eventSource: 'iam.amazonaws.com',
    readOnly: false,
    username: 'root',
    accessKeyId: null,
    resources: [],
    accountId: spec.account,
    record: recordText(sequence, spec),
  }
}

let dataDir: string

/** Every file under `dir`, relative and `/`-separated, sorted. */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => relative(dir, join(dir, name)).split(sep).join('/'))
    .sort()
}

/** The export's files: path -> the gunzipped text. */
function readExport(out: string): Map<string, string> {
  return new Map(
    walk(out).map((path) => [path, gunzipSync(readFileSync(join(out, path))).toString('utf8')]),
  )
}

const NAME =
  /^AWSLogs\/([^/]+)\/CloudTrail\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)_CloudTrail_([^/]+)_(\d{8}T\d{4}Z)_([A-Za-z0-9]{16})\.json\.gz$/

/**
 * What the files must hold: for each (account, region, hour) the records, in sequence order,
 * of the specs whose eventTime is in [since, until).
 */
function expected(since?: string, until?: string): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  SPECS.forEach((spec, i) => {
    const time = Date.parse(spec.time)
    if (since !== undefined && time < Date.parse(since)) return
    if (until !== undefined && time >= Date.parse(until)) return
    const region = spec.region === undefined || spec.region.includes('/') ? 'unknown' : spec.region
    const hour = new Date(Math.floor(time / 3_600_000) * 3_600_000).toISOString()
    const key = `${spec.account ?? 'unknown'} ${region} ${hour}`
    groups.set(key, [...(groups.get(key) ?? []), recordText(i + 1, spec)])
  })
  return groups
}

/** The export's files, keyed as expected() keys them, after checking each name's parts agree. */
function grouped(files: Map<string, string>): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const [path, text] of files) {
    const m = NAME.exec(path)
    assert.ok(m, `unexpected file name ${path}`)
    const [, account, region, yyyy, mm, dd, nameAccount, nameRegion, stamp] = m
    assert.equal(nameAccount, account, path)
    assert.equal(nameRegion, region, path)
    assert.equal(stamp?.slice(0, 8), `${yyyy}${mm}${dd}`, path)
    assert.match(stamp ?? '', /00Z$/, `${path}: stamped with the hour's start`)
    const s = stamp ?? ''
    const hour = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:00:00.000Z`
    const key = `${account} ${region} ${hour}`
    assert.ok(!groups.has(key), `two files for ${key}`)
    // The file is exactly {"Records":[...]} of the stored texts: nothing re-serialised.
    const parsed = JSON.parse(text) as { Records: unknown[] }
    assert.deepEqual(Object.keys(parsed), ['Records'])
    const records = parsed.Records.map((r) => JSON.stringify(r))
    groups.set(key, records)
    groups.set(`${key} raw`, [text])
  }
  return groups
}

function assertExport(out: string, since?: string, until?: string): number {
  const files = readExport(out)
  const got = grouped(files)
  const want = expected(since, until)
  assert.deepEqual(
    [...got.keys()].filter((k) => !k.endsWith(' raw')).sort(),
    [...want.keys()].sort(),
  )
  for (const [key, records] of want) {
    assert.deepEqual(got.get(`${key} raw`), [`{"Records":[${records.join(',')}]}`], key)
  }
  return files.size
}

function exportTo(out: string, ...extra: string[]) {
  return gatehouse(['trail', 'export', '--data-dir', dataDir, '--out', out, ...extra])
}

const freshOut = (): string => join(mkdtempSync(join(tmpdir(), 'gatehouse-export-')), 'out')

describe('gatehouse trail export', () => {
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-trail-export-'))
    const store = openSqliteTrailStore({ filename: join(dataDir, 'trail.db') })
    await store.appendTrailEvents(SPECS.map((spec, i) => event(i + 1, spec)))
    await store.close()
  })

  it('writes the whole trail as CloudTrail log files, one per account, region and hour', () => {
    const out = freshOut()
    const { status, stdout, stderr } = exportTo(out)
    assert.equal(status, 0, stderr)
    const count = assertExport(out)
    assert.equal(stdout, `exported ${SPECS.length} records in ${count} files to ${out}\n`)
    // Spot-check the layout against CloudTrail's own, literally.
    const paths = walk(out)
    assert.ok(
      paths.some((p) =>
        /^AWSLogs\/111111111111\/CloudTrail\/us-east-1\/2026\/04\/01\/111111111111_CloudTrail_us-east-1_20260401T0800Z_[A-Za-z0-9]{16}\.json\.gz$/.test(
          p,
        ),
      ),
      paths.join('\n'),
    )
    assert.ok(paths.some((p) => p.startsWith('AWSLogs/unknown/CloudTrail/us-east-1/2026/04/01/')))
    // The account-A us-east-1 08h file: sequence 1, 4, 6 in that order though 6 is earliest.
    const a08 = paths.find((p) => p.includes('111111111111_CloudTrail_us-east-1_20260401T0800Z'))
    const records = (
      JSON.parse(gunzipSync(readFileSync(join(out, a08 ?? ''))).toString('utf8')) as {
        Records: { sequence: number }[]
      }
    ).Records
    assert.deepEqual(
      records.map((r) => r.sequence),
      [1, 4, 6],
    )
    assert.equal(statSync(join(out, a08 ?? '')).mode & 0o777, 0o600)
  })

  it('keeps since <= eventTime < until', () => {
    const since = '2026-04-01T08:30:00Z'
    const until = '2026-04-01T09:30:00Z'
    const out = freshOut()
    const { status, stdout, stderr } = exportTo(out, '--since', since, '--until', until)
    assert.equal(status, 0, stderr)
    const count = assertExport(out, since, until)
    // Sequences 4 (08:30, at since), 5, 7, 8, 9, 11; not 10 (09:30, at until).
    assert.equal(stdout, `exported 6 records in ${count} files to ${out}\n`)
    const all = [...readExport(out).values()].join('\n')
    assert.match(all, /"sequence":4 }/)
    assert.doesNotMatch(all, /"sequence":10 }/)
  })

  it('accepts a date, an offset, and --flag=value', () => {
    const out = freshOut()
    const { status, stderr } = gatehouse([
      'trail',
      'export',
      `--data-dir=${dataDir}`,
      `--out=${out}`,
      '--since=2026-04-01',
      '--until=2026-04-01T11:00:00+02:00',
    ])
    assert.equal(status, 0, stderr)
    assertExport(out, '2026-04-01T00:00:00Z', '2026-04-01T09:00:00Z')
  })

  it('writes no files for a range with no records', () => {
    const out = freshOut()
    const { status, stdout } = exportTo(out, '--since', '2027-01-01T00:00:00Z')
    assert.equal(status, 0)
    assert.equal(stdout, `exported 0 records in 0 files to ${out}\n`)
    assert.deepEqual(walk(out), [])
  })

  it('refuses to overwrite: exporting the same range again writes nothing and exits 1', () => {
    const out = freshOut()
    assert.equal(exportTo(out, '--until', '2026-04-01T09:00:00Z').status, 0)
    const before = readExport(out)
    // A wider range: some of its files are new, one (the same records) is already there.
    const { status, stderr } = exportTo(out)
    assert.equal(status, 1)
    assert.match(stderr, /refusing to overwrite AWSLogs\/.+\.json\.gz: nothing was exported/)
    assert.deepEqual(readExport(out), before)
  })

  const bad: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'no --out', args: [], message: /export needs --out DIR/ },
    { name: 'a --since not ISO', args: ['--since', 'April 1'], message: /--since must be/ },
    {
      name: 'a date-time with no zone',
      args: ['--until', '2026-04-01T09:00:00'],
      message: /--until must be/,
    },
    { name: 'an impossible month', args: ['--since', '2026-13-01'], message: /--since must be/ },
    { name: 'an impossible day', args: ['--since', '2026-02-30'], message: /--since must be/ },
    {
      name: 'an impossible hour',
      args: ['--until', '2026-04-01T24:00:00Z'],
      message: /--until must be/,
    },
    {
      name: 'since not before until',
      args: ['--since', '2026-04-01T09:00:00Z', '--until', '2026-04-01T09:00:00Z'],
      message: /--since must be before --until/,
    },
    { name: 'an unknown flag', args: ['--public-key', 'x'], message: /unexpected argument/ },
    { name: 'a flag with no value', args: ['--since'], message: /--since needs a value/ },
  ]
  for (const c of bad) {
    it(`exits 2 on ${c.name}, writing nothing`, () => {
      const out = freshOut()
      const args = c.name === 'no --out' ? [] : ['--out', out]
      const { status, stderr } = gatehouse([
        'trail',
        'export',
        '--data-dir',
        dataDir,
        ...args,
        ...c.args,
      ])
      assert.equal(status, 2, stderr)
      assert.match(stderr, c.message)
      assert.equal(existsSync(out), false)
    })
  }

  it('exits 2 on a data directory with no trail', () => {
    const out = freshOut()
    const empty = mkdtempSync(join(tmpdir(), 'gatehouse-empty-'))
    const { status, stderr } = gatehouse(['trail', 'export', '--data-dir', empty, '--out', out])
    assert.equal(status, 2)
    assert.match(stderr, /no audit trail at/)
    assert.equal(existsSync(join(empty, 'trail.db')), false)
  })
})
