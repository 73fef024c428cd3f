/** Access keys, their secrets at rest, and their last use. */
import assert from 'node:assert/strict'
import { AlreadyExistsError, LimitExceededError, NotFoundError } from '../../errors.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const ROOT_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
const ROOT_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

async function keyIds(tx: StoreTx, accountId: string, userName: string | null): Promise<string[]> {
  return (await tx.listAccessKeys(accountId, userName)).items.map((key) => key.accessKeyId)
}

/** Whether `haystack` holds `needle`'s UTF-8 bytes anywhere. */
function holds(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'utf8'))
}

/** The access key cases. */
export const accessKeyCases: CaseGroup = {
  name: 'access keys',
  cases(test) {
    test('creates an active AKIA key for a user and returns its secret once', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'Alice' })
        const { accessKey, secretAccessKey } = await tx.createAccessKey({
          accountId: ACCOUNT,
          userName: 'alice',
        })
        assert.match(accessKey.accessKeyId, /^AKIA[A-Z2-7]{16}$/)
        assert.match(secretAccessKey, /^[A-Za-z0-9+/]{40}$/)
        assert.deepEqual(accessKey, {
          accessKeyId: accessKey.accessKeyId,
          accountId: ACCOUNT,
          userName: 'Alice',
          status: 'Active',
          createdAt: START,
          lastUsedAt: null,
          lastUsedRegion: null,
          lastUsedService: null,
        })
        assert.deepEqual(await tx.getAccessKey(accessKey.accessKeyId), accessKey)
        assert.deepEqual(await tx.getAccessKeySecret(accessKey.accessKeyId), {
          accessKey,
          secretAccessKey,
        })
      })
    })

    test('keeps a root key with the id and secret given', async (c) => {
      await c.tx(async (tx) => {
        const created = await tx.createAccessKey({
          accountId: ACCOUNT,
          userName: null,
          accessKeyId: ROOT_KEY_ID,
          secretAccessKey: ROOT_SECRET,
        })
        assert.equal(created.accessKey.userName, null)
        assert.equal(created.accessKey.accessKeyId, ROOT_KEY_ID)
        const read = await tx.getAccessKeySecret(ROOT_KEY_ID)
        assert.equal(read.secretAccessKey, ROOT_SECRET)
        await rejectsWith(
          tx.createAccessKey({
            accountId: OTHER_ACCOUNT,
            userName: null,
            accessKeyId: ROOT_KEY_ID,
          }),
          AlreadyExistsError,
          { entity: 'accessKey', key: ROOT_KEY_ID },
        )
      })
    })

    test('never returns a secret from the key record or the list', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const { accessKey, secretAccessKey } = await tx.createAccessKey({
          accountId: ACCOUNT,
          userName: 'alice',
        })
        const record = await tx.getAccessKey(accessKey.accessKeyId)
        const list = await tx.listAccessKeys(ACCOUNT, 'alice')
        for (const shown of [record, list]) {
          assert.ok(!JSON.stringify(shown).includes(secretAccessKey))
        }
      })
    })

    test('keeps secrets encrypted at rest', async (c) => {
      const secrets = await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const generated = await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
        await tx.createAccessKey({
          accountId: ACCOUNT,
          userName: null,
          accessKeyId: ROOT_KEY_ID,
          secretAccessKey: ROOT_SECRET,
        })
        return [generated.secretAccessKey, ROOT_SECRET]
      })
      const raw = await c.rawContent()
      assert.ok(holds(raw, ROOT_KEY_ID), 'the raw content is what the store keeps')
      for (const secret of secrets) {
        assert.ok(!holds(raw, secret), 'a secret is stored in plain text')
        assert.ok(!holds(raw, Buffer.from(secret).toString('base64')), 'a secret is in base64')
        assert.ok(!holds(raw, Buffer.from(secret).toString('hex')), 'a secret is in hex')
      }
      const read = await c.tx((tx) => tx.getAccessKeySecret(ROOT_KEY_ID))
      assert.equal(read.secretAccessKey, ROOT_SECRET)
    })

    test('allows two keys per user and two for the root user', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        for (const owner of ['alice', null, 'bob']) {
          await tx.createAccessKey({ accountId: ACCOUNT, userName: owner })
          await tx.createAccessKey({ accountId: ACCOUNT, userName: owner })
        }
        for (const owner of ['alice', null]) {
          await rejectsWith(
            tx.createAccessKey({ accountId: ACCOUNT, userName: owner }),
            LimitExceededError,
            { quota: 'accessKeysPerUser', limit: 2 },
          )
        }
        await tx.createAccessKey({ accountId: OTHER_ACCOUNT, userName: null })
        assert.equal((await keyIds(tx, ACCOUNT, 'alice')).length, 2)
        assert.equal((await keyIds(tx, ACCOUNT, null)).length, 2)
        const [first] = await keyIds(tx, ACCOUNT, 'alice')
        await tx.deleteAccessKey(ACCOUNT, 'alice', first ?? '')
        await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      })
    })

    test('lists the keys of one owner in order of id', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const ids = [
          (await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })).accessKey,
          (await tx.createAccessKey({ accountId: ACCOUNT, userName: 'ALICE' })).accessKey,
        ].map((key) => key.accessKeyId)
        await tx.createAccessKey({ accountId: ACCOUNT, userName: null, accessKeyId: ROOT_KEY_ID })
        assert.deepEqual(await keyIds(tx, ACCOUNT, 'alice'), [...ids].sort())
        assert.deepEqual(await keyIds(tx, ACCOUNT, null), [ROOT_KEY_ID])
        assert.deepEqual(await keyIds(tx, OTHER_ACCOUNT, null), [])
        await rejectsWith(tx.listAccessKeys(ACCOUNT, 'bob'), NotFoundError, { entity: 'user' })
      })
    })

    test('deactivates and reactivates a key of its owner only', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        const { accessKey } = await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
        const id = accessKey.accessKeyId
        await tx.updateAccessKeyStatus(ACCOUNT, 'alice', id, 'Inactive')
        assert.equal((await tx.getAccessKey(id)).status, 'Inactive')
        await tx.updateAccessKeyStatus(ACCOUNT, 'alice', id, 'Active')
        assert.equal((await tx.getAccessKey(id)).status, 'Active')
        for (const owner of ['bob', null]) {
          await rejectsWith(
            tx.updateAccessKeyStatus(ACCOUNT, owner, id, 'Inactive'),
            NotFoundError,
            {
              entity: 'accessKey',
              key: id,
            },
          )
          await rejectsWith(tx.deleteAccessKey(ACCOUNT, owner, id), NotFoundError, {
            entity: 'accessKey',
          })
        }
        await rejectsWith(tx.deleteAccessKey(OTHER_ACCOUNT, null, id), NotFoundError)
        assert.equal((await tx.getAccessKey(id)).status, 'Active')
      })
    })

    test('deletes a key so that it is found nowhere', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const { accessKey } = await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
        await tx.deleteAccessKey(ACCOUNT, 'alice', accessKey.accessKeyId)
        const expected = { entity: 'accessKey', key: accessKey.accessKeyId }
        await rejectsWith(tx.getAccessKey(accessKey.accessKeyId), NotFoundError, expected)
        await rejectsWith(tx.getAccessKeySecret(accessKey.accessKeyId), NotFoundError, expected)
        await rejectsWith(
          tx.deleteAccessKey(ACCOUNT, 'alice', accessKey.accessKeyId),
          NotFoundError,
          expected,
        )
        assert.deepEqual(await keyIds(tx, ACCOUNT, 'alice'), [])
      })
    })

    test('records the last use of a key', async (c) => {
      await c.tx(async (tx) => {
        await tx.createAccessKey({ accountId: ACCOUNT, userName: null, accessKeyId: ROOT_KEY_ID })
        const at = new Date('2026-02-03T04:05:06.789Z')
        await tx.recordAccessKeyUse(ROOT_KEY_ID, { at, region: 'eu-west-1', service: 'iam' })
        const key = await tx.getAccessKey(ROOT_KEY_ID)
        assert.deepEqual(
          [key.lastUsedAt, key.lastUsedRegion, key.lastUsedService],
          [at, 'eu-west-1', 'iam'],
        )
        await rejectsWith(
          tx.recordAccessKeyUse('AKIAAAAAAAAAAAAAAAAA', { at, region: 'r', service: 's' }),
          NotFoundError,
          { entity: 'accessKey' },
        )
      })
    })

    test('names the user of a key as it is named now', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const { accessKey } = await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
        await tx.updateUser(ACCOUNT, 'alice', { newName: 'Alicia' })
        assert.equal((await tx.getAccessKey(accessKey.accessKeyId)).userName, 'Alicia')
        assert.deepEqual(await keyIds(tx, ACCOUNT, 'alicia'), [accessKey.accessKeyId])
      })
    })
  },
}
