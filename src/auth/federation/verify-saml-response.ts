/**
 * Verifying a SAML 2.0 response for AssumeRoleWithSAML: the IdP's signature on the Response or
 * on its Assertion, made with a certificate of the IAM SAML provider's metadata, and nothing else.
 *
 * SECURITY, against XML signature wrapping: the signed element is the one read. A response must
 * hold exactly one assertion, plain or encrypted, a child of the Response; every Signature must
 * be a direct child of the Response or of that Assertion and reference its parent by the
 * parent's ID, unique in the document; each is checked with the metadata's certificates only
 * (never the KeyInfo the message carries), and one that fails fails the response. The assertion
 * is then read from the bytes the signature covers (xml-crypto's signed references, parsed
 * anew), never from the document as received, so that nothing an attacker moved or added beside
 * the signed part can be what is read.
 *
 * An encrypted assertion (a provider with private keys; IAM User Guide, "SAML 2.0 federation":
 * "IAM SAML identity federation supports encrypted SAML responses") is held to the same rule.
 * The IdP signs the Assertion before encrypting it, or the Response around the ciphertext, or
 * both: the EncryptedAssertion is taken from the Response's signed bytes when the Response is
 * signed, its plaintext is parsed as strictly as a response, and an Assertion signature inside
 * it is verified on that plaintext and its signed bytes read. An assertion that neither
 * signature covers is refused.
 *
 * SECURITY, against decryption oracles (AES-CBC is malleable, and XML Encryption's known attacks
 * read the difference between "did not decrypt", "decrypted to no XML" and "decrypted, but the
 * signature failed"): when the Response is not signed, so that its ciphertext may be an
 * attacker's, every failure from decrypting to verifying the inner signature gets one and the
 * same answer.
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
import { decryptSamlAssertion } from './decrypt-saml-assertion.js'
import { readSamlAssertion } from './read-saml-assertion.js'
import type { SamlAssertion } from './read-saml-assertion.js'

/** AWS's answer to a response whose signature does not verify. */
export const SIGNATURE_INVALID_MESSAGE = 'Response signature invalid'

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success'

// Invented message: AWS's answer to a plain assertion for a provider that requires encrypted
// ones is not on record.
/** The refusal of a plain assertion by a provider whose AssertionEncryptionMode is Required. */
export const ENCRYPTION_REQUIRED_MESSAGE =
  "The SAML provider requires encrypted assertions, and the response's assertion is not encrypted."

// Invented message, as are the two below: AWS's answers to an assertion it cannot decrypt are
// not on record.
/** The refusal of an encrypted assertion by a provider that has no private key. */
export const NO_PRIVATE_KEY_MESSAGE =
  "The response's assertion is encrypted, and the SAML provider has no private key to decrypt it."

/** The refusal of an encrypted assertion in a signed Response that no private key decrypts. */
export const UNDECRYPTABLE_MESSAGE =
  "The response's assertion cannot be decrypted with the SAML provider's private keys."

/**
 * The one answer to every failure of an encrypted assertion in an unsigned Response, from
 * decrypting it to verifying its signature (see the SECURITY note above).
 */
export const ENCRYPTED_ASSERTION_INVALID_MESSAGE =
  "The response's encrypted assertion cannot be decrypted with the SAML provider's private keys and verified with its signing certificates."

/** What a response is verified against: the IAM SAML provider's metadata and keys. */
export interface SamlTrust {
  /** The IdP's signing certificates, PEM. */
  readonly certificates: readonly string[]
  /** The metadata's entityID: the Issuer of the IdP's assertions. */
  readonly entityId: string
  /** The provider's AssertionEncryptionMode: Required refuses a plain assertion. */
  readonly encryption: 'Required' | 'Allowed'
  /**
   * The provider's private keys, PEM, oldest first. Called only for a response whose assertion
   * is encrypted, so that a plain one never has the keys opened.
   */
  readonly privateKeys: () => Promise<readonly string[]>
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

function invalid(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message)
}

/** The Assertion element of a plain response, read from what its signatures cover. */
function plainAssertion(xml: string, doc: Document, assertion: Element, trust: SamlTrust): Element {
  if (trust.encryption === 'Required') throw invalid(ENCRYPTION_REQUIRED_MESSAGE)
  const response = doc.documentElement
  const assertionId = idOf(assertion)
  if (assertionId === undefined || assertionId === '') {
    throw unreadableSaml('the assertion has no ID')
  }

  const signatures = elementsNamed(doc, XMLDSIG_NS, 'Signature')
  if (signatures.length === 0) throw invalid('The SAML response is not signed.')
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
    if (reference === undefined) throw invalid(SIGNATURE_INVALID_MESSAGE)
    // The assertion's own signature is the narrower one: read what it covers when there is one.
    if (parent === assertion || signedXml === undefined) {
      signedXml = { from: parent === assertion ? 'Assertion' : 'Response', xml: reference }
    }
  }
  if (signedXml === undefined) throw invalid(SIGNATURE_INVALID_MESSAGE)
  return signedAssertion(signedXml.xml, signedXml.from, assertionId)
}

/** The one EncryptedAssertion of a re-parsed signed Response. */
function signedEncryptedAssertion(signedXml: string): Element {
  const doc = parseSamlXml(signedXml)
  const root = doc.documentElement
  if (root.namespaceURI !== SAML_PROTOCOL_NS || root.localName !== 'Response') {
    throw unreadableSaml('the signature covers another element')
  }
  const encrypted = elementsNamed(doc, SAML_ASSERTION_NS, 'EncryptedAssertion')
  const [only] = encrypted
  if (
    encrypted.length !== 1 ||
    only === undefined ||
    only.parentNode !== root ||
    elementsNamed(doc, SAML_ASSERTION_NS, 'Assertion').length > 0
  ) {
    throw unreadableSaml('the signed response must hold exactly one assertion')
  }
  return only
}

/**
 * The Assertion an encrypted assertion's `plaintext` holds, verified: read from the bytes its
 * own signature covers when it has one, else taken whole when `responseSigned` (its ciphertext
 * was signed), else refused.
 */
function decryptedAssertion(
  plaintext: string,
  responseSigned: boolean,
  certificates: readonly string[],
): Element {
  const doc = parseSamlXml(plaintext)
  const root = doc.documentElement
  if (root.namespaceURI !== SAML_ASSERTION_NS || root.localName !== 'Assertion') {
    throw unreadableSaml('the encrypted element is not an assertion')
  }
  if (
    elementsNamed(doc, SAML_ASSERTION_NS, 'Assertion').length !== 1 ||
    elementsNamed(doc, SAML_ASSERTION_NS, 'EncryptedAssertion').length > 0
  ) {
    throw unreadableSaml('the encrypted assertion must hold no other assertion')
  }
  const id = idOf(root)
  if (id === undefined || id === '') throw unreadableSaml('the assertion has no ID')
  checkUniqueIds(doc)

  const signatures = elementsNamed(doc, XMLDSIG_NS, 'Signature')
  for (const signature of signatures) {
    if (signature.parentNode !== root) {
      throw unreadableSaml('a signature is where no SAML signature belongs')
    }
  }
  if (signatures.length > 1) throw unreadableSaml('an element is signed twice')
  const [signature] = signatures
  if (signature === undefined) {
    if (!responseSigned) throw invalid('The SAML response is not signed.')
    return root
  }
  const reference = verifiedReference(plaintext, signature, root, certificates)
  if (reference === undefined) throw invalid(SIGNATURE_INVALID_MESSAGE)
  return signedAssertion(reference, 'Assertion', id)
}

/** The Assertion element of an encrypted response, decrypted and verified. */
async function encryptedAssertion(
  xml: string,
  doc: Document,
  received: Element,
  trust: SamlTrust,
): Promise<Element> {
  const response = doc.documentElement
  // Nothing else in the response may be signed: only the Response can, around the ciphertext.
  const signatures = elementsNamed(doc, XMLDSIG_NS, 'Signature')
  for (const signature of signatures) {
    if (signature.parentNode !== response) {
      throw unreadableSaml('a signature is where no SAML signature belongs')
    }
  }
  if (signatures.length > 1) throw unreadableSaml('an element is signed twice')
  let encrypted = received
  const [signature] = signatures
  if (signature !== undefined) {
    const reference = verifiedReference(xml, signature, response, trust.certificates)
    if (reference === undefined) throw invalid(SIGNATURE_INVALID_MESSAGE)
    encrypted = signedEncryptedAssertion(reference)
  }
  const responseSigned = signature !== undefined

  const privateKeys = await trust.privateKeys()
  if (privateKeys.length === 0) throw invalid(NO_PRIVATE_KEY_MESSAGE)
  // What this refuses, it refuses for what the sender wrote in clear: its own answers are safe.
  const plaintext = decryptSamlAssertion(encrypted, privateKeys)
  try {
    if (plaintext === undefined) throw invalid(UNDECRYPTABLE_MESSAGE)
    return decryptedAssertion(plaintext, responseSigned, trust.certificates)
  } catch (err) {
    // A signed Response's ciphertext is the IdP's: saying what failed tells an attacker nothing.
    if (responseSigned) throw err
    // SECURITY: whatever failed, even unexpectedly, the answer is the same.
    throw invalid(ENCRYPTED_ASSERTION_INVALID_MESSAGE)
  }
}

/**
 * Verifies the SAML response `xml` (the decoded SAMLAssertion parameter) against `trust`, and
 * reads its assertion, decrypting it when it is encrypted. Throws InvalidIdentityToken for a
 * response that is malformed, unsigned, signed by another key, wrapped, encrypted for other
 * keys, or not encrypted for a provider that requires it, and IDPRejectedClaim for one whose
 * status is not Success.
 */
export async function verifySamlResponse(
  xml: string,
  trust: SamlTrust,
): Promise<VerifiedSamlResponse> {
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

  const plain = elementsNamed(doc, SAML_ASSERTION_NS, 'Assertion')
  const encrypted = elementsNamed(doc, SAML_ASSERTION_NS, 'EncryptedAssertion')
  const [assertion] = [...plain, ...encrypted]
  if (
    plain.length + encrypted.length !== 1 ||
    assertion === undefined ||
    assertion.parentNode !== response
  ) {
    throw unreadableSaml('the response must hold exactly one assertion')
  }
  checkUniqueIds(doc)

  const element =
    encrypted.length === 1
      ? await encryptedAssertion(xml, doc, assertion, trust)
      : plainAssertion(xml, doc, assertion, trust)
  const read = readSamlAssertion(element)
  if (read.issuer !== trust.entityId) {
    throw invalid(`The SAML assertion's Issuer ${read.issuer} is not the provider's entity ID.`)
  }
  return { assertion: read, destination: attributeOf(response, 'Destination') }
}
