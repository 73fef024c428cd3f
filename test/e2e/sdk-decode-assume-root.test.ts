/**
 * End to end against `gatehouse serve` on 127.0.0.1: STS DecodeAuthorizationMessage and
 * AssumeRoot with the real AWS SDK for JavaScript v3 and the real AWS CLI. Gatehouse encodes no
 * authorization message, so none decodes; its accounts are in no AWS Organization, so AssumeRoot
 * has no member account to act in. Both are authorized first, as every call is.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam'
import {
  AssumeRootCommand,
  DecodeAuthorizationMessageCommand,
  STSClient,
} from '@aws-sdk/client-sts'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

const TARGET = '210987654321'
const TASK_POLICY = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials'
const NOT_DECODABLE =
  'The encoded authorization message is invalid: Gatehouse encodes no authorization messages.'

describe('STS DecodeAuthorizationMessage and AssumeRoot against gatehouse serve', () => {
  let server: ServerProcess
  let root: { accessKeyId: string; secretAccessKey: string }
  let accountId: string
  let sts: STSClient
  let aliceSts: STSClient

  const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 })

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    sts = client(root)
    const iam = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: root,
      maxAttempts: 1,
    })
    const user = await iam.send(new CreateUserCommand({ UserName: 'alice' }))
    accountId = user.User?.Arn?.split(':')[4] ?? ''
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))
    aliceSts = client({
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    })
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('decodes no message: InvalidAuthorizationMessageException (400)', async () => {
    const failed = await failure(
      sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'AbCd-1234' })),
    )
    assert.deepEqual(failed, {
      name: 'InvalidAuthorizationMessageException',
      message: NOT_DECODABLE,
      status: 400,
    })
  })

  it('authorizes DecodeAuthorizationMessage before answering it', async () => {
    const denied = await failure(
      aliceSts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'x' })),
    )
    assert.equal(denied.name, 'AccessDenied')
    assert.equal(denied.status, 403)
    assert.match(denied.message, /is not authorized to perform: sts:DecodeAuthorizationMessage/)
  })

  it('refuses AssumeRoot: authorized on the target root, then no organization', async () => {
    const input = { TargetPrincipal: TARGET, TaskPolicyArn: { arn: TASK_POLICY } }
    const denied = await failure(aliceSts.send(new AssumeRootCommand(input)))
    assert.equal(denied.name, 'AccessDenied')
    assert.match(
      denied.message,
      new RegExp(`sts:AssumeRoot on resource: arn:aws:iam::${TARGET}:root`),
    )
    const refused = await failure(sts.send(new AssumeRootCommand(input)))
    assert.deepEqual(refused, {
      name: 'AccessDenied',
      message: `arn:aws:iam::${accountId}:root cannot perform sts:AssumeRoot on ${TARGET}: centralized root access needs an AWS Organization, and this account is in none.`,
      status: 403,
    })
  })

  it('answers the AWS CLI the same way', { skip: NO_AWS_CLI }, () => {
    const cli = (...args: string[]) =>
      spawnSync('aws', ['--endpoint-url', server.url, 'sts', ...args], {
        encoding: 'utf8',
        env: awsCliEnv(root),
      })
    const decode = cli('decode-authorization-message', '--encoded-message', 'AbCd-1234')
    assert.notEqual(decode.status, 0, decode.stdout)
    assert.match(
      decode.stderr,
      /An error occurred \(InvalidAuthorizationMessageException\) when calling the DecodeAuthorizationMessage operation: The encoded authorization message is invalid/,
    )
    const assume = cli(
      'assume-root',
      '--target-principal',
      TARGET,
      '--task-policy-arn',
      `arn=${TASK_POLICY}`,
    )
    assert.notEqual(assume.status, 0, assume.stdout)
    assert.match(
      assume.stderr,
      /An error occurred \(AccessDenied\) when calling the AssumeRoot operation: .*centralized root access needs an AWS Organization/,
    )
  })
})
