/**
 * End to end with the real AWS CLI (`aws --endpoint-url ...`) and boto3 (a python3 script)
 * against `gatehouse serve` on 127.0.0.1: the flow a person follows, from a new user with a
 * limited policy to its AccessDenied. Skipped, with the reason, where the tool is not installed.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv } from '../support/aws-cli.js'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

function missingTool(command: string, args: readonly string[]): string | false {
  const probe = spawnSync(command, args, { encoding: 'utf8' })
  return probe.status === 0 ? false : `${command} is not installed here`
}

const noCli = missingTool('aws', ['--version'])
const noBoto3 = missingTool('python3', ['-c', 'import boto3'])

describe('the AWS CLI and boto3 against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  function aws(key: Key, ...args: string[]): { status: number | null; out: string; err: string } {
    const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env: awsCliEnv(key),
      encoding: 'utf8',
      timeout: 60_000,
    })
    return { status: run.status, out: run.stdout, err: run.stderr }
  }

  function awsJson(key: Key, ...args: string[]): Record<string, unknown> {
    const run = aws(key, ...args)
    assert.equal(run.status, 0, `aws ${args.join(' ')}: ${run.err}`)
    return run.out.trim() === '' ? {} : (JSON.parse(run.out) as Record<string, unknown>)
  }

  it('runs the AWS CLI flow: user, key, denial, policy, allowed', { skip: noCli }, () => {
    const rootIdentity = awsJson(root, 'sts', 'get-caller-identity')
    assert.deepEqual(rootIdentity, {
      UserId: server.accountId,
      Account: server.accountId,
      Arn: `arn:aws:iam::${server.accountId}:root`,
    })
    const created = awsJson(root, 'iam', 'create-user', '--user-name', 'cli-bob', '--path', '/cli/')
    const user = created['User'] as Record<string, string>
    assert.equal(user['Arn'], `arn:aws:iam::${server.accountId}:user/cli/cli-bob`)

    const keyOut = awsJson(root, 'iam', 'create-access-key', '--user-name', 'cli-bob')
    const accessKey = keyOut['AccessKey'] as Record<string, string>
    const bob = {
      accessKeyId: accessKey['AccessKeyId'] ?? '',
      secretAccessKey: accessKey['SecretAccessKey'] ?? '',
    }

    const identity = awsJson(bob, 'sts', 'get-caller-identity')
    assert.equal(identity['Arn'], user['Arn'])

    const denied = aws(bob, 'iam', 'list-users')
    assert.notEqual(denied.status, 0)
    assert.equal(
      denied.err.trim(),
      `An error occurred (AccessDenied) when calling the ListUsers operation: User: arn:aws:iam::${server.accountId}:user/cli/cli-bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${server.accountId}:user/ because no identity-based policy allows the iam:ListUsers action`,
    )

    const document = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }],
    }
    awsJson(
      root,
      'iam',
      'put-user-policy',
      '--user-name',
      'cli-bob',
      '--policy-name',
      'Lister',
      '--policy-document',
      JSON.stringify(document),
    )
    // The CLI decodes IAM's URL-encoded policy documents into JSON.
    const got = awsJson(
      root,
      'iam',
      'get-user-policy',
      '--user-name',
      'cli-bob',
      '--policy-name',
      'Lister',
    )
    assert.deepEqual(got['PolicyDocument'], document)

    for (const name of ['cli-p1', 'cli-p2', 'cli-p3']) {
      awsJson(root, 'iam', 'create-user', '--user-name', name, '--path', '/cli/')
    }
    // --page-size 2: the CLI follows the Markers to the last page itself.
    const listed = awsJson(bob, 'iam', 'list-users', '--path-prefix', '/cli/', '--page-size', '2')
    const names = (listed['Users'] as Record<string, string>[]).map((u) => u['UserName'])
    assert.deepEqual(names, ['cli-bob', 'cli-p1', 'cli-p2', 'cli-p3'])

    const missing = aws(root, 'iam', 'get-user', '--user-name', 'nobody')
    assert.match(
      missing.err,
      /An error occurred \(NoSuchEntity\) when calling the GetUser operation: The user with name nobody cannot be found\./,
    )
  })

  it('runs the boto3 flow, paginator included', { skip: noBoto3 }, () => {
    const script = `
import json, sys
import boto3
from botocore.exceptions import ClientError

url, key_id, secret = sys.argv[1], sys.argv[2], sys.argv[3]
def client(service, kid, sec):
    return boto3.client(service, endpoint_url=url, region_name='us-east-1',
                        aws_access_key_id=kid, aws_secret_access_key=sec)

iam = client('iam', key_id, secret)
out = {'root': client('sts', key_id, secret).get_caller_identity()['Arn']}
iam.create_user(UserName='py-carol', Path='/py/')
key = iam.create_access_key(UserName='py-carol')['AccessKey']
carol_iam = client('iam', key['AccessKeyId'], key['SecretAccessKey'])
carol_sts = client('sts', key['AccessKeyId'], key['SecretAccessKey'])
out['identity'] = carol_sts.get_caller_identity()['Arn']
try:
    carol_iam.create_user(UserName='py-dave')
    out['denied'] = None
except ClientError as e:
    out['denied'] = [e.response['Error']['Code'], e.response['Error']['Message'],
                     e.response['ResponseMetadata']['HTTPStatusCode']]
iam.put_user_policy(UserName='py-carol', PolicyName='Creator', PolicyDocument=json.dumps({
    'Version': '2012-10-17',
    'Statement': [{'Effect': 'Allow', 'Action': ['iam:CreateUser', 'iam:ListUsers'],
                   'Resource': 'arn:aws:iam::*:user/py/*'}]}))
for i in range(5):
    carol_iam.create_user(UserName='py-user-%d' % i, Path='/py/')
pages = list(carol_iam.get_paginator('list_users').paginate(
    PathPrefix='/py/', PaginationConfig={'PageSize': 2}))
out['pages'] = len(pages)
out['users'] = [u['UserName'] for p in pages for u in p['Users']]
out['policy'] = iam.get_user_policy(UserName='py-carol', PolicyName='Creator')['PolicyDocument']
print(json.dumps(out))
`
    const run = spawnSync(
      'python3',
      ['-c', script, server.url, root.accessKeyId, root.secretAccessKey],
      {
        env: awsCliEnv(root),
        encoding: 'utf8',
        timeout: 60_000,
      },
    )
    assert.equal(run.status, 0, run.stderr)
    const out = JSON.parse(run.stdout) as {
      root: string
      identity: string
      denied: [string, string, number] | null
      pages: number
      users: string[]
      policy: { Statement: { Action: string[] }[] }
    }
    assert.equal(out.root, `arn:aws:iam::${server.accountId}:root`)
    assert.equal(out.identity, `arn:aws:iam::${server.accountId}:user/py/py-carol`)
    assert.deepEqual(out.denied, [
      'AccessDenied',
      `User: arn:aws:iam::${server.accountId}:user/py/py-carol is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${server.accountId}:user/py-dave because no identity-based policy allows the iam:CreateUser action`,
      403,
    ])
    assert.equal(out.pages, 3)
    assert.deepEqual(out.users, [
      'py-carol',
      'py-user-0',
      'py-user-1',
      'py-user-2',
      'py-user-3',
      'py-user-4',
    ])
    // botocore decodes the policy document, as the CLI does.
    assert.deepEqual(out.policy.Statement[0]?.Action, ['iam:CreateUser', 'iam:ListUsers'])
  })
})
