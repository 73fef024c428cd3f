/**
 * The auth cache across users created and deleted (StoreChange.only): a caller's key and
 * compiled policies stay kept, and what such a change can alter does not: a user looked up by
 * name, the resource tags of an ARN, and a session of a deleted user. In process, through the
 * API, and on the cache itself over a real store.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AuthCache } from '../../src/auth/auth-cache.js'
import type { Store } from '../../src/store/store.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  openAccountStore,
  policy,
  startInProcess,
} from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'
import { callWith, credentialsOf, sts } from '../support/temporary-credentials.js'

describe('the auth cache when users are created and deleted', () => {
  describe('on the cache', () => {
    let store: Store
    let cache: AuthCache
    let keyId: string
    before(async () => {
      store = await openAccountStore()
      cache = new AuthCache(store)
      keyId = await store.transaction(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT_ID, name: 'caller' })
        return (await tx.createAccessKey({ accountId: ACCOUNT_ID, userName: 'caller' })).accessKey
          .accessKeyId
      })
    })
    after(async () => {
      cache.dispose()
      await store.close()
    })

    const none = (): Promise<never> => Promise.reject(new Error('not to be loaded'))
    async function keep(): Promise<void> {
      assert.ok((await cache.accessKey(keyId)) !== null)
      await store.transaction(
        (tx) =>
          cache.principalPolicies('user:caller', tx, () =>
            Promise.resolve({ identity: [], boundary: null, tags: [], set: {} as never }),
          ),
        { readOnly: true },
      )
    }
    const kept = (): boolean =>
      cache.keptAccessKey(keyId) != null && cache.keptPrincipalPolicies('user:caller') !== undefined

    it("keeps the caller's key and policies through users created and deleted", async () => {
      await keep()
      await store.transaction((tx) => tx.createUser({ accountId: ACCOUNT_ID, name: 'new' }))
      assert.ok(kept(), 'after CreateUser')
      await store.transaction((tx) => tx.deleteUser(ACCOUNT_ID, 'new'))
      assert.ok(kept(), 'after DeleteUser')
      // Nothing was read again for them.
      await store.transaction((tx) => cache.principalPolicies('user:caller', tx, none), {
        readOnly: true,
      })
    })

    it('drops them at any other write', async () => {
      await keep()
      await store.transaction((tx) => tx.createGroup({ accountId: ACCOUNT_ID, name: 'g' }))
      assert.equal(cache.keptAccessKey(keyId), undefined)
      assert.equal(cache.keptPrincipalPolicies('user:caller'), undefined)
    })

    it('drops what a lookup by name found, or did not', async () => {
      await store.transaction((tx) => cache.userDetails(ACCOUNT_ID, 'later', tx), {
        readOnly: true,
      })
      assert.equal(cache.keptUserDetails(ACCOUNT_ID, 'later'), null)
      await store.transaction((tx) => tx.createUser({ accountId: ACCOUNT_ID, name: 'later' }))
      assert.equal(cache.keptUserDetails(ACCOUNT_ID, 'later'), undefined)
      const found = await store.transaction((tx) => cache.userDetails(ACCOUNT_ID, 'later', tx), {
        readOnly: true,
      })
      assert.equal(found?.user.name, 'later')
      await store.transaction((tx) => tx.deleteUser(ACCOUNT_ID, 'later'))
      assert.equal(cache.keptUserDetails(ACCOUNT_ID, 'later'), undefined)
    })
  })

  describe('through the API', () => {
    let g: InProcess
    let alice: Credentials
    before(async () => {
      g = await startInProcess()
      alice = await createUserWithKey(g, 'alice')
      await g.call('PutUserPolicy', {
        UserName: 'alice',
        PolicyName: 'read-blue',
        PolicyDocument: policy('Allow', 'iam:GetUser', '*', {
          StringEquals: { 'aws:ResourceTag/team': 'blue' },
        }),
      })
    })
    after(() => g.close())

    const getUser = (name: string) => callWith(g, 'GetUser', { UserName: name }, { key: alice })

    it('finds a user created after a call that found none, with its tags', async () => {
      // Not there: no tags, so the condition fails, and that answer is kept.
      const before = await getUser('bob')
      assert.equal(before.status, 403, before.body)
      const created = await g.call('CreateUser', {
        UserName: 'bob',
        'Tags.member.1.Key': 'team',
        'Tags.member.1.Value': 'blue',
      })
      assert.equal(created.status, 200, created.body)
      const after = await getUser('bob')
      assert.equal(after.status, 200, after.body)
    })

    it('forgets a deleted user: its name no longer found, its tags no longer its', async () => {
      assert.equal((await g.call('DeleteUser', { UserName: 'bob' })).status, 200)
      const gone = await getUser('bob')
      assert.equal(gone.status, 403, gone.body)
      // Made again without the tag: the deleted user's tags do not carry over.
      assert.equal((await g.call('CreateUser', { UserName: 'bob' })).status, 200)
      assert.equal((await getUser('bob')).status, 403)
    })

    it("ends a deleted user's sessions with it", async () => {
      const carol = await createUserWithKey(g, 'carol')
      const session = credentialsOf(await sts(g, 'GetSessionToken', {}, carol), 'GetSessionToken')
      const identity = () => sts(g, 'GetCallerIdentity', {}, session)
      assert.equal((await identity()).status, 200)
      const removed = await g.call('DeleteAccessKey', {
        UserName: 'carol',
        AccessKeyId: carol.accessKeyId,
      })
      assert.equal(removed.status, 200, removed.body)
      // The session outlives the key that made it, and is read (and kept) once more.
      assert.equal((await identity()).status, 200)
      assert.equal((await g.call('DeleteUser', { UserName: 'carol' })).status, 200)
      const after = await identity()
      assert.equal(after.status, 403, after.body)
      assert.equal(after.error?.code, 'InvalidClientTokenId')
    })
  })
})
