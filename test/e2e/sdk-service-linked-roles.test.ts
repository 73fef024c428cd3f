/**
 * End to end against `gatehouse serve` on 127.0.0.1: service-linked roles with the real AWS SDK
 * for JavaScript v3 and the real AWS CLI (`aws iam create-service-linked-role`,
 * `delete-service-linked-role`, `get-service-linked-role-deletion-status`): the role IAM names
 * for the service at its /aws-service-role/ path, the deletion task and its status,
 * SetSecurityTokenServicePreferences, AWS's errors as each client reports them, and a user no
 * policy allows. Nothing is mocked. The CLI's test is skipped, with the reason, where it is not
 * installed.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  DeleteServiceLinkedRoleCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  IAMClient,
  SetSecurityTokenServicePreferencesCommand,
} from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

const BEANSTALK = 'elasticbeanstalk.amazonaws.com'
const BEANSTALK_ROLE = 'AWSServiceRoleForElasticBeanstalk'
const TASK_ID = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/[0-9a-f-]{36}$/

describe('service-linked roles against gatehouse serve: the AWS SDK v3 and the AWS CLI', () => {
  let server: ServerProcess
  let root: Key
  // maxAttempts 1: an error should come back at once, not after the SDK's retries.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('creates, deletes and reports the deletion of a role with the SDK', async () => {
    const created = await iam(root).send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: BEANSTALK, Description: 'sdk' }),
    )
    assert.equal(created.Role?.RoleName, BEANSTALK_ROLE)
    assert.equal(created.Role?.Path, `/aws-service-role/${BEANSTALK}/`)
    assert.equal(
      created.Role?.Arn,
      `arn:aws:iam::${server.accountId}:role/aws-service-role/${BEANSTALK}/${BEANSTALK_ROLE}`,
    )
    assert.equal(created.Role?.Description, 'sdk')
    assert.ok(created.Role?.CreateDate instanceof Date)
    const trust = JSON.parse(
      decodeURIComponent(created.Role?.AssumeRolePolicyDocument ?? ''),
    ) as unknown
    assert.deepEqual(trust, {
      Version: '2012-10-17',
      Statement: [
        { Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [BEANSTALK] } },
      ],
    })

    const deleted = await iam(root).send(
      new DeleteServiceLinkedRoleCommand({ RoleName: BEANSTALK_ROLE }),
    )
    assert.deepEqual(TASK_ID.exec(deleted.DeletionTaskId ?? '')?.slice(1), [
      BEANSTALK,
      BEANSTALK_ROLE,
    ])
    const status = await iam(root).send(
      new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: deleted.DeletionTaskId }),
    )
    assert.equal(status.Status, 'SUCCEEDED')
    assert.equal(status.Reason, undefined)
    assert.equal(
      (await failure(iam(root).send(new GetRoleCommand({ RoleName: BEANSTALK_ROLE })))).name,
      'NoSuchEntityException',
    )
  })

  it("reports AWS's errors as the SDK's exceptions", async () => {
    await iam(root).send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }),
    )
    assert.deepEqual(
      await failure(
        iam(root).send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' })),
      ),
      {
        name: 'InvalidInputException',
        message:
          'Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.',
        status: 400,
      },
    )
    assert.deepEqual(
      await failure(
        iam(root).send(
          new CreateServiceLinkedRoleCommand({ AWSServiceName: BEANSTALK, CustomSuffix: 'x' }),
        ),
      ),
      {
        name: 'InvalidInputException',
        message: `Custom suffix is not allowed for ${BEANSTALK}`,
        status: 400,
      },
    )
    assert.deepEqual(
      await failure(
        iam(root).send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForNone' })),
      ),
      {
        name: 'NoSuchEntityException',
        message: 'The role with name AWSServiceRoleForNone cannot be found.',
        status: 404,
      },
    )
    assert.deepEqual(
      await failure(
        iam(root).send(
          new SetSecurityTokenServicePreferencesCommand({
            GlobalEndpointTokenVersion: 'v9Token' as 'v1Token',
          }),
        ),
      ),
      {
        name: 'ValidationError',
        message:
          "1 validation error detected: Value 'v9Token' at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set: [v1Token, v2Token]",
        status: 400,
      },
    )
    await iam(root).send(
      new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }),
    )
  })

  it('denies a user no policy allows', async () => {
    await iam(root).send(new CreateUserCommand({ UserName: 'sdk-nobody' }))
    const made = await iam(root).send(new CreateAccessKeyCommand({ UserName: 'sdk-nobody' }))
    const nobody = {
      accessKeyId: made.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: made.AccessKey?.SecretAccessKey ?? '',
    }
    assert.deepEqual(
      await failure(
        iam(nobody).send(new CreateServiceLinkedRoleCommand({ AWSServiceName: BEANSTALK })),
      ),
      {
        name: 'AccessDenied',
        message: `User: arn:aws:iam::${server.accountId}:user/sdk-nobody is not authorized to perform: iam:CreateServiceLinkedRole on resource: arn:aws:iam::${server.accountId}:role/aws-service-role/${BEANSTALK}/${BEANSTALK_ROLE} because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
        status: 403,
      },
    )
  })

  it('runs the AWS CLI: create, delete, deletion status, errors', { skip: NO_AWS_CLI }, () => {
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
    function failed(...args: string[]): string {
      const run = aws(...args)
      assert.notEqual(run.status, 0, `aws ${args.join(' ')} succeeded: ${run.out}`)
      return run.err.trim()
    }

    const created = awsJson('iam', 'create-service-linked-role', '--aws-service-name', BEANSTALK)
    const role = created['Role'] as Record<string, unknown>
    assert.equal(role['RoleName'], BEANSTALK_ROLE)
    assert.equal(role['Path'], `/aws-service-role/${BEANSTALK}/`)
    // The CLI decodes the URL-encoded trust policy into JSON.
    assert.deepEqual(role['AssumeRolePolicyDocument'], {
      Version: '2012-10-17',
      Statement: [
        { Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [BEANSTALK] } },
      ],
    })
    assert.equal(
      failed('iam', 'create-service-linked-role', '--aws-service-name', BEANSTALK),
      `An error occurred (InvalidInput) when calling the CreateServiceLinkedRole operation: Service role name ${BEANSTALK_ROLE} has been taken in this account, please try a different suffix.`,
    )

    const suffixed = awsJson(
      'iam',
      'create-service-linked-role',
      '--aws-service-name',
      'autoscaling.amazonaws.com',
      '--custom-suffix',
      'cli',
    )
    assert.equal(
      (suffixed['Role'] as Record<string, unknown>)['RoleName'],
      'AWSServiceRoleForAutoScaling_cli',
    )

    const deleted = awsJson('iam', 'delete-service-linked-role', '--role-name', BEANSTALK_ROLE)
    const taskId = String(deleted['DeletionTaskId'])
    assert.match(taskId, TASK_ID)
    assert.deepEqual(
      awsJson('iam', 'get-service-linked-role-deletion-status', '--deletion-task-id', taskId),
      { Status: 'SUCCEEDED' },
    )
    assert.equal(
      failed('iam', 'delete-service-linked-role', '--role-name', BEANSTALK_ROLE),
      `An error occurred (NoSuchEntity) when calling the DeleteServiceLinkedRole operation: The role with name ${BEANSTALK_ROLE} cannot be found.`,
    )
    assert.deepEqual(
      awsJson(
        'iam',
        'set-security-token-service-preferences',
        '--global-endpoint-token-version',
        'v1Token',
      ),
      {},
    )
  })
})
