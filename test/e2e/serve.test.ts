/**
 * `gatehouse serve` as a process: the first start makes the account and prints the root key
 * once (kept in a 0600 file), a restart keeps both, the banner states the enforcement mode, and
 * SIGTERM stops it cleanly. Driven by the real STS client over HTTP.
 */
import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import {
  printedRootKey,
  removeDataDir,
  startServerProcess,
  tempDataDir,
} from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

function sts(url: string, key: { accessKeyId: string; secretAccessKey: string }): STSClient {
  return new STSClient({ endpoint: url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
}

describe('gatehouse serve', () => {
  const dataDir = tempDataDir()
  after(() => removeDataDir(dataDir))

  it('creates the account and its root key on first start, prints them once, and keeps them', async () => {
    const first = await startServerProcess({ dataDir })
    let key: { accessKeyId: string; secretAccessKey: string }
    try {
      key = printedRootKey(first.stdout())
      assert.match(first.stdout(), /enforcement {2}enforce: every request is authorized/)
      const file = join(dataDir, 'root-credentials')
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.equal(statSync(join(dataDir, 'master.key')).mode & 0o777, 0o600)
      assert.ok(readFileSync(file, 'utf8').includes(key.secretAccessKey))
      const identity = await sts(first.url, key).send(new GetCallerIdentityCommand({}))
      assert.equal(identity.Arn, `arn:aws:iam::${first.accountId}:root`)
    } finally {
      assert.equal(await first.stop(), 0)
    }
    assert.match(first.stderr(), /SIGTERM: shutting down/)

    const second = await startServerProcess({ dataDir, args: ['--enforcement', 'report-only'] })
    try {
      assert.equal(second.accountId, first.accountId)
      assert.equal(second.stdout().includes(key.secretAccessKey), false, 'printed once only')
      assert.match(second.stdout(), /enforcement {2}REPORT-ONLY/)
      const identity = await sts(second.url, key).send(new GetCallerIdentityCommand({}))
      assert.equal(identity.Account, first.accountId)
    } finally {
      assert.equal(await second.stop(), 0)
    }
  })

  it('takes the account and root key from its flags', async () => {
    const dir = tempDataDir()
    const key = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    }
    const server = await startServerProcess({
      dataDir: dir,
      args: [
        '--account-id',
        '111122223333',
        '--root-access-key-id',
        key.accessKeyId,
        '--root-secret-access-key',
        key.secretAccessKey,
      ],
    })
    try {
      assert.equal(server.accountId, '111122223333')
      assert.equal(server.stdout().includes(key.secretAccessKey), false)
      const identity = await sts(server.url, key).send(new GetCallerIdentityCommand({}))
      assert.equal(identity.Arn, 'arn:aws:iam::111122223333:root')
    } finally {
      assert.equal(await server.stop(), 0)
      removeDataDir(dir)
    }
  })

  it('refuses to start with a bad flag, saying why', async () => {
    const dir = tempDataDir()
    try {
      await assert.rejects(
        startServerProcess({ dataDir: dir, args: ['--enforcement', 'sometimes'] }),
        /exited with 2[\s\S]*--enforcement must be one of enforce, report-only/,
      )
    } finally {
      removeDataDir(dir)
    }
  })
})
