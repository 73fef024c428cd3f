/**
 * MFA for the root user, in process: the root user enables a virtual device for itself by leaving
 * UserName out of EnableMFADevice, lists, reads, resyncs and deactivates it the same way, and its
 * GetSessionToken with the device's code makes an MFA session (which may call IAM). The device is
 * apart from every IAM user's; GetAccountSummary's AccountMFAEnabled and the credential report's
 * root row follow it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeBase32 } from '../../src/auth/base32.js'
import { totpAtStep, totpStep } from '../../src/auth/totp.js'
import {
  MFA_INVALID_CODE_MESSAGE,
  MFA_UNVERIFIABLE_MESSAGE,
} from '../../src/services/sts/check-mfa.js'
import { epoch } from '../auth/sigv4-signer.js'
import {
  ACCOUNT_ID,
  NOW,
  ROOT_KEY,
  createUserWithKey,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import { callWith, credentialsOf, sts } from '../support/temporary-credentials.js'

const ARN = `arn:aws:iam::${ACCOUNT_ID}`
const STEP = totpStep(new Date(epoch(NOW)))
const SERIAL = `${ARN}:mfa/root-account-mfa-device`
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/

function ok(r: Reply): void {
  assert.equal(r.status, 200, r.body)
}

function fails(r: Reply, status: number, code: string, message?: string): void {
  assert.equal(r.status, status, r.body)
  assert.equal(r.error?.code, code, r.body)
  if (message !== undefined) assert.equal(r.error?.message, message)
}

async function createDevice(g: InProcess, name: string): Promise<Uint8Array> {
  const r = await g.call('CreateVirtualMFADevice', { VirtualMFADeviceName: name })
  ok(r)
  const base32 = xmlText(r.xml, 'CreateVirtualMFADeviceResult/VirtualMFADevice/Base32StringSeed')
  return decodeBase32(Buffer.from(base32 ?? '', 'base64').toString('ascii'))
}

function codes(seed: Uint8Array, s: number): Record<string, string> {
  return {
    AuthenticationCode1: totpAtStep(seed, s - 1),
    AuthenticationCode2: totpAtStep(seed, s),
  }
}

async function summary(g: InProcess, key?: Credentials): Promise<Record<string, string>> {
  const r = await g.call('GetAccountSummary', {}, key === undefined ? {} : { key })
  ok(r)
  return Object.fromEntries(
    xmlAll(r.xml, 'GetAccountSummaryResult/SummaryMap/entry').map((e) => [
      xmlText(e, 'key') ?? '',
      xmlText(e, 'value') ?? '',
    ]),
  )
}

/** The root row of a new credential report. */
async function rootReportRow(g: InProcess): Promise<string[]> {
  // A report is made at most once in four hours: the previous one is dropped first.
  await g.store.transaction((tx) =>
    tx.putCredentialReport({
      accountId: ACCOUNT_ID,
      generatedAt: new Date(0),
      content: '',
    }),
  )
  ok(await g.call('GenerateCredentialReport'))
  const report = await g.call('GetCredentialReport')
  const csv = Buffer.from(xmlText(report.xml, 'GetCredentialReportResult/Content') ?? '', 'base64')
  return (csv.toString('utf8').split('\n')[1] ?? '').split(',')
}

describe('MFA for the root user', () => {
  let g: InProcess
  let seed: Uint8Array
  let alice: Credentials
  let aliceSerial: string
  let aliceSeed: Uint8Array

  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    seed = await createDevice(g, 'root-account-mfa-device')
    aliceSeed = await createDevice(g, 'alice-phone')
    aliceSerial = `${ARN}:mfa/alice-phone`
  })
  after(() => g.close())

  it('has no MFA before it enables a device', async () => {
    assert.equal((await summary(g))['AccountMFAEnabled'], '0')
    assert.equal((await rootReportRow(g))[7], 'false')
    const listed = await g.call('ListMFADevices')
    ok(listed)
    assert.equal(xmlAll(listed.xml, 'ListMFADevicesResult/MFADevices/member').length, 0)
  })

  it('enables a device for itself without UserName', async () => {
    // Codes of the two steps before the clock's: the device's clock then reads one behind.
    ok(await g.call('EnableMFADevice', { SerialNumber: SERIAL, ...codes(seed, STEP - 1) }))
    const listed = await g.call('ListMFADevices')
    ok(listed)
    const members = xmlAll(listed.xml, 'ListMFADevicesResult/MFADevices/member')
    assert.equal(members.length, 1)
    assert.equal(xmlText(members[0]!, 'SerialNumber'), SERIAL)
    assert.equal(xmlText(members[0]!, 'UserName'), undefined, 'the root user has no user name')
    assert.match(xmlText(members[0]!, 'EnableDate') ?? '', DATE)
    const read = await g.call('GetMFADevice', { SerialNumber: SERIAL })
    ok(read)
    assert.equal(xmlText(read.xml, 'GetMFADeviceResult/SerialNumber'), SERIAL)
    assert.match(xmlText(read.xml, 'GetMFADeviceResult/EnableDate') ?? '', DATE)
    assert.equal(xmlText(read.xml, 'GetMFADeviceResult/UserName'), undefined)
    assert.equal(xmlText(read.xml, 'GetMFADeviceResult/Certifications'), undefined)
  })

  it('shows in GetAccountSummary and the credential report', async () => {
    const counts = await summary(g)
    assert.equal(counts['AccountMFAEnabled'], '1')
    assert.equal(counts['MFADevices'], '2')
    assert.equal(counts['MFADevicesInUse'], '1')
    const assigned = await g.call('ListVirtualMFADevices', { AssignmentStatus: 'Assigned' })
    const members = xmlAll(assigned.xml, 'ListVirtualMFADevicesResult/VirtualMFADevices/member')
    assert.deepEqual(
      members.map((m) => xmlText(m, 'SerialNumber')),
      [SERIAL],
    )
    assert.match(xmlText(members[0]!, 'EnableDate') ?? '', DATE)
    const unassigned = await g.call('ListVirtualMFADevices', { AssignmentStatus: 'Unassigned' })
    assert.deepEqual(
      xmlAll(unassigned.xml, 'ListVirtualMFADevicesResult/VirtualMFADevices/member').map((m) =>
        xmlText(m, 'SerialNumber'),
      ),
      [aliceSerial],
    )
  })

  it("marks the credential report's root row mfa_active", async () => {
    assert.equal((await rootReportRow(g))[7], 'true')
  })

  it("keeps the root user's device from anyone else, and from deletion", async () => {
    for (const params of [{}, { UserName: 'alice' }]) {
      fails(
        await g.call('EnableMFADevice', {
          SerialNumber: SERIAL,
          ...params,
          ...codes(seed, STEP + 5),
        }),
        409,
        'EntityAlreadyExists',
        'MFA Device is already in use.',
      )
    }
    fails(await g.call('DeleteVirtualMFADevice', { SerialNumber: SERIAL }), 409, 'DeleteConflict')
    fails(
      await g.call('DeactivateMFADevice', { UserName: 'alice', SerialNumber: SERIAL }),
      404,
      'NoSuchEntity',
      'MFA Device invalid for user.',
    )
    fails(
      await g.call('GetMFADevice', { UserName: 'alice', SerialNumber: SERIAL }),
      404,
      'NoSuchEntity',
    )
    const aliceList = await g.call('ListMFADevices', { UserName: 'alice' })
    assert.equal(xmlAll(aliceList.xml, 'ListMFADevicesResult/MFADevices/member').length, 0)
  })

  it('asks an IAM user for the UserName the model requires', async () => {
    ok(
      await g.call('EnableMFADevice', {
        UserName: 'alice',
        SerialNumber: aliceSerial,
        ...codes(aliceSeed, STEP),
      }),
    )
    for (const action of ['EnableMFADevice', 'ResyncMFADevice']) {
      fails(
        await g.call(
          action,
          { SerialNumber: aliceSerial, ...codes(aliceSeed, STEP + 3) },
          {
            key: alice,
          },
        ),
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      )
    }
    // The root user's own list still holds only its device.
    const listed = await g.call('ListMFADevices')
    assert.deepEqual(
      xmlAll(listed.xml, 'ListMFADevicesResult/MFADevices/member').map((m) =>
        xmlText(m, 'SerialNumber'),
      ),
      [SERIAL],
    )
  })

  it('gets an MFA session with a code of its device, once', async () => {
    // Without MFA, the root user's session may not call IAM.
    const plain = credentialsOf(await sts(g, 'GetSessionToken', {}, ROOT_KEY), 'GetSessionToken')
    fails(await callWith(g, 'GetAccountSummary', {}, { key: plain }), 403, 'InvalidClientTokenId')

    const code = totpAtStep(seed, STEP)
    const made = await sts(
      g,
      'GetSessionToken',
      { SerialNumber: SERIAL, TokenCode: code },
      ROOT_KEY,
    )
    ok(made)
    const session = credentialsOf(made, 'GetSessionToken')
    ok(await callWith(g, 'GetAccountSummary', {}, { key: session }))
    const identity = await callWith(g, 'GetCallerIdentity', {}, { service: 'sts', key: session })
    assert.equal(xmlText(identity.xml, 'GetCallerIdentityResult/Arn'), `${ARN}:root`)

    fails(
      await sts(g, 'GetSessionToken', { SerialNumber: SERIAL, TokenCode: code }, ROOT_KEY),
      403,
      'AccessDenied',
      MFA_INVALID_CODE_MESSAGE,
    )
    // A user's device is no proof of the root user, nor the root user's of a user.
    fails(
      await sts(
        g,
        'GetSessionToken',
        { SerialNumber: aliceSerial, TokenCode: totpAtStep(aliceSeed, STEP + 1) },
        ROOT_KEY,
      ),
      403,
      'AccessDenied',
      MFA_UNVERIFIABLE_MESSAGE,
    )
    fails(
      await sts(
        g,
        'GetSessionToken',
        { SerialNumber: SERIAL, TokenCode: totpAtStep(seed, STEP + 1) },
        alice,
      ),
      403,
      'AccessDenied',
      MFA_UNVERIFIABLE_MESSAGE,
    )
  })

  it('resyncs and deactivates its device without UserName', async () => {
    fails(
      await g.call('ResyncMFADevice', { SerialNumber: SERIAL, ...codes(seed, STEP) }),
      403,
      'InvalidAuthenticationCode',
    )
    ok(await g.call('ResyncMFADevice', { SerialNumber: SERIAL, ...codes(seed, STEP + 3) }))
    ok(await g.call('DeactivateMFADevice', { SerialNumber: SERIAL }))
    assert.equal((await summary(g))['AccountMFAEnabled'], '0')
    fails(await g.call('GetMFADevice', { SerialNumber: SERIAL }), 404, 'NoSuchEntity')
    fails(
      await g.call('DeactivateMFADevice', { SerialNumber: SERIAL }),
      404,
      'NoSuchEntity',
      'MFA Device invalid for user.',
    )
    ok(await g.call('DeleteVirtualMFADevice', { SerialNumber: SERIAL }))
  })
})
