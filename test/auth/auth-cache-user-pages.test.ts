/**
 * ListUsers' pages kept in the auth cache (AuthCache.userPage): a page is read once and handed
 * out until the store changes, users created, deleted, renamed or moved included; each request
 * (path prefix, marker, page size) is a page of its own; the kept pages are bounded. On the
 * cache over a real store, and through the API, where a paginator's pages stay whole.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AuthCache, MAX_KEPT_USER_PAGES } from '../../src/auth/auth-cache.js'
import type { Page, PathPageRequest, Store, User } from '../../src/store/store.js'
import {
  ACCOUNT_ID,
  openAccountStore,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { InProcess } from '../support/in-process.js'

describe("ListUsers' pages in the auth cache", () => {
  describe('on the cache', () => {
    let store: Store
    let cache: AuthCache
    before(async () => {
      store = await openAccountStore()
      cache = new AuthCache(store)
      await store.transaction(async (tx) => {
        for (const name of ['ann', 'ben', 'cat'])
          await tx.createUser({ accountId: ACCOUNT_ID, name })
      })
    })
    after(async () => {
      cache.dispose()
      await store.close()
    })

    const page = (request: PathPageRequest = {}): Promise<Page<User>> =>
      store.transaction((tx) => cache.userPage(ACCOUNT_ID, request, tx), { readOnly: true })
    const names = (p: Page<User>): string[] => p.items.map((user) => user.name)

    it('hands out the page it read until the store changes', async () => {
      const first = await page()
      assert.deepEqual(names(first), ['ann', 'ben', 'cat'])
      // The very object: nothing was read again.
      assert.equal(await page(), first)
    })

    it('reads again after a user is created, deleted, renamed or moved', async () => {
      const changes: [string, (p: Page<User>) => void, () => Promise<unknown>][] = [
        [
          'CreateUser',
          (p) => assert.deepEqual(names(p), ['ann', 'ben', 'cat', 'dan']),
          () => store.transaction((tx) => tx.createUser({ accountId: ACCOUNT_ID, name: 'dan' })),
        ],
        [
          'DeleteUser',
          (p) => assert.deepEqual(names(p), ['ann', 'ben', 'cat']),
          () => store.transaction((tx) => tx.deleteUser(ACCOUNT_ID, 'dan')),
        ],
        [
          'UpdateUser NewUserName',
          (p) => assert.deepEqual(names(p), ['ann', 'ben', 'cow']),
          () => store.transaction((tx) => tx.updateUser(ACCOUNT_ID, 'cat', { newName: 'cow' })),
        ],
        [
          'UpdateUser NewPath',
          (p) => assert.equal(p.items.find((user) => user.name === 'ben')?.path, '/ops/'),
          () => store.transaction((tx) => tx.updateUser(ACCOUNT_ID, 'ben', { newPath: '/ops/' })),
        ],
      ]
      for (const [label, check, change] of changes) {
        const kept = await page()
        await change()
        const read = await page()
        assert.notEqual(read, kept, label)
        check(read)
      }
    })

    it('keeps each path prefix, marker and page size apart', async () => {
      const all = await page()
      const first = await page({ maxItems: 1 })
      assert.deepEqual(names(first), ['ann'])
      assert.ok(first.marker !== null)
      const second = await page({ maxItems: 1, marker: first.marker })
      assert.deepEqual(names(second), ['ben'])
      const ops = await page({ pathPrefix: '/ops/' })
      assert.deepEqual(names(ops), ['ben'])
      // Each still kept as it was, none answered for another.
      assert.equal(await page(), all)
      assert.equal(await page({ maxItems: 1 }), first)
      assert.equal(await page({ maxItems: 1, marker: first.marker }), second)
      assert.equal(await page({ pathPrefix: '/ops/' }), ops)
      assert.deepEqual(names(await page({ pathPrefix: '/nowhere/' })), [])
    })

    it(`keeps at most ${MAX_KEPT_USER_PAGES} pages, the oldest out first`, async () => {
      await store.transaction((tx) => tx.createUser({ accountId: ACCOUNT_ID, name: 'eve' }))
      const oldest = await page({ maxItems: 1 })
      for (let n = 2; n <= MAX_KEPT_USER_PAGES; n++) await page({ maxItems: n })
      // Exactly full: the oldest is still there.
      assert.equal(await page({ maxItems: 1 }), oldest)
      await page({ maxItems: MAX_KEPT_USER_PAGES + 1 })
      const again = await page({ maxItems: 1 })
      assert.notEqual(again, oldest)
      assert.deepEqual(names(again), names(oldest))
    })
  })

  describe('through the API', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
      for (let n = 0; n < 7; n++) {
        const created = await g.call('CreateUser', { UserName: `user-${n}` })
        assert.equal(created.status, 200, created.body)
      }
    })
    after(() => g.close())

    async function listed(params: Record<string, string> = {}): Promise<{
      names: string[]
      marker: string | undefined
      body: string
    }> {
      const reply = await g.call('ListUsers', params)
      assert.equal(reply.status, 200, reply.body)
      const users = xmlAll(reply.xml, 'ListUsersResult/Users/member')
      return {
        names: users.map((user) => xmlText(user, 'UserName') ?? ''),
        marker: xmlText(reply.xml, 'ListUsersResult/Marker'),
        body: reply.body,
      }
    }

    /** Every user, a page of `size` at a time, following the markers. */
    async function paged(size: number): Promise<string[]> {
      const out: string[] = []
      let marker: string | undefined
      do {
        const page = await listed({
          MaxItems: String(size),
          ...(marker === undefined ? {} : { Marker: marker }),
        })
        out.push(...page.names)
        marker = page.marker
        // A marker answered with the same page again would never end.
        assert.ok(out.length <= 100, `${out.length} users listed: the pages do not move on`)
      } while (marker !== undefined)
      return out
    }

    it('answers a repeated ListUsers with the same users, byte for byte but the request id', async () => {
      const first = await listed()
      assert.equal(first.names.length, 7)
      const again = await listed()
      const strip = (body: string): string => body.replace(/<RequestId>[^<]*<\/RequestId>/, '')
      assert.equal(strip(again.body), strip(first.body))
    })

    it('lists a user created, and no longer one deleted, at the very next call', async () => {
      await listed()
      assert.equal((await g.call('CreateUser', { UserName: 'late' })).status, 200)
      assert.ok((await listed()).names.includes('late'))
      assert.ok((await paged(2)).includes('late'))
      assert.equal((await g.call('DeleteUser', { UserName: 'late' })).status, 200)
      assert.ok(!(await listed()).names.includes('late'))
      assert.ok(!(await paged(2)).includes('late'))
    })

    it('lists a user renamed and moved under its new name and path', async () => {
      await listed({ PathPrefix: '/team/' })
      const moved = await g.call('UpdateUser', {
        UserName: 'user-3',
        NewUserName: 'user-3b',
        NewPath: '/team/',
      })
      assert.equal(moved.status, 200, moved.body)
      assert.deepEqual((await listed({ PathPrefix: '/team/' })).names, ['user-3b'])
      const all = await listed()
      assert.ok(all.names.includes('user-3b') && !all.names.includes('user-3'))
    })

    it("keeps a paginator's pages whole, page after page, kept or not", async () => {
      const whole = (await listed()).names
      assert.deepEqual(await paged(3), whole)
      assert.deepEqual(await paged(3), whole)
      assert.deepEqual(await paged(1), whole)
    })
  })
})
