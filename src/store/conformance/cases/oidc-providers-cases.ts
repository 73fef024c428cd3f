/** OpenID Connect identity providers. */
import assert from 'node:assert/strict'
import { LimitExceededError, NotFoundError } from '../../errors.js'
import {
  OidcProviderExistsError,
  OidcProviderLimitError,
  OidcProviderNotFoundError,
} from '../../oidc-provider-errors.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, START, readAllPages, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)

async function createProviders(tx: StoreTx, accountId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await tx.createOidcProvider({
      accountId,
      name: `idp-${String(i).padStart(3, '0')}.example.com`,
    })
  }
}

async function clientIdsOf(tx: StoreTx, name: string): Promise<readonly string[]> {
  return (await tx.getOidcProvider(ACCOUNT, name)).clientIds
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

    test('needs the account to exist', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(
          tx.createOidcProvider({ accountId: '999999999999', name: 'idp.example.com' }),
          NotFoundError,
          { entity: 'account', key: '999999999999' },
        )
      })
    })

    test('lists an account’s providers by name without case', async (c) => {
      await c.tx(async (tx) => {
        for (const name of ['b.example', 'A.example', 'c.example']) {
          await tx.createOidcProvider({ accountId: ACCOUNT, name })
        }
        await tx.createOidcProvider({ accountId: OTHER_ACCOUNT, name: 'other.example' })
        const names = (await tx.listOidcProviders(ACCOUNT)).map((p) => p.name)
        assert.deepEqual(names, ['A.example', 'b.example', 'c.example'])
        assert.deepEqual(
          (await tx.listOidcProviders(OTHER_ACCOUNT)).map((p) => p.arn),
          [`arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/other.example`],
        )
      })
    })

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

    test('holds at most 100 providers per account', async (c) => {
      await c.tx(async (tx) => {
        await createProviders(tx, ACCOUNT, 100)
        await rejectsWith(
          tx.createOidcProvider({ accountId: ACCOUNT, name: 'one-more.example' }),
          OidcProviderLimitError,
          { quota: 'providersPerAccount', limit: 100 },
        )
        assert.equal((await tx.listOidcProviders(ACCOUNT)).length, 100)
        await tx.createOidcProvider({ accountId: OTHER_ACCOUNT, name: 'one-more.example' })
        await tx.deleteOidcProvider(ACCOUNT, 'idp-000.example.com')
        await tx.createOidcProvider({ accountId: ACCOUNT, name: 'one-more.example' })
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

    test('tags a provider with keys compared with case, listed by key in pages', async (c) => {
      await c.tx(async (tx) => {
        await tx.createOidcProvider({
          accountId: ACCOUNT,
          name: 'idp',
          tags: [{ key: 'team', value: 'blue' }],
        })
        await tx.tagOidcProvider(ACCOUNT, 'IDP', [
          { key: 'Team', value: 'red' },
          { key: 'env', value: 'prod' },
        ])
        await tx.tagOidcProvider(ACCOUNT, 'idp', [{ key: 'team', value: 'green' }])
        const { items, pages } = await readAllPages((marker) =>
          tx.listOidcProviderTags(ACCOUNT, 'idp', {
            maxItems: 2,
            ...(marker === undefined ? {} : { marker }),
          }),
        )
        assert.deepEqual(items, [
          { key: 'Team', value: 'red' },
          { key: 'env', value: 'prod' },
          { key: 'team', value: 'green' },
        ])
        assert.deepEqual(pages, [2, 1])
        await tx.untagOidcProvider(ACCOUNT, 'idp', ['TEAM', 'team', 'absent'])
        assert.deepEqual((await tx.listOidcProviderTags(ACCOUNT, 'idp')).items, [
          { key: 'Team', value: 'red' },
          { key: 'env', value: 'prod' },
        ])
      })
    })

    test('holds at most 50 tags, keeping nothing of a request that would pass them', async (c) => {
      await c.tx(async (tx) => {
        const tags = (from: number, count: number) =>
          Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: 'v' }))
        await rejectsWith(
          tx.createOidcProvider({ accountId: ACCOUNT, name: 'idp', tags: tags(0, 51) }),
          LimitExceededError,
          { quota: 'tagsPerResource', limit: 50 },
        )
        assert.deepEqual(await tx.listOidcProviders(ACCOUNT), [])
        await tx.createOidcProvider({ accountId: ACCOUNT, name: 'idp', tags: tags(0, 49) })
        await rejectsWith(
          tx.tagOidcProvider(ACCOUNT, 'idp', [{ key: 'k0', value: 'new' }, ...tags(49, 2)]),
          LimitExceededError,
          { quota: 'tagsPerResource', limit: 50 },
        )
        const kept = (await tx.listOidcProviderTags(ACCOUNT, 'idp')).items
        assert.equal(kept.length, 49)
        assert.deepEqual(
          kept.find((t) => t.key === 'k0'),
          { key: 'k0', value: 'v' },
        )
        // Replacing a value adds no tag.
        await tx.tagOidcProvider(ACCOUNT, 'idp', [{ key: 'k0', value: 'new' }, ...tags(49, 1)])
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

    test('refuses every operation on a provider that does not exist', async (c) => {
      await c.tx(async (tx) => {
        await tx.createOidcProvider({ accountId: OTHER_ACCOUNT, name: 'theirs' })
        const calls: readonly (() => Promise<unknown>)[] = [
          () => tx.getOidcProvider(ACCOUNT, 'theirs'),
          () => tx.deleteOidcProvider(ACCOUNT, 'theirs'),
          () => tx.addOidcProviderClientId(ACCOUNT, 'theirs', 'x'),
          () => tx.removeOidcProviderClientId(ACCOUNT, 'theirs', 'x'),
          () => tx.updateOidcProviderThumbprints(ACCOUNT, 'theirs', [A]),
          () => tx.tagOidcProvider(ACCOUNT, 'theirs', [{ key: 'k', value: 'v' }]),
          () => tx.untagOidcProvider(ACCOUNT, 'theirs', ['k']),
          () => tx.listOidcProviderTags(ACCOUNT, 'theirs'),
        ]
        for (const call of calls) {
          await rejectsWith(call(), OidcProviderNotFoundError, { providerName: 'theirs' })
        }
        assert.equal((await tx.getOidcProvider(OTHER_ACCOUNT, 'theirs')).name, 'theirs')
      })
    })
  },
}
