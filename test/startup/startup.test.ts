/**
 * The first start and every later one: the data directory, the master key file, the account and
 * its root key, and the credentials file, on a real temporary directory and a real SQLite file.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { writeCredentialsFile } from '../../src/startup/credentials-file.js'
import type { RootCredentials } from '../../src/startup/credentials-file.js'
import { prepareDataDir } from '../../src/startup/data-dir.js'
import { ensureAccount } from '../../src/startup/ensure-account.js'
import { loadMasterKey } from '../../src/startup/master-key.js'
import { StartupError } from '../../src/startup/startup-error.js'
import { generateMasterKeyText } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'

const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-startup-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

function mode(path: string): number {
  return statSync(path).mode & 0o777
}

describe('the data directory', () => {
  it('is created with its parents, readable by its owner only', () => {
    const paths = prepareDataDir(join(scratch, 'a', 'b'))
    assert.equal(mode(paths.dir), 0o700)
    assert.equal(paths.database, join(scratch, 'a', 'b', 'gatehouse.db'))
  })
})

describe('loadMasterKey', () => {
  it('creates the key file on first start with mode 0600, and reads it after', () => {
    const path = join(scratch, 'master.key')
    const first = loadMasterKey(path, undefined)
    assert.equal(first.source, 'new file')
    assert.equal(mode(path), 0o600)
    const text = readFileSync(path, 'utf8')
    const again = loadMasterKey(path, undefined)
    assert.equal(again.source, 'file')
    assert.equal(again.warning, undefined)
    assert.equal(readFileSync(path, 'utf8'), text)
  })

  it('takes GATEHOUSE_MASTER_KEY over the file', () => {
    const loaded = loadMasterKey(join(scratch, 'unused.key'), generateMasterKeyText())
    assert.equal(loaded.source, 'environment')
    assert.throws(() => statSync(join(scratch, 'unused.key')))
  })

  it('refuses a malformed key without showing it', () => {
    assert.throws(
      () => loadMasterKey(join(scratch, 'x.key'), 'not-a-key-secretvalue'),
      (err: unknown) => err instanceof StartupError && !err.message.includes('secretvalue'),
    )
  })

  it('warns about a key file others can read', () => {
    const path = join(scratch, 'open.key')
    writeFileSync(path, generateMasterKeyText(), { mode: 0o644 })
    assert.match(loadMasterKey(path, undefined).warning ?? '', /chmod 600/)
  })
})

describe('ensureAccount', () => {
  function open(name: string, masterKeyText: string) {
    return openSqliteStore({
      filename: join(scratch, name),
      masterKey: loadMasterKey(join(scratch, `${name}.key`), masterKeyText).key,
    })
  }

  it('creates the account and a root key once, and only once', async () => {
    const key = generateMasterKeyText()
    const generated: RootCredentials[] = []
    const store = open('once.db', key)
    const first = await ensureAccount(
      store,
      { accountId: '111122223333', rootAccessKeyId: undefined, rootSecretAccessKey: undefined },
      (c) => generated.push(c),
    )
    assert.equal(first.account.accountId, '111122223333')
    assert.equal(first.createdAccount, true)
    assert.equal(generated.length, 1)
    assert.match(generated[0]?.accessKeyId ?? '', /^AKIA/)
    await store.close()

    const reopened = open('once.db', key)
    const second = await ensureAccount(
      reopened,
      { accountId: undefined, rootAccessKeyId: undefined, rootSecretAccessKey: undefined },
      (c) => generated.push(c),
    )
    assert.equal(second.account.accountId, '111122223333')
    assert.equal(second.createdAccount, false)
    assert.equal(second.generatedRootKey, undefined)
    assert.equal(generated.length, 1)

    await assert.rejects(
      ensureAccount(
        reopened,
        { accountId: '999988887777', rootAccessKeyId: undefined, rootSecretAccessKey: undefined },
        () => undefined,
      ),
      /serves account 111122223333, not 999988887777/,
    )
    await reopened.close()
  })

  it('uses the configured root key, and refuses one that differs from the stored key', async () => {
    const store = open('given.db', generateMasterKeyText())
    const settings = {
      accountId: undefined,
      rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      rootSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    }
    const ensured = await ensureAccount(store, settings, () => assert.fail('nothing generated'))
    const secret = await store.transaction((tx) => tx.getAccessKeySecret('AKIAIOSFODNN7EXAMPLE'))
    assert.equal(secret.secretAccessKey, settings.rootSecretAccessKey)
    assert.equal(secret.accessKey.userName, null)
    assert.equal(secret.accessKey.accountId, ensured.account.accountId)
    // The same again is fine; another secret for the same id is not.
    await ensureAccount(store, settings, () => undefined)
    await assert.rejects(
      ensureAccount(
        store,
        { ...settings, rootSecretAccessKey: 'another secret 00000000' },
        () => undefined,
      ),
      StartupError,
    )
    await store.close()
  })

  it('keeps nothing when the credentials cannot be written down', async () => {
    const store = open('unwritten.db', generateMasterKeyText())
    const settings = {
      accountId: undefined,
      rootAccessKeyId: undefined,
      rootSecretAccessKey: undefined,
    }
    await assert.rejects(
      ensureAccount(store, settings, () => {
        throw new Error('disk full')
      }),
      /disk full/,
    )
    assert.deepEqual(await store.transaction((tx) => tx.listAccounts()), [])
    await store.close()
  })
})

describe('the credentials file', () => {
  it('is an AWS shared credentials file with mode 0600', () => {
    const path = join(scratch, 'root-credentials')
    writeFileSync(path, 'old', { mode: 0o644 })
    writeCredentialsFile(
      path,
      { accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'SECRET' },
      new Date('2026-01-01T00:00:00Z'),
    )
    assert.equal(mode(path), 0o600)
    const text = readFileSync(path, 'utf8')
    assert.match(text, /^\[default\]$/m)
    assert.match(text, /^aws_access_key_id = AKIAEXAMPLE$/m)
    assert.match(text, /^aws_secret_access_key = SECRET$/m)
  })
})
