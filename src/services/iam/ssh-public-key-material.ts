/**
 * An uploaded SSH public key read and checked: IAM takes an RSA key of at least 2048 bits
 * "encoded in ssh-rsa format or PEM format" (UploadSSHPublicKey's SSHPublicKeyBody), and
 * GetSSHPublicKey gives it back in either encoding. The fingerprint is the MD5 digest of the
 * key's OpenSSH wire form in colon-separated hex, `ssh-keygen -l -E md5`'s form and that of
 * AWS's examples (`12:34:56:78:90:ab:cd:ef:12:34:56:78:90:ab:cd:ef`).
 */
import { createHash, createPublicKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { AwsError } from '../../errors/aws-error.js'

/** The smallest modulus IAM takes ("The minimum bit-length of the public key is 2048 bits"). */
export const MINIMUM_SSH_KEY_BITS = 2048

/** How a key is written: the model's encodingType. */
export type SshKeyEncoding = 'SSH' | 'PEM'

/** A key read from its body. */
export interface SshPublicKeyMaterial {
  /** How the body wrote it. */
  readonly encoding: SshKeyEncoding
  readonly fingerprint: string
  /** `ssh-rsa <base64>`, without a comment. */
  readonly ssh: string
  /** SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly pem: string
}

const OPENSSH_RSA = 'ssh-rsa'

// Invented message: the model's description of UnrecognizedPublicKeyEncodingException; AWS's own
// text is not on record.
const UNRECOGNIZED_MESSAGE = 'The public key encoding format is unsupported or unrecognized.'
// Invented message: the model's description of InvalidPublicKeyException.
const INVALID_MESSAGE = 'The public key is malformed or otherwise invalid.'

function unrecognized(): AwsError {
  return new AwsError('UnrecognizedPublicKeyEncoding', UNRECOGNIZED_MESSAGE)
}

function invalid(message: string = INVALID_MESSAGE): AwsError {
  return new AwsError('InvalidPublicKey', message)
}

/** An SSH wire-format string (RFC 4251 §5): a 32-bit length, then that many bytes. */
function readString(blob: Buffer, at: number): { value: Buffer; next: number } {
  if (at + 4 > blob.length) throw invalid()
  const length = blob.readUInt32BE(at)
  const next = at + 4 + length
  if (next > blob.length) throw invalid()
  return { value: blob.subarray(at + 4, next), next }
}

function writeString(value: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(value.length)
  return Buffer.concat([length, value])
}

/** An unsigned big-endian integer as an mpint (RFC 4251 §5): minimal, a 0 byte before a high bit. */
function mpint(magnitude: Buffer): Buffer {
  let start = 0
  while (start < magnitude.length && magnitude[start] === 0) start++
  const digits = magnitude.subarray(start)
  const high = digits.length > 0 && ((digits[0] ?? 0) & 0x80) !== 0
  return writeString(high ? Buffer.concat([Buffer.from([0]), digits]) : digits)
}

/** The OpenSSH wire form of an RSA key: string "ssh-rsa", mpint e, mpint n (RFC 4253 §6.6). */
function rsaWireForm(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' })
  if (jwk.n === undefined || jwk.e === undefined) throw invalid()
  return Buffer.concat([
    writeString(Buffer.from(OPENSSH_RSA, 'ascii')),
    mpint(Buffer.from(jwk.e, 'base64url')),
    mpint(Buffer.from(jwk.n, 'base64url')),
  ])
}

/** The key of an `ssh-rsa <base64> [comment]` line. */
function readOpenSshKey(base64: string): KeyObject {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) throw invalid()
  const blob = Buffer.from(base64, 'base64')
  const type = readString(blob, 0)
  if (type.value.toString('latin1') !== OPENSSH_RSA) throw invalid()
  const e = readString(blob, type.next)
  const n = readString(blob, e.next)
  if (n.next !== blob.length) throw invalid()
  let key: KeyObject
  try {
    key = createPublicKey({
      key: { kty: 'RSA', n: n.value.toString('base64url'), e: e.value.toString('base64url') },
      format: 'jwk',
    })
  } catch {
    throw invalid()
  }
  // A blob that does not come back byte for byte (a negative or padded integer) is not the
  // canonical encoding of any key: the fingerprint would not be ssh-keygen's.
  if (!rsaWireForm(key).equals(blob)) throw invalid()
  return key
}

// One PEM block, nothing around it but white space.
const PEM_BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\s]+?)-----END \1-----$/

/** The key of a `PUBLIC KEY` (SPKI) or `RSA PUBLIC KEY` (PKCS #1) PEM block. */
function readPemKey(text: string): KeyObject {
  const match = PEM_BLOCK.exec(text)
  const label = match?.[1]
  if (match === null || label === undefined) throw unrecognized()
  if (label.includes('PRIVATE')) {
    // SECURITY: a private key would give the public one, but IAM must never hold the private
    // half; nothing of it is kept or echoed.
    // Invented message.
    throw invalid('The body is a private key: upload only its public key.')
  }
  const type = label === 'PUBLIC KEY' ? 'spki' : label === 'RSA PUBLIC KEY' ? 'pkcs1' : undefined
  if (type === undefined) throw unrecognized()
  try {
    return createPublicKey({ key: text, format: 'pem', type })
  } catch {
    throw invalid()
  }
}

/**
 * Reads an uploaded key. UnrecognizedPublicKeyEncoding for a body that is neither an OpenSSH
 * `ssh-rsa` line nor a public key PEM block (another OpenSSH key type included); InvalidPublicKey
 * for one of those that holds no valid RSA key, a private key, or a key under 2048 bits.
 */
export function readSshPublicKey(body: string): SshPublicKeyMaterial {
  const text = body.trim()
  let encoding: SshKeyEncoding
  let key: KeyObject
  if (text.startsWith('-----BEGIN ')) {
    encoding = 'PEM'
    key = readPemKey(text)
  } else {
    // An authorized_keys line: type, base64 blob, an optional comment.
    const match = /^(\S+)[ \t]+(\S+)(?:[ \t]+[^\r\n]*)?$/.exec(text)
    if (match === null || match[1] !== OPENSSH_RSA) throw unrecognized()
    encoding = 'SSH'
    key = readOpenSshKey(match[2] ?? '')
  }
  if (key.asymmetricKeyType !== 'rsa') throw invalid()
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MINIMUM_SSH_KEY_BITS) {
    // Invented message.
    throw invalid(
      `The public key is ${bits} bits long: it must be at least ${MINIMUM_SSH_KEY_BITS} bits.`,
    )
  }
  const wire = rsaWireForm(key)
  const digest = createHash('md5').update(wire).digest('hex')
  return {
    encoding,
    fingerprint: digest.replace(/(..)(?!$)/g, '$1:'),
    ssh: `${OPENSSH_RSA} ${wire.toString('base64')}`,
    pem: String(key.export({ type: 'spki', format: 'pem' })),
  }
}

/**
 * A stored key's body in the encoding asked for: as uploaded when it was uploaded in that
 * encoding (comment and all), else converted.
 */
export function sshPublicKeyBody(body: string, encoding: SshKeyEncoding): string {
  const material = readSshPublicKey(body)
  if (material.encoding === encoding) return body
  return encoding === 'SSH' ? material.ssh : material.pem
}
