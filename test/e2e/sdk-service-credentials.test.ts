/**
 * End to end with the real AWS SDK for JavaScript v3 and the real AWS CLI against
 * `gatehouse serve` on 127.0.0.1: service-specific credentials, from a CodeCommit password and a
 * Bedrock API key through the list (paged by hand: the SDK has no paginator for it), a reset, a
 * status change and deletion, with AWS's errors as the clients read them. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteUserCommand,
  IAMClient,
  ListServiceSpecificCredentialsCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateServiceSpecificCredentialCommand,
} from '@aws-sdk/client-iam'
import type { ServiceSpecificCredentialMetadata } from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

const CODECOMMIT = 'codecommit.amazonaws.com'
const BEDROCK = 'bedrock.amazonaws.com'
const DAY_MS = 24 * 60 * 60 * 1000

describe('service-specific credentials against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    for (const name of ['sdk-user', 'u']) {
      await iam(root).send(new CreateUserCommand({ UserName: name }))
    }
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('creates, lists, resets, deactivates and deletes a CodeCommit credential with the SDK', async () => {
    const created = await iam(root).send(
      new CreateServiceSpecificCredentialCommand({ UserName: 'sdk-user', ServiceName: CODECOMMIT }),
    )
    const credential = created.ServiceSpecificCredential
    const id = credential?.ServiceSpecificCredentialId ?? ''
    assert.match(id, /^ACCA[A-Z2-7]{17}$/)
    assert.equal(credential?.ServiceUserName, `sdk-user-at-${server.accountId}`)
    assert.match(credential?.ServicePassword ?? '', /^[A-Za-z0-9+/]{59}=$/)
    assert.equal(credential?.UserName, 'sdk-user')
    assert.equal(credential?.Status, 'Active')
    assert.ok(credential?.CreateDate instanceof Date)
    assert.equal(credential?.ServiceCredentialSecret, undefined)

    const second = await iam(root).send(
      new CreateServiceSpecificCredentialCommand({ UserName: 'sdk-user', ServiceName: CODECOMMIT }),
    )
    assert.equal(
      second.ServiceSpecificCredential?.ServiceUserName,
      `sdk-user+1-at-${server.accountId}`,
    )
    const third = await failure(
      iam(root).send(
        new CreateServiceSpecificCredentialCommand({
          UserName: 'sdk-user',
          ServiceName: CODECOMMIT,
        }),
      ),
    )
    assert.deepEqual(third, {
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for ServiceSpecificCredentialsPerUser: 2',
      status: 409,
    })

    // Page by hand, one credential a page.
    const listed: ServiceSpecificCredentialMetadata[] = []
    let marker: string | undefined
    do {
      const page = await iam(root).send(
        new ListServiceSpecificCredentialsCommand({
          UserName: 'sdk-user',
          ServiceName: CODECOMMIT,
          MaxItems: 1,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      )
      listed.push(...(page.ServiceSpecificCredentials ?? []))
      assert.equal(page.IsTruncated, page.Marker !== undefined)
      marker = page.Marker
    } while (marker !== undefined)
    assert.deepEqual(
      listed.map((c) => [c.ServiceSpecificCredentialId, c.ServiceUserName, c.Status]),
      [
        [id, `sdk-user-at-${server.accountId}`, 'Active'],
        [
          second.ServiceSpecificCredential?.ServiceSpecificCredentialId,
          `sdk-user+1-at-${server.accountId}`,
          'Active',
        ],
      ],
    )
    assert.ok(!JSON.stringify(listed).includes(credential?.ServicePassword ?? '?'))

    const reset = await iam(root).send(
      new ResetServiceSpecificCredentialCommand({
        UserName: 'sdk-user',
        ServiceSpecificCredentialId: id,
      }),
    )
    assert.equal(reset.ServiceSpecificCredential?.ServiceSpecificCredentialId, id)
    assert.match(reset.ServiceSpecificCredential?.ServicePassword ?? '', /^[A-Za-z0-9+/]{59}=$/)
    assert.notEqual(reset.ServiceSpecificCredential?.ServicePassword, credential?.ServicePassword)

    await iam(root).send(
      new UpdateServiceSpecificCredentialCommand({
        UserName: 'sdk-user',
        ServiceSpecificCredentialId: id,
        Status: 'Inactive',
      }),
    )
    const afterUpdate = await iam(root).send(
      new ListServiceSpecificCredentialsCommand({ UserName: 'sdk-user' }),
    )
    assert.equal(
      afterUpdate.ServiceSpecificCredentials?.find((c) => c.ServiceSpecificCredentialId === id)
        ?.Status,
      'Inactive',
    )

    const conflict = await failure(iam(root).send(new DeleteUserCommand({ UserName: 'sdk-user' })))
    assert.notEqual(conflict.status, 200)
    for (const c of listed) {
      await iam(root).send(
        new DeleteServiceSpecificCredentialCommand({
          UserName: 'sdk-user',
          ServiceSpecificCredentialId: c.ServiceSpecificCredentialId,
        }),
      )
    }
    const gone = await failure(
      iam(root).send(
        new DeleteServiceSpecificCredentialCommand({
          UserName: 'sdk-user',
          ServiceSpecificCredentialId: id,
        }),
      ),
    )
    assert.deepEqual(gone, {
      name: 'NoSuchEntityException',
      message: `No such credential ${id} exists`,
      status: 404,
    })
    await iam(root).send(new DeleteUserCommand({ UserName: 'sdk-user' }))
  })

  it('creates a Bedrock API key that expires, and refuses an unsupported service', async () => {
    await iam(root).send(new CreateUserCommand({ UserName: 'bedrock-user' }))
    const created = await iam(root).send(
      new CreateServiceSpecificCredentialCommand({
        UserName: 'bedrock-user',
        ServiceName: BEDROCK,
        CredentialAgeDays: 30,
      }),
    )
    const key = created.ServiceSpecificCredential
    assert.equal(key?.ServiceCredentialAlias, `bedrock-user-at-${server.accountId}`)
    assert.match(key?.ServiceCredentialSecret ?? '', /^ABSK/)
    assert.equal(key?.ServiceUserName, undefined)
    assert.equal(key?.ServicePassword, undefined)
    assert.equal(
      (key?.ExpirationDate?.getTime() ?? 0) - (key?.CreateDate?.getTime() ?? 0),
      30 * DAY_MS,
    )
    const listed = await iam(root).send(
      new ListServiceSpecificCredentialsCommand({ AllUsers: true, ServiceName: BEDROCK }),
    )
    assert.deepEqual(
      listed.ServiceSpecificCredentials?.map((c) => [c.UserName, c.ServiceCredentialAlias]),
      [['bedrock-user', `bedrock-user-at-${server.accountId}`]],
    )
    assert.ok(listed.ServiceSpecificCredentials?.[0]?.ExpirationDate instanceof Date)

    const unsupported = await failure(
      iam(root).send(
        new CreateServiceSpecificCredentialCommand({
          UserName: 'bedrock-user',
          ServiceName: 'lambda.amazonaws.com',
        }),
      ),
    )
    assert.deepEqual(unsupported, {
      name: 'ServiceNotSupportedException',
      message: 'No such service lambda.amazonaws.com is supported for Service Specific Credentials',
      status: 404,
    })
  })

  it('runs the AWS CLI: create, list, reset, update, delete', { skip: NO_AWS_CLI }, () => {
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

    const created = awsJson(
      'iam',
      'create-service-specific-credential',
      '--user-name',
      'u',
      '--service-name',
      CODECOMMIT,
    )
    const credential = created['ServiceSpecificCredential'] as Record<string, string>
    assert.deepEqual(Object.keys(credential).sort(), [
      'CreateDate',
      'ServiceName',
      'ServicePassword',
      'ServiceSpecificCredentialId',
      'ServiceUserName',
      'Status',
      'UserName',
    ])
    assert.equal(credential['ServiceUserName'], `u-at-${server.accountId}`)
    assert.equal(credential['ServiceName'], CODECOMMIT)
    assert.equal(credential['Status'], 'Active')
    const id = credential['ServiceSpecificCredentialId'] ?? ''

    const listed = awsJson(
      'iam',
      'list-service-specific-credentials',
      '--user-name',
      'u',
      '--service-name',
      CODECOMMIT,
    )
    const items = listed['ServiceSpecificCredentials'] as Record<string, string>[]
    assert.deepEqual(
      items.map((c) => [c['ServiceSpecificCredentialId'], c['ServiceUserName'], c['UserName']]),
      [[id, `u-at-${server.accountId}`, 'u']],
    )
    assert.equal(items[0]?.['ServicePassword'], undefined)

    const reset = awsJson(
      'iam',
      'reset-service-specific-credential',
      '--user-name',
      'u',
      '--service-specific-credential-id',
      id,
    )
    const password = (reset['ServiceSpecificCredential'] as Record<string, string>)[
      'ServicePassword'
    ]
    assert.match(password ?? '', /^[A-Za-z0-9+/]{59}=$/)
    assert.notEqual(password, credential['ServicePassword'])

    awsJson(
      'iam',
      'update-service-specific-credential',
      '--user-name',
      'u',
      '--service-specific-credential-id',
      id,
      '--status',
      'Inactive',
    )
    const inactive = awsJson('iam', 'list-service-specific-credentials', '--user-name', 'u')
    assert.equal(
      (inactive['ServiceSpecificCredentials'] as Record<string, string>[])[0]?.['Status'],
      'Inactive',
    )

    const unsupported = aws(
      'iam',
      'create-service-specific-credential',
      '--user-name',
      'u',
      '--service-name',
      'lambda.amazonaws.com',
    )
    assert.notEqual(unsupported.status, 0)
    assert.equal(
      unsupported.err.trim(),
      'An error occurred (NotSupportedService) when calling the CreateServiceSpecificCredential operation: No such service lambda.amazonaws.com is supported for Service Specific Credentials',
    )

    awsJson(
      'iam',
      'delete-service-specific-credential',
      '--user-name',
      'u',
      '--service-specific-credential-id',
      id,
    )
    const again = aws(
      'iam',
      'delete-service-specific-credential',
      '--user-name',
      'u',
      '--service-specific-credential-id',
      id,
    )
    assert.notEqual(again.status, 0)
    assert.equal(
      again.err.trim(),
      `An error occurred (NoSuchEntity) when calling the DeleteServiceSpecificCredential operation: No such credential ${id} exists`,
    )
  })
})
