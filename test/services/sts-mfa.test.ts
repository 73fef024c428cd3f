/**
 * MFA on STS, in process: GetSessionToken and AssumeRole with the SerialNumber and TokenCode of
 * the caller's virtual MFA device. A good code makes a session with aws:MultiFactorAuthPresent
 * (so GetSessionToken credentials may call IAM, and policies demanding MFA allow), AssumeRole's
 * trust policy sees the MFA of the request, and no code is accepted twice.
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
  createUserWithKey,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'
import { callWith, credentialsOf, sts } from '../support/temporary-credentials.js'

const ARN = `arn:aws:iam::${ACCOUNT_ID}`
/** The time step of the harness's clock. */
const STEP = totpStep(new Date(epoch(NOW)))

const MFA_ONLY = (action: string, resource = '*') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: action,
        Resource: resource,
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ],
  })

/** A user with a key and a virtual MFA device enabled with the two steps before the clock's. */
async function userWithDevice(
  g: InProcess,
  name: string,
): Promise<{ key: Credentials; serial: string; seed: Uint8Array }> {
  const key = await createUserWithKey(g, name)
  const created = await g.call('CreateVirtualMFADevice', { VirtualMFADeviceName: `${name}-phone` })
  assert.equal(created.status, 200, created.body)
  const at = 'CreateVirtualMFADeviceResult/VirtualMFADevice'
  const serial = xmlText(created.xml, `${at}/SerialNumber`) ?? ''
  const seed = decodeBase32(
    Buffer.from(xmlText(created.xml, `${at}/Base32StringSeed`) ?? '', 'base64').toString('ascii'),
  )
  // The device's clock then reads one step behind the server's: codes of the steps from two
  // before the clock's to the clock's own are good, and the clock's step is unused.
  const enabled = await g.call('EnableMFADevice', {
    UserName: name,
    SerialNumber: serial,
    AuthenticationCode1: totpAtStep(seed, STEP - 2),
    AuthenticationCode2: totpAtStep(seed, STEP - 1),
  })
  assert.equal(enabled.status, 200, enabled.body)
  return { key, serial, seed }
}

describe('MFA on STS calls', () => {
  let g: InProcess
  let carol: { key: Credentials; serial: string; seed: Uint8Array }
  let alice: Credentials
  let bob: Credentials
  let serial: string
  let seed: Uint8Array

  before(async () => {
    g = await startInProcess()
    const a = await userWithDevice(g, 'alice')
    alice = a.key
    serial = a.serial
    seed = a.seed
    carol = await userWithDevice(g, 'carol')
    bob = await createUserWithKey(g, 'bob')
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'mfa-only',
      PolicyDocument: MFA_ONLY('iam:ListUsers'),
    })
    await g.call('PutUserPolicy', {
      UserName: 'bob',
      PolicyName: 'assume',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
      }),
    })
    // A role whose trust policy demands MFA of whoever assumes it.
    await g.call('CreateRole', {
      RoleName: 'guarded',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `${ARN}:root` },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      }),
    })
    await g.call('PutRolePolicy', {
      RoleName: 'guarded',
      PolicyName: 'mfa-only',
      PolicyDocument: MFA_ONLY('iam:ListRoles'),
    })
    await g.call('PutUserPolicy', {
      UserName: 'carol',
      PolicyName: 'assume',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
      }),
    })
  })
  after(() => g.close())

  it('makes a session with MFA from a good code, which may call IAM as MFA allows', async () => {
    // Without MFA: the policy demanding MFA does not allow it.
    const plain = await g.call('ListUsers', {}, { key: alice })
    assert.equal(plain.status, 403)
    const reply = await sts(
      g,
      'GetSessionToken',
      { SerialNumber: serial, TokenCode: totpAtStep(seed, STEP) },
      alice,
    )
    assert.equal(reply.status, 200, reply.body)
    const session = credentialsOf(reply, 'GetSessionToken')
    const listed = await callWith(g, 'ListUsers', {}, { key: session })
    assert.equal(listed.status, 200, listed.body)
    // The same code again: used up.
    const replay = await sts(
      g,
      'GetSessionToken',
      { SerialNumber: serial, TokenCode: totpAtStep(seed, STEP) },
      alice,
    )
    assert.equal(replay.status, 403)
    assert.deepEqual(replay.error, { code: 'AccessDenied', message: MFA_INVALID_CODE_MESSAGE })
  })

  it('refuses a wrong code, one without its serial number, and a device of another user', async () => {
    const wrong = await sts(
      g,
      'GetSessionToken',
      {
        SerialNumber: serial,
        TokenCode: '000000' === totpAtStep(seed, STEP) ? '111111' : '000000',
      },
      alice,
    )
    assert.deepEqual(wrong.error, { code: 'AccessDenied', message: MFA_INVALID_CODE_MESSAGE })
    const alone = await sts(g, 'GetSessionToken', { TokenCode: totpAtStep(seed, STEP) }, alice)
    assert.deepEqual(alone.error, { code: 'AccessDenied', message: MFA_UNVERIFIABLE_MESSAGE })
    const others = await sts(
      g,
      'GetSessionToken',
      { SerialNumber: serial, TokenCode: totpAtStep(seed, STEP) },
      bob,
    )
    assert.deepEqual(others.error, { code: 'AccessDenied', message: MFA_UNVERIFIABLE_MESSAGE })
    const unknown = await sts(
      g,
      'GetSessionToken',
      { SerialNumber: `${ARN}:mfa/nothing`, TokenCode: '123456' },
      alice,
    )
    assert.deepEqual(unknown.error, { code: 'AccessDenied', message: MFA_UNVERIFIABLE_MESSAGE })
  })

  it('lets a trust policy demand MFA of AssumeRole, and the session carries it', async () => {
    const role = { RoleArn: `${ARN}:role/guarded`, RoleSessionName: 'ops' }
    const without = await sts(g, 'AssumeRole', role, carol.key)
    assert.equal(without.status, 403, without.body)
    const withMfa = await sts(
      g,
      'AssumeRole',
      { ...role, SerialNumber: carol.serial, TokenCode: totpAtStep(carol.seed, STEP) },
      carol.key,
    )
    assert.equal(withMfa.status, 200, withMfa.body)
    const session = credentialsOf(withMfa, 'AssumeRole')
    const listed = await callWith(g, 'ListRoles', {}, { key: session })
    assert.equal(listed.status, 200, listed.body)
  })
})
