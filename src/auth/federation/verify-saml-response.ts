/**
 * Verifying a SAML 2.0 response for AssumeRoleWithSAML: the IdP's signature on the Response or
 * on its Assertion, made with a certificate of the IAM SAML provider's metadata, and nothing else.
 *
 * SECURITY, against XML signature wrapping: the signed element is the one read. A response must
 * hold exactly one Assertion, a child of the Response, and no encrypted one; every Signature
 * must be a direct child of the Response or of that Assertion and reference its parent by the
 * parent's ID, unique in the document; each is checked with the metadata's certificates only
 * (never the KeyInfo the message carries), and one that fails fails the response. The assertion
 * is then read from the bytes the signature covers (xml-crypto's signed references, parsed
 * anew), never from the document as received, so that nothing an attacker moved or added beside
 * the signed part can be what is read.
 */
import { SignedXml } from 'xml-crypto'
import { AwsError } from '../../errors/aws-error.js'
import {
  SAML_ASSERTION_NS,
  SAML_PROTOCOL_NS,
  XMLDSIG_NS,
  attributeOf,
  childrenNamed,
  elementsNamed,
  onlyChild,
  parseSamlXml,
  unreadableSaml,
} from './parse-saml-xml.js'
import { readSamlAssertion } from './read-saml-assertion.js'
import type { SamlAssertion } from './read-saml-assertion.js'

/** AWS's answer to a response whose signature does not verify. */
export const SIGNATURE_INVALID_MESSAGE = 'Response signature invalid'

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success'

/** What a response is verified against: the IAM SAML provider's metadata. */
export interface SamlTrust {
  /** The IdP's signing certificates, PEM. */
  readonly certificates: readonly string[]
  /** The metadata's entityID: the Issuer of the IdP's assertions. */
  readonly entityId: string
}

/** A verified response: its one assertion, read from what was signed. */
export interface VerifiedSamlResponse {
  readonly assertion: SamlAssertion
  /** The Response's Destination, if it has one. */
  readonly destination: string | undefined
}

/** The text of a base64 SAMLResponse; InvalidIdentityToken for text that is not base64. */
export function decodeSamlResponse(base64: string): string {
  const compact = base64.replace(/\s+/g, '')
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
    throw unreadableSaml('the assertion is not base64')
  }
  return Buffer.from(compact, 'base64').toString('utf8')
}

function idOf(element: Element): string | undefined {
  return attributeOf(element, 'ID')
}

/**
 * Every value of an ID-like attribute (ID, Id, id: what xml-crypto resolves references by) must
 * be unique, so that a reference can name one element only.
 */
function checkUniqueIds(doc: Document): void {
  const seen = new Set<string>()
  const all = doc.getElementsByTagName('*')
  for (let i = 0; i < all.length; i++) {
    const el = all.item(i)
    if (el === null) continue
    for (const name of ['ID', 'Id', 'id']) {
      const value = attributeOf(el, name)
      if (value === undefined) continue
      if (seen.has(value)) throw unreadableSaml('two elements have the same ID')
      seen.add(value)
    }
  }
}

/**
 * The canonical XML a signature covers, if it verifies with one of `certificates`; undefined if
 * it verifies with none. The signature must reference `parent`, its own parent, and nothing else.
 */
function verifiedReference(
  xml: string,
  signature: Element,
  parent: Element,
  certificates: readonly string[],
): string | undefined {
  const signedInfo = onlyChild(signature, XMLDSIG_NS, 'SignedInfo')
  const references =
    signedInfo === undefined ? [] : childrenNamed(signedInfo, XMLDSIG_NS, 'Reference')
  const id = idOf(parent)
  if (references.length !== 1 || id === undefined || id === '') return undefined
  if (attributeOf(references[0] as Element, 'URI') !== `#${id}`) return undefined
  for (const certificate of certificates) {
    // SECURITY: the key is the metadata's; getCertFromKeyInfo returns nothing, so the message's
    // own KeyInfo is never used, whatever it holds.
    const verifier = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null })
    try {
      verifier.loadSignature(signature)
      if (verifier.checkSignature(xml)) {
        const [signed, ...more] = verifier.getSignedReferences()
        if (signed !== undefined && more.length === 0) return signed
      }
    } catch {
      // This certificate does not verify it (or the signature is malformed): try the next one.
    }
  }
  return undefined
}

/** The one Assertion element of a re-parsed signed XML, which must be `id`. */
function signedAssertion(signedXml: string, from: 'Response' | 'Assertion', id: string): Element {
  const doc = parseSamlXml(signedXml)
  const root = doc.documentElement
  const ns = from === 'Response' ? SAML_PROTOCOL_NS : SAML_ASSERTION_NS
  if (root.namespaceURI !== ns || root.localName !== from) {
    throw unreadableSaml('the signature covers another element')
  }
  if (from === 'Assertion') {
    if (idOf(root) !== id) throw unreadableSaml('the signature covers another assertion')
    return root
  }
  const assertions = elementsNamed(doc, SAML_ASSERTION_NS, 'Assertion')
  const [assertion] = assertions
  if (assertions.length !== 1 || assertion === undefined || assertion.parentNode !== root) {
    throw unreadableSaml('the signed response must hold exactly one assertion')
  }
  if (idOf(assertion) !== id) throw unreadableSaml('the signature covers another assertion')
  return assertion
}

/**
 * Verifies the SAML response `xml` (the decoded SAMLAssertion parameter) against `trust`, and
 * reads its assertion. Throws InvalidIdentityToken for a response that is malformed, unsigned,
 * signed by another key or wrapped, and IDPRejectedClaim for one whose status is not Success.
 */
export function verifySamlResponse(xml: string, trust: SamlTrust): VerifiedSamlResponse {
  const doc = parseSamlXml(xml)
  const response = doc.documentElement
  if (response.namespaceURI !== SAML_PROTOCOL_NS || response.localName !== 'Response') {
    throw unreadableSaml('the document is not a SAML 2.0 Response')
  }
  const status = onlyChild(response, SAML_PROTOCOL_NS, 'Status')
  const code = status === undefined ? undefined : onlyChild(status, SAML_PROTOCOL_NS, 'StatusCode')
  const value = code === undefined ? undefined : attributeOf(code, 'Value')
  if (value !== SUCCESS) {
    throw new AwsError(
      'IDPRejectedClaim',
      `The identity provider did not authenticate the user: status ${value ?? '(none)'}.`,
    )
  }

  if (elementsNamed(doc, SAML_ASSERTION_NS, 'EncryptedAssertion').length > 0) {
    throw unreadableSaml('encrypted assertions are not supported by this server')
  }
  const assertions = elementsNamed(doc, SAML_ASSERTION_NS, 'Assertion')
  const [assertion] = assertions
  if (assertions.length !== 1 || assertion === undefined || assertion.parentNode !== response) {
    throw unreadableSaml('the response must hold exactly one assertion')
  }
  const assertionId = idOf(assertion)
  if (assertionId === undefined || assertionId === '') {
    throw unreadableSaml('the assertion has no ID')
  }
  checkUniqueIds(doc)

  const signatures = elementsNamed(doc, XMLDSIG_NS, 'Signature')
  if (signatures.length === 0) {
    throw new AwsError('InvalidIdentityToken', 'The SAML response is not signed.')
  }
  let signedXml: { readonly from: 'Response' | 'Assertion'; readonly xml: string } | undefined
  const signedParents = new Set<Element>()
  for (const signature of signatures) {
    const parent = signature.parentNode as Element | null
    if (parent !== response && parent !== assertion) {
      throw unreadableSaml('a signature is where no SAML signature belongs')
    }
    if (signedParents.has(parent)) throw unreadableSaml('an element is signed twice')
    signedParents.add(parent)
    const reference = verifiedReference(xml, signature, parent, trust.certificates)
    if (reference === undefined) {
      throw new AwsError('InvalidIdentityToken', SIGNATURE_INVALID_MESSAGE)
    }
    // The assertion's own signature is the narrower one: read what it covers when there is one.
    if (parent === assertion || signedXml === undefined) {
      signedXml = { from: parent === assertion ? 'Assertion' : 'Response', xml: reference }
    }
  }
  if (signedXml === undefined) throw new AwsError('InvalidIdentityToken', SIGNATURE_INVALID_MESSAGE)

  const read = readSamlAssertion(signedAssertion(signedXml.xml, signedXml.from, assertionId))
  if (read.issuer !== trust.entityId) {
    throw new AwsError(
      'InvalidIdentityToken',
      `The SAML assertion's Issuer ${read.issuer} is not the provider's entity ID.`,
    )
  }
  const destination = attributeOf(response, 'Destination')
  return { assertion: read, destination }
}
