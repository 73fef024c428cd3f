/**
 * End to end against `gatehouse serve` on 127.0.0.1, with the real AWS SDK for JavaScript v3
 * and the real AWS CLI: the account password policy, login profiles and ChangePassword, their
 * errors as the clients raise them, and the policy enforced on every password set. Nothing is
 * mocked. The CLI part is skipped, with the reason, where the CLI is not installed.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  DeleteLoginProfileCommand,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

const noCli = (() => {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' })
  return probe.status === 0 ? false : 'aws is not installed here'
})()

describe('the AWS SDK v3 and the AWS CLI against gatehouse serve: passwords', () => {
  let server: ServerProcess
  let root: Key
  let arn: string
  // maxAttempts 1: an error should come back at once, not after the SDK's retries.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    arn = `arn:aws:iam::${server.accountId}`
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('sets, reads and deletes the account password policy with the SDK', async () => {
    assert.deepEqual(await failure(iam(root).send(new GetAccountPasswordPolicyCommand({}))), {
      name: 'NoSuchEntityException',
      message: `The Password Policy with domain name ${server.accountId} cannot be found.`,
      status: 404,
    })
    await iam(root).send(
      new UpdateAccountPasswordPolicyCommand({
        MinimumPasswordLength: 10,
        RequireNumbers: true,
        AllowUsersToChangePassword: true,
        MaxPasswordAge: 30,
        PasswordReusePrevention: 2,
      }),
    )
    const got = await iam(root).send(new GetAccountPasswordPolicyCommand({}))
    assert.deepEqual(got.PasswordPolicy, {
      MinimumPasswordLength: 10,
      RequireSymbols: false,
      RequireNumbers: true,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      MaxPasswordAge: 30,
      PasswordReusePrevention: 2,
      HardExpiry: false,
    })
    const invalid = await failure(
      iam(root).send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 200 })),
    )
    assert.deepEqual(invalid, {
      name: 'ValidationError',
      message:
        "1 validation error detected: Value '200' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128",
      status: 400,
    })
    await iam(root).send(new DeleteAccountPasswordPolicyCommand({}))
    assert.deepEqual(await failure(iam(root).send(new DeleteAccountPasswordPolicyCommand({}))), {
      name: 'NoSuchEntityException',
      message: 'The account policy with name PasswordPolicy cannot be found.',
      status: 404,
    })
  })

  it('manages a login profile with the SDK, and a user changes its own password', async () => {
    await iam(root).send(new CreateUserCommand({ UserName: 'sdk-sam' }))
    const created = await iam(root).send(
      new CreateLoginProfileCommand({
        UserName: 'sdk-sam',
        Password: 'First-Pass-1',
        PasswordResetRequired: true,
      }),
    )
    assert.equal(created.LoginProfile?.UserName, 'sdk-sam')
    assert.ok(created.LoginProfile?.CreateDate instanceof Date)
    assert.equal(created.LoginProfile?.PasswordResetRequired, true)
    const got = await iam(root).send(new GetLoginProfileCommand({ UserName: 'sdk-sam' }))
    assert.deepEqual(got.LoginProfile, created.LoginProfile)

    assert.deepEqual(
      await failure(
        iam(root).send(
          new CreateLoginProfileCommand({ UserName: 'sdk-sam', Password: 'First-Pass-1' }),
        ),
      ),
      {
        name: 'EntityAlreadyExistsException',
        message: 'Login Profile for user sdk-sam already exists.',
        status: 409,
      },
    )
    assert.deepEqual(
      await failure(
        iam(root).send(new UpdateLoginProfileCommand({ UserName: 'sdk-sam', Password: 'abc' })),
      ),
      {
        name: 'PasswordPolicyViolationException',
        message:
          'Password should have a minimum length of 8, Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol',
        status: 400,
      },
    )

    const made = await iam(root).send(new CreateAccessKeyCommand({ UserName: 'sdk-sam' }))
    const sam = {
      accessKeyId: made.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: made.AccessKey?.SecretAccessKey ?? '',
    }
    const change = (OldPassword: string, NewPassword: string) =>
      iam(sam).send(new ChangePasswordCommand({ OldPassword, NewPassword }))
    const denied = await failure(change('First-Pass-1', 'Second-Pass-2'))
    assert.equal(denied.name, 'AccessDenied')
    assert.equal(denied.status, 403)
    await iam(root).send(
      new PutUserPolicyCommand({
        UserName: 'sdk-sam',
        PolicyName: 'OwnPassword',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:ChangePassword', Resource: `${arn}:user/sdk-sam` },
          ],
        }),
      }),
    )
    assert.deepEqual(await failure(change('not-it', 'Second-Pass-2')), {
      name: 'AccessDenied',
      message: 'The old password is incorrect.',
      status: 403,
    })
    await change('First-Pass-1', 'Second-Pass-2')
    const after = await iam(root).send(new GetLoginProfileCommand({ UserName: 'sdk-sam' }))
    assert.equal(after.LoginProfile?.PasswordResetRequired, false)
    assert.deepEqual(
      await failure(
        iam(root).send(
          new ChangePasswordCommand({ OldPassword: 'Second-Pass-2', NewPassword: 'Third-Pass-3' }),
        ),
      ),
      {
        name: 'InvalidUserTypeException',
        message:
          'ChangePassword changes the password of the IAM user calling it: call it with the credentials of an IAM user.',
        status: 400,
      },
    )

    await iam(root).send(new DeleteLoginProfileCommand({ UserName: 'sdk-sam' }))
    assert.deepEqual(
      await failure(iam(root).send(new GetLoginProfileCommand({ UserName: 'sdk-sam' }))),
      {
        name: 'NoSuchEntityException',
        message: 'Login Profile for User sdk-sam cannot be found.',
        status: 404,
      },
    )
  })

  describe('the AWS CLI', { skip: noCli }, () => {
    function aws(key: Key, ...args: string[]): { status: number | null; out: string; err: string } {
      const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
        env: awsCliEnv(key),
        encoding: 'utf8',
        timeout: 60_000,
      })
      return { status: run.status, out: run.stdout, err: run.stderr }
    }

    function awsJson(key: Key, ...args: string[]): Record<string, unknown> {
      const run = aws(key, ...args)
      assert.equal(run.status, 0, `aws ${args.join(' ')}: ${run.err}`)
      return run.out.trim() === '' ? {} : (JSON.parse(run.out) as Record<string, unknown>)
    }

    it('sets the policy, then creates and reads a login profile held to it', () => {
      awsJson(
        root,
        'iam',
        'update-account-password-policy',
        '--minimum-password-length',
        '12',
        '--require-symbols',
        '--require-numbers',
        '--password-reuse-prevention',
        '5',
      )
      const policy = awsJson(root, 'iam', 'get-account-password-policy')
      assert.deepEqual(policy['PasswordPolicy'], {
        MinimumPasswordLength: 12,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: false,
        RequireLowercaseCharacters: false,
        AllowUsersToChangePassword: false,
        ExpirePasswords: false,
        PasswordReusePrevention: 5,
        HardExpiry: false,
      })

      awsJson(root, 'iam', 'create-user', '--user-name', 'cli-cat')
      const weak = aws(
        root,
        'iam',
        'create-login-profile',
        '--user-name',
        'cli-cat',
        '--password',
        'password',
      )
      assert.notEqual(weak.status, 0)
      assert.match(
        weak.err,
        /An error occurred \(PasswordPolicyViolation\) when calling the CreateLoginProfile operation: Password should have a minimum length of 12, Password should have at least one number, Password should have at least one symbol/,
      )
      assert.equal(weak.err.includes("'password'"), false)

      const created = awsJson(
        root,
        'iam',
        'create-login-profile',
        '--user-name',
        'cli-cat',
        '--password',
        'Cli-Pass-2026!',
        '--password-reset-required',
      )
      const profile = created['LoginProfile'] as Record<string, unknown>
      assert.equal(profile['UserName'], 'cli-cat')
      assert.equal(profile['PasswordResetRequired'], true)
      assert.match(String(profile['CreateDate']), /^\d{4}-\d\d-\d\dT/)

      const got = awsJson(root, 'iam', 'get-login-profile', '--user-name', 'cli-cat')
      assert.deepEqual(got['LoginProfile'], profile)

      const missing = aws(root, 'iam', 'get-login-profile', '--user-name', 'nobody')
      assert.notEqual(missing.status, 0)
      assert.match(
        missing.err,
        /An error occurred \(NoSuchEntity\) when calling the GetLoginProfile operation: The user with name nobody cannot be found\./,
      )
      awsJson(root, 'iam', 'delete-login-profile', '--user-name', 'cli-cat')
      awsJson(root, 'iam', 'delete-account-password-policy')
    })
  })
})
