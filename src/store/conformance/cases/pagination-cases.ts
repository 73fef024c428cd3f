/** Marker/MaxItems pagination, shown on users (every list shares the mechanism). */
import assert from 'node:assert/strict'
import type { PageRequest, StoreTx } from '../../store.js'
import { ACCOUNT, readAllPages, seededRandom } from '../harness.js'
import type { CaseGroup } from '../harness.js'

async function createUsers(tx: StoreTx, names: readonly string[], path = '/'): Promise<void> {
  for (const name of names) await tx.createUser({ accountId: ACCOUNT, name, path })
}

function userPages(tx: StoreTx, request: Omit<PageRequest, 'marker'> & { pathPrefix?: string }) {
  return readAllPages(async (marker) => {
    const page = await tx.listUsers(ACCOUNT, { ...request, ...(marker ? { marker } : {}) })
    return { items: page.items.map((user) => user.name), marker: page.marker }
  })
}

/** Sorts as the store must: by name without case (names never differ only in case). */
function byNameWithoutCase(names: readonly string[]): string[] {
  return [...names].sort((a, b) => {
    const x = a.toLowerCase()
    const y = b.toLowerCase()
    return x < y ? -1 : x > y ? 1 : 0
  })
}

/** The pagination cases. */
export const paginationCases: CaseGroup = {
  name: 'pagination',
  cases(test) {
    test('pages through a list by name without case, with a marker on all but the last page', async (c) => {
      await c.tx(async (tx) => {
        const names = ['delta', 'Alpha', 'charlie', 'Echo', 'bravo', 'foxtrot', 'Golf']
        await createUsers(tx, names)
        const first = await tx.listUsers(ACCOUNT, { maxItems: 3 })
        assert.deepEqual(
          first.items.map((u) => u.name),
          ['Alpha', 'bravo', 'charlie'],
        )
        assert.equal(typeof first.marker, 'string')
        const paged = await userPages(tx, { maxItems: 3 })
        assert.deepEqual(paged.items, byNameWithoutCase(names))
        assert.deepEqual(paged.pages, [3, 3, 1])
      })
    })

    test('ends without a marker when the last page is exactly full', async (c) => {
      await c.tx(async (tx) => {
        await createUsers(tx, ['a', 'b', 'c', 'd'])
        assert.deepEqual((await userPages(tx, { maxItems: 2 })).pages, [2, 2])
        assert.equal((await tx.listUsers(ACCOUNT, { maxItems: 4 })).marker, null)
        assert.deepEqual((await userPages(tx, { maxItems: 1000 })).pages, [4])
      })
    })

    test('returns an empty page without a marker for an empty list', async (c) => {
      await c.tx(async (tx) => {
        assert.deepEqual(await tx.listUsers(ACCOUNT), { items: [], marker: null })
        assert.deepEqual(await tx.listUsers(ACCOUNT, { pathPrefix: '/none/' }), {
          items: [],
          marker: null,
        })
      })
    })

    test('gives 100 items when no page size is asked for', async (c) => {
      await c.tx(async (tx) => {
        const names = Array.from({ length: 101 }, (_, i) => `user${String(i).padStart(3, '0')}`)
        await createUsers(tx, names)
        const first = await tx.listUsers(ACCOUNT)
        assert.equal(first.items.length, 100)
        assert.ok(first.marker !== null)
        const rest = await tx.listUsers(ACCOUNT, { marker: first.marker })
        assert.deepEqual(
          rest.items.map((u) => u.name),
          ['user100'],
        )
        assert.equal(rest.marker, null)
      })
    })

    test('continues after the marked item even when that item is gone', async (c) => {
      await c.tx(async (tx) => {
        await createUsers(tx, ['a', 'b', 'c', 'd', 'e'])
        const first = await tx.listUsers(ACCOUNT, { maxItems: 2 })
        await tx.deleteUser(ACCOUNT, 'b')
        await tx.createUser({ accountId: ACCOUNT, name: 'bb' })
        const next = await tx.listUsers(ACCOUNT, { maxItems: 2, marker: first.marker ?? '' })
        assert.deepEqual(
          next.items.map((u) => u.name),
          ['bb', 'c'],
        )
      })
    })

    test('filters on a path prefix with case, taking _ and % literally', async (c) => {
      await c.tx(async (tx) => {
        await createUsers(tx, ['a'], '/eng/')
        await createUsers(tx, ['b'], '/eng/web/')
        await createUsers(tx, ['c'], '/Eng/')
        await createUsers(tx, ['d'], '/engineering/')
        await createUsers(tx, ['e'], '/e_g/')
        await createUsers(tx, ['f'], '/e%/')
        const under = async (pathPrefix: string) => (await userPages(tx, { pathPrefix })).items
        assert.deepEqual(await under('/'), ['a', 'b', 'c', 'd', 'e', 'f'])
        assert.deepEqual(await under('/eng/'), ['a', 'b'])
        assert.deepEqual(await under('/eng'), ['a', 'b', 'd'])
        assert.deepEqual(await under('/Eng/'), ['c'])
        assert.deepEqual(await under('/e_'), ['e'])
        assert.deepEqual(await under('/e%'), ['f'])
        assert.deepEqual(
          (await userPages(tx, { pathPrefix: '/eng', maxItems: 1 })).pages,
          [1, 1, 1],
        )
      })
    })

    test('refuses a page size that is not a positive integer', async (c) => {
      await c.tx(async (tx) => {
        for (const maxItems of [0, -1, 1.5, Number.NaN]) {
          await assert.rejects(tx.listUsers(ACCOUNT, { maxItems }), RangeError)
        }
      })
    })

    test('reads every item exactly once at any page size', async (c) => {
      const random = seededRandom(7)
      const names = new Set<string>()
      while (names.size < 60) {
        const bytes = random(6)
        const chars = [...bytes].map((b) => 'aBcDeF0_+=,.@-'.charAt(b % 14))
        names.add(chars.slice(0, 1 + ((bytes[0] ?? 0) % 6)).join(''))
      }
      const unique = [...new Map([...names].map((n) => [n.toLowerCase(), n])).values()]
      await c.tx(async (tx) => {
        await createUsers(tx, unique)
        const expected = byNameWithoutCase(unique)
        for (const maxItems of [1, 2, 7, 13, unique.length - 1, unique.length, 100]) {
          const paged = await userPages(tx, { maxItems })
          assert.deepEqual(paged.items, expected, `maxItems ${maxItems}`)
        }
      })
    })
  },
}
