/**
 * Secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the master key, each
 * ciphertext bound to the record it belongs to. The master key comes from the data directory or
 * GATEHOUSE_MASTER_KEY; the caller reads it and hands it to the store as a MasterKey.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { inspect } from 'node:util'
import { pooledRandomBytes } from './random-pool.js'

/** Bytes in a master key (AES-256). */
export const MASTER_KEY_BYTES = 32

const FORMAT_VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
// Changing this string makes every stored secret unreadable: it is part of the format.
const HKDF_INFO = 'gatehouse secret-box v1'

// The master key's own bytes, for derive(); kept off the object so that nothing prints them.
const RAW_KEYS = new WeakMap<object, Buffer>()

// The AES key derived from each master key, out of reach of any other module.
const AES_KEYS = new WeakMap<MasterKey, Buffer>()

function aesKeyOf(key: MasterKey): Buffer {
  const aesKey = AES_KEYS.get(key)
  if (aesKey === undefined) throw new TypeError('not a MasterKey')
  return aesKey
}

/**
 * The master key. It never prints itself: `String(key)`, `JSON.stringify(key)` and
 * `console.log(key)` all show `[MasterKey]`, so a logged options object leaks nothing.
 */
export class MasterKey {
  private constructor(bytes: Uint8Array) {
    if (bytes.length !== MASTER_KEY_BYTES) {
      throw new RangeError(`a master key is ${MASTER_KEY_BYTES} bytes, not ${bytes.length}`)
    }
    AES_KEYS.set(this, Buffer.from(hkdfSync('sha256', bytes, new Uint8Array(0), HKDF_INFO, 32)))
    RAW_KEYS.set(this, Buffer.from(bytes))
  }

  /**
   * A key of its own for another purpose (session tokens, say), derived from this one with
   * HKDF under `purpose`: what one purpose seals never opens under another, and every node
   * sharing the master key derives the same key.
   */
  derive(purpose: string): MasterKey {
    const raw = RAW_KEYS.get(this)
    if (raw === undefined) throw new Error('a master key without its bytes')
    return new MasterKey(
      Buffer.from(hkdfSync('sha256', raw, new Uint8Array(0), `gatehouse derived: ${purpose}`, 32)),
    )
  }

  /** A master key from its 32 raw bytes. */
  static fromBytes(bytes: Uint8Array): MasterKey {
    return new MasterKey(bytes)
  }

  /**
   * A master key from its text form: 32 bytes in base64 (standard or url-safe, as
   * `generateMasterKeyText` writes it), surrounding whitespace ignored.
   */
  static fromText(text: string): MasterKey {
    const trimmed = text.trim()
    if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
      throw new RangeError('a master key is 32 bytes written in base64 (44 characters)')
    }
    return new MasterKey(Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
  }

  /** Redacted. */
  toString(): string {
    return '[MasterKey]'
  }

  /** Redacted. */
  toJSON(): string {
    return '[MasterKey]'
  }

  /** Redacted. */
  [inspect.custom](): string {
    return '[MasterKey]'
  }
}

/** A new master key's text form (32 random bytes in base64), for a new data directory. */
export function generateMasterKeyText(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64')
}

/** A new random master key. */
export function generateMasterKey(): MasterKey {
  return MasterKey.fromText(generateMasterKeyText())
}

/** A sealed secret could not be opened: the wrong master key, or the bytes were altered. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError'
}

/**
 * Encrypts `plaintext` under `key`. `context` (for an access key, its id) is authenticated but
 * not stored: the result opens only with the same context, so a ciphertext moved to another
 * record does not decrypt. Layout: version (1 byte), IV (12), ciphertext, GCM tag (16).
 */
export function encryptSecret(key: MasterKey, plaintext: string, context: string): Uint8Array {
  // SECURITY: a fresh random IV for every encryption, never from an injected (test) source:
  // reusing an IV under one GCM key exposes the plaintexts and the authentication key.
  const iv = pooledRandomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', aesKeyOf(key), iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, body, cipher.getAuthTag()])
}

/** Decrypts what `encryptSecret` sealed with the same key and context, or throws SecretBoxError. */
export function decryptSecret(key: MasterKey, sealed: Uint8Array, context: string): string {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_VERSION) {
    throw new SecretBoxError('sealed secret has an unknown format')
  }
  const iv = bytes.subarray(1, 1 + IV_BYTES)
  const body = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)
  const tag = bytes.subarray(bytes.length - TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', aesKeyOf(key), iv)
  decipher.setAAD(Buffer.from(context, 'utf8'))
  decipher.setAuthTag(tag)
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
  } catch (err) {
    throw new SecretBoxError(
      'sealed secret does not open: wrong master key, wrong context, or altered bytes',
      { cause: err },
    )
  }
}
