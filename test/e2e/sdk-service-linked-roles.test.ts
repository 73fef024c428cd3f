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
import { describe, it } from 'node:test'
import {
  CreateServiceLinkedRoleCommand,
  DeleteServiceLinkedRoleCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  SetSecurityTokenServicePreferencesCommand,
} from '@aws-sdk/client-iam'
import { NO_AWS_CLI } from '../support/aws-cli.js'
import { awsCliRunner } from '../support/aws-cli-runner.js'
import { iamServerForSuite } from '../support/iam-server.js'
import { createUserKey, iamClient } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'

const BEANSTALK = 'elasticbeanstalk.amazonaws.com'
const BEANSTALK_ROLE = 'AWSServiceRoleForElasticBeanstalk'
const TASK_ID = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/[0-9a-f-]{36}$/

describe('service-linked roles against gatehouse serve: the AWS SDK v3 and the AWS CLI', () => {
  const gatehouse = iamServerForSuite()

  it('creates, deletes and reports the deletion of a role with the SDK', async () => {
    const created = await gatehouse.iam.send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: BEANSTALK, Description: 'sdk' }),
    )
    assert.equal(created.Role?.RoleName, BEANSTALK_ROLE)
    assert.equal(created.Role?.Path, `/aws-service-role/${BEANSTALK}/`)
    assert.equal(
      created.Role?.Arn,
      `arn:aws:iam::${gatehouse.server.accountId}:role/aws-service-role/${BEANSTALK}/${BEANSTALK_ROLE}`,
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

    const deleted = await gatehouse.iam.send(
      new DeleteServiceLinkedRoleCommand({ RoleName: BEANSTALK_ROLE }),
    )
    assert.deepEqual(TASK_ID.exec(deleted.DeletionTaskId ?? '')?.slice(1), [
      BEANSTALK,
      BEANSTALK_ROLE,
    ])
    const status = await gatehouse.iam.send(
      new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: deleted.DeletionTaskId }),
    )
    assert.equal(status.Status, 'SUCCEEDED')
    assert.equal(status.Reason, undefined)
    assert.equal(
      (await failure(gatehouse.iam.send(new GetRoleCommand({ RoleName: BEANSTALK_ROLE })))).name,
      'NoSuchEntityException',
    )
  })

  it("reports AWS's errors as the SDK's exceptions", async () => {
    await gatehouse.iam.send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }),
    )
    assert.deepEqual(
      await failure(
        gatehouse.iam.send(
          new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }),
        ),
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
        gatehouse.iam.send(
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
        gatehouse.iam.send(
          new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForNone' }),
        ),
      ),
      {
        name: 'NoSuchEntityException',
        message: 'The role with name AWSServiceRoleForNone cannot be found.',
        status: 404,
      },
    )
    assert.deepEqual(
      await failure(
        gatehouse.iam.send(
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
    await gatehouse.iam.send(
      new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }),
    )
  })

  it('denies a user no policy allows', async () => {
    const nobody = await createUserKey(gatehouse.iam, 'sdk-nobody')
    assert.deepEqual(
      await failure(
        iamClient(gatehouse.server, nobody).send(
          new CreateServiceLinkedRoleCommand({ AWSServiceName: BEANSTALK }),
        ),
      ),
      {
        name: 'AccessDenied',
        message: `User: arn:aws:iam::${gatehouse.server.accountId}:user/sdk-nobody is not authorized to perform: iam:CreateServiceLinkedRole on resource: arn:aws:iam::${gatehouse.server.accountId}:role/aws-service-role/${BEANSTALK}/${BEANSTALK_ROLE} because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
        status: 403,
      },
    )
  })

  it('runs the AWS CLI: create, delete, deletion status, errors', { skip: NO_AWS_CLI }, () => {
    const { awsJson, awsError } = awsCliRunner(gatehouse.server.url, gatehouse.root)

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
      awsError('iam', 'create-service-linked-role', '--aws-service-name', BEANSTALK),
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
      awsError('iam', 'delete-service-linked-role', '--role-name', BEANSTALK_ROLE),
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
