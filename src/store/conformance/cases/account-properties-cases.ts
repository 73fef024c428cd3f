/**
 * Account properties: per account, the value of each property it has set, replaced by the next
 * value set, read back ordered by namespace then name; a write sets all its properties or none.
 */
import assert from 'node:assert/strict'
import type { AccountProperty } from '../../account-properties-ops.js'
import { NotFoundError } from '../../errors.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const UNKNOWN = '999999999999'

function property(namespace: string, name: string, value: string): AccountProperty {
  return { namespace, name, value }
}

/** The properties of both accounts. */
async function bothAccounts(tx: StoreTx): Promise<[AccountProperty[], AccountProperty[]]> {
  return [
    [...(await tx.getAccountProperties(ACCOUNT))],
    [...(await tx.getAccountProperties(OTHER_ACCOUNT))],
  ]
}

/** The account properties cases. */
export const accountPropertyCases: CaseGroup = {
  name: 'account properties',
  cases(test) {
    test('reads no property for an account that has set none', async (c) => {
      await c.tx(async (tx) => {
        assert.deepEqual(await bothAccounts(tx), [[], []])
      })
    })

    test('sets properties for the account alone and reads them back', async (c) => {
      await c.tx((tx) =>
        tx.putAccountProperties(ACCOUNT, [property('RoleManager', 'Enabled', 'true')]),
      )
      await c.tx(async (tx) => {
        assert.deepEqual(await bothAccounts(tx), [[property('RoleManager', 'Enabled', 'true')], []])
      })
    })

    test('replaces the value a property had and keeps the others', async (c) => {
      await c.tx((tx) =>
        tx.putAccountProperties(ACCOUNT, [
          property('RoleManager', 'Enabled', 'true'),
          property('RoleManager', 'Other', 'kept'),
        ]),
      )
      await c.tx((tx) =>
        tx.putAccountProperties(ACCOUNT, [property('RoleManager', 'Enabled', 'false')]),
      )
      assert.deepEqual(await c.tx((tx) => tx.getAccountProperties(ACCOUNT)), [
        property('RoleManager', 'Enabled', 'false'),
        property('RoleManager', 'Other', 'kept'),
      ])
    })

    test('keeps names as written: names differing in case are different properties', async (c) => {
      await c.tx((tx) =>
        tx.putAccountProperties(ACCOUNT, [
          property('RoleManager', 'Enabled', 'one'),
          property('RoleManager', 'enabled', 'two'),
          property('rolemanager', 'Enabled', 'three'),
        ]),
      )
      assert.deepEqual(await c.tx((tx) => tx.getAccountProperties(ACCOUNT)), [
        property('RoleManager', 'Enabled', 'one'),
        property('RoleManager', 'enabled', 'two'),
        property('rolemanager', 'Enabled', 'three'),
      ])
    })

    test('reads properties ordered by namespace, then name, byte by byte', async (c) => {
      await c.tx((tx) =>
        tx.putAccountProperties(ACCOUNT, [
          property('b', 'z', '1'),
          property('a', 'y', '2'),
          property('B', 'x', '3'),
          property('a', 'X', '4'),
        ]),
      )
      const read = await c.tx((tx) => tx.getAccountProperties(ACCOUNT))
      assert.deepEqual(
        read.map((p) => `${p.namespace}/${p.name}`),
        ['B/x', 'a/X', 'a/y', 'b/z'],
      )
    })

    test('keeps a value of 1024 characters whole', async (c) => {
      const long = 'v'.repeat(1024)
      await c.tx((tx) => tx.putAccountProperties(OTHER_ACCOUNT, [property('N', 'P', long)]))
      assert.deepEqual(await c.tx(bothAccounts), [[], [property('N', 'P', long)]])
    })

    test('sets nothing of a write one of whose properties the store refuses', async (c) => {
      await c.tx((tx) => tx.putAccountProperties(ACCOUNT, [property('Kept', 'Value', 'before')]))
      for (const refused of [
        property('Bad/Namespace', 'Name', 'x'),
        property('Namespace', 'Bad/Name', 'x'),
        property('', 'Name', 'x'),
        property('Namespace', 'Name', ''),
      ]) {
        await assert.rejects(
          c.tx((tx) =>
            tx.putAccountProperties(ACCOUNT, [property('Kept', 'Value', 'after'), refused]),
          ),
        )
        await c.tx(async (tx) => {
          // The transaction stays usable after a refused write, and the first row is undone.
          await assert.rejects(
            tx.putAccountProperties(ACCOUNT, [property('New', 'Value', 'x'), refused]),
          )
          assert.deepEqual(await tx.getAccountProperties(ACCOUNT), [
            property('Kept', 'Value', 'before'),
          ])
        })
      }
    })

    test('refuses an account that does not exist', async (c) => {
      await c.tx(async (tx) => {
        const expected = { entity: 'account', key: UNKNOWN }
        await rejectsWith(tx.getAccountProperties(UNKNOWN), NotFoundError, expected)
        await rejectsWith(
          tx.putAccountProperties(UNKNOWN, [property('RoleManager', 'Enabled', 'true')]),
          NotFoundError,
          expected,
        )
      })
    })

    test('keeps nothing of properties set in a transaction that fails', async (c) => {
      await c.tx((tx) =>
        tx.putAccountProperties(ACCOUNT, [property('RoleManager', 'Enabled', 'false')]),
      )
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.putAccountProperties(ACCOUNT, [
            property('RoleManager', 'Enabled', 'true'),
            property('RoleManager', 'Added', 'x'),
          ])
          throw new Error('handler failed')
        }),
        /handler failed/,
      )
      assert.deepEqual(await c.tx(bothAccounts), [
        [property('RoleManager', 'Enabled', 'false')],
        [],
      ])
    })

    test('reads properties in a read-only transaction and refuses to set one there', async (c) => {
      await c.tx((tx) =>
        tx.putAccountProperties(ACCOUNT, [property('RoleManager', 'Enabled', 'true')]),
      )
      await c.store.transaction(
        async (tx) => {
          assert.deepEqual(await tx.getAccountProperties(ACCOUNT), [
            property('RoleManager', 'Enabled', 'true'),
          ])
          await assert.rejects(
            tx.putAccountProperties(ACCOUNT, [property('RoleManager', 'Enabled', 'false')]),
          )
        },
        { readOnly: true },
      )
      assert.deepEqual(await c.tx((tx) => tx.getAccountProperties(ACCOUNT)), [
        property('RoleManager', 'Enabled', 'true'),
      ])
    })
  },
}
