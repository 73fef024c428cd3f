/** PutUserPolicy, GetUserPolicy, ListUserPolicies and DeleteUserPolicy, in process. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { policy, startInProcess, xmlAll, xmlText } from '../support/in-process.js'
import type { InProcess } from '../support/in-process.js'
import { textOf } from '../errors/strict-xml.js'

describe('IAM user inline policies', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    await g.call('CreateUser', { UserName: 'carol' })
  })
  after(() => g.close())

  const document = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "ReadList", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": ["arn:aws:iam::123456789012:user/a+b", "*"]}]
}`

  it('stores a policy and returns it RFC 3986-encoded', async () => {
    const put = await g.call('PutUserPolicy', {
      UserName: 'carol',
      PolicyName: 'ReadOnly',
      PolicyDocument: document,
    })
    assert.equal(put.status, 200, put.body)
    const got = await g.call('GetUserPolicy', { UserName: 'Carol', PolicyName: 'ReadOnly' })
    assert.equal(got.status, 200, got.body)
    assert.equal(xmlText(got.xml, 'GetUserPolicyResult/UserName'), 'carol')
    assert.equal(xmlText(got.xml, 'GetUserPolicyResult/PolicyName'), 'ReadOnly')
    const encoded = xmlText(got.xml, 'GetUserPolicyResult/PolicyDocument') ?? ''
    // Unreserved characters only: a space is %20, a + is %2B, a * is %2A.
    assert.match(encoded, /^[A-Za-z0-9\-_.~%]+$/)
    assert.ok(encoded.includes('%20') && encoded.includes('%2B') && encoded.includes('%2A'))
    assert.equal(decodeURIComponent(encoded), document)
  })

  it('replaces a policy of the same name and lists the names', async () => {
    await g.call('PutUserPolicy', {
      UserName: 'carol',
      PolicyName: 'ReadOnly',
      PolicyDocument: policy('Allow', 'iam:GetUser'),
    })
    await g.call('PutUserPolicy', {
      UserName: 'carol',
      PolicyName: 'Another',
      PolicyDocument: policy('Deny', 'iam:DeleteUser'),
    })
    const listed = await g.call('ListUserPolicies', { UserName: 'carol' })
    const names = xmlAll(listed.xml, 'ListUserPoliciesResult/PolicyNames/member').map(textOf)
    assert.deepEqual(names, ['Another', 'ReadOnly'])
    const got = await g.call('GetUserPolicy', { UserName: 'carol', PolicyName: 'ReadOnly' })
    assert.equal(
      decodeURIComponent(xmlText(got.xml, 'GetUserPolicyResult/PolicyDocument') ?? ''),
      policy('Allow', 'iam:GetUser'),
    )
  })

  it('refuses a malformed document with MalformedPolicyDocument and the parser message', async () => {
    const notJson = await g.call('PutUserPolicy', {
      UserName: 'carol',
      PolicyName: 'Bad',
      PolicyDocument: '{"Version": "2012-10-17", "Statement": [',
    })
    assert.equal(notJson.status, 400)
    assert.equal(notJson.error?.code, 'MalformedPolicyDocument')

    const withPrincipal = await g.call('PutUserPolicy', {
      UserName: 'carol',
      PolicyName: 'Bad',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Principal: '*' }],
      }),
    })
    assert.deepEqual(withPrincipal.error, {
      code: 'MalformedPolicyDocument',
      message: 'Policy document should not specify a principal.',
    })
    const missing = await g.call('GetUserPolicy', { UserName: 'carol', PolicyName: 'Bad' })
    assert.equal(missing.status, 404)
  })

  it('refuses characters outside the policy character set', async () => {
    const r = await g.call('PutUserPolicy', {
      UserName: 'carol',
      PolicyName: 'Emoji',
      PolicyDocument: policy('Allow', 'iam:GetUser').replace('GetUser', 'GetUser\u{1F600}'),
    })
    assert.equal(r.error?.code, 'ValidationError')
    assert.match(r.error?.message ?? '', /at 'policyDocument' failed to satisfy constraint/)
  })

  it("refuses policies past the user's 2,048-character quota as IAM words it", async () => {
    await g.call('CreateUser', { UserName: 'verbose' })
    const actions = Array.from({ length: 200 }, (_, i) => `iam:GetUser${i}`)
    const r = await g.call('PutUserPolicy', {
      UserName: 'verbose',
      PolicyName: 'Huge',
      PolicyDocument: policy('Allow', actions),
    })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'LimitExceeded',
      message: 'Maximum policy size of 2048 bytes exceeded for user verbose',
    })
  })

  it("names a missing policy as the user's policy", async () => {
    const r = await g.call('DeleteUserPolicy', { UserName: 'carol', PolicyName: 'Nope' })
    assert.equal(r.status, 404)
    assert.deepEqual(r.error, {
      code: 'NoSuchEntity',
      message: 'The user policy with name Nope cannot be found.',
    })
    const noUser = await g.call('GetUserPolicy', { UserName: 'ghost', PolicyName: 'x' })
    assert.deepEqual(noUser.error, {
      code: 'NoSuchEntity',
      message: 'The user with name ghost cannot be found.',
    })
  })

  it('deletes a policy', async () => {
    const r = await g.call('DeleteUserPolicy', { UserName: 'carol', PolicyName: 'Another' })
    assert.equal(r.status, 200, r.body)
    const listed = await g.call('ListUserPolicies', { UserName: 'carol' })
    assert.equal(xmlAll(listed.xml, 'ListUserPoliciesResult/PolicyNames/member').length, 1)
  })
})
