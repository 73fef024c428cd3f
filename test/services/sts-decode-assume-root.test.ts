/**
 * STS DecodeAuthorizationMessage and AssumeRoot in process. Gatehouse encodes no authorization
 * message, so none decodes; its accounts are in no AWS Organization, so AssumeRoot has no member
 * account to act on. Each is authorized first, as AWS authorizes it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ACCOUNT_ID, createUserWithKey, policy, startInProcess } from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'

const STS = { service: 'sts' } as const
const TASK_POLICY = 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials'

describe('STS DecodeAuthorizationMessage and AssumeRoot', () => {
  let g: InProcess
  let alice: Credentials
  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
  })
  after(() => g.close())

  it('decodes no message: InvalidAuthorizationMessageException (400)', async () => {
    const r = await g.call('DecodeAuthorizationMessage', { EncodedMessage: 'AbCd-1234' }, STS)
    assert.equal(r.status, 400, r.body)
    assert.deepEqual(r.error, {
      code: 'InvalidAuthorizationMessageException',
      message:
        'The encoded authorization message is invalid: Gatehouse encodes no authorization messages.',
    })
  })

  it('requires EncodedMessage, of at most 10240 characters', async () => {
    const missing = await g.call('DecodeAuthorizationMessage', {}, STS)
    assert.equal(missing.status, 400)
    assert.equal(missing.error?.code, 'ValidationError')
    const long = await g.call(
      'DecodeAuthorizationMessage',
      { EncodedMessage: 'a'.repeat(10241) },
      STS,
    )
    assert.equal(long.error?.code, 'ValidationError')
  })

  it('authorizes DecodeAuthorizationMessage on sts:DecodeAuthorizationMessage', async () => {
    const denied = await g.call(
      'DecodeAuthorizationMessage',
      { EncodedMessage: 'x' },
      { ...STS, key: alice },
    )
    assert.equal(denied.status, 403, denied.body)
    assert.equal(denied.error?.code, 'AccessDenied')
    assert.match(denied.error?.message ?? '', /sts:DecodeAuthorizationMessage/)
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'decode',
      PolicyDocument: policy('Allow', 'sts:DecodeAuthorizationMessage'),
    })
    const allowed = await g.call(
      'DecodeAuthorizationMessage',
      { EncodedMessage: 'x' },
      { ...STS, key: alice },
    )
    assert.equal(allowed.error?.code, 'InvalidAuthorizationMessageException')
  })

  it("refuses AssumeRoot: the account is in no organization; authorized on the target's root", async () => {
    const target = '210987654321'
    const params = { TargetPrincipal: target, 'TaskPolicyArn.arn': TASK_POLICY }
    const denied = await g.call('AssumeRoot', params, { ...STS, key: alice })
    assert.equal(denied.status, 403, denied.body)
    assert.match(
      denied.error?.message ?? '',
      new RegExp(`sts:AssumeRoot on resource: arn:aws:iam::${target}:root`),
    )
    const r = await g.call('AssumeRoot', params, STS)
    assert.equal(r.status, 403, r.body)
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `arn:aws:iam::${ACCOUNT_ID}:root cannot perform sts:AssumeRoot on ${target}: centralized root access needs an AWS Organization, and this account is in none.`,
    })
    const bad = await g.call('AssumeRoot', { TargetPrincipal: target }, STS)
    assert.equal(bad.error?.code, 'ValidationError')
  })
})
