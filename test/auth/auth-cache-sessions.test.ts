/**
 * AuthCache.openedSession: a session token opened once is kept with its claims and its signing
 * keys, within bounds of count and characters; a token the key does not open is never kept;
 * a token is opened again under another key; the store's writes leave opened tokens alone.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  AuthCache,
  MAX_OPENED_SESSION_CHARS,
  MAX_OPENED_SESSIONS,
} from '../../src/auth/auth-cache.js'
import { deriveSigningKey } from '../../src/auth/sigv4/index.js'
import { SessionTokenKey } from '../../src/auth/session-token.js'
import type { SessionClaims } from '../../src/auth/session-token.js'
import type { Store } from '../../src/store/store.js'
import { ACCOUNT_ID, openAccountStore } from '../support/in-process.js'

/** A new key that counts the tokens it opens. */
function countingKey(): SessionTokenKey & { opens: number } {
  const key = Object.assign(SessionTokenKey.generate(), { opens: 0 })
  const open = key.open.bind(key)
  key.open = (token: string): SessionClaims | undefined => {
    key.opens += 1
    return open(token)
  }
  return key
}

function claims(n: number): SessionClaims {
  return {
    accountId: ACCOUNT_ID,
    principal: {
      kind: 'assumedRole',
      roleId: 'AROAEXAMPLEEXAMPLE123',
      roleName: 'Reader',
      roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/Reader`,
      sessionName: `s${n}`,
    },
    accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    secretAccessKey: `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLE${String(n).padStart(3, '0')}`,
    issuedAt: new Date('2026-03-15T12:00:00Z'),
    expiresAt: new Date('2026-03-15T13:00:00Z'),
    policies: [],
    tags: [],
    transitiveTagKeys: [],
    sourceIdentity: null,
    chained: false,
    mfa: false,
  }
}

describe('AuthCache.openedSession', () => {
  let store: Store
  let cache: AuthCache | undefined
  let key: ReturnType<typeof countingKey>

  before(async () => {
    store = await openAccountStore()
  })
  after(async () => {
    cache?.dispose()
    await store.close()
  })

  // Each test its own cache and key; the last cache stops listening to the store.
  const fresh = (): AuthCache => {
    cache?.dispose()
    cache = new AuthCache(store)
    key = countingKey()
    return cache
  }

  it('opens a token once and answers every later request from what it kept', () => {
    const cache = fresh()
    const token = key.seal(claims(1))
    const first = cache.openedSession(token, key)
    assert.deepEqual(first?.claims, claims(1))
    assert.equal(cache.openedSession(token, key), first)
    assert.equal(key.opens, 1)
  })

  it("derives each scope's signing key from the session's secret once", () => {
    const cache = fresh()
    const opened = cache.openedSession(key.seal(claims(2)), key)
    assert.ok(opened !== undefined)
    const expected = deriveSigningKey(claims(2).secretAccessKey, '20260315', 'us-east-1', 'sts')
    const once = opened.signingKey('20260315', 'us-east-1', 'sts')
    assert.deepEqual(once, expected)
    assert.equal(opened.signingKey('20260315', 'us-east-1', 'sts'), once)
    assert.notDeepEqual(opened.signingKey('20260315', 'eu-west-1', 'sts'), once)
  })

  it('keeps no token the key does not open, and opens it every time', () => {
    const cache = fresh()
    const token = key.seal(claims(3))
    const altered = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`
    assert.equal(cache.openedSession(altered, key), undefined)
    assert.equal(cache.openedSession(altered, key), undefined)
    assert.equal(key.opens, 2)
    assert.equal(cache.openedSessions, 0)
  })

  it('opens a kept token again under another key', () => {
    const cache = fresh()
    const token = key.seal(claims(4))
    assert.ok(cache.openedSession(token, key) !== undefined)
    const other = countingKey()
    assert.equal(cache.openedSession(token, other), undefined)
    assert.equal(other.opens, 1)
    // The entry of the first key went with it: opened again, and kept again.
    assert.ok(cache.openedSession(token, key) !== undefined)
    assert.equal(key.opens, 2)
    assert.equal(cache.openedSessions, 1)
  })

  it('keeps its tokens across writes to the store', async () => {
    const cache = fresh()
    const token = key.seal(claims(5))
    const opened = cache.openedSession(token, key)
    await store.transaction((tx) => tx.createUser({ accountId: ACCOUNT_ID, name: 'writer' }))
    assert.equal(cache.openedSession(token, key), opened)
    assert.equal(key.opens, 1)
  })

  it(`keeps at most ${MAX_OPENED_SESSIONS} tokens, the oldest going first`, () => {
    const cache = fresh()
    const tokens = Array.from({ length: MAX_OPENED_SESSIONS + 1 }, (_, i) => key.seal(claims(i)))
    for (const token of tokens) cache.openedSession(token, key)
    assert.equal(cache.openedSessions, MAX_OPENED_SESSIONS)
    const opens = key.opens
    cache.openedSession(tokens[tokens.length - 1] as string, key)
    assert.equal(key.opens, opens, 'the newest is kept')
    cache.openedSession(tokens[0] as string, key)
    assert.equal(key.opens, opens + 1, 'the oldest was let go')
  })

  it(`keeps tokens of at most ${MAX_OPENED_SESSION_CHARS} characters in all`, () => {
    const cache = fresh()
    const length = 30_000
    const tokens = Array.from(
      { length: Math.ceil(MAX_OPENED_SESSION_CHARS / length) + 2 },
      (_, i) => key.seal(claims(i), { minimumLength: length }),
    )
    for (const token of tokens) cache.openedSession(token, key)
    const kept = cache.openedSessions
    assert.ok(kept < tokens.length, `kept all ${kept} tokens`)
    assert.ok(
      kept * (tokens[0] as string).length <= MAX_OPENED_SESSION_CHARS + length,
      `kept ${kept} tokens of about ${length} characters`,
    )
    const opens = key.opens
    cache.openedSession(tokens[tokens.length - 1] as string, key)
    assert.equal(key.opens, opens, 'the newest is kept')
  })
})
