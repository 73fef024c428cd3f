/**
 * End to end with the real AWS SDK for JavaScript v3 and the real AWS CLI against
 * `gatehouse serve` on 127.0.0.1: users' SSH public keys (uploaded as ssh-rsa and as PEM, read
 * back in both encodings, listed with the paginator, deactivated, deleted) and X.509 signing
 * certificates (the root user's and a user's, made by `openssl`), with their errors as the SDK
 * and the CLI report them. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  CreateUserCommand,
  DeleteSSHPublicKeyCommand,
  DeleteSigningCertificateCommand,
  DeleteUserCommand,
  GetSSHPublicKeyCommand,
  IAMClient,
  ListSigningCertificatesCommand,
  UpdateSSHPublicKeyCommand,
  UpdateSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
  UploadSigningCertificateCommand,
  paginateListSSHPublicKeys,
  paginateListSigningCertificates,
} from '@aws-sdk/client-iam'
import type { SSHPublicKeyMetadata, SigningCertificate } from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { md5Fingerprint, openSshLine, publicKeyPem, rsaKeyPair } from '../support/ssh-keys.js'
import { noOpenssl, selfSignedCertificate } from '../support/x509-certificates.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

const DAY = 24 * 3600 * 1000

/** A certificate valid around the real clock, which `gatehouse serve` reads. */
function currentCertificate(commonName: string): string {
  const now = Date.now()
  return selfSignedCertificate({
    commonName,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
  })
}

describe('SSH public keys and signing certificates against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let files: string
  // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    files = mkdtempSync(join(tmpdir(), 'gatehouse-user-credentials-'))
    for (const name of ['sdk-user', 'cli-user']) {
      await iam(root).send(new CreateUserCommand({ UserName: name }))
    }
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

  function awsJson(...args: string[]): Record<string, unknown> {
    const run = aws(...args)
    assert.equal(run.status, 0, `aws ${args.join(' ')}: ${run.err}`)
    return run.out.trim() === '' ? {} : (JSON.parse(run.out) as Record<string, unknown>)
  }

  it('uploads, reads, lists, deactivates and deletes SSH keys with the SDK', async () => {
    const first = rsaKeyPair()
    const second = rsaKeyPair()
    const line = openSshLine(first.publicKey, 'sdk@host')
    const uploaded = await iam(root).send(
      new UploadSSHPublicKeyCommand({ UserName: 'sdk-user', SSHPublicKeyBody: line }),
    )
    const key = uploaded.SSHPublicKey
    assert.match(key?.SSHPublicKeyId ?? '', /^APKA[A-Z2-7]{16}$/)
    assert.equal(key?.UserName, 'sdk-user')
    assert.equal(key?.Fingerprint, md5Fingerprint(first.publicKey))
    assert.equal(key?.SSHPublicKeyBody, line)
    assert.equal(key?.Status, 'Active')
    assert.ok(key?.UploadDate instanceof Date)
    const id = key?.SSHPublicKeyId ?? ''

    const asPem = await iam(root).send(
      new GetSSHPublicKeyCommand({ UserName: 'sdk-user', SSHPublicKeyId: id, Encoding: 'PEM' }),
    )
    assert.equal(asPem.SSHPublicKey?.SSHPublicKeyBody, publicKeyPem(first.publicKey))
    const pemUpload = await iam(root).send(
      new UploadSSHPublicKeyCommand({
        UserName: 'sdk-user',
        SSHPublicKeyBody: publicKeyPem(second.publicKey),
      }),
    )
    const asSsh = await iam(root).send(
      new GetSSHPublicKeyCommand({
        UserName: 'sdk-user',
        SSHPublicKeyId: pemUpload.SSHPublicKey?.SSHPublicKeyId,
        Encoding: 'SSH',
      }),
    )
    assert.equal(asSsh.SSHPublicKey?.SSHPublicKeyBody, openSshLine(second.publicKey))

    const listed: SSHPublicKeyMetadata[] = []
    for await (const page of paginateListSSHPublicKeys(
      { client: iam(root), pageSize: 1 },
      { UserName: 'sdk-user' },
    )) {
      listed.push(...(page.SSHPublicKeys ?? []))
    }
    assert.deepEqual(
      listed.map((k) => k.SSHPublicKeyId),
      [id, pemUpload.SSHPublicKey?.SSHPublicKeyId].sort(),
    )

    await iam(root).send(
      new UpdateSSHPublicKeyCommand({
        UserName: 'sdk-user',
        SSHPublicKeyId: id,
        Status: 'Inactive',
      }),
    )
    const inactive = await iam(root).send(
      new GetSSHPublicKeyCommand({ UserName: 'sdk-user', SSHPublicKeyId: id, Encoding: 'SSH' }),
    )
    assert.equal(inactive.SSHPublicKey?.Status, 'Inactive')

    assert.deepEqual(
      await failure(
        iam(root).send(
          new UploadSSHPublicKeyCommand({
            UserName: 'sdk-user',
            SSHPublicKeyBody: publicKeyPem(first.publicKey),
          }),
        ),
      ),
      {
        name: 'DuplicateSSHPublicKeyException',
        message: 'The SSH public key is already associated with the specified IAM user.',
        status: 400,
      },
    )
    assert.deepEqual(
      await failure(
        iam(root).send(
          new UploadSSHPublicKeyCommand({ UserName: 'sdk-user', SSHPublicKeyBody: 'hello' }),
        ),
      ),
      {
        name: 'UnrecognizedPublicKeyEncodingException',
        message: 'The public key encoding format is unsupported or unrecognized.',
        status: 400,
      },
    )
    assert.deepEqual(
      await failure(
        iam(root).send(
          new UploadSSHPublicKeyCommand({
            UserName: 'sdk-user',
            SSHPublicKeyBody: openSshLine(rsaKeyPair(1024).publicKey),
          }),
        ),
      ),
      {
        name: 'InvalidPublicKeyException',
        message: 'The public key is 1024 bits long: it must be at least 2048 bits.',
        status: 400,
      },
    )

    for (const k of listed) {
      await iam(root).send(
        new DeleteSSHPublicKeyCommand({ UserName: 'sdk-user', SSHPublicKeyId: k.SSHPublicKeyId }),
      )
    }
    assert.deepEqual(
      await failure(
        iam(root).send(
          new GetSSHPublicKeyCommand({ UserName: 'sdk-user', SSHPublicKeyId: id, Encoding: 'SSH' }),
        ),
      ),
      {
        name: 'NoSuchEntityException',
        message: `The Public Key with id ${id} cannot be found.`,
        status: 404,
      },
    )
  })

  it(
    'uploads, lists, deactivates and deletes signing certificates with the SDK',
    { skip: noOpenssl },
    async () => {
      const rootBody = currentCertificate('sdk-root')
      const rootUpload = await iam(root).send(
        new UploadSigningCertificateCommand({ CertificateBody: rootBody }),
      )
      const rootCert = rootUpload.Certificate
      assert.match(rootCert?.CertificateId ?? '', /^[A-Z2-7]{32}$/)
      assert.equal(rootCert?.UserName, undefined)
      assert.equal(rootCert?.CertificateBody, rootBody)
      assert.equal(rootCert?.Status, 'Active')
      assert.ok(rootCert?.UploadDate instanceof Date)
      const ownList = await iam(root).send(new ListSigningCertificatesCommand({}))
      assert.deepEqual(
        ownList.Certificates?.map((c) => c.CertificateId),
        [rootCert?.CertificateId],
      )

      const bodies = [currentCertificate('sdk-1'), currentCertificate('sdk-2')]
      for (const body of bodies) {
        await iam(root).send(
          new UploadSigningCertificateCommand({ UserName: 'sdk-user', CertificateBody: body }),
        )
      }
      const listed: SigningCertificate[] = []
      for await (const page of paginateListSigningCertificates(
        { client: iam(root), pageSize: 1 },
        { UserName: 'sdk-user' },
      )) {
        listed.push(...(page.Certificates ?? []))
      }
      assert.deepEqual(listed.map((c) => c.CertificateBody).sort(), [...bodies].sort())
      assert.ok(listed.every((c) => c.UserName === 'sdk-user' && c.Status === 'Active'))

      assert.deepEqual(
        await failure(
          iam(root).send(
            new UploadSigningCertificateCommand({
              UserName: 'sdk-user',
              CertificateBody: currentCertificate('sdk-3'),
            }),
          ),
        ),
        {
          name: 'LimitExceededException',
          message: 'Cannot exceed quota for SigningCertificatesPerUser: 2',
          status: 409,
        },
      )
      assert.deepEqual(
        await failure(
          iam(root).send(
            new UploadSigningCertificateCommand({
              UserName: 'cli-user',
              CertificateBody: rootBody,
            }),
          ),
        ),
        {
          name: 'DuplicateCertificateException',
          message: 'The same certificate is associated with an IAM user in the account.',
          status: 409,
        },
      )
      assert.deepEqual(
        await failure(
          iam(root).send(
            new UploadSigningCertificateCommand({ UserName: 'cli-user', CertificateBody: 'junk' }),
          ),
        ),
        {
          name: 'MalformedCertificateException',
          message: 'Unable to parse certificate. Please ensure the certificate is in PEM format.',
          status: 400,
        },
      )

      await iam(root).send(
        new UpdateSigningCertificateCommand({
          CertificateId: rootCert?.CertificateId,
          Status: 'Inactive',
        }),
      )
      const after = await iam(root).send(new ListSigningCertificatesCommand({}))
      assert.equal(after.Certificates?.[0]?.Status, 'Inactive')
      await iam(root).send(
        new DeleteSigningCertificateCommand({ CertificateId: rootCert?.CertificateId }),
      )
      assert.deepEqual(
        await failure(
          iam(root).send(
            new DeleteSigningCertificateCommand({ CertificateId: rootCert?.CertificateId }),
          ),
        ),
        {
          name: 'NoSuchEntityException',
          message: `The Certificate with id ${rootCert?.CertificateId ?? ''} cannot be found.`,
          status: 404,
        },
      )

      // A user with a certificate is not deleted out from under it.
      await assert.rejects(iam(root).send(new DeleteUserCommand({ UserName: 'sdk-user' })))
      for (const c of listed) {
        await iam(root).send(
          new DeleteSigningCertificateCommand({
            UserName: 'sdk-user',
            CertificateId: c.CertificateId,
          }),
        )
      }
      await iam(root).send(new DeleteUserCommand({ UserName: 'sdk-user' }))
    },
  )

  it('runs the AWS CLI flow for an SSH key read from a file', { skip: NO_AWS_CLI }, () => {
    const pair = rsaKeyPair()
    const keyFile = join(files, 'id_rsa.pub')
    writeFileSync(keyFile, `${openSshLine(pair.publicKey, 'cli@host')}\n`)
    const uploaded = awsJson(
      'iam',
      'upload-ssh-public-key',
      '--user-name',
      'cli-user',
      '--ssh-public-key-body',
      `file://${keyFile}`,
    )
    const key = uploaded['SSHPublicKey'] as Record<string, string>
    const id = key['SSHPublicKeyId'] ?? ''
    assert.match(id, /^APKA[A-Z2-7]{16}$/)
    assert.equal(key['Fingerprint'], md5Fingerprint(pair.publicKey))
    assert.equal(key['Status'], 'Active')

    const pem = awsJson(
      'iam',
      'get-ssh-public-key',
      '--user-name',
      'cli-user',
      '--ssh-public-key-id',
      id,
      '--encoding',
      'PEM',
    )
    assert.equal(
      (pem['SSHPublicKey'] as Record<string, string>)['SSHPublicKeyBody'],
      publicKeyPem(pair.publicKey),
    )
    const listed = awsJson('iam', 'list-ssh-public-keys', '--user-name', 'cli-user')
    const keys = listed['SSHPublicKeys'] as Record<string, string>[]
    assert.deepEqual(
      keys.map((k) => [k['SSHPublicKeyId'], k['UserName'], k['Status']]),
      [[id, 'cli-user', 'Active']],
    )
    awsJson(
      'iam',
      'update-ssh-public-key',
      '--user-name',
      'cli-user',
      '--ssh-public-key-id',
      id,
      '--status',
      'Inactive',
    )
    const again = aws(
      'iam',
      'upload-ssh-public-key',
      '--user-name',
      'cli-user',
      '--ssh-public-key-body',
      `file://${keyFile}`,
    )
    assert.notEqual(again.status, 0)
    assert.equal(
      again.err.trim(),
      'An error occurred (DuplicateSSHPublicKey) when calling the UploadSSHPublicKey operation: The SSH public key is already associated with the specified IAM user.',
    )
    awsJson('iam', 'delete-ssh-public-key', '--user-name', 'cli-user', '--ssh-public-key-id', id)
    const after = awsJson('iam', 'list-ssh-public-keys', '--user-name', 'cli-user')
    assert.deepEqual(after['SSHPublicKeys'], [])
  })

  it(
    'runs the AWS CLI flow for a signing certificate read from a file',
    { skip: NO_AWS_CLI || noOpenssl },
    () => {
      const body = currentCertificate('cli-user')
      const certFile = join(files, 'certificate.pem')
      writeFileSync(certFile, body)
      const uploaded = awsJson(
        'iam',
        'upload-signing-certificate',
        '--user-name',
        'cli-user',
        '--certificate-body',
        `file://${certFile}`,
      )
      const cert = uploaded['Certificate'] as Record<string, string>
      const id = cert['CertificateId'] ?? ''
      assert.match(id, /^[A-Z2-7]{32}$/)
      assert.equal(cert['UserName'], 'cli-user')
      assert.equal(cert['CertificateBody'], body)
      assert.equal(cert['Status'], 'Active')

      awsJson(
        'iam',
        'update-signing-certificate',
        '--user-name',
        'cli-user',
        '--certificate-id',
        id,
        '--status',
        'Inactive',
      )
      const listed = awsJson('iam', 'list-signing-certificates', '--user-name', 'cli-user')
      const certs = listed['Certificates'] as Record<string, string>[]
      assert.deepEqual(
        certs.map((c) => [c['CertificateId'], c['Status'], c['CertificateBody']]),
        [[id, 'Inactive', body]],
      )
      const expiredFile = join(files, 'expired.pem')
      writeFileSync(
        expiredFile,
        selfSignedCertificate({
          commonName: 'expired',
          notBefore: new Date('2001-01-01T00:00:00Z'),
          notAfter: new Date('2002-01-01T00:00:00Z'),
        }),
      )
      const expired = aws(
        'iam',
        'upload-signing-certificate',
        '--user-name',
        'cli-user',
        '--certificate-body',
        `file://${expiredFile}`,
      )
      assert.notEqual(expired.status, 0)
      assert.equal(
        expired.err.trim(),
        'An error occurred (MalformedCertificate) when calling the UploadSigningCertificate operation: The certificate has expired.',
      )
      awsJson(
        'iam',
        'delete-signing-certificate',
        '--user-name',
        'cli-user',
        '--certificate-id',
        id,
      )
      assert.deepEqual(awsJson('iam', 'list-signing-certificates', '--user-name', 'cli-user'), {
        Certificates: [],
      })
    },
  )
})
