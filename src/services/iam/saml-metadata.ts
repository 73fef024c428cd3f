/**
 * SAML 2.0 metadata documents as IAM takes them (CreateSAMLProvider, UpdateSAMLProvider): a
 * well-formed `md:EntityDescriptor` with an `md:IDPSSODescriptor` for the SAML 2.0 protocol and
 * at least one signing certificate, every `ds:X509Certificate` in it a real certificate. IAM
 * parses the document, "including base64-decoding every X509Certificate into a valid DER
 * certificate", and checks no trust (chain, CA, reachability): a self-signed certificate is fine.
 */
import { X509Certificate } from 'node:crypto'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { AwsError } from '../../errors/aws-error.js'

/** The SAML 2.0 metadata namespace. */
export const SAML_METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata'
/** XML Signature's namespace, where KeyInfo and X509Certificate live. */
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#'
/** The SAML 2.0 protocol, as an IdP role lists it in protocolSupportEnumeration. */
export const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol'

/**
 * The keys (signing certificates) one provider's document may hold ("Keys per SAML provider: 10",
 * IAM User Guide, "IAM and AWS STS quotas").
 */
export const KEYS_PER_SAML_PROVIDER = 10

/** What IAM keeps of a metadata document besides its text. */
export interface SamlMetadata {
  /** The EntityDescriptor's entityID: the issuer of the IdP's assertions. */
  readonly entityId: string
  /** The earliest validUntil of the EntityDescriptor and its IdP roles, if any gives one. */
  readonly validUntil: Date | undefined
  /** The certificates the IdP signs with (KeyDescriptor use="signing" or without a use). */
  readonly signingCertificates: readonly X509Certificate[]
}

/** An element with its namespace resolved. */
interface Element {
  /** The namespace URI, or undefined for an element in no namespace. */
  readonly ns: string | undefined
  readonly local: string
  /** Attributes without a prefix, by name (namespace declarations left out). */
  readonly attributes: ReadonlyMap<string, string>
  readonly children: readonly Element[]
  /** The element's own text, its children's left out. */
  readonly text: string
}

/**
 * IAM's refusal of a document it cannot take. AWS's wording ("InvalidInput: Could not parse
 * metadata", recorded against IAM for a document whose certificate was not a certificate); that
 * IAM words its other refusals of a document (no IdP role, no signing certificate, a bad
 * validUntil, a DTD) the same way is assumed.
 */
function unparseable(): AwsError {
  return new AwsError('InvalidInput', 'Could not parse metadata')
}

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // SECURITY: set, not left to the default (the same 100), because it bounds the recursion of
  // `elements` below: a document nested deeper is refused, not a stack overflow.
  maxNestedTags: 100,
})

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The elements of fast-xml-parser's ordered output, namespaces resolved from `scope`. */
function elements(nodes: unknown, scope: ReadonlyMap<string, string>): Element[] {
  if (!Array.isArray(nodes)) throw unparseable()
  const out: Element[] = []
  for (const node of nodes as unknown[]) {
    if (!isRecord(node)) throw unparseable()
    const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text')
    if (name === undefined) continue
    const rawAttributes = isRecord(node[':@']) ? node[':@'] : {}
    const inner = new Map(scope)
    const attributes = new Map<string, string>()
    for (const [attribute, value] of Object.entries(rawAttributes)) {
      if (typeof value !== 'string') throw unparseable()
      if (attribute === 'xmlns') inner.set('', value)
      else if (attribute.startsWith('xmlns:')) inner.set(attribute.slice('xmlns:'.length), value)
      else if (!attribute.includes(':')) attributes.set(attribute, value)
    }
    const colon = name.indexOf(':')
    const prefix = colon < 0 ? '' : name.slice(0, colon)
    const ns = inner.get(prefix)
    // An undeclared prefix makes the document not namespace-well-formed.
    if (prefix !== '' && ns === undefined) throw unparseable()
    const content: unknown = node[name]
    let text = ''
    if (Array.isArray(content)) {
      for (const child of content as unknown[]) {
        if (isRecord(child) && typeof child['#text'] === 'string') text += child['#text']
      }
    }
    out.push({
      ns: ns === '' ? undefined : ns,
      local: colon < 0 ? name : name.slice(colon + 1),
      attributes,
      children: elements(content, inner),
      text,
    })
  }
  return out
}

function childrenNamed(element: Element, ns: string, local: string): Element[] {
  return element.children.filter((child) => child.ns === ns && child.local === local)
}

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/

/** An xs:dateTime attribute; one without a zone is UTC, as SAML's times are. */
function dateTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (!DATE_TIME.test(trimmed)) throw unparseable()
  const zoned = /(?:Z|[+-]\d{2}:\d{2})$/.test(trimmed) ? trimmed : `${trimmed}Z`
  const time = Date.parse(zoned)
  if (Number.isNaN(time)) throw unparseable()
  return new Date(time)
}

/** The certificate an X509Certificate element holds (base64 DER, white space allowed). */
function certificate(element: Element): X509Certificate {
  const base64 = element.text.replace(/\s+/g, '')
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) {
    throw unparseable()
  }
  if (base64 === '') throw unparseable()
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'))
  } catch (err) {
    throw new AwsError('InvalidInput', 'Could not parse metadata', { cause: err })
  }
}

/**
 * The signing certificates of one IdP role. Every X509Certificate of every KeyDescriptor must
 * be a certificate (IAM decodes them all), whatever its use.
 */
function roleCertificates(role: Element): X509Certificate[] {
  const signing: X509Certificate[] = []
  for (const descriptor of childrenNamed(role, SAML_METADATA_NS, 'KeyDescriptor')) {
    const use = descriptor.attributes.get('use')
    if (use !== undefined && use !== 'signing' && use !== 'encryption') throw unparseable()
    for (const keyInfo of childrenNamed(descriptor, XMLDSIG_NS, 'KeyInfo')) {
      for (const data of childrenNamed(keyInfo, XMLDSIG_NS, 'X509Data')) {
        for (const cert of childrenNamed(data, XMLDSIG_NS, 'X509Certificate')) {
          const parsed = certificate(cert)
          // A KeyDescriptor without a use serves both signing and encryption (SAML metadata §2.4.1.1).
          if (use !== 'encryption') signing.push(parsed)
        }
      }
    }
  }
  return signing
}

/**
 * Reads a metadata document as IAM does, or refuses it with InvalidInput ("Could not parse
 * metadata"), and with LimitExceeded for more signing certificates than a provider may hold.
 */
export function parseSamlMetadata(document: string): SamlMetadata {
  // SECURITY: a DTD is the door to entity expansion; SAML metadata never needs one.
  if (/<!DOCTYPE/i.test(document)) throw unparseable()
  // XMLValidator is fast-xml-parser's own well-formedness check (the parser alone is lenient:
  // it takes `<a><b></a>`); the package marks it deprecated in favour of a separate package,
  // which would be another dependency for the same code.
  if (XMLValidator.validate(document) !== true) throw unparseable()
  let parsed: unknown
  try {
    parsed = PARSER.parse(document)
  } catch (err) {
    throw new AwsError('InvalidInput', 'Could not parse metadata', { cause: err })
  }
  const [root, ...others] = elements(parsed, new Map())
  if (root === undefined || others.length > 0) throw unparseable()
  if (root.ns !== SAML_METADATA_NS || root.local !== 'EntityDescriptor') throw unparseable()
  const entityId = root.attributes.get('entityID')?.trim() ?? ''
  // SAML metadata §2.3.2: entityID is required, at most 1024 characters.
  if (entityId === '' || entityId.length > 1024) throw unparseable()

  const roles = childrenNamed(root, SAML_METADATA_NS, 'IDPSSODescriptor').filter((role) =>
    (role.attributes.get('protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL),
  )
  if (roles.length === 0) throw unparseable()
  const signingCertificates = roles.flatMap(roleCertificates)
  if (signingCertificates.length === 0) throw unparseable()
  if (signingCertificates.length > KEYS_PER_SAML_PROVIDER) {
    // Invented message: IAM's wording for this quota is not on record; it follows the form of
    // IAM's other quotas ("Cannot exceed quota for PoliciesPerRole: 10").
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for KeysPerSAMLProvider: ${KEYS_PER_SAML_PROVIDER}`,
    )
  }

  const dates = [root, ...roles]
    .map((element) => dateTime(element.attributes.get('validUntil')))
    .filter((date): date is Date => date !== undefined)
  const validUntil = dates.reduce<Date | undefined>(
    (earliest, date) => (earliest === undefined || date < earliest ? date : earliest),
    undefined,
  )
  return { entityId, validUntil, signingCertificates }
}
