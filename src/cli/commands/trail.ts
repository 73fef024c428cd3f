/**
 * `gatehouse trail verify|seal|public-key|export`: the audit trail's integrity, and its export as
 * CloudTrail log files, on a data directory (--data-dir, else GATEHOUSE_DATA_DIR, else ./data, as
 * `serve` finds it).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { KeyObject } from 'node:crypto'
import { resolve } from 'node:path'
import { TrailExportConflictError, exportTrailFile } from '../../audit/export-trail.js'
import { TrailSealError } from '../../audit/trail-digest.js'
import { sealTrailFile, verifyTrailFile } from '../../audit/trail-integrity.js'
import {
  loadTrailSigningKey,
  parsePublicKeyPem,
  publicKeyPem,
  readTrailSigningKey,
  trailSigningKeyPath,
} from '../../audit/trail-signing-key.js'
import { dataDirPaths } from '../../startup/data-dir.js'

const USAGE = `usage: gatehouse trail verify [--data-dir DIR [--public-key FILE]]...
       gatehouse trail seal [--data-dir DIR]
       gatehouse trail public-key [--data-dir DIR]
       gatehouse trail export [--data-dir DIR] --out DIR [--since TIME] [--until TIME]

verify      checks the whole audit trail: exit 0 when intact, 1 listing each problem
            --public-key FILE: check the digests against this PEM public key (one kept away
            from the data directory) rather than the data directory's own signing key
            Several nodes on one PostgreSQL store keep one trail each, in their own data
            directories: give each --data-dir (and its --public-key, in the same order) to
            verify them together; exit 0 only when every one is intact
seal        signs a digest over the records not yet covered by one
public-key  prints the digests' public key (PEM), to keep elsewhere for verify --public-key
export      writes the records with since <= eventTime < until as CloudTrail log files (gzipped
            {"Records":[...]}, one per account, region and UTC hour) under
            DIR/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/; never overwrites a file
            TIME: ISO 8601, a date (2026-04-01, UTC midnight) or a date-time with Z or an offset
`

type Verb = 'verify' | 'seal' | 'public-key' | 'export'

/** The value flags each verb takes, besides --data-dir. */
const FLAGS: Record<Verb, readonly string[]> = {
  verify: ['--public-key'],
  seal: [],
  'public-key': [],
  export: ['--out', '--since', '--until'],
}

interface TrailArgs {
  /** The first (for verify: every) --data-dir given, in order. */
  readonly dataDirs: readonly string[]
  /** The other flags given, by name (e.g. `--public-key`): the last of each. */
  readonly flags: ReadonlyMap<string, string>
  /** verify's --public-key files, in order. */
  readonly publicKeys: readonly string[]
}

function parseArgs(args: readonly string[], verb: Verb): TrailArgs | string {
  const flags = new Map<string, string>()
  const dataDirs: string[] = []
  const publicKeys: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    const [flag = '', inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg]
    if (flag !== '--data-dir' && !FLAGS[verb].includes(flag)) return `unexpected argument '${arg}'`
    const value = inline ?? args[++i]
    if (value === undefined) return `${flag} needs a value`
    if (flag === '--data-dir') dataDirs.push(value)
    else if (flag === '--public-key') publicKeys.push(value)
    else flags.set(flag, value)
  }
  if (verb !== 'verify' && dataDirs.length > 1) return '--data-dir is given more than once'
  if (dataDirs.length === 0) dataDirs.push(process.env['GATEHOUSE_DATA_DIR'] ?? './data')
  if (publicKeys.length > 0 && publicKeys.length !== dataDirs.length) {
    return 'give --public-key once for each --data-dir, in the same order'
  }
  return { dataDirs, flags, publicKeys }
}

/**
 * An ISO 8601 date (UTC midnight, as ECMAScript reads it) or date-time with a zone: a date-time
 * without one would be read in the local zone, which an export's bounds must not depend on.
 */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/

/** Whether the fields are a real calendar date and clock time: Date rolls 02-30 over to 03-02. */
function realFields(text: string): boolean {
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = (text.match(/\d+/g) ?? []).map(Number)
  const day = new Date(Date.UTC(y, mo - 1, d))
  return day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && s < 60
}

function parseTime(flag: string, text: string | undefined): Date | undefined | string {
  if (text === undefined) return undefined
  const time = ISO_TIME.test(text) && realFields(text) ? new Date(text) : undefined
  if (time === undefined || Number.isNaN(time.getTime())) {
    return `${flag} must be an ISO 8601 date or date-time with Z or an offset, not '${text}'`
  }
  return time
}

function isVerb(verb: string | undefined): verb is Verb {
  return verb !== undefined && Object.hasOwn(FLAGS, verb)
}

function fail(message: string, code = 2): number {
  process.stderr.write(`gatehouse trail: ${message}\n`)
  return code
}

/** Runs `gatehouse trail ...`; resolves to the exit code. */
export async function runTrailCommand(args: readonly string[]): Promise<number> {
  const [verb, ...rest] = args
  if (verb === '--help' || verb === '-h') {
    process.stdout.write(USAGE)
    return 0
  }
  if (!isVerb(verb)) {
    process.stderr.write(USAGE)
    return 2
  }
  const parsed = parseArgs(rest, verb)
  if (typeof parsed === 'string') return fail(`${parsed}\n\n${USAGE}`)
  if (verb === 'verify' && parsed.dataDirs.length > 1) return verifyNodes(parsed)
  const paths = dataDirPaths(parsed.dataDirs[0] ?? './data')
  // Never create a data directory or a trail here: a typo in --data-dir must not verify an
  // empty trail as intact.
  if (!existsSync(paths.dir)) return fail(`no data directory at ${paths.dir}`)
  const keyPath = trailSigningKeyPath(paths.dir)
  try {
    if (verb === 'public-key') {
      process.stdout.write(publicKeyPem(loadTrailSigningKey(keyPath).publicKey))
      return 0
    }
    if (!existsSync(paths.trail)) return fail(`no audit trail at ${paths.trail}`)
    if (verb === 'seal') return await seal(paths.trail, keyPath)
    if (verb === 'export') return await exportTrail(paths.trail, parsed.flags)
    return await verify(paths.trail, keyPath, parsed.publicKeys[0])
  } catch (err) {
    if (err instanceof TrailSealError || err instanceof TrailExportConflictError) {
      return fail(err.message, 1)
    }
    return fail(err instanceof Error ? err.message : String(err))
  }
}

async function exportTrail(trail: string, flags: ReadonlyMap<string, string>): Promise<number> {
  const out = flags.get('--out')
  if (out === undefined) return fail(`export needs --out DIR\n\n${USAGE}`)
  const since = parseTime('--since', flags.get('--since'))
  const until = parseTime('--until', flags.get('--until'))
  if (typeof since === 'string') return fail(since)
  if (typeof until === 'string') return fail(until)
  if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) {
    return fail('--since must be before --until')
  }
  const result = await exportTrailFile(trail, resolve(out), {
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  })
  process.stdout.write(
    `exported ${result.records} records in ${result.files.length} files to ${resolve(out)}\n`,
  )
  return 0
}

async function seal(trail: string, keyPath: string): Promise<number> {
  const digest = await sealTrailFile(trail, loadTrailSigningKey(keyPath))
  process.stdout.write(
    digest.recordCount === 0
      ? `digest ${digest.digestSequence}: no new records (sealed through sequence ${digest.lastSequence})\n`
      : `digest ${digest.digestSequence}: sealed sequences ${digest.firstSequence} to ${digest.lastSequence} (${digest.recordCount} records)\n`,
  )
  return 0
}

/**
 * verify for the trails of several nodes (one chain each): each is verified as alone, its lines
 * prefixed with its data directory; the exit code is 0 only when all are intact.
 */
async function verifyNodes(parsed: TrailArgs): Promise<number> {
  let tampered = 0
  for (const [index, dir] of parsed.dataDirs.entries()) {
    const paths = dataDirPaths(dir)
    const problem = !existsSync(paths.dir)
      ? `no data directory at ${paths.dir}`
      : !existsSync(paths.trail)
        ? `no audit trail at ${paths.trail}`
        : undefined
    if (problem !== undefined) return fail(problem)
    try {
      const code = await verify(
        paths.trail,
        trailSigningKeyPath(paths.dir),
        parsed.publicKeys[index],
        `${paths.dir}: `,
      )
      if (code !== 0) tampered += 1
    } catch (err) {
      return fail(`${paths.dir}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const count = parsed.dataDirs.length
  process.stdout.write(
    tampered === 0 ? `all ${count} trails intact\n` : `${tampered} of ${count} trails tampered\n`,
  )
  return tampered === 0 ? 0 : 1
}

async function verify(
  trail: string,
  keyPath: string,
  publicKeyFile: string | undefined,
  prefix = '',
): Promise<number> {
  // The data directory's own key proves only that whoever holds it signed; a key kept elsewhere
  // also rules out a re-signed trail.
  const publicKey: KeyObject | null =
    publicKeyFile === undefined
      ? (readTrailSigningKey(keyPath)?.publicKey ?? null)
      : parsePublicKeyPem(readFileSync(publicKeyFile, 'utf8'))
  const result = await verifyTrailFile(trail, publicKey)
  if (result.problems.length === 0) {
    const unsealed = result.lastSequence - result.sealedThrough
    process.stdout.write(
      `${prefix}trail intact: ${result.records} records (through sequence ${result.lastSequence}), ` +
        `${result.digests} digests sealing through sequence ${result.sealedThrough}` +
        (unsealed > 0 ? `, ${unsealed} records not yet sealed` : '') +
        '\n',
    )
    return 0
  }
  for (const problem of result.problems) process.stdout.write(`${prefix}${problem.message}\n`)
  process.stdout.write(
    `${prefix}trail tampered: ${result.problems.length} problems in ${result.records} records and ` +
      `${result.digests} digests` +
      (result.since === null ? '' : `; untrustworthy since ${result.since.toISOString()}`) +
      '\n',
  )
  return 1
}
