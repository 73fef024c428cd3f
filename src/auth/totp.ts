/**
 * One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238), what a virtual MFA device computes.
 * Pure: the key, the time and the parameters are arguments; nothing here reads a clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The HMAC a one-time password is computed with (RFC 6238 §1.2 allows all three). */
export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512'

/** How TOTP codes are made. The defaults are what virtual MFA devices use with IAM. */
export interface TotpOptions {
  /** Digits of a code (RFC 4226 §5.3: at least 6); 6 unless given. */
  readonly digits?: number
  /** The time step X in seconds (RFC 6238 §4.1); 30 unless given. */
  readonly stepSeconds?: number
  /** The Unix time T0 at which step 0 starts, in seconds; 0 unless given. */
  readonly t0?: number
  /** HMAC-SHA1 unless given. */
  readonly algorithm?: OtpAlgorithm
}

/** Digits and the algorithm, as HOTP takes them. */
export type HotpOptions = Pick<TotpOptions, 'digits' | 'algorithm'>

/**
 * HOTP(K, C) (RFC 4226 §5.3): the HMAC of the 8-byte big-endian counter under `key`, dynamically
 * truncated to 31 bits, as `digits` decimal digits with leading zeros.
 */
export function hotp(key: Uint8Array, counter: number | bigint, options: HotpOptions = {}): string {
  const digits = options.digits ?? 6
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) {
    throw new RangeError(`an HOTP code has 6 to 10 digits, not ${digits}`)
  }
  const count = BigInt(counter)
  if (count < 0n || count > 0xffffffffffffffffn) {
    throw new RangeError(`an HOTP counter is 8 bytes, not ${count}`)
  }
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(count)
  const hmac = createHmac(options.algorithm ?? 'sha1', key)
    .update(message)
    .digest()
  // Dynamic truncation: the low 4 bits of the last byte say where the 31 bits start.
  const offset = (hmac[hmac.length - 1] ?? 0) & 0x0f
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/** The TOTP time step T = floor((unix time - T0) / X) that `at` falls in (RFC 6238 §4.2). */
export function totpStep(at: Date, options: TotpOptions = {}): number {
  const stepSeconds = options.stepSeconds ?? 30
  const seconds = Math.floor(at.getTime() / 1000)
  return Math.floor((seconds - (options.t0 ?? 0)) / stepSeconds)
}

/** The TOTP code of time step `step`. */
export function totpAtStep(key: Uint8Array, step: number, options: TotpOptions = {}): string {
  return hotp(key, step, options)
}

/** The TOTP code a device shows at `at`. */
export function totp(key: Uint8Array, at: Date, options: TotpOptions = {}): string {
  return totpAtStep(key, totpStep(at, options), options)
}

/**
 * Whether `provided` is the code of `step`, compared in time that does not depend on where the
 * two differ (SECURITY: a code is a credential).
 */
export function codeMatches(
  key: Uint8Array,
  step: number,
  provided: string,
  options: TotpOptions = {},
): boolean {
  const expected = Buffer.from(totpAtStep(key, step, options), 'utf8')
  const given = Buffer.from(provided, 'utf8')
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Where to look for two consecutive codes, and what may not be used again. */
export interface ConsecutiveCodesSearch {
  /** The time step of the verifier's clock. */
  readonly step: number
  /** Steps either side of `step` the second code may come from. */
  readonly window: number
  /** The newest step already used: a pair must lie wholly after it (no replay). */
  readonly after: number | null
}

/**
 * The step of `code2` when `code1` and `code2` are the codes of two consecutive steps s-1 and s,
 * with s at most `window` steps from `step` (the nearest such s first) and s-1 after `after`;
 * undefined when no such pair is found.
 */
export function findConsecutiveCodes(
  key: Uint8Array,
  code1: string,
  code2: string,
  search: ConsecutiveCodesSearch,
  options: TotpOptions = {},
): number | undefined {
  for (let distance = 0; distance <= search.window; distance++) {
    for (const s of distance === 0
      ? [search.step]
      : [search.step - distance, search.step + distance]) {
      if (s < 1 || (search.after !== null && s - 1 <= search.after)) continue
      if (codeMatches(key, s - 1, code1, options) && codeMatches(key, s, code2, options)) return s
    }
  }
  return undefined
}
