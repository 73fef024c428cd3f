/**
 * STS AssumeRoleWithSAML in process: an IdP whose self-signed certificate (made by openssl) is in
 * an IAM SAML provider's metadata, and responses signed with xml-crypto (test/support/saml-idp.ts).
 * A valid response signed on its Assertion or on the Response; the refusals of an expired one, an
 * unsigned one, one signed with another key, signature wrapping (an evil assertion beside or
 * around the signed one), a comment slipped into a signed value, a role pair the IdP did not
 * grant, and a response for another destination; the trust policy's saml:* keys; the session's
 * length; and the audit record.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { epoch } from '../auth/sigv4-signer.js'
import {
  ACCOUNT_ID,
  NOW,
  formEncode,
  policy,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { InProcess, Reply } from '../support/in-process.js'
import {
  IDP_ENTITY_ID,
  base64,
  idpMetadata,
  samlAssertionXml,
  samlResponseXml,
  samlSigner,
  signSaml,
  signedSamlResponse,
} from '../support/saml-idp.js'
import type { ResponseOptions, SamlSigner } from '../support/saml-idp.js'
import { assumeRoleWithSaml, samlTrustPolicy } from '../support/saml-sts.js'
import { noOpenssl } from '../support/x509-certificates.js'
import { createRole, credentialsOf, sts } from '../support/temporary-credentials.js'

const NOW_DATE = new Date(epoch(NOW))
const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`
const PROVIDER = `arn:aws:iam::${ACCOUNT_ID}:saml-provider/Corp`
const RESULT = 'AssumeRoleWithSAMLResult'
const NOT_AUTHORIZED = {
  code: 'AccessDenied',
  message: 'Not authorized to perform sts:AssumeRoleWithSAML',
}
const SIGNATURE_INVALID = { code: 'InvalidIdentityToken', message: 'Response signature invalid' }

function samlTrust(condition?: Record<string, unknown>): string {
  return samlTrustPolicy(PROVIDER, condition)
}

function expiration(seconds: number): string {
  return new Date(epoch(NOW) + seconds * 1000).toISOString().replace('.000Z', 'Z')
}

describe('STS AssumeRoleWithSAML', { skip: noOpenssl }, () => {
  let g: InProcess
  let idp: SamlSigner
  let other: SamlSigner

  const options = (extra: Partial<ResponseOptions> = {}): ResponseOptions => ({
    now: NOW_DATE,
    roles: [`${ROLE('Saml')},${PROVIDER}`],
    ...extra,
  })

  /** A response signed on its Assertion (or as `target` says) by `signer`. */
  const signed = (
    extra: Partial<ResponseOptions> = {},
    target: 'assertion' | 'response' = 'assertion',
    signer: SamlSigner = idp,
  ): string => signedSamlResponse(options(extra), signer, { sign: target })

  /** AssumeRoleWithSAML sent unsigned, as the SDKs and the CLI send it. */
  const assume = (xml: string, params: Record<string, string> = {}): Promise<Reply> =>
    assumeRoleWithSaml(g, xml, { RoleArn: ROLE('Saml'), PrincipalArn: PROVIDER, ...params })

  before(async () => {
    g = await startInProcess()
    idp = samlSigner('idp.gatehouse.test')
    other = samlSigner('attacker.example')
    const created = await g.call('CreateSAMLProvider', {
      Name: 'Corp',
      SAMLMetadataDocument: idpMetadata(idp),
    })
    assert.equal(created.status, 200, created.body)
    await createRole(
      g,
      {
        name: 'Saml',
        assumeRolePolicyDocument: samlTrust({
          StringEquals: { 'saml:aud': 'https://signin.aws.amazon.com/saml' },
        }),
        maxSessionDuration: 7200,
      },
      { read: policy('Allow', 'iam:GetRole', '*') },
    )
  })
  after(async () => {
    await g?.close()
  })

  describe('a valid response', () => {
    it('returns credentials and what the assertion says, signed on the Assertion', async () => {
      const r = await assume(signed())
      assert.equal(r.status, 200, r.body)
      assert.match(xmlText(r.xml, `${RESULT}/Credentials/AccessKeyId`) ?? '', /^ASIA[A-Z2-7]{16}$/)
      assert.equal(xmlText(r.xml, `${RESULT}/Credentials/Expiration`), expiration(3600))
      assert.equal(
        xmlText(r.xml, `${RESULT}/AssumedRoleUser/Arn`),
        `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Saml/alice`,
      )
      assert.match(
        xmlText(r.xml, `${RESULT}/AssumedRoleUser/AssumedRoleId`) ?? '',
        /^AROA[A-Z2-7]+:alice$/,
      )
      assert.equal(xmlText(r.xml, `${RESULT}/Subject`), 'alice@corp.example')
      assert.equal(xmlText(r.xml, `${RESULT}/SubjectType`), 'persistent')
      assert.equal(xmlText(r.xml, `${RESULT}/Issuer`), IDP_ENTITY_ID)
      assert.equal(xmlText(r.xml, `${RESULT}/Audience`), 'https://signin.aws.amazon.com/saml')
      assert.equal(
        xmlText(r.xml, `${RESULT}/NameQualifier`),
        createHash('sha1').update(`${IDP_ENTITY_ID}${ACCOUNT_ID}/Corp`).digest('base64'),
      )
    })

    it('takes a response signed on the Response', async () => {
      const r = await assume(signed({}, 'response'))
      assert.equal(r.status, 200, r.body)
    })

    it('gives credentials whose caller is the assumed role', async () => {
      const key = credentialsOf(await assume(signed()), 'AssumeRoleWithSAML')
      const who = await sts(g, 'GetCallerIdentity', {}, key)
      assert.equal(who.status, 200, who.body)
      assert.equal(
        xmlText(who.xml, 'GetCallerIdentityResult/Arn'),
        `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Saml/alice`,
      )
    })

    it("bounds the session by SessionDuration and the IdP's SessionNotOnOrAfter", async () => {
      const short = await assume(signed({ sessionDuration: '900' }))
      assert.equal(
        xmlText(short.xml, `${RESULT}/Credentials/Expiration`),
        expiration(900),
        short.body,
      )
      const asked = await assume(signed({ sessionDuration: '1800' }), { DurationSeconds: '3600' })
      assert.equal(xmlText(asked.xml, `${RESULT}/Credentials/Expiration`), expiration(1800))
      const ends = await assume(signed({ sessionNotOnOrAfterSeconds: 1200 }))
      assert.equal(xmlText(ends.xml, `${RESULT}/Credentials/Expiration`), expiration(1200))
      const tooLong = await assume(signed(), { DurationSeconds: '7201' })
      assert.equal(tooLong.error?.code, 'ValidationError')
      const bad = await assume(signed({ sessionDuration: 'forever' }))
      assert.equal(bad.error?.code, 'InvalidIdentityToken')
    })

    it('accepts the regional sign-in endpoints, either order of the role pair, and another NameID format', async () => {
      const r = await assume(
        signed({
          recipient: 'https://us-east-2.signin.aws.amazon.com/saml',
          destination: 'https://us-east-2.signin.aws.amazon.com/saml',
          roles: [`${PROVIDER},${ROLE('Saml')}`],
          nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        }),
      )
      // The trust policy asks saml:aud to be the global endpoint.
      assert.deepEqual(r.error, NOT_AUTHORIZED)
      await createRole(g, { name: 'Regional', assumeRolePolicyDocument: samlTrust() })
      const ok = await assume(
        signed({
          recipient: 'https://us-east-2.signin.aws.amazon.com/saml',
          roles: [`${PROVIDER},${ROLE('Regional')}`],
          nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        }),
        { RoleArn: ROLE('Regional') },
      )
      assert.equal(ok.status, 200, ok.body)
      assert.equal(
        xmlText(ok.xml, `${RESULT}/SubjectType`),
        'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      )
    })
  })

  describe('the response refused', () => {
    it('refuses an expired response with ExpiredTokenException', async () => {
      const r = await assume(signed({ validSeconds: -120 }))
      assert.equal(r.status, 400)
      assert.equal(r.error?.code, 'ExpiredTokenException', r.body)
    })

    it('refuses a response not valid yet', async () => {
      const r = await assume(signed({ notBeforeSeconds: 600 }))
      assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
    })

    it('refuses an unsigned response', async () => {
      const r = await assume(samlResponseXml(options()))
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'InvalidIdentityToken',
        message: 'The SAML response is not signed.',
      })
    })

    it('refuses a response signed with another key, whatever its KeyInfo says', async () => {
      assert.deepEqual((await assume(signed({}, 'assertion', other))).error, SIGNATURE_INVALID)
      assert.deepEqual((await assume(signed({}, 'response', other))).error, SIGNATURE_INVALID)
    })

    it('refuses a signed assertion whose content was changed', async () => {
      const xml = signed().replace('>alice<', '>admin<')
      assert.deepEqual((await assume(xml)).error, SIGNATURE_INVALID)
    })

    it('refuses an unsigned evil assertion beside the signed one', async () => {
      const good = signSaml(samlAssertionXml(options()), idp, 'assertion')
      const evil = samlAssertionXml(options({ assertionId: '_evil', sessionName: 'admin' }))
      for (const inside of [`${evil}${good}`, `${good}${evil}`]) {
        const r = await assume(samlResponseXml(options(), inside))
        assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
        assert.match(r.error?.message ?? '', /exactly one assertion/)
      }
    })

    it('refuses the signed assertion moved inside an unsigned evil one', async () => {
      const good = signSaml(samlAssertionXml(options()), idp, 'assertion')
      const evil = samlAssertionXml(options({ assertionId: '_evil', nameId: 'admin' })).replace(
        '</saml:Subject>',
        `</saml:Subject><saml:Advice>${good}</saml:Advice>`,
      )
      const r = await assume(samlResponseXml(options(), evil))
      assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
    })

    it('refuses an evil assertion that takes the signed one’s ID', async () => {
      const good = signSaml(samlAssertionXml(options()), idp, 'assertion')
      const evil = samlAssertionXml(options({ nameId: 'admin' }))
      const extensions = `<samlp:Extensions>${good}</samlp:Extensions>`
      const r = await assume(samlResponseXml(options(), `${extensions}${evil}`))
      assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
    })

    it('refuses an evil assertion added to a signed Response', async () => {
      const xml = signed({}, 'response').replace(
        '</samlp:Response>',
        `${samlAssertionXml(options({ assertionId: '_evil' }))}</samlp:Response>`,
      )
      assert.equal((await assume(xml)).error?.code, 'InvalidIdentityToken')
    })

    it('refuses a comment slipped into a signed value', async () => {
      // Canonicalization drops the comment, so the signature still verifies: the reader must not
      // take "alice" for the session name of "alice<!---->.admin".
      const xml = signed({ sessionName: 'alice.admin' }).replace(
        '>alice.admin<',
        '>alice<!---->.admin<',
      )
      const r = await assume(xml)
      assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
      assert.match(r.error?.message ?? '', /comments/)
    })

    it('refuses a document type', async () => {
      const xml = signed().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "alice">]>',
      )
      assert.equal((await assume(xml)).error?.code, 'InvalidIdentityToken')
    })

    it('refuses a role pair the IdP did not grant', async () => {
      const r = await assume(signed({ roles: [`${ROLE('Other')},${PROVIDER}`] }))
      assert.equal(r.status, 403)
      assert.deepEqual(r.error, NOT_AUTHORIZED)
    })

    it('refuses a response for another destination or recipient', async () => {
      const destination = await assume(signed({ destination: 'https://evil.example.com/saml' }))
      assert.equal(destination.error?.code, 'InvalidIdentityToken', destination.body)
      assert.match(destination.error?.message ?? '', /Destination/)
      const recipient = await assume(signed({ recipient: 'https://evil.example.com/saml' }))
      assert.equal(recipient.error?.code, 'InvalidIdentityToken', recipient.body)
      const audience = await assume(signed({ audience: 'urn:example:other-sp' }))
      assert.equal(audience.error?.code, 'InvalidIdentityToken', audience.body)
    })

    it('refuses an issuer other than the metadata’s entity', async () => {
      const r = await assume(signed({ issuer: 'https://other-idp.example.com' }))
      assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
    })

    it('refuses a response without RoleSessionName, with AWS’s message', async () => {
      for (const sessionName of [null, 'a', 'has space']) {
        const r = await assume(signed({ sessionName }))
        assert.deepEqual(r.error, {
          code: 'InvalidIdentityToken',
          message: 'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}',
        })
      }
    })

    it('answers IDPRejectedClaim for a response whose status is not Success', async () => {
      const r = await assume(
        signed({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }, 'response'),
      )
      assert.equal(r.status, 403)
      assert.equal(r.error?.code, 'IDPRejectedClaim')
    })

    it('refuses a provider that does not exist, and what is not base64', async () => {
      const r = await assume(signed(), {
        PrincipalArn: `arn:aws:iam::${ACCOUNT_ID}:saml-provider/Nope`,
      })
      assert.deepEqual(r.error, {
        code: 'InvalidIdentityToken',
        message: "Specified provider doesn't exist",
      })
      const notBase64 = await g.send({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formEncode({
          Action: 'AssumeRoleWithSAML',
          Version: '2011-06-15',
          RoleArn: ROLE('Saml'),
          PrincipalArn: PROVIDER,
          SAMLAssertion: '!!!not base64!!!',
        }),
      })
      assert.equal(notBase64.error?.code, 'InvalidIdentityToken')
    })
  })

  describe('the trust policy', () => {
    it('decides on saml:sub, saml:iss and saml:namequalifier', async () => {
      const qualifier = createHash('sha1')
        .update(`${IDP_ENTITY_ID}${ACCOUNT_ID}/Corp`)
        .digest('base64')
      await createRole(g, {
        name: 'OnlyBob',
        assumeRolePolicyDocument: samlTrust({
          StringEquals: {
            'saml:sub': 'bob@corp.example',
            'saml:iss': IDP_ENTITY_ID,
            'saml:namequalifier': qualifier,
            'saml:sub_type': 'persistent',
            'saml:doc': `${ACCOUNT_ID}/Corp`,
          },
        }),
      })
      const roles = [`${ROLE('OnlyBob')},${PROVIDER}`]
      const alice = await assume(signed({ roles }), { RoleArn: ROLE('OnlyBob') })
      assert.deepEqual(alice.error, NOT_AUTHORIZED)
      const bob = await assume(signed({ roles, nameId: 'bob@corp.example', sessionName: 'bob' }), {
        RoleArn: ROLE('OnlyBob'),
      })
      assert.equal(bob.status, 200, bob.body)
    })

    it('reads the standard attributes as saml:* keys', async () => {
      await createRole(g, {
        name: 'Staff',
        assumeRolePolicyDocument: samlTrust({
          'ForAnyValue:StringEquals': { 'saml:edupersonaffiliation': 'staff' },
          StringEquals: { 'saml:mail': 'alice@corp.example' },
        }),
      })
      const roles = [`${ROLE('Staff')},${PROVIDER}`]
      const attributes = (affiliation: string[]) => ({
        'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': affiliation,
        'urn:oid:0.9.2342.19200300.100.1.3': ['alice@corp.example'],
      })
      const staff = await assume(signed({ roles, attributes: attributes(['member', 'staff']) }), {
        RoleArn: ROLE('Staff'),
      })
      assert.equal(staff.status, 200, staff.body)
      const student = await assume(signed({ roles, attributes: attributes(['student']) }), {
        RoleArn: ROLE('Staff'),
      })
      assert.deepEqual(student.error, NOT_AUTHORIZED)
    })
  })

  describe('the audit trail', () => {
    it('records the call as SAMLUser in the role account, and never the assertion', async () => {
      const xml = signed()
      assert.equal((await assume(xml)).status, 200)
      const events = (await g.trail.readTrailEvents(0, 10_000)).filter(
        (e) => e.eventName === 'AssumeRoleWithSAML',
      )
      const encoded = base64(xml)
      for (const event of events) {
        assert.ok(!event.record.includes(encoded.slice(0, 200)), 'the assertion is in a record')
      }
      const last = JSON.parse(events.at(-1)?.record ?? '{}') as {
        userIdentity: Record<string, unknown>
        recipientAccountId?: string
        requestParameters: Record<string, unknown>
      }
      const qualifier = createHash('sha1')
        .update(`${IDP_ENTITY_ID}${ACCOUNT_ID}/Corp`)
        .digest('base64')
      assert.deepEqual(last.userIdentity, {
        type: 'SAMLUser',
        principalId: `${qualifier}:alice@corp.example`,
        userName: 'alice@corp.example',
        identityProvider: qualifier,
      })
      assert.equal(last.recipientAccountId, ACCOUNT_ID)
      assert.equal(last.requestParameters['sAMLAssertion'], 'HIDDEN_DUE_TO_SECURITY_REASONS')
      assert.equal(last.requestParameters['principalArn'], PROVIDER)
    })
  })
})
