/**
 * SAML identity providers in process: CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders,
 * UpdateSAMLProvider, DeleteSAMLProvider, TagSAMLProvider, UntagSAMLProvider,
 * ListSAMLProviderTags, every error with its code, status and message, how each is authorized,
 * and what the audit trail keeps of a private key.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { ACCOUNT_ID, startInProcess, xmlAll, xmlText } from '../support/in-process.js'
import type { InProcess, Reply } from '../support/in-process.js'
import {
  describeProviderAuthorization,
  describeProviderQuota,
  describeProviderTags,
  itAnswersBadArns,
  itAnswersMissingProvider,
  itRefusesCreateTags,
  providersInSummary,
} from '../support/identity-provider-cases.js'
import type { IdentityProviderFamily } from '../support/identity-provider-cases.js'
import { expectError, tagParams, tagsOf } from '../support/query-params.js'
import {
  IDP_CERTIFICATE_ONE,
  IDP_CERTIFICATE_TWO,
  samlMetadataDocument,
} from '../fixtures/saml-metadata.fixture.js'

const DOCUMENT = samlMetadataDocument()
const UNPARSEABLE = 'Could not parse metadata'

/** A new RSA private key in PEM (PKCS #8), as an IdP's encryption key is handed over. */
function privateKeyPem(passphrase?: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({
    type: 'pkcs8',
    format: 'pem',
    ...(passphrase === undefined ? {} : { cipher: 'aes-256-cbc', passphrase }),
  })
  return pem.toString()
}

const KEY_ONE = privateKeyPem()
const KEY_TWO = privateKeyPem()
const KEY_THREE = privateKeyPem()

/** The ARN of the provider named `name`. */
function arnOf(name: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:saml-provider/${name}`
}

function keyIdsOf(reply: Reply): string[] {
  return xmlAll(reply.xml, 'GetSAMLProviderResult/PrivateKeyList/member').map(
    (m) => xmlText(m, 'KeyId') ?? '',
  )
}

function dateOf(reply: Reply, path: string): Date {
  return new Date(xmlText(reply.xml, path) ?? 'missing')
}

/** 100 years after `date`. */
function century(date: Date): Date {
  const until = new Date(date)
  until.setUTCFullYear(until.getUTCFullYear() + 100)
  return until
}

const SAML: IdentityProviderFamily = {
  title: 'IAM SAML providers',
  short: 'SAML',
  noun: 'SAMLProvider',
  arnParam: 'SAMLProviderArn',
  arnType: 'saml-provider',
  quotaName: 'SAMLProvidersPerAccount',
  createParams: (name) => ({ Name: name, SAMLMetadataDocument: DOCUMENT }),
  seed: (tx, name) =>
    tx.createSamlProvider({ accountId: ACCOUNT_ID, name, metadataDocument: DOCUMENT }),
  notFound: (arn) => `Manifest not found for arn ${arn}`,
  ownCalls: [
    ['UpdateSAMLProvider', { AssertionEncryptionMode: 'Allowed' }],
    ['UpdateSAMLProvider', { SAMLMetadataDocument: DOCUMENT }],
  ],
  invalidArns: [
    `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/bare`,
    `arn:aws:iam::${ACCOUNT_ID}:saml-provider/a+b`,
  ],
}

describe('IAM SAML providers', () => {
  let g: InProcess
  const arn = (name: string) => ({ SAMLProviderArn: arnOf(name) })
  const get = (name: string) => g.call('GetSAMLProvider', arn(name))
  const create = (name: string, params: Record<string, string> = {}) =>
    g.call('CreateSAMLProvider', { Name: name, SAMLMetadataDocument: DOCUMENT, ...params })

  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  describe('CreateSAMLProvider', () => {
    it('creates a provider, returning its ARN and its tags by key', async () => {
      const r = await create('Corp.IdP_1', tagParams({ team: 'blue', Env: 'prod' }))
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, 'CreateSAMLProviderResult/SAMLProviderArn'), arnOf('Corp.IdP_1'))
      assert.deepEqual(
        xmlAll(r.xml, 'CreateSAMLProviderResult/Tags/member').map((m) => xmlText(m, 'Key')),
        ['Env', 'team'],
      )
    })

    it('needs no tags, and then leaves the member out', async () => {
      const r = await create('bare')
      assert.equal(r.status, 200, r.body)
      assert.equal(r.body.includes('<Tags'), false)
    })

    it('refuses a name taken, in any case, with EntityAlreadyExists (409)', async () => {
      const other = samlMetadataDocument({ signing: [IDP_CERTIFICATE_TWO] })
      const r = await g.call('CreateSAMLProvider', { Name: 'BARE', SAMLMetadataDocument: other })
      expectError(r, 409, 'EntityAlreadyExists', 'Provider with name BARE already exists.')
      // Nothing of the refused request reached the provider.
      assert.equal(
        xmlText((await get('bare')).xml, 'GetSAMLProviderResult/SAMLMetadataDocument'),
        DOCUMENT,
      )
    })

    const pad = `<!-- ${'x'.repeat(1000)} -->`
    const unparseable: readonly (readonly [string, string])[] = [
      ['text that is not XML', `not xml ${'x'.repeat(1000)}`],
      ['XML that is not well-formed', DOCUMENT.replace('</md:IDPSSODescriptor>', '')],
      ['two root elements', `${DOCUMENT}<md:EntityDescriptor/>`],
      [
        'a root other than EntityDescriptor',
        samlMetadataDocument({ root: 'md:EntitiesDescriptor' }),
      ],
      [
        'an EntityDescriptor outside the metadata namespace',
        DOCUMENT.replace(
          'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"',
          'xmlns:md="urn:example:other"',
        ),
      ],
      [
        'an undeclared prefix',
        DOCUMENT.replace(' xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"', ''),
      ],
      ['no entityID', DOCUMENT.replace('entityID="https://idp.gatehouse.test/saml"', '')],
      ['a service provider’s metadata', samlMetadataDocument({ role: 'md:SPSSODescriptor' })],
      [
        'an IdP role without the SAML 2.0 protocol',
        samlMetadataDocument({ protocols: 'urn:oasis:names:tc:SAML:1.1:protocol' }),
      ],
      ['an IdP without a certificate', `${samlMetadataDocument({ signing: [] })}${pad}`],
      [
        'an IdP with an encryption certificate only',
        samlMetadataDocument({ signing: [], encryption: [IDP_CERTIFICATE_ONE] }),
      ],
      [
        'a certificate that is not base64',
        samlMetadataDocument({ signing: [`${IDP_CERTIFICATE_ONE.slice(0, 100)}!@#`] }),
      ],
      [
        'base64 that is not a certificate',
        samlMetadataDocument({ signing: [Buffer.from('x'.repeat(900)).toString('base64')] }),
      ],
      [
        'a bad encryption certificate beside a good signing one',
        samlMetadataDocument({ encryption: ['AAAA'] }),
      ],
      ['a validUntil that is no date', samlMetadataDocument({ validUntil: 'next year' })],
      [
        'elements nested deeper than 100',
        DOCUMENT.replace(
          '<md:NameIDFormat>',
          `${'<x>'.repeat(150)}${'</x>'.repeat(150)}<md:NameIDFormat>`,
        ),
      ],
      [
        'a DTD',
        DOCUMENT.replace(
          '<md:EntityDescriptor',
          '<!DOCTYPE x [<!ENTITY e "e">]>\n<md:EntityDescriptor',
        ),
      ],
    ]
    for (const [what, document] of unparseable) {
      it(`refuses ${what} with InvalidInput, as IAM words it`, async () => {
        const r = await g.call('CreateSAMLProvider', {
          Name: 'bad',
          SAMLMetadataDocument: document,
        })
        expectError(r, 400, 'InvalidInput', UNPARSEABLE)
        expectError(
          await get('bad'),
          404,
          'NoSuchEntity',
          `Manifest not found for arn ${arnOf('bad')}`,
        )
      })
    }

    it('takes a document in the default namespace with two certificates and an encryption key', async () => {
      const document = samlMetadataDocument({
        signing: [IDP_CERTIFICATE_ONE, IDP_CERTIFICATE_TWO],
        encryption: [IDP_CERTIFICATE_TWO],
      })
        .replaceAll('md:', '')
        .replace('xmlns:md=', 'xmlns=')
      const r = await g.call('CreateSAMLProvider', {
        Name: 'plain',
        SAMLMetadataDocument: document,
      })
      assert.equal(r.status, 200, r.body)
    })

    it('takes ten signing certificates and refuses eleven with LimitExceeded (409)', async () => {
      const ten = Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0 ? IDP_CERTIFICATE_ONE : IDP_CERTIFICATE_TWO,
      )
      const many = await g.call('CreateSAMLProvider', {
        Name: 'many',
        SAMLMetadataDocument: samlMetadataDocument({ signing: ten }),
      })
      assert.equal(many.status, 200, many.body)
      const r = await g.call('CreateSAMLProvider', {
        Name: 'too-many',
        SAMLMetadataDocument: samlMetadataDocument({ signing: [...ten, IDP_CERTIFICATE_ONE] }),
      })
      expectError(r, 409, 'LimitExceeded', 'Cannot exceed quota for KeysPerSAMLProvider: 10')
      await g.call('DeleteSAMLProvider', arn('many'))
    })

    const invalid: readonly (readonly [string, Record<string, string>, string])[] = [
      [
        'no name',
        { SAMLMetadataDocument: DOCUMENT },
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
      ],
      [
        'no document',
        { Name: 'x' },
        "1 validation error detected: Value null at 'sAMLMetadataDocument' failed to satisfy constraint: Member must not be null",
      ],
      [
        'a name with a character the model refuses',
        { Name: 'a+b', SAMLMetadataDocument: DOCUMENT },
        "1 validation error detected: Value 'a+b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w._-]+",
      ],
      [
        'a name over 128 characters',
        { Name: 'n'.repeat(129), SAMLMetadataDocument: DOCUMENT },
        `1 validation error detected: Value '${'n'.repeat(129)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 128`,
      ],
      [
        'a document under 1000 characters',
        { Name: 'short', SAMLMetadataDocument: '<md:EntityDescriptor/>' },
        "1 validation error detected: Value '<md:EntityDescriptor/>' at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length greater than or equal to 1000",
      ],
      [
        'an encryption mode outside the enum',
        { Name: 'x', SAMLMetadataDocument: DOCUMENT, AssertionEncryptionMode: 'Always' },
        "1 validation error detected: Value 'Always' at 'assertionEncryptionMode' failed to satisfy constraint: Member must satisfy enum value set: [Required, Allowed]",
      ],
      [
        'a private key with a character outside Latin-1, never quoting it',
        { Name: 'x', SAMLMetadataDocument: DOCUMENT, AddPrivateKey: 'key\u0100' },
        "1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'addPrivateKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
      ],
    ]
    for (const [what, params, message] of invalid) {
      it(`refuses ${what} with ValidationError`, async () => {
        expectError(await g.call('CreateSAMLProvider', params), 400, 'ValidationError', message)
      })
    }

    it('refuses a private key it cannot read, or one under a passphrase, with InvalidInput', async () => {
      for (const key of [
        'not a key',
        privateKeyPem('secret passphrase'),
        `-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----`,
      ]) {
        const r = await create('keyed', { AddPrivateKey: key })
        expectError(
          r,
          400,
          'InvalidInput',
          'The private key is not a valid PEM-encoded private key.',
        )
        assert.equal(r.body.includes(key), false)
      }
      assert.equal((await get('keyed')).status, 404)
    })

    it('refuses to require encryption without a private key, with InvalidInput', async () => {
      const r = await create('sealed', { AssertionEncryptionMode: 'Required' })
      expectError(
        r,
        400,
        'InvalidInput',
        'A SAML provider whose AssertionEncryptionMode is Required must have a private key.',
      )
      assert.equal((await get('sealed')).status, 404)
    })

    itRefusesCreateTags(SAML, () => g)
  })

  describe('GetSAMLProvider', () => {
    it('returns the UUID, the document as uploaded, the dates, the tags, the mode and the keys', async () => {
      const before = Date.now()
      const created = await create('full', {
        AssertionEncryptionMode: 'Required',
        AddPrivateKey: KEY_ONE,
        ...tagParams({ owner: 'sec' }),
      })
      assert.equal(created.status, 200, created.body)
      const r = await get('full')
      assert.equal(r.status, 200, r.body)
      const result = 'GetSAMLProviderResult'
      assert.match(xmlText(r.xml, `${result}/SAMLProviderUUID`) ?? '', /^SAMLSP[A-Z2-7]{20}$/)
      assert.equal(xmlText(r.xml, `${result}/SAMLMetadataDocument`), DOCUMENT)
      const createDate = dateOf(r, `${result}/CreateDate`)
      assert.ok(createDate.getTime() >= before - 1000 && createDate.getTime() <= Date.now() + 1000)
      // No validUntil in the document: 100 years from its upload, as IAM sets it.
      assert.deepEqual(dateOf(r, `${result}/ValidUntil`), century(createDate))
      assert.deepEqual(tagsOf(r, `${result}/Tags`), { owner: 'sec' })
      assert.equal(xmlText(r.xml, `${result}/AssertionEncryptionMode`), 'Required')
      const keys = xmlAll(r.xml, `${result}/PrivateKeyList/member`)
      assert.equal(keys.length, 1)
      assert.match(xmlText(keys[0] ?? r.xml, 'KeyId') ?? '', /^[A-Z2-7]{26}$/)
      assert.deepEqual(dateOf(r, `${result}/PrivateKeyList/member/Timestamp`), createDate)
      // SECURITY: the key itself never comes back.
      assert.equal(r.body.includes('PRIVATE KEY'), false)
    })

    it('sends Tags and PrivateKeyList empty, and the mode Allowed, for a provider without them', async () => {
      const r = await get('bare')
      assert.equal(r.status, 200, r.body)
      for (const list of ['Tags', 'PrivateKeyList']) {
        assert.ok(r.body.includes(`<${list}/>`), `${list} in ${r.body}`)
      }
      assert.equal(xmlText(r.xml, 'GetSAMLProviderResult/AssertionEncryptionMode'), 'Allowed')
    })

    it('takes ValidUntil from the document’s validUntil', async () => {
      const created = await g.call('CreateSAMLProvider', {
        Name: 'dated',
        SAMLMetadataDocument: samlMetadataDocument({ validUntil: '2031-07-01T10:00:00Z' }),
      })
      assert.equal(created.status, 200, created.body)
      assert.deepEqual(
        dateOf(await get('dated'), 'GetSAMLProviderResult/ValidUntil'),
        new Date('2031-07-01T10:00:00Z'),
      )
    })

    it('takes the earliest validUntil, a time without a zone as UTC, and a key without a use for signing', async () => {
      const document = samlMetadataDocument({
        signing: [IDP_CERTIFICATE_TWO],
        validUntil: '2040-01-01T00:00:00Z',
      })
        .replace(
          'WantAuthnRequestsSigned=',
          'validUntil="2035-05-05T12:30:00" WantAuthnRequestsSigned=',
        )
        .replace('<md:KeyDescriptor use="signing">', '<md:KeyDescriptor>')
      const created = await g.call('CreateSAMLProvider', {
        Name: 'earliest',
        SAMLMetadataDocument: document,
      })
      assert.equal(created.status, 200, created.body)
      assert.deepEqual(
        dateOf(await get('earliest'), 'GetSAMLProviderResult/ValidUntil'),
        new Date('2035-05-05T12:30:00Z'),
      )
      await g.call('DeleteSAMLProvider', arn('earliest'))
    })

    it('finds a provider by an ARN in another case', async () => {
      const r = await get('CORP.IDP_1')
      assert.equal(r.status, 200, r.body)
      assert.deepEqual(tagsOf(r, 'GetSAMLProviderResult/Tags'), { Env: 'prod', team: 'blue' })
    })

    itAnswersBadArns(SAML, () => g, 'bare')
  })

  describe('ListSAMLProviders', () => {
    it('lists every provider’s ARN, ValidUntil and CreateDate, by name', async () => {
      const r = await g.call('ListSAMLProviders')
      assert.equal(r.status, 200, r.body)
      const entries = xmlAll(r.xml, 'ListSAMLProvidersResult/SAMLProviderList/member')
      assert.deepEqual(
        entries.map((e) => xmlText(e, 'Arn')),
        ['bare', 'Corp.IdP_1', 'dated', 'full', 'plain'].map(arnOf),
      )
      const dated = entries[2]
      assert.deepEqual(
        new Date(xmlText(dated ?? r.xml, 'ValidUntil') ?? ''),
        new Date('2031-07-01T10:00:00Z'),
      )
      assert.ok(!Number.isNaN(new Date(xmlText(dated ?? r.xml, 'CreateDate') ?? '').getTime()))
    })
  })

  describe('UpdateSAMLProvider', () => {
    it('replaces the document, taking its validUntil, and returns the provider’s ARN', async () => {
      const document = samlMetadataDocument({
        signing: [IDP_CERTIFICATE_TWO],
        validUntil: '2029-12-31T23:59:59.500Z',
      })
      const r = await g.call('UpdateSAMLProvider', {
        SAMLProviderArn: arnOf('BARE'),
        SAMLMetadataDocument: document,
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, 'UpdateSAMLProviderResult/SAMLProviderArn'), arnOf('bare'))
      const got = await get('bare')
      assert.equal(xmlText(got.xml, 'GetSAMLProviderResult/SAMLMetadataDocument'), document)
      assert.deepEqual(
        dateOf(got, 'GetSAMLProviderResult/ValidUntil'),
        new Date('2029-12-31T23:59:59.500Z'),
      )
    })

    it('refuses a document IAM cannot parse, and changes nothing', async () => {
      const r = await g.call('UpdateSAMLProvider', {
        ...arn('bare'),
        SAMLMetadataDocument: samlMetadataDocument({ role: 'md:SPSSODescriptor' }),
        AssertionEncryptionMode: 'Allowed',
      })
      expectError(r, 400, 'InvalidInput', UNPARSEABLE)
      assert.deepEqual(
        dateOf(await get('bare'), 'GetSAMLProviderResult/ValidUntil'),
        new Date('2029-12-31T23:59:59.500Z'),
      )
    })

    it('requires encryption only with a private key, and keeps at most two keys', async () => {
      expectError(
        await g.call('UpdateSAMLProvider', { ...arn('bare'), AssertionEncryptionMode: 'Required' }),
        400,
        'InvalidInput',
        'A SAML provider whose AssertionEncryptionMode is Required must have a private key.',
      )
      const required = await g.call('UpdateSAMLProvider', {
        ...arn('bare'),
        AssertionEncryptionMode: 'Required',
        AddPrivateKey: KEY_ONE,
      })
      assert.equal(required.status, 200, required.body)
      const second = await g.call('UpdateSAMLProvider', { ...arn('bare'), AddPrivateKey: KEY_TWO })
      assert.equal(second.status, 200, second.body)
      const got = await get('bare')
      assert.equal(xmlText(got.xml, 'GetSAMLProviderResult/AssertionEncryptionMode'), 'Required')
      assert.equal(keyIdsOf(got).length, 2)
      expectError(
        await g.call('UpdateSAMLProvider', { ...arn('bare'), AddPrivateKey: KEY_THREE }),
        409,
        'LimitExceeded',
        'Cannot exceed quota for PrivateKeysPerSAMLProvider: 2',
      )
      assert.deepEqual(keyIdsOf(await get('bare')), keyIdsOf(got))
    })

    it('removes a private key by its KeyId, but not the last of a provider that requires encryption', async () => {
      const [first, second] = keyIdsOf(await get('bare'))
      const removed = await g.call('UpdateSAMLProvider', {
        ...arn('bare'),
        RemovePrivateKey: first ?? '',
      })
      assert.equal(removed.status, 200, removed.body)
      assert.deepEqual(keyIdsOf(await get('bare')), [second])
      expectError(
        await g.call('UpdateSAMLProvider', { ...arn('bare'), RemovePrivateKey: second ?? '' }),
        400,
        'InvalidInput',
        'A SAML provider whose AssertionEncryptionMode is Required must have a private key.',
      )
      const allowed = await g.call('UpdateSAMLProvider', {
        ...arn('bare'),
        AssertionEncryptionMode: 'Allowed',
        RemovePrivateKey: second ?? '',
      })
      assert.equal(allowed.status, 200, allowed.body)
      assert.deepEqual(keyIdsOf(await get('bare')), [])
    })

    it('refuses a KeyId the provider does not have with NoSuchEntity, a malformed one with ValidationError', async () => {
      const ghost = 'A'.repeat(26)
      expectError(
        await g.call('UpdateSAMLProvider', { ...arn('bare'), RemovePrivateKey: ghost }),
        404,
        'NoSuchEntity',
        `The private key ${ghost} was not found for SAML provider ${arnOf('bare')}.`,
      )
      expectError(
        await g.call('UpdateSAMLProvider', { ...arn('bare'), RemovePrivateKey: 'SHORT' }),
        400,
        'ValidationError',
        "1 validation error detected: Value 'SHORT' at 'removePrivateKey' failed to satisfy constraint: Member must have length greater than or equal to 22",
      )
    })

    it('refuses to add and remove a key in one request', async () => {
      const r = await g.call('UpdateSAMLProvider', {
        ...arn('full'),
        AddPrivateKey: KEY_TWO,
        RemovePrivateKey: keyIdsOf(await get('full'))[0] ?? '',
      })
      expectError(
        r,
        400,
        'InvalidInput',
        'AddPrivateKey and RemovePrivateKey cannot be used in the same request: add the new key, then remove the old one in a separate request.',
      )
      assert.equal(keyIdsOf(await get('full')).length, 1)
    })

    it('refuses a private key it cannot read', async () => {
      expectError(
        await g.call('UpdateSAMLProvider', { ...arn('full'), AddPrivateKey: 'garbage' }),
        400,
        'InvalidInput',
        'The private key is not a valid PEM-encoded private key.',
      )
    })
  })

  describeProviderTags(SAML, () => g, 'Corp.IdP_1')

  describe('DeleteSAMLProvider', () => {
    it('deletes a provider, then answers it with NoSuchEntity', async () => {
      const r = await g.call('DeleteSAMLProvider', arn('FULL'))
      assert.equal(r.status, 200, r.body)
      const message = `Manifest not found for arn ${arnOf('full')}`
      expectError(await get('full'), 404, 'NoSuchEntity', message)
      expectError(await g.call('DeleteSAMLProvider', arn('full')), 404, 'NoSuchEntity', message)
      // A new provider of the name starts with nothing of the old one.
      assert.equal((await create('full')).status, 200)
      const again = await get('full')
      assert.ok(again.body.includes('<PrivateKeyList/>'))
      assert.ok(again.body.includes('<Tags/>'))
    })

    itAnswersMissingProvider(SAML, () => g)
  })
})

describeProviderQuota(SAML)

describeProviderAuthorization(SAML)

describe('IAM SAML providers: the audit trail', () => {
  it('records a call that adds a private key without the key', async () => {
    const g = await startInProcess()
    try {
      const created = await g.call('CreateSAMLProvider', {
        Name: 'audited',
        SAMLMetadataDocument: DOCUMENT,
        AddPrivateKey: KEY_ONE,
      })
      assert.equal(created.status, 200, created.body)
      const refused = await g.call('UpdateSAMLProvider', {
        SAMLProviderArn: arnOf('audited'),
        AddPrivateKey: KEY_TWO,
        RemovePrivateKey: 'A'.repeat(26),
      })
      assert.equal(refused.status, 400, refused.body)
      const events = await g.trail.readTrailEvents(0, 1000)
      const records = events
        .filter((e) => ['CreateSAMLProvider', 'UpdateSAMLProvider'].includes(e.eventName))
        .map((e) => e.record)
      assert.equal(records.length, 2)
      const keyLine = (pem: string) => pem.split('\n')[1] ?? pem
      for (const record of records) {
        for (const key of [KEY_ONE, KEY_TWO]) {
          assert.equal(record.includes(keyLine(key)), false, record)
        }
      }
      const create = JSON.parse(records[0] ?? '{}') as {
        requestParameters?: Record<string, unknown>
      }
      assert.equal(create.requestParameters?.['name'], 'audited')
      assert.equal(create.requestParameters?.['addPrivateKey'], 'HIDDEN_DUE_TO_SECURITY_REASONS')
    } finally {
      await g.close()
    }
  })
})

describe('GetAccountSummary and identity providers', () => {
  it('counts SAML providers with OIDC providers as Providers', async () => {
    const g = await startInProcess()
    try {
      const providers = () => providersInSummary(g)
      assert.equal(await providers(), '0')
      const saml = await g.call('CreateSAMLProvider', {
        Name: 'corp',
        SAMLMetadataDocument: samlMetadataDocument(),
      })
      assert.equal(saml.status, 200, saml.body)
      const oidc = await g.call('CreateOpenIDConnectProvider', { Url: 'https://idp.example.com' })
      assert.equal(oidc.status, 200, oidc.body)
      assert.equal(await providers(), '2')
    } finally {
      await g.close()
    }
  })
})
