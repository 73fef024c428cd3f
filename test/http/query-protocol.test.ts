/**
 * The one endpoint, in process: routing by credential scope, the awsQuery envelope and headers,
 * and the errors of the decode and operation steps.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { signRequest } from '../auth/sigv4-signer.js'
import { NOW, ROOT_KEY, formEncode, startInProcess, xmlText } from '../support/in-process.js'
import type { InProcess } from '../support/in-process.js'

describe('the awsQuery endpoint', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  it('answers in the XML envelope with the request id in the body and the header', async () => {
    const r = await g.call('GetCallerIdentity', {}, { service: 'sts' })
    assert.equal(r.status, 200)
    assert.equal(r.xml.name, 'GetCallerIdentityResponse')
    assert.equal(r.xml.attributes['xmlns'], 'https://sts.amazonaws.com/doc/2011-06-15/')
    assert.equal(r.headers['content-type'], 'text/xml')
    const requestId = r.headers['x-amzn-requestid']
    assert.match(String(requestId), /^[0-9a-f-]{36}$/)
    assert.equal(xmlText(r.xml, 'ResponseMetadata/RequestId'), requestId)
    // The Date header is the server's clock, which SDK v3 corrects its own by.
    assert.equal(r.headers['date'], 'Sun, 15 Mar 2026 12:00:00 GMT')
  })

  it('sends errors as ErrorResponse with Type, Code, Message and RequestId', async () => {
    const r = await g.call('GetUser', { UserName: 'nobody' })
    assert.equal(r.status, 404)
    assert.equal(r.xml.name, 'ErrorResponse')
    assert.equal(r.xml.attributes['xmlns'], 'https://iam.amazonaws.com/doc/2010-05-08/')
    assert.equal(xmlText(r.xml, 'Error/Type'), 'Sender')
    assert.deepEqual(r.error, {
      code: 'NoSuchEntity',
      message: 'The user with name nobody cannot be found.',
    })
    assert.equal(xmlText(r.xml, 'RequestId'), r.headers['x-amzn-requestid'])
  })

  it("uses STS's namespace for STS's errors", async () => {
    // Every operation of STS's model is served: an action it does not have.
    const r = await g.call('GetSessionTokens', {}, { service: 'sts' })
    assert.equal(r.xml.attributes['xmlns'], 'https://sts.amazonaws.com/doc/2011-06-15/')
    assert.deepEqual(r.error, {
      code: 'InvalidAction',
      message: 'Could not find operation GetSessionTokens for version 2011-06-15',
    })
  })

  it('answers an unknown action with InvalidAction (400)', async () => {
    const r = await g.call('CreateUsers', { UserName: 'x' })
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'InvalidAction',
      message: 'Could not find operation CreateUsers for version 2010-05-08',
    })
  })

  it('routes by the credential scope: an STS action signed for IAM is not found', async () => {
    const r = await g.call('GetCallerIdentity', {}, { service: 'iam', version: '2011-06-15' })
    assert.equal(r.error?.code, 'InvalidAction')
    const iamVersion = await g.call('GetCallerIdentity', {}, { service: 'iam' })
    assert.equal(iamVersion.error?.code, 'InvalidAction')
  })

  it('answers a request without Action with MissingAction', async () => {
    const body = formEncode({ Version: '2010-05-08' })
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
      body,
    })
    assert.equal(r.status, 400)
    assert.equal(r.error?.code, 'MissingAction')
  })

  it('answers a request without Version with MissingParameter', async () => {
    const r = await g.call('ListUsers', {}, { version: null })
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'MissingParameter',
      message: 'The request must contain the parameter Version.',
    })
  })

  it('serves any path, as SDK v3 appends the endpoint path', async () => {
    const body = formEncode({ Action: 'GetCallerIdentity', Version: '2011-06-15' })
    const signed = signRequest({
      form: 'header',
      time: NOW,
      path: '/gatehouse/',
      body,
      service: 'sts',
      accessKeyId: ROOT_KEY.accessKeyId,
      secret: ROOT_KEY.secretAccessKey,
    })
    const r = await g.send({
      method: 'POST',
      url: '/gatehouse/',
      headers: Object.fromEntries(signed.headers),
      body,
    })
    assert.equal(r.status, 200, r.body)
  })

  it('answers other HTTP methods with an AWS-shaped error', async () => {
    const r = await g.send({ method: 'DELETE', url: '/', headers: {} })
    assert.equal(r.status, 400)
    assert.equal(r.error?.code, 'InvalidAction')
  })

  it('refuses a body over the size limit with InvalidQueryParameter', async () => {
    const r = await g.send({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=ListUsers&Version=2010-05-08&Junk=${'x'.repeat(1_100_000)}`,
    })
    assert.equal(r.status, 400)
    assert.equal(r.error?.code, 'InvalidQueryParameter')
  })

  it('refuses a parameter sent twice', async () => {
    const body = 'Action=GetUser&Version=2010-05-08&UserName=a&UserName=b'
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
      body,
    })
    assert.equal(r.status, 400)
    assert.equal(r.error?.code, 'InvalidParameterValue')
  })

  it('reads + as a space, as botocore encodes forms', async () => {
    const body =
      'Action=CreateUser&Version=2010-05-08&UserName=plus.user&Tags.member.1.Key=Cost+Center&Tags.member.1.Value=12+34'
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
      body,
    })
    assert.equal(r.status, 200, r.body)
    assert.equal(xmlText(r.xml, 'CreateUserResult/User/Tags/member/Key'), 'Cost Center')
    assert.equal(xmlText(r.xml, 'CreateUserResult/User/Tags/member/Value'), '12 34')
  })
})
