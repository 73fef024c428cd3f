/**
 * SAML identity providers end to end against `gatehouse serve` on 127.0.0.1: every operation
 * with the real AWS SDK for JavaScript v3 (@aws-sdk/client-iam), its paginator and its modeled
 * exceptions, then the real AWS CLI (`aws iam create-saml-provider --saml-metadata-document
 * file://...`), which is skipped, with the reason, where it is not installed.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  CreateSAMLProviderCommand,
  DeleteSAMLProviderCommand,
  GetSAMLProviderCommand,
  ListSAMLProviderTagsCommand,
  ListSAMLProvidersCommand,
  TagSAMLProviderCommand,
  UntagSAMLProviderCommand,
  UpdateSAMLProviderCommand,
  paginateListSAMLProviderTags,
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
import { IDP_CERTIFICATE_TWO, samlMetadataDocument } from '../fixtures/saml-metadata.fixture.js'

const DOCUMENT = samlMetadataDocument()

/** A new RSA private key in PEM (PKCS #8). */
function privateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

describe('SAML providers: the AWS SDK for JavaScript v3 and the AWS CLI against gatehouse serve', () => {
  let server: ServerProcess
  let root: CliKey
  let iam: IAMClient
  const arnOf = (name: string) => `arn:aws:iam::${server.accountId}:saml-provider/${name}`

  before(async () => {
    ;({ server, root, iam } = await startIamServer())
  })
  after(() => stopIamServer({ server, iam }))

  it('creates a provider and reads it back: the document, the dates, the tags, the mode', async () => {
    const created = await iam.send(
      new CreateSAMLProviderCommand({
        Name: 'Okta',
        SAMLMetadataDocument: DOCUMENT,
        Tags: [
          { Key: 'team', Value: 'blue' },
          { Key: 'Env', Value: 'prod' },
        ],
      }),
    )
    assert.equal(created.SAMLProviderArn, arnOf('Okta'))
    assert.deepEqual(created.Tags, [
      { Key: 'Env', Value: 'prod' },
      { Key: 'team', Value: 'blue' },
    ])
    const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('Okta') }))
    assert.match(got.SAMLProviderUUID ?? '', /^SAMLSP[A-Z2-7]{20}$/)
    assert.equal(got.SAMLMetadataDocument, DOCUMENT)
    assert.ok(got.CreateDate instanceof Date)
    assert.ok(Math.abs(got.CreateDate.getTime() - Date.now()) < 60_000)
    const century = new Date(got.CreateDate)
    century.setUTCFullYear(century.getUTCFullYear() + 100)
    assert.deepEqual(got.ValidUntil, century)
    assert.deepEqual(got.Tags, [
      { Key: 'Env', Value: 'prod' },
      { Key: 'team', Value: 'blue' },
    ])
    assert.equal(got.AssertionEncryptionMode, 'Allowed')
    assert.deepEqual(got.PrivateKeyList, [])
  })

  it('lists providers with their ARN, ValidUntil and CreateDate', async () => {
    await iam.send(
      new CreateSAMLProviderCommand({
        Name: 'adfs',
        SAMLMetadataDocument: samlMetadataDocument({ validUntil: '2032-02-02T00:00:00Z' }),
      }),
    )
    const listed = await iam.send(new ListSAMLProvidersCommand({}))
    assert.deepEqual(
      listed.SAMLProviderList?.map((p) => p.Arn),
      [arnOf('adfs'), arnOf('Okta')],
    )
    assert.deepEqual(listed.SAMLProviderList[0]?.ValidUntil, new Date('2032-02-02T00:00:00Z'))
    assert.ok(listed.SAMLProviderList?.every((p) => p.CreateDate instanceof Date))
  })

  it('updates the document, the encryption mode and the private keys', async () => {
    const on = { SAMLProviderArn: arnOf('okta') }
    const document = samlMetadataDocument({
      signing: [IDP_CERTIFICATE_TWO],
      validUntil: '2030-05-05T05:05:05Z',
    })
    const updated = await iam.send(
      new UpdateSAMLProviderCommand({
        ...on,
        SAMLMetadataDocument: document,
        AssertionEncryptionMode: 'Required',
        AddPrivateKey: privateKeyPem(),
      }),
    )
    assert.equal(updated.SAMLProviderArn, arnOf('Okta'))
    await iam.send(new UpdateSAMLProviderCommand({ ...on, AddPrivateKey: privateKeyPem() }))
    const got = await iam.send(new GetSAMLProviderCommand(on))
    assert.equal(got.SAMLMetadataDocument, document)
    assert.deepEqual(got.ValidUntil, new Date('2030-05-05T05:05:05Z'))
    assert.equal(got.AssertionEncryptionMode, 'Required')
    assert.equal(got.PrivateKeyList?.length, 2)
    for (const key of got.PrivateKeyList ?? []) {
      assert.match(key.KeyId ?? '', /^[A-Z2-7]{26}$/)
      assert.ok(key.Timestamp instanceof Date)
    }
    const [first, second] = got.PrivateKeyList ?? []
    await iam.send(new UpdateSAMLProviderCommand({ ...on, RemovePrivateKey: first?.KeyId }))
    const rotated = await iam.send(new GetSAMLProviderCommand(on))
    assert.deepEqual(
      rotated.PrivateKeyList?.map((k) => k.KeyId),
      [second?.KeyId],
    )
  })

  it('tags and untags a provider, paging its tags', async () => {
    const on = { SAMLProviderArn: arnOf('Okta') }
    await expectProviderTagsPaged({
      tag: (Tags) => iam.send(new TagSAMLProviderCommand({ ...on, Tags })),
      untag: (TagKeys) => iam.send(new UntagSAMLProviderCommand({ ...on, TagKeys })),
      // The paginator writes its Marker into the input it is given.
      pages: (pageSize) => paginateListSAMLProviderTags({ client: iam, pageSize }, { ...on }),
      firstPage: (MaxItems) => iam.send(new ListSAMLProviderTagsCommand({ ...on, MaxItems })),
    })
  })

  it('refuses bad requests with the exceptions the SDK knows', async () => {
    assert.deepEqual(
      await failure(
        iam.send(new CreateSAMLProviderCommand({ Name: 'OKTA', SAMLMetadataDocument: DOCUMENT })),
      ),
      {
        name: 'EntityAlreadyExistsException',
        message: 'Provider with name OKTA already exists.',
        status: 409,
      },
    )
    assert.deepEqual(
      await failure(
        iam.send(
          new CreateSAMLProviderCommand({
            Name: 'sp',
            SAMLMetadataDocument: samlMetadataDocument({ role: 'md:SPSSODescriptor' }),
          }),
        ),
      ),
      { name: 'InvalidInputException', message: 'Could not parse metadata', status: 400 },
    )
    assert.deepEqual(
      await failure(
        iam.send(
          new UpdateSAMLProviderCommand({
            SAMLProviderArn: arnOf('adfs'),
            AssertionEncryptionMode: 'Required',
          }),
        ),
      ),
      {
        name: 'InvalidInputException',
        message:
          'A SAML provider whose AssertionEncryptionMode is Required must have a private key.',
        status: 400,
      },
    )
    // Okta holds one key since the rotation above: a second fills its two, a third is refused.
    const okta = { SAMLProviderArn: arnOf('Okta') }
    await iam.send(new UpdateSAMLProviderCommand({ ...okta, AddPrivateKey: privateKeyPem() }))
    assert.deepEqual(
      await failure(
        iam.send(new UpdateSAMLProviderCommand({ ...okta, AddPrivateKey: privateKeyPem() })),
      ),
      {
        name: 'LimitExceededException',
        message: 'Cannot exceed quota for PrivateKeysPerSAMLProvider: 2',
        status: 409,
      },
    )
  })

  it('deletes a provider, then answers it with NoSuchEntityException', async () => {
    const on = { SAMLProviderArn: arnOf('adfs') }
    await iam.send(new DeleteSAMLProviderCommand(on))
    const expected = {
      name: 'NoSuchEntityException',
      message: `Manifest not found for arn ${arnOf('adfs')}`,
      status: 404,
    }
    assert.deepEqual(await failure(iam.send(new GetSAMLProviderCommand(on))), expected)
    assert.deepEqual(await failure(iam.send(new DeleteSAMLProviderCommand(on))), expected)
  })

  it('denies a user without a policy, and allows it by the provider’s tag', async () => {
    const on = { SAMLProviderArn: arnOf('Okta') }
    const got = await expectAllowedByProviderTag(
      { server, iam },
      {
        operation: 'GetSAMLProvider',
        arn: on.SAMLProviderArn,
        resource: `arn:aws:iam::${server.accountId}:saml-provider/*`,
        read: (client) => client.send(new GetSAMLProviderCommand(on)),
      },
    )
    assert.equal(got.AssertionEncryptionMode, 'Required')
  })

  describe('the AWS CLI', () => {
    let dir: string
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'gatehouse-saml-'))
    })
    after(() => {
      rmSync(dir, { recursive: true, force: true })
    })

    const cli = () => awsCliRunner(server.url, root)

    /** A file the CLI reads with `file://`. */
    function file(name: string, text: string): string {
      const path = join(dir, name)
      writeFileSync(path, text)
      return `file://${path}`
    }

    it('creates, reads, updates, tags and deletes a provider', { skip: NO_AWS_CLI }, () => {
      const { aws, awsJson } = cli()
      const created = awsJson(
        'iam',
        'create-saml-provider',
        '--saml-metadata-document',
        file('metadata.xml', DOCUMENT),
        '--name',
        'cli-idp',
        '--tags',
        'Key=owner,Value=cli',
      )
      const providerArn = arnOf('cli-idp')
      assert.deepEqual(created, {
        SAMLProviderArn: providerArn,
        Tags: [{ Key: 'owner', Value: 'cli' }],
      })

      const on = ['--saml-provider-arn', providerArn]
      const got = awsJson('iam', 'get-saml-provider', ...on)
      assert.equal(got['SAMLMetadataDocument'], DOCUMENT)
      assert.equal(got['AssertionEncryptionMode'], 'Allowed')
      assert.deepEqual(got['PrivateKeyList'], [])
      assert.match(String(got['CreateDate']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/)
      assert.match(String(got['ValidUntil']), /^21\d\d-\d\d-\d\dT/)
      assert.deepEqual(got['Tags'], [{ Key: 'owner', Value: 'cli' }])

      const listed = awsJson('iam', 'list-saml-providers')
      assert.ok(
        (listed['SAMLProviderList'] as { Arn: string }[]).some((p) => p.Arn === providerArn),
      )

      const document = samlMetadataDocument({
        signing: [IDP_CERTIFICATE_TWO],
        validUntil: '2033-03-03T03:03:03Z',
      })
      const updated = awsJson(
        'iam',
        'update-saml-provider',
        ...on,
        '--saml-metadata-document',
        file('updated.xml', document),
        '--assertion-encryption-mode',
        'Required',
        '--add-private-key',
        file('key.pem', privateKeyPem()),
      )
      assert.deepEqual(updated, { SAMLProviderArn: providerArn })
      const changed = awsJson('iam', 'get-saml-provider', ...on)
      assert.equal(changed['SAMLMetadataDocument'], document)
      assert.match(String(changed['ValidUntil']), /^2033-03-03T03:03:03/)
      assert.equal(changed['AssertionEncryptionMode'], 'Required')
      assert.equal((changed['PrivateKeyList'] as unknown[]).length, 1)

      awsJson('iam', 'tag-saml-provider', ...on, '--tags', 'Key=env,Value=test')
      awsJson('iam', 'untag-saml-provider', ...on, '--tag-keys', 'owner')
      // The CLI reads every page and leaves out IsTruncated and Marker.
      assert.deepEqual(awsJson('iam', 'list-saml-provider-tags', ...on), {
        Tags: [{ Key: 'env', Value: 'test' }],
      })

      awsJson('iam', 'delete-saml-provider', ...on)
      const gone = aws('iam', 'get-saml-provider', ...on)
      assert.notEqual(gone.status, 0)
      assert.equal(
        gone.err.trim(),
        `An error occurred (NoSuchEntity) when calling the GetSAMLProvider operation: Manifest not found for arn ${providerArn}`,
      )
    })

    it('reports a document it cannot parse as IAM does', { skip: NO_AWS_CLI }, () => {
      const run = cli().aws(
        'iam',
        'create-saml-provider',
        '--saml-metadata-document',
        file('sp.xml', samlMetadataDocument({ role: 'md:SPSSODescriptor' })),
        '--name',
        'sp-metadata',
      )
      assert.notEqual(run.status, 0)
      assert.equal(
        run.err.trim(),
        'An error occurred (InvalidInput) when calling the CreateSAMLProvider operation: Could not parse metadata',
      )
    })
  })
})
