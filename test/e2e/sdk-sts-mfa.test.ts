/**
 * MFA on STS end to end against `gatehouse serve`, with the real AWS SDK for JavaScript v3 and
 * the real AWS CLI: a user enables a virtual MFA device with codes computed from the seed it was
 * given and the real clock, then gets session credentials with a fresh code; they may call IAM
 * where a policy demands MFA, and the code is not accepted twice.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts'
import { decodeBase32 } from '../../src/auth/base32.js'
import { totpAtStep, totpStep } from '../../src/auth/totp.js'
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

const MFA_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iam:ListUsers',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
  ],
})

describe('MFA on STS against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
  const sts = (key: Key) =>
    new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  /** A user with a key, an MFA-only policy and a device enabled with the codes of now. */
  async function userWithDevice(
    name: string,
  ): Promise<{ key: Key; serial: string; seed: Uint8Array; step: number }> {
    await iam(root).send(new CreateUserCommand({ UserName: name }))
    await iam(root).send(
      new PutUserPolicyCommand({ UserName: name, PolicyName: 'mfa', PolicyDocument: MFA_ONLY }),
    )
    const created = await iam(root).send(new CreateAccessKeyCommand({ UserName: name }))
    const device = await iam(root).send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${name}-phone` }),
    )
    const seed = decodeBase32(
      Buffer.from(device.VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('ascii'),
    )
    const serial = device.VirtualMFADevice?.SerialNumber ?? ''
    const step = totpStep(new Date())
    await iam(root).send(
      new EnableMFADeviceCommand({
        UserName: name,
        SerialNumber: serial,
        AuthenticationCode1: totpAtStep(seed, step - 1),
        AuthenticationCode2: totpAtStep(seed, step),
      }),
    )
    return {
      key: {
        accessKeyId: created.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
      },
      serial,
      seed,
      step,
    }
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('gets MFA session credentials with the SDK; they may call IAM where MFA is demanded', async () => {
    const alice = await userWithDevice('alice')
    await failure(iam(alice.key).send(new ListUsersCommand({})))
    // The next step's code: the devices's clock may be that far ahead.
    const code = totpAtStep(alice.seed, alice.step + 1)
    const out = await sts(alice.key).send(
      new GetSessionTokenCommand({ SerialNumber: alice.serial, TokenCode: code }),
    )
    const session: Key = {
      accessKeyId: out.Credentials?.AccessKeyId ?? '',
      secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
      sessionToken: out.Credentials?.SessionToken ?? '',
    }
    const users = await iam(session).send(new ListUsersCommand({}))
    assert.ok((users.Users ?? []).some((u) => u.UserName === 'alice'))
    const replay = await failure(
      sts(alice.key).send(
        new GetSessionTokenCommand({ SerialNumber: alice.serial, TokenCode: code }),
      ),
    )
    assert.equal(replay.name, 'AccessDenied')
    assert.equal(replay.status, 403)
  })

  it('gets MFA session credentials with the AWS CLI', { skip: noCli }, () => {
    return userWithDevice('bob').then((bob) => {
      const run = spawnSync(
        'aws',
        [
          '--endpoint-url',
          server.url,
          'sts',
          'get-session-token',
          '--serial-number',
          bob.serial,
          '--token-code',
          totpAtStep(bob.seed, bob.step + 1),
        ],
        {
          encoding: 'utf8',
          env: {
            PATH: process.env['PATH'] ?? '',
            HOME: process.env['HOME'] ?? '',
            AWS_ACCESS_KEY_ID: bob.key.accessKeyId,
            AWS_SECRET_ACCESS_KEY: bob.key.secretAccessKey,
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_PAGER: '',
          },
        },
      )
      assert.equal(run.status, 0, run.stderr)
      const credentials = (JSON.parse(run.stdout) as { Credentials: Record<string, string> })
        .Credentials
      assert.match(credentials['AccessKeyId'] ?? '', /^ASIA/)
      assert.ok((credentials['SessionToken'] ?? '').length > 0)
    })
  })
})
