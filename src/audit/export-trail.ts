/**
 * Exports the audit trail as CloudTrail delivers it to S3: gzipped `{"Records":[...]}` log files
 * under `AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/`, named
 * `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`, so that tools that read a
 * trail's bucket (Athena tables, SIEM importers, `aws s3 sync` into a real bucket) read these.
 *
 * A trail delivers a file per account and region about every 5 minutes; an export has no
 * delivery schedule to mirror, so it writes one file per account, region (the record's
 * awsRegion) and UTC hour of eventTime, stamped with that hour's start. The stamp and the date
 * folders thus name the hour the records are in, which is what partitioned readers filter on.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { journalDirOf, openSqliteTrailStore } from '../store/sqlite/sqlite-trail-store.js'
import type { StoredTrailEvent } from '../store/trail-store.js'

/** Records read per page: the trail is read in bounded pages, in sequence order. */
const PAGE = 1000

/** Where events with no account, or no usable region, go. */
const UNKNOWN = 'unknown'

/**
 * Account and region become path components: anything but a plain name (a `..` or a `/` in a
 * record's awsRegion) would write outside the output directory.
 */
const SAFE_COMPONENT = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/

/** An export's bounds on eventTime: `since` inclusive, `until` exclusive. */
export interface TrailExportRange {
  readonly since?: Date
  readonly until?: Date
}

/** One log file of an export. */
export interface TrailExportFile {
  /** Relative to the output directory, `/`-separated. */
  readonly path: string
  readonly accountId: string
  readonly region: string
  readonly records: number
}

/** What an export wrote. */
export interface TrailExport {
  readonly records: number
  readonly files: readonly TrailExportFile[]
}

/** An export that would overwrite a file already there: nothing was written. */
export class TrailExportConflictError extends Error {
  constructor(readonly path: string) {
    super(`refusing to overwrite ${path}: nothing was exported`)
    this.name = 'TrailExportConflictError'
  }
}

interface Group {
  readonly accountId: string
  readonly region: string
  readonly hour: Date
  readonly records: string[]
  readonly firstSequence: number
  lastHash: string
}

function regionOf(record: string): string {
  try {
    const parsed: unknown = JSON.parse(record)
    if (typeof parsed === 'object' && parsed !== null && 'awsRegion' in parsed) {
      const region = parsed.awsRegion
      if (typeof region === 'string' && SAFE_COMPONENT.test(region)) return region
    }
  } catch {
    // A record that is not JSON still exports, byte for byte; it just has no region.
  }
  return UNKNOWN
}

function accountOf(event: StoredTrailEvent): string {
  return event.accountId !== null && SAFE_COMPONENT.test(event.accountId)
    ? event.accountId
    : UNKNOWN
}

const two = (n: number): string => String(n).padStart(2, '0')

/**
 * CloudTrail's unique part is 16 random alphanumerics. Here it is derived from the file's
 * records (its first sequence, and the chain hash through its last record, which covers every
 * record before it), so exporting the same range again names the same files and is refused
 * rather than delivering each record twice.
 */
function uniquePart(group: Group): string {
  const digest = createHash('sha256').update(`${group.firstSequence}:${group.lastHash}`).digest()
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  let out = ''
  for (let i = 0; i < 16; i++) out += alphabet[(digest[i] ?? 0) % alphabet.length]
  return out
}

function filePath(group: Group): string {
  const h = group.hour
  const [yyyy, mm, dd] = [String(h.getUTCFullYear()), two(h.getUTCMonth() + 1), two(h.getUTCDate())]
  const stamp = `${yyyy}${mm}${dd}T${two(h.getUTCHours())}00Z`
  const name = `${group.accountId}_CloudTrail_${group.region}_${stamp}_${uniquePart(group)}.json.gz`
  return ['AWSLogs', group.accountId, 'CloudTrail', group.region, yyyy, mm, dd, name].join('/')
}

/** Reads the trail in `trailFile` and groups the records in `range` into log files. */
async function collect(trailFile: string, range: TrailExportRange): Promise<Group[]> {
  const store = openSqliteTrailStore({ filename: trailFile, journalDir: journalDirOf(trailFile) })
  const groups = new Map<string, Group>()
  try {
    let after = 0
    for (;;) {
      const page = await store.readTrailEvents(after, PAGE)
      for (const event of page) {
        const time = event.eventTime.getTime()
        if (range.since !== undefined && time < range.since.getTime()) continue
        if (range.until !== undefined && time >= range.until.getTime()) continue
        const accountId = accountOf(event)
        const region = regionOf(event.record)
        const hour = new Date(Math.floor(time / 3_600_000) * 3_600_000)
        const key = `${accountId}\n${region}\n${hour.getTime()}`
        let group = groups.get(key)
        if (group === undefined) {
          group = {
            accountId,
            region,
            hour,
            records: [],
            firstSequence: event.sequence,
            lastHash: '',
          }
          groups.set(key, group)
        }
        // Sequence order, not eventTime order: the trail's one order, which is also the order
        // in which the records were appended (and chained).
        group.records.push(event.record)
        group.lastHash = event.hash
      }
      const last = page[page.length - 1]
      if (last === undefined || page.length < PAGE) break
      after = last.sequence
    }
  } finally {
    await store.close()
  }
  return [...groups.values()]
}

/**
 * Exports the records of the trail in `trailFile` with since <= eventTime < until into `outDir`
 * (created if needed). The records are written as stored, byte for byte. If any file to write
 * already exists, TrailExportConflictError and nothing is written.
 */
export async function exportTrailFile(
  trailFile: string,
  outDir: string,
  range: TrailExportRange = {},
): Promise<TrailExport> {
  const groups = await collect(trailFile, range)
  const planned = groups.map((group) => ({ group, path: filePath(group) }))
  // Every file checked before any is written: a refused export leaves no partial delivery.
  for (const { path } of planned) {
    if (existsSync(join(outDir, path))) throw new TrailExportConflictError(path)
  }
  const files: TrailExportFile[] = []
  let records = 0
  for (const { group, path } of planned) {
    const target = join(outDir, path)
    // Owner-only, as the data directory the records come from.
    mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 })
    const body = `{"Records":[${group.records.join(',')}]}`
    // 'wx': a file that appeared since the check above is still not overwritten.
    writeFileSync(target, gzipSync(body), { flag: 'wx', mode: 0o600 })
    files.push({
      path,
      accountId: group.accountId,
      region: group.region,
      records: group.records.length,
    })
    records += group.records.length
  }
  return { records, files }
}
