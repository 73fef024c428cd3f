/**
 * userIdentityJson: the text of userIdentity for every kind of caller, and a kept text (a
 * long-term key's or a session's) never outliving any value it was made of (a renamed user,
 * another key, another ARN, a session's role read anew).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Caller } from '../../src/auth/caller.js'
import { userIdentity, userIdentityJson } from '../../src/audit/user-identity.js'
import { loadCallers, loadCaseFile } from './audit-cases.js'

const callers = loadCallers(loadCaseFile())

describe('userIdentityJson', () => {
  it("is userIdentity's JSON for every caller, and without one", () => {
    for (const caller of [...callers.values(), undefined]) {
      for (const key of ['AKIAOTHERKEY00000001', undefined]) {
        for (let time = 0; time < 2; time += 1) {
          assert.equal(userIdentityJson(caller, key), JSON.stringify(userIdentity(caller, key)))
        }
      }
    }
    const federated = {
      type: 'WebIdentityUser',
      principalId: 'p',
      userName: 'u',
      identityProvider: 'idp',
    } as const
    assert.equal(
      userIdentityJson(undefined, undefined, federated),
      JSON.stringify(userIdentity(undefined, undefined, federated)),
    )
  })

  it('makes a new text when anything the kept one was made of changes', () => {
    const alice = callers.get('alice') as Extract<Caller, { kind: 'user' }>
    const user = { ...alice.user }
    const caller = (members: Partial<typeof alice> = {}): Caller => ({ ...alice, user, ...members })
    const check = (c: Caller) =>
      assert.equal(userIdentityJson(c, undefined), JSON.stringify(userIdentity(c, undefined)))
    check(caller())
    check(caller({ accessKeyId: 'AKIASECONDKEY0000001' }))
    check(caller({ arn: 'arn:aws:iam::111122223333:user/moved/alice' }))
    check(caller())
    // The cached User object itself changed (it never is: a new one replaces it).
    Object.assign(user, { name: 'alice-renamed' })
    check(caller())
    assert.match(userIdentityJson(caller(), undefined), /alice-renamed/)
    Object.assign(user, { userId: 'AIDANEWID00000000001' })
    check(caller())
    const root = callers.get('root') as Extract<Caller, { kind: 'root' }>
    check(root)
    check({ ...root, accessKeyId: 'AKIAROOTSECONDKEY001' })
    check({ ...root, account: { ...root.account } })
  })

  it("keeps a session's text by its claims, anew when its entity or key changes", () => {
    const check = (c: Caller) =>
      assert.equal(userIdentityJson(c, undefined), JSON.stringify(userIdentity(c, undefined)))
    for (const name of ['alice-session', 'root-session', 'deployer', 'fed-alice', 'fed-root']) {
      const caller = callers.get(name) as Exclude<Caller, { kind: 'root' | 'user' }>
      // The claims object keys the text: one object across all these calls, as the auth cache
      // hands every request of a token the same one.
      check(caller)
      check(caller)
      check({ ...caller, accessKeyId: 'ASIAOTHERSESSION0001' })
      check(caller)
    }
    const deployer = callers.get('deployer') as Extract<Caller, { kind: 'assumedRole' }>
    // The role read anew after a change (a new object, as the cache makes): renamed.
    const renamed = { ...deployer, role: { ...deployer.role, name: 'deployer-renamed' } }
    check(renamed)
    assert.match(userIdentityJson(renamed, undefined), /"userName":"deployer-renamed"/)
    check(deployer)
    assert.doesNotMatch(userIdentityJson(deployer, undefined), /deployer-renamed/)
    const aliceSession = callers.get('alice-session') as Extract<Caller, { kind: 'userSession' }>
    const movedUser = { ...aliceSession, user: { ...aliceSession.user, name: 'alice2' } }
    check(movedUser)
    assert.match(userIdentityJson(movedUser, undefined), /"userName":"alice2"/)
    const fedAlice = callers.get('fed-alice') as Extract<Caller, { kind: 'federatedUser' }>
    check({ ...fedAlice, user: null })
    check(fedAlice)
  })
})
