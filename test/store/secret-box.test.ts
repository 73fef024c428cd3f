/**
 * The secret box: round trips, a fresh IV each time, and refusal of the wrong key, the wrong
 * context and every altered byte. The master key never shows itself in logs.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inspect } from 'node:util'
import {
  MASTER_KEY_BYTES,
  MasterKey,
  SecretBoxError,
  decryptSecret,
  encryptSecret,
  generateMasterKey,
  generateMasterKeyText,
} from '../../src/store/secret-box.js'

const KEY = MasterKey.fromBytes(new Uint8Array(MASTER_KEY_BYTES).fill(7))
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

describe('encryptSecret and decryptSecret', () => {
  it('round-trip a secret under the same key and context', () => {
    const sealed = encryptSecret(KEY, SECRET, 'AKIAIOSFODNN7EXAMPLE')
    assert.equal(decryptSecret(KEY, sealed, 'AKIAIOSFODNN7EXAMPLE'), SECRET)
  })

  it('round-trip the empty string and text outside ASCII', () => {
    for (const text of ['', 'pässwörd ✓']) {
      assert.equal(decryptSecret(KEY, encryptSecret(KEY, text, 'c'), 'c'), text)
    }
  })

  it('hold neither the secret nor the context in the sealed bytes', () => {
    const sealed = Buffer.from(encryptSecret(KEY, SECRET, 'AKIAIOSFODNN7EXAMPLE'))
    assert.equal(sealed.includes(SECRET), false)
    assert.equal(sealed.includes('AKIAIOSFODNN7EXAMPLE'), false)
    assert.equal(sealed.length, 1 + 12 + SECRET.length + 16)
  })

  it('use a fresh IV each time, so one secret seals to different bytes', () => {
    const a = encryptSecret(KEY, SECRET, 'c')
    const b = encryptSecret(KEY, SECRET, 'c')
    assert.notDeepEqual(a, b)
  })

  it('refuse another master key', () => {
    const sealed = encryptSecret(KEY, SECRET, 'c')
    assert.throws(() => decryptSecret(generateMasterKey(), sealed, 'c'), SecretBoxError)
  })

  it('refuse another context, so a ciphertext moved to another record does not open', () => {
    const sealed = encryptSecret(KEY, SECRET, 'AKIAAAAAAAAAAAAAAAAA')
    assert.throws(() => decryptSecret(KEY, sealed, 'AKIABBBBBBBBBBBBBBBB'), SecretBoxError)
  })

  it('refuse every single altered byte', () => {
    const sealed = encryptSecret(KEY, SECRET, 'c')
    for (let i = 0; i < sealed.length; i++) {
      const altered = Uint8Array.from(sealed)
      altered[i] = (altered[i] ?? 0) ^ 0x01
      assert.throws(() => decryptSecret(KEY, altered, 'c'), SecretBoxError, `byte ${i}`)
    }
  })

  it('refuse truncated input', () => {
    const sealed = encryptSecret(KEY, SECRET, 'c')
    for (const length of [0, 1, 28, sealed.length - 1]) {
      assert.throws(() => decryptSecret(KEY, sealed.subarray(0, length), 'c'), SecretBoxError)
    }
  })
})

describe('MasterKey', () => {
  it('reads the text form that generateMasterKeyText writes', () => {
    const text = generateMasterKeyText()
    assert.match(text, /^[A-Za-z0-9+/]{43}=$/)
    const key = MasterKey.fromText(`  ${text}\n`)
    const sealed = encryptSecret(key, SECRET, 'c')
    assert.equal(decryptSecret(MasterKey.fromText(text), sealed, 'c'), SECRET)
  })

  it('reads url-safe base64 and the raw bytes as the same key', () => {
    const bytes = new Uint8Array(MASTER_KEY_BYTES).fill(0xfb)
    const standard = Buffer.from(bytes).toString('base64')
    const urlSafe = Buffer.from(bytes).toString('base64url')
    const sealed = encryptSecret(MasterKey.fromBytes(bytes), SECRET, 'c')
    assert.equal(decryptSecret(MasterKey.fromText(standard), sealed, 'c'), SECRET)
    assert.equal(decryptSecret(MasterKey.fromText(urlSafe), sealed, 'c'), SECRET)
  })

  it('refuses a key of the wrong size or form', () => {
    assert.throws(() => MasterKey.fromBytes(new Uint8Array(16)), RangeError)
    assert.throws(() => MasterKey.fromText(''), RangeError)
    assert.throws(
      () => MasterKey.fromText('not base64 at all, not base64 at all, not b'),
      RangeError,
    )
    assert.throws(() => MasterKey.fromText(Buffer.alloc(31).toString('base64')), RangeError)
  })

  it('never shows its bytes when printed, logged or serialized', () => {
    const text = Buffer.alloc(MASTER_KEY_BYTES, 0x41).toString('base64')
    const key = MasterKey.fromText(text)
    const shown = [
      String(key),
      `${key.toString()}`,
      JSON.stringify({ key }),
      inspect({ options: { key } }, { depth: 5, showHidden: true }),
    ]
    for (const output of shown) {
      assert.ok(output.includes('[MasterKey]'), output)
      assert.ok(!output.includes(text) && !output.includes('AAAA'), output)
    }
  })
})
