/** Credential reports: one per account, replaced by the next, and invisible to the change feed. */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import type { CredentialReport, StoreChange } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const UNKNOWN = '999999999999'
const HEADER = 'user,arn,user_creation_time'

/** A report of ACCOUNT made `minutes` after START. */
function report(minutes: number, content: string): CredentialReport {
  return {
    accountId: ACCOUNT,
    generatedAt: new Date(START.getTime() + minutes * 60_000),
    content,
  }
}

/** The credential report cases. */
export const credentialReportCases: CaseGroup = {
  name: 'credential reports',
  cases(test) {
    test('has no report for an account until one is kept', async (c) => {
      await c.tx(async (tx) => {
        assert.equal(await tx.getCredentialReport(ACCOUNT), null)
        assert.equal(await tx.getCredentialReport(OTHER_ACCOUNT), null)
      })
    })

    test('keeps a report and reads it back to the millisecond', async (c) => {
      const kept: CredentialReport = {
        accountId: ACCOUNT,
        generatedAt: new Date('2026-01-01T03:04:05.678Z'),
        content: `${HEADER}\n<root_account>,arn:aws:iam::${ACCOUNT}:root,2026-01-01T00:00:00+00:00`,
      }
      await c.tx((tx) => tx.putCredentialReport(kept))
      assert.deepEqual(await c.tx((tx) => tx.getCredentialReport(ACCOUNT)), kept)
    })

    test('keeps text beyond ASCII and lines of any length unchanged', async (c) => {
      const content = `${HEADER}\n"a,b",é😀\r\n${'x'.repeat(100_000)}`
      await c.tx((tx) => tx.putCredentialReport(report(0, content)))
      const read = await c.tx((tx) => tx.getCredentialReport(ACCOUNT))
      assert.equal(read?.content, content)
    })

    test("replaces an account's report with the next one", async (c) => {
      await c.tx((tx) => tx.putCredentialReport(report(0, 'first')))
      await c.tx((tx) => tx.putCredentialReport(report(300, 'second')))
      assert.deepEqual(await c.tx((tx) => tx.getCredentialReport(ACCOUNT)), report(300, 'second'))
    })

    test('keeps each account its own report', async (c) => {
      await c.tx(async (tx) => {
        await tx.putCredentialReport(report(0, 'mine'))
        assert.equal(await tx.getCredentialReport(OTHER_ACCOUNT), null)
        await tx.putCredentialReport({ ...report(5, 'theirs'), accountId: OTHER_ACCOUNT })
      })
      await c.tx(async (tx) => {
        assert.equal((await tx.getCredentialReport(ACCOUNT))?.content, 'mine')
        assert.equal((await tx.getCredentialReport(OTHER_ACCOUNT))?.content, 'theirs')
      })
    })

    test('refuses an account that does not exist', async (c) => {
      await c.tx(async (tx) => {
        const expected = { entity: 'account', key: UNKNOWN }
        await rejectsWith(
          tx.putCredentialReport({ ...report(0, 'x'), accountId: UNKNOWN }),
          NotFoundError,
          expected,
        )
        await rejectsWith(tx.getCredentialReport(UNKNOWN), NotFoundError, expected)
      })
    })

    test('keeps nothing of a report put in a transaction that fails', async (c) => {
      await c.tx((tx) => tx.putCredentialReport(report(0, 'kept')))
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.putCredentialReport(report(60, 'undone'))
          throw new Error('handler failed')
        }),
        /handler failed/,
      )
      assert.deepEqual(await c.tx((tx) => tx.getCredentialReport(ACCOUNT)), report(0, 'kept'))
    })

    test('reads a report in a read-only transaction and refuses to write one there', async (c) => {
      await c.tx((tx) => tx.putCredentialReport(report(0, 'kept')))
      await c.store.transaction(
        async (tx) => {
          assert.equal((await tx.getCredentialReport(ACCOUNT))?.content, 'kept')
          await assert.rejects(tx.putCredentialReport(report(1, 'refused')))
        },
        { readOnly: true },
      )
    })

    test('does not count a report as a change: it is nothing a cache holds', async (c) => {
      const seen: StoreChange[] = []
      c.store.onChange((change) => seen.push(change))
      const before = c.store.generation
      await c.tx((tx) => tx.putCredentialReport(report(0, 'kept')))
      assert.deepEqual(seen, [])
      assert.equal(c.store.generation, before)
      // A real change in the same transaction is still reported.
      await c.tx(async (tx) => {
        await tx.putCredentialReport(report(1, 'again'))
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
      })
      assert.equal(seen.length, 1)
    })
  },
}
