/**
 * The cases OpenID Connect and SAML providers share: the same checks of names, quotas, tags and
 * missing providers over a family described by its store operations and errors.
 */
import assert from 'node:assert/strict'
import { LimitExceededError, NotFoundError } from '../../errors.js'
import type { Page, PageRequest, StoreTx, Tag } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, readAllPages, rejectsWith } from '../harness.js'
import type { DefineCase } from '../harness.js'

/** A family of identity providers as the store keeps it. */
export interface IdentityProviderStoreFamily {
  /** The resource type in its ARNs. */
  readonly arnType: string
  /** Its quota error, with the quota's name and limit. */
  readonly limitError: abstract new (
    ...args: never[]
  ) => Error & { readonly quota: string; readonly limit: number }
  /** Its error for a provider that does not exist, naming the provider. */
  readonly notFoundError: abstract new (
    ...args: never[]
  ) => Error & { readonly providerName: string }
  /** Creates a provider with whatever else the family needs. */
  create(tx: StoreTx, accountId: string, name: string, tags?: readonly Tag[]): Promise<unknown>
  get(tx: StoreTx, accountId: string, name: string): Promise<{ readonly name: string }>
  list(
    tx: StoreTx,
    accountId: string,
  ): Promise<readonly { readonly name: string; readonly arn: string }[]>
  delete(tx: StoreTx, accountId: string, name: string): Promise<void>
  tag(tx: StoreTx, accountId: string, name: string, tags: readonly Tag[]): Promise<void>
  untag(tx: StoreTx, accountId: string, name: string, keys: readonly string[]): Promise<void>
  listTags(tx: StoreTx, accountId: string, name: string, request?: PageRequest): Promise<Page<Tag>>
  /** Calls of the family's own operations (beyond get, delete and the tags) on ACCOUNT's `name`. */
  ownCalls(tx: StoreTx, name: string): readonly (() => Promise<unknown>)[]
}

/** Registers the cases every identity provider family passes. */
export function identityProviderCases(test: DefineCase, family: IdentityProviderStoreFamily): void {
  test('needs the account to exist', async (c) => {
    await c.tx(async (tx) => {
      await rejectsWith(family.create(tx, '999999999999', 'idp.example.com'), NotFoundError, {
        entity: 'account',
        key: '999999999999',
      })
    })
  })

  test('lists an account’s providers by name without case', async (c) => {
    await c.tx(async (tx) => {
      for (const name of ['b.example', 'A.example', 'c.example']) {
        await family.create(tx, ACCOUNT, name)
      }
      await family.create(tx, OTHER_ACCOUNT, 'other.example')
      assert.deepEqual(
        (await family.list(tx, ACCOUNT)).map((p) => p.name),
        ['A.example', 'b.example', 'c.example'],
      )
      assert.deepEqual(
        (await family.list(tx, OTHER_ACCOUNT)).map((p) => p.arn),
        [`arn:aws:iam::${OTHER_ACCOUNT}:${family.arnType}/other.example`],
      )
    })
  })

  test('holds at most 100 providers per account', async (c) => {
    await c.tx(async (tx) => {
      for (let i = 0; i < 100; i++) {
        await family.create(tx, ACCOUNT, `idp-${String(i).padStart(3, '0')}.example`)
      }
      await rejectsWith(family.create(tx, ACCOUNT, 'one-more.example'), family.limitError, {
        quota: 'providersPerAccount',
        limit: 100,
      })
      assert.equal((await family.list(tx, ACCOUNT)).length, 100)
      await family.create(tx, OTHER_ACCOUNT, 'one-more.example')
      await family.delete(tx, ACCOUNT, 'idp-000.example')
      await family.create(tx, ACCOUNT, 'one-more.example')
    })
  })

  test('tags a provider with keys compared with case, listed by key in pages', async (c) => {
    await c.tx(async (tx) => {
      await family.create(tx, ACCOUNT, 'idp', [{ key: 'team', value: 'blue' }])
      await family.tag(tx, ACCOUNT, 'IDP', [
        { key: 'Team', value: 'red' },
        { key: 'env', value: 'prod' },
      ])
      await family.tag(tx, ACCOUNT, 'idp', [{ key: 'team', value: 'green' }])
      const { items, pages } = await readAllPages((marker) =>
        family.listTags(tx, ACCOUNT, 'idp', {
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
      await family.untag(tx, ACCOUNT, 'idp', ['TEAM', 'team', 'absent'])
      assert.deepEqual((await family.listTags(tx, ACCOUNT, 'idp')).items, [
        { key: 'Team', value: 'red' },
        { key: 'env', value: 'prod' },
      ])
    })
  })

  test('holds at most 50 tags, keeping nothing of a request that would pass them', async (c) => {
    await c.tx(async (tx) => {
      const tags = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: 'v' }))
      await rejectsWith(family.create(tx, ACCOUNT, 'idp', tags(0, 51)), LimitExceededError, {
        quota: 'tagsPerResource',
        limit: 50,
      })
      assert.deepEqual(await family.list(tx, ACCOUNT), [])
      await family.create(tx, ACCOUNT, 'idp', tags(0, 49))
      await rejectsWith(
        family.tag(tx, ACCOUNT, 'idp', [{ key: 'k0', value: 'new' }, ...tags(49, 2)]),
        LimitExceededError,
        { quota: 'tagsPerResource', limit: 50 },
      )
      const kept = (await family.listTags(tx, ACCOUNT, 'idp')).items
      assert.equal(kept.length, 49)
      assert.deepEqual(
        kept.find((t) => t.key === 'k0'),
        { key: 'k0', value: 'v' },
      )
      // Replacing a value adds no tag.
      await family.tag(tx, ACCOUNT, 'idp', [{ key: 'k0', value: 'new' }, ...tags(49, 1)])
    })
  })

  test('refuses every operation on a provider that does not exist', async (c) => {
    await c.tx(async (tx) => {
      await family.create(tx, OTHER_ACCOUNT, 'theirs')
      const calls: readonly (() => Promise<unknown>)[] = [
        () => family.get(tx, ACCOUNT, 'theirs'),
        () => family.delete(tx, ACCOUNT, 'theirs'),
        ...family.ownCalls(tx, 'theirs'),
        () => family.tag(tx, ACCOUNT, 'theirs', [{ key: 'k', value: 'v' }]),
        () => family.untag(tx, ACCOUNT, 'theirs', ['k']),
        () => family.listTags(tx, ACCOUNT, 'theirs'),
      ]
      for (const call of calls) {
        await rejectsWith(call(), family.notFoundError, { providerName: 'theirs' })
      }
      assert.equal((await family.get(tx, OTHER_ACCOUNT, 'theirs')).name, 'theirs')
    })
  })
}
