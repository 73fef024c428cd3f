/**
 * Temporary credentials end to end with the real AWS CLI (`aws --endpoint-url ...`) and boto3 (a
 * python3 script) against the real app on 127.0.0.1 (test/support/clock-server.ts): a user with
 * a limited policy is denied, assumes a role, works with the role's credentials, and outlives
 * them when the server's clock moves past their expiration. Skipped, with the reason, where the
 * tool is not installed.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { startClockServer } from '../support/clock-server.js'
import type { ClockServer } from '../support/clock-server.js'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

/** The environment of an AWS client that knows only what it is given here. */
function clientEnv(key: Key): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) env[name] = value
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    ...(key.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: key.sessionToken }),
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  }
}

function missingTool(command: string, args: readonly string[]): string | false {
  const probe = spawnSync(command, args, { encoding: 'utf8' })
  return probe.status === 0 ? false : `${command} is not installed here`
}

const noCli = missingTool('aws', ['--version'])
const noBoto3 = missingTool('python3', ['-c', 'import boto3'])

const EXPIRED = 'The security token included in the request is expired'

/** The boto3 side: `setup` as the user (denied, then the role), `outlived` with the session. */
const BOTO3_SCRIPT = `
import json, sys
import boto3
from botocore.exceptions import ClientError

mode, url, key_id, secret = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
token = sys.argv[5] if len(sys.argv) > 5 else None
def client(service, kid, sec, tok=None):
    return boto3.client(service, endpoint_url=url, region_name='us-east-1',
                        aws_access_key_id=kid, aws_secret_access_key=sec, aws_session_token=tok)
def error(call):
    try:
        call()
        return None
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message'],
                e.response['ResponseMetadata']['HTTPStatusCode']]

out = {}
if mode == 'setup':
    user_iam = client('iam', key_id, secret)
    out['denied'] = error(lambda: user_iam.list_users())
    role_arn = sys.argv[5]
    assumed = client('sts', key_id, secret).assume_role(
        RoleArn=role_arn, RoleSessionName='py-session', DurationSeconds=900)
    creds = assumed['Credentials']
    out['assumed'] = assumed['AssumedRoleUser']['Arn']
    out['expiration'] = creds['Expiration'].isoformat()
    session_iam = client('iam', creds['AccessKeyId'], creds['SecretAccessKey'], creds['SessionToken'])
    out['users'] = sorted(u['UserName'] for u in session_iam.list_users()['Users'])
    out['create'] = error(lambda: session_iam.create_user(UserName='py-mallory'))
    out['identity'] = client('sts', creds['AccessKeyId'], creds['SecretAccessKey'],
                             creds['SessionToken']).get_caller_identity()['Arn']
    out['session'] = [creds['AccessKeyId'], creds['SecretAccessKey'], creds['SessionToken']]
else:
    out['expired'] = error(lambda: client('sts', key_id, secret, token).get_caller_identity())
print(json.dumps(out))
`

describe('temporary credentials with the AWS CLI and boto3 against the real app', () => {
  let server: ClockServer
  let account: string
  let cliSession: Key | undefined
  let pySession: Key | undefined
  const roleArn = () => `arn:aws:iam::${account}:role/ops/Operator`

  function aws(key: Key, ...args: string[]): { status: number | null; out: string; err: string } {
    const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env: clientEnv(key),
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

  function boto3(...args: string[]): Record<string, unknown> {
    const run = spawnSync('python3', ['-c', BOTO3_SCRIPT, ...args], {
      env: clientEnv(server.root),
      encoding: 'utf8',
      timeout: 60_000,
    })
    assert.equal(run.status, 0, run.stderr)
    return JSON.parse(run.stdout) as Record<string, unknown>
  }

  /** A user with a key and a policy that lets it assume the ops roles, and nothing else. */
  function limitedUser(name: string): Key {
    const root = server.root
    awsJson(root, 'iam', 'create-user', '--user-name', name)
    const document = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: `arn:aws:iam::${account}:role/ops/*`,
        },
      ],
    }
    awsJson(
      root,
      'iam',
      'put-user-policy',
      '--user-name',
      name,
      '--policy-name',
      'assume-ops',
      '--policy-document',
      JSON.stringify(document),
    )
    const created = awsJson(root, 'iam', 'create-access-key', '--user-name', name)
    const key = created['AccessKey'] as Record<string, string>
    return { accessKeyId: key['AccessKeyId'] ?? '', secretAccessKey: key['SecretAccessKey'] ?? '' }
  }

  before(async () => {
    server = await startClockServer()
    account = server.accountId
    if (noCli !== false) return
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }],
    }
    awsJson(
      server.root,
      'iam',
      'create-role',
      '--role-name',
      'Operator',
      '--path',
      '/ops/',
      '--assume-role-policy-document',
      JSON.stringify(trust),
    )
    awsJson(
      server.root,
      'iam',
      'put-role-policy',
      '--role-name',
      'Operator',
      '--policy-name',
      'list-users',
      '--policy-document',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }],
      }),
    )
  })
  after(() => server.stop())

  it('runs the CLI flow: denied as the user, allowed as the role', { skip: noCli }, () => {
    const ops = limitedUser('cli-ops')
    const denied = aws(ops, 'iam', 'list-users')
    assert.notEqual(denied.status, 0)
    assert.equal(
      denied.err.trim(),
      `An error occurred (AccessDenied) when calling the ListUsers operation: User: arn:aws:iam::${account}:user/cli-ops is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${account}:user/ because no identity-based policy allows the iam:ListUsers action`,
    )

    const assumed = awsJson(
      ops,
      'sts',
      'assume-role',
      '--role-arn',
      roleArn(),
      '--role-session-name',
      'cli-session',
      '--duration-seconds',
      '900',
    )
    const credentials = assumed['Credentials'] as Record<string, string>
    assert.match(credentials['AccessKeyId'] ?? '', /^ASIA[A-Z2-7]{16}$/)
    const user = assumed['AssumedRoleUser'] as Record<string, string>
    assert.equal(user['Arn'], `arn:aws:sts::${account}:assumed-role/Operator/cli-session`)
    cliSession = {
      accessKeyId: credentials['AccessKeyId'] ?? '',
      secretAccessKey: credentials['SecretAccessKey'] ?? '',
      sessionToken: credentials['SessionToken'] ?? '',
    }

    const identity = awsJson(cliSession, 'sts', 'get-caller-identity')
    assert.equal(identity['Arn'], user['Arn'])
    const listed = awsJson(cliSession, 'iam', 'list-users')
    const names = (listed['Users'] as Record<string, string>[]).map((u) => u['UserName'])
    assert.deepEqual(names, ['cli-ops'])

    const refused = aws(cliSession, 'iam', 'create-user', '--user-name', 'cli-mallory')
    assert.equal(
      refused.err.trim(),
      `An error occurred (AccessDenied) when calling the CreateUser operation: User: arn:aws:sts::${account}:assumed-role/Operator/cli-session is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/cli-mallory because no identity-based policy allows the iam:CreateUser action`,
    )
  })

  it(
    'runs the boto3 flow: denied as the user, allowed as the role',
    { skip: noCli || noBoto3 },
    () => {
      const ops = limitedUser('py-ops')
      const out = boto3('setup', server.url, ops.accessKeyId, ops.secretAccessKey, roleArn())
      assert.deepEqual(out['denied'], [
        'AccessDenied',
        `User: arn:aws:iam::${account}:user/py-ops is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${account}:user/ because no identity-based policy allows the iam:ListUsers action`,
        403,
      ])
      assert.equal(out['assumed'], `arn:aws:sts::${account}:assumed-role/Operator/py-session`)
      assert.equal(out['identity'], out['assumed'])
      assert.deepEqual(out['users'], noCli === false ? ['cli-ops', 'py-ops'] : ['py-ops'])
      assert.deepEqual(out['create'], [
        'AccessDenied',
        `User: arn:aws:sts::${account}:assumed-role/Operator/py-session is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/py-mallory because no identity-based policy allows the iam:CreateUser action`,
        403,
      ])
      const [accessKeyId, secretAccessKey, sessionToken] = out['session'] as [
        string,
        string,
        string,
      ]
      pySession = { accessKeyId, secretAccessKey, sessionToken }
    },
  )

  it(
    'outlives the credentials: ExpiredToken for the CLI and boto3 alike',
    { skip: noCli },
    async () => {
      await server.advance(901)
      assert.ok(cliSession !== undefined, 'the CLI flow ran first')
      const expired = aws(cliSession, 'sts', 'get-caller-identity')
      assert.notEqual(expired.status, 0)
      assert.equal(
        expired.err.trim(),
        `An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: ${EXPIRED}`,
      )
      const iamExpired = aws(cliSession, 'iam', 'list-users')
      assert.equal(
        iamExpired.err.trim(),
        `An error occurred (ExpiredToken) when calling the ListUsers operation: ${EXPIRED}`,
      )
      if (pySession !== undefined) {
        const out = boto3(
          'outlived',
          server.url,
          pySession.accessKeyId,
          pySession.secretAccessKey,
          pySession.sessionToken ?? '',
        )
        assert.deepEqual(out['expired'], ['ExpiredToken', EXPIRED, 403])
      }
    },
  )
})
