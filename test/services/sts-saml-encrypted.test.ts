/**
 * STS AssumeRoleWithSAML with encrypted assertions, in process: IAM SAML providers with private
 * keys (made by openssl, given with AddPrivateKey), and responses whose assertion an IdP signed
 * with xml-crypto and then encrypted for the provider's certificate with node:crypto
 * (test/support/saml-encryption.ts). Required takes encrypted assertions only, for the
 * provider's own endpoint; Allowed takes both; either of two keys decrypts (rotation), a removed
 * one no longer does; the signature inside the encrypted assertion, or the Response's around
 * the ciphertext, is verified as a plain one is; and what cannot be decrypted, was tampered
 * with, is unsigned, is wrapped, or uses an algorithm AWS does not name is refused, with one
 * answer where the answer could otherwise tell an attacker about the plaintext.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  ENCRYPTED_ASSERTION_INVALID_MESSAGE,
  ENCRYPTION_REQUIRED_MESSAGE,
  NO_PRIVATE_KEY_MESSAGE,
  SIGNATURE_INVALID_MESSAGE,
  UNDECRYPTABLE_MESSAGE,
} from '../../src/auth/federation/verify-saml-response.js'
import { epoch } from '../auth/sigv4-signer.js'
import { ACCOUNT_ID, NOW, startInProcess, xmlAll, xmlText } from '../support/in-process.js'
import type { InProcess, Reply } from '../support/in-process.js'
import { tamperCiphertext } from '../support/saml-encryption.js'
import type { SamlBlockCipher, SamlKeyTransport } from '../support/saml-encryption.js'
import {
  base64,
  idpMetadata,
  samlAssertionXml,
  samlResponseXml,
  samlSigner,
  signSaml,
  signedSamlResponse,
} from '../support/saml-idp.js'
import type { ResponseOptions, SamlSigner, SamlSigning } from '../support/saml-idp.js'
import { assumeRoleWithSaml, samlTrustPolicy } from '../support/saml-sts.js'
import { createRole } from '../support/temporary-credentials.js'
import { certificateWithKey, noOpenssl } from '../support/x509-certificates.js'
import type { CertificateWithKey } from '../support/x509-certificates.js'

const NOW_DATE = new Date(epoch(NOW))
const RESULT = 'AssumeRoleWithSAMLResult'
const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/Federated`
const SHARED_ENDPOINT = 'https://signin.aws.amazon.com/saml'
const providerArn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:saml-provider/${name}`
const invalid = (message: string) => ({ code: 'InvalidIdentityToken', message })
const UNIFORM = invalid(ENCRYPTED_ASSERTION_INVALID_MESSAGE)

/** The providers: what each requires, and the keys it is created with. */
const PROVIDERS = ['Sealed', 'Mixed', 'Keyless', 'Rotating'] as const
type ProviderName = (typeof PROVIDERS)[number]

/**
 * A response as an IdP configured for `provider` makes it; each field has a default, what is
 * signed and how the assertion is altered and encrypted signedSamlResponse's.
 */
interface Made extends Omit<SamlSigning, 'encryptFor'> {
  readonly provider?: ProviderName
  /** The key pair the assertion is encrypted for; null: not encrypted. keyA when absent. */
  readonly encryptFor?: CertificateWithKey | null
  readonly signer?: SamlSigner
  readonly response?: Partial<ResponseOptions>
}

describe('STS AssumeRoleWithSAML with encrypted assertions', { skip: noOpenssl }, () => {
  let g: InProcess
  let idp: SamlSigner
  let other: SamlSigner
  let keyA: CertificateWithKey
  let keyB: CertificateWithKey
  let wrong: CertificateWithKey
  const uuids = new Map<ProviderName, string>()

  const encryptionKey = (commonName: string) =>
    certificateWithKey({
      commonName,
      notBefore: new Date(NOW_DATE.getTime() - 3600_000),
      notAfter: new Date(NOW_DATE.getTime() + 365 * 86400_000),
    })

  /** The provider's own endpoint, `https://signin.aws.amazon.com/saml/acs/<SAMLProviderUUID>`. */
  const ownEndpoint = (provider: ProviderName) => `${SHARED_ENDPOINT}/acs/${uuids.get(provider)}`

  const made = ({
    provider = 'Sealed',
    encryptFor = keyA,
    signer = idp,
    response,
    ...how
  }: Made = {}): string =>
    signedSamlResponse(
      {
        now: NOW_DATE,
        roles: [`${ROLE},${providerArn(provider)}`],
        recipient: ownEndpoint(provider),
        destination: ownEndpoint(provider),
        ...response,
      },
      signer,
      { ...how, ...(encryptFor === null ? {} : { encryptFor: encryptFor.certificate }) },
    )

  const assume = (xml: string, provider: ProviderName = 'Sealed'): Promise<Reply> =>
    assumeRoleWithSaml(g, xml, { RoleArn: ROLE, PrincipalArn: providerArn(provider) })

  const ok = (r: Reply) => {
    assert.equal(r.status, 200, r.body)
    assert.equal(
      xmlText(r.xml, `${RESULT}/AssumedRoleUser/Arn`),
      `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Federated/alice`,
    )
    assert.equal(xmlText(r.xml, `${RESULT}/Subject`), 'alice@corp.example')
  }

  const privateKeyIds = async (provider: ProviderName): Promise<string[]> => {
    const got = await g.call('GetSAMLProvider', { SAMLProviderArn: providerArn(provider) })
    assert.equal(got.status, 200, got.body)
    return xmlAll(got.xml, 'GetSAMLProviderResult/PrivateKeyList/member').map(
      (member) => xmlText(member, 'KeyId') ?? '',
    )
  }

  before(async () => {
    g = await startInProcess({ captureLog: true })
    idp = samlSigner('idp.gatehouse.test', NOW_DATE)
    other = samlSigner('attacker.example', NOW_DATE)
    keyA = encryptionKey('sp-encryption-a')
    keyB = encryptionKey('sp-encryption-b')
    wrong = encryptionKey('someone-else')
    const create = async (name: ProviderName, params: Record<string, string>) => {
      const created = await g.call('CreateSAMLProvider', {
        Name: name,
        SAMLMetadataDocument: idpMetadata(idp),
        ...params,
      })
      assert.equal(created.status, 200, created.body)
      const got = await g.call('GetSAMLProvider', { SAMLProviderArn: providerArn(name) })
      uuids.set(name, xmlText(got.xml, 'GetSAMLProviderResult/SAMLProviderUUID') ?? '')
    }
    await create('Sealed', { AssertionEncryptionMode: 'Required', AddPrivateKey: keyA.privateKey })
    const second = await g.call('UpdateSAMLProvider', {
      SAMLProviderArn: providerArn('Sealed'),
      AddPrivateKey: keyB.privateKey,
    })
    assert.equal(second.status, 200, second.body)
    await create('Mixed', { AssertionEncryptionMode: 'Allowed', AddPrivateKey: keyA.privateKey })
    await create('Keyless', {})
    await create('Rotating', {
      AssertionEncryptionMode: 'Required',
      AddPrivateKey: keyA.privateKey,
    })
    assert.match(uuids.get('Sealed') ?? '', /^SAMLSP[A-Z2-7]{20}$/)
    await createRole(g, {
      name: 'Federated',
      assumeRolePolicyDocument: samlTrustPolicy(PROVIDERS.map(providerArn)),
    })
  })
  after(async () => {
    await g?.close()
  })

  describe('a provider that requires encryption', () => {
    it('takes an assertion signed, then encrypted, with AES-CBC or AES-GCM under RSA-OAEP', async () => {
      const ciphers: SamlBlockCipher[] = ['aes128-cbc', 'aes256-cbc', 'aes128-gcm', 'aes256-gcm']
      const transports: SamlKeyTransport[] = ['rsa-oaep-mgf1p', 'rsa-oaep-sha256']
      for (const cipher of ciphers) {
        for (const keyTransport of transports) {
          const r = await assume(made({ encryption: { cipher, keyTransport } }))
          ok(r)
          assert.equal(xmlText(r.xml, `${RESULT}/Audience`), ownEndpoint('Sealed'))
        }
      }
      ok(await assume(made({ encryption: { keyPlacement: 'beside' } })))
    })

    it('decrypts with either of its two private keys', async () => {
      assert.equal((await privateKeyIds('Sealed')).length, 2)
      ok(await assume(made({ encryptFor: keyA })))
      ok(await assume(made({ encryptFor: keyB, encryption: { cipher: 'aes128-cbc' } })))
    })

    it('refuses a plain assertion, however well signed and addressed', async () => {
      for (const sign of ['assertion', 'response'] as const) {
        const r = await assume(made({ encryptFor: null, sign }))
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, invalid(ENCRYPTION_REQUIRED_MESSAGE))
      }
    })

    it("refuses an assertion for the shared endpoint or another provider's", async () => {
      const shared = await assume(
        made({ response: { recipient: SHARED_ENDPOINT, destination: SHARED_ENDPOINT } }),
      )
      assert.equal(shared.error?.code, 'InvalidIdentityToken', shared.body)
      assert.match(shared.error?.message ?? '', /requires encrypted assertions.*own sign-in/)
      const another = await assume(
        made({
          response: { recipient: ownEndpoint('Mixed'), destination: ownEndpoint('Mixed') },
        }),
      )
      assert.equal(another.error?.code, 'InvalidIdentityToken', another.body)
      assert.match(another.error?.message ?? '', /Recipient .* not an AWS sign-in endpoint/)
      const destination = await assume(made({ response: { destination: ownEndpoint('Mixed') } }))
      assert.match(destination.error?.message ?? '', /Destination/)
    })
  })

  describe('a provider that allows encryption', () => {
    it('takes plain and encrypted assertions, for the shared endpoint or its own', async () => {
      for (const endpoint of [SHARED_ENDPOINT, ownEndpoint('Mixed')]) {
        const response = { recipient: endpoint, destination: endpoint }
        ok(await assume(made({ provider: 'Mixed', encryptFor: null, response }), 'Mixed'))
        const encrypted = await assume(made({ provider: 'Mixed', response }), 'Mixed')
        ok(encrypted)
        assert.equal(xmlText(encrypted.xml, `${RESULT}/Audience`), endpoint)
      }
    })

    it('refuses an encrypted assertion when it has no private key', async () => {
      const plain = await assume(
        made({
          provider: 'Keyless',
          encryptFor: null,
          response: { recipient: SHARED_ENDPOINT, destination: SHARED_ENDPOINT },
        }),
        'Keyless',
      )
      ok(plain)
      const r = await assume(made({ provider: 'Keyless' }), 'Keyless')
      assert.deepEqual(r.error, invalid(NO_PRIVATE_KEY_MESSAGE))
    })
  })

  describe('rotation', () => {
    it('decrypts with a new key at once, and no longer with a removed one', async () => {
      const rotating = { provider: 'Rotating' } as const
      ok(await assume(made({ ...rotating, encryptFor: keyA }), 'Rotating'))
      assert.deepEqual(
        (await assume(made({ ...rotating, encryptFor: keyB }), 'Rotating')).error,
        UNIFORM,
      )

      const added = await g.call('UpdateSAMLProvider', {
        SAMLProviderArn: providerArn('Rotating'),
        AddPrivateKey: keyB.privateKey,
      })
      assert.equal(added.status, 200, added.body)
      ok(await assume(made({ ...rotating, encryptFor: keyA }), 'Rotating'))
      ok(await assume(made({ ...rotating, encryptFor: keyB }), 'Rotating'))

      const [oldest] = await privateKeyIds('Rotating')
      const removed = await g.call('UpdateSAMLProvider', {
        SAMLProviderArn: providerArn('Rotating'),
        RemovePrivateKey: oldest ?? '',
      })
      assert.equal(removed.status, 200, removed.body)
      assert.deepEqual(
        (await assume(made({ ...rotating, encryptFor: keyA }), 'Rotating')).error,
        UNIFORM,
      )
      ok(await assume(made({ ...rotating, encryptFor: keyB }), 'Rotating'))
    })
  })

  describe('the signature', () => {
    it('verifies the signature inside the encrypted assertion with the metadata certificate only', async () => {
      assert.deepEqual((await assume(made({ signer: other }))).error, UNIFORM)
      const changed = made({ alter: (xml) => xml.replace('>alice<', '>admin<') })
      assert.deepEqual((await assume(changed)).error, UNIFORM)
    })

    it('refuses an unsigned encrypted assertion in an unsigned response', async () => {
      assert.deepEqual((await assume(made({ sign: 'none' }))).error, UNIFORM)
    })

    it('takes an unsigned assertion in a signed Response: its signature covers the ciphertext', async () => {
      ok(await assume(made({ sign: 'response' })))
      ok(await assume(made({ sign: 'both', encryption: { cipher: 'aes256-cbc' } })))
    })

    it('refuses a Response signed with another key, or changed after it was signed', async () => {
      const foreign = await assume(made({ sign: 'response', signer: other }))
      assert.deepEqual(foreign.error, invalid(SIGNATURE_INVALID_MESSAGE))
      const tampered = await assume(tamperCiphertext(made({ sign: 'response' })))
      assert.deepEqual(tampered.error, invalid(SIGNATURE_INVALID_MESSAGE))
    })

    it('checks the signature inside even when the Response is signed', async () => {
      const r = await assume(
        made({
          sign: 'response',
          alter: (xml) => signSaml(xml, other, 'assertion'),
        }),
      )
      assert.deepEqual(r.error, invalid(SIGNATURE_INVALID_MESSAGE))
    })
  })

  describe('what cannot be decrypted', () => {
    it('refuses an assertion encrypted for another key', async () => {
      // The Response unsigned: its ciphertext may be an attacker's, and the answer says nothing.
      assert.deepEqual((await assume(made({ encryptFor: wrong }))).error, UNIFORM)
      // The Response signed: the ciphertext is the IdP's, and the answer can say what failed.
      const signed = await assume(made({ encryptFor: wrong, sign: 'both' }))
      assert.deepEqual(signed.error, invalid(UNDECRYPTABLE_MESSAGE))
    })

    it('refuses tampered ciphertext, CBC or GCM, with the one answer', async () => {
      for (const cipher of ['aes128-cbc', 'aes256-cbc', 'aes128-gcm', 'aes256-gcm'] as const) {
        for (const at of [5, 20, -40, -1]) {
          const r = await assume(tamperCiphertext(made({ encryption: { cipher } }), at))
          assert.deepEqual(r.error, UNIFORM, `${cipher} at ${at}`)
        }
      }
    })

    it('refuses RSA 1.5 key transport, 3DES and AES-192, whatever the key', async () => {
      const rsa15 = await assume(made({ encryption: { keyTransport: 'rsa-1_5' } }))
      assert.equal(rsa15.error?.code, 'InvalidIdentityToken', rsa15.body)
      assert.match(rsa15.error?.message ?? '', /RSA 1\.5/)
      for (const cipher of ['tripledes-cbc', 'aes192-cbc'] as const) {
        const r = await assume(made({ encryption: { cipher } }))
        assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
        assert.match(r.error?.message ?? '', /AES-CBC or AES-GCM/)
      }
    })
  })

  describe('wrapping and strict parsing', () => {
    it('refuses a plain assertion beside an encrypted one, and two encrypted ones', async () => {
      const plain = signSaml(
        samlAssertionXml({ now: NOW_DATE, roles: [], assertionId: '_plain' }),
        idp,
        'assertion',
      )
      const encrypted =
        /<saml:EncryptedAssertion[\s\S]*<\/saml:EncryptedAssertion>/.exec(made())?.[0] ?? ''
      const o = { now: NOW_DATE, roles: [] }
      for (const inside of [`${plain}${encrypted}`, `${encrypted}${plain}`]) {
        const r = await assume(samlResponseXml(o, inside))
        assert.match(r.error?.message ?? '', /exactly one assertion/, r.body)
      }
      const twice = made().replace(
        '</samlp:Response>',
        `${encrypted.replace(/_encrypted-(data|key)/g, '_second-$1')}</samlp:Response>`,
      )
      assert.match((await assume(twice)).error?.message ?? '', /exactly one assertion/)
    })

    it('refuses an EncryptedAssertion the library could read two ways, or that points outside', async () => {
      const xml = made()
      const key = /<xenc:EncryptedKey[\s\S]*<\/xenc:EncryptedKey>/.exec(xml)?.[0] ?? ''
      const twoKeys = xml.replace(
        '</saml:EncryptedAssertion>',
        `${key.replace('_encrypted-key', '_second-key')}</saml:EncryptedAssertion>`,
      )
      const two = await assume(twoKeys)
      assert.equal(two.error?.code, 'InvalidIdentityToken', two.body)
      assert.match(two.error?.message ?? '', /more than 1 EncryptedKey/)
      const reference = xml.replace(
        /(<xenc:EncryptedData[\s\S]*)<xenc:CipherData><xenc:CipherValue>[^<]*<\/xenc:CipherValue><\/xenc:CipherData>/,
        '$1<xenc:CipherData><xenc:CipherReference URI="https://attacker.example/c"/></xenc:CipherData>',
      )
      const outside = await assume(reference)
      assert.equal(outside.error?.code, 'InvalidIdentityToken', outside.body)
      assert.match(outside.error?.message ?? '', /CipherReference|CipherValue/)
    })

    it('refuses a signature moved into the EncryptedAssertion', async () => {
      const signed = made({ sign: 'response' })
      const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)?.[0] ?? ''
      const moved = signed
        .replace(signature, '')
        .replace(/(<saml:EncryptedAssertion[^>]*>)/, `$1${signature}`)
      const r = await assume(moved)
      assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
      assert.match(r.error?.message ?? '', /signature is where no SAML signature belongs/)
    })

    it('refuses a comment, a document type or a hidden assertion in the plaintext, with the one answer', async () => {
      const comment = made({
        response: { sessionName: 'alice.admin' },
        alter: (xml) => xml.replace('>alice.admin<', '>alice<!---->.admin<'),
      })
      assert.deepEqual((await assume(comment)).error, UNIFORM)
      const doctype = made({ alter: (xml) => `<!DOCTYPE a [<!ENTITY x "y">]>${xml}` })
      assert.deepEqual((await assume(doctype)).error, UNIFORM)
      const hidden = made({
        alter: (xml) =>
          xml.replace(
            '</saml:Subject>',
            `</saml:Subject><saml:Advice>${samlAssertionXml({ now: NOW_DATE, roles: [], assertionId: '_hidden' })}</saml:Advice>`,
          ),
        sign: 'response',
      })
      const r = await assume(hidden)
      assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
      assert.match(r.error?.message ?? '', /no other assertion/)
    })

    it('still refuses encrypted name identifiers and attributes, which AWS does not document', async () => {
      const encryptedId = made({
        alter: (xml) =>
          xml.replace(/<saml:NameID[^>]*>[^<]*<\/saml:NameID>/, '<saml:EncryptedID/>'),
        sign: 'response',
      })
      const id = await assume(encryptedId)
      assert.equal(id.error?.code, 'InvalidIdentityToken', id.body)
      assert.match(id.error?.message ?? '', /encrypted name identifiers/)
      const encryptedAttribute = made({
        alter: (xml) =>
          xml.replace(
            '</saml:AttributeStatement>',
            '<saml:EncryptedAttribute/></saml:AttributeStatement>',
          ),
        sign: 'response',
      })
      const attribute = await assume(encryptedAttribute)
      assert.match(attribute.error?.message ?? '', /encrypted attributes/, attribute.body)
    })
  })

  describe('secrets', () => {
    it('never logs or records the private keys, the assertion or its plaintext', async () => {
      const xml = made()
      ok(await assume(xml))
      assert.ok((await assume(made({ encryptFor: wrong }))).error)
      const records = (await g.trail.readTrailEvents(0, 100_000)).map((e) => e.record)
      const logs = g.logLines.map((line) => JSON.stringify(line))
      assert.ok(logs.length > 0, 'the log captured nothing')
      const keyBody = (pem: string) =>
        pem
          .replace(/-----[A-Z ]+-----/g, '')
          .replace(/\s+/g, '')
          .slice(0, 64)
      const secrets = [
        keyBody(keyA.privateKey),
        keyBody(keyB.privateKey),
        base64(xml).slice(0, 200),
        // Only in the plaintext: the attribute that names the roles.
        'https://aws.amazon.com/SAML/Attributes/Role',
      ]
      for (const text of [...records, ...logs]) {
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `a record or log line holds ${secret.slice(0, 20)}…`)
        }
      }
    })
  })
})
