/**
 * A SAML 2.0 identity provider for the AssumeRoleWithSAML tests: a self-signed certificate made
 * by the real openssl (test/support/x509-certificates.ts) published in a metadata document, and
 * responses written as IdPs write them and signed with xml-crypto, on the Assertion or on the
 * Response, with the certificate's key or another, their assertion encrypted or not
 * (test/support/saml-encryption.ts).
 */
import { SignedXml } from 'xml-crypto'
import { samlMetadataDocument } from '../fixtures/saml-metadata.fixture.js'
import { encryptSamlAssertion } from './saml-encryption.js'
import type { SamlEncryptionOptions } from './saml-encryption.js'
import { certificateWithKey } from './x509-certificates.js'

/** An IdP's signing identity. */
export interface SamlSigner {
  /** PEM. */
  readonly certificate: string
  /** PKCS #8 PEM. */
  readonly privateKey: string
  /** The certificate's DER in base64, as a metadata document's X509Certificate holds it. */
  readonly certificateBase64: string
}

/** The IdP's entity id, the Issuer of its responses. */
export const IDP_ENTITY_ID = 'https://idp.gatehouse.test/saml'

/** A new key and self-signed certificate (valid from an hour before `now` for ten years). */
export function samlSigner(commonName: string, now: Date = new Date()): SamlSigner {
  const { certificate, privateKey } = certificateWithKey({
    commonName,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 10 * 365 * 86400_000),
  })
  const certificateBase64 = certificate
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '')
  return { certificate, privateKey, certificateBase64 }
}

/** The metadata document of an IdP that signs with `signer`. */
export function idpMetadata(signer: SamlSigner, entityId: string = IDP_ENTITY_ID): string {
  return samlMetadataDocument({ entityId, signing: [signer.certificateBase64] })
}

/** What a response says; every field has a working default. */
export interface ResponseOptions {
  readonly now: Date
  /** "roleArn,providerArn" pairs of the Role attribute. */
  readonly roles: readonly string[]
  readonly issuer?: string
  readonly nameId?: string
  /** null: no Format attribute. */
  readonly nameIdFormat?: string | null
  readonly recipient?: string
  /** null: no Destination attribute. */
  readonly destination?: string | null
  /** Seconds from `now` to the confirmation's NotOnOrAfter; 300 when absent. */
  readonly validSeconds?: number
  /** Seconds from `now` to the Conditions' NotBefore; -60 when absent. */
  readonly notBeforeSeconds?: number
  /** null: no RoleSessionName attribute. */
  readonly sessionName?: string | null
  readonly sessionDuration?: string
  /** Seconds from `now` to the AuthnStatement's SessionNotOnOrAfter, if any. */
  readonly sessionNotOnOrAfterSeconds?: number
  readonly audience?: string
  /** Further attributes, by Name. */
  readonly attributes?: Readonly<Record<string, readonly string[]>>
  readonly status?: string
  readonly responseId?: string
  readonly assertionId?: string
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

function iso(now: Date, seconds: number): string {
  return new Date(now.getTime() + seconds * 1000).toISOString()
}

function attribute(name: string, values: readonly string[]): string {
  const items = values
    .map((v) => `<saml:AttributeValue>${escapeXml(v)}</saml:AttributeValue>`)
    .join('')
  return `<saml:Attribute Name="${escapeXml(name)}">${items}</saml:Attribute>`
}

/** The Assertion element alone, unsigned. */
export function samlAssertionXml(options: ResponseOptions): string {
  const now = options.now
  const issuer = options.issuer ?? IDP_ENTITY_ID
  const recipient = options.recipient ?? 'https://signin.aws.amazon.com/saml'
  const until = iso(now, options.validSeconds ?? 300)
  const format =
    options.nameIdFormat === null
      ? ''
      : ` Format="${options.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'}"`
  const attributes: Record<string, readonly string[]> = {
    'https://aws.amazon.com/SAML/Attributes/Role': options.roles,
    ...(options.sessionName === null
      ? {}
      : {
          'https://aws.amazon.com/SAML/Attributes/RoleSessionName': [
            options.sessionName ?? 'alice',
          ],
        }),
    ...(options.sessionDuration === undefined
      ? {}
      : { 'https://aws.amazon.com/SAML/Attributes/SessionDuration': [options.sessionDuration] }),
    ...options.attributes,
  }
  const sessionEnd =
    options.sessionNotOnOrAfterSeconds === undefined
      ? ''
      : ` SessionNotOnOrAfter="${iso(now, options.sessionNotOnOrAfterSeconds)}"`
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${options.assertionId ?? '_assertion1'}" IssueInstant="${iso(now, 0)}" Version="2.0">` +
    `<saml:Issuer>${escapeXml(issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID${format}>${escapeXml(options.nameId ?? 'alice@corp.example')}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${escapeXml(recipient)}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(now, options.notBeforeSeconds ?? -60)}" NotOnOrAfter="${until}">` +
    `<saml:AudienceRestriction><saml:Audience>${escapeXml(options.audience ?? 'urn:amazon:webservices')}</saml:Audience></saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now, 0)}" SessionIndex="_session"${sessionEnd}>` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>` +
    `<saml:AttributeStatement>${Object.entries(attributes)
      .map(([name, values]) => attribute(name, values))
      .join('')}</saml:AttributeStatement>` +
    `</saml:Assertion>`
  )
}

/** A whole Response around `assertion` (XML), unsigned. */
export function samlResponseXml(options: ResponseOptions, assertion?: string): string {
  const destination =
    options.destination === null
      ? ''
      : ` Destination="${escapeXml(options.destination ?? 'https://signin.aws.amazon.com/saml')}"`
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${options.responseId ?? '_response1'}" Version="2.0" IssueInstant="${iso(options.now, 0)}"${destination}>` +
    `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${escapeXml(options.issuer ?? IDP_ENTITY_ID)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${options.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}"/></samlp:Status>` +
    (assertion ?? samlAssertionXml(options)) +
    `</samlp:Response>`
  )
}

/** `xml` with an enveloped signature of `signer` on its Assertion or on its Response. */
export function signSaml(
  xml: string,
  signer: SamlSigner,
  target: 'assertion' | 'response',
): string {
  const element = target === 'assertion' ? 'Assertion' : 'Response'
  const signature = new SignedXml({
    privateKey: signer.privateKey,
    // Its certificate goes in KeyInfo, as IdPs put it; the server must not use it.
    publicCert: signer.certificate,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  })
  signature.addReference({
    xpath: `//*[local-name(.)='${element}']`,
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  })
  // SAML puts the signature right after the element's Issuer.
  signature.computeSignature(xml, {
    prefix: 'ds',
    location: {
      reference: `//*[local-name(.)='${element}']/*[local-name(.)='Issuer']`,
      action: 'after',
    },
  })
  return signature.getSignedXml()
}

/** How an IdP signs a response, and what becomes of its assertion; each has a default. */
export interface SamlSigning {
  /** What is signed: the Assertion (when absent), the Response, both, or neither. */
  readonly sign?: 'assertion' | 'response' | 'both' | 'none'
  /** Changes the assertion's XML after it is signed and before it is encrypted. */
  readonly alter?: (assertion: string) => string
  /** The certificate (PEM) of the service provider the assertion is encrypted for; plain without. */
  readonly encryptFor?: string
  readonly encryption?: SamlEncryptionOptions
}

/**
 * A whole Response as an IdP signing with `signer` writes it: its assertion signed, altered and
 * encrypted as `how` says, then the Response around it, signed if `how` says so.
 */
export function signedSamlResponse(
  options: ResponseOptions,
  signer: SamlSigner,
  how: SamlSigning = {},
): string {
  const sign = how.sign ?? 'assertion'
  let assertion = samlAssertionXml(options)
  if (sign === 'assertion' || sign === 'both') assertion = signSaml(assertion, signer, 'assertion')
  if (how.alter !== undefined) assertion = how.alter(assertion)
  if (how.encryptFor !== undefined) {
    assertion = encryptSamlAssertion(assertion, how.encryptFor, how.encryption)
  }
  const xml = samlResponseXml(options, assertion)
  return sign === 'response' || sign === 'both' ? signSaml(xml, signer, 'response') : xml
}

/** The SAMLAssertion parameter for a response: its base64. */
export function base64(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64')
}
