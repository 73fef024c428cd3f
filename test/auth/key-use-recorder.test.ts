/** KeyUseRecorder over a real SQLite store: uses gathered, written in one batch, or at once. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pino from 'pino'
import { KeyUseRecorder } from '../../src/auth/key-use-recorder.js'
import { generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'

const ACCOUNT = '123456789012'
const log = pino({ level: 'silent' })

describe('KeyUseRecorder', () => {
  let store: Store
  let keys: string[]
  before(async () => {
    store = openSqliteStore({ filename: ':memory:', masterKey: generateMasterKey() })
    keys = await store.transaction(async (tx) => {
      await tx.createAccount({ accountId: ACCOUNT })
      await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
      const a = await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      const b = await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      return [a.accessKey.accessKeyId, b.accessKey.accessKeyId]
    })
  })
  after(() => store.close())

  const lastUsed = (id: string) =>
    store.transaction(async (tx) => (await tx.getAccessKey(id)).lastUsedAt?.toISOString())

  it('gathers uses and writes the latest of each key in one commit', async () => {
    const [a = '', b = ''] = keys
    const recorder = new KeyUseRecorder(store, 60_000, log)
    let commits = 0
    const unsubscribe = store.onChange(() => (commits += 1))
    const generation = store.generation
    recorder.record(a, {
      at: new Date('2026-01-01T00:00:00Z'),
      region: 'us-east-1',
      service: 'iam',
    })
    recorder.record(a, {
      at: new Date('2026-01-01T00:00:05Z'),
      region: 'eu-west-1',
      service: 'sts',
    })
    recorder.record(b, {
      at: new Date('2026-01-01T00:00:07Z'),
      region: 'us-east-1',
      service: 'iam',
    })
    assert.equal(await lastUsed(a), undefined, 'nothing is written before the interval')
    await recorder.close()
    assert.equal(await lastUsed(a), '2026-01-01T00:00:05.000Z')
    assert.equal(await lastUsed(b), '2026-01-01T00:00:07.000Z')
    // Last-use stamps change nothing a cache holds: the feed stays quiet.
    assert.equal(commits, 0)
    assert.equal(store.generation, generation)
    unsubscribe()
  })

  it('writes at once with an interval of 0, and survives a key deleted meanwhile', async () => {
    const [a = '', b = ''] = keys
    const recorder = new KeyUseRecorder(store, 0, log)
    await store.transaction((tx) => tx.deleteAccessKey(ACCOUNT, 'alice', b))
    recorder.record(b, {
      at: new Date('2026-02-01T00:00:00Z'),
      region: 'us-east-1',
      service: 'iam',
    })
    recorder.record(a, {
      at: new Date('2026-02-01T00:00:00Z'),
      region: 'us-east-1',
      service: 'iam',
    })
    await recorder.flush()
    await store.transaction(() => undefined)
    assert.equal(await lastUsed(a), '2026-02-01T00:00:00.000Z')
    await recorder.close()
  })
})
