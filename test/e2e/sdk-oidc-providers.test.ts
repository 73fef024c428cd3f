/**
 * OpenID Connect providers end to end against `gatehouse serve` on 127.0.0.1: every operation
 * with the real AWS SDK for JavaScript v3 (@aws-sdk/client-iam), its paginator and its modeled
 * exceptions, then the real AWS CLI (`aws iam create-open-id-connect-provider ...`), which is
 * skipped, with the reason, where it is not installed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListOpenIDConnectProvidersCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand,
  UntagOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  paginateListOpenIDConnectProviderTags,
} from '@aws-sdk/client-iam'
import type { IAMClient } from '@aws-sdk/client-iam'
import { NO_AWS_CLI } from '../support/aws-cli.js'
import type { CliKey } from '../support/aws-cli.js'
import { awsCliRunner } from '../support/aws-cli-runner.js'
import { startIamServer, stopIamServer } from '../support/iam-server.js'
import {
  expectAllowedByProviderTag,
  expectProviderTagsPaged,
} from '../support/sdk-provider-checks.js'
import { failure } from '../support/sdk-failure.js'
import type { ServerProcess } from '../support/server-process.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)

describe('OpenID Connect providers: the AWS SDK for JavaScript v3 and the AWS CLI against gatehouse serve', () => {
  let server: ServerProcess
  let root: CliKey
  let iam: IAMClient
  const arnOf = (name: string) => `arn:aws:iam::${server.accountId}:oidc-provider/${name}`

  before(async () => {
    ;({ server, root, iam } = await startIamServer())
  })
  after(() => stopIamServer({ server, iam }))

  it('creates a provider and reads it back: the URL without its scheme, the lists and the tags', async () => {
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://token.example.com/tenant',
        ClientIDList: ['sts.amazonaws.com', 'web'],
        ThumbprintList: [A, B],
        Tags: [
          { Key: 'team', Value: 'blue' },
          { Key: 'Env', Value: 'prod' },
        ],
      }),
    )
    assert.equal(created.OpenIDConnectProviderArn, arnOf('token.example.com/tenant'))
    assert.deepEqual(created.Tags, [
      { Key: 'Env', Value: 'prod' },
      { Key: 'team', Value: 'blue' },
    ])
    const got = await iam.send(
      new GetOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: arnOf('token.example.com/tenant'),
      }),
    )
    assert.equal(got.Url, 'token.example.com/tenant')
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com', 'web'])
    assert.deepEqual(got.ThumbprintList, [A, B])
    assert.ok(got.CreateDate instanceof Date)
    assert.ok(Math.abs(got.CreateDate.getTime() - Date.now()) < 60_000)
    assert.deepEqual(got.Tags, [
      { Key: 'Env', Value: 'prod' },
      { Key: 'team', Value: 'blue' },
    ])
  })

  it('creates a provider without thumbprints, reading its empty lists as empty', async () => {
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({ Url: 'https://bare.example' }),
    )
    assert.equal(created.Tags, undefined)
    const got = await iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arnOf('bare.example') }),
    )
    assert.deepEqual(got.ClientIDList, [])
    assert.deepEqual(got.ThumbprintList, [])
    assert.deepEqual(got.Tags, [])
    const listed = await iam.send(new ListOpenIDConnectProvidersCommand({}))
    assert.deepEqual(listed.OpenIDConnectProviderList, [
      { Arn: arnOf('bare.example') },
      { Arn: arnOf('token.example.com/tenant') },
    ])
  })

  it('changes client ids, thumbprints and tags, paging the tags', async () => {
    const providerArn = arnOf('token.example.com/tenant')
    const on = { OpenIDConnectProviderArn: providerArn }
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ ...on, ClientID: 'mobile' }))
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ ...on, ClientID: 'web' }))
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ ...on, ClientID: 'web' }))
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ ...on, ClientID: 'gone' }))
    await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ ...on, ThumbprintList: [C] }))
    const got = await iam.send(new GetOpenIDConnectProviderCommand(on))
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com', 'mobile'])
    assert.deepEqual(got.ThumbprintList, [C])
    await expectProviderTagsPaged({
      tag: (Tags) => iam.send(new TagOpenIDConnectProviderCommand({ ...on, Tags })),
      untag: (TagKeys) => iam.send(new UntagOpenIDConnectProviderCommand({ ...on, TagKeys })),
      // The paginator writes its Marker into the input it is given.
      pages: (pageSize) =>
        paginateListOpenIDConnectProviderTags({ client: iam, pageSize }, { ...on }),
      firstPage: (MaxItems) =>
        iam.send(new ListOpenIDConnectProviderTagsCommand({ ...on, MaxItems })),
    })
  })

  it('refuses bad requests with the exceptions the SDK knows', async () => {
    const duplicate = await failure(
      iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://BARE.example' })),
    )
    assert.deepEqual(duplicate, {
      name: 'EntityAlreadyExistsException',
      message: 'Provider with url https://BARE.example already exists.',
      status: 409,
    })
    const insecure = await failure(
      iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'http://insecure.example' })),
    )
    assert.deepEqual(insecure, {
      name: 'ValidationError',
      message: 'Invalid Open ID Connect Provider URL',
      status: 400,
    })
    const six = await failure(
      iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: 'https://six.example',
          ThumbprintList: [A, A, A, A, A, A],
        }),
      ),
    )
    assert.deepEqual(six, {
      name: 'InvalidInputException',
      message: 'Thumbprint list must contain fewer than 5 entries.',
      status: 400,
    })
    const crowd = await failure(
      iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: 'https://crowd.example',
          ClientIDList: Array.from({ length: 101 }, (_, i) => `client-${i}`),
        }),
      ),
    )
    assert.deepEqual(crowd, {
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100',
      status: 409,
    })
  })

  it('deletes a provider, then answers it with NoSuchEntityException', async () => {
    const on = { OpenIDConnectProviderArn: arnOf('bare.example') }
    await iam.send(new DeleteOpenIDConnectProviderCommand(on))
    assert.deepEqual(await failure(iam.send(new GetOpenIDConnectProviderCommand(on))), {
      name: 'NoSuchEntityException',
      message: `OpenIDConnect Provider not found for arn ${arnOf('bare.example')}`,
      status: 404,
    })
    assert.deepEqual(await failure(iam.send(new DeleteOpenIDConnectProviderCommand(on))), {
      name: 'NoSuchEntityException',
      message: `OpenId connect Provider ${arnOf('bare.example')} cannot be found.`,
      status: 404,
    })
  })

  it('denies a user without a policy, and allows it by the provider’s tag', async () => {
    const on = { OpenIDConnectProviderArn: arnOf('token.example.com/tenant') }
    const got = await expectAllowedByProviderTag(
      { server, iam },
      {
        operation: 'GetOpenIDConnectProvider',
        arn: on.OpenIDConnectProviderArn,
        resource: `arn:aws:iam::${server.accountId}:oidc-provider/*`,
        read: (client) => client.send(new GetOpenIDConnectProviderCommand(on)),
      },
    )
    assert.equal(got.Url, 'token.example.com/tenant')
  })

  describe('the AWS CLI', () => {
    const cli = () => awsCliRunner(server.url, root)

    it('creates, reads, changes and deletes a provider', { skip: NO_AWS_CLI }, () => {
      const { aws, awsJson } = cli()
      const created = awsJson(
        'iam',
        'create-open-id-connect-provider',
        '--url',
        'https://cli.example.org',
        '--client-id-list',
        'sts.amazonaws.com',
        'cli-app',
        '--thumbprint-list',
        A,
        '--tags',
        'Key=owner,Value=cli',
      )
      const providerArn = arnOf('cli.example.org')
      assert.deepEqual(created, {
        OpenIDConnectProviderArn: providerArn,
        Tags: [{ Key: 'owner', Value: 'cli' }],
      })

      const got = awsJson(
        'iam',
        'get-open-id-connect-provider',
        '--open-id-connect-provider-arn',
        providerArn,
      )
      assert.equal(got['Url'], 'cli.example.org')
      assert.deepEqual(got['ClientIDList'], ['sts.amazonaws.com', 'cli-app'])
      assert.deepEqual(got['ThumbprintList'], [A])
      assert.match(String(got['CreateDate']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/)
      assert.deepEqual(got['Tags'], [{ Key: 'owner', Value: 'cli' }])

      const listed = awsJson('iam', 'list-open-id-connect-providers')
      assert.ok(
        (listed['OpenIDConnectProviderList'] as { Arn: string }[]).some(
          (p) => p.Arn === providerArn,
        ),
      )

      const on = ['--open-id-connect-provider-arn', providerArn]
      awsJson('iam', 'update-open-id-connect-provider-thumbprint', ...on, '--thumbprint-list', B, C)
      awsJson('iam', 'add-client-id-to-open-id-connect-provider', ...on, '--client-id', 'extra')
      awsJson(
        'iam',
        'remove-client-id-from-open-id-connect-provider',
        ...on,
        '--client-id',
        'cli-app',
      )
      awsJson('iam', 'tag-open-id-connect-provider', ...on, '--tags', 'Key=env,Value=test')
      awsJson('iam', 'untag-open-id-connect-provider', ...on, '--tag-keys', 'owner')
      const changed = awsJson('iam', 'get-open-id-connect-provider', ...on)
      assert.deepEqual(changed['ThumbprintList'], [B, C])
      assert.deepEqual(changed['ClientIDList'], ['sts.amazonaws.com', 'extra'])
      // The CLI reads every page and leaves out IsTruncated and Marker.
      assert.deepEqual(awsJson('iam', 'list-open-id-connect-provider-tags', ...on), {
        Tags: [{ Key: 'env', Value: 'test' }],
      })

      awsJson('iam', 'delete-open-id-connect-provider', ...on)
      const gone = aws('iam', 'get-open-id-connect-provider', ...on)
      assert.notEqual(gone.status, 0)
      assert.equal(
        gone.err.trim(),
        `An error occurred (NoSuchEntity) when calling the GetOpenIDConnectProvider operation: OpenIDConnect Provider not found for arn ${providerArn}`,
      )
    })

    it('reports an invalid URL as IAM does', { skip: NO_AWS_CLI }, () => {
      const run = cli().aws('iam', 'create-open-id-connect-provider', '--url', 'cli.example.org')
      assert.notEqual(run.status, 0)
      assert.equal(
        run.err.trim(),
        'An error occurred (ValidationError) when calling the CreateOpenIDConnectProvider operation: Invalid Open ID Connect Provider URL',
      )
    })
  })
})
