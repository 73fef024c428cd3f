/**
 * End to end against `gatehouse serve` on 127.0.0.1: IAM's Organizations operations with the
 * real AWS SDK for JavaScript v3 and the real AWS CLI. A Gatehouse account is in no AWS
 * Organization: centralized root access and the Organizations access report answer as AWS does
 * for such an account, and each client reports it as it would AWS's answer.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  DisableOrganizationsRootCredentialsManagementCommand,
  DisableOrganizationsRootSessionsCommand,
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  GenerateOrganizationsAccessReportCommand,
  GetOrganizationsAccessReportCommand,
  IAMClient,
  ListOrganizationsFeaturesCommand,
} from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

const NO_ORGANIZATION =
  'The request was rejected because no organization is associated with your account.'

const noCli =
  spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0
    ? false
    : 'aws is not installed here'

describe('Organizations operations against gatehouse serve: the AWS SDK v3 and the AWS CLI', () => {
  let server: ServerProcess
  let iam: IAMClient
  let key: { accessKeyId: string; secretAccessKey: string }
  before(async () => {
    server = await startServerProcess()
    key = printedRootKey(server.stdout())
    iam = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
    })
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('answers centralized root access with OrganizationNotFoundException (400)', async () => {
    const commands = [
      new ListOrganizationsFeaturesCommand({}),
      new EnableOrganizationsRootCredentialsManagementCommand({}),
      new DisableOrganizationsRootCredentialsManagementCommand({}),
      new EnableOrganizationsRootSessionsCommand({}),
      new DisableOrganizationsRootSessionsCommand({}),
    ]
    for (const command of commands) {
      // Each command is its own class; send takes any of them.
      const failed = await failure(iam.send(command))
      assert.deepEqual(failed, {
        name: 'OrganizationNotFoundException',
        message: NO_ORGANIZATION,
        status: 400,
      })
    }
  })

  it('has no Organizations access report to generate or read', async () => {
    const generated = await failure(
      iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: 'o-a1b2c3d4e5/r-f6g7' })),
    )
    assert.equal(generated.name, 'OrganizationNotFoundException')
    assert.equal(generated.status, 400)
    const jobId = '11111111-2222-3333-4444-555555555555'
    const read = await failure(iam.send(new GetOrganizationsAccessReportCommand({ JobId: jobId })))
    assert.deepEqual(read, {
      name: 'NoSuchEntityException',
      message: `The job with ID ${jobId} cannot be found.`,
      status: 404,
    })
  })

  it('answers the AWS CLI the same way', { skip: noCli }, () => {
    const run = spawnSync(
      'aws',
      ['--endpoint-url', server.url, 'iam', 'list-organizations-features'],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env['PATH'],
          HOME: process.env['HOME'],
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      },
    )
    assert.notEqual(run.status, 0, run.stderr)
    assert.match(
      run.stderr,
      /An error occurred \(OrganizationNotFoundException\) when calling the ListOrganizationsFeatures operation: The request was rejected because no organization is associated with your account\./,
    )
  })
})
