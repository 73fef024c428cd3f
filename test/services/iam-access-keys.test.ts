/** CreateAccessKey, ListAccessKeys, UpdateAccessKey and DeleteAccessKey, in process. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createUserWithKey, startInProcess, xmlAll, xmlText } from '../support/in-process.js'
import type { InProcess } from '../support/in-process.js'

describe('IAM access keys', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    await g.call('CreateUser', { UserName: 'dev' })
  })
  after(() => g.close())

  it('creates a key with its secret, which is never shown again', async () => {
    const r = await g.call('CreateAccessKey', { UserName: 'dev' })
    assert.equal(r.status, 200, r.body)
    const key = 'CreateAccessKeyResult/AccessKey'
    assert.equal(xmlText(r.xml, `${key}/UserName`), 'dev')
    assert.match(xmlText(r.xml, `${key}/AccessKeyId`) ?? '', /^AKIA[A-Z2-7]{16}$/)
    const secret = xmlText(r.xml, `${key}/SecretAccessKey`) ?? ''
    assert.equal(secret.length, 40)
    assert.equal(xmlText(r.xml, `${key}/Status`), 'Active')

    const listed = await g.call('ListAccessKeys', { UserName: 'dev' })
    assert.equal(listed.body.includes(secret), false)
    assert.equal(listed.body.includes('SecretAccessKey'), false)
    const members = xmlAll(listed.xml, 'ListAccessKeysResult/AccessKeyMetadata/member')
    assert.equal(members.length, 1)
    assert.equal(xmlText(members[0]!, 'UserName'), 'dev')
    assert.equal(xmlText(members[0]!, 'Status'), 'Active')
  })

  it('refuses a third key with LimitExceeded (409)', async () => {
    assert.equal((await g.call('CreateAccessKey', { UserName: 'dev' })).status, 200)
    const r = await g.call('CreateAccessKey', { UserName: 'dev' })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    })
  })

  it('pages the keys with MaxItems', async () => {
    const first = await g.call('ListAccessKeys', { UserName: 'dev', MaxItems: '1' })
    assert.equal(xmlText(first.xml, 'ListAccessKeysResult/IsTruncated'), 'true')
    const marker = xmlText(first.xml, 'ListAccessKeysResult/Marker') ?? ''
    const second = await g.call('ListAccessKeys', { UserName: 'dev', Marker: marker })
    assert.equal(xmlAll(second.xml, 'ListAccessKeysResult/AccessKeyMetadata/member').length, 1)
    assert.equal(xmlText(second.xml, 'ListAccessKeysResult/Marker'), undefined)
  })

  it('deactivates a key and refuses the Expired status', async () => {
    const listed = await g.call('ListAccessKeys', { UserName: 'dev' })
    const keyId = xmlText(listed.xml, 'ListAccessKeysResult/AccessKeyMetadata/member/AccessKeyId')
    const off = await g.call('UpdateAccessKey', {
      UserName: 'dev',
      AccessKeyId: keyId ?? '',
      Status: 'Inactive',
    })
    assert.equal(off.status, 200, off.body)
    const after = await g.call('ListAccessKeys', { UserName: 'dev' })
    assert.equal(
      xmlText(after.xml, 'ListAccessKeysResult/AccessKeyMetadata/member/Status'),
      'Inactive',
    )
    const expired = await g.call('UpdateAccessKey', {
      UserName: 'dev',
      AccessKeyId: keyId ?? '',
      Status: 'Expired',
    })
    assert.equal(expired.status, 400)
    assert.equal(expired.error?.code, 'InvalidInput')
    const bogus = await g.call('UpdateAccessKey', {
      UserName: 'dev',
      AccessKeyId: keyId ?? '',
      Status: 'Paused',
    })
    assert.equal(bogus.error?.code, 'ValidationError')
  })

  it('answers a key of another user, or no key, with NoSuchEntity', async () => {
    const other = await createUserWithKey(g, 'other')
    const r = await g.call('DeleteAccessKey', { UserName: 'dev', AccessKeyId: other.accessKeyId })
    assert.equal(r.status, 404)
    assert.deepEqual(r.error, {
      code: 'NoSuchEntity',
      message: `The Access Key with id ${other.accessKeyId} cannot be found.`,
    })
    const none = await g.call('ListAccessKeys', { UserName: 'ghost' })
    assert.deepEqual(none.error, {
      code: 'NoSuchEntity',
      message: 'The user with name ghost cannot be found.',
    })
  })

  it("acts on the caller's own keys without UserName", async () => {
    const own = await createUserWithKey(g, 'self-service')
    await g.call('PutUserPolicy', {
      UserName: 'self-service',
      PolicyName: 'OwnKeys',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['iam:*AccessKey*'],
            Resource: 'arn:aws:iam::123456789012:user/${aws:username}',
          },
        ],
      }),
    })
    const listed = await g.call('ListAccessKeys', {}, { key: own })
    assert.equal(listed.status, 200, listed.body)
    assert.equal(
      xmlText(listed.xml, 'ListAccessKeysResult/AccessKeyMetadata/member/AccessKeyId'),
      own.accessKeyId,
    )
    const created = await g.call('CreateAccessKey', {}, { key: own })
    assert.equal(xmlText(created.xml, 'CreateAccessKeyResult/AccessKey/UserName'), 'self-service')
  })

  it("manages the root user's keys when the root user names nobody", async () => {
    const listed = await g.call('ListAccessKeys')
    const members = xmlAll(listed.xml, 'ListAccessKeysResult/AccessKeyMetadata/member')
    assert.deepEqual(
      members.map((m) => xmlText(m, 'AccessKeyId')),
      ['AKIAROOTEXAMPLE00001'],
    )
    assert.equal(xmlText(members[0]!, 'UserName'), undefined)
  })

  it('deletes a key, after which it no longer signs', async () => {
    const doomed = await createUserWithKey(g, 'doomed')
    assert.equal(
      (await g.call('GetCallerIdentity', {}, { service: 'sts', key: doomed })).status,
      200,
    )
    const r = await g.call('DeleteAccessKey', {
      UserName: 'doomed',
      AccessKeyId: doomed.accessKeyId,
    })
    assert.equal(r.status, 200, r.body)
    const refused = await g.call('GetCallerIdentity', {}, { service: 'sts', key: doomed })
    assert.equal(refused.error?.code, 'InvalidClientTokenId')
  })
})
