/**
 * Secrets out of a record: the members of requestParameters and responseElements that carry a
 * password, a secret key, a session token, a one-time code or an identity provider's assertion,
 * each either left out or replaced, as AWS's records do.
 */
import { defineMember } from './define-member.js'
import type { JsonArray, JsonValue } from './json-value.js'

/**
 * The value CloudTrail writes in place of a member it will not show (its userIdentity
 * documentation for mistyped sign-in names; services' records such as Transfer Family's
 * `hostKey`). Used here for every secret AWS's IAM and STS records do not simply leave out.
 */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS'

/** What happens to a secret member: left out of the record, or kept with its value hidden. */
export type SecretTreatment = 'omit' | 'hide'

/**
 * The secret members, by lower-cased name (a request's names are matched without case: a
 * misspelt `password` that AWS would refuse is still a password). Every member of IAM's and
 * STS's models whose shape is `sensitive` is here (test/audit/model-tables.test.ts checks it
 * against botocore), and so are the secrets those models do not mark.
 *
 * Left out, as AWS's records leave them out: the password of CreateLoginProfile (its record
 * has `userName` and `passwordResetRequired` only), the secret key of CreateAccessKey and of
 * STS's credentials (their records show `accessKeyId` and no secret), and the other secrets a
 * response hands over once (service-specific credentials, a virtual MFA device's seed and QR
 * code). Sources: DataDog/stratus-red-team detonation logs of real CreateLoginProfile,
 * CreateAccessKey and GetFederationToken calls (2024).
 *
 * Hidden: STS's session token (AWS's records show it in full; here a token is a bearer
 * credential sealed by this server, and Gatehouse's trail holds no credential), the MFA codes
 * (TokenCode, AuthenticationCode1/2), SAML assertions, web identity and trade-in tokens, and
 * private keys.
 */
export const SECRET_MEMBERS: ReadonlyMap<string, SecretTreatment> = new Map([
  ['password', 'omit'],
  ['oldpassword', 'omit'],
  ['newpassword', 'omit'],
  ['secretaccesskey', 'omit'],
  ['servicepassword', 'omit'],
  ['servicecredentialsecret', 'omit'],
  ['base32stringseed', 'omit'],
  ['qrcodepng', 'omit'],
  ['sessiontoken', 'hide'],
  ['securitytoken', 'hide'],
  ['tokencode', 'hide'],
  ['authenticationcode1', 'hide'],
  ['authenticationcode2', 'hide'],
  ['samlassertion', 'hide'],
  ['webidentitytoken', 'hide'],
  ['tradeintoken', 'hide'],
  ['privatekey', 'hide'],
  ['addprivatekey', 'hide'],
])

/**
 * Whether a text holds a PEM private key, whatever member carries it: one pasted by mistake where
 * a public key or a certificate belongs (UploadSSHPublicKey, UploadSigningCertificate) is refused
 * by the call, but would otherwise sit in the record of the refusal.
 */
function holdsPrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)
}

/** How a member of this name is treated, or undefined for a member that is no secret. */
export function secretTreatment(name: string): SecretTreatment | undefined {
  return SECRET_MEMBERS.get(name.toLowerCase())
}

// Array.isArray does not narrow a readonly array type.
const isJsonArray = (value: JsonValue): value is JsonArray => Array.isArray(value)

/** Every string inside a value (the text of a secret, wherever it sits). */
function collectStrings(value: JsonValue, into: Set<string>): void {
  if (typeof value === 'string') into.add(value)
  else if (isJsonArray(value)) for (const item of value) collectStrings(item, into)
  else if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) collectStrings(member, into)
  }
}

/**
 * The value with its secret members, at any depth, left out or hidden. The text of each secret
 * taken out is added to `secrets`, so that the caller can keep it out of the rest of the record
 * (an error message that quotes a value).
 */
export function redact(value: JsonValue, secrets: Set<string>): JsonValue {
  if (isJsonArray(value)) return value.map((item) => redact(item, secrets))
  if (typeof value !== 'object' || value === null) return value
  const kept: Record<string, JsonValue> = {}
  for (const name of Object.keys(value)) {
    const member = value[name] as JsonValue
    const treatment =
      typeof member === 'string' && holdsPrivateKey(member) ? 'hide' : secretTreatment(name)
    if (treatment === undefined) {
      defineMember(kept, name, redact(member, secrets))
      continue
    }
    collectStrings(member, secrets)
    if (treatment === 'hide') defineMember(kept, name, HIDDEN)
  }
  return kept
}
