/**
 * Encrypted SAML assertions as IdPs write them (XML Encryption 1.0/1.1: the Assertion under a
 * fresh AES key, that key under the service provider's RSA public key in an EncryptedKey),
 * written here over node:crypto alone, so that the server's decryption (the xml-encryption
 * library) is tested against an independent implementation and not against itself.
 */
import { constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto'
import type { CipherGCMTypes } from 'node:crypto'

const XMLENC = 'http://www.w3.org/2001/04/xmlenc#'
const XMLENC11 = 'http://www.w3.org/2009/xmlenc11#'
const DS = 'http://www.w3.org/2000/09/xmldsig#'

/** The block cipher of the assertion: AWS's AES-CBC and AES-GCM, and what it refuses. */
export type SamlBlockCipher =
  'aes128-cbc' | 'aes256-cbc' | 'aes128-gcm' | 'aes256-gcm' | 'aes192-cbc' | 'tripledes-cbc'

/**
 * The key transport: RSA-OAEP as XML Encryption 1.0 names it (MGF1 and digest SHA-1), RSA-OAEP
 * of 1.1 with SHA-256 for both, or the RSA 1.5 that is refused.
 */
export type SamlKeyTransport = 'rsa-oaep-mgf1p' | 'rsa-oaep-sha256' | 'rsa-1_5'

/** How to encrypt; each has a default. */
export interface SamlEncryptionOptions {
  /** aes256-gcm when absent. */
  readonly cipher?: SamlBlockCipher
  /** rsa-oaep-mgf1p when absent. */
  readonly keyTransport?: SamlKeyTransport
  /**
   * Where the EncryptedKey goes: in the EncryptedData's KeyInfo (`inline`, the default), or
   * beside the EncryptedData, named by a RetrievalMethod (`beside`).
   */
  readonly keyPlacement?: 'inline' | 'beside'
}

const CIPHERS: Readonly<
  Record<SamlBlockCipher, { uri: string; node: string; key: number; iv: number; gcm: boolean }>
> = {
  'aes128-cbc': { uri: `${XMLENC}aes128-cbc`, node: 'aes-128-cbc', key: 16, iv: 16, gcm: false },
  'aes192-cbc': { uri: `${XMLENC}aes192-cbc`, node: 'aes-192-cbc', key: 24, iv: 16, gcm: false },
  'aes256-cbc': { uri: `${XMLENC}aes256-cbc`, node: 'aes-256-cbc', key: 32, iv: 16, gcm: false },
  'aes128-gcm': { uri: `${XMLENC11}aes128-gcm`, node: 'aes-128-gcm', key: 16, iv: 12, gcm: true },
  'aes256-gcm': { uri: `${XMLENC11}aes256-gcm`, node: 'aes-256-gcm', key: 32, iv: 12, gcm: true },
  'tripledes-cbc': {
    uri: `${XMLENC}tripledes-cbc`,
    node: 'des-ede3-cbc',
    key: 24,
    iv: 8,
    gcm: false,
  },
}

/** The content key under `certificate`'s RSA key, and the EncryptionMethod that says how. */
function transportKey(
  contentKey: Buffer,
  certificate: string,
  transport: SamlKeyTransport,
): { readonly method: string; readonly cipherValue: string } {
  switch (transport) {
    case 'rsa-oaep-mgf1p':
      return {
        method:
          `<xenc:EncryptionMethod Algorithm="${XMLENC}rsa-oaep-mgf1p">` +
          `<ds:DigestMethod xmlns:ds="${DS}" Algorithm="${DS}sha1"/></xenc:EncryptionMethod>`,
        cipherValue: publicEncrypt(
          { key: certificate, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
          contentKey,
        ).toString('base64'),
      }
    case 'rsa-oaep-sha256':
      // OpenSSL's MGF1 takes the OAEP digest: SHA-256 for both, as the MGF element says.
      return {
        method:
          `<xenc:EncryptionMethod Algorithm="${XMLENC11}rsa-oaep">` +
          `<ds:DigestMethod xmlns:ds="${DS}" Algorithm="${XMLENC}sha256"/>` +
          `<xenc11:MGF xmlns:xenc11="${XMLENC11}" Algorithm="${XMLENC11}mgf1sha256"/>` +
          `</xenc:EncryptionMethod>`,
        cipherValue: publicEncrypt(
          { key: certificate, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
          contentKey,
        ).toString('base64'),
      }
    case 'rsa-1_5':
      return {
        method: `<xenc:EncryptionMethod Algorithm="${XMLENC}rsa-1_5"/>`,
        cipherValue: publicEncrypt(
          { key: certificate, padding: constants.RSA_PKCS1_PADDING },
          contentKey,
        ).toString('base64'),
      }
  }
}

/** XML Encryption's ciphertext of `plaintext`: IV, ciphertext, and GCM's 128-bit tag. */
function encryptContent(plaintext: string, cipher: SamlBlockCipher, key: Buffer): string {
  const spec = CIPHERS[cipher]
  const iv = randomBytes(spec.iv)
  if (spec.gcm) {
    const gcm = createCipheriv(spec.node as CipherGCMTypes, key, iv)
    const body = Buffer.concat([gcm.update(plaintext, 'utf8'), gcm.final()])
    return Buffer.concat([iv, body, gcm.getAuthTag()]).toString('base64')
  }
  // PKCS #7 padding is XML Encryption's padding with every pad byte its length.
  const cbc = createCipheriv(spec.node, key, iv)
  return Buffer.concat([iv, cbc.update(plaintext, 'utf8'), cbc.final()]).toString('base64')
}

/**
 * A `saml:EncryptedAssertion` holding `assertion` (the XML of a whole saml:Assertion, signed or
 * not) encrypted for the holder of the private key of `certificate` (PEM).
 */
export function encryptSamlAssertion(
  assertion: string,
  certificate: string,
  options: SamlEncryptionOptions = {},
): string {
  const cipher = options.cipher ?? 'aes256-gcm'
  const contentKey = randomBytes(CIPHERS[cipher].key)
  const { method, cipherValue } = transportKey(
    contentKey,
    certificate,
    options.keyTransport ?? 'rsa-oaep-mgf1p',
  )
  const encryptedKey =
    `<xenc:EncryptedKey xmlns:xenc="${XMLENC}" Id="_encrypted-key">${method}` +
    `<xenc:CipherData><xenc:CipherValue>${cipherValue}</xenc:CipherValue></xenc:CipherData>` +
    `</xenc:EncryptedKey>`
  const beside = options.keyPlacement === 'beside'
  const keyInfo = beside
    ? `<ds:RetrievalMethod Type="${XMLENC}EncryptedKey" URI="#_encrypted-key"/>`
    : encryptedKey
  return (
    `<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">` +
    `<xenc:EncryptedData xmlns:xenc="${XMLENC}" Id="_encrypted-data" Type="${XMLENC}Element">` +
    `<xenc:EncryptionMethod Algorithm="${CIPHERS[cipher].uri}"/>` +
    `<ds:KeyInfo xmlns:ds="${DS}">${keyInfo}</ds:KeyInfo>` +
    `<xenc:CipherData><xenc:CipherValue>${encryptContent(assertion, cipher, contentKey)}</xenc:CipherValue></xenc:CipherData>` +
    `</xenc:EncryptedData>` +
    (beside ? encryptedKey : '') +
    `</saml:EncryptedAssertion>`
  )
}

/**
 * `xml` with one byte of its assertion's ciphertext changed (the EncryptedData's CipherValue,
 * the last in the document): byte `at` of the decoded value, counted from its end when negative.
 */
export function tamperCiphertext(xml: string, at = -40): string {
  const values = [...xml.matchAll(/<xenc:CipherValue>([^<]*)<\/xenc:CipherValue>/g)]
  const last = values.at(-1)
  if (last?.index === undefined) throw new Error('no CipherValue to tamper with')
  const bytes = Buffer.from(last[1] ?? '', 'base64')
  const index = at < 0 ? bytes.length + at : at
  bytes[index] = (bytes[index] ?? 0) ^ 0x01
  const tampered = `<xenc:CipherValue>${bytes.toString('base64')}</xenc:CipherValue>`
  return xml.slice(0, last.index) + tampered + xml.slice(last.index + last[0].length)
}
