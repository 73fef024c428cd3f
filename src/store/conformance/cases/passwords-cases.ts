/** The account password policy, login profiles and the password history. */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import type { PasswordPolicy, SignInThrottle } from '../../passwords-ops.js'
import {
  PASSWORD_HISTORY_SIZE,
  PASSWORD_USE_SPAN_MS,
  SIGN_IN_QUIET_RESET_MS,
} from '../../passwords-ops.js'
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

const MINUTE = 60_000

/** Three failures within ten minutes lock for a minute, then two, four... up to five. */
function throttle(subject: string): SignInThrottle {
  return {
    subject,
    maxFailures: 3,
    windowMs: 10 * MINUTE,
    baseLockMs: MINUTE,
    maxLockMs: 5 * MINUTE,
  }
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

    test('finds the account a sign-in names by id or by alias in any case', async (c) => {
      await c.tx(async (tx) => {
        assert.equal(await tx.createAccountAlias(ACCOUNT, 'example-corp'), 'created')
        assert.equal(await tx.getSignInAccountId(ACCOUNT), ACCOUNT)
        assert.equal(await tx.getSignInAccountId(OTHER_ACCOUNT), OTHER_ACCOUNT)
        assert.equal(await tx.getSignInAccountId('example-corp'), ACCOUNT)
        assert.equal(await tx.getSignInAccountId('Example-Corp'), ACCOUNT)
        for (const unknown of [UNKNOWN_ACCOUNT, 'other-corp', '', `${ACCOUNT}0`]) {
          assert.equal(await tx.getSignInAccountId(unknown), null, unknown)
        }
      })
    })

    test('locks a subject at its failures within the window, and not the others', async (c) => {
      const alice = throttle('user:alice')
      const address = { ...throttle('address:192.0.2.1'), maxFailures: 5 }
      for (let i = 0; i < 2; i++) {
        assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([alice, address])), {
          allowed: true,
        })
        c.clock.advance(MINUTE)
      }
      // The third failure locks alice from now for a minute; the address has five.
      const lockedAt = c.clock.now().getTime()
      assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([alice, address])), {
        allowed: true,
      })
      assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([address, alice])), {
        allowed: false,
        lockedUntil: new Date(lockedAt + MINUTE),
      })
      const bob = throttle('user:bob')
      assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([bob, address])), {
        allowed: true,
      })
      // A refused attempt counted nothing: the address has four failures, not five.
      c.clock.advance(MINUTE)
      assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([alice])), { allowed: true })
      assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([address])), { allowed: true })
      assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([bob, address])), {
        allowed: false,
        lockedUntil: new Date(c.clock.now().getTime() + MINUTE),
      })
    })

    test('forgets failures older than the window', async (c) => {
      const carol = throttle('user:carol')
      for (const wait of [0, 4 * MINUTE, 6 * MINUTE, 4 * MINUTE]) {
        c.clock.advance(wait)
        assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([carol])), {
          allowed: true,
        })
      }
      // Failures at 0, 4, 10 and 14 minutes: the window that began at 0 ended at 10.
      const third = await c.tx((tx) => tx.reserveSignInAttempt([carol]))
      assert.deepEqual(third, { allowed: true })
      assert.equal(
        (await c.tx((tx) => tx.reserveSignInAttempt([carol]))).allowed,
        false,
        'three failures in the window that began at 10 minutes',
      )
    })

    test('doubles each lock up to the longest, and starts afresh after a quiet day', async (c) => {
      const dave = throttle('user:dave')
      const lengths: number[] = []
      for (let lock = 0; lock < 5; lock++) {
        for (let i = 0; i < 3; i++) await c.tx((tx) => tx.reserveSignInAttempt([dave]))
        const refused = await c.tx((tx) => tx.reserveSignInAttempt([dave]))
        assert.equal(refused.allowed, false)
        const until = refused.allowed ? 0 : refused.lockedUntil.getTime()
        lengths.push((until - c.clock.now().getTime()) / MINUTE)
        c.clock.advance(until - c.clock.now().getTime())
      }
      assert.deepEqual(lengths, [1, 2, 4, 5, 5])
      c.clock.advance(SIGN_IN_QUIET_RESET_MS)
      for (let i = 0; i < 3; i++) await c.tx((tx) => tx.reserveSignInAttempt([dave]))
      const refused = await c.tx((tx) => tx.reserveSignInAttempt([dave]))
      assert.deepEqual(refused, {
        allowed: false,
        lockedUntil: new Date(c.clock.now().getTime() + MINUTE),
      })
    })

    test('takes back an attempt that did not fail, the lock it started included', async (c) => {
      const erin = throttle('user:erin')
      await c.tx((tx) => tx.reserveSignInAttempt([erin]))
      await c.tx((tx) => tx.reserveSignInAttempt([erin]))
      // The third attempt locks erin while it is checked, then turns out right.
      await c.tx((tx) => tx.reserveSignInAttempt([erin]))
      assert.equal((await c.tx((tx) => tx.reserveSignInAttempt([erin]))).allowed, false)
      await c.tx((tx) => tx.releaseSignInAttempt([erin]))
      assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([erin])), { allowed: true })
      assert.equal((await c.tx((tx) => tx.reserveSignInAttempt([erin]))).allowed, false)
      // The lock that stands is the first again: a minute.
      await c.tx((tx) => tx.releaseSignInAttempt([throttle('user:nobody')]))
      const refused = await c.tx((tx) => tx.reserveSignInAttempt([erin]))
      assert.deepEqual(refused, {
        allowed: false,
        lockedUntil: new Date(c.clock.now().getTime() + MINUTE),
      })
    })

    test('clears a subject that signed in, lockouts and all', async (c) => {
      const frank = throttle('user:frank')
      const other = throttle('user:grace')
      for (let i = 0; i < 3; i++) await c.tx((tx) => tx.reserveSignInAttempt([frank, other]))
      assert.equal((await c.tx((tx) => tx.reserveSignInAttempt([frank]))).allowed, false)
      await c.tx((tx) => tx.clearSignInFailures('user:frank'))
      assert.deepEqual(await c.tx((tx) => tx.reserveSignInAttempt([frank])), { allowed: true })
      assert.equal((await c.tx((tx) => tx.reserveSignInAttempt([other]))).allowed, false)
    })

    test('refuses a throttle that could never let anyone in or out', async (c) => {
      for (const bad of [
        { ...throttle('x'), maxFailures: 0 },
        { ...throttle('x'), windowMs: 0 },
        { ...throttle('x'), maxLockMs: 1 },
      ]) {
        await assert.rejects(
          c.tx((tx) => tx.reserveSignInAttempt([bad])),
          RangeError,
        )
      }
    })

    test('keeps sign-in subjects only as hashes', async (c) => {
      const typed = 'CorrectHorseBatteryStaple-typed-as-a-name'
      await c.tx((tx) => tx.reserveSignInAttempt([throttle(`user:${ACCOUNT}:${typed}`)]))
      const raw = Buffer.from(await c.rawContent())
      assert.equal(raw.includes(Buffer.from(typed)), false)
    })

    test('stamps the first use of a password in each five minutes, and keeps it', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'Heidi' })
        await tx.createUser({ accountId: OTHER_ACCOUNT, name: 'heidi' })
        assert.equal(await tx.getPasswordLastUsed(ACCOUNT, 'heidi'), null)
        await tx.recordPasswordUse(ACCOUNT, 'HEIDI')
        c.clock.advance(PASSWORD_USE_SPAN_MS - 1)
        await tx.recordPasswordUse(ACCOUNT, 'heidi')
        assert.deepEqual(await tx.getPasswordLastUsed(ACCOUNT, 'heidi'), START)
        assert.equal(await tx.getPasswordLastUsed(OTHER_ACCOUNT, 'heidi'), null)
        c.clock.advance(1)
        await tx.recordPasswordUse(ACCOUNT, 'heidi')
        const later = new Date(START.getTime() + PASSWORD_USE_SPAN_MS)
        assert.deepEqual(await tx.getPasswordLastUsed(ACCOUNT, 'heidi'), later)
        // It follows a rename, and goes with the user.
        await tx.updateUser(ACCOUNT, 'heidi', { newName: 'heide' })
        assert.deepEqual(await tx.getPasswordLastUsed(ACCOUNT, 'heide'), later)
        await tx.deleteUser(ACCOUNT, 'heide')
        await tx.createUser({ accountId: ACCOUNT, name: 'heide' })
        assert.equal(await tx.getPasswordLastUsed(ACCOUNT, 'heide'), null)
        const expected = { entity: 'user', key: 'ghost' }
        await rejectsWith(tx.recordPasswordUse(ACCOUNT, 'ghost'), NotFoundError, expected)
        await rejectsWith(tx.getPasswordLastUsed(ACCOUNT, 'ghost'), NotFoundError, expected)
      })
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
