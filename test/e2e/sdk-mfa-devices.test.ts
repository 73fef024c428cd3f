/**
 * End to end with the real AWS SDK for JavaScript v3 and the real AWS CLI against
 * `gatehouse serve` on 127.0.0.1: virtual MFA devices, from CreateVirtualMFADevice's seed (as
 * Base32 text and as a QR code) to EnableMFADevice with codes computed from it at the real
 * clock, the lists with their paginators, a replay refused, the device tags, and the way back
 * through DeactivateMFADevice and DeleteVirtualMFADevice. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  ListMFADeviceTagsCommand,
  ListVirtualMFADevicesCommand,
  ResyncMFADeviceCommand,
  TagMFADeviceCommand,
  UntagMFADeviceCommand,
  paginateListMFADevices,
  paginateListVirtualMFADevices,
} from '@aws-sdk/client-iam'
import type { MFADevice, VirtualMFADevice } from '@aws-sdk/client-iam'
import jsQRModule from 'jsqr'
import { PNG } from 'pngjs'
import { decodeBase32 } from '../../src/auth/base32.js'
import { totpAtStep, totpStep } from '../../src/auth/totp.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

// jsqr's types describe an ES module's default export; its CommonJS build exports the function.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

const INVALID_CODE = 'Authentication code for device is not valid.'

/** Codes of the step the real clock is in and the one before: what a person types. */
function currentCodes(seed: Uint8Array): { code1: string; code2: string; step: number } {
  const step = totpStep(new Date())
  return { code1: totpAtStep(seed, step - 1), code2: totpAtStep(seed, step), step }
}

/** The text of the QR code in a PNG image. */
function readQrCode(png: Uint8Array): string | undefined {
  const image = PNG.sync.read(Buffer.from(png))
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data
}

describe('virtual MFA devices against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let arn: string
  let files: string
  // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    arn = `arn:aws:iam::${server.accountId}`
    files = mkdtempSync(join(tmpdir(), 'gatehouse-mfa-'))
    for (const name of ['sdk-user', 'cli-user']) {
      await iam(root).send(new CreateUserCommand({ UserName: name }))
    }
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
    rmSync(files, { recursive: true, force: true })
  })

  it('creates, enables, lists, resyncs, deactivates and deletes a device with the SDK', async () => {
    const created = await iam(root).send(
      new CreateVirtualMFADeviceCommand({
        VirtualMFADeviceName: 'sdk-phone',
        Path: '/sdk/',
        Tags: [{ Key: 'Owner', Value: 'sdk-user' }],
      }),
    )
    const device = created.VirtualMFADevice
    assert.equal(device?.SerialNumber, `${arn}:mfa/sdk/sdk-phone`)
    // The SDK decodes the blobs from base64: the seed's Base32 text and the PNG's bytes.
    const base32 = Buffer.from(device?.Base32StringSeed ?? new Uint8Array()).toString('ascii')
    assert.match(base32, /^[A-Z2-7]{64}$/)
    assert.equal(
      readQrCode(device?.QRCodePNG ?? new Uint8Array()),
      `otpauth://totp/Gatehouse:sdk-phone@${server.accountId}?secret=${base32}&issuer=Gatehouse`,
    )
    const serial = device?.SerialNumber ?? ''
    const seed = decodeBase32(base32)

    const { code1, code2, step } = currentCodes(seed)
    await iam(root).send(
      new EnableMFADeviceCommand({
        UserName: 'sdk-user',
        SerialNumber: serial,
        AuthenticationCode1: code1,
        AuthenticationCode2: code2,
      }),
    )
    const mine: MFADevice[] = []
    for await (const page of paginateListMFADevices(
      { client: iam(root), pageSize: 1 },
      { UserName: 'sdk-user' },
    )) {
      mine.push(...(page.MFADevices ?? []))
    }
    assert.equal(mine.length, 1)
    assert.equal(mine[0]?.UserName, 'sdk-user')
    assert.equal(mine[0]?.SerialNumber, serial)
    assert.ok(mine[0]?.EnableDate instanceof Date)

    const assigned: VirtualMFADevice[] = []
    for await (const page of paginateListVirtualMFADevices(
      { client: iam(root), pageSize: 1 },
      { AssignmentStatus: 'Assigned' },
    )) {
      assigned.push(...(page.VirtualMFADevices ?? []))
    }
    assert.deepEqual(
      assigned.map((d) => [d.SerialNumber, d.User?.UserName, d.Base32StringSeed, d.QRCodePNG]),
      [[serial, 'sdk-user', undefined, undefined]],
    )

    const replay = await failure(
      iam(root).send(
        new ResyncMFADeviceCommand({
          UserName: 'sdk-user',
          SerialNumber: serial,
          AuthenticationCode1: code1,
          AuthenticationCode2: code2,
        }),
      ),
    )
    assert.deepEqual(replay, {
      name: 'InvalidAuthenticationCodeException',
      message: INVALID_CODE,
      status: 403,
    })
    // The device's next two codes resync it (a second early, as a fast device would show them).
    await iam(root).send(
      new ResyncMFADeviceCommand({
        UserName: 'sdk-user',
        SerialNumber: serial,
        AuthenticationCode1: totpAtStep(seed, step + 1),
        AuthenticationCode2: totpAtStep(seed, step + 2),
      }),
    )

    const inUse = await failure(
      iam(root).send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })),
    )
    assert.deepEqual(inUse, {
      name: 'DeleteConflictException',
      message: 'MFA VirtualDevice in use. Must deactivate first.',
      status: 409,
    })
    await iam(root).send(
      new DeactivateMFADeviceCommand({ UserName: 'sdk-user', SerialNumber: serial }),
    )
    await iam(root).send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }))
    const gone = await failure(
      iam(root).send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })),
    )
    assert.deepEqual(gone, {
      name: 'NoSuchEntityException',
      message: `VirtualMFADevice with serial number ${serial} doesn't exist.`,
      status: 404,
    })
  })

  it('refuses wrong codes and a second device of the same name', async () => {
    const created = await iam(root).send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'sdk-wrong' }),
    )
    const serial = created.VirtualMFADevice?.SerialNumber ?? ''
    const wrong = await failure(
      iam(root).send(
        new EnableMFADeviceCommand({
          UserName: 'sdk-user',
          SerialNumber: serial,
          AuthenticationCode1: '123456',
          AuthenticationCode2: '654321',
        }),
      ),
    )
    assert.deepEqual(wrong, {
      name: 'InvalidAuthenticationCodeException',
      message: INVALID_CODE,
      status: 403,
    })
    const twice = await failure(
      iam(root).send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'SDK-WRONG' })),
    )
    assert.deepEqual(twice, {
      name: 'EntityAlreadyExistsException',
      message: 'MFADevice entity at the same path and name already exists.',
      status: 409,
    })
  })

  it('tags a device and lists its tags', async () => {
    const created = await iam(root).send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'sdk-tagged' }),
    )
    const serial = created.VirtualMFADevice?.SerialNumber ?? ''
    await iam(root).send(
      new TagMFADeviceCommand({
        SerialNumber: serial,
        Tags: [
          { Key: 'team', Value: 'blue' },
          { Key: 'Team', Value: 'red' },
        ],
      }),
    )
    await iam(root).send(new UntagMFADeviceCommand({ SerialNumber: serial, TagKeys: ['team'] }))
    const tags = await iam(root).send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))
    assert.deepEqual(tags.Tags, [{ Key: 'Team', Value: 'red' }])
    assert.equal(tags.IsTruncated, false)
    const unassigned = await iam(root).send(
      new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }),
    )
    assert.ok(unassigned.VirtualMFADevices?.some((d) => d.SerialNumber === serial))
  })

  it(
    'runs the AWS CLI flow: seed to a file, enable, list, replay refused',
    { skip: NO_AWS_CLI },
    () => {
      function aws(...args: string[]): { status: number | null; out: string; err: string } {
        const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
          env: awsCliEnv(root),
          encoding: 'utf8',
          timeout: 60_000,
        })
        return { status: run.status, out: run.stdout, err: run.stderr }
      }
      function awsJson(...args: string[]): Record<string, unknown> {
        const run = aws(...args)
        assert.equal(run.status, 0, `aws ${args.join(' ')}: ${run.err}`)
        return run.out.trim() === '' ? {} : (JSON.parse(run.out) as Record<string, unknown>)
      }

      const seedFile = join(files, 'seed.txt')
      const created = awsJson(
        'iam',
        'create-virtual-mfa-device',
        '--virtual-mfa-device-name',
        'cli-phone',
        '--outfile',
        seedFile,
        '--bootstrap-method',
        'Base32StringSeed',
      )
      const serial = `${arn}:mfa/cli-phone`
      assert.deepEqual(created, { VirtualMFADevice: { SerialNumber: serial } })
      const base32 = readFileSync(seedFile, 'ascii')
      assert.match(base32, /^[A-Z2-7]{64}$/)
      const seed = decodeBase32(base32)

      const { code1, code2 } = currentCodes(seed)
      const enable = [
        'iam',
        'enable-mfa-device',
        '--user-name',
        'cli-user',
        '--serial-number',
        serial,
        '--authentication-code1',
        code1,
        '--authentication-code2',
        code2,
      ]
      awsJson(...enable)
      const listed = awsJson('iam', 'list-mfa-devices', '--user-name', 'cli-user')
      const devices = listed['MFADevices'] as Record<string, string>[]
      assert.equal(devices.length, 1)
      assert.equal(devices[0]?.['SerialNumber'], serial)
      assert.equal(devices[0]?.['UserName'], 'cli-user')

      const virtual = awsJson('iam', 'list-virtual-mfa-devices', '--assignment-status', 'Assigned')
      const assigned = virtual['VirtualMFADevices'] as Record<string, unknown>[]
      assert.deepEqual(
        assigned.map((d) => d['SerialNumber']),
        [serial],
      )
      assert.equal((assigned[0]?.['User'] as Record<string, string>)['UserName'], 'cli-user')

      awsJson('iam', 'deactivate-mfa-device', '--user-name', 'cli-user', '--serial-number', serial)
      const replay = aws(...enable)
      assert.notEqual(replay.status, 0)
      assert.equal(
        replay.err.trim(),
        `An error occurred (InvalidAuthenticationCode) when calling the EnableMFADevice operation: ${INVALID_CODE}`,
      )
      awsJson('iam', 'delete-virtual-mfa-device', '--serial-number', serial)

      // The other bootstrap method: the QR code's PNG, whose URI carries the seed.
      const pngFile = join(files, 'qr.png')
      awsJson(
        'iam',
        'create-virtual-mfa-device',
        '--virtual-mfa-device-name',
        'cli-qr',
        '--outfile',
        pngFile,
        '--bootstrap-method',
        'QRCodePNG',
      )
      const uri = readQrCode(readFileSync(pngFile)) ?? ''
      const secret = /[?&]secret=([A-Z2-7]+)/.exec(uri)?.[1] ?? ''
      const scanned = currentCodes(decodeBase32(secret))
      awsJson(
        'iam',
        'enable-mfa-device',
        '--user-name',
        'cli-user',
        '--serial-number',
        `${arn}:mfa/cli-qr`,
        '--authentication-code1',
        scanned.code1,
        '--authentication-code2',
        scanned.code2,
      )
    },
  )
})
