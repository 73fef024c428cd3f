/**
 * Virtual MFA devices in process: CreateVirtualMFADevice (its seed and QR code), EnableMFADevice,
 * ResyncMFADevice, DeactivateMFADevice, DeleteVirtualMFADevice, ListMFADevices,
 * ListVirtualMFADevices and the device tags, with codes the test computes from the returned seed
 * at the harness's fixed clock; replays refused; every error's code, status and message; the
 * resources and condition keys they are authorized on; the seed kept out of the database and the
 * trail.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import jsQRModule from 'jsqr'
import { PNG } from 'pngjs'
import { decodeBase32, encodeBase32 } from '../../src/auth/base32.js'
import { totpAtStep, totpStep } from '../../src/auth/totp.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { epoch } from '../auth/sigv4-signer.js'
import {
  ACCOUNT_ID,
  NOW,
  createUserWithKey,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'

// jsqr's types describe an ES module's default export; its CommonJS build exports the function.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default

const ARN = `arn:aws:iam::${ACCOUNT_ID}`
/** The time step of the harness's clock. */
const STEP = totpStep(new Date(epoch(NOW)))
const INVALID_CODE = 'Authentication code for device is not valid.'

/** A device as CreateVirtualMFADevice returned it. */
interface Created {
  readonly serialNumber: string
  readonly base32: string
  readonly seed: Uint8Array
  readonly png: Buffer
}

function created(r: Reply): Created {
  assert.equal(r.status, 200, r.body)
  const at = 'CreateVirtualMFADeviceResult/VirtualMFADevice'
  const base32 = Buffer.from(xmlText(r.xml, `${at}/Base32StringSeed`) ?? '', 'base64').toString(
    'ascii',
  )
  return {
    serialNumber: xmlText(r.xml, `${at}/SerialNumber`) ?? '',
    base32,
    seed: decodeBase32(base32),
    png: Buffer.from(xmlText(r.xml, `${at}/QRCodePNG`) ?? '', 'base64'),
  }
}

async function createDevice(
  g: InProcess,
  name: string,
  params: Record<string, string> = {},
  key?: Credentials,
): Promise<Created> {
  return created(
    await g.call(
      'CreateVirtualMFADevice',
      { VirtualMFADeviceName: name, ...params },
      key === undefined ? {} : { key },
    ),
  )
}

/** The codes of steps s-1 and s, as AuthenticationCode1 and AuthenticationCode2. */
function codes(device: Created, s: number): Record<string, string> {
  return {
    AuthenticationCode1: totpAtStep(device.seed, s - 1),
    AuthenticationCode2: totpAtStep(device.seed, s),
  }
}

async function enable(
  g: InProcess,
  userName: string,
  device: Created,
  s: number = STEP,
  key?: Credentials,
): Promise<Reply> {
  return g.call(
    'EnableMFADevice',
    { UserName: userName, SerialNumber: device.serialNumber, ...codes(device, s) },
    key === undefined ? {} : { key },
  )
}

function ok(r: Reply): void {
  assert.equal(r.status, 200, r.body)
}

function fails(r: Reply, status: number, code: string, message: string): void {
  assert.equal(r.status, status, r.body)
  assert.deepEqual(r.error, { code, message })
}

function denial(callerArn: string, action: string, resource: string): string {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
}

function notFound(serialNumber: string): string {
  return `VirtualMFADevice with serial number ${serialNumber} doesn't exist.`
}

describe('IAM virtual MFA devices', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    for (const name of ['alice', 'bob']) ok(await g.call('CreateUser', { UserName: name }))
  })
  after(() => g.close())

  it('creates a device with a Base32 seed and a QR code of its otpauth URI', async () => {
    const device = await createDevice(g, 'AliceMFA', { Path: '/staff/' })
    assert.equal(device.serialNumber, `${ARN}:mfa/staff/AliceMFA`)
    assert.match(device.base32, /^[A-Z2-7]{64}$/)
    assert.equal(device.seed.length, 40)
    assert.equal(encodeBase32(device.seed), device.base32)
    assert.deepEqual([...device.png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10])
    const image = PNG.sync.read(device.png)
    const qr = jsQR(new Uint8ClampedArray(image.data), image.width, image.height)
    assert.equal(
      qr?.data,
      `otpauth://totp/Gatehouse:AliceMFA@${ACCOUNT_ID}?secret=${device.base32}&issuer=Gatehouse`,
    )
    const other = await createDevice(g, 'OtherMFA')
    assert.equal(other.serialNumber, `${ARN}:mfa/OtherMFA`)
    assert.notEqual(other.base32, device.base32)
  })

  it('runs the lifecycle: enable, list, resync, deactivate, delete', async () => {
    const device = await createDevice(g, 'Lifecycle')
    const unassigned = await g.call('ListVirtualMFADevices', { AssignmentStatus: 'Unassigned' })
    const unassignedSerials = xmlAll(
      unassigned.xml,
      'ListVirtualMFADevicesResult/VirtualMFADevices/member',
    ).map((m) => xmlText(m, 'SerialNumber'))
    assert.ok(unassignedSerials.includes(device.serialNumber))
    // No seed ever appears again.
    assert.ok(!unassigned.body.includes('Base32StringSeed'))
    assert.ok(!unassigned.body.includes('QRCodePNG'))

    ok(await enable(g, 'alice', device))
    const mine = await g.call('ListMFADevices', { UserName: 'alice' })
    ok(mine)
    const members = xmlAll(mine.xml, 'ListMFADevicesResult/MFADevices/member')
    assert.equal(members.length, 1)
    assert.equal(xmlText(members[0]!, 'UserName'), 'alice')
    assert.equal(xmlText(members[0]!, 'SerialNumber'), device.serialNumber)
    assert.match(xmlText(members[0]!, 'EnableDate') ?? '', /^\d{4}-\d{2}-\d{2}T/)
    assert.equal(xmlText(mine.xml, 'ListMFADevicesResult/IsTruncated'), 'false')

    const assigned = await g.call('ListVirtualMFADevices', { AssignmentStatus: 'Assigned' })
    const listed = xmlAll(assigned.xml, 'ListVirtualMFADevicesResult/VirtualMFADevices/member')
    assert.deepEqual(
      listed.map((m) => xmlText(m, 'SerialNumber')),
      [device.serialNumber],
    )
    assert.equal(xmlText(listed[0]!, 'User/UserName'), 'alice')
    assert.equal(xmlText(listed[0]!, 'User/Arn'), `${ARN}:user/alice`)
    assert.match(xmlText(listed[0]!, 'User/UserId') ?? '', /^AIDA/)
    assert.equal(xmlText(listed[0]!, 'User/Tags'), undefined)
    assert.ok(xmlText(listed[0]!, 'EnableDate') !== undefined)
    assert.ok(!assigned.body.includes(device.base32))

    // The codes just used are spent, for a resync as for an enable.
    fails(
      await g.call('ResyncMFADevice', {
        UserName: 'alice',
        SerialNumber: device.serialNumber,
        ...codes(device, STEP),
      }),
      403,
      'InvalidAuthenticationCode',
      INVALID_CODE,
    )
    ok(
      await g.call('ResyncMFADevice', {
        UserName: 'alice',
        SerialNumber: device.serialNumber,
        ...codes(device, STEP + 2),
      }),
    )

    fails(
      await g.call('DeleteVirtualMFADevice', { SerialNumber: device.serialNumber }),
      409,
      'DeleteConflict',
      'MFA VirtualDevice in use. Must deactivate first.',
    )
    ok(
      await g.call('DeactivateMFADevice', { UserName: 'alice', SerialNumber: device.serialNumber }),
    )
    const none = await g.call('ListMFADevices', { UserName: 'alice' })
    assert.equal(xmlAll(none.xml, 'ListMFADevicesResult/MFADevices/member').length, 0)
    assert.ok(
      none.body.includes('<MFADevices/>') || none.body.includes('<MFADevices></MFADevices>'),
    )

    ok(await g.call('DeleteVirtualMFADevice', { SerialNumber: device.serialNumber }))
    fails(
      await g.call('DeleteVirtualMFADevice', { SerialNumber: device.serialNumber }),
      404,
      'NoSuchEntity',
      notFound(device.serialNumber),
    )
  })

  it('never accepts a code twice, not even after the device is deactivated', async () => {
    const device = await createDevice(g, 'Replay')
    ok(await enable(g, 'bob', device, STEP))
    ok(await g.call('DeactivateMFADevice', { UserName: 'bob', SerialNumber: device.serialNumber }))
    for (const s of [STEP, STEP + 1, STEP - 3]) {
      fails(await enable(g, 'bob', device, s), 403, 'InvalidAuthenticationCode', INVALID_CODE)
    }
    ok(await enable(g, 'bob', device, STEP + 2))
    ok(await g.call('DeactivateMFADevice', { UserName: 'bob', SerialNumber: device.serialNumber }))
    ok(await g.call('DeleteVirtualMFADevice', { SerialNumber: device.serialNumber }))
  })

  it('accepts codes up to ten steps either side of its clock, and no further', async () => {
    for (const [name, s, accepted] of [
      ['Behind', STEP - 10, true],
      ['Ahead', STEP + 10, true],
      ['TooOld', STEP - 11, false],
      ['TooNew', STEP + 11, false],
    ] as const) {
      const device = await createDevice(g, `Window${name}`)
      const r = await enable(g, 'bob', device, s)
      if (accepted) {
        ok(r)
        ok(
          await g.call('DeactivateMFADevice', {
            UserName: 'bob',
            SerialNumber: device.serialNumber,
          }),
        )
      } else {
        fails(r, 403, 'InvalidAuthenticationCode', INVALID_CODE)
      }
    }
  })

  it('refuses codes that are wrong, swapped, repeated or not consecutive', async () => {
    const device = await createDevice(g, 'BadCodes')
    const [c1, c2] = [totpAtStep(device.seed, STEP - 1), totpAtStep(device.seed, STEP)]
    const wrong = c1 === '000000' ? '000001' : '000000'
    for (const [code1, code2] of [
      [wrong, c2],
      [c1, wrong],
      [c2, c1],
      [c2, c2],
      [totpAtStep(device.seed, STEP - 2), c2],
    ]) {
      fails(
        await g.call('EnableMFADevice', {
          UserName: 'alice',
          SerialNumber: device.serialNumber,
          AuthenticationCode1: code1 ?? '',
          AuthenticationCode2: code2 ?? '',
        }),
        403,
        'InvalidAuthenticationCode',
        INVALID_CODE,
      )
    }
    const malformed = await g.call('EnableMFADevice', {
      UserName: 'alice',
      SerialNumber: device.serialNumber,
      AuthenticationCode1: '12345',
      AuthenticationCode2: c2,
    })
    // The code is a credential: the message does not repeat it.
    fails(
      malformed,
      400,
      'ValidationError',
      "1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'authenticationCode1' failed to satisfy constraint: Member must have length greater than or equal to 6",
    )
    ok(await g.call('DeleteVirtualMFADevice', { SerialNumber: device.serialNumber }))
  })

  it('answers every other refusal with its AWS error', async () => {
    const device = await createDevice(g, 'Errors')
    fails(
      await g.call('CreateVirtualMFADevice', { VirtualMFADeviceName: 'errors' }),
      409,
      'EntityAlreadyExists',
      'MFADevice entity at the same path and name already exists.',
    )
    ok(await g.call('CreateVirtualMFADevice', { VirtualMFADeviceName: 'errors', Path: '/else/' }))
    fails(
      await g.call('CreateVirtualMFADevice', { VirtualMFADeviceName: 'no spaces' }),
      400,
      'ValidationError',
      "1 validation error detected: Value 'no spaces' at 'virtualMFADeviceName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    )
    fails(
      await g.call('EnableMFADevice', {
        UserName: 'ghost',
        SerialNumber: device.serialNumber,
        ...codes(device, STEP),
      }),
      404,
      'NoSuchEntity',
      'The user with name ghost cannot be found.',
    )
    const missing = `${ARN}:mfa/Missing`
    fails(
      await g.call('EnableMFADevice', {
        UserName: 'alice',
        SerialNumber: missing,
        ...codes(device, STEP),
      }),
      404,
      'NoSuchEntity',
      notFound(missing),
    )
    const elsewhere = 'arn:aws:iam::999988887777:mfa/Errors'
    fails(
      await g.call('DeleteVirtualMFADevice', { SerialNumber: elsewhere }),
      404,
      'NoSuchEntity',
      notFound(elsewhere),
    )
    fails(
      await g.call('DeleteVirtualMFADevice', { SerialNumber: 'GAHT12345678' }),
      404,
      'NoSuchEntity',
      notFound('GAHT12345678'),
    )
    ok(await enable(g, 'alice', device, STEP))
    for (const userName of ['alice', 'bob']) {
      fails(
        await enable(g, userName, device, STEP + 4),
        409,
        'EntityAlreadyExists',
        'MFA Device is already in use.',
      )
    }
    for (const action of ['DeactivateMFADevice', 'ResyncMFADevice']) {
      fails(
        await g.call(action, {
          UserName: 'bob',
          SerialNumber: device.serialNumber,
          ...(action === 'ResyncMFADevice' ? codes(device, STEP + 4) : {}),
        }),
        404,
        'NoSuchEntity',
        'MFA Device invalid for user.',
      )
    }
    fails(
      await g.call('DeactivateMFADevice', { UserName: 'alice', SerialNumber: missing }),
      404,
      'NoSuchEntity',
      notFound(missing),
    )
    fails(
      await g.call('ListMFADevices', { UserName: 'ghost' }),
      404,
      'NoSuchEntity',
      'The user with name ghost cannot be found.',
    )
    fails(
      await g.call('ListVirtualMFADevices', { AssignmentStatus: 'Some' }),
      400,
      'ValidationError',
      "1 validation error detected: Value 'Some' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]",
    )
    ok(
      await g.call('DeactivateMFADevice', { UserName: 'alice', SerialNumber: device.serialNumber }),
    )
  })

  it('allows a user 8 devices in use', async () => {
    ok(await g.call('CreateUser', { UserName: 'collector' }))
    const devices: Created[] = []
    for (let i = 0; i < 9; i++) devices.push(await createDevice(g, `Collected${i}`))
    for (const device of devices.slice(0, 8)) ok(await enable(g, 'collector', device))
    fails(
      await enable(g, 'collector', devices[8]!),
      409,
      'LimitExceeded',
      'Cannot exceed quota for MFADevicesPerUser: 8',
    )
    const listed = await g.call('ListMFADevices', { UserName: 'collector', MaxItems: '5' })
    assert.equal(xmlAll(listed.xml, 'ListMFADevicesResult/MFADevices/member').length, 5)
    assert.equal(xmlText(listed.xml, 'ListMFADevicesResult/IsTruncated'), 'true')
    const rest = await g.call('ListMFADevices', {
      UserName: 'collector',
      Marker: xmlText(listed.xml, 'ListMFADevicesResult/Marker') ?? '',
    })
    assert.equal(xmlAll(rest.xml, 'ListMFADevicesResult/MFADevices/member').length, 3)
  })

  it('refuses to delete a user with a device', async () => {
    ok(await g.call('CreateUser', { UserName: 'keeper' }))
    const device = await createDevice(g, 'Kept')
    ok(await enable(g, 'keeper', device))
    const refused = await g.call('DeleteUser', { UserName: 'keeper' })
    assert.notEqual(refused.status, 200, refused.body)
    ok(await g.call('GetUser', { UserName: 'keeper' }))
    ok(
      await g.call('DeactivateMFADevice', {
        UserName: 'keeper',
        SerialNumber: device.serialNumber,
      }),
    )
    ok(await g.call('DeleteUser', { UserName: 'keeper' }))
  })

  it('refuses to delete a user with a device with DeleteConflict', async () => {
    ok(await g.call('CreateUser', { UserName: 'keeper2' }))
    const device = await createDevice(g, 'Kept2')
    ok(await enable(g, 'keeper2', device))
    fails(
      await g.call('DeleteUser', { UserName: 'keeper2' }),
      409,
      'DeleteConflict',
      'Cannot delete entity, must deactivate MFA devices first.',
    )
  })

  it('tags a device, with keys compared with case', async () => {
    const device = await createDevice(g, 'Tagged', {
      'Tags.member.1.Key': 'Team',
      'Tags.member.1.Value': 'blue',
    })
    ok(
      await g.call('TagMFADevice', {
        SerialNumber: device.serialNumber,
        'Tags.member.1.Key': 'team',
        'Tags.member.1.Value': 'red',
      }),
    )
    const listed = await g.call('ListMFADeviceTags', { SerialNumber: device.serialNumber })
    assert.deepEqual(
      xmlAll(listed.xml, 'ListMFADeviceTagsResult/Tags/member').map((m) => [
        xmlText(m, 'Key'),
        xmlText(m, 'Value'),
      ]),
      [
        ['Team', 'blue'],
        ['team', 'red'],
      ],
    )
    ok(
      await g.call('UntagMFADevice', {
        SerialNumber: device.serialNumber,
        'TagKeys.member.1': 'Team',
      }),
    )
    const after = await g.call('ListMFADeviceTags', { SerialNumber: device.serialNumber })
    assert.equal(xmlAll(after.xml, 'ListMFADeviceTagsResult/Tags/member').length, 1)
    fails(
      await g.call('TagMFADevice', {
        SerialNumber: device.serialNumber,
        'Tags.member.1.Key': 'aws:owner',
        'Tags.member.1.Value': 'x',
      }),
      400,
      'InvalidInput',
      "Tag keys cannot start with the reserved prefix 'aws:'.",
    )
    const missing = `${ARN}:mfa/NoTags`
    fails(
      await g.call('ListMFADeviceTags', { SerialNumber: missing }),
      404,
      'NoSuchEntity',
      notFound(missing),
    )
  })

  it('keeps the seed out of the database and the trail', async () => {
    const device = await createDevice(g, 'Secret')
    ok(await enable(g, 'alice', device, STEP + 6))
    assert.ok(g.store instanceof SqliteStore)
    const raw = Buffer.from(g.store.database.serialize())
    assert.ok(raw.includes(Buffer.from('Secret')), 'the raw content is the database')
    const seed = Buffer.from(device.seed)
    for (const form of [
      seed.subarray(0, 20),
      Buffer.from(device.base32.slice(0, 32)),
      Buffer.from(seed.toString('base64').slice(0, 24)),
      Buffer.from(seed.toString('hex').slice(0, 40)),
    ]) {
      assert.ok(!raw.includes(form), 'a seed in the database')
    }
    const sealed = g.store.database
      .prepare("SELECT seed_sealed FROM virtual_mfa_devices WHERE name = 'Secret'")
      .get() as { seed_sealed: Uint8Array }
    assert.ok(!Buffer.from(sealed.seed_sealed).includes(seed.subarray(0, 8)))

    const events = await g.trail.readTrailEvents(0, 10_000)
    const records = events
      .filter((e) => ['CreateVirtualMFADevice', 'EnableMFADevice'].includes(e.eventName))
      .map((e) => e.record)
    assert.ok(records.length >= 2)
    const pngBase64 = device.png.toString('base64')
    const enableCodes = Object.values(codes(device, STEP + 6))
    for (const record of records) {
      assert.ok(!record.includes(device.base32), record)
      assert.ok(!record.includes(Buffer.from(device.base32).toString('base64')), record)
      assert.ok(!record.includes(pngBase64.slice(0, 40)), record)
    }
    const enabled = records.find(
      (r) => r.includes('"eventName":"EnableMFADevice"') && r.includes(device.serialNumber),
    )
    assert.ok(enabled !== undefined)
    for (const code of enableCodes) assert.ok(!enabled.includes(`"${code}"`), enabled)
    const createRecord = JSON.parse(
      records.find((r) => r.includes('"virtualMFADeviceName":"Secret"')) ?? '{}',
    ) as { responseElements?: { virtualMFADevice?: Record<string, unknown> } }
    assert.deepEqual(createRecord.responseElements?.virtualMFADevice, {
      serialNumber: device.serialNumber,
    })
    ok(
      await g.call('DeactivateMFADevice', { UserName: 'alice', SerialNumber: device.serialNumber }),
    )
  })
})

describe('IAM virtual MFA devices: authorization', () => {
  let g: InProcess
  let self: Credentials
  const selfArn = `${ARN}:user/self`

  before(async () => {
    g = await startInProcess()
    self = await createUserWithKey(g, 'self')
    ok(await g.call('CreateUser', { UserName: 'other' }))
  })
  after(() => g.close())

  it('refuses a user without a policy, naming the device or the user', async () => {
    const r = await g.call(
      'CreateVirtualMFADevice',
      { VirtualMFADeviceName: 'self' },
      { key: self },
    )
    fails(r, 403, 'AccessDenied', denial(selfArn, 'iam:CreateVirtualMFADevice', `${ARN}:mfa/self`))
    const list = await g.call('ListVirtualMFADevices', {}, { key: self })
    // An action without a resource type is denied without naming one.
    fails(
      list,
      403,
      'AccessDenied',
      `User: ${selfArn} is not authorized to perform: iam:ListVirtualMFADevices because no identity-based policy allows the iam:ListVirtualMFADevices action`,
    )
    const mine = await g.call('ListMFADevices', {}, { key: self })
    fails(mine, 403, 'AccessDenied', denial(selfArn, 'iam:ListMFADevices', selfArn))
  })

  it("lets a user manage its own device with AWS's self-service policy, and no one else's", async () => {
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'self',
        PolicyName: 'OwnMFA',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'],
              Resource: `${ARN}:mfa/\${aws:username}`,
            },
            {
              Effect: 'Allow',
              Action: [
                'iam:EnableMFADevice',
                'iam:DeactivateMFADevice',
                'iam:ResyncMFADevice',
                'iam:ListMFADevices',
              ],
              Resource: `${ARN}:user/\${aws:username}`,
            },
          ],
        }),
      }),
    )
    const device = await createDevice(g, 'self', {}, self)
    const foreign = await g.call(
      'CreateVirtualMFADevice',
      { VirtualMFADeviceName: 'other' },
      { key: self },
    )
    fails(
      foreign,
      403,
      'AccessDenied',
      denial(selfArn, 'iam:CreateVirtualMFADevice', `${ARN}:mfa/other`),
    )
    fails(
      await enable(g, 'other', device, STEP, self),
      403,
      'AccessDenied',
      denial(selfArn, 'iam:EnableMFADevice', `${ARN}:user/other`),
    )
    ok(await enable(g, 'self', device, STEP, self))
    const mine = await g.call('ListMFADevices', {}, { key: self })
    ok(mine)
    assert.equal(
      xmlText(mine.xml, 'ListMFADevicesResult/MFADevices/member/SerialNumber'),
      device.serialNumber,
    )
    ok(await g.call('DeactivateMFADevice', { SerialNumber: device.serialNumber }, { key: self }))
    ok(await g.call('DeleteVirtualMFADevice', { SerialNumber: device.serialNumber }, { key: self }))
  })

  it("puts a device's tags in the request context as aws:ResourceTag", async () => {
    const device = await createDevice(g, 'Guarded', {
      'Tags.member.1.Key': 'protected',
      'Tags.member.1.Value': 'true',
    })
    const plain = await createDevice(g, 'Unguarded')
    const admin = await createUserWithKey(g, 'admin')
    const adminArn = `${ARN}:user/admin`
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'admin',
        PolicyName: 'DevicesUnlessProtected',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:*MFADevice*', Resource: '*' },
            {
              Effect: 'Deny',
              Action: ['iam:DeleteVirtualMFADevice', 'iam:UntagMFADevice'],
              Resource: '*',
              Condition: { StringEquals: { 'aws:ResourceTag/protected': 'true' } },
            },
            {
              Effect: 'Deny',
              Action: 'iam:TagMFADevice',
              Resource: '*',
              Condition: { StringEquals: { 'aws:RequestTag/protected': 'false' } },
            },
          ],
        }),
      }),
    )
    const explicit = (action: string, resource: string): string =>
      `User: ${adminArn} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`
    fails(
      await g.call('DeleteVirtualMFADevice', { SerialNumber: device.serialNumber }, { key: admin }),
      403,
      'AccessDenied',
      explicit('iam:DeleteVirtualMFADevice', device.serialNumber),
    )
    fails(
      await g.call(
        'UntagMFADevice',
        { SerialNumber: device.serialNumber, 'TagKeys.member.1': 'protected' },
        { key: admin },
      ),
      403,
      'AccessDenied',
      explicit('iam:UntagMFADevice', device.serialNumber),
    )
    fails(
      await g.call(
        'TagMFADevice',
        {
          SerialNumber: device.serialNumber,
          'Tags.member.1.Key': 'protected',
          'Tags.member.1.Value': 'false',
        },
        { key: admin },
      ),
      403,
      'AccessDenied',
      explicit('iam:TagMFADevice', device.serialNumber),
    )
    ok(await g.call('DeleteVirtualMFADevice', { SerialNumber: plain.serialNumber }, { key: admin }))
    ok(await g.call('DeleteVirtualMFADevice', { SerialNumber: device.serialNumber }))
  })
})

describe('IAM virtual MFA devices: GetAccountSummary and the credential report', () => {
  it('counts devices and those in use, and marks the user with one mfa_active', async () => {
    const g = await startInProcess()
    try {
      const summary = async (): Promise<Record<string, string | undefined>> => {
        const r = await g.call('GetAccountSummary')
        return Object.fromEntries(
          xmlAll(r.xml, 'GetAccountSummaryResult/SummaryMap/entry').map((e) => [
            xmlText(e, 'key') ?? '',
            xmlText(e, 'value'),
          ]),
        )
      }
      ok(await g.call('CreateUser', { UserName: 'mia' }))
      const first = await createDevice(g, 'First')
      await createDevice(g, 'Second')
      ok(await enable(g, 'mia', first))
      const counts = await summary()
      assert.equal(counts['MFADevices'], '2')
      assert.equal(counts['MFADevicesInUse'], '1')
      ok(await g.call('GenerateCredentialReport'))
      const report = await g.call('GetCredentialReport')
      const csv = Buffer.from(
        xmlText(report.xml, 'GetCredentialReportResult/Content') ?? '',
        'base64',
      )
        .toString('utf8')
        .split('\n')
      const mia = csv.find((line) => line.startsWith('mia,'))?.split(',')
      assert.equal(mia?.[7], 'true', 'mfa_active')
    } finally {
      await g.close()
    }
  })
})

describe('IAM GetMFADevice', () => {
  let g: InProcess
  let device: Created
  let loose: Created
  let alice: Credentials
  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    ok(await g.call('CreateUser', { UserName: 'bob' }))
    device = await createDevice(g, 'AlicePhone', { Path: '/staff/' })
    loose = await createDevice(g, 'Loose')
    ok(await enable(g, 'alice', device))
  })
  after(() => g.close())

  it("returns a user's device: its user, serial number and enable date, no certifications", async () => {
    const r = await g.call('GetMFADevice', { UserName: 'ALICE', SerialNumber: device.serialNumber })
    ok(r)
    assert.equal(xmlText(r.xml, 'GetMFADeviceResult/UserName'), 'alice')
    assert.equal(xmlText(r.xml, 'GetMFADeviceResult/SerialNumber'), device.serialNumber)
    assert.match(xmlText(r.xml, 'GetMFADeviceResult/EnableDate') ?? '', /^\d{4}-\d{2}-\d{2}T/)
    assert.equal(xmlText(r.xml, 'GetMFADeviceResult/Certifications'), undefined)
    assert.ok(!r.body.includes(device.base32), 'no seed')
  })

  it('answers NoSuchEntity for a device that is not the user’s, or no device', async () => {
    for (const [userName, serialNumber, message] of [
      ['bob', device.serialNumber, 'MFA Device invalid for user.'],
      ['alice', loose.serialNumber, 'MFA Device invalid for user.'],
      ['alice', `${ARN}:mfa/Nothing`, notFound(`${ARN}:mfa/Nothing`)],
      ['alice', 'GAHT12345678', notFound('GAHT12345678')],
    ] as const) {
      fails(
        await g.call('GetMFADevice', { UserName: userName, SerialNumber: serialNumber }),
        404,
        'NoSuchEntity',
        message,
      )
    }
    const ghost = await g.call('GetMFADevice', {
      UserName: 'ghost',
      SerialNumber: device.serialNumber,
    })
    assert.equal(ghost.status, 404, ghost.body)
    assert.equal(ghost.error?.code, 'NoSuchEntity')
  })

  it("is authorized on the user's ARN, and without UserName reads the caller's own", async () => {
    fails(
      await g.call('GetMFADevice', { SerialNumber: device.serialNumber }, { key: alice }),
      403,
      'AccessDenied',
      denial(`${ARN}:user/alice`, 'iam:GetMFADevice', `${ARN}:user/alice`),
    )
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'alice',
        PolicyName: 'own-mfa',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:GetMFADevice', Resource: `${ARN}:user/alice` },
          ],
        }),
      }),
    )
    const own = await g.call('GetMFADevice', { SerialNumber: device.serialNumber }, { key: alice })
    ok(own)
    assert.equal(xmlText(own.xml, 'GetMFADeviceResult/UserName'), 'alice')
    fails(
      await g.call(
        'GetMFADevice',
        { UserName: 'bob', SerialNumber: device.serialNumber },
        { key: alice },
      ),
      403,
      'AccessDenied',
      denial(`${ARN}:user/alice`, 'iam:GetMFADevice', `${ARN}:user/bob`),
    )
  })

  it('checks SerialNumber as the model constrains it', async () => {
    const r = await g.call('GetMFADevice', { UserName: 'alice' })
    assert.equal(r.status, 400, r.body)
    assert.equal(r.error?.code, 'ValidationError')
  })
})
