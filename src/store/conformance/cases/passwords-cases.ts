/** The account password policy, login profiles and the password history. */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import type { PasswordPolicy } from '../../passwords-ops.js'
import { PASSWORD_HISTORY_SIZE } from '../../passwords-ops.js'
import { ACCOUNT, OTHER_ACCOUNT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const UNKNOWN_ACCOUNT = '999999999999'

/** A stand-in for a password hash, of the form src/auth/password-hash.ts writes; `n` tells it apart. */
function hash(n: number): string {
  return `$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$${String(n).padStart(43, 'k')}`
}

const STRICT: PasswordPolicy = {
  minimumPasswordLength: 14,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
  allowUsersToChangePassword: true,
  maxPasswordAge: 90,
  passwordReusePrevention: 24,
  hardExpiry: true,
}

const LAX: PasswordPolicy = {
  minimumPasswordLength: 6,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercaseCharacters: false,
  requireLowercaseCharacters: false,
  allowUsersToChangePassword: false,
  maxPasswordAge: null,
  passwordReusePrevention: null,
  hardExpiry: false,
}

/** The password cases. */
export const passwordCases: CaseGroup = {
  name: 'passwords',
  cases(test) {
    test('has no password policy until one is set, then reads it back', async (c) => {
      await c.tx(async (tx) => {
        assert.equal(await tx.getAccountPasswordPolicy(ACCOUNT), null)
        await tx.putAccountPasswordPolicy(ACCOUNT, STRICT)
        assert.deepEqual(await tx.getAccountPasswordPolicy(ACCOUNT), STRICT)
        assert.equal(await tx.getAccountPasswordPolicy(OTHER_ACCOUNT), null)
      })
    })

    test('replaces the whole password policy, unset members included', async (c) => {
      await c.tx((tx) => tx.putAccountPasswordPolicy(ACCOUNT, STRICT))
      await c.tx((tx) => tx.putAccountPasswordPolicy(ACCOUNT, LAX))
      assert.deepEqual(await c.tx((tx) => tx.getAccountPasswordPolicy(ACCOUNT)), LAX)
    })

    test('deletes the password policy once', async (c) => {
      await c.tx(async (tx) => {
        assert.equal(await tx.deleteAccountPasswordPolicy(ACCOUNT), false)
        await tx.putAccountPasswordPolicy(ACCOUNT, STRICT)
        await tx.putAccountPasswordPolicy(OTHER_ACCOUNT, LAX)
        assert.equal(await tx.deleteAccountPasswordPolicy(ACCOUNT), true)
        assert.equal(await tx.deleteAccountPasswordPolicy(ACCOUNT), false)
        assert.equal(await tx.getAccountPasswordPolicy(ACCOUNT), null)
        assert.deepEqual(await tx.getAccountPasswordPolicy(OTHER_ACCOUNT), LAX)
      })
    })

    test('refuses a password policy of an account that does not exist', async (c) => {
      await c.tx(async (tx) => {
        const expected = { entity: 'account', key: UNKNOWN_ACCOUNT }
        await rejectsWith(
          tx.putAccountPasswordPolicy(UNKNOWN_ACCOUNT, LAX),
          NotFoundError,
          expected,
        )
        await rejectsWith(tx.getAccountPasswordPolicy(UNKNOWN_ACCOUNT), NotFoundError, expected)
        await rejectsWith(tx.deleteAccountPasswordPolicy(UNKNOWN_ACCOUNT), NotFoundError, expected)
      })
    })

    test('creates a login profile and finds it by the user name in any case', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'Alice' })
        assert.equal(await tx.getLoginProfile(ACCOUNT, 'alice'), null)
        assert.equal(await tx.getPasswordHash(ACCOUNT, 'alice'), null)
        const created = await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'ALICE',
          passwordHash: hash(1),
          passwordResetRequired: true,
        })
        const expected = {
          accountId: ACCOUNT,
          userName: 'Alice',
          createdAt: START,
          passwordResetRequired: true,
          passwordSetAt: START,
        }
        assert.deepEqual(created, expected)
        assert.deepEqual(await tx.getLoginProfile(ACCOUNT, 'alice'), expected)
        assert.equal(await tx.getPasswordHash(ACCOUNT, 'Alice'), hash(1))
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'Alice', 5), [hash(1)])
      })
    })

    test('refuses a second login profile without changing the first', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        const first = { accountId: ACCOUNT, userName: 'bob', passwordResetRequired: false }
        await tx.createLoginProfile({ ...first, passwordHash: hash(1) })
        c.clock.advance(1000)
        const again = await tx.createLoginProfile({
          ...first,
          passwordHash: hash(2),
          passwordResetRequired: true,
        })
        assert.equal(again, null)
        assert.equal(await tx.getPasswordHash(ACCOUNT, 'bob'), hash(1))
        assert.equal((await tx.getLoginProfile(ACCOUNT, 'bob'))?.passwordResetRequired, false)
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'bob', 24), [hash(1)])
      })
    })

    test('answers NotFoundError for a user that does not exist', async (c) => {
      await c.tx(async (tx) => {
        const expected = { entity: 'user', key: 'ghost' }
        await rejectsWith(
          tx.createLoginProfile({
            accountId: ACCOUNT,
            userName: 'ghost',
            passwordHash: hash(1),
            passwordResetRequired: false,
          }),
          NotFoundError,
          expected,
        )
        await rejectsWith(tx.getLoginProfile(ACCOUNT, 'ghost'), NotFoundError, expected)
        await rejectsWith(
          tx.updateLoginProfile(ACCOUNT, 'ghost', { passwordResetRequired: true }),
          NotFoundError,
          expected,
        )
        await rejectsWith(tx.deleteLoginProfile(ACCOUNT, 'ghost'), NotFoundError, expected)
        await rejectsWith(tx.getPasswordHash(ACCOUNT, 'ghost'), NotFoundError, expected)
        await rejectsWith(tx.getPasswordHistory(ACCOUNT, 'ghost', 3), NotFoundError, expected)
      })
    })

    test('keeps login profiles per account', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'carol' })
        await tx.createUser({ accountId: OTHER_ACCOUNT, name: 'carol' })
        await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'carol',
          passwordHash: hash(1),
          passwordResetRequired: false,
        })
        assert.equal(await tx.getLoginProfile(OTHER_ACCOUNT, 'carol'), null)
        assert.deepEqual(await tx.getPasswordHistory(OTHER_ACCOUNT, 'carol', 24), [])
      })
    })

    test('sets a new password now, and keeps the profile’s creation date', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'dave' })
        assert.equal(
          await tx.updateLoginProfile(ACCOUNT, 'dave', { passwordResetRequired: true }),
          null,
        )
        await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'dave',
          passwordHash: hash(1),
          passwordResetRequired: true,
        })
      })
      c.clock.advance(60_000)
      const updated = await c.tx((tx) =>
        tx.updateLoginProfile(ACCOUNT, 'DAVE', { passwordHash: hash(2) }),
      )
      assert.deepEqual(updated, {
        accountId: ACCOUNT,
        userName: 'dave',
        createdAt: START,
        // What the call left out stays.
        passwordResetRequired: true,
        passwordSetAt: new Date(START.getTime() + 60_000),
      })
      await c.tx(async (tx) => {
        assert.equal(await tx.getPasswordHash(ACCOUNT, 'dave'), hash(2))
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'dave', 24), [hash(2), hash(1)])
      })
    })

    test('changes PasswordResetRequired alone without touching the password', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'erin' })
        await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'erin',
          passwordHash: hash(1),
          passwordResetRequired: true,
        })
        c.clock.advance(5000)
        const updated = await tx.updateLoginProfile(ACCOUNT, 'erin', {
          passwordResetRequired: false,
        })
        assert.equal(updated?.passwordResetRequired, false)
        assert.deepEqual(updated?.passwordSetAt, START)
        assert.equal(await tx.getPasswordHash(ACCOUNT, 'erin'), hash(1))
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'erin', 24), [hash(1)])
      })
    })

    test('deletes a login profile once, and keeps its password in the history', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'frank' })
        assert.equal(await tx.deleteLoginProfile(ACCOUNT, 'frank'), false)
        await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'frank',
          passwordHash: hash(1),
          passwordResetRequired: false,
        })
        assert.equal(await tx.deleteLoginProfile(ACCOUNT, 'FRANK'), true)
        assert.equal(await tx.deleteLoginProfile(ACCOUNT, 'frank'), false)
        assert.equal(await tx.getLoginProfile(ACCOUNT, 'frank'), null)
        assert.equal(await tx.getPasswordHash(ACCOUNT, 'frank'), null)
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'frank', 24), [hash(1)])
        c.clock.advance(1000)
        const again = await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'frank',
          passwordHash: hash(2),
          passwordResetRequired: false,
        })
        assert.deepEqual(again?.createdAt, new Date(START.getTime() + 1000))
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'frank', 24), [hash(2), hash(1)])
      })
    })

    test(`keeps the latest ${PASSWORD_HISTORY_SIZE} passwords, newest first`, async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'gina' })
        await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'gina',
          passwordHash: hash(1),
          passwordResetRequired: false,
        })
        for (let n = 2; n <= 30; n++) {
          await tx.updateLoginProfile(ACCOUNT, 'gina', { passwordHash: hash(n) })
        }
        const newest = Array.from({ length: PASSWORD_HISTORY_SIZE }, (_, i) => hash(30 - i))
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'gina', 100), newest)
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'gina', 3), newest.slice(0, 3))
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'gina', 0), [])
      })
    })

    test('carries the login profile along when the user is renamed', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'henry' })
        await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'henry',
          passwordHash: hash(1),
          passwordResetRequired: false,
        })
        await tx.updateUser(ACCOUNT, 'henry', { newName: 'Henrietta' })
        assert.equal((await tx.getLoginProfile(ACCOUNT, 'henrietta'))?.userName, 'Henrietta')
        assert.equal(await tx.getPasswordHash(ACCOUNT, 'Henrietta'), hash(1))
      })
    })

    test('refuses to delete a user with a login profile; its history goes with it', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'ivan' })
        await tx.createLoginProfile({
          accountId: ACCOUNT,
          userName: 'ivan',
          passwordHash: hash(1),
          passwordResetRequired: false,
        })
      })
      await c.tx(async (tx) => {
        await assert.rejects(tx.deleteUser(ACCOUNT, 'ivan'))
        assert.notEqual(await tx.getLoginProfile(ACCOUNT, 'ivan'), null)
        assert.equal(await tx.deleteLoginProfile(ACCOUNT, 'ivan'), true)
        await tx.deleteUser(ACCOUNT, 'ivan')
        await tx.createUser({ accountId: ACCOUNT, name: 'ivan' })
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'ivan', 24), [])
      })
    })

    test('keeps only hashes: a value of another form is refused', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'judy' })
        await assert.rejects(
          tx.createLoginProfile({
            accountId: ACCOUNT,
            userName: 'judy',
            passwordHash: 'hunter2-in-the-clear',
            passwordResetRequired: false,
          }),
        )
        assert.equal(await tx.getLoginProfile(ACCOUNT, 'judy'), null)
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'judy', 24), [])
      })
      const raw = Buffer.from(await c.rawContent())
      assert.equal(raw.includes(Buffer.from('hunter2-in-the-clear')), false)
    })

    test('keeps nothing of a transaction that fails', async (c) => {
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'kim' }))
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.putAccountPasswordPolicy(ACCOUNT, STRICT)
          await tx.createLoginProfile({
            accountId: ACCOUNT,
            userName: 'kim',
            passwordHash: hash(1),
            passwordResetRequired: false,
          })
          throw new Error('abandoned')
        }),
        /abandoned/,
      )
      await c.tx(async (tx) => {
        assert.equal(await tx.getAccountPasswordPolicy(ACCOUNT), null)
        assert.equal(await tx.getLoginProfile(ACCOUNT, 'kim'), null)
        assert.deepEqual(await tx.getPasswordHistory(ACCOUNT, 'kim', 24), [])
      })
    })
  },
}
