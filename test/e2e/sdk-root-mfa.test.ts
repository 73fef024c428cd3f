/**
 * MFA for the root user end to end against `gatehouse serve`: with the real AWS SDK for
 * JavaScript v3 the root user enables two virtual devices for itself (EnableMFADevice without
 * UserName, with codes computed from the seeds and the real clock), sees AccountMFAEnabled and
 * its devices, and gets an MFA session with GetSessionToken; with the real AWS CLI it lists and
 * reads its devices, gets a session with the other device's code, and deactivates both.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetAccountSummaryCommand,
  GetMFADeviceCommand,
  IAMClient,
  ListMFADevicesCommand,
  ListUsersCommand,
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

/** A root device, and the step of the second code that enabled it. */
interface Device {
  readonly serial: string
  readonly seed: Uint8Array
  readonly step: number
}

const noCli =
  spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0
    ? false
    : 'aws is not installed here'

describe('MFA for the root user against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  const devices: Device[] = []
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
  const sts = (key: Key) =>
    new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  /** Runs the CLI as the root user; its JSON output. */
  function cli(args: readonly string[]): Record<string, unknown> {
    const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        AWS_ACCESS_KEY_ID: root.accessKeyId,
        AWS_SECRET_ACCESS_KEY: root.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
        TZ: 'UTC',
      },
    })
    assert.equal(run.status, 0, run.stderr)
    return run.stdout.trim() === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>)
  }

  async function accountMfaEnabled(): Promise<number | undefined> {
    const summary = await iam(root).send(new GetAccountSummaryCommand({}))
    return summary.SummaryMap?.['AccountMFAEnabled']
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
  })

  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('enables devices for itself with the SDK, leaving UserName out', async () => {
    assert.equal(await accountMfaEnabled(), 0)
    for (const name of ['root-account-mfa-device', 'root-backup']) {
      const created = await iam(root).send(
        new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }),
      )
      const seed = decodeBase32(
        Buffer.from(created.VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString(
          'ascii',
        ),
      )
      const serial = created.VirtualMFADevice?.SerialNumber ?? ''
      assert.equal(serial, `arn:aws:iam::${server.accountId}:mfa/${name}`)
      const step = totpStep(new Date())
      await iam(root).send(
        new EnableMFADeviceCommand({
          UserName: undefined,
          SerialNumber: serial,
          AuthenticationCode1: totpAtStep(seed, step - 1),
          AuthenticationCode2: totpAtStep(seed, step),
        }),
      )
      devices.push({ serial, seed, step })
    }
    assert.equal(await accountMfaEnabled(), 1)
    const listed = await iam(root).send(new ListMFADevicesCommand({}))
    assert.deepEqual(
      (listed.MFADevices ?? []).map((d) => [
        d.SerialNumber,
        d.UserName,
        d.EnableDate instanceof Date,
      ]),
      devices.map((d) => [d.serial, undefined, true]).sort(),
    )
    const read = await iam(root).send(new GetMFADeviceCommand({ SerialNumber: devices[0]?.serial }))
    assert.equal(read.SerialNumber, devices[0]?.serial)
    assert.ok(read.EnableDate instanceof Date, 'an enable date')
    assert.equal(read.Certifications, undefined)
  })

  it('gets an MFA session with the SDK; it may call IAM, and the code works once', async () => {
    const device = devices[0]
    assert.ok(device !== undefined, 'a device was enabled')
    const plain = await sts(root).send(new GetSessionTokenCommand({}))
    const plainKey: Key = {
      accessKeyId: plain.Credentials?.AccessKeyId ?? '',
      secretAccessKey: plain.Credentials?.SecretAccessKey ?? '',
      sessionToken: plain.Credentials?.SessionToken ?? '',
    }
    const refused = await failure(iam(plainKey).send(new ListUsersCommand({})))
    assert.equal(refused.name, 'InvalidClientTokenId')
    // The next step's code: the device's clock may be that far ahead.
    const code = totpAtStep(device.seed, device.step + 1)
    const out = await sts(root).send(
      new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: code }),
    )
    const session: Key = {
      accessKeyId: out.Credentials?.AccessKeyId ?? '',
      secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
      sessionToken: out.Credentials?.SessionToken ?? '',
    }
    await iam(session).send(new ListUsersCommand({}))
    const replay = await failure(
      sts(root).send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: code })),
    )
    assert.equal(replay.name, 'AccessDenied')
    assert.equal(replay.status, 403)
  })

  it(
    'lists, reads, uses and deactivates its devices with the AWS CLI',
    { skip: noCli },
    async () => {
      const [first, backup] = devices
      assert.ok(first !== undefined && backup !== undefined, 'two devices were enabled')
      const listed = cli(['iam', 'list-mfa-devices'])['MFADevices'] as Record<string, unknown>[]
      assert.deepEqual(
        listed.map((d) => d['SerialNumber']).sort(),
        [backup.serial, first.serial].sort(),
      )
      const read = cli(['iam', 'get-mfa-device', '--serial-number', backup.serial])
      assert.equal(read['SerialNumber'], backup.serial)
      const summary = cli(['iam', 'get-account-summary'])['SummaryMap'] as Record<string, number>
      assert.equal(summary['AccountMFAEnabled'], 1)
      const session = cli([
        'sts',
        'get-session-token',
        '--serial-number',
        backup.serial,
        '--token-code',
        totpAtStep(backup.seed, backup.step + 1),
      ])['Credentials'] as Record<string, string>
      assert.match(session['AccessKeyId'] ?? '', /^ASIA/)
      for (const device of [first, backup]) {
        cli(['iam', 'deactivate-mfa-device', '--serial-number', device.serial])
      }
      assert.equal(await accountMfaEnabled(), 0)
      assert.deepEqual(cli(['iam', 'list-mfa-devices'])['MFADevices'], [])
    },
  )
})
