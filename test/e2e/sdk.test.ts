/**
 * End to end with the real AWS SDK for JavaScript v3 (@aws-sdk/client-iam, client-sts) against
 * `gatehouse serve` on 127.0.0.1: real SigV4 signing, real HTTP, real XML parsing, a real SQLite
 * file. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  paginateListUsers,
} from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

describe('the AWS SDK for JavaScript v3 against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
  const iam = (key: Key, region = 'us-east-1') =>
    new IAMClient({ endpoint: server.url, region, credentials: key, maxAttempts: 1 })
  const sts = (key: Key) =>
    new STSClient({ endpoint: server.url, region: 'eu-west-1', credentials: key, maxAttempts: 1 })
  let alice: Key

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('answers GetCallerIdentity for the root user', async () => {
    const identity = await sts(root).send(new GetCallerIdentityCommand({}))
    assert.equal(identity.Account, server.accountId)
    assert.equal(identity.UserId, server.accountId)
    assert.equal(identity.Arn, `arn:aws:iam::${server.accountId}:root`)
    assert.match(identity.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/)
  })

  it('creates a user and an access key, and signs as that user', async () => {
    const created = await iam(root).send(
      new CreateUserCommand({
        UserName: 'alice',
        Path: '/team/',
        Tags: [{ Key: 'Dept', Value: 'Eng' }],
      }),
    )
    assert.equal(created.User?.Arn, `arn:aws:iam::${server.accountId}:user/team/alice`)
    assert.ok(created.User?.CreateDate instanceof Date)
    assert.deepEqual(created.User?.Tags, [{ Key: 'Dept', Value: 'Eng' }])

    const key = await iam(root).send(new CreateAccessKeyCommand({ UserName: 'alice' }))
    assert.equal(key.AccessKey?.Status, 'Active')
    alice = {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    }
    const identity = await sts(alice).send(new GetCallerIdentityCommand({}))
    assert.equal(identity.Arn, `arn:aws:iam::${server.accountId}:user/team/alice`)
    assert.equal(identity.UserId, created.User?.UserId)
  })

  it('denies the user without a policy, with AWS AccessDenied message', async () => {
    const denied = await failure(iam(alice).send(new ListUsersCommand({})))
    assert.deepEqual(denied, {
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${server.accountId}:user/team/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${server.accountId}:user/ because no identity-based policy allows the iam:ListUsers action`,
      status: 403,
    })
  })

  it('allows the user after PutUserPolicy, and returns the policy encoded', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Action: ['iam:List*', 'iam:Get*'], Resource: '*' },
      ],
    })
    await iam(root).send(
      new PutUserPolicyCommand({
        UserName: 'alice',
        PolicyName: 'ReadIam',
        PolicyDocument: document,
      }),
    )
    const listed = await iam(alice, 'ap-south-1').send(new ListUsersCommand({}))
    assert.deepEqual(
      listed.Users?.map((u) => u.UserName),
      ['alice'],
    )
    assert.equal(listed.IsTruncated, false)
    assert.equal(listed.Marker, undefined)

    const got = await iam(alice).send(
      new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'ReadIam' }),
    )
    // SDK v3 does not decode policy documents: it hands over IAM's RFC 3986 encoding.
    assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), document)
    const names = await iam(alice).send(new ListUserPoliciesCommand({ UserName: 'alice' }))
    assert.deepEqual(names.PolicyNames, ['ReadIam'])

    const self = await iam(alice).send(new GetUserCommand({}))
    assert.equal(self.User?.UserName, 'alice')
    assert.deepEqual(self.User?.Tags, [{ Key: 'Dept', Value: 'Eng' }])

    const stillDenied = await failure(iam(alice).send(new CreateUserCommand({ UserName: 'eve' })))
    assert.equal(stillDenied.name, 'AccessDenied')
  })

  it('pages ListUsers with the SDK paginator', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `paged-${String(i).padStart(3, '0')}`)
    for (const name of names) {
      await iam(root).send(new CreateUserCommand({ UserName: name, Path: '/paged/' }))
    }
    const seen: string[] = []
    let pages = 0
    for await (const page of paginateListUsers(
      { client: iam(root), pageSize: 50 },
      { PathPrefix: '/paged/' },
    )) {
      pages++
      seen.push(...(page.Users ?? []).map((u) => u.UserName ?? ''))
    }
    assert.equal(pages, 3)
    assert.deepEqual(seen, names)
  })

  it("gives AWS's error codes and statuses, which the SDK maps to its exceptions", async () => {
    const missing = await failure(iam(root).send(new GetUserCommand({ UserName: 'ghost' })))
    assert.deepEqual(missing, {
      name: 'NoSuchEntityException',
      message: 'The user with name ghost cannot be found.',
      status: 404,
    })
    const taken = await failure(iam(root).send(new CreateUserCommand({ UserName: 'ALICE' })))
    assert.deepEqual(taken, {
      name: 'EntityAlreadyExistsException',
      message: 'User with name ALICE already exists.',
      status: 409,
    })
    const malformed = await failure(
      iam(root).send(
        new PutUserPolicyCommand({
          UserName: 'alice',
          PolicyName: 'Bad',
          PolicyDocument:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*"}]}',
        }),
      ),
    )
    assert.equal(malformed.name, 'MalformedPolicyDocumentException')
    assert.equal(malformed.status, 400)
    const conflict = await failure(iam(root).send(new DeleteUserCommand({ UserName: 'alice' })))
    assert.deepEqual(conflict, {
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete access keys first.',
      status: 409,
    })
    await iam(root).send(new CreateAccessKeyCommand({ UserName: 'alice' }))
    const limit = await failure(iam(root).send(new CreateAccessKeyCommand({ UserName: 'alice' })))
    assert.deepEqual(limit, {
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
      status: 409,
    })
    const invalid = await failure(iam(root).send(new CreateUserCommand({ UserName: 'no spaces' })))
    assert.equal(invalid.name, 'ValidationError')
    assert.equal(invalid.status, 400)
  })

  it('refuses a deactivated key, and lets the user go once its keys and policies are gone', async () => {
    await iam(root).send(
      new UpdateAccessKeyCommand({
        UserName: 'alice',
        AccessKeyId: alice.accessKeyId,
        Status: 'Inactive',
      }),
    )
    const refused = await failure(sts(alice).send(new GetCallerIdentityCommand({})))
    assert.deepEqual(refused, {
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      status: 403,
    })
    const keys = await iam(root).send(new ListAccessKeysCommand({ UserName: 'alice' }))
    for (const key of keys.AccessKeyMetadata ?? []) {
      await iam(root).send(
        new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.AccessKeyId }),
      )
    }
    await iam(root).send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'ReadIam' }))
    await iam(root).send(new DeleteUserCommand({ UserName: 'alice' }))
    const gone = await failure(iam(root).send(new GetUserCommand({ UserName: 'alice' })))
    assert.equal(gone.name, 'NoSuchEntityException')
  })

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const wrong = { accessKeyId: root.accessKeyId, secretAccessKey: `${root.secretAccessKey}x` }
    const refused = await failure(sts(wrong).send(new GetCallerIdentityCommand({})))
    assert.equal(refused.name, 'SignatureDoesNotMatch')
    assert.equal(refused.status, 403)
  })
})
