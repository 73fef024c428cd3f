/**
 * Account aliases: at most one per account, replaced by the next, unique across all accounts
 * without regard to case, and removed only by naming the alias the account has.
 */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import type { Page, StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const UNKNOWN = '999999999999'

/** A last page holding exactly `items`. */
function lastPage(...items: string[]): Page<string> {
  return { items, marker: null }
}

/** The aliases of both accounts, whole pages. */
async function bothAccounts(tx: StoreTx): Promise<[Page<string>, Page<string>]> {
  return [await tx.listAccountAliases(ACCOUNT), await tx.listAccountAliases(OTHER_ACCOUNT)]
}

/** The account aliases cases. */
export const accountAliasCases: CaseGroup = {
  name: 'account aliases',
  cases(test) {
    test('lists no alias for an account that has none', async (c) => {
      await c.tx(async (tx) => {
        assert.deepEqual(await bothAccounts(tx), [lastPage(), lastPage()])
      })
    })

    test('creates an alias for the account alone and lists it', async (c) => {
      assert.equal(await c.tx((tx) => tx.createAccountAlias(ACCOUNT, 'example-corp')), 'created')
      await c.tx(async (tx) => {
        assert.deepEqual(await bothAccounts(tx), [lastPage('example-corp'), lastPage()])
      })
    })

    test('replaces the alias an account had, which is then free for any account', async (c) => {
      await c.tx(async (tx) => {
        assert.equal(await tx.createAccountAlias(ACCOUNT, 'first-name'), 'created')
        assert.equal(await tx.createAccountAlias(ACCOUNT, 'second-name'), 'created')
        assert.deepEqual(await tx.listAccountAliases(ACCOUNT), lastPage('second-name'))
        assert.equal(await tx.createAccountAlias(OTHER_ACCOUNT, 'first-name'), 'created')
        assert.deepEqual(await bothAccounts(tx), [lastPage('second-name'), lastPage('first-name')])
      })
    })

    test('answers unchanged for the alias the account already has, in any case', async (c) => {
      await c.tx(async (tx) => {
        assert.equal(await tx.createAccountAlias(ACCOUNT, 'corp'), 'created')
        assert.equal(await tx.createAccountAlias(ACCOUNT, 'corp'), 'unchanged')
        assert.equal(await tx.createAccountAlias(ACCOUNT, 'CORP'), 'unchanged')
        assert.deepEqual(await tx.listAccountAliases(ACCOUNT), lastPage('corp'))
      })
    })

    test("refuses another account's alias, in any case, and changes nothing", async (c) => {
      await c.tx(async (tx) => {
        await tx.createAccountAlias(ACCOUNT, 'shared')
        await tx.createAccountAlias(OTHER_ACCOUNT, 'theirs')
      })
      await c.tx(async (tx) => {
        assert.equal(await tx.createAccountAlias(OTHER_ACCOUNT, 'shared'), 'taken')
        assert.equal(await tx.createAccountAlias(OTHER_ACCOUNT, 'Shared'), 'taken')
      })
      await c.tx(async (tx) => {
        assert.deepEqual(await bothAccounts(tx), [lastPage('shared'), lastPage('theirs')])
      })
    })

    test('deletes the alias the account has, and no other', async (c) => {
      await c.tx(async (tx) => {
        await tx.createAccountAlias(ACCOUNT, 'mine')
        await tx.createAccountAlias(OTHER_ACCOUNT, 'theirs')
      })
      await c.tx(async (tx) => {
        assert.equal(await tx.deleteAccountAlias(ACCOUNT, 'other-name'), false)
        // Another account's alias is not the account's to delete.
        assert.equal(await tx.deleteAccountAlias(ACCOUNT, 'theirs'), false)
        assert.deepEqual(await bothAccounts(tx), [lastPage('mine'), lastPage('theirs')])
        assert.equal(await tx.deleteAccountAlias(ACCOUNT, 'MINE'), true)
        assert.deepEqual(await bothAccounts(tx), [lastPage(), lastPage('theirs')])
        assert.equal(await tx.deleteAccountAlias(ACCOUNT, 'mine'), false)
      })
    })

    test('frees a deleted alias for any account', async (c) => {
      await c.tx((tx) => tx.createAccountAlias(ACCOUNT, 'passed-on'))
      await c.tx((tx) => tx.deleteAccountAlias(ACCOUNT, 'passed-on'))
      assert.equal(await c.tx((tx) => tx.createAccountAlias(OTHER_ACCOUNT, 'passed-on')), 'created')
      assert.deepEqual(
        await c.tx((tx) => tx.listAccountAliases(OTHER_ACCOUNT)),
        lastPage('passed-on'),
      )
    })

    test('lists the one alias on a page of one item, with no marker', async (c) => {
      await c.tx((tx) => tx.createAccountAlias(ACCOUNT, 'solo'))
      assert.deepEqual(
        await c.tx((tx) => tx.listAccountAliases(ACCOUNT, { maxItems: 1 })),
        lastPage('solo'),
      )
    })

    test('refuses an account that does not exist', async (c) => {
      await c.tx(async (tx) => {
        const expected = { entity: 'account', key: UNKNOWN }
        await rejectsWith(tx.createAccountAlias(UNKNOWN, 'nowhere'), NotFoundError, expected)
        await rejectsWith(tx.deleteAccountAlias(UNKNOWN, 'nowhere'), NotFoundError, expected)
        await rejectsWith(tx.listAccountAliases(UNKNOWN), NotFoundError, expected)
      })
    })

    test('keeps nothing of an alias set or deleted in a transaction that fails', async (c) => {
      await c.tx((tx) => tx.createAccountAlias(ACCOUNT, 'kept'))
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.createAccountAlias(ACCOUNT, 'undone')
          throw new Error('handler failed')
        }),
        /handler failed/,
      )
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.deleteAccountAlias(ACCOUNT, 'kept')
          throw new Error('handler failed')
        }),
        /handler failed/,
      )
      await c.tx(async (tx) => {
        assert.deepEqual(await tx.listAccountAliases(ACCOUNT), lastPage('kept'))
        // 'undone' was never anyone's.
        assert.equal(await tx.createAccountAlias(OTHER_ACCOUNT, 'undone'), 'created')
      })
    })

    test('lists aliases in a read-only transaction and refuses to change one there', async (c) => {
      await c.tx((tx) => tx.createAccountAlias(ACCOUNT, 'kept'))
      await c.store.transaction(
        async (tx) => {
          assert.deepEqual(await tx.listAccountAliases(ACCOUNT), lastPage('kept'))
          await assert.rejects(tx.createAccountAlias(ACCOUNT, 'refused'))
          await assert.rejects(tx.deleteAccountAlias(ACCOUNT, 'kept'))
        },
        { readOnly: true },
      )
      assert.deepEqual(await c.tx((tx) => tx.listAccountAliases(ACCOUNT)), lastPage('kept'))
    })
  },
}
