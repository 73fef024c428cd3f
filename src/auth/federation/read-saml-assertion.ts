/**
 * What AssumeRoleWithSAML reads of a SAML 2.0 assertion (IAM User Guide, "Configure SAML
 * assertions for the authentication response"): the Issuer, the Subject's NameID and its one
 * bearer SubjectConfirmation (Recipient, NotOnOrAfter), the Conditions (NotBefore, NotOnOrAfter,
 * audiences), the AuthnStatement's SessionNotOnOrAfter, and the attributes by Name. Only ever
 * called on an assertion read back from the bytes its signature covers.
 */
import {
  SAML_ASSERTION_NS,
  attributeOf,
  childrenNamed,
  onlyChild,
  textOf,
  unreadableSaml,
} from './parse-saml-xml.js'

/** A SAML assertion as STS uses it. */
export interface SamlAssertion {
  readonly id: string
  /** The assertion's Issuer (saml:iss). */
  readonly issuer: string
  /** The Subject's NameID (saml:sub), if it has one. */
  readonly nameId: string | undefined
  /** The NameID's Format, if given. */
  readonly nameIdFormat: string | undefined
  /** The bearer SubjectConfirmationData's Recipient (saml:aud). */
  readonly recipient: string
  /** When the bearer confirmation ends: the assertion may not be used from then on. */
  readonly notOnOrAfter: Date
  /** The Conditions' window and audiences. */
  readonly conditions: {
    readonly notBefore: Date | undefined
    readonly notOnOrAfter: Date | undefined
    readonly audiences: readonly string[]
  }
  /** The AuthnStatement's SessionNotOnOrAfter: a session lasts no longer. */
  readonly sessionNotOnOrAfter: Date | undefined
  /** Every attribute's values, by its Name (case kept, as AWS matches it). */
  readonly attributes: ReadonlyMap<string, readonly string[]>
}

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer'

const DATE_TIME = /^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/

/** An xs:dateTime; SAML's times are UTC, so one without a zone is read as UTC. */
function dateTime(text: string | undefined, what: string): Date | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (!DATE_TIME.test(trimmed)) throw unreadableSaml(`${what} is not a date and time`)
  const zoned = /(?:Z|[+-]\d{2}:\d{2})$/.test(trimmed) ? trimmed : `${trimmed}Z`
  const time = Date.parse(zoned)
  if (Number.isNaN(time)) throw unreadableSaml(`${what} is not a date and time`)
  return new Date(time)
}

function attributes(assertion: Element): Map<string, string[]> {
  const byName = new Map<string, string[]>()
  for (const statement of childrenNamed(assertion, SAML_ASSERTION_NS, 'AttributeStatement')) {
    // AWS documents encrypted assertions (decrypted before this reads them), not encrypted
    // attributes or name identifiers inside one. Invented message, as the one below.
    if (childrenNamed(statement, SAML_ASSERTION_NS, 'EncryptedAttribute').length > 0) {
      throw unreadableSaml('encrypted attributes are not supported by this server')
    }
    for (const attribute of childrenNamed(statement, SAML_ASSERTION_NS, 'Attribute')) {
      const name = attributeOf(attribute, 'Name')
      if (name === undefined) continue
      const values = byName.get(name) ?? []
      for (const value of childrenNamed(attribute, SAML_ASSERTION_NS, 'AttributeValue')) {
        values.push(textOf(value))
      }
      byName.set(name, values)
    }
  }
  return byName
}

/** Reads `assertion` (a saml:Assertion element); InvalidIdentityToken for what AWS requires and it lacks. */
export function readSamlAssertion(assertion: Element): SamlAssertion {
  const id = attributeOf(assertion, 'ID') ?? ''
  const issuerElement = onlyChild(assertion, SAML_ASSERTION_NS, 'Issuer')
  const issuer = issuerElement === undefined ? '' : textOf(issuerElement)
  if (issuer === '') throw unreadableSaml('the assertion has no Issuer')

  const subject = onlyChild(assertion, SAML_ASSERTION_NS, 'Subject')
  if (subject === undefined) throw unreadableSaml('the assertion has no Subject')
  if (childrenNamed(subject, SAML_ASSERTION_NS, 'EncryptedID').length > 0) {
    throw unreadableSaml('encrypted name identifiers are not supported by this server')
  }
  const nameIdElement = onlyChild(subject, SAML_ASSERTION_NS, 'NameID')
  // "There must be exactly one SubjectConfirmation element" (IAM User Guide), a bearer one.
  const confirmations = childrenNamed(subject, SAML_ASSERTION_NS, 'SubjectConfirmation')
  const [confirmation] = confirmations
  if (confirmations.length !== 1 || confirmation === undefined) {
    throw unreadableSaml('the Subject must have exactly one SubjectConfirmation')
  }
  if (attributeOf(confirmation, 'Method') !== BEARER) {
    throw unreadableSaml('the SubjectConfirmation is not a bearer confirmation')
  }
  const data = onlyChild(confirmation, SAML_ASSERTION_NS, 'SubjectConfirmationData')
  const recipient = data === undefined ? undefined : attributeOf(data, 'Recipient')
  const notOnOrAfter =
    data === undefined
      ? undefined
      : dateTime(attributeOf(data, 'NotOnOrAfter'), 'SubjectConfirmationData NotOnOrAfter')
  if (recipient === undefined || notOnOrAfter === undefined) {
    throw unreadableSaml('the SubjectConfirmationData must have a Recipient and a NotOnOrAfter')
  }

  const conditions = onlyChild(assertion, SAML_ASSERTION_NS, 'Conditions')
  const audiences: string[] = []
  for (const restriction of conditions === undefined
    ? []
    : childrenNamed(conditions, SAML_ASSERTION_NS, 'AudienceRestriction')) {
    for (const audience of childrenNamed(restriction, SAML_ASSERTION_NS, 'Audience')) {
      audiences.push(textOf(audience))
    }
  }
  const authn = childrenNamed(assertion, SAML_ASSERTION_NS, 'AuthnStatement')
  const sessionEnds = authn
    .map((statement) =>
      dateTime(attributeOf(statement, 'SessionNotOnOrAfter'), 'SessionNotOnOrAfter'),
    )
    .filter((date): date is Date => date !== undefined)

  return {
    id,
    issuer,
    nameId: nameIdElement === undefined ? undefined : textOf(nameIdElement),
    nameIdFormat: nameIdElement === undefined ? undefined : attributeOf(nameIdElement, 'Format'),
    recipient,
    notOnOrAfter,
    conditions: {
      notBefore:
        conditions === undefined
          ? undefined
          : dateTime(attributeOf(conditions, 'NotBefore'), 'Conditions NotBefore'),
      notOnOrAfter:
        conditions === undefined
          ? undefined
          : dateTime(attributeOf(conditions, 'NotOnOrAfter'), 'Conditions NotOnOrAfter'),
      audiences,
    },
    sessionNotOnOrAfter: sessionEnds.reduce<Date | undefined>(
      (earliest, date) => (earliest === undefined || date < earliest ? date : earliest),
      undefined,
    ),
    attributes: attributes(assertion),
  }
}
