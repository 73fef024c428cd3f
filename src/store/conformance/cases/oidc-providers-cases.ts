/** OpenID Connect identity providers. */
import assert from 'node:assert/strict'
import {
  OidcProviderExistsError,
  OidcProviderLimitError,
  OidcProviderNotFoundError,
} from '../../oidc-provider-errors.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'
import { identityProviderCases } from './identity-provider-cases.js'
import type { IdentityProviderStoreFamily } from './identity-provider-cases.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)

async function clientIdsOf(tx: StoreTx, name: string): Promise<readonly string[]> {
  return (await tx.getOidcProvider(ACCOUNT, name)).clientIds
}

const OIDC: IdentityProviderStoreFamily = {
  arnType: 'oidc-provider',
  limitError: OidcProviderLimitError,
  notFoundError: OidcProviderNotFoundError,
  create: (tx, accountId, name, tags) =>
    tx.createOidcProvider({ accountId, name, ...(tags === undefined ? {} : { tags }) }),
  get: (tx, accountId, name) => tx.getOidcProvider(accountId, name),
  list: (tx, accountId) => tx.listOidcProviders(accountId),
  delete: (tx, accountId, name) => tx.deleteOidcProvider(accountId, name),
  tag: (tx, accountId, name, tags) => tx.tagOidcProvider(accountId, name, tags),
  untag: (tx, accountId, name, keys) => tx.untagOidcProvider(accountId, name, keys),
  listTags: (tx, accountId, name, request) => tx.listOidcProviderTags(accountId, name, request),
  ownCalls: (tx, name) => [
    () => tx.addOidcProviderClientId(ACCOUNT, name, 'x'),
    () => tx.removeOidcProviderClientId(ACCOUNT, name, 'x'),
    () => tx.updateOidcProviderThumbprints(ACCOUNT, name, [A]),
  ],
}

/** The OIDC provider cases. */
export const oidcProviderCases: CaseGroup = {
  name: 'oidc providers',
  cases(test) {
    test('creates a provider named by its URL, with its ARN, client ids and thumbprints', async (c) => {
      await c.tx(async (tx) => {
        const provider = await tx.createOidcProvider({
          accountId: ACCOUNT,
          name: 'Server.Example.com/Tenant',
          clientIds: ['web', 'cli', 'web'],
          thumbprints: [B, A],
        })
        assert.deepEqual(provider, {
          accountId: ACCOUNT,
          name: 'Server.Example.com/Tenant',
          arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/Server.Example.com/Tenant`,
          clientIds: ['web', 'cli'],
          thumbprints: [B, A],
          createdAt: START,
        })
        assert.deepEqual(await tx.getOidcProvider(ACCOUNT, 'server.example.com/tenant'), provider)
      })
    })

    test('creates a provider without client ids, thumbprints or tags', async (c) => {
      await c.tx(async (tx) => {
        const provider = await tx.createOidcProvider({ accountId: ACCOUNT, name: 'bare.example' })
        assert.deepEqual(provider.clientIds, [])
        assert.deepEqual(provider.thumbprints, [])
        assert.deepEqual(await tx.listOidcProviderTags(ACCOUNT, 'bare.example'), {
          items: [],
          marker: null,
        })
      })
    })

    test('refuses a name taken in another case, per account', async (c) => {
      await c.tx(async (tx) => {
        await tx.createOidcProvider({ accountId: ACCOUNT, name: 'idp.example.com' })
        await rejectsWith(
          tx.createOidcProvider({ accountId: ACCOUNT, name: 'IDP.example.com', clientIds: ['x'] }),
          OidcProviderExistsError,
          { providerName: 'IDP.example.com' },
        )
        // A trailing slash is another URL: nothing is normalized.
        await tx.createOidcProvider({ accountId: ACCOUNT, name: 'idp.example.com/' })
        await tx.createOidcProvider({ accountId: OTHER_ACCOUNT, name: 'idp.example.com' })
        assert.deepEqual(await clientIdsOf(tx, 'idp.example.com'), [])
      })
    })

    identityProviderCases(test, OIDC)

    test('adds a client id once, after the others, and removes one it has or not', async (c) => {
      await c.tx(async (tx) => {
        await tx.createOidcProvider({ accountId: ACCOUNT, name: 'idp', clientIds: ['one', 'two'] })
        await tx.addOidcProviderClientId(ACCOUNT, 'IDP', 'three')
        await tx.addOidcProviderClientId(ACCOUNT, 'idp', 'one')
        // Client ids compare with case.
        await tx.addOidcProviderClientId(ACCOUNT, 'idp', 'ONE')
        assert.deepEqual(await clientIdsOf(tx, 'idp'), ['one', 'two', 'three', 'ONE'])
        await tx.removeOidcProviderClientId(ACCOUNT, 'idp', 'two')
        await tx.removeOidcProviderClientId(ACCOUNT, 'idp', 'absent')
        await tx.addOidcProviderClientId(ACCOUNT, 'idp', 'two')
        assert.deepEqual(await clientIdsOf(tx, 'idp'), ['one', 'three', 'ONE', 'two'])
      })
    })

    test('holds at most 100 client ids, refusing more whole', async (c) => {
      await c.tx(async (tx) => {
        const hundred = Array.from({ length: 100 }, (_, i) => `client-${i}`)
        await rejectsWith(
          tx.createOidcProvider({
            accountId: ACCOUNT,
            name: 'many',
            clientIds: [...hundred, 'one-more'],
          }),
          OidcProviderLimitError,
          { quota: 'clientIdsPerProvider', limit: 100 },
        )
        await rejectsWith(tx.getOidcProvider(ACCOUNT, 'many'), OidcProviderNotFoundError, {
          providerName: 'many',
        })
        // A repeat does not count twice.
        await tx.createOidcProvider({
          accountId: ACCOUNT,
          name: 'many',
          clientIds: [...hundred, 'client-0'],
        })
        await tx.addOidcProviderClientId(ACCOUNT, 'many', 'client-99')
        await rejectsWith(
          tx.addOidcProviderClientId(ACCOUNT, 'many', 'one-more'),
          OidcProviderLimitError,
          { quota: 'clientIdsPerProvider', limit: 100 },
        )
        assert.deepEqual(await clientIdsOf(tx, 'many'), hundred)
      })
    })

    test('replaces the thumbprint list whole', async (c) => {
      await c.tx(async (tx) => {
        await tx.createOidcProvider({ accountId: ACCOUNT, name: 'idp', thumbprints: [A, B] })
        await tx.updateOidcProviderThumbprints(ACCOUNT, 'IDP', [C, A])
        assert.deepEqual((await tx.getOidcProvider(ACCOUNT, 'idp')).thumbprints, [C, A])
        await tx.updateOidcProviderThumbprints(ACCOUNT, 'idp', [])
        assert.deepEqual((await tx.getOidcProvider(ACCOUNT, 'idp')).thumbprints, [])
      })
    })

    test('deletes a provider with its client ids, thumbprints and tags', async (c) => {
      await c.tx(async (tx) => {
        await tx.createOidcProvider({
          accountId: ACCOUNT,
          name: 'idp',
          clientIds: ['web'],
          thumbprints: [A],
          tags: [{ key: 'team', value: 'blue' }],
        })
        c.clock.advance(1000)
        await tx.deleteOidcProvider(ACCOUNT, 'IDP')
        await rejectsWith(tx.getOidcProvider(ACCOUNT, 'idp'), OidcProviderNotFoundError, {
          providerName: 'idp',
        })
        const again = await tx.createOidcProvider({ accountId: ACCOUNT, name: 'idp' })
        assert.deepEqual(again.clientIds, [])
        assert.deepEqual(again.thumbprints, [])
        assert.deepEqual(again.createdAt, new Date(START.getTime() + 1000))
        assert.deepEqual((await tx.listOidcProviderTags(ACCOUNT, 'idp')).items, [])
      })
    })
  },
}
