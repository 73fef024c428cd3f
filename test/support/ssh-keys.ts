/**
 * RSA keys for the SSH public key tests, made with node:crypto, and their OpenSSH forms written
 * out here from RFC 4253 §6.6 (string "ssh-rsa", mpint e, mpint n), so that a test compares the
 * server's conversion with an encoding it did not compute.
 */
import { createHash, generateKeyPairSync } from 'node:crypto'
import type { KeyObject } from 'node:crypto'

/** A new RSA key pair of `bits` bits. */
export function rsaKeyPair(bits = 2048): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: bits })
}

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

function sshMpint(base64url: string): Buffer {
  const bytes = Buffer.from(base64url, 'base64url')
  // JWK integers are unsigned and minimal: a set high bit needs a zero byte before it.
  return sshString((bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes)
}

/** The key's OpenSSH wire form. */
export function sshWireForm(publicKey: KeyObject): Buffer {
  const { n, e } = publicKey.export({ format: 'jwk' })
  return Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshMpint(e ?? ''), sshMpint(n ?? '')])
}

/** An authorized_keys line: `ssh-rsa <base64>`, and the comment if given. */
export function openSshLine(publicKey: KeyObject, comment?: string): string {
  const line = `ssh-rsa ${sshWireForm(publicKey).toString('base64')}`
  return comment === undefined ? line : `${line} ${comment}`
}

/** The key as a SubjectPublicKeyInfo PEM block. */
export function publicKeyPem(publicKey: KeyObject): string {
  return String(publicKey.export({ type: 'spki', format: 'pem' }))
}

/** `ssh-keygen -l -E md5`'s fingerprint without its prefix: MD5 of the wire form, hex pairs. */
export function md5Fingerprint(publicKey: KeyObject): string {
  const hex = createHash('md5').update(sshWireForm(publicKey)).digest('hex')
  return (hex.match(/../g) ?? []).join(':')
}
