/**
 * The account password policy, login profiles and ChangePassword, in process: every operation
 * and its errors, the policy enforced on every password set, reuse prevention, authorization,
 * and no password anywhere it should not be (responses, the store's bytes, the audit trail).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'
import {
  callWith,
  createRole,
  credentialsOf,
  sts,
  trustPolicy,
} from '../support/temporary-credentials.js'

const ARN = `arn:aws:iam::${ACCOUNT_ID}`
// Three kinds of character and 8 long: what AWS's default password policy asks.
const GOOD = 'Tr0ub4dor&3x'
const REDACTED = '*** Sensitive Data Redacted ***'

describe('IAM account password policy', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  it('answers NoSuchEntity (404) while no policy is set, for Get and Delete', async () => {
    const got = await g.call('GetAccountPasswordPolicy')
    assert.equal(got.status, 404)
    assert.deepEqual(got.error, {
      code: 'NoSuchEntity',
      message: `The Password Policy with domain name ${ACCOUNT_ID} cannot be found.`,
    })
    const deleted = await g.call('DeleteAccountPasswordPolicy')
    assert.equal(deleted.status, 404)
    assert.deepEqual(deleted.error, {
      code: 'NoSuchEntity',
      message: 'The account policy with name PasswordPolicy cannot be found.',
    })
  })

  it('sets every member and reads it back, ExpirePasswords from MaxPasswordAge', async () => {
    const set = await g.call('UpdateAccountPasswordPolicy', {
      MinimumPasswordLength: '14',
      RequireSymbols: 'true',
      RequireNumbers: 'true',
      RequireUppercaseCharacters: 'true',
      RequireLowercaseCharacters: 'true',
      AllowUsersToChangePassword: 'true',
      MaxPasswordAge: '90',
      PasswordReusePrevention: '24',
      HardExpiry: 'true',
    })
    assert.equal(set.status, 200, set.body)
    const got = await g.call('GetAccountPasswordPolicy')
    assert.equal(got.status, 200, got.body)
    const p = 'GetAccountPasswordPolicyResult/PasswordPolicy'
    assert.equal(xmlText(got.xml, `${p}/MinimumPasswordLength`), '14')
    for (const member of [
      'RequireSymbols',
      'RequireNumbers',
      'RequireUppercaseCharacters',
      'RequireLowercaseCharacters',
      'AllowUsersToChangePassword',
      'ExpirePasswords',
      'HardExpiry',
    ]) {
      assert.equal(xmlText(got.xml, `${p}/${member}`), 'true', member)
    }
    assert.equal(xmlText(got.xml, `${p}/MaxPasswordAge`), '90')
    assert.equal(xmlText(got.xml, `${p}/PasswordReusePrevention`), '24')
  })

  it('resets every member a later call leaves out to its default', async () => {
    const set = await g.call('UpdateAccountPasswordPolicy', { RequireNumbers: 'true' })
    assert.equal(set.status, 200, set.body)
    const got = await g.call('GetAccountPasswordPolicy')
    const p = 'GetAccountPasswordPolicyResult/PasswordPolicy'
    assert.equal(xmlText(got.xml, `${p}/MinimumPasswordLength`), '6')
    assert.equal(xmlText(got.xml, `${p}/RequireNumbers`), 'true')
    for (const member of [
      'RequireSymbols',
      'RequireUppercaseCharacters',
      'RequireLowercaseCharacters',
      'AllowUsersToChangePassword',
      'ExpirePasswords',
      'HardExpiry',
    ]) {
      assert.equal(xmlText(got.xml, `${p}/${member}`), 'false', member)
    }
    // Members never set are left out.
    assert.equal(xmlText(got.xml, `${p}/MaxPasswordAge`), undefined)
    assert.equal(xmlText(got.xml, `${p}/PasswordReusePrevention`), undefined)
  })

  it('refuses values outside the model’s bounds with ValidationError (400)', async () => {
    const r = await g.call('UpdateAccountPasswordPolicy', {
      MinimumPasswordLength: '5',
      MaxPasswordAge: '1096',
      PasswordReusePrevention: '25',
    })
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'ValidationError',
      message:
        "3 validation errors detected: Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6; Value '1096' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095; Value '25' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24",
    })
    const zero = await g.call('UpdateAccountPasswordPolicy', { MaxPasswordAge: '0' })
    assert.equal(zero.error?.code, 'ValidationError')
  })

  it('deletes the policy, after which it is gone', async () => {
    const deleted = await g.call('DeleteAccountPasswordPolicy')
    assert.equal(deleted.status, 200, deleted.body)
    assert.equal((await g.call('GetAccountPasswordPolicy')).status, 404)
  })

  it('is authorized on * and denied without a policy that allows it', async () => {
    const key = await createUserWithKey(g, 'policy-reader')
    for (const action of ['GetAccountPasswordPolicy', 'UpdateAccountPasswordPolicy']) {
      const r = await g.call(action, {}, { key })
      assert.equal(r.status, 403)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: `User: ${ARN}:user/policy-reader is not authorized to perform: iam:${action} because no identity-based policy allows the iam:${action} action`,
      })
    }
    await g.call('PutUserPolicy', {
      UserName: 'policy-reader',
      PolicyName: 'Read',
      PolicyDocument: policy('Allow', 'iam:GetAccountPasswordPolicy'),
    })
    assert.equal((await g.call('GetAccountPasswordPolicy', {}, { key })).status, 404)
  })
})

describe('IAM login profiles', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    for (const name of ['ana', 'ben', 'cy', 'dee', 'eve']) {
      assert.equal((await g.call('CreateUser', { UserName: name })).status, 200)
    }
    await g.call('CreateUser', { UserName: 'pathy', Path: '/team/' })
  })
  after(() => g.close())

  it('creates a login profile and shows its date, never the password', async () => {
    const r = await g.call('CreateLoginProfile', {
      UserName: 'ANA',
      Password: GOOD,
      PasswordResetRequired: 'true',
    })
    assert.equal(r.status, 200, r.body)
    const profile = 'CreateLoginProfileResult/LoginProfile'
    assert.equal(xmlText(r.xml, `${profile}/UserName`), 'ana')
    assert.match(xmlText(r.xml, `${profile}/CreateDate`) ?? '', /^\d{4}-\d\d-\d\dT/)
    assert.equal(xmlText(r.xml, `${profile}/PasswordResetRequired`), 'true')
    assert.equal(r.body.includes(GOOD), false)

    const got = await g.call('GetLoginProfile', { UserName: 'ana' })
    assert.equal(got.status, 200, got.body)
    assert.equal(xmlText(got.xml, 'GetLoginProfileResult/LoginProfile/UserName'), 'ana')
    assert.equal(
      xmlText(got.xml, 'GetLoginProfileResult/LoginProfile/CreateDate'),
      xmlText(r.xml, `${profile}/CreateDate`),
    )
    assert.equal(
      xmlText(got.xml, 'GetLoginProfileResult/LoginProfile/PasswordResetRequired'),
      'true',
    )
    assert.equal(got.body.includes(GOOD), false)
  })

  it('keeps no password in the store, only its scrypt hash', async () => {
    await g.call('CreateLoginProfile', { UserName: 'eve', Password: 'Eve-Secret-9' })
    const bytes = Buffer.from((g.store as SqliteStore).database.serialize())
    assert.equal(bytes.includes(Buffer.from('Eve-Secret-9')), false)
    assert.equal(bytes.includes(Buffer.from(GOOD)), false)
    assert.equal(bytes.includes(Buffer.from('$scrypt$ln=15,r=8,p=1$')), true)
  })

  it('refuses a second login profile with EntityAlreadyExists (409)', async () => {
    const r = await g.call('CreateLoginProfile', { UserName: 'ana', Password: GOOD })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'EntityAlreadyExists',
      message: 'Login Profile for user ana already exists.',
    })
  })

  it('answers NoSuchEntity (404) for a user without a profile, and for no user', async () => {
    for (const [action, params] of [
      ['GetLoginProfile', { UserName: 'ben' }],
      ['UpdateLoginProfile', { UserName: 'ben', PasswordResetRequired: 'true' }],
      ['DeleteLoginProfile', { UserName: 'ben' }],
    ] as const) {
      const r = await g.call(action, params)
      assert.equal(r.status, 404, action)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'Login Profile for User ben cannot be found.',
      })
    }
    for (const action of [
      'CreateLoginProfile',
      'GetLoginProfile',
      'UpdateLoginProfile',
      'DeleteLoginProfile',
    ]) {
      const r = await g.call(action, { UserName: 'ghost', Password: GOOD })
      assert.equal(r.status, 404, action)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The user with name ghost cannot be found.',
      })
    }
  })

  it('holds every password set to AWS’s default policy while the account has none', async () => {
    const short = await g.call('CreateLoginProfile', { UserName: 'ben', Password: 'aB3$' })
    assert.equal(short.status, 400)
    assert.deepEqual(short.error, {
      code: 'PasswordPolicyViolation',
      message: 'Password should have a minimum length of 8',
    })
    const plain = await g.call('CreateLoginProfile', { UserName: 'ben', Password: 'abcdef123' })
    assert.deepEqual(plain.error, {
      code: 'PasswordPolicyViolation',
      message:
        'Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol',
    })
    assert.equal((await g.call('GetLoginProfile', { UserName: 'ben' })).status, 404)
  })

  it('holds every password set to the account’s policy, on create and update', async () => {
    await g.call('UpdateAccountPasswordPolicy', {
      MinimumPasswordLength: '12',
      RequireSymbols: 'true',
      RequireNumbers: 'true',
    })
    try {
      const created = await g.call('CreateLoginProfile', {
        UserName: 'ben',
        Password: 'password',
      })
      assert.equal(created.status, 400)
      assert.deepEqual(created.error, {
        code: 'PasswordPolicyViolation',
        message:
          'Password should have a minimum length of 12, Password should have at least one number, Password should have at least one symbol',
      })
      // Neither upper nor lower case is asked for: 12 digits and a symbol will do.
      const ok = await g.call('CreateLoginProfile', { UserName: 'ben', Password: '12345678901!' })
      assert.equal(ok.status, 200, ok.body)
      const updated = await g.call('UpdateLoginProfile', {
        UserName: 'ben',
        Password: 'no-digits-here!',
      })
      assert.equal(updated.status, 400)
      assert.deepEqual(updated.error, {
        code: 'PasswordPolicyViolation',
        message: 'Password should have at least one number',
      })
    } finally {
      await g.call('DeleteAccountPasswordPolicy')
    }
  })

  it('updates the password and PasswordResetRequired, each alone or both', async () => {
    assert.equal(
      (await g.call('CreateLoginProfile', { UserName: 'cy', Password: GOOD })).status,
      200,
    )
    const get = async () => {
      const r = await g.call('GetLoginProfile', { UserName: 'cy' })
      return xmlText(r.xml, 'GetLoginProfileResult/LoginProfile/PasswordResetRequired')
    }
    assert.equal(await get(), 'false')
    const reset = await g.call('UpdateLoginProfile', {
      UserName: 'cy',
      PasswordResetRequired: 'true',
    })
    assert.equal(reset.status, 200, reset.body)
    assert.equal(await get(), 'true')
    const both = await g.call('UpdateLoginProfile', {
      UserName: 'cy',
      Password: 'New-Pass-2026',
      PasswordResetRequired: 'false',
    })
    assert.equal(both.status, 200, both.body)
    assert.equal(await get(), 'false')
    const nothing = await g.call('UpdateLoginProfile', { UserName: 'cy' })
    assert.equal(nothing.status, 200, nothing.body)
    assert.equal(await get(), 'false')
  })

  it('requires UserName for UpdateLoginProfile and Password for CreateLoginProfile', async () => {
    const update = await g.call('UpdateLoginProfile', { Password: GOOD })
    assert.equal(update.status, 400)
    assert.deepEqual(update.error, {
      code: 'ValidationError',
      message:
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
    })
    const create = await g.call('CreateLoginProfile', { UserName: 'dee' })
    assert.deepEqual(create.error, {
      code: 'ValidationError',
      message:
        "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    })
  })

  it('never quotes a password that fails the model’s constraints', async () => {
    const long = `Aa1!${'x'.repeat(125)}`
    const r = await g.call('CreateLoginProfile', { UserName: 'dee', Password: long })
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'ValidationError',
      message: `1 validation error detected: Value '${REDACTED}' at 'password' failed to satisfy constraint: Member must have length less than or equal to 128`,
    })
    const control = await g.call('CreateLoginProfile', {
      UserName: 'dee',
      Password: 'Ab1!\u0001xyz',
    })
    assert.equal(control.error?.code, 'ValidationError')
    assert.equal(control.body.includes('Ab1!'), false)
  })

  it('deletes a login profile; DeleteUser refuses a user that still has one', async () => {
    assert.equal(
      (await g.call('CreateLoginProfile', { UserName: 'dee', Password: GOOD })).status,
      200,
    )
    const refused = await g.call('DeleteUser', { UserName: 'dee' })
    assert.equal(refused.status, 409, refused.body)
    assert.deepEqual(refused.error, {
      code: 'DeleteConflict',
      message: 'Cannot delete entity, must delete login profile first.',
    })
    assert.equal((await g.call('GetUser', { UserName: 'dee' })).status, 200)
    const deleted = await g.call('DeleteLoginProfile', { UserName: 'dee' })
    assert.equal(deleted.status, 200, deleted.body)
    assert.equal((await g.call('GetLoginProfile', { UserName: 'dee' })).status, 404)
    assert.equal((await g.call('DeleteUser', { UserName: 'dee' })).status, 200)
  })

  it('acts on the calling user without UserName, and refuses the root user that way', async () => {
    const key = await createUserWithKey(g, 'self')
    await g.call('PutUserPolicy', {
      UserName: 'self',
      PolicyName: 'OwnProfile',
      PolicyDocument: policy('Allow', 'iam:*LoginProfile', `${ARN}:user/self`),
    })
    const created = await g.call('CreateLoginProfile', { Password: GOOD }, { key })
    assert.equal(created.status, 200, created.body)
    assert.equal(xmlText(created.xml, 'CreateLoginProfileResult/LoginProfile/UserName'), 'self')
    assert.equal((await g.call('GetLoginProfile', {}, { key })).status, 200)
    assert.equal((await g.call('DeleteLoginProfile', {}, { key })).status, 200)
    for (const action of ['CreateLoginProfile', 'GetLoginProfile', 'DeleteLoginProfile']) {
      const r = await g.call(action, { Password: GOOD })
      assert.equal(r.status, 400, action)
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message: 'Must specify userName when calling with non-User credentials',
      })
    }
  })

  it('authorizes each operation on the user’s ARN, path included', async () => {
    const key = await createUserWithKey(g, 'helpdesk')
    const denied = await g.call(
      'CreateLoginProfile',
      { UserName: 'pathy', Password: GOOD },
      { key },
    )
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.error, {
      code: 'AccessDenied',
      message: `User: ${ARN}:user/helpdesk is not authorized to perform: iam:CreateLoginProfile on resource: ${ARN}:user/team/pathy because no identity-based policy allows the iam:CreateLoginProfile action`,
    })
    await g.call('PutUserPolicy', {
      UserName: 'helpdesk',
      PolicyName: 'Team',
      PolicyDocument: policy(
        'Allow',
        ['iam:CreateLoginProfile', 'iam:GetLoginProfile'],
        `${ARN}:user/team/*`,
      ),
    })
    const allowed = await g.call(
      'CreateLoginProfile',
      { UserName: 'pathy', Password: GOOD },
      {
        key,
      },
    )
    assert.equal(allowed.status, 200, allowed.body)
    const other = await g.call('GetLoginProfile', { UserName: 'ana' }, { key })
    assert.equal(other.status, 403)
    assert.equal(other.error?.code, 'AccessDenied')
  })
})

describe('IAM ChangePassword', () => {
  let g: InProcess
  let zoe: Credentials
  before(async () => {
    g = await startInProcess()
    zoe = await createUserWithKey(g, 'zoe')
    await g.call('CreateLoginProfile', {
      UserName: 'zoe',
      Password: GOOD,
      PasswordResetRequired: 'true',
    })
  })
  after(() => g.close())

  it('is denied to a user no policy allows it', async () => {
    const r = await g.call(
      'ChangePassword',
      { OldPassword: GOOD, NewPassword: 'Next-Pass-01' },
      {
        key: zoe,
      },
    )
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `User: ${ARN}:user/zoe is not authorized to perform: iam:ChangePassword on resource: ${ARN}:user/zoe because no identity-based policy allows the iam:ChangePassword action`,
    })
  })

  it('lets every user change its own password when the account policy allows users to', async () => {
    // No policy of zoe's allows it; AllowUsersToChangePassword grants it at the account's level.
    await g.call('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'true' })
    try {
      const own = await g.call(
        'ChangePassword',
        { OldPassword: GOOD, NewPassword: 'Allowed-Pass-01' },
        { key: zoe },
      )
      assert.equal(own.status, 200, own.body)
      const policyRead = await g.call('GetAccountPasswordPolicy', {}, { key: zoe })
      assert.equal(policyRead.status, 200, policyRead.body)
      // Only its own: the grant names the user's ARN.
      const other = await g.call('GetLoginProfile', { UserName: 'zoe' }, { key: zoe })
      assert.equal(other.status, 403)
      const back = await g.call(
        'ChangePassword',
        { OldPassword: 'Allowed-Pass-01', NewPassword: GOOD },
        { key: zoe },
      )
      // Reuse prevention is off in this policy: going back to the first password is allowed.
      assert.equal(back.status, 200, back.body)
    } finally {
      await g.call('DeleteAccountPasswordPolicy', {})
    }
    const denied = await g.call(
      'ChangePassword',
      { OldPassword: GOOD, NewPassword: 'Allowed-Pass-02' },
      { key: zoe },
    )
    assert.equal(denied.status, 403, 'the grant goes with the policy')
  })

  it('changes the caller’s own password and clears PasswordResetRequired', async () => {
    await g.call('PutUserPolicy', {
      UserName: 'zoe',
      PolicyName: 'OwnPassword',
      PolicyDocument: policy('Allow', 'iam:ChangePassword', `${ARN}:user/\${aws:username}`),
    })
    const r = await g.call(
      'ChangePassword',
      { OldPassword: GOOD, NewPassword: 'Next-Pass-01' },
      {
        key: zoe,
      },
    )
    assert.equal(r.status, 200, r.body)
    const got = await g.call('GetLoginProfile', { UserName: 'zoe' })
    assert.equal(
      xmlText(got.xml, 'GetLoginProfileResult/LoginProfile/PasswordResetRequired'),
      'false',
    )
    // The old password no longer opens the door, the new one does.
    const stale = await g.call(
      'ChangePassword',
      { OldPassword: GOOD, NewPassword: 'Other-01!' },
      {
        key: zoe,
      },
    )
    assert.equal(stale.status, 403)
    assert.deepEqual(stale.error, {
      code: 'AccessDenied',
      message: 'The old password is incorrect.',
    })
    const again = await g.call(
      'ChangePassword',
      { OldPassword: 'Next-Pass-01', NewPassword: 'Next-Pass-02' },
      { key: zoe },
    )
    assert.equal(again.status, 200, again.body)
  })

  it('holds the new password to the policy', async () => {
    const r = await g.call(
      'ChangePassword',
      { OldPassword: 'Next-Pass-02', NewPassword: 'Ab1!x' },
      { key: zoe },
    )
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'PasswordPolicyViolation',
      message: 'Password should have a minimum length of 8',
    })
  })

  it('prevents reusing as many of the latest passwords as the policy says', async () => {
    await g.call('UpdateAccountPasswordPolicy', { PasswordReusePrevention: '3' })
    try {
      const change = (from: string, to: string) =>
        g.call('ChangePassword', { OldPassword: from, NewPassword: to }, { key: zoe })
      // The latest three: Next-Pass-02 (current), Next-Pass-01, GOOD.
      for (const reused of ['Next-Pass-02', 'Next-Pass-01', GOOD]) {
        const r = await change('Next-Pass-02', reused)
        assert.equal(r.status, 400, reused)
        assert.deepEqual(r.error, {
          code: 'PasswordPolicyViolation',
          message: 'Password should not be one of your 3 previous passwords',
        })
      }
      assert.equal((await change('Next-Pass-02', 'Fresh-Pass-03')).status, 200)
      // GOOD is now the fourth latest: free again.
      assert.equal((await change('Fresh-Pass-03', GOOD)).status, 200)
      // An administrator's UpdateLoginProfile is held to the same rule.
      const admin = await g.call('UpdateLoginProfile', {
        UserName: 'zoe',
        Password: 'Fresh-Pass-03',
      })
      assert.deepEqual(admin.error, {
        code: 'PasswordPolicyViolation',
        message: 'Password should not be one of your 3 previous passwords',
      })
      // So is a profile deleted and created again: the history belongs to the user.
      assert.equal((await g.call('DeleteLoginProfile', { UserName: 'zoe' })).status, 200)
      const recreated = await g.call('CreateLoginProfile', { UserName: 'zoe', Password: GOOD })
      assert.equal(recreated.error?.code, 'PasswordPolicyViolation')
      assert.equal(
        (await g.call('CreateLoginProfile', { UserName: 'zoe', Password: 'Brand-New-04' })).status,
        200,
      )
    } finally {
      await g.call('DeleteAccountPasswordPolicy')
    }
  })

  it('answers NoSuchEntity (404) for a user without a login profile', async () => {
    const key = await createUserWithKey(g, 'keys-only')
    await g.call('PutUserPolicy', {
      UserName: 'keys-only',
      PolicyName: 'OwnPassword',
      PolicyDocument: policy('Allow', 'iam:ChangePassword'),
    })
    const r = await g.call('ChangePassword', { OldPassword: GOOD, NewPassword: GOOD }, { key })
    assert.equal(r.status, 404)
    assert.deepEqual(r.error, {
      code: 'NoSuchEntity',
      message: 'Login Profile for User keys-only cannot be found.',
    })
  })

  it('refuses the root user and role sessions with InvalidUserType (400)', async () => {
    const expected = {
      code: 'InvalidUserType',
      message:
        'ChangePassword changes the password of the IAM user calling it: call it with the credentials of an IAM user.',
    }
    const root = await g.call('ChangePassword', { OldPassword: GOOD, NewPassword: GOOD })
    assert.equal(root.status, 400)
    assert.deepEqual(root.error, expected)

    const assumer = await createUserWithKey(g, 'assumer')
    await g.call('PutUserPolicy', {
      UserName: 'assumer',
      PolicyName: 'Assume',
      PolicyDocument: policy('Allow', 'sts:AssumeRole'),
    })
    await createRole(
      g,
      { name: 'changer', assumeRolePolicyDocument: trustPolicy(ACCOUNT_ID) },
      { All: policy('Allow', 'iam:*') },
    )
    const assumed = await sts(
      g,
      'AssumeRole',
      { RoleArn: `${ARN}:role/changer`, RoleSessionName: 'session' },
      assumer,
    )
    assert.equal(assumed.status, 200, assumed.body)
    const session = credentialsOf(assumed, 'AssumeRole')
    const r = await callWith(
      g,
      'ChangePassword',
      { OldPassword: GOOD, NewPassword: GOOD },
      { key: session },
    )
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, expected)
  })

  it('requires both passwords', async () => {
    const r = await g.call('ChangePassword', { NewPassword: GOOD }, { key: zoe })
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'ValidationError',
      message:
        "1 validation error detected: Value null at 'oldPassword' failed to satisfy constraint: Member must not be null",
    })
  })
})

describe('passwords and the audit trail', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  it('records CreateLoginProfile, UpdateLoginProfile and ChangePassword with no password', async () => {
    const key = await createUserWithKey(g, 'audited')
    await g.call('PutUserPolicy', {
      UserName: 'audited',
      PolicyName: 'OwnPassword',
      PolicyDocument: policy('Allow', 'iam:ChangePassword'),
    })
    const secrets = ['Audit-Pass-01', 'Audit-Pass-02', 'Audit-Pass-03', 'tiny']
    assert.equal(
      (
        await g.call('CreateLoginProfile', {
          UserName: 'audited',
          Password: secrets[0] ?? '',
          PasswordResetRequired: 'true',
        })
      ).status,
      200,
    )
    assert.equal(
      (await g.call('UpdateLoginProfile', { UserName: 'audited', Password: secrets[1] ?? '' }))
        .status,
      200,
    )
    const changed = await g.call(
      'ChangePassword',
      { OldPassword: secrets[1] ?? '', NewPassword: secrets[2] ?? '' },
      { key },
    )
    assert.equal(changed.status, 200, changed.body)
    // A refused password must not reach the trail through the error message either.
    const refused = await g.call(
      'ChangePassword',
      { OldPassword: secrets[2] ?? '', NewPassword: secrets[3] ?? '' },
      { key },
    )
    assert.equal(refused.error?.code, 'PasswordPolicyViolation')

    const events = await g.trail.readTrailEvents(0, 1000)
    const records = events
      .filter((e) =>
        ['CreateLoginProfile', 'UpdateLoginProfile', 'ChangePassword'].includes(e.eventName),
      )
      .map((e) => e.record)
    assert.equal(records.length, 4)
    for (const record of records) {
      for (const secret of secrets) assert.equal(record.includes(secret), false, record)
    }
    const created = JSON.parse(records[0] ?? '{}') as Record<string, unknown>
    assert.deepEqual(created['requestParameters'], {
      userName: 'audited',
      passwordResetRequired: true,
    })
    const change = JSON.parse(records[2] ?? '{}') as Record<string, unknown>
    assert.equal(change['eventName'], 'ChangePassword')
    assert.equal(change['requestParameters'], null)
  })
})
