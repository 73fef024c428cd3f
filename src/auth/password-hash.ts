/**
 * Console passwords at rest: scrypt (RFC 7914) with a random salt per password, its cost
 * parameters written beside the derived key, so a password is never stored reversibly and the
 * cost can be raised later without breaking the hashes already stored. The stored form is
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>`, salt and key in unpadded base64.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { ScryptOptions } from 'node:crypto'

/** The scrypt cost a new hash is made with. */
export interface ScryptCost {
  /** log2 of N, the CPU and memory cost. */
  readonly logN: number
  /** The block size. */
  readonly r: number
  /** The parallelization. */
  readonly p: number
}

/**
 * N = 2^15, r = 8, p = 1: the parameters golang.org/x/crypto/scrypt recommends for interactive
 * logins (32 MiB and about 100 ms a hash on a current core). Every password set is checked
 * against up to 24 earlier ones (PasswordReusePrevention), so a much higher cost would make a
 * password change take seconds.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: 15, r: 8, p: 1 }

const SALT_BYTES = 16
const KEY_BYTES = 32
const PREFIX = '$scrypt$'
// What a stored hash may ask for: a hash is only ever written by hashPassword, but a bound keeps
// a corrupted or planted row from making one verification take the server's memory or minutes.
const MAX_LOG_N = 20
const MAX_R = 32
const MAX_P = 16
const FORM = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/

/** A stored hash that is not of this module's form: a bug or a damaged database, never input. */
export class PasswordHashFormatError extends Error {
  override readonly name = 'PasswordHashFormatError'

  constructor() {
    // The stored value itself stays out of the message: it may be a password stored by mistake.
    super('the stored password hash is not a scrypt hash of the expected form')
  }
}

/** A parsed stored hash. */
interface StoredHash {
  readonly cost: ScryptCost
  readonly salt: Buffer
  readonly key: Buffer
}

function parseHash(stored: string): StoredHash {
  const m = FORM.exec(stored)
  if (m === null) throw new PasswordHashFormatError()
  const cost = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }
  if (!costIsSane(cost)) throw new PasswordHashFormatError()
  const salt = Buffer.from(m[4] ?? '', 'base64')
  const key = Buffer.from(m[5] ?? '', 'base64')
  if (salt.length < SALT_BYTES || key.length < KEY_BYTES) throw new PasswordHashFormatError()
  return { cost, salt, key }
}

function costIsSane(cost: ScryptCost): boolean {
  return (
    cost.logN >= 10 &&
    cost.logN <= MAX_LOG_N &&
    cost.r >= 1 &&
    cost.r <= MAX_R &&
    cost.p >= 1 &&
    cost.p <= MAX_P
  )
}

/** scrypt on the libuv thread pool: a hash does not stop the event loop. */
function derive(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const n = 2 ** cost.logN
  const options: ScryptOptions = {
    N: n,
    r: cost.r,
    p: cost.p,
    // scrypt needs 128 * N * r bytes; Node refuses past 32 MiB unless told the limit.
    maxmem: 256 * n * cost.r,
  }
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, 'utf8'), salt, length, options, (err, key) => {
      if (err === null) resolve(key)
      else reject(err)
    })
  })
}

/** Unpadded base64, as the PHC string format writes salts and keys. */
function base64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '')
}

/**
 * The stored form of `password`: a new random salt each time, so two users with one password,
 * or one user setting it twice, get different hashes.
 */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
  salt: Uint8Array = randomBytes(SALT_BYTES),
): Promise<string> {
  if (!costIsSane(cost)) throw new RangeError('scrypt cost out of range')
  if (salt.length < SALT_BYTES) throw new RangeError(`a salt has at least ${SALT_BYTES} bytes`)
  const saltBuffer = Buffer.from(salt)
  const key = await derive(password, saltBuffer, cost, KEY_BYTES)
  return `${PREFIX}ln=${cost.logN},r=${cost.r},p=${cost.p}$${base64(saltBuffer)}$${base64(key)}`
}

/**
 * Whether `password` is the one `stored` was made from. The keys are compared in constant time
 * (timingSafeEqual), so how long a wrong guess takes tells nothing of how close it came.
 * PasswordHashFormatError if `stored` is not a hash of this module.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { cost, salt, key } = parseHash(stored)
  const candidate = await derive(password, salt, cost, key.length)
  return timingSafeEqual(candidate, key)
}
