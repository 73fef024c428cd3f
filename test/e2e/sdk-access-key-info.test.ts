/**
 * STS GetAccessKeyInfo end to end against `gatehouse serve`, with the real AWS SDK for
 * JavaScript v3 and the real AWS CLI: the account of a user's key and of the caller's own
 * temporary key, the error for a key Gatehouse does not know, and a user no policy allows.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, GetAccessKeyInfoCommand, STSClient } from '@aws-sdk/client-sts'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

const noCli =
  spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0
    ? false
    : 'aws is not installed here'

describe('STS GetAccessKeyInfo against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let alice: Key
  let bob: Key
  let accountId: string
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
  const sts = (key: Key) =>
    new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  async function userWithKey(name: string, document?: string): Promise<Key> {
    await iam(root).send(new CreateUserCommand({ UserName: name }))
    if (document !== undefined) {
      await iam(root).send(
        new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: document }),
      )
    }
    const created = await iam(root).send(new CreateAccessKeyCommand({ UserName: name }))
    return {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    accountId = /account {6}(\d{12})/.exec(server.stdout())?.[1] ?? ''
    alice = await userWithKey(
      'alice',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['sts:GetAccessKeyInfo', 'sts:AssumeRole'], Resource: '*' },
        ],
      }),
    )
    bob = await userWithKey('bob')
    await iam(root).send(
      new CreateRoleCommand({
        RoleName: 'reader',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${accountId}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    )
    await iam(root).send(
      new PutRolePolicyCommand({
        RoleName: 'reader',
        PolicyName: 'p',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:GetAccessKeyInfo', Resource: '*' }],
        }),
      }),
    )
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it("answers the account of any key it keeps, and of the caller's own temporary key", async () => {
    assert.match(accountId, /^\d{12}$/)
    const of = async (caller: Key, keyId: string): Promise<string | undefined> =>
      (await sts(caller).send(new GetAccessKeyInfoCommand({ AccessKeyId: keyId }))).Account
    assert.equal(await of(alice, bob.accessKeyId), accountId)
    assert.equal(await of(alice, root.accessKeyId), accountId)
    // A role session asks about its own temporary key, which no store holds.
    const assumed = await sts(alice).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/reader`,
        RoleSessionName: 'job',
      }),
    )
    const temporary: Key = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    }
    assert.match(temporary.accessKeyId, /^ASIA/)
    assert.equal(await of(temporary, temporary.accessKeyId), accountId)
    // Another session's temporary key is one Gatehouse cannot know without its token.
    const unknownTemporary = await failure(
      sts(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: temporary.accessKeyId })),
    )
    assert.equal(unknownTemporary.name, 'InvalidParameterValue')
  })

  it('refuses a key it does not know, and a caller no policy allows', async () => {
    const unknown = await failure(
      sts(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: 'AKIAUNKNOWNKEY000000' })),
    )
    assert.equal(unknown.name, 'InvalidParameterValue')
    assert.equal(unknown.status, 400)
    const denied = await failure(
      sts(bob).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId })),
    )
    assert.equal(denied.name, 'AccessDenied')
    assert.equal(denied.status, 403)
  })

  it('prints the account with the AWS CLI', { skip: noCli }, () => {
    const run = spawnSync(
      'aws',
      [
        '--endpoint-url',
        server.url,
        'sts',
        'get-access-key-info',
        '--access-key-id',
        bob.accessKeyId,
      ],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '',
          AWS_ACCESS_KEY_ID: alice.accessKeyId,
          AWS_SECRET_ACCESS_KEY: alice.secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
      },
    )
    assert.equal(run.status, 0, run.stderr)
    assert.deepEqual(JSON.parse(run.stdout), { Account: accountId })
  })
})
