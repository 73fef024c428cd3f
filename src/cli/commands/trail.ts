/**
 * `gatehouse trail verify|seal|public-key`: the audit trail's integrity, on a data directory
 * (--data-dir, else GATEHOUSE_DATA_DIR, else ./data, as `serve` finds it).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { KeyObject } from 'node:crypto'
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

const USAGE = `usage: gatehouse trail verify [--data-dir DIR] [--public-key FILE]
       gatehouse trail seal [--data-dir DIR]
       gatehouse trail public-key [--data-dir DIR]

verify      checks the whole audit trail: exit 0 when intact, 1 listing each problem
            --public-key FILE: check the digests against this PEM public key (one kept away
            from the data directory) rather than the data directory's own signing key
seal        signs a digest over the records not yet covered by one
public-key  prints the digests' public key (PEM), to keep elsewhere for verify --public-key
`

interface TrailArgs {
  readonly dataDir: string
  readonly publicKey: string | undefined
}

function parseArgs(args: readonly string[], allowPublicKey: boolean): TrailArgs | string {
  let dataDir: string | undefined
  let publicKey: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg]
    const value = (): string | undefined => inline ?? args[++i]
    if (flag === '--data-dir') dataDir = value()
    else if (flag === '--public-key' && allowPublicKey) publicKey = value()
    else return `unexpected argument '${arg}'`
    if ((flag === '--data-dir' ? dataDir : publicKey) === undefined) return `${flag} needs a value`
  }
  return { dataDir: dataDir ?? process.env['GATEHOUSE_DATA_DIR'] ?? './data', publicKey }
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
  if (verb !== 'verify' && verb !== 'seal' && verb !== 'public-key') {
    process.stderr.write(USAGE)
    return 2
  }
  const parsed = parseArgs(rest, verb === 'verify')
  if (typeof parsed === 'string') return fail(`${parsed}\n\n${USAGE}`)
  const paths = dataDirPaths(parsed.dataDir)
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
    return await verify(paths.trail, keyPath, parsed.publicKey)
  } catch (err) {
    if (err instanceof TrailSealError) return fail(err.message, 1)
    return fail(err instanceof Error ? err.message : String(err))
  }
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

async function verify(
  trail: string,
  keyPath: string,
  publicKeyFile: string | undefined,
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
      `trail intact: ${result.records} records (through sequence ${result.lastSequence}), ` +
        `${result.digests} digests sealing through sequence ${result.sealedThrough}` +
        (unsealed > 0 ? `, ${unsealed} records not yet sealed` : '') +
        '\n',
    )
    return 0
  }
  for (const problem of result.problems) process.stdout.write(`${problem.message}\n`)
  process.stdout.write(
    `trail tampered: ${result.problems.length} problems in ${result.records} records and ` +
      `${result.digests} digests` +
      (result.since === null ? '' : `; untrustworthy since ${result.since.toISOString()}`) +
      '\n',
  )
  return 1
}
