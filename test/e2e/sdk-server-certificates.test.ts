/**
 * End to end with the real AWS SDK for JavaScript v3 and the real AWS CLI against
 * `gatehouse serve` on 127.0.0.1: server certificates made by `openssl`, uploaded with their
 * private keys (from files, as `aws iam upload-server-certificate --private-key file://...`
 * reads them), read back, listed with the paginator, renamed, tagged and deleted, with their
 * errors as the SDK and the CLI report them. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  DeleteServerCertificateCommand,
  GetServerCertificateCommand,
  IAMClient,
  ListServerCertificateTagsCommand,
  TagServerCertificateCommand,
  UntagServerCertificateCommand,
  UpdateServerCertificateCommand,
  UploadServerCertificateCommand,
  paginateListServerCertificates,
} from '@aws-sdk/client-iam'
import type { ServerCertificateMetadata } from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { certificateWithKey, noOpenssl } from '../support/x509-certificates.js'
import type { CertificateWithKey } from '../support/x509-certificates.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

const DAY = 24 * 3600 * 1000

/** A certificate valid around the real clock, which `gatehouse serve` reads. */
function current(commonName: string): CertificateWithKey {
  const now = Date.now()
  return certificateWithKey({
    commonName,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
  })
}

describe('server certificates against gatehouse serve', { skip: noOpenssl }, () => {
  let server: ServerProcess
  let root: Key
  let files: string
  // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
  const iam = () =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: root, maxAttempts: 1 })

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    files = mkdtempSync(join(tmpdir(), 'gatehouse-server-certificates-'))
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
    rmSync(files, { recursive: true, force: true })
  })

  function aws(...args: string[]): { status: number | null; out: string; err: string } {
    const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env: awsCliEnv(root),
      encoding: 'utf8',
      timeout: 60_000,
    })
    return { status: run.status, out: run.stdout, err: run.stderr }
  }

  it('uploads, reads, lists, renames, tags and deletes with the SDK', async () => {
    const web = current('www.example.com')
    const ca = current('Example CA')
    const uploaded = await iam().send(
      new UploadServerCertificateCommand({
        ServerCertificateName: 'sdk-web',
        Path: '/cloudfront/',
        CertificateBody: web.certificate,
        PrivateKey: web.privateKey,
        CertificateChain: ca.certificate,
        Tags: [{ Key: 'team', Value: 'edge' }],
      }),
    )
    const meta = uploaded.ServerCertificateMetadata
    assert.match(meta?.ServerCertificateId ?? '', /^ASCA[A-Z2-7]{17}$/)
    assert.equal(
      meta?.Arn,
      `arn:aws:iam::${server.accountId}:server-certificate/cloudfront/sdk-web`,
    )
    assert.equal(meta?.Path, '/cloudfront/')
    assert.ok(meta?.UploadDate instanceof Date)
    assert.ok(meta?.Expiration instanceof Date && meta.Expiration.getTime() > Date.now())
    assert.deepEqual(uploaded.Tags, [{ Key: 'team', Value: 'edge' }])

    const got = await iam().send(
      new GetServerCertificateCommand({ ServerCertificateName: 'SDK-WEB' }),
    )
    assert.equal(got.ServerCertificate?.CertificateBody, web.certificate)
    assert.equal(got.ServerCertificate?.CertificateChain, ca.certificate)
    assert.equal(
      got.ServerCertificate?.ServerCertificateMetadata?.ServerCertificateId,
      meta?.ServerCertificateId,
    )
    assert.ok(!JSON.stringify(got).includes('PRIVATE KEY'))

    const other = current('api.example.com')
    await iam().send(
      new UploadServerCertificateCommand({
        ServerCertificateName: 'sdk-api',
        CertificateBody: other.certificate,
        PrivateKey: other.privateKey,
      }),
    )
    const listed: ServerCertificateMetadata[] = []
    for await (const page of paginateListServerCertificates({ client: iam(), pageSize: 1 }, {})) {
      listed.push(...(page.ServerCertificateMetadataList ?? []))
    }
    assert.deepEqual(
      listed.map((m) => m.ServerCertificateName).filter((n) => n?.startsWith('sdk-')),
      ['sdk-api', 'sdk-web'],
    )

    await iam().send(
      new UpdateServerCertificateCommand({
        ServerCertificateName: 'sdk-web',
        NewServerCertificateName: 'sdk-www',
        NewPath: '/',
      }),
    )
    await iam().send(
      new TagServerCertificateCommand({
        ServerCertificateName: 'sdk-www',
        Tags: [{ Key: 'env', Value: 'prod' }],
      }),
    )
    await iam().send(
      new UntagServerCertificateCommand({ ServerCertificateName: 'sdk-www', TagKeys: ['team'] }),
    )
    const tags = await iam().send(
      new ListServerCertificateTagsCommand({ ServerCertificateName: 'sdk-www' }),
    )
    assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'prod' }])
    assert.equal(tags.IsTruncated, false)

    assert.deepEqual(
      await failure(
        iam().send(
          new UploadServerCertificateCommand({
            ServerCertificateName: 'sdk-api',
            CertificateBody: other.certificate,
            PrivateKey: other.privateKey,
          }),
        ),
      ),
      {
        name: 'EntityAlreadyExistsException',
        message: 'The Server Certificate with name sdk-api already exists.',
        status: 409,
      },
    )
    assert.deepEqual(
      await failure(
        iam().send(
          new UploadServerCertificateCommand({
            ServerCertificateName: 'sdk-mismatch',
            CertificateBody: web.certificate,
            PrivateKey: other.privateKey,
          }),
        ),
      ),
      {
        name: 'KeyPairMismatchException',
        message: 'The public key certificate and the private key do not match.',
        status: 400,
      },
    )
    assert.deepEqual(
      await failure(
        iam().send(
          new UploadServerCertificateCommand({
            ServerCertificateName: 'sdk-bad',
            CertificateBody: 'hello',
            PrivateKey: other.privateKey,
          }),
        ),
      ),
      {
        name: 'MalformedCertificateException',
        message: 'Unable to parse certificate. Please ensure the certificate is in PEM format.',
        status: 400,
      },
    )

    for (const name of ['sdk-www', 'sdk-api']) {
      await iam().send(new DeleteServerCertificateCommand({ ServerCertificateName: name }))
    }
    assert.deepEqual(
      await failure(
        iam().send(new GetServerCertificateCommand({ ServerCertificateName: 'sdk-www' })),
      ),
      {
        name: 'NoSuchEntityException',
        message: 'The Server Certificate with name sdk-www cannot be found.',
        status: 404,
      },
    )
  })

  it('uploads from files, reads, lists and deletes with the AWS CLI', { skip: NO_AWS_CLI }, () => {
    const pair = current('cli.example.com')
    const certFile = join(files, 'cert.pem')
    const keyFile = join(files, 'key.pem')
    writeFileSync(certFile, pair.certificate)
    writeFileSync(keyFile, pair.privateKey)
    const up = aws(
      'iam',
      'upload-server-certificate',
      '--server-certificate-name',
      'cli-cert',
      '--path',
      '/cli/',
      '--certificate-body',
      `file://${certFile}`,
      '--private-key',
      `file://${keyFile}`,
    )
    assert.equal(up.status, 0, up.err)
    const uploaded = JSON.parse(up.out) as { ServerCertificateMetadata: Record<string, string> }
    assert.equal(uploaded.ServerCertificateMetadata['ServerCertificateName'], 'cli-cert')
    assert.equal(
      uploaded.ServerCertificateMetadata['Arn'],
      `arn:aws:iam::${server.accountId}:server-certificate/cli/cli-cert`,
    )

    const get = aws('iam', 'get-server-certificate', '--server-certificate-name', 'cli-cert')
    assert.equal(get.status, 0, get.err)
    const got = JSON.parse(get.out) as { ServerCertificate: { CertificateBody: string } }
    assert.equal(got.ServerCertificate.CertificateBody, pair.certificate)
    assert.ok(!get.out.includes('PRIVATE KEY'))

    const list = aws('iam', 'list-server-certificates', '--path-prefix', '/cli/')
    assert.equal(list.status, 0, list.err)
    const listed = JSON.parse(list.out) as {
      ServerCertificateMetadataList: { ServerCertificateName: string }[]
    }
    assert.deepEqual(
      listed.ServerCertificateMetadataList.map((m) => m.ServerCertificateName),
      ['cli-cert'],
    )

    const again = aws(
      'iam',
      'upload-server-certificate',
      '--server-certificate-name',
      'CLI-CERT',
      '--certificate-body',
      `file://${certFile}`,
      '--private-key',
      `file://${keyFile}`,
    )
    assert.notEqual(again.status, 0, again.err)
    assert.match(
      again.err,
      /\(EntityAlreadyExists\) when calling the UploadServerCertificate operation: The Server Certificate with name CLI-CERT already exists\./,
    )

    const del = aws('iam', 'delete-server-certificate', '--server-certificate-name', 'cli-cert')
    assert.equal(del.status, 0, del.err)
    const gone = aws('iam', 'get-server-certificate', '--server-certificate-name', 'cli-cert')
    assert.notEqual(gone.status, 0, gone.err)
    assert.match(
      gone.err,
      /\(NoSuchEntity\).*The Server Certificate with name cli-cert cannot be found\./,
    )
  })
})
