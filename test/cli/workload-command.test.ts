/**
 * `gatehouse workload create|list|delete` as a user runs it: the installed command in a process
 * of its own, against `gatehouse serve` in another, signing with the credentials the AWS SDK's
 * chain finds (here the server's root-credentials file, or a profile of another file).
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

const BIN = resolve(import.meta.dirname, '../../bin/gatehouse.js')

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'workloads.gatehouse.local' },
      Action: 'sts:AssumeRole',
    },
  ],
})

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

describe('gatehouse workload', () => {
  let server: ServerProcess
  let roleArn: string
  let baseEnv: NodeJS.ProcessEnv

  function gatehouse(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
    const run = spawnSync(process.execPath, [BIN, 'workload', ...args], {
      env: { ...baseEnv, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    })
    return { status: run.status, stdout: run.stdout, stderr: run.stderr }
  }

  before(async () => {
    server = await startServerProcess()
    const root = printedRootKey(server.stdout())
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: root })
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST }),
    )
    roleArn = role.Role?.Arn ?? ''
    await iam.send(new CreateUserCommand({ UserName: 'nobody' }))
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }))
    writeFileSync(
      join(server.dataDir, 'more-credentials'),
      [
        '[nobody]',
        `aws_access_key_id = ${key.AccessKey?.AccessKeyId ?? ''}`,
        `aws_secret_access_key = ${key.AccessKey?.SecretAccessKey ?? ''}`,
        '[admin]',
        `aws_access_key_id = ${root.accessKeyId}`,
        `aws_secret_access_key = ${root.secretAccessKey}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    )
    baseEnv = {}
    for (const [name, value] of Object.entries(process.env)) {
      if (!name.startsWith('AWS_')) baseEnv[name] = value
    }
    baseEnv = {
      ...baseEnv,
      AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'root-credentials'),
      AWS_CONFIG_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: server.url,
    }
  })

  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('creates a workload, printing the two variables to set, its token once', async () => {
    const run = gatehouse(['create', '--role', roleArn, '--duration-seconds', '900'])
    assert.equal(run.status, 0, run.stderr)
    const lines = run.stdout.trimEnd().split('\n')
    assert.equal(lines.length, 2, run.stdout)
    assert.equal(
      lines[0],
      `AWS_CONTAINER_CREDENTIALS_FULL_URI=${server.url}/gatehouse/v1/credentials`,
    )
    const token = /^AWS_CONTAINER_AUTHORIZATION_TOKEN=(ghw1\.\S+)$/.exec(lines[1] ?? '')?.[1]
    assert.ok(token !== undefined, run.stdout)
    assert.match(
      run.stderr,
      /^Created workload app \(GWKL[A-Z2-7]{17}\) for role arn:aws:iam::\d{12}:role\/app\./,
    )
    assert.match(run.stderr, /the token is shown this once/)
    assert.match(run.stderr, /Each set of credentials lasts 900 s/)
    assert.doesNotMatch(run.stderr, /warning/)

    const response = await fetch(`${server.url}/gatehouse/v1/credentials`, {
      headers: { authorization: token },
    })
    assert.equal(response.status, 200)
    const credentials = (await response.json()) as { RoleArn: string }
    assert.equal(credentials.RoleArn, roleArn)

    const again = gatehouse(['create', '--role', roleArn])
    assert.equal(again.status, 1)
    assert.equal(
      again.stderr,
      'gatehouse workload create: EntityAlreadyExists: Workload with name app already exists.\n',
    )
    assert.equal(again.stdout, '')
  })

  it('lists the workloads as a table or as JSON, and deletes one', () => {
    assert.equal(gatehouse(['create', '--role', roleArn, '--name', 'batch-job']).status, 0)
    const table = gatehouse(['list'])
    assert.equal(table.status, 0, table.stderr)
    const rows = table.stdout.trimEnd().split('\n')
    assert.match(rows[0] ?? '', /^NAME\s+ROLE\s+DURATION\s+CREATED$/)
    assert.match(
      rows[1] ?? '',
      /^app\s+arn:aws:iam::\d{12}:role\/app\s+900s\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    )
    assert.match(rows[2] ?? '', /^batch-job\s+arn:aws:iam::\d{12}:role\/app\s+default\s+\S+Z$/)

    const json = gatehouse(['list', '--json'])
    assert.equal(json.status, 0, json.stderr)
    const listed = JSON.parse(json.stdout) as { Workloads: { Name: string }[] }
    assert.deepEqual(
      listed.Workloads.map((w) => w.Name),
      ['app', 'batch-job'],
    )

    const deleted = gatehouse(['delete', 'batch-job'])
    assert.equal(deleted.status, 0, deleted.stderr)
    assert.equal(deleted.stderr, 'Deleted workload batch-job: its token is refused from now on.\n')
    const gone = gatehouse(['delete', 'batch-job'])
    assert.equal(gone.status, 1)
    assert.equal(
      gone.stderr,
      'gatehouse workload delete: NoSuchEntity: The workload with name batch-job cannot be found.\n',
    )
    assert.doesNotMatch(gatehouse(['list']).stdout, /batch-job/)
  })

  it("signs with a profile's credentials, and says what the server refused", () => {
    const env = { AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'more-credentials') }
    const denied = gatehouse(['list', '--profile', 'nobody'], env)
    assert.equal(denied.status, 1)
    assert.match(
      denied.stderr,
      /^gatehouse workload list: AccessDenied: User: arn:aws:iam::\d{12}:user\/nobody is not authorized to perform: gatehouse:ListWorkloads on resource: arn:aws:gatehouse::\d{12}:workload\/\* because no identity-based policy allows the gatehouse:ListWorkloads action\n$/,
    )
    const admin = gatehouse(['list', '--profile', 'admin', '--json'], env)
    assert.equal(admin.status, 0, admin.stderr)
    const unknownRole = gatehouse(['create', '--role', roleArn.replace(/app$/, 'nope')])
    assert.equal(unknownRole.status, 1)
    assert.equal(
      unknownRole.stderr,
      'gatehouse workload create: NoSuchEntity: The role with name nope cannot be found.\n',
    )
  })

  it('fails plainly without credentials or without a server', () => {
    const noCredentials = gatehouse(['list'], { AWS_SHARED_CREDENTIALS_FILE: '/dev/null' })
    assert.equal(noCredentials.status, 1)
    assert.match(noCredentials.stderr, /^gatehouse workload list: no AWS credentials to sign with/)
    const noServer = gatehouse(['list', '--endpoint', 'http://127.0.0.1:9'])
    assert.equal(noServer.status, 1)
    assert.match(
      noServer.stderr,
      /^gatehouse workload list: cannot reach http:\/\/127\.0\.0\.1:9: /,
    )
  })

  it('refuses a command line it cannot read, with its usage', () => {
    const cases: [string[], RegExp][] = [
      [[], /^$/],
      [['frobnicate'], /unknown subcommand 'frobnicate'/],
      [['create'], /create needs --role ROLE_ARN/],
      [['create', '--role'], /--role needs a value/],
      [['create', '--role', roleArn, '--duration-seconds', '15m'], /whole number of seconds/],
      [['create', '--role', roleArn, 'extra'], /unexpected argument 'extra'/],
      [['list', '--name', 'x'], /unexpected argument '--name'/],
      [['delete'], /delete needs the workload NAME/],
      [['list', '--endpoint', 'ftp://example.com'], /http or https URL/],
    ]
    for (const [args, message] of cases) {
      const run = gatehouse(args)
      assert.equal(run.status, 2, args.join(' '))
      assert.match(run.stderr, message, args.join(' '))
    }
    const help = gatehouse(['--help'])
    assert.equal(help.status, 0)
    assert.match(help.stdout, /^usage: gatehouse workload create --role ROLE_ARN/)
  })
})
