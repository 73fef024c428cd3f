/**
 * Server certificates in process: UploadServerCertificate, GetServerCertificate,
 * ListServerCertificates, UpdateServerCertificate, DeleteServerCertificate,
 * TagServerCertificate, UntagServerCertificate, ListServerCertificateTags, their errors with
 * code, status and message, how each is authorized, and the private key kept sealed: out of the
 * database in clear, out of every response and out of the trail. Certificates are made by the
 * real `openssl`.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import { certificateWithKey, noOpenssl } from '../support/x509-certificates.js'
import type { CertificateWithKey } from '../support/x509-certificates.js'

const ARN = `arn:aws:iam::${ACCOUNT_ID}`
// The in-process server's clock is 2026-03-15T12:00:00Z.
const VALID = {
  notBefore: new Date('2026-01-01T00:00:00Z'),
  notAfter: new Date('2027-01-01T00:00:00Z'),
}

function ok(r: Reply): void {
  assert.equal(r.status, 200, r.body)
}

function fails(r: Reply, status: number, code: string, message: string): void {
  assert.equal(r.status, status, r.body)
  assert.deepEqual(r.error, { code, message })
}

function denial(callerArn: string, action: string, resource: string): string {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
}

function tagParams(tags: Readonly<Record<string, string>>): Record<string, string> {
  const params: Record<string, string> = {}
  Object.entries(tags).forEach(([key, value], i) => {
    params[`Tags.member.${i + 1}.Key`] = key
    params[`Tags.member.${i + 1}.Value`] = value
  })
  return params
}

function tagsOf(r: Reply, path: string): [string, string][] {
  return xmlAll(r.xml, `${path}/member`).map((m) => [
    xmlText(m, 'Key') ?? '',
    xmlText(m, 'Value') ?? '',
  ])
}

function upload(
  g: InProcess,
  name: string,
  pair: CertificateWithKey,
  extra: Record<string, string> = {},
  key?: Credentials,
): Promise<Reply> {
  return g.call(
    'UploadServerCertificate',
    {
      ServerCertificateName: name,
      CertificateBody: pair.certificate,
      PrivateKey: pair.privateKey,
      ...extra,
    },
    key === undefined ? {} : { key },
  )
}

describe('IAM server certificates', { skip: noOpenssl }, () => {
  let g: InProcess
  let web: CertificateWithKey
  let other: CertificateWithKey
  let chain: CertificateWithKey

  before(async () => {
    g = await startInProcess()
    web = certificateWithKey({ commonName: 'www.example.com', ...VALID })
    other = certificateWithKey({ commonName: 'other.example.com', keyType: 'ec', ...VALID })
    chain = certificateWithKey({ commonName: 'Example CA', ...VALID })
  })
  after(() => g.close())

  it('uploads a certificate with its path, chain and tags, answering its metadata', async () => {
    const r = await upload(g, 'Web-Cert', web, {
      Path: '/cloudfront/',
      CertificateChain: chain.certificate,
      ...tagParams({ team: 'blue', Env: 'prod' }),
    })
    ok(r)
    const meta = 'UploadServerCertificateResult/ServerCertificateMetadata'
    assert.equal(xmlText(r.xml, `${meta}/Path`), '/cloudfront/')
    assert.equal(xmlText(r.xml, `${meta}/ServerCertificateName`), 'Web-Cert')
    assert.match(xmlText(r.xml, `${meta}/ServerCertificateId`) ?? '', /^ASCA[A-Z2-7]{17}$/)
    assert.equal(xmlText(r.xml, `${meta}/Arn`), `${ARN}:server-certificate/cloudfront/Web-Cert`)
    // Stamped by the store's clock (the real one here), not the request's.
    assert.ok(!Number.isNaN(Date.parse(xmlText(r.xml, `${meta}/UploadDate`) ?? '')))
    assert.equal(xmlText(r.xml, `${meta}/Expiration`), '2027-01-01T00:00:00Z')
    assert.deepEqual(tagsOf(r, 'UploadServerCertificateResult/Tags'), [
      ['Env', 'prod'],
      ['team', 'blue'],
    ])
    assert.ok(!r.body.includes('PRIVATE KEY'))
  })

  it('gets a certificate by name in any case: body, chain, tags, never the key', async () => {
    const r = await g.call('GetServerCertificate', { ServerCertificateName: 'web-cert' })
    ok(r)
    const cert = 'GetServerCertificateResult/ServerCertificate'
    assert.equal(
      xmlText(r.xml, `${cert}/ServerCertificateMetadata/ServerCertificateName`),
      'Web-Cert',
    )
    assert.equal(xmlText(r.xml, `${cert}/CertificateBody`), web.certificate)
    assert.equal(xmlText(r.xml, `${cert}/CertificateChain`), chain.certificate)
    assert.deepEqual(tagsOf(r, `${cert}/Tags`), [
      ['Env', 'prod'],
      ['team', 'blue'],
    ])
    assert.ok(!r.body.includes('PRIVATE KEY'))
  })

  it('accepts an EC key pair without path, chain or tags', async () => {
    const r = await upload(g, 'ec-cert', other)
    ok(r)
    assert.equal(
      xmlText(r.xml, 'UploadServerCertificateResult/ServerCertificateMetadata/Arn'),
      `${ARN}:server-certificate/ec-cert`,
    )
    assert.equal(r.body.includes('<Tags'), false)
    const got = await g.call('GetServerCertificate', { ServerCertificateName: 'ec-cert' })
    assert.equal(got.body.includes('<CertificateChain'), false)
  })

  it('lists metadata by name, filtered by PathPrefix, with Marker and MaxItems', async () => {
    const all = await g.call('ListServerCertificates')
    ok(all)
    const names = (r: Reply) =>
      xmlAll(r.xml, 'ListServerCertificatesResult/ServerCertificateMetadataList/member').map((m) =>
        xmlText(m, 'ServerCertificateName'),
      )
    assert.deepEqual(names(all), ['ec-cert', 'Web-Cert'])
    assert.equal(xmlText(all.xml, 'ListServerCertificatesResult/IsTruncated'), 'false')
    assert.ok(!all.body.includes('<Tags') && !all.body.includes('CertificateBody'))
    assert.deepEqual(names(await g.call('ListServerCertificates', { PathPrefix: '/cloud' })), [
      'Web-Cert',
    ])
    const first = await g.call('ListServerCertificates', { MaxItems: '1' })
    assert.deepEqual(names(first), ['ec-cert'])
    assert.equal(xmlText(first.xml, 'ListServerCertificatesResult/IsTruncated'), 'true')
    const marker = xmlText(first.xml, 'ListServerCertificatesResult/Marker') ?? ''
    const second = await g.call('ListServerCertificates', { MaxItems: '1', Marker: marker })
    assert.deepEqual(names(second), ['Web-Cert'])
  })

  it('tags, untags and lists tags by key', async () => {
    ok(
      await g.call('TagServerCertificate', {
        ServerCertificateName: 'ec-cert',
        ...tagParams({ b: '2', a: '1', c: '3' }),
      }),
    )
    ok(
      await g.call('UntagServerCertificate', {
        ServerCertificateName: 'EC-CERT',
        'TagKeys.member.1': 'c',
        'TagKeys.member.2': 'absent',
      }),
    )
    const r = await g.call('ListServerCertificateTags', { ServerCertificateName: 'ec-cert' })
    ok(r)
    assert.deepEqual(tagsOf(r, 'ListServerCertificateTagsResult/Tags'), [
      ['a', '1'],
      ['b', '2'],
    ])
    const page = await g.call('ListServerCertificateTags', {
      ServerCertificateName: 'ec-cert',
      MaxItems: '1',
    })
    assert.equal(xmlText(page.xml, 'ListServerCertificateTagsResult/IsTruncated'), 'true')
    fails(
      await g.call('TagServerCertificate', {
        ServerCertificateName: 'ec-cert',
        ...tagParams({ 'aws:x': '1' }),
      }),
      400,
      'InvalidInput',
      "Tag keys cannot start with the reserved prefix 'aws:'.",
    )
  })

  it('renames and moves a certificate; the old name is gone, a taken one refused', async () => {
    ok(
      await g.call('UpdateServerCertificate', {
        ServerCertificateName: 'ec-cert',
        NewServerCertificateName: 'Edge',
        NewPath: '/edge/',
      }),
    )
    const got = await g.call('GetServerCertificate', { ServerCertificateName: 'edge' })
    assert.equal(
      xmlText(
        got.xml,
        'GetServerCertificateResult/ServerCertificate/ServerCertificateMetadata/Arn',
      ),
      `${ARN}:server-certificate/edge/Edge`,
    )
    fails(
      await g.call('GetServerCertificate', { ServerCertificateName: 'ec-cert' }),
      404,
      'NoSuchEntity',
      'The Server Certificate with name ec-cert cannot be found.',
    )
    fails(
      await g.call('UpdateServerCertificate', {
        ServerCertificateName: 'Edge',
        NewServerCertificateName: 'WEB-CERT',
      }),
      409,
      'EntityAlreadyExists',
      'The Server Certificate with name WEB-CERT already exists.',
    )
    fails(
      await g.call('UpdateServerCertificate', { ServerCertificateName: 'nope', NewPath: '/x/' }),
      404,
      'NoSuchEntity',
      'The Server Certificate with name nope cannot be found.',
    )
  })

  it('refuses a taken name, in any case, with EntityAlreadyExists (409)', async () => {
    fails(
      await upload(g, 'WEB-cert', web),
      409,
      'EntityAlreadyExists',
      'The Server Certificate with name WEB-cert already exists.',
    )
  })

  it('refuses a body that is not a PEM certificate with MalformedCertificate', async () => {
    fails(
      await g.call('UploadServerCertificate', {
        ServerCertificateName: 'bad',
        CertificateBody: 'not a certificate',
        PrivateKey: web.privateKey,
      }),
      400,
      'MalformedCertificate',
      'Unable to parse certificate. Please ensure the certificate is in PEM format.',
    )
  })

  it('refuses an expired or not yet valid certificate with MalformedCertificate', async () => {
    const expired = certificateWithKey({
      commonName: 'old.example.com',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2026-01-01T00:00:00Z'),
    })
    fails(
      await upload(g, 'expired', expired),
      400,
      'MalformedCertificate',
      'The certificate has expired.',
    )
    const future = certificateWithKey({
      commonName: 'new.example.com',
      notBefore: new Date('2026-06-01T00:00:00Z'),
      notAfter: new Date('2027-06-01T00:00:00Z'),
    })
    fails(
      await upload(g, 'future', future),
      400,
      'MalformedCertificate',
      'The certificate is not yet valid.',
    )
  })

  it("refuses another certificate's private key with KeyPairMismatch", async () => {
    fails(
      await upload(g, 'mismatch', { certificate: web.certificate, privateKey: other.privateKey }),
      400,
      'KeyPairMismatch',
      'The public key certificate and the private key do not match.',
    )
    const unreadable = await upload(g, 'garbled', {
      certificate: web.certificate,
      privateKey: '-----BEGIN PRIVATE KEY-----\nSECRETGARBAGE\n-----END PRIVATE KEY-----\n',
    })
    fails(
      unreadable,
      400,
      'MalformedCertificate',
      'Unable to parse private key. Please ensure the key is an unencrypted PEM.',
    )
    assert.ok(!unreadable.body.includes('SECRETGARBAGE'))
  })

  it('refuses an unreadable chain with MalformedCertificate', async () => {
    fails(
      await upload(g, 'bad-chain', web, { CertificateChain: 'junk' }),
      400,
      'MalformedCertificate',
      'Unable to parse certificate chain. Please ensure the chain is in PEM format.',
    )
  })

  it('refuses a name with a space with ValidationError', async () => {
    const r = await upload(g, 'has space', web)
    assert.equal(r.status, 400, r.body)
    assert.equal(r.error?.code, 'ValidationError')
    assert.match(r.error?.message ?? '', /serverCertificateName/)
  })

  it('refuses a 21st certificate with LimitExceeded (409)', async () => {
    const h = await startInProcess()
    try {
      for (let i = 0; i < 20; i++) ok(await upload(h, `c${i}`, web))
      fails(
        await upload(h, 'c20', web),
        409,
        'LimitExceeded',
        'Cannot exceed quota for ServerCertificatesPerAccount: 20',
      )
    } finally {
      await h.close()
    }
  })

  it('deletes a certificate; deleting it again is NoSuchEntity (404)', async () => {
    ok(await g.call('DeleteServerCertificate', { ServerCertificateName: 'EDGE' }))
    fails(
      await g.call('DeleteServerCertificate', { ServerCertificateName: 'Edge' }),
      404,
      'NoSuchEntity',
      'The Server Certificate with name Edge cannot be found.',
    )
    fails(
      await g.call('ListServerCertificateTags', { ServerCertificateName: 'Edge' }),
      404,
      'NoSuchEntity',
      'The Server Certificate with name Edge cannot be found.',
    )
  })

  it('keeps the private key out of the database in clear and out of the trail', async () => {
    const secret = certificateWithKey({ commonName: 'secret.example.com', ...VALID })
    ok(await upload(g, 'secretive', secret))
    // The key's base64 body, whatever the line breaks.
    const keyLines = secret.privateKey.split('\n').filter((l) => l !== '' && !l.startsWith('-----'))
    assert.ok(g.store instanceof SqliteStore)
    const raw = Buffer.from(g.store.database.serialize())
    assert.ok(raw.includes(Buffer.from('secretive')), 'the raw content is the database')
    for (const line of keyLines)
      assert.ok(!raw.includes(Buffer.from(line)), 'the key in the database')
    assert.ok(!raw.includes(Buffer.from('PRIVATE KEY')), 'a PEM key in the database')
    // Yet the store can open it again.
    const opened = await g.store.transaction((tx) =>
      tx.getServerCertificatePrivateKey(ACCOUNT_ID, 'secretive'),
    )
    assert.equal(opened, secret.privateKey)

    const events = await g.trail.readTrailEvents(0, 100_000)
    const records = events
      .filter((e) => e.eventName === 'UploadServerCertificate')
      .map((e) => e.record)
    assert.ok(records.some((r) => r.includes('"secretive"')))
    for (const record of records) {
      for (const line of keyLines) assert.ok(!record.includes(line), record)
      assert.ok(!record.includes('PRIVATE KEY'), record)
    }
    const uploadRecord = JSON.parse(records.find((r) => r.includes('"secretive"')) ?? '{}') as {
      requestParameters?: Record<string, unknown>
    }
    assert.equal(uploadRecord.requestParameters?.['serverCertificateName'], 'secretive')
    assert.notEqual(uploadRecord.requestParameters?.['privateKey'], secret.privateKey)
  })
})

describe('IAM server certificates: authorization', { skip: noOpenssl }, () => {
  let g: InProcess
  let self: Credentials
  let pair: CertificateWithKey
  const selfArn = `${ARN}:user/self`

  before(async () => {
    g = await startInProcess()
    self = await createUserWithKey(g, 'self')
    pair = certificateWithKey({ commonName: 'auth.example.com', ...VALID })
    ok(await upload(g, 'Prod', pair, { Path: '/prod/', ...tagParams({ env: 'prod' }) }))
    ok(await upload(g, 'dev', pair, tagParams({ env: 'dev' })))
  })
  after(() => g.close())

  it('refuses a user without a policy, naming the certificate ARN with its path', async () => {
    fails(
      await upload(g, 'new', pair, { Path: '/p/' }, self),
      403,
      'AccessDenied',
      denial(selfArn, 'iam:UploadServerCertificate', `${ARN}:server-certificate/p/new`),
    )
    for (const action of [
      'GetServerCertificate',
      'DeleteServerCertificate',
      'ListServerCertificateTags',
      'UpdateServerCertificate',
    ]) {
      fails(
        await g.call(action, { ServerCertificateName: 'prod' }, { key: self }),
        403,
        'AccessDenied',
        denial(selfArn, `iam:${action}`, `${ARN}:server-certificate/prod/Prod`),
      )
    }
    fails(
      await g.call('ListServerCertificates', {}, { key: self }),
      403,
      'AccessDenied',
      `User: ${selfArn} is not authorized to perform: iam:ListServerCertificates because no identity-based policy allows the iam:ListServerCertificates action`,
    )
    // One that does not exist: denied before NoSuchEntity, on its name at the root path.
    fails(
      await g.call('GetServerCertificate', { ServerCertificateName: 'ghost' }, { key: self }),
      403,
      'AccessDenied',
      denial(selfArn, 'iam:GetServerCertificate', `${ARN}:server-certificate/ghost`),
    )
  })

  it('authorizes on aws:ResourceTag of the certificate', async () => {
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'self',
        PolicyName: 'DevOnly',
        PolicyDocument: policy(
          'Allow',
          ['iam:GetServerCertificate', 'iam:TagServerCertificate'],
          `${ARN}:server-certificate/*`,
          { StringEquals: { 'aws:ResourceTag/env': 'dev' } },
        ),
      }),
    )
    ok(await g.call('GetServerCertificate', { ServerCertificateName: 'dev' }, { key: self }))
    const denied = await g.call(
      'GetServerCertificate',
      { ServerCertificateName: 'Prod' },
      { key: self },
    )
    assert.equal(denied.status, 403, denied.body)
    assert.equal(denied.error?.code, 'AccessDenied')
    ok(
      await g.call(
        'TagServerCertificate',
        { ServerCertificateName: 'dev', ...tagParams({ owner: 'me' }) },
        { key: self },
      ),
    )
  })

  it('authorizes a rename on the old ARN and on the new one', async () => {
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'self',
        PolicyName: 'RenameDev',
        PolicyDocument: policy(
          'Allow',
          'iam:UpdateServerCertificate',
          `${ARN}:server-certificate/dev`,
        ),
      }),
    )
    fails(
      await g.call(
        'UpdateServerCertificate',
        { ServerCertificateName: 'dev', NewServerCertificateName: 'staging' },
        { key: self },
      ),
      403,
      'AccessDenied',
      denial(selfArn, 'iam:UpdateServerCertificate', `${ARN}:server-certificate/staging`),
    )
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'self',
        PolicyName: 'RenameDev',
        PolicyDocument: policy('Allow', 'iam:UpdateServerCertificate', [
          `${ARN}:server-certificate/dev`,
          `${ARN}:server-certificate/staging`,
        ]),
      }),
    )
    ok(
      await g.call(
        'UpdateServerCertificate',
        { ServerCertificateName: 'dev', NewServerCertificateName: 'staging' },
        { key: self },
      ),
    )
  })

  it('checks aws:RequestTag on upload', async () => {
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'self',
        PolicyName: 'UploadTagged',
        PolicyDocument: policy('Allow', 'iam:UploadServerCertificate', '*', {
          StringEquals: { 'aws:RequestTag/team': 'edge' },
        }),
      }),
    )
    const untagged = await upload(g, 'mine', pair, {}, self)
    assert.equal(untagged.status, 403, untagged.body)
    ok(await upload(g, 'mine', pair, tagParams({ team: 'edge' }), self))
  })
})
