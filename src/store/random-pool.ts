/**
 * Random bytes from the operating system's CSPRNG, fetched a few kilobytes at a time and handed
 * out in order, each byte once. One crypto.randomBytes call costs about 1.6 us on these machines
 * whatever its size (the binding and OpenSSL's RAND_bytes), so the 12 to 30 bytes of an IV, an
 * access key id or a secret cost a small fraction of that from the pool; an AssumeRole takes
 * three such draws. Node's own crypto.randomUUID keeps a pool the same way.
 */
import { randomBytes, randomFillSync } from 'node:crypto'

/** How many bytes are fetched at a time. */
const POOL_BYTES = 4096

// Larger draws (none on a request's path) go to the CSPRNG directly.
const MAX_POOLED = 256

let pool = Buffer.alloc(0)
let offset = 0

/** `size` cryptographically secure random bytes: a copy, which the caller may keep or change. */
export function pooledRandomBytes(size: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`size must be a non-negative integer, not ${size}`)
  }
  if (size > MAX_POOLED) return randomBytes(size)
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES))
    offset = 0
  }
  const bytes = Buffer.allocUnsafe(size)
  pool.copy(bytes, 0, offset, offset + size)
  // SECURITY: bytes handed out are wiped from the pool, so that nothing that reads the pool
  // later (a heap snapshot, say) learns a key or an IV already used.
  pool.fill(0, offset, offset + size)
  offset += size
  return bytes
}
