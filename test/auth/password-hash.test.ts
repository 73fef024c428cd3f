/** Password hashing: scrypt with a random salt, its cost kept with it, verified in constant time. */
import assert from 'node:assert/strict'
import { scryptSync } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  DEFAULT_SCRYPT_COST,
  PasswordHashFormatError,
  hashPassword,
  verifyPassword,
} from '../../src/auth/password-hash.js'

const PASSWORD = 'correct horse Battery staple 1!'

describe('password hashing', () => {
  it('Should store no trace of the password, only scrypt and its cost', async () => {
    const stored = await hashPassword(PASSWORD)
    assert.match(stored, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    assert.equal(stored.includes(PASSWORD), false)
    assert.equal(stored.includes(Buffer.from(PASSWORD).toString('base64').slice(0, 12)), false)
    assert.deepEqual(DEFAULT_SCRYPT_COST, { logN: 15, r: 8, p: 1 })
  })

  it('Should be scrypt (RFC 7914) of the password with the stored salt', async () => {
    const salt = Buffer.alloc(16, 7)
    const stored = await hashPassword(PASSWORD, { logN: 10, r: 8, p: 1 }, salt)
    const [, , params, saltText, keyText] = stored.split('$')
    assert.equal(params, 'ln=10,r=8,p=1')
    assert.deepEqual(Buffer.from(saltText ?? '', 'base64'), salt)
    const expected = scryptSync(PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 })
    assert.deepEqual(Buffer.from(keyText ?? '', 'base64'), expected)
  })

  it('Should salt every hash anew', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)])
    assert.notEqual(a, b)
    assert.equal(await verifyPassword(PASSWORD, a), true)
    assert.equal(await verifyPassword(PASSWORD, b), true)
  })

  it('Should verify the password and nothing else', async () => {
    const stored = await hashPassword(PASSWORD)
    assert.equal(await verifyPassword(PASSWORD, stored), true)
    for (const wrong of [
      '',
      'correct horse battery staple 1!',
      `${PASSWORD} `,
      PASSWORD.slice(1),
    ]) {
      assert.equal(await verifyPassword(wrong, stored), false, JSON.stringify(wrong))
    }
  })

  it('Should hash every character a password may hold, Latin-1 included', async () => {
    const password = 'tab\there\nÿé£ ~'
    const stored = await hashPassword(password, { logN: 10, r: 8, p: 1 })
    assert.equal(await verifyPassword(password, stored), true)
    assert.equal(await verifyPassword('tab\there\nye£ ~', stored), false)
  })

  it('Should verify a hash made with another cost by the cost it carries', async () => {
    const cheap = await hashPassword(PASSWORD, { logN: 11, r: 4, p: 2 })
    assert.match(cheap, /^\$scrypt\$ln=11,r=4,p=2\$/)
    assert.equal(await verifyPassword(PASSWORD, cheap), true)
    assert.equal(await verifyPassword('nope', cheap), false)
  })

  it('Should refuse a stored value that is no hash of this form', async () => {
    const good = await hashPassword(PASSWORD, { logN: 10, r: 8, p: 1 })
    const broken = [
      PASSWORD,
      '',
      good.replace('$scrypt$', '$argon2id$'),
      good.replace('ln=10', 'ln=30'),
      good.replace('ln=10', 'ln=5'),
      good.replace('r=8', 'r=99'),
      good.slice(0, good.lastIndexOf('$') + 5),
    ]
    for (const stored of broken) {
      await assert.rejects(verifyPassword(PASSWORD, stored), PasswordHashFormatError, stored)
    }
    // The error never quotes what was stored: it might be a password stored by mistake.
    await assert.rejects(verifyPassword(PASSWORD, PASSWORD), (err: Error) => {
      assert.equal(err.message.includes(PASSWORD), false)
      return true
    })
  })

  it('Should refuse a cost or salt too weak to hash with', async () => {
    await assert.rejects(hashPassword(PASSWORD, { logN: 4, r: 8, p: 1 }), RangeError)
    await assert.rejects(hashPassword(PASSWORD, DEFAULT_SCRYPT_COST, new Uint8Array(8)), RangeError)
  })

  it('Should take as long for a near miss as for a wild guess (constant-time compare)', async () => {
    // The comparison is timingSafeEqual over the whole derived key, so timing cannot reveal how
    // many leading bytes matched; what dominates is scrypt itself, the same for every guess.
    const stored = await hashPassword(PASSWORD, { logN: 12, r: 8, p: 1 })
    const time = async (guess: string): Promise<number> => {
      const start = process.hrtime.bigint()
      for (let i = 0; i < 8; i++) await verifyPassword(guess, stored)
      return Number(process.hrtime.bigint() - start)
    }
    await time('warm up')
    const near = await time(PASSWORD.slice(0, -1) + '?')
    const far = await time('x')
    const ratio = near / far
    assert.ok(ratio > 0.5 && ratio < 2, `near ${near}ns vs far ${far}ns`)
  })
})
