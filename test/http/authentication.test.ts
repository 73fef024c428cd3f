/**
 * The authenticate step over the wire, in process: which requests are refused before any
 * operation runs, with AWS's codes, statuses and messages.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { signRequest } from '../auth/sigv4-signer.js'
import { NOW, ROOT_KEY, formEncode, startInProcess, xmlText } from '../support/in-process.js'
import type { InProcess } from '../support/in-process.js'

const INVALID_TOKEN = 'The security token included in the request is invalid.'

describe('authentication', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  it('answers an unsigned request with MissingAuthenticationToken (403)', async () => {
    const r = await g.send({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListUsers&Version=2010-05-08',
    })
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'MissingAuthenticationToken',
      message: 'Request is missing Authentication Token',
    })
  })

  it('answers an unknown access key with InvalidClientTokenId (403)', async () => {
    const r = await g.call(
      'ListUsers',
      {},
      {
        key: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: ROOT_KEY.secretAccessKey },
      },
    )
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, { code: 'InvalidClientTokenId', message: INVALID_TOKEN })
  })

  it('answers a signature made with the wrong secret with SignatureDoesNotMatch (403)', async () => {
    const r = await g.call(
      'ListUsers',
      {},
      {
        key: { accessKeyId: ROOT_KEY.accessKeyId, secretAccessKey: 'not the secret at all 0000' },
      },
    )
    assert.equal(r.status, 403)
    assert.equal(r.error?.code, 'SignatureDoesNotMatch')
    assert.match(r.error?.message ?? '', /^The request signature we calculated does not match/)
  })

  it('refuses a request signed more than five minutes before the server clock', async () => {
    const r = await g.call('ListUsers', {}, { time: '20260315T115400Z' })
    assert.equal(r.status, 403)
    assert.equal(r.error?.code, 'SignatureDoesNotMatch')
    assert.match(r.error?.message ?? '', /^Signature expired: 20260315T115400Z is now earlier than/)
  })

  it('accepts a request signed within the skew window', async () => {
    const r = await g.call('ListUsers', {}, { time: '20260315T115600Z' })
    assert.equal(r.status, 200)
  })

  it('accepts any region in the credential scope', async () => {
    for (const region of ['ap-south-1', 'eu-west-1', 'us-east-1']) {
      const r = await g.call('GetCallerIdentity', {}, { service: 'sts', region })
      assert.equal(r.status, 200, region)
    }
  })

  it('refuses a scope naming a service it does not serve', async () => {
    const r = await g.call('ListUsers', {}, { service: 's3' })
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'SignatureDoesNotMatch',
      message: "Credential should be scoped to correct service: 'iam' or 'sts'.",
    })
  })

  it('refuses a session token, since it issues none yet', async () => {
    const body = formEncode({ Action: 'GetCallerIdentity', Version: '2011-06-15' })
    const signed = signRequest({
      form: 'header',
      time: NOW,
      body,
      service: 'sts',
      accessKeyId: ROOT_KEY.accessKeyId,
      secret: ROOT_KEY.secretAccessKey,
      sessionToken: 'FwoGZXIvYXdzEXAMPLE',
    })
    const r = await g.send({
      method: 'POST',
      url: '/',
      headers: Object.fromEntries(signed.headers),
      body,
    })
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, { code: 'InvalidClientTokenId', message: INVALID_TOKEN })
  })

  it('accepts a presigned GET request with the parameters in the query string', async () => {
    const signed = signRequest({
      form: 'query',
      method: 'GET',
      time: NOW,
      query: formEncode({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
      service: 'sts',
      expires: 300,
      accessKeyId: ROOT_KEY.accessKeyId,
      secret: ROOT_KEY.secretAccessKey,
    })
    const r = await g.send({
      method: 'GET',
      url: `/?${signed.query}`,
      headers: Object.fromEntries(signed.headers),
    })
    assert.equal(r.status, 200, r.body)
    assert.equal(xmlText(r.xml, 'GetCallerIdentityResult/Arn'), 'arn:aws:iam::123456789012:root')
  })

  it('refuses a body changed after signing', async () => {
    const body = formEncode({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'mallory' })
    const signed = signRequest({
      form: 'header',
      time: NOW,
      body,
      accessKeyId: ROOT_KEY.accessKeyId,
      secret: ROOT_KEY.secretAccessKey,
    })
    const r = await g.send({
      method: 'POST',
      url: '/',
      headers: Object.fromEntries(signed.headers),
      body: body.replace('mallory', 'mallorz'),
    })
    assert.equal(r.error?.code, 'SignatureDoesNotMatch')
    const users = await g.call('ListUsers')
    assert.equal(users.body.includes('mallor'), false)
  })

  it('refuses an inactive key, and accepts it again once it is active', async () => {
    const created = await g.call('CreateUser', { UserName: 'keyholder' })
    assert.equal(created.status, 200)
    const key = await g.call('CreateAccessKey', { UserName: 'keyholder' })
    const accessKeyId = xmlText(key.xml, 'CreateAccessKeyResult/AccessKey/AccessKeyId') ?? ''
    const secretAccessKey =
      xmlText(key.xml, 'CreateAccessKeyResult/AccessKey/SecretAccessKey') ?? ''
    const asUser = { key: { accessKeyId, secretAccessKey }, service: 'sts' }
    assert.equal((await g.call('GetCallerIdentity', {}, asUser)).status, 200)

    const off = { UserName: 'keyholder', AccessKeyId: accessKeyId, Status: 'Inactive' }
    assert.equal((await g.call('UpdateAccessKey', off)).status, 200)
    const refused = await g.call('GetCallerIdentity', {}, asUser)
    assert.equal(refused.status, 403)
    assert.deepEqual(refused.error, { code: 'InvalidClientTokenId', message: INVALID_TOKEN })

    assert.equal((await g.call('UpdateAccessKey', { ...off, Status: 'Active' })).status, 200)
    assert.equal((await g.call('GetCallerIdentity', {}, asUser)).status, 200)
  })
})
