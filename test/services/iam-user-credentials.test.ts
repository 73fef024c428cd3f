/**
 * SSH public keys (UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys, UpdateSSHPublicKey,
 * DeleteSSHPublicKey) and signing certificates (UploadSigningCertificate, ListSigningCertificates,
 * UpdateSigningCertificate, DeleteSigningCertificate), in process: every operation, every error
 * with its code, status and message, and the authorization on the user.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  ACCOUNT_ID,
  NOW,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { InProcess, Reply } from '../support/in-process.js'
import { epoch } from '../auth/sigv4-signer.js'
import {
  md5Fingerprint,
  openSshLine,
  publicKeyPem,
  rsaKeyPair,
  sshWireForm,
} from '../support/ssh-keys.js'
import { noOpenssl, selfSignedCertificate } from '../support/x509-certificates.js'

const SERVER_TIME = new Date(epoch(NOW))
const YEAR = 365 * 24 * 3600 * 1000

/** A certificate valid around the server's clock. */
function currentCertificate(commonName: string, keyType: 'rsa' | 'ec' = 'rsa'): string {
  return selfSignedCertificate({
    commonName,
    notBefore: new Date(SERVER_TIME.getTime() - YEAR),
    notAfter: new Date(SERVER_TIME.getTime() + YEAR),
    keyType,
  })
}

/** The store stamps uploads with its own clock, the real one: a date of the last minute. */
function assertRecent(text: string | undefined): void {
  const at = new Date(text ?? '').getTime()
  assert.ok(Math.abs(Date.now() - at) < 60_000, `${text} is not a date of the last minute`)
}

function upload(g: InProcess, userName: string, body: string): Promise<Reply> {
  return g.call('UploadSSHPublicKey', { UserName: userName, SSHPublicKeyBody: body })
}

function uploadedId(r: Reply): string {
  assert.equal(r.status, 200, r.body)
  return xmlText(r.xml, 'UploadSSHPublicKeyResult/SSHPublicKey/SSHPublicKeyId') ?? ''
}

describe('IAM SSH public keys', () => {
  let g: InProcess
  const first = rsaKeyPair()
  const second = rsaKeyPair()
  let firstId: string
  before(async () => {
    g = await startInProcess()
    for (const name of ['dev', 'ops']) await g.call('CreateUser', { UserName: name })
  })
  after(() => g.close())

  it('uploads an ssh-rsa key, Active, with its MD5 fingerprint', async () => {
    const body = openSshLine(first.publicKey, 'dev@laptop')
    const r = await upload(g, 'dev', body)
    assert.equal(r.status, 200, r.body)
    const key = 'UploadSSHPublicKeyResult/SSHPublicKey'
    firstId = xmlText(r.xml, `${key}/SSHPublicKeyId`) ?? ''
    assert.match(firstId, /^APKA[A-Z2-7]{16}$/)
    assert.equal(xmlText(r.xml, `${key}/UserName`), 'dev')
    assert.equal(xmlText(r.xml, `${key}/Fingerprint`), md5Fingerprint(first.publicKey))
    assert.match(xmlText(r.xml, `${key}/Fingerprint`) ?? '', /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/)
    assert.equal(xmlText(r.xml, `${key}/SSHPublicKeyBody`), body)
    assert.equal(xmlText(r.xml, `${key}/Status`), 'Active')
    assertRecent(xmlText(r.xml, `${key}/UploadDate`))
  })

  it('gives the key back in the encoding asked for', async () => {
    const asSsh = await g.call('GetSSHPublicKey', {
      UserName: 'DEV',
      SSHPublicKeyId: firstId,
      Encoding: 'SSH',
    })
    assert.equal(asSsh.status, 200, asSsh.body)
    const key = 'GetSSHPublicKeyResult/SSHPublicKey'
    assert.equal(
      xmlText(asSsh.xml, `${key}/SSHPublicKeyBody`),
      openSshLine(first.publicKey, 'dev@laptop'),
    )
    assert.equal(xmlText(asSsh.xml, `${key}/UserName`), 'dev')
    assert.equal(xmlText(asSsh.xml, `${key}/Fingerprint`), md5Fingerprint(first.publicKey))
    const asPem = await g.call('GetSSHPublicKey', {
      UserName: 'dev',
      SSHPublicKeyId: firstId,
      Encoding: 'PEM',
    })
    assert.equal(xmlText(asPem.xml, `${key}/SSHPublicKeyBody`), publicKeyPem(first.publicKey))
    const bad = await g.call('GetSSHPublicKey', {
      UserName: 'dev',
      SSHPublicKeyId: firstId,
      Encoding: 'DER',
    })
    assert.equal(bad.status, 400)
    assert.equal(bad.error?.code, 'ValidationError')
  })

  it('takes a PEM key, SubjectPublicKeyInfo or PKCS #1, and gives its ssh-rsa form', async () => {
    const r = await upload(g, 'ops', publicKeyPem(second.publicKey))
    const id = uploadedId(r)
    assert.equal(
      xmlText(r.xml, 'UploadSSHPublicKeyResult/SSHPublicKey/Fingerprint'),
      md5Fingerprint(second.publicKey),
    )
    const asSsh = await g.call('GetSSHPublicKey', {
      UserName: 'ops',
      SSHPublicKeyId: id,
      Encoding: 'SSH',
    })
    assert.equal(
      xmlText(asSsh.xml, 'GetSSHPublicKeyResult/SSHPublicKey/SSHPublicKeyBody'),
      openSshLine(second.publicKey),
    )
    const pkcs1 = rsaKeyPair().publicKey
    const body = String(pkcs1.export({ type: 'pkcs1', format: 'pem' }))
    assert.match(body, /^-----BEGIN RSA PUBLIC KEY-----/)
    const pkcs1Id = uploadedId(await upload(g, 'ops', body))
    const back = await g.call('GetSSHPublicKey', {
      UserName: 'ops',
      SSHPublicKeyId: pkcs1Id,
      Encoding: 'PEM',
    })
    assert.equal(xmlText(back.xml, 'GetSSHPublicKeyResult/SSHPublicKey/SSHPublicKeyBody'), body)
    await g.call('DeleteSSHPublicKey', { UserName: 'ops', SSHPublicKeyId: pkcs1Id })
  })

  it('refuses a key the user has already, in either encoding, with DuplicateSSHPublicKey', async () => {
    const r = await upload(g, 'dev', publicKeyPem(first.publicKey))
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'DuplicateSSHPublicKey',
      message: 'The SSH public key is already associated with the specified IAM user.',
    })
    // Another user may hold the same key.
    uploadedId(await upload(g, 'ops', openSshLine(first.publicKey)))
  })

  it('refuses what is not an ssh-rsa or PEM public key with UnrecognizedPublicKeyEncoding', async () => {
    const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' })
    for (const body of [
      'not a key at all',
      `ssh-ed25519 ${Buffer.from(ed25519).toString('base64')} me@host`,
      '---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
    ]) {
      const r = await upload(g, 'dev', body)
      assert.equal(r.status, 400, body)
      assert.deepEqual(r.error, {
        code: 'UnrecognizedPublicKeyEncoding',
        message: 'The public key encoding format is unsupported or unrecognized.',
      })
    }
  })

  it('refuses a malformed, short, non-RSA or private key with InvalidPublicKey', async () => {
    const invalid = 'The public key is malformed or otherwise invalid.'
    const short = rsaKeyPair(1024).publicKey
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
    const wire = sshWireForm(first.publicKey)
    const cases: readonly (readonly [string, string])[] = [
      ['ssh-rsa !!!notbase64!!!', invalid],
      [`ssh-rsa ${wire.subarray(0, wire.length - 8).toString('base64')}`, invalid],
      [`ssh-rsa ${Buffer.concat([wire, Buffer.from([0])]).toString('base64')}`, invalid],
      ['-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----', invalid],
      [publicKeyPem(ec), invalid],
      [openSshLine(short), 'The public key is 1024 bits long: it must be at least 2048 bits.'],
      [publicKeyPem(short), 'The public key is 1024 bits long: it must be at least 2048 bits.'],
    ]
    for (const [body, message] of cases) {
      const r = await upload(g, 'dev', body)
      assert.equal(r.status, 400, body)
      assert.deepEqual(r.error, { code: 'InvalidPublicKey', message }, body)
    }
    const privatePem = String(first.privateKey.export({ type: 'pkcs8', format: 'pem' }))
    const refused = await upload(g, 'dev', privatePem)
    assert.deepEqual(refused.error, {
      code: 'InvalidPublicKey',
      message: 'The body is a private key: upload only its public key.',
    })
    assert.equal(refused.body.includes(privatePem.split('\n')[1] ?? '-'), false)
  })

  it("lists a user's keys without their bodies, page by page", async () => {
    uploadedId(await upload(g, 'dev', openSshLine(second.publicKey)))
    const listed = await g.call('ListSSHPublicKeys', { UserName: 'dev' })
    assert.equal(listed.status, 200, listed.body)
    const members = xmlAll(listed.xml, 'ListSSHPublicKeysResult/SSHPublicKeys/member')
    assert.equal(members.length, 2)
    const ids = members.map((m) => xmlText(m, 'SSHPublicKeyId'))
    assert.deepEqual(ids, [...ids].sort())
    for (const member of members) {
      assert.equal(xmlText(member, 'UserName'), 'dev')
      assert.equal(xmlText(member, 'Status'), 'Active')
      assert.ok(xmlText(member, 'UploadDate') !== undefined)
      assert.equal(xmlText(member, 'SSHPublicKeyBody'), undefined)
      assert.equal(xmlText(member, 'Fingerprint'), undefined)
    }
    assert.equal(xmlText(listed.xml, 'ListSSHPublicKeysResult/IsTruncated'), 'false')
    const page = await g.call('ListSSHPublicKeys', { UserName: 'dev', MaxItems: '1' })
    assert.equal(xmlText(page.xml, 'ListSSHPublicKeysResult/IsTruncated'), 'true')
    const marker = xmlText(page.xml, 'ListSSHPublicKeysResult/Marker') ?? ''
    const rest = await g.call('ListSSHPublicKeys', { UserName: 'dev', Marker: marker })
    assert.deepEqual(
      xmlAll(rest.xml, 'ListSSHPublicKeysResult/SSHPublicKeys/member').map((m) =>
        xmlText(m, 'SSHPublicKeyId'),
      ),
      [ids[1]],
    )
    // The root user, who has no SSH keys, lists none of its own.
    const root = await g.call('ListSSHPublicKeys')
    assert.equal(root.status, 200, root.body)
    assert.equal(xmlAll(root.xml, 'ListSSHPublicKeysResult/SSHPublicKeys/member').length, 0)
  })

  it('allows five keys per user, then LimitExceeded (409)', async () => {
    await g.call('CreateUser', { UserName: 'many' })
    for (let n = 0; n < 5; n++)
      uploadedId(await upload(g, 'many', openSshLine(rsaKeyPair().publicKey)))
    const r = await upload(g, 'many', openSshLine(rsaKeyPair().publicKey))
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for SSHPublicKeysPerUser: 5',
    })
  })

  it('deactivates and reactivates a key, and refuses the Expired status', async () => {
    const update = (Status: string) =>
      g.call('UpdateSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: firstId, Status })
    assert.equal((await update('Inactive')).status, 200)
    const got = await g.call('GetSSHPublicKey', {
      UserName: 'dev',
      SSHPublicKeyId: firstId,
      Encoding: 'SSH',
    })
    assert.equal(xmlText(got.xml, 'GetSSHPublicKeyResult/SSHPublicKey/Status'), 'Inactive')
    const expired = await update('Expired')
    assert.equal(expired.status, 400)
    assert.deepEqual(expired.error, {
      code: 'InvalidInput',
      message: 'Status Expired is not valid for an SSH public key: use Active or Inactive.',
    })
    assert.equal((await update('Paused')).error?.code, 'ValidationError')
    assert.equal((await update('Active')).status, 200)
  })

  it("answers another user's key, or a user that does not exist, with NoSuchEntity (404)", async () => {
    const missing = `The Public Key with id ${firstId} cannot be found.`
    for (const [action, extra] of [
      ['GetSSHPublicKey', { Encoding: 'SSH' }],
      ['UpdateSSHPublicKey', { Status: 'Inactive' }],
      ['DeleteSSHPublicKey', {}],
    ] as const) {
      const r = await g.call(action, { UserName: 'ops', SSHPublicKeyId: firstId, ...extra })
      assert.equal(r.status, 404, action)
      assert.deepEqual(r.error, { code: 'NoSuchEntity', message: missing }, action)
    }
    for (const r of [
      await g.call('ListSSHPublicKeys', { UserName: 'ghost' }),
      await upload(g, 'ghost', openSshLine(rsaKeyPair().publicKey)),
    ]) {
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The user with name ghost cannot be found.',
      })
    }
  })

  it("requires UserName and a body of the model's characters", async () => {
    const noUser = await g.call('UploadSSHPublicKey', { SSHPublicKeyBody: 'ssh-rsa AAAA' })
    assert.equal(noUser.status, 400)
    assert.equal(noUser.error?.code, 'ValidationError')
    const tooLong = await upload(g, 'dev', `ssh-rsa ${'A'.repeat(16385)}`)
    assert.equal(tooLong.error?.code, 'ValidationError')
    const shortId = await g.call('DeleteSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: 'APKA1' })
    assert.equal(shortId.error?.code, 'ValidationError')
  })

  it('deletes a key so that it is found nowhere', async () => {
    const id = uploadedId(await upload(g, 'ops', openSshLine(rsaKeyPair().publicKey)))
    const r = await g.call('DeleteSSHPublicKey', { UserName: 'ops', SSHPublicKeyId: id })
    assert.equal(r.status, 200, r.body)
    const again = await g.call('DeleteSSHPublicKey', { UserName: 'ops', SSHPublicKeyId: id })
    assert.equal(again.status, 404)
    const listed = await g.call('ListSSHPublicKeys', { UserName: 'ops' })
    assert.equal(listed.body.includes(id), false)
  })

  it('authorizes each operation on the user it names', async () => {
    const own = await createUserWithKey(g, 'keyholder')
    await g.call('PutUserPolicy', {
      UserName: 'keyholder',
      PolicyName: 'OwnSshKeys',
      PolicyDocument: policy(
        'Allow',
        'iam:*SSHPublicKey*',
        `arn:aws:iam::${ACCOUNT_ID}:user/\${aws:username}`,
      ),
    })
    const mine = await g.call(
      'UploadSSHPublicKey',
      { UserName: 'keyholder', SSHPublicKeyBody: openSshLine(rsaKeyPair().publicKey) },
      { key: own },
    )
    assert.equal(mine.status, 200, mine.body)
    const listed = await g.call('ListSSHPublicKeys', {}, { key: own })
    assert.equal(xmlAll(listed.xml, 'ListSSHPublicKeysResult/SSHPublicKeys/member').length, 1)
    for (const [action, params] of [
      ['UploadSSHPublicKey', { SSHPublicKeyBody: openSshLine(rsaKeyPair().publicKey) }],
      ['GetSSHPublicKey', { SSHPublicKeyId: firstId, Encoding: 'SSH' }],
      ['ListSSHPublicKeys', {}],
      ['UpdateSSHPublicKey', { SSHPublicKeyId: firstId, Status: 'Inactive' }],
      ['DeleteSSHPublicKey', { SSHPublicKeyId: firstId }],
    ] as const) {
      const r = await g.call(action, { UserName: 'dev', ...params }, { key: own })
      assert.equal(r.status, 403, action)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/keyholder is not authorized to perform: iam:${action} on resource: arn:aws:iam::${ACCOUNT_ID}:user/dev because no identity-based policy allows the iam:${action} action`,
      })
    }
    // Nothing changed for dev.
    const got = await g.call('GetSSHPublicKey', {
      UserName: 'dev',
      SSHPublicKeyId: firstId,
      Encoding: 'SSH',
    })
    assert.equal(xmlText(got.xml, 'GetSSHPublicKeyResult/SSHPublicKey/Status'), 'Active')
  })

  it('refuses to delete a user that has an SSH public key, keeping both', async () => {
    const r = await g.call('DeleteUser', { UserName: 'dev' })
    assert.notEqual(r.status, 200)
    const listed = await g.call('ListSSHPublicKeys', { UserName: 'dev' })
    assert.equal(listed.status, 200)
    assert.ok(listed.body.includes(firstId))
  })

  it('refuses it with DeleteConflict (409)', async () => {
    const r = await g.call('DeleteUser', { UserName: 'dev' })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'DeleteConflict',
      message: 'Cannot delete entity, must delete SSH public keys first.',
    })
  })

  const noSshKeygen =
    spawnSync('ssh-keygen', ['-?'], { encoding: 'utf8' }).error === undefined
      ? false
      : 'ssh-keygen is not installed here'

  it('shows the fingerprint ssh-keygen -l -E md5 shows', { skip: noSshKeygen }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ssh-'))
    try {
      const line = openSshLine(rsaKeyPair(3072).publicKey, 'three@thousand')
      writeFileSync(join(dir, 'key.pub'), `${line}\n`)
      const run = spawnSync('ssh-keygen', ['-l', '-E', 'md5', '-f', join(dir, 'key.pub')], {
        encoding: 'utf8',
      })
      assert.equal(run.status, 0, run.stderr)
      const expected = /MD5:([0-9a-f:]{47})/.exec(run.stdout)?.[1]
      const r = await upload(g, 'ops', `${line}\n`)
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, 'UploadSSHPublicKeyResult/SSHPublicKey/Fingerprint'), expected)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('IAM signing certificates', { skip: noOpenssl }, () => {
  let g: InProcess
  let rootCertificate: string
  let rootCertificateId: string
  before(async () => {
    g = await startInProcess()
    for (const name of ['dev', 'ops']) await g.call('CreateUser', { UserName: name })
    rootCertificate = currentCertificate('root')
  })
  after(() => g.close())

  const uploadCert = (params: Record<string, string>) => g.call('UploadSigningCertificate', params)

  it("uploads the root user's own certificate when the root user names nobody", async () => {
    const r = await uploadCert({ CertificateBody: rootCertificate })
    assert.equal(r.status, 200, r.body)
    const cert = 'UploadSigningCertificateResult/Certificate'
    rootCertificateId = xmlText(r.xml, `${cert}/CertificateId`) ?? ''
    assert.match(rootCertificateId, /^[A-Z2-7]{32}$/)
    assert.equal(xmlText(r.xml, `${cert}/UserName`), undefined)
    assert.equal(xmlText(r.xml, `${cert}/CertificateBody`), rootCertificate)
    assert.equal(xmlText(r.xml, `${cert}/Status`), 'Active')
    assertRecent(xmlText(r.xml, `${cert}/UploadDate`))
    const listed = await g.call('ListSigningCertificates')
    const members = xmlAll(listed.xml, 'ListSigningCertificatesResult/Certificates/member')
    assert.deepEqual(
      members.map((m) => xmlText(m, 'CertificateId')),
      [rootCertificateId],
    )
    assert.equal(xmlText(members[0]!, 'CertificateBody'), rootCertificate)
  })

  it("uploads and lists a user's certificates with their bodies", async () => {
    const body = currentCertificate('dev')
    const r = await uploadCert({ UserName: 'dev', CertificateBody: body })
    assert.equal(r.status, 200, r.body)
    assert.equal(xmlText(r.xml, 'UploadSigningCertificateResult/Certificate/UserName'), 'dev')
    const listed = await g.call('ListSigningCertificates', { UserName: 'DEV' })
    const members = xmlAll(listed.xml, 'ListSigningCertificatesResult/Certificates/member')
    assert.equal(members.length, 1)
    assert.equal(xmlText(members[0]!, 'UserName'), 'dev')
    assert.equal(xmlText(members[0]!, 'CertificateBody'), body)
    assert.equal(xmlText(listed.xml, 'ListSigningCertificatesResult/IsTruncated'), 'false')
  })

  it('refuses a certificate an owner in the account has with DuplicateCertificate (409)', async () => {
    const r = await uploadCert({ UserName: 'ops', CertificateBody: rootCertificate })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'DuplicateCertificate',
      message: 'The same certificate is associated with an IAM user in the account.',
    })
  })

  it('allows two certificates per user, then LimitExceeded (409)', async () => {
    assert.equal(
      (await uploadCert({ UserName: 'ops', CertificateBody: currentCertificate('a') })).status,
      200,
    )
    assert.equal(
      (await uploadCert({ UserName: 'ops', CertificateBody: currentCertificate('b') })).status,
      200,
    )
    const r = await uploadCert({ UserName: 'ops', CertificateBody: currentCertificate('c') })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for SigningCertificatesPerUser: 2',
    })
    const page = await g.call('ListSigningCertificates', { UserName: 'ops', MaxItems: '1' })
    assert.equal(xmlText(page.xml, 'ListSigningCertificatesResult/IsTruncated'), 'true')
    const marker = xmlText(page.xml, 'ListSigningCertificatesResult/Marker') ?? ''
    const rest = await g.call('ListSigningCertificates', { UserName: 'ops', Marker: marker })
    assert.equal(xmlAll(rest.xml, 'ListSigningCertificatesResult/Certificates/member').length, 1)
  })

  it('refuses what is not one PEM certificate with MalformedCertificate (400)', async () => {
    const unparsable =
      'Unable to parse certificate. Please ensure the certificate is in PEM format.'
    const good = currentCertificate('good')
    const der = good.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '')
    const cases: readonly (readonly [string, string])[] = [
      ['not a certificate', unparsable],
      [der, unparsable],
      ['-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----', unparsable],
      [`${good}trailing text`, unparsable],
      [
        `${good}${currentCertificate('second')}`,
        'The certificate body must hold exactly one certificate.',
      ],
      [
        selfSignedCertificate({
          commonName: 'old',
          notBefore: new Date('2000-01-01T00:00:00Z'),
          notAfter: new Date(SERVER_TIME.getTime() - 1000),
        }),
        'The certificate has expired.',
      ],
      [
        selfSignedCertificate({
          commonName: 'future',
          notBefore: new Date(SERVER_TIME.getTime() + 60_000),
          notAfter: new Date(SERVER_TIME.getTime() + YEAR),
        }),
        'The certificate is not yet valid.',
      ],
    ]
    for (const [body, message] of cases) {
      const r = await uploadCert({ UserName: 'dev', CertificateBody: body })
      assert.equal(r.status, 400, body)
      assert.deepEqual(r.error, { code: 'MalformedCertificate', message }, body)
    }
  })

  it('refuses a certificate without an RSA key with InvalidCertificate (400)', async () => {
    const r = await uploadCert({ UserName: 'dev', CertificateBody: currentCertificate('ec', 'ec') })
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'InvalidCertificate',
      message: "The certificate's public key is not an RSA key.",
    })
  })

  it('deactivates a certificate and refuses the Expired status', async () => {
    const update = (Status: string) =>
      g.call('UpdateSigningCertificate', { CertificateId: rootCertificateId, Status })
    assert.equal((await update('Inactive')).status, 200)
    const listed = await g.call('ListSigningCertificates')
    assert.equal(
      xmlText(listed.xml, 'ListSigningCertificatesResult/Certificates/member/Status'),
      'Inactive',
    )
    const expired = await update('Expired')
    assert.equal(expired.status, 400)
    assert.deepEqual(expired.error, {
      code: 'InvalidInput',
      message: 'Status Expired is not valid for a signing certificate: use Active or Inactive.',
    })
    assert.equal((await update('Active')).status, 200)
  })

  it("answers another owner's certificate, or a missing user, with NoSuchEntity (404)", async () => {
    const missing = `The Certificate with id ${rootCertificateId} cannot be found.`
    for (const [action, extra] of [
      ['UpdateSigningCertificate', { Status: 'Inactive' }],
      ['DeleteSigningCertificate', {}],
    ] as const) {
      const r = await g.call(action, {
        UserName: 'dev',
        CertificateId: rootCertificateId,
        ...extra,
      })
      assert.equal(r.status, 404, action)
      assert.deepEqual(r.error, { code: 'NoSuchEntity', message: missing }, action)
    }
    const ghost = await g.call('ListSigningCertificates', { UserName: 'ghost' })
    assert.equal(ghost.status, 404)
    assert.deepEqual(ghost.error, {
      code: 'NoSuchEntity',
      message: 'The user with name ghost cannot be found.',
    })
    const shortId = await g.call('DeleteSigningCertificate', { CertificateId: 'SHORT' })
    assert.equal(shortId.error?.code, 'ValidationError')
    const noBody = await uploadCert({ UserName: 'dev' })
    assert.equal(noBody.error?.code, 'ValidationError')
  })

  it("acts on an IAM user's own certificates without UserName, and denies others'", async () => {
    const own = await createUserWithKey(g, 'signer')
    await g.call('PutUserPolicy', {
      UserName: 'signer',
      PolicyName: 'OwnCertificates',
      PolicyDocument: policy(
        'Allow',
        'iam:*SigningCertificate*',
        `arn:aws:iam::${ACCOUNT_ID}:user/\${aws:username}`,
      ),
    })
    const body = currentCertificate('signer')
    const r = await g.call('UploadSigningCertificate', { CertificateBody: body }, { key: own })
    assert.equal(r.status, 200, r.body)
    assert.equal(xmlText(r.xml, 'UploadSigningCertificateResult/Certificate/UserName'), 'signer')
    const id = xmlText(r.xml, 'UploadSigningCertificateResult/Certificate/CertificateId') ?? ''
    const listed = await g.call('ListSigningCertificates', {}, { key: own })
    assert.equal(
      xmlText(listed.xml, 'ListSigningCertificatesResult/Certificates/member/CertificateId'),
      id,
    )
    for (const [action, params] of [
      ['UploadSigningCertificate', { CertificateBody: currentCertificate('x') }],
      ['ListSigningCertificates', {}],
      ['UpdateSigningCertificate', { CertificateId: id, Status: 'Inactive' }],
      ['DeleteSigningCertificate', { CertificateId: id }],
    ] as const) {
      const denied = await g.call(action, { UserName: 'dev', ...params }, { key: own })
      assert.equal(denied.status, 403, action)
      assert.deepEqual(denied.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/signer is not authorized to perform: iam:${action} on resource: arn:aws:iam::${ACCOUNT_ID}:user/dev because no identity-based policy allows the iam:${action} action`,
      })
    }
    const deleted = await g.call('DeleteSigningCertificate', { CertificateId: id }, { key: own })
    assert.equal(deleted.status, 200, deleted.body)
  })

  it('refuses to delete a user that has a signing certificate, keeping both', async () => {
    const r = await g.call('DeleteUser', { UserName: 'dev' })
    assert.notEqual(r.status, 200)
    const listed = await g.call('ListSigningCertificates', { UserName: 'dev' })
    assert.equal(xmlAll(listed.xml, 'ListSigningCertificatesResult/Certificates/member').length, 1)
  })

  it('refuses it with DeleteConflict (409)', async () => {
    const r = await g.call('DeleteUser', { UserName: 'dev' })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'DeleteConflict',
      message: 'Cannot delete entity, must delete signing certificates first.',
    })
  })

  it('deletes a certificate, after which the user can go', async () => {
    const listed = await g.call('ListSigningCertificates', { UserName: 'dev' })
    const id = xmlText(
      listed.xml,
      'ListSigningCertificatesResult/Certificates/member/CertificateId',
    )
    const r = await g.call('DeleteSigningCertificate', { UserName: 'dev', CertificateId: id ?? '' })
    assert.equal(r.status, 200, r.body)
    assert.equal((await g.call('DeleteUser', { UserName: 'dev' })).status, 200)
  })
})
