/** SAML identity providers. */
import assert from 'node:assert/strict'
import {
  SamlEncryptionKeyRequiredError,
  SamlPrivateKeyNotFoundError,
  SamlProviderExistsError,
  SamlProviderLimitError,
  SamlProviderNotFoundError,
} from '../../saml-provider-errors.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'
import { identityProviderCases } from './identity-provider-cases.js'
import type { IdentityProviderStoreFamily } from './identity-provider-cases.js'

// The store keeps documents and keys as given; checking them is the operations' work.
const DOCUMENT = '<md:EntityDescriptor entityID="https://idp.example.com"/>'
const OTHER_DOCUMENT = '<md:EntityDescriptor entityID="https://other.example.com"/>'
const KEY_ONE =
  '-----BEGIN PRIVATE KEY-----\nprivate-key-number-one-7f3a9c\n-----END PRIVATE KEY-----'
const KEY_TWO =
  '-----BEGIN PRIVATE KEY-----\nprivate-key-number-two-51d0e2\n-----END PRIVATE KEY-----'
const KEY_THREE = '-----BEGIN PRIVATE KEY-----\nprivate-key-three-b8c4aa\n-----END PRIVATE KEY-----'

/** 100 years after `date`: IAM's ValidUntil of a document that gives none. */
function century(date: Date): Date {
  const until = new Date(date)
  until.setUTCFullYear(until.getUTCFullYear() + 100)
  return until
}

function holds(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'utf8'))
}

async function create(tx: StoreTx, name: string, accountId = ACCOUNT): Promise<void> {
  await tx.createSamlProvider({ accountId, name, metadataDocument: DOCUMENT })
}

async function keyIds(tx: StoreTx, name: string): Promise<string[]> {
  return (await tx.getSamlProvider(ACCOUNT, name)).privateKeys.map((k) => k.keyId)
}

const SAML: IdentityProviderStoreFamily = {
  arnType: 'saml-provider',
  limitError: SamlProviderLimitError,
  notFoundError: SamlProviderNotFoundError,
  create: (tx, accountId, name, tags) =>
    tx.createSamlProvider({
      accountId,
      name,
      metadataDocument: DOCUMENT,
      ...(tags === undefined ? {} : { tags }),
    }),
  get: (tx, accountId, name) => tx.getSamlProvider(accountId, name),
  list: (tx, accountId) => tx.listSamlProviders(accountId),
  delete: (tx, accountId, name) => tx.deleteSamlProvider(accountId, name),
  tag: (tx, accountId, name, tags) => tx.tagSamlProvider(accountId, name, tags),
  untag: (tx, accountId, name, keys) => tx.untagSamlProvider(accountId, name, keys),
  listTags: (tx, accountId, name, request) => tx.listSamlProviderTags(accountId, name, request),
  ownCalls: (tx, name) => [
    () => tx.updateSamlProvider(ACCOUNT, name, { assertionEncryptionMode: 'Allowed' }),
    () => tx.getSamlProviderPrivateKey(ACCOUNT, name, 'A'.repeat(26)),
  ],
}

/** The SAML provider cases. */
export const samlProviderCases: CaseGroup = {
  name: 'saml providers',
  cases(test) {
    test('creates a provider with its ARN, UUID, document, ValidUntil 100 years on and mode Allowed', async (c) => {
      await c.tx(async (tx) => {
        const provider = await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'Corp.IdP_1',
          metadataDocument: DOCUMENT,
        })
        assert.match(provider.uuid, /^SAMLSP[A-Z2-7]{20}$/)
        assert.deepEqual(provider, {
          accountId: ACCOUNT,
          name: 'Corp.IdP_1',
          arn: `arn:aws:iam::${ACCOUNT}:saml-provider/Corp.IdP_1`,
          uuid: provider.uuid,
          metadataDocument: DOCUMENT,
          validUntil: new Date('2126-01-01T00:00:00.000Z'),
          assertionEncryptionMode: 'Allowed',
          privateKeys: [],
          createdAt: START,
        })
        assert.deepEqual(await tx.getSamlProvider(ACCOUNT, 'corp.idp_1'), provider)
        const other = await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'other',
          metadataDocument: DOCUMENT,
        })
        assert.notEqual(other.uuid, provider.uuid)
      })
    })

    test('keeps the validUntil and the mode given', async (c) => {
      await c.tx(async (tx) => {
        const validUntil = new Date('2030-06-30T12:00:00.000Z')
        const provider = await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'dated',
          metadataDocument: DOCUMENT,
          validUntil,
          assertionEncryptionMode: 'Required',
          privateKey: KEY_ONE,
        })
        assert.deepEqual(provider.validUntil, validUntil)
        assert.equal(provider.assertionEncryptionMode, 'Required')
        assert.equal(provider.privateKeys.length, 1)
      })
    })

    test('refuses a name taken in another case, per account', async (c) => {
      await c.tx(async (tx) => {
        await create(tx, 'Okta')
        await rejectsWith(
          tx.createSamlProvider({
            accountId: ACCOUNT,
            name: 'OKTA',
            metadataDocument: OTHER_DOCUMENT,
            tags: [{ key: 'k', value: 'v' }],
          }),
          SamlProviderExistsError,
          { providerName: 'OKTA' },
        )
        await create(tx, 'okta', OTHER_ACCOUNT)
        assert.equal((await tx.getSamlProvider(ACCOUNT, 'okta')).metadataDocument, DOCUMENT)
        assert.deepEqual((await tx.listSamlProviderTags(ACCOUNT, 'okta')).items, [])
      })
    })

    identityProviderCases(test, SAML)

    test('replaces the document, its ValidUntil from the update’s time, and keeps what is not given', async (c) => {
      await c.tx(async (tx) => {
        await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'idp',
          metadataDocument: DOCUMENT,
          validUntil: new Date('2030-01-01T00:00:00.000Z'),
        })
        c.clock.advance(60_000)
        const updated = await tx.updateSamlProvider(ACCOUNT, 'IDP', {
          metadata: { document: OTHER_DOCUMENT },
        })
        assert.equal(updated.metadataDocument, OTHER_DOCUMENT)
        assert.deepEqual(updated.validUntil, century(new Date(START.getTime() + 60_000)))
        assert.deepEqual(updated.createdAt, START)
        assert.equal(updated.assertionEncryptionMode, 'Allowed')
        const dated = new Date('2031-02-03T04:05:06.000Z')
        await tx.updateSamlProvider(ACCOUNT, 'idp', {
          metadata: { document: DOCUMENT, validUntil: dated },
        })
        const moded = await tx.updateSamlProvider(ACCOUNT, 'idp', {})
        assert.equal(moded.metadataDocument, DOCUMENT)
        assert.deepEqual(moded.validUntil, dated)
        assert.equal(moded.name, 'idp')
      })
    })

    test('adds private keys with ids of their own, at most two, refusing a third whole', async (c) => {
      await c.tx(async (tx) => {
        await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'idp',
          metadataDocument: DOCUMENT,
          privateKey: KEY_ONE,
        })
        c.clock.advance(1000)
        const two = await tx.updateSamlProvider(ACCOUNT, 'idp', { addPrivateKey: KEY_TWO })
        assert.equal(two.privateKeys.length, 2)
        const [first, second] = two.privateKeys
        assert.match(first?.keyId ?? '', /^[A-Z2-7]{26}$/)
        assert.notEqual(first?.keyId, second?.keyId)
        assert.deepEqual(
          two.privateKeys.map((k) => k.createdAt),
          [START, new Date(START.getTime() + 1000)],
        )
        await rejectsWith(
          tx.updateSamlProvider(ACCOUNT, 'idp', {
            addPrivateKey: KEY_THREE,
            metadata: { document: OTHER_DOCUMENT },
          }),
          SamlProviderLimitError,
          { quota: 'privateKeysPerProvider', limit: 2 },
        )
        const kept = await tx.getSamlProvider(ACCOUNT, 'idp')
        assert.equal(kept.metadataDocument, DOCUMENT)
        assert.deepEqual(kept.privateKeys, two.privateKeys)
        assert.equal(
          await tx.getSamlProviderPrivateKey(ACCOUNT, 'idp', first?.keyId ?? ''),
          KEY_ONE,
        )
        assert.equal(
          await tx.getSamlProviderPrivateKey(ACCOUNT, 'IDP', second?.keyId ?? ''),
          KEY_TWO,
        )
      })
    })

    test('removes a private key by its id, refusing an id the provider does not have', async (c) => {
      await c.tx(async (tx) => {
        await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'idp',
          metadataDocument: DOCUMENT,
          privateKey: KEY_ONE,
        })
        await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'other',
          metadataDocument: DOCUMENT,
          privateKey: KEY_TWO,
        })
        const [mine] = await keyIds(tx, 'idp')
        const [theirs] = await keyIds(tx, 'other')
        await rejectsWith(
          tx.updateSamlProvider(ACCOUNT, 'idp', { removePrivateKeyId: theirs ?? '' }),
          SamlPrivateKeyNotFoundError,
          { keyId: theirs },
        )
        await rejectsWith(
          tx.getSamlProviderPrivateKey(ACCOUNT, 'idp', theirs ?? ''),
          SamlPrivateKeyNotFoundError,
          { keyId: theirs },
        )
        await tx.updateSamlProvider(ACCOUNT, 'idp', { removePrivateKeyId: mine ?? '' })
        assert.deepEqual(await keyIds(tx, 'idp'), [])
        assert.deepEqual(await keyIds(tx, 'other'), [theirs])
      })
    })

    test('never lets a provider require encryption without a private key', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(
          tx.createSamlProvider({
            accountId: ACCOUNT,
            name: 'idp',
            metadataDocument: DOCUMENT,
            assertionEncryptionMode: 'Required',
          }),
          SamlEncryptionKeyRequiredError,
          { providerName: 'idp' },
        )
        assert.deepEqual(await tx.listSamlProviders(ACCOUNT), [])
        await create(tx, 'idp')
        await rejectsWith(
          tx.updateSamlProvider(ACCOUNT, 'idp', { assertionEncryptionMode: 'Required' }),
          SamlEncryptionKeyRequiredError,
        )
        const required = await tx.updateSamlProvider(ACCOUNT, 'idp', {
          assertionEncryptionMode: 'Required',
          addPrivateKey: KEY_ONE,
        })
        assert.equal(required.assertionEncryptionMode, 'Required')
        const keyId = required.privateKeys[0]?.keyId ?? ''
        await rejectsWith(
          tx.updateSamlProvider(ACCOUNT, 'idp', { removePrivateKeyId: keyId }),
          SamlEncryptionKeyRequiredError,
        )
        assert.deepEqual(await keyIds(tx, 'idp'), [keyId])
        const allowed = await tx.updateSamlProvider(ACCOUNT, 'idp', {
          assertionEncryptionMode: 'Allowed',
          removePrivateKeyId: keyId,
        })
        assert.equal(allowed.assertionEncryptionMode, 'Allowed')
        assert.deepEqual(allowed.privateKeys, [])
      })
    })

    test('keeps private keys encrypted at rest', async (c) => {
      await c.tx(async (tx) => {
        await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'sealed-idp',
          metadataDocument: DOCUMENT,
          privateKey: KEY_ONE,
        })
        await tx.updateSamlProvider(ACCOUNT, 'sealed-idp', { addPrivateKey: KEY_TWO })
      })
      const raw = await c.rawContent()
      assert.ok(holds(raw, 'sealed-idp'), 'the raw content is what the store keeps')
      for (const key of [KEY_ONE, KEY_TWO]) {
        const body = key.split('\n')[1] ?? ''
        assert.ok(!holds(raw, body), 'a private key is stored in plain text')
        assert.ok(!holds(raw, Buffer.from(body).toString('base64')), 'a private key is in base64')
        assert.ok(!holds(raw, Buffer.from(body).toString('hex')), 'a private key is in hex')
      }
    })

    test('deletes a provider with its private keys and tags', async (c) => {
      await c.tx(async (tx) => {
        const old = await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'idp',
          metadataDocument: DOCUMENT,
          privateKey: KEY_ONE,
          tags: [{ key: 'team', value: 'blue' }],
        })
        c.clock.advance(1000)
        await tx.deleteSamlProvider(ACCOUNT, 'IDP')
        await rejectsWith(tx.getSamlProvider(ACCOUNT, 'idp'), SamlProviderNotFoundError, {
          providerName: 'idp',
        })
        const again = await tx.createSamlProvider({
          accountId: ACCOUNT,
          name: 'idp',
          metadataDocument: DOCUMENT,
        })
        assert.notEqual(again.uuid, old.uuid)
        assert.deepEqual(again.privateKeys, [])
        assert.deepEqual(again.createdAt, new Date(START.getTime() + 1000))
        assert.deepEqual((await tx.listSamlProviderTags(ACCOUNT, 'idp')).items, [])
      })
    })
  },
}
