/**
 * The condition keys of AssumeRoleWithSAML's request (IAM User Guide, "Mapping SAML attributes to
 * AWS trust policy context keys"): saml:aud (the bearer confirmation's Recipient), saml:iss (the
 * Issuer), saml:sub and saml:sub_type (the NameID and its format: `persistent`, `transient`, or
 * the full Format URI), saml:namequalifier (the hash IAM derives from the issuer, the account and
 * the provider's name), saml:doc (`<account>/<provider name>`), and the keys of the standard
 * attributes, each named by its OID (`urn:oid:...`). Whether a key is single- or multivalued is
 * the Service Authorization Reference's type for it.
 */
import { createHash } from 'node:crypto'
import type { SamlAssertion } from '../../auth/federation/read-saml-assertion.js'
import type { ContextValue } from '../../policy/index.js'

const NAME_ID_FORMAT_PREFIX = 'urn:oasis:names:tc:SAML:2.0:nameid-format:'

/**
 * The standard attributes that become keys: the attribute's Name, the key, and whether the key
 * is a list (ArrayOfString in the reference) or a single value (String).
 */
const ATTRIBUTE_KEYS: readonly (readonly [string, string, 'list' | 'single'])[] = [
  ['urn:oid:2.5.4.3', 'saml:commonName', 'single'],
  ['urn:oid:2.5.4.3', 'saml:cn', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.2.1.2', 'saml:eduorghomepageuri', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.2.1.3', 'saml:eduorgidentityauthnpolicyuri', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.2.1.4', 'saml:eduorglegalname', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.2.1.5', 'saml:eduorgsuperioruri', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.2.1.6', 'saml:eduorgwhitepagesuri', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.1', 'saml:edupersonaffiliation', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.11', 'saml:edupersonassurance', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.7', 'saml:edupersonentitlement', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.2', 'saml:edupersonnickname', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.3', 'saml:edupersonorgdn', 'single'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.4', 'saml:edupersonorgunitdn', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.5', 'saml:edupersonprimaryaffiliation', 'single'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.8', 'saml:edupersonprimaryorgunitdn', 'single'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.6', 'saml:edupersonprincipalname', 'single'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.9', 'saml:edupersonscopedaffiliation', 'list'],
  ['urn:oid:1.3.6.1.4.1.5923.1.1.1.10', 'saml:edupersontargetedid', 'list'],
  ['urn:oid:2.5.4.42', 'saml:givenName', 'single'],
  ['urn:oid:0.9.2342.19200300.100.1.3', 'saml:mail', 'single'],
  ['urn:oid:2.16.840.1.113730.3.1.241', 'saml:name', 'single'],
  ['urn:oid:2.5.4.4', 'saml:surname', 'single'],
  ['urn:oid:0.9.2342.19200300.100.1.1', 'saml:uid', 'single'],
  ['urn:oid:2.5.4.45', 'saml:x500UniqueIdentifier', 'single'],
]

/**
 * IAM's NameQualifier: BASE64(SHA1(issuer + account + "/" + provider name)), the STS API
 * reference's pseudocode for AssumeRoleWithSAML's result.
 */
export function samlNameQualifier(issuer: string, accountId: string, providerName: string): string {
  return createHash('sha1').update(`${issuer}${accountId}/${providerName}`, 'utf8').digest('base64')
}

/** The SubjectType STS reports: a SAML 2.0 NameID format without its prefix, any other whole. */
export function samlSubjectType(format: string | undefined): string | undefined {
  if (format === undefined) return undefined
  return format.startsWith(NAME_ID_FORMAT_PREFIX)
    ? format.slice(NAME_ID_FORMAT_PREFIX.length)
    : format
}

/** The request's condition keys from a verified assertion of provider `providerName` in `accountId`. */
export function samlConditionKeys(
  assertion: SamlAssertion,
  accountId: string,
  providerName: string,
): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {
    'saml:aud': assertion.recipient,
    'saml:iss': assertion.issuer,
    'saml:doc': `${accountId}/${providerName}`,
    'saml:namequalifier': samlNameQualifier(assertion.issuer, accountId, providerName),
  }
  if (assertion.nameId !== undefined) keys['saml:sub'] = assertion.nameId
  const subType = samlSubjectType(assertion.nameIdFormat)
  if (subType !== undefined) keys['saml:sub_type'] = subType
  for (const [name, key, kind] of ATTRIBUTE_KEYS) {
    const values = assertion.attributes.get(name)
    if (values === undefined || values.length === 0) continue
    keys[key] = kind === 'single' && values.length === 1 ? (values[0] as string) : values
  }
  return keys
}
