/**
 * The identifiers and secrets of service-specific credentials, as IAM makes them: ids with the
 * `ACCA` prefix, the generated service user name, and passwords and API keys from random bytes.
 * Randomness is an argument, so tests can make every value deterministic.
 */
import type { RandomBytes } from './ids.js'

/** The prefix of a service-specific credential's id ("context-specific credential", reference §3.2). */
export const SERVICE_CREDENTIAL_ID_PREFIX = 'ACCA'

/**
 * Characters after the prefix: 21 in all, as in AWS's examples and real ids
 * (`ACCAQFODXMPL4YFHP7DZE`, `ACCAYVOX5SUYX5PVDRUM5`).
 */
export const SERVICE_CREDENTIAL_ID_SUFFIX_LENGTH = 17

/**
 * Random bytes of a password: 44, sent as 60 base64 characters ending in `=`. That is what IAM
 * hands out today (LocalStack, whose tests are recorded against AWS, found 60 characters ending
 * in `=`); the CLI's 2019 example shows an older 44-character form (32 bytes).
 */
export const SERVICE_PASSWORD_BYTES = 44

// RFC 4648 base32: 32 symbols, so `byte % 32` draws each with the same probability.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function takeBytes(random: RandomBytes, size: number): Uint8Array {
  const bytes = random(size)
  if (bytes.length !== size) {
    throw new Error(`random source returned ${bytes.length} bytes where ${size} were asked for`)
  }
  return bytes
}

/** A new credential id: `ACCA` and 17 characters of `[A-Z2-7]`. */
export function newServiceCredentialId(random: RandomBytes): string {
  let suffix = ''
  for (const byte of takeBytes(random, SERVICE_CREDENTIAL_ID_SUFFIX_LENGTH)) {
    suffix += BASE32.charAt(byte % 32)
  }
  return SERVICE_CREDENTIAL_ID_PREFIX + suffix
}

/** A new password: SERVICE_PASSWORD_BYTES random bytes in base64. */
export function newServicePassword(random: RandomBytes): string {
  return Buffer.from(takeBytes(random, SERVICE_PASSWORD_BYTES)).toString('base64')
}

/**
 * An API key's bearer token: its prefix, then in base64 its alias and a new password joined by
 * `:`. The prefix is AWS's (Bedrock's keys begin with `ABSK`, as users quote them); the layout
 * after it is invented: AWS documents only that the secret is opaque.
 */
export function newApiKeySecret(random: RandomBytes, prefix: string, alias: string): string {
  const body = `${alias}:${newServicePassword(random)}`
  return prefix + Buffer.from(body, 'utf8').toString('base64')
}

/**
 * The service user name IAM generates: the user's name and account joined by `-at-`
 * (`jane-at-123456789012`, the model's example), with `+<n>` after the name for the n-th name
 * already taken (`developer+1-at-123456789012`, the CLI's example of a user's second credential).
 */
export function serviceUserName(userName: string, accountId: string, n: number): string {
  return `${userName}${n === 0 ? '' : `+${n}`}-at-${accountId}`
}

/** What a credential's secret is sealed against (src/store/secret-box.ts): its id. */
export function sealContext(credentialId: string): string {
  return `service-specific credential ${credentialId}`
}
