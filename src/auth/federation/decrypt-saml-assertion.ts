/**
 * Decrypting a SAML EncryptedAssertion with an IAM SAML provider's private keys (AddPrivateKey):
 * XML Encryption with the content key carried in an EncryptedKey, transported with RSA-OAEP and
 * used with AES-CBC or AES-GCM ("The private key must be a .pem file that uses AES-GCM or AES-CBC
 * encryption algorithm to decrypt SAML assertions", IAM API reference, CreateSAMLProvider). The
 * cryptography is auth0's xml-encryption, the library SAML service providers on Node use.
 *
 * SECURITY: xml-encryption finds its elements by local name, first match wins, and its only
 * algorithm switch allows RSA 1.5 and 3DES together with AES-CBC. So the EncryptedAssertion is
 * checked here first, on its own terms: the SAML schema's shape (one EncryptedData, its one
 * EncryptedKey inline or referenced, one CipherValue each, no CipherReference, which would name
 * outside data), and only the algorithms below. RSA 1.5 key transport (Bleichenbacher's padding
 * oracle) and 3DES are refused. These checks read only what the sender wrote in clear, so their
 * messages tell an attacker nothing; what depends on the keys (whether a key opens the
 * EncryptedKey, what the plaintext is) is one answer, undefined, left to the caller to word once.
 */
import xmlEncryption from 'xml-encryption'
import {
  SAML_ASSERTION_NS,
  XMLDSIG_NS,
  attributeOf,
  childrenNamed,
  unreadableSaml,
} from './parse-saml-xml.js'

/** XML Encryption 1.0 (`xenc:`). */
export const XMLENC_NS = 'http://www.w3.org/2001/04/xmlenc#'
/** XML Encryption 1.1 (`xenc11:`). */
export const XMLENC11_NS = 'http://www.w3.org/2009/xmlenc11#'

/** The block ciphers an assertion may be encrypted with: AES-CBC and AES-GCM, 128 or 256 bits. */
export const SAML_BLOCK_ENCRYPTION: ReadonlySet<string> = new Set([
  `${XMLENC_NS}aes128-cbc`,
  `${XMLENC_NS}aes256-cbc`,
  `${XMLENC11_NS}aes128-gcm`,
  `${XMLENC11_NS}aes256-gcm`,
])

/** The key transports the content key may come in: RSA-OAEP, as XML Encryption 1.0 and 1.1 name it. */
export const SAML_KEY_TRANSPORT: ReadonlySet<string> = new Set([
  `${XMLENC_NS}rsa-oaep-mgf1p`,
  `${XMLENC11_NS}rsa-oaep`,
])

/** OAEP's digests (SHA-1 when none is given), as xml-encryption reads them. */
const OAEP_DIGESTS: ReadonlySet<string> = new Set([
  'http://www.w3.org/2000/09/xmldsig#sha1',
  `${XMLENC_NS}sha256`,
  `${XMLENC_NS}sha512`,
])

/** The mask generation functions of xenc11#rsa-oaep (MGF1 with SHA-1 when none is given). */
const OAEP_MGFS: ReadonlySet<string> = new Set(
  ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'].map((hash) => `${XMLENC11_NS}mgf1${hash}`),
)

/** EncryptedData's Type for an encrypted element (the only kind an assertion can be). */
const ELEMENT_TYPE = `${XMLENC_NS}Element`

const ELEMENT_NODE = 1

function elementChildren(element: Element): Element[] {
  const found: Element[] = []
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) found.push(child as Element)
  }
  return found
}

/** How many elements of `element`'s subtree (itself included) have each local name. */
function localNameCounts(
  element: Element,
  counts: Map<string, number> = new Map(),
): Map<string, number> {
  const name = element.localName ?? ''
  counts.set(name, (counts.get(name) ?? 0) + 1)
  for (const child of elementChildren(element)) localNameCounts(child, counts)
  return counts
}

function is(element: Element, ns: string, local: string): boolean {
  return element.namespaceURI === ns && element.localName === local
}

/** `element`'s children are only those `allowed` ([namespace, local name] pairs). */
function onlyChildrenOf(
  element: Element,
  allowed: readonly (readonly [string, string])[],
  what: string,
): void {
  for (const child of elementChildren(element)) {
    if (!allowed.some(([ns, local]) => is(child, ns, local))) {
      throw unreadableSaml(`the ${what} holds an element it may not (${child.localName ?? ''})`)
    }
  }
}

/** The one child `ns`:`local` of `element`, which must be there exactly once. */
function exactlyOne(element: Element, ns: string, local: string, what: string): Element {
  const found = childrenNamed(element, ns, local)
  const [first] = found
  if (found.length !== 1 || first === undefined) {
    throw unreadableSaml(`the ${what} must have exactly one ${local}`)
  }
  return first
}

/** The one CipherValue of a CipherData, its ciphertext given in the message itself. */
function checkCipherData(parent: Element, what: string): void {
  const cipherData = exactlyOne(parent, XMLENC_NS, 'CipherData', what)
  onlyChildrenOf(cipherData, [[XMLENC_NS, 'CipherValue']], `${what}'s CipherData`)
  exactlyOne(cipherData, XMLENC_NS, 'CipherValue', `${what}'s CipherData`)
}

function checkKeyTransport(encryptedKey: Element): void {
  onlyChildrenOf(
    encryptedKey,
    [
      [XMLENC_NS, 'EncryptionMethod'],
      [XMLDSIG_NS, 'KeyInfo'],
      [XMLENC_NS, 'CipherData'],
      [XMLENC_NS, 'ReferenceList'],
      [XMLENC_NS, 'CarriedKeyName'],
    ],
    'EncryptedKey',
  )
  const method = exactlyOne(encryptedKey, XMLENC_NS, 'EncryptionMethod', 'EncryptedKey')
  const algorithm = attributeOf(method, 'Algorithm') ?? ''
  if (algorithm === `${XMLENC_NS}rsa-1_5`) {
    throw unreadableSaml('RSA 1.5 key transport is not accepted; use RSA-OAEP')
  }
  if (!SAML_KEY_TRANSPORT.has(algorithm)) {
    throw unreadableSaml('the key transport algorithm is not RSA-OAEP')
  }
  onlyChildrenOf(
    method,
    [
      [XMLDSIG_NS, 'DigestMethod'],
      [XMLENC11_NS, 'MGF'],
      [XMLENC_NS, 'OAEPparams'],
    ],
    "EncryptedKey's EncryptionMethod",
  )
  for (const [ns, local, accepted] of [
    [XMLDSIG_NS, 'DigestMethod', OAEP_DIGESTS],
    [XMLENC11_NS, 'MGF', OAEP_MGFS],
  ] as const) {
    const found = childrenNamed(method, ns, local)
    if (found.length > 1) throw unreadableSaml(`the key transport has more than one ${local}`)
    const value = found[0] === undefined ? undefined : attributeOf(found[0], 'Algorithm')
    if (found[0] !== undefined && !accepted.has(value ?? '')) {
      throw unreadableSaml(`the key transport's ${local} is not one this server accepts`)
    }
  }
  if (childrenNamed(method, XMLENC_NS, 'OAEPparams').length > 1) {
    throw unreadableSaml('the key transport has more than one OAEPparams')
  }
  checkCipherData(encryptedKey, 'EncryptedKey')
}

/**
 * Checks `encryptedAssertion` (a saml:EncryptedAssertion) is one this server decrypts;
 * InvalidIdentityToken, saying why, when it is not.
 */
function checkEncryptedAssertion(encryptedAssertion: Element): void {
  onlyChildrenOf(
    encryptedAssertion,
    [
      [XMLENC_NS, 'EncryptedData'],
      [XMLENC_NS, 'EncryptedKey'],
    ],
    'EncryptedAssertion',
  )
  const data = exactlyOne(encryptedAssertion, XMLENC_NS, 'EncryptedData', 'EncryptedAssertion')
  const type = attributeOf(data, 'Type')
  if (type !== undefined && type !== ELEMENT_TYPE) {
    throw unreadableSaml('the EncryptedData does not hold an encrypted element')
  }
  onlyChildrenOf(
    data,
    [
      [XMLENC_NS, 'EncryptionMethod'],
      [XMLDSIG_NS, 'KeyInfo'],
      [XMLENC_NS, 'CipherData'],
      [XMLENC_NS, 'EncryptionProperties'],
    ],
    'EncryptedData',
  )
  const method = exactlyOne(data, XMLENC_NS, 'EncryptionMethod', 'EncryptedData')
  if (!SAML_BLOCK_ENCRYPTION.has(attributeOf(method, 'Algorithm') ?? '')) {
    throw unreadableSaml('the assertion is not encrypted with AES-CBC or AES-GCM')
  }
  checkCipherData(data, 'EncryptedData')

  // The library resolves every element by local name, the first found: each must be unique.
  const counts = localNameCounts(encryptedAssertion)
  for (const [local, most] of [
    ['EncryptedData', 1],
    ['EncryptedKey', 1],
    ['EncryptionMethod', 2],
    ['CipherData', 2],
    ['CipherValue', 2],
    ['RetrievalMethod', 1],
    ['DigestMethod', 1],
    ['MGF', 1],
    ['OAEPparams', 1],
  ] as const) {
    if ((counts.get(local) ?? 0) > most) {
      throw unreadableSaml(`the EncryptedAssertion has more than ${most} ${local}`)
    }
  }

  const keyInfos = childrenNamed(data, XMLDSIG_NS, 'KeyInfo')
  if (keyInfos.length > 1) throw unreadableSaml('the EncryptedData has more than one KeyInfo')
  const keyInfo = keyInfos[0]
  const inline = keyInfo === undefined ? [] : childrenNamed(keyInfo, XMLENC_NS, 'EncryptedKey')
  const beside = childrenNamed(encryptedAssertion, XMLENC_NS, 'EncryptedKey')
  let encryptedKey = inline[0]
  if (encryptedKey === undefined) {
    // SAML's other place for it: beside the EncryptedData, which names it by a RetrievalMethod.
    const retrieval =
      keyInfo === undefined ? [] : childrenNamed(keyInfo, XMLDSIG_NS, 'RetrievalMethod')
    const id = beside[0] === undefined ? undefined : attributeOf(beside[0], 'Id')
    const uri = retrieval[0] === undefined ? undefined : attributeOf(retrieval[0], 'URI')
    if (id === undefined || id === '' || uri !== `#${id}`) {
      throw unreadableSaml('the EncryptedData does not carry or reference its EncryptedKey')
    }
    encryptedKey = beside[0]
  }
  if (encryptedKey === undefined) throw unreadableSaml('the EncryptedData has no EncryptedKey')
  checkKeyTransport(encryptedKey)
}

/** The plaintext `privateKey` decrypts `encryptedAssertion` to, or undefined. */
function decryptWith(encryptedAssertion: Element, privateKey: string): string | undefined {
  let plaintext: string | undefined
  try {
    xmlEncryption.decrypt(
      encryptedAssertion,
      {
        key: privateKey,
        // checkEncryptedAssertion allows only AES-CBC of what the library calls insecure.
        disallowDecryptionWithInsecureAlgorithm: false,
        // SECURITY: nothing of a request goes to stderr.
        warnInsecureAlgorithm: false,
      },
      (error, result) => {
        if (error === null && typeof result === 'string') plaintext = result
      },
    )
  } catch {
    // SECURITY: its errors are dropped whole: the caller answers every failure the same way.
    return undefined
  }
  return plaintext
}

/**
 * The XML text `encryptedAssertion` (a saml:EncryptedAssertion element) decrypts to with one of
 * `privateKeys` (PEM, tried in turn: a provider rotating its key has two), or undefined when
 * none decrypts it. InvalidIdentityToken for an EncryptedAssertion this server does not take.
 * The text is not checked here: it is what the caller must parse and verify.
 */
export function decryptSamlAssertion(
  encryptedAssertion: Element,
  privateKeys: readonly string[],
): string | undefined {
  if (!is(encryptedAssertion, SAML_ASSERTION_NS, 'EncryptedAssertion')) {
    throw unreadableSaml('the element is not an EncryptedAssertion')
  }
  checkEncryptedAssertion(encryptedAssertion)
  for (const privateKey of privateKeys) {
    const plaintext = decryptWith(encryptedAssertion, privateKey)
    if (plaintext !== undefined) return plaintext
  }
  return undefined
}
