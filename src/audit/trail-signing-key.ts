/**
 * The Ed25519 key that signs the audit trail's digests: <data-dir>/trail-signing.key, a PKCS #8
 * PEM private key readable by its owner only, created on first use. Its public key is what a
 * verifier keeps elsewhere (`gatehouse trail public-key`), so that someone who can rewrite the
 * data directory, key file included, still cannot pass a re-signed trail off as the original.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The key file's name in the data directory. */
export const TRAIL_SIGNING_KEY_FILE = 'trail-signing.key'

/** The signing key pair. */
export interface TrailSigningKey {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

/** The key file of the data directory `dir` (absolute or relative). */
export function trailSigningKeyPath(dir: string): string {
  return join(dir, TRAIL_SIGNING_KEY_FILE)
}

function fromPem(pem: string, path: string): TrailSigningKey {
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(pem)
  } catch (err) {
    // SECURITY: say what is wrong, never what was read.
    throw new Error(`${path} does not hold a private key: ${(err as Error).message}`, {
      cause: err,
    })
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `${path} holds a ${privateKey.asymmetricKeyType ?? 'symmetric'} key, not Ed25519`,
    )
  }
  return { privateKey, publicKey: createPublicKey(privateKey) }
}

/** Reads the key at `path`; null if the file does not exist. */
export function readTrailSigningKey(path: string): TrailSigningKey | null {
  let pem: string
  try {
    pem = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  return fromPem(pem, path)
}

/** Reads the key at `path`, creating it (mode 0600) if it does not exist. */
export function loadTrailSigningKey(path: string): TrailSigningKey {
  const existing = readTrailSigningKey(path)
  if (existing !== null) return existing
  const { privateKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  try {
    // `wx`: never overwrite a key that another process created meanwhile; its digests would no
    // longer verify.
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    const raced = readTrailSigningKey(path)
    if (raced !== null) return raced
    throw err
  }
  return fromPem(pem, path)
}

/** The public key as SPKI PEM, as `gatehouse trail public-key` prints it. */
export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }) as string
}

/** Reads a public key from SPKI PEM text; throws if it is not an Ed25519 public key. */
export function parsePublicKeyPem(pem: string): KeyObject {
  const key = createPublicKey(pem)
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`not an Ed25519 public key (${key.asymmetricKeyType ?? 'unknown'})`)
  }
  return key
}

/** Hex SHA-256 of the public key's SPKI DER: what a digest names its key by. */
export function publicKeyFingerprint(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
}
