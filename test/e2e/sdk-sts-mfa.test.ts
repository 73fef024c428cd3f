/**
 * MFA on STS end to end against `gatehouse serve`, with the real AWS SDK for JavaScript v3 and
 * the real AWS CLI: a user enables a virtual MFA device with codes computed from the seed it was
 * given and the real clock, then gets session credentials with a fresh code; they may call IAM
 * where a policy demands MFA, and the code is not accepted twice.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam'
import { GetSessionTokenCommand } from '@aws-sdk/client-sts'
import { decodeBase32 } from '../../src/auth/base32.js'
import { totpAtStep, totpStep } from '../../src/auth/totp.js'
import { NO_AWS_CLI } from '../support/aws-cli.js'
import { awsCliRunner } from '../support/aws-cli-runner.js'
import { iamServerForSuite } from '../support/iam-server.js'
import { createUserKey, iamClient, sessionKeyOf, stsClient } from '../support/sdk-clients.js'
import type { SdkKey } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'

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
  const gatehouse = iamServerForSuite()
  const iam = (key: SdkKey) => iamClient(gatehouse.server, key)
  const sts = (key: SdkKey) => stsClient(gatehouse.server, key)

  /** A user with a key, an MFA-only policy and a device enabled with the codes of now. */
  async function userWithDevice(
    name: string,
  ): Promise<{ key: SdkKey; serial: string; seed: Uint8Array; step: number }> {
    const key = await createUserKey(gatehouse.iam, name, MFA_ONLY, 'mfa')
    const device = await gatehouse.iam.send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${name}-phone` }),
    )
    const seed = decodeBase32(
      Buffer.from(device.VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('ascii'),
    )
    const serial = device.VirtualMFADevice?.SerialNumber ?? ''
    const step = totpStep(new Date())
    await gatehouse.iam.send(
      new EnableMFADeviceCommand({
        UserName: name,
        SerialNumber: serial,
        AuthenticationCode1: totpAtStep(seed, step - 1),
        AuthenticationCode2: totpAtStep(seed, step),
      }),
    )
    return { key, serial, seed, step }
  }

  it('gets MFA session credentials with the SDK; they may call IAM where MFA is demanded', async () => {
    const alice = await userWithDevice('alice')
    await failure(iam(alice.key).send(new ListUsersCommand({})))
    // The next step's code: the devices's clock may be that far ahead.
    const code = totpAtStep(alice.seed, alice.step + 1)
    const out = await sts(alice.key).send(
      new GetSessionTokenCommand({ SerialNumber: alice.serial, TokenCode: code }),
    )
    const session = sessionKeyOf(out.Credentials ?? {})
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

  it('gets MFA session credentials with the AWS CLI', { skip: NO_AWS_CLI }, async () => {
    const bob = await userWithDevice('bob')
    const { awsJson } = awsCliRunner(gatehouse.server.url, bob.key)
    const out = awsJson(
      'sts',
      'get-session-token',
      '--serial-number',
      bob.serial,
      '--token-code',
      totpAtStep(bob.seed, bob.step + 1),
    )
    const credentials = (out as { Credentials: Record<string, string> }).Credentials
    assert.match(credentials['AccessKeyId'] ?? '', /^ASIA/)
    assert.ok((credentials['SessionToken'] ?? '').length > 0)
  })
})
