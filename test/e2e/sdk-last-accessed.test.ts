/**
 * End to end with the real AWS SDK for JavaScript v3 (@aws-sdk/client-iam and client-sts) and the
 * real AWS CLI against `gatehouse serve` on 127.0.0.1: Access Advisor's reports
 * (GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails and
 * GetServiceLastAccessedDetailsWithEntities) for a user, a group, a role and a managed policy, from
 * the attempts the calls made (denied ones included), and GetRole's RoleLastUsed after a role
 * session's calls. Then `--workers 2`: a job generated through one worker process is read back
 * through the other, from the trail database they share. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { Agent } from 'node:http'
import type { ClientRequestArgs } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetRoleCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  GetUserCommand,
  IAMClient,
  ListGroupsCommand,
  ListPoliciesGrantingServiceAccessCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import type {
  AccessAdvisorUsageGranularityType,
  GetServiceLastAccessedDetailsCommandOutput,
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

function allow(actions: string | string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
  })
}

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const IAM_NAME = 'AWS Identity and Access Management (IAM)'

/**
 * When the calls a test made were in flight, by name: a time the server reports (a Date from the
 * SDK, ISO 8601 text from the CLI) is shown as the name of the one call whose window holds it,
 * so that an expected report can say "the time of alice's denied ListRoles" exactly. Calls are
 * made one at a time, a few milliseconds apart, so the windows never overlap.
 */
class CallLog {
  readonly #windows: { name: string; from: number; to: number }[] = []

  async record<T>(name: string, call: () => Promise<T>): Promise<T> {
    const from = Date.now()
    try {
      return await call()
    } finally {
      this.#windows.push({ name, from, to: Date.now() })
      // The server's clock is in milliseconds: the next call's window starts strictly later.
      await sleep(3)
    }
  }

  /** The call in flight at `time`, or the time itself (which fails a comparison, legibly). */
  at(time: Date | string | undefined): string | undefined {
    if (time === undefined) return undefined
    const ms = typeof time === 'string' ? Date.parse(time) : time.getTime()
    const found = this.#windows.filter((w) => w.from <= ms && ms <= w.to)
    return found.length === 1 ? found[0]?.name : `${String(time)} (in ${found.length} calls)`
  }
}

/** `value` with every Date, and every text member named in `dates`, given by CallLog.at. */
function named(log: CallLog, value: unknown, dates: ReadonlySet<string>, key = ''): unknown {
  if (value instanceof Date) return log.at(value)
  if (typeof value === 'string' && dates.has(key)) return log.at(value)
  if (Array.isArray(value)) return value.map((item) => named(log, item, dates))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = named(log, v, dates, k)
    }
    return out
  }
  return value
}

/** Waits for a job to complete; no status but IN_PROGRESS may come before COMPLETED. */
async function completed(
  read: () => Promise<GetServiceLastAccessedDetailsCommandOutput>,
): Promise<GetServiceLastAccessedDetailsCommandOutput> {
  for (let i = 0; i < 500; i++) {
    const out = await read()
    if (out.JobStatus === 'COMPLETED') return out
    assert.equal(out.JobStatus, 'IN_PROGRESS')
    // Nothing of the report before it is made.
    assert.equal(out.JobCompletionDate, undefined)
    assert.deepEqual(out.ServicesLastAccessed ?? [], [])
    assert.ok(out.JobCreationDate instanceof Date)
    await sleep(20)
  }
  assert.fail('the job did not complete in time')
}

describe('Access Advisor and RoleLastUsed with the AWS SDK v3 and the AWS CLI against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let alice: Key
  let bob: Key
  let arn: (kind: string, name: string) => string
  const ids = new Map<string, string>()
  const log = new CallLog()
  // maxAttempts 1: an error should come back at once, not after the SDK's retries.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
  // STS in another region: Access Advisor reports the region a call was signed for.
  const sts = (key: Key) =>
    new STSClient({ endpoint: server.url, region: 'eu-west-1', credentials: key, maxAttempts: 1 })

  async function userWithKey(name: string): Promise<Key> {
    const user = await iam(root).send(new CreateUserCommand({ UserName: name }))
    ids.set(name, user.User?.UserId ?? '')
    const created = await iam(root).send(new CreateAccessKeyCommand({ UserName: name }))
    return {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
  }

  /** Generates a report as `key` (root's unless given); its JobId. */
  async function generate(
    target: string,
    granularity?: AccessAdvisorUsageGranularityType,
    key: Key = root,
  ): Promise<string> {
    const out = await iam(key).send(
      new GenerateServiceLastAccessedDetailsCommand({
        Arn: target,
        ...(granularity === undefined ? {} : { Granularity: granularity }),
      }),
    )
    assert.match(out.JobId ?? '', JOB_ID)
    return out.JobId ?? ''
  }

  /** Generates a report as root and waits for it. */
  async function report(
    target: string,
    granularity?: AccessAdvisorUsageGranularityType,
  ): Promise<{ jobId: string; out: GetServiceLastAccessedDetailsCommandOutput }> {
    const generatedFrom = Date.now()
    const jobId = await generate(target, granularity)
    const out = await completed(() =>
      iam(root).send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId })),
    )
    assert.equal(out.JobType, granularity ?? 'SERVICE_LEVEL')
    const created = out.JobCreationDate?.getTime() ?? 0
    const done = out.JobCompletionDate?.getTime() ?? 0
    assert.ok(generatedFrom <= created && created <= done && done <= Date.now(), 'job dates')
    return { jobId, out }
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    arn = (kind, name) => `arn:aws:iam::${server.accountId}:${kind}/${name}`
    const client = iam(root)
    alice = await userWithKey('alice')
    bob = await userWithKey('bob')
    const carol = await userWithKey('carol')
    // alice: a few IAM actions, STS, and an S3 action she never uses.
    await client.send(
      new PutUserPolicyCommand({
        UserName: 'alice',
        PolicyName: 'Own',
        PolicyDocument: allow([
          'iam:GetUser',
          'iam:GenerateServiceLastAccessedDetails',
          'iam:GetServiceLastAccessedDetails*',
          'sts:AssumeRole',
          's3:GetObject',
        ]),
      }),
    )
    // The devs group (alice and bob) may list users and groups.
    await client.send(new CreateGroupCommand({ GroupName: 'devs' }))
    await client.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }))
    await client.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'bob' }))
    await client.send(
      new PutGroupPolicyCommand({
        GroupName: 'devs',
        PolicyName: 'List',
        PolicyDocument: allow(['iam:ListUsers', 'iam:ListGroups']),
      }),
    )
    // A managed policy attached to carol and to the role app, which alice may assume.
    await client.send(
      new CreatePolicyCommand({
        PolicyName: 'Reader',
        PolicyDocument: allow(['iam:GetRole', 'iam:ListRoles']),
      }),
    )
    await client.send(
      new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: arn('policy', 'Reader') }),
    )
    for (const [name, principal] of [
      ['app', arn('user', 'alice')],
      ['idle', server.accountId],
    ] as const) {
      const role = await client.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' },
            ],
          }),
        }),
      )
      ids.set(name, role.Role?.RoleId ?? '')
    }
    await client.send(
      new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: arn('policy', 'Reader') }),
    )

    // The attempts, one at a time: alice's own and her group's, one she is denied, bob's and
    // carol's, then a session of app (assumed by alice in eu-west-1) reading the role.
    await log.record('alice GetUser', () => iam(alice).send(new GetUserCommand({})))
    await log.record('alice ListUsers', () => iam(alice).send(new ListUsersCommand({})))
    const denied = await log.record('alice ListRoles', () =>
      failure(iam(alice).send(new ListRolesCommand({}))),
    )
    assert.equal(denied.name, 'AccessDenied')
    await log.record('bob ListGroups', () => iam(bob).send(new ListGroupsCommand({})))
    await log.record('carol ListRoles', () => iam(carol).send(new ListRolesCommand({})))
    const assumed = await log.record('alice AssumeRole', () =>
      sts(alice).send(
        new AssumeRoleCommand({ RoleArn: arn('role', 'app'), RoleSessionName: 'job' }),
      ),
    )
    const session: Key = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    }
    const got = await log.record('session GetRole', () =>
      iam(session).send(new GetRoleCommand({ RoleName: 'app' })),
    )
    assert.equal(got.Role?.RoleName, 'app')
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it("reports every service a user's policies allow, its group's included, with its attempts, denied ones too", async () => {
    const { out } = await report(arn('user', 'alice'))
    assert.equal(out.IsTruncated, false)
    assert.equal(out.Marker, undefined)
    assert.equal(out.Error, undefined)
    assert.deepEqual(named(log, out.ServicesLastAccessed, new Set()), [
      {
        ServiceName: IAM_NAME,
        // Her newest IAM attempt was denied: AWS counts attempts, not successes.
        LastAuthenticated: 'alice ListRoles',
        ServiceNamespace: 'iam',
        LastAuthenticatedEntity: arn('user', 'alice'),
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: 1,
      },
      { ServiceName: 'Amazon S3', ServiceNamespace: 's3', TotalAuthenticatedEntities: 0 },
      {
        ServiceName: 'AWS Security Token Service',
        LastAuthenticated: 'alice AssumeRole',
        ServiceNamespace: 'sts',
        LastAuthenticatedEntity: arn('user', 'alice'),
        LastAuthenticatedRegion: 'eu-west-1',
        TotalAuthenticatedEntities: 1,
      },
    ])
  })

  it('at ACTION_LEVEL, lists each allowed action with its newest attempt', async () => {
    const { out } = await report(arn('user', 'alice'), 'ACTION_LEVEL')
    const tracked = (out.ServicesLastAccessed ?? []).map((s) => [
      s.ServiceNamespace,
      named(log, s.TrackedActionsLastAccessed, new Set()),
    ])
    const by = (call: string, region = 'us-east-1') => ({
      LastAccessedEntity: arn('user', 'alice'),
      LastAccessedTime: call,
      LastAccessedRegion: region,
    })
    assert.deepEqual(tracked, [
      [
        'iam',
        // ListRoles is no allowed action of hers: it is in no list, though it counts above.
        [
          { ActionName: 'GenerateServiceLastAccessedDetails' },
          { ActionName: 'GetServiceLastAccessedDetails' },
          { ActionName: 'GetServiceLastAccessedDetailsWithEntities' },
          { ActionName: 'GetUser', ...by('alice GetUser') },
          { ActionName: 'ListGroups' },
          { ActionName: 'ListUsers', ...by('alice ListUsers') },
        ],
      ],
      ['s3', [{ ActionName: 'GetObject' }]],
      ['sts', [{ ActionName: 'AssumeRole', ...by('alice AssumeRole', 'eu-west-1') }]],
    ])
    assert.equal(out.ServicesLastAccessed?.[0]?.TotalAuthenticatedEntities, 1)
  })

  it('pages ServicesLastAccessed with MaxItems 1, by Marker', async () => {
    const { jobId } = await report(arn('user', 'alice'))
    const pages: GetServiceLastAccessedDetailsCommandOutput[] = []
    let marker: string | undefined
    do {
      const page = await iam(root).send(
        new GetServiceLastAccessedDetailsCommand({
          JobId: jobId,
          MaxItems: 1,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      )
      pages.push(page)
      marker = page.Marker
    } while (marker !== undefined && pages.length < 5)
    assert.deepEqual(
      pages.map((p) => [p.ServicesLastAccessed?.map((s) => s.ServiceNamespace), p.IsTruncated]),
      [
        [['iam'], true],
        [['s3'], true],
        [['sts'], false],
      ],
    )
    assert.ok(pages.slice(0, 2).every((p) => typeof p.Marker === 'string' && p.Marker !== ''))
    assert.ok(pages.every((p) => p.JobStatus === 'COMPLETED'))
  })

  it("reports a group's permissions, and with entities its members, the newest attempt first", async () => {
    const { jobId, out } = await report(arn('group', 'devs'))
    assert.deepEqual(named(log, out.ServicesLastAccessed, new Set()), [
      {
        ServiceName: IAM_NAME,
        LastAuthenticated: 'bob ListGroups',
        ServiceNamespace: 'iam',
        LastAuthenticatedEntity: arn('user', 'bob'),
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: 2,
      },
    ])
    const entities = await iam(root).send(
      new GetServiceLastAccessedDetailsWithEntitiesCommand({
        JobId: jobId,
        ServiceNamespace: 'iam',
      }),
    )
    assert.equal(entities.JobStatus, 'COMPLETED')
    assert.deepEqual(entities.JobCompletionDate, out.JobCompletionDate)
    assert.equal(entities.IsTruncated, false)
    assert.equal(entities.Marker, undefined)
    assert.deepEqual(named(log, entities.EntityDetailsList, new Set()), [
      {
        EntityInfo: {
          Arn: arn('user', 'bob'),
          Name: 'bob',
          Type: 'USER',
          Id: ids.get('bob'),
          Path: '/',
        },
        LastAuthenticated: 'bob ListGroups',
      },
      {
        EntityInfo: {
          Arn: arn('user', 'alice'),
          Name: 'alice',
          Type: 'USER',
          Id: ids.get('alice'),
          Path: '/',
        },
        LastAuthenticated: 'alice ListRoles',
      },
    ])
    // A service the group's policies do not allow has no entity that could have used it.
    const s3 = await iam(root).send(
      new GetServiceLastAccessedDetailsWithEntitiesCommand({
        JobId: jobId,
        ServiceNamespace: 's3',
      }),
    )
    assert.deepEqual(s3.EntityDetailsList, [])
  })

  it("reports a managed policy with the users and roles it is attached to, a role's session as the role", async () => {
    const { jobId, out } = await report(arn('policy', 'Reader'), 'ACTION_LEVEL')
    assert.deepEqual(named(log, out.ServicesLastAccessed, new Set()), [
      {
        ServiceName: IAM_NAME,
        LastAuthenticated: 'session GetRole',
        ServiceNamespace: 'iam',
        LastAuthenticatedEntity: arn('role', 'app'),
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: 2,
        TrackedActionsLastAccessed: [
          {
            ActionName: 'GetRole',
            LastAccessedEntity: arn('role', 'app'),
            LastAccessedTime: 'session GetRole',
            LastAccessedRegion: 'us-east-1',
          },
          {
            ActionName: 'ListRoles',
            LastAccessedEntity: arn('user', 'carol'),
            LastAccessedTime: 'carol ListRoles',
            LastAccessedRegion: 'us-east-1',
          },
        ],
      },
    ])
    // MaxItems 1: one entity a page, the Marker to the next.
    const first = await iam(root).send(
      new GetServiceLastAccessedDetailsWithEntitiesCommand({
        JobId: jobId,
        ServiceNamespace: 'iam',
        MaxItems: 1,
      }),
    )
    assert.equal(first.IsTruncated, true)
    assert.ok(typeof first.Marker === 'string' && first.Marker !== '')
    const second = await iam(root).send(
      new GetServiceLastAccessedDetailsWithEntitiesCommand({
        JobId: jobId,
        ServiceNamespace: 'iam',
        MaxItems: 1,
        Marker: first.Marker,
      }),
    )
    assert.equal(second.IsTruncated, false)
    assert.equal(second.Marker, undefined)
    assert.deepEqual(
      named(
        log,
        [...(first.EntityDetailsList ?? []), ...(second.EntityDetailsList ?? [])],
        new Set(),
      ),
      [
        {
          EntityInfo: {
            Arn: arn('role', 'app'),
            Name: 'app',
            Type: 'ROLE',
            Id: ids.get('app'),
            Path: '/',
          },
          LastAuthenticated: 'session GetRole',
        },
        {
          EntityInfo: {
            Arn: arn('user', 'carol'),
            Name: 'carol',
            Type: 'USER',
            Id: ids.get('carol'),
            Path: '/',
          },
          LastAuthenticated: 'carol ListRoles',
        },
      ],
    )
  })

  it("reports a role's use by its sessions, and GetRole shows it as RoleLastUsed", async () => {
    const { out } = await report(arn('role', 'app'), 'ACTION_LEVEL')
    assert.deepEqual(named(log, out.ServicesLastAccessed, new Set()), [
      {
        ServiceName: IAM_NAME,
        LastAuthenticated: 'session GetRole',
        ServiceNamespace: 'iam',
        LastAuthenticatedEntity: arn('role', 'app'),
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: 1,
        TrackedActionsLastAccessed: [
          {
            ActionName: 'GetRole',
            LastAccessedEntity: arn('role', 'app'),
            LastAccessedTime: 'session GetRole',
            LastAccessedRegion: 'us-east-1',
          },
          { ActionName: 'ListRoles' },
        ],
      },
    ])
    const { Role: role } = await iam(root).send(new GetRoleCommand({ RoleName: 'app' }))
    assert.ok(role?.RoleLastUsed?.LastUsedDate instanceof Date)
    assert.deepEqual(named(log, role.RoleLastUsed, new Set()), {
      LastUsedDate: 'session GetRole',
      Region: 'us-east-1',
    })
  })

  it("lists the policies granting each service asked about, a user's group's included", async () => {
    const out = await iam(root).send(
      new ListPoliciesGrantingServiceAccessCommand({
        Arn: arn('user', 'alice'),
        ServiceNamespaces: ['s3', 'iam', 'ec2'],
      }),
    )
    assert.equal(out.IsTruncated, false)
    assert.deepEqual(
      out.PoliciesGrantingServiceAccess?.map((entry) => [
        entry.ServiceNamespace,
        (entry.Policies ?? []).map((p) => [p.PolicyType, p.PolicyName, p.EntityType, p.EntityName]),
      ]),
      [
        ['s3', [['INLINE', 'Own', 'USER', 'alice']]],
        [
          'iam',
          [
            ['INLINE', 'Own', 'USER', 'alice'],
            ['INLINE', 'List', 'GROUP', 'devs'],
          ],
        ],
        ['ec2', []],
      ],
    )
  })

  it('a role no session used has an empty RoleLastUsed', async () => {
    const { Role: role } = await iam(root).send(new GetRoleCommand({ RoleName: 'idle' }))
    assert.equal(role?.RoleName, 'idle')
    assert.deepEqual(role.RoleLastUsed, {})
  })

  it('prints the reports and RoleLastUsed with the AWS CLI', { skip: NO_AWS_CLI }, () => {
    const aws = (...args: string[]): Record<string, unknown> => {
      const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
        env: awsCliEnv(root),
        encoding: 'utf8',
        timeout: 60_000,
      })
      assert.equal(run.status, 0, `aws ${args.join(' ')}: ${run.stderr}`)
      return JSON.parse(run.stdout) as Record<string, unknown>
    }
    const cliDates = new Set(['LastAuthenticated', 'LastAccessedTime', 'LastUsedDate'])

    const generated = aws(
      'iam',
      'generate-service-last-accessed-details',
      '--arn',
      arn('role', 'app'),
      '--granularity',
      'ACTION_LEVEL',
    )
    const jobId = String(generated['JobId'])
    assert.match(jobId, JOB_ID)
    let details: Record<string, unknown> = {}
    for (let i = 0; i < 40; i++) {
      details = aws('iam', 'get-service-last-accessed-details', '--job-id', jobId)
      if (details['JobStatus'] !== 'IN_PROGRESS') break
    }
    assert.equal(details['JobStatus'], 'COMPLETED')
    assert.equal(details['JobType'], 'ACTION_LEVEL')
    assert.equal(details['IsTruncated'], false)
    assert.ok(!Number.isNaN(Date.parse(String(details['JobCompletionDate']))))
    assert.deepEqual(named(log, details['ServicesLastAccessed'], cliDates), [
      {
        ServiceName: IAM_NAME,
        LastAuthenticated: 'session GetRole',
        ServiceNamespace: 'iam',
        LastAuthenticatedEntity: arn('role', 'app'),
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: 1,
        TrackedActionsLastAccessed: [
          {
            ActionName: 'GetRole',
            LastAccessedEntity: arn('role', 'app'),
            LastAccessedTime: 'session GetRole',
            LastAccessedRegion: 'us-east-1',
          },
          { ActionName: 'ListRoles' },
        ],
      },
    ])

    const group = String(
      aws('iam', 'generate-service-last-accessed-details', '--arn', arn('group', 'devs'))['JobId'],
    )
    let withEntities: Record<string, unknown> = {}
    for (let i = 0; i < 40; i++) {
      withEntities = aws(
        'iam',
        'get-service-last-accessed-details-with-entities',
        '--job-id',
        group,
        '--service-namespace',
        'iam',
      )
      if (withEntities['JobStatus'] !== 'IN_PROGRESS') break
    }
    assert.equal(withEntities['JobStatus'], 'COMPLETED')
    assert.deepEqual(named(log, withEntities['EntityDetailsList'], cliDates), [
      {
        EntityInfo: {
          Arn: arn('user', 'bob'),
          Name: 'bob',
          Type: 'USER',
          Id: ids.get('bob'),
          Path: '/',
        },
        LastAuthenticated: 'bob ListGroups',
      },
      {
        EntityInfo: {
          Arn: arn('user', 'alice'),
          Name: 'alice',
          Type: 'USER',
          Id: ids.get('alice'),
          Path: '/',
        },
        LastAuthenticated: 'alice ListRoles',
      },
    ])

    const app = aws('iam', 'get-role', '--role-name', 'app')['Role'] as Record<string, unknown>
    assert.deepEqual(named(log, app['RoleLastUsed'], cliDates), {
      LastUsedDate: 'session GetRole',
      Region: 'us-east-1',
    })
    const idle = aws('iam', 'get-role', '--role-name', 'idle')['Role'] as Record<string, unknown>
    assert.deepEqual(idle['RoleLastUsed'], {})
  })

  it('refuses with the errors the SDK knows: an entity not there, an ARN of anything else', async () => {
    assert.deepEqual(await failure(generate(arn('user', 'nobody'))), {
      name: 'NoSuchEntityException',
      message: 'The user with name nobody cannot be found.',
      status: 404,
    })
    assert.deepEqual(await failure(generate('arn:aws:s3:::some-bucket')), {
      name: 'InvalidInputException',
      message: 'ARN arn:aws:s3:::some-bucket is not valid.',
      status: 400,
    })
    const unknown = '00000000-0000-4000-8000-000000000000'
    assert.deepEqual(
      await failure(iam(root).send(new GetServiceLastAccessedDetailsCommand({ JobId: unknown }))),
      {
        name: 'NoSuchEntityException',
        message: `The job with ID ${unknown} cannot be found.`,
        status: 404,
      },
    )
  })

  // Last: alice's own calls here are attempts that would change the reports above.
  it('lets only the principal that generated a job read it', async () => {
    const jobId = await generate(arn('user', 'bob'), 'SERVICE_LEVEL', alice)
    const own = await completed(() =>
      iam(alice).send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId })),
    )
    assert.deepEqual(
      own.ServicesLastAccessed?.map((s) => s.ServiceNamespace),
      ['iam'],
    )
    const missing = {
      name: 'NoSuchEntityException',
      message: `The job with ID ${jobId} cannot be found.`,
      status: 404,
    }
    assert.deepEqual(
      await failure(iam(root).send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId }))),
      missing,
    )
    assert.deepEqual(
      await failure(
        iam(root).send(
          new GetServiceLastAccessedDetailsWithEntitiesCommand({
            JobId: jobId,
            ServiceNamespace: 'iam',
          }),
        ),
      ),
      missing,
    )
    // bob, the report's subject, may not read it either (and has no permission to try).
    const bobs = await failure(
      iam(bob).send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId })),
    )
    assert.deepEqual([bobs.name, bobs.status], ['AccessDenied', 403])
  })
})

/** The pids whose parent is `pid`. */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^[0-9]+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(pid)
      } catch {
        return false
      }
    })
    .map(Number)
}

/**
 * The process, of `pids`, that holds the server's end of the TCP connection from local port
 * `clientPort` to `serverPort` on 127.0.0.1: its socket inode from /proc/net/tcp, then the
 * process with a descriptor on it.
 */
function processServing(pids: readonly number[], serverPort: number, clientPort: number): number {
  const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0')
  const local = `0100007F:${hexPort(serverPort)}`
  const remote = `0100007F:${hexPort(clientPort)}`
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((row) => row.trim().split(/\s+/))
    // 01: ESTABLISHED (a closed connection of an earlier call may linger in another state).
    .find((fields) => fields[1] === local && fields[2] === remote && fields[3] === '01')
  assert.ok(line !== undefined, `no server socket for client port ${clientPort}`)
  const socket = `socket:[${line[9] ?? ''}]`
  const holders = pids.filter((pid) =>
    readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === socket
      } catch {
        return false
      }
    }),
  )
  assert.equal(holders.length, 1, `${socket} held by ${holders.join(', ')}`)
  return holders[0] ?? 0
}

/** An HTTP agent that keeps its one connection open and tells its local port. */
class TracedAgent extends Agent {
  localPort: number | undefined

  constructor() {
    super({ keepAlive: true, maxSockets: 1 })
  }

  override createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = super.createConnection(options, callback) as Socket
    socket.once('connect', () => {
      this.localPort = socket.localPort
    })
    return socket
  }
}

describe('Access Advisor with gatehouse serve --workers 2', () => {
  let server: ServerProcess
  let root: Key
  let workers: number[]
  let port: number

  /**
   * One call on a connection of its own, so that the cluster hands it to the next worker, and
   * the pid of the worker that answered.
   */
  async function call<T>(
    key: Key,
    send: (client: IAMClient) => Promise<T>,
  ): Promise<{ result: T; worker: number }> {
    const agent = new TracedAgent()
    const client = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
      requestHandler: { httpAgent: agent },
    })
    try {
      const result = await send(client)
      assert.ok(agent.localPort !== undefined)
      return { result, worker: processServing(workers, port, agent.localPort) }
    } finally {
      client.destroy()
      agent.destroy()
    }
  }

  before(async () => {
    server = await startServerProcess({ args: ['--workers', '2'] })
    root = printedRootKey(server.stdout())
    port = Number(new URL(server.url).port)
    assert.ok(server.child.pid !== undefined)
    workers = childPids(server.child.pid)
    assert.equal(workers.length, 2)
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('completes a job generated on one worker, read back through both, from the shared trail database', async () => {
    const arn = `arn:aws:iam::${server.accountId}:user/wanda`
    await call(root, (c) => c.send(new CreateUserCommand({ UserName: 'wanda' })))
    const { result: created } = await call(root, (c) =>
      c.send(new CreateAccessKeyCommand({ UserName: 'wanda' })),
    )
    const wanda = {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
    await call(root, (c) =>
      c.send(
        new PutUserPolicyCommand({
          UserName: 'wanda',
          PolicyName: 'List',
          PolicyDocument: allow('iam:ListUsers'),
        }),
      ),
    )
    // Her attempts, recorded by both workers into the one trail.
    const attempted = new Set<number>()
    let last = 0
    for (let i = 0; i < 4; i++) {
      const { worker } = await call(wanda, (c) => c.send(new ListUsersCommand({})))
      attempted.add(worker)
      last = Date.now()
    }
    assert.equal(attempted.size, 2, 'both workers recorded attempts')

    const { result: generated, worker: generator } = await call(root, (c) =>
      c.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn })),
    )
    const jobId = generated.JobId ?? ''
    assert.match(jobId, JOB_ID)
    const readers = new Set<number>()
    const reads: GetServiceLastAccessedDetailsCommandOutput[] = []
    await completed(async () => {
      const { result, worker } = await call(root, (c) =>
        c.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId })),
      )
      readers.add(worker)
      return result
    })
    // Read again until both workers have answered with the completed report.
    for (let i = 0; i < 4; i++) {
      const { result, worker } = await call(root, (c) =>
        c.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId })),
      )
      readers.add(worker)
      reads.push(result)
    }
    assert.deepEqual([...readers].sort(), [...workers].sort())
    assert.ok(workers.includes(generator))
    const first = reads[0]
    assert.ok(first !== undefined)
    for (const read of reads) {
      assert.equal(read.JobStatus, 'COMPLETED')
      assert.deepEqual(read.JobCreationDate, first.JobCreationDate)
      assert.deepEqual(read.JobCompletionDate, first.JobCompletionDate)
      assert.deepEqual(read.ServicesLastAccessed, first.ServicesLastAccessed)
    }
    const lastAuthenticated = first.ServicesLastAccessed?.[0]?.LastAuthenticated?.getTime() ?? 0
    assert.ok(lastAuthenticated <= last && lastAuthenticated > last - 10_000)
    assert.deepEqual(
      first.ServicesLastAccessed?.map((s) => ({ ...s, LastAuthenticated: undefined })),
      [
        {
          ServiceName: IAM_NAME,
          LastAuthenticated: undefined,
          ServiceNamespace: 'iam',
          LastAuthenticatedEntity: arn,
          LastAuthenticatedRegion: 'us-east-1',
          TotalAuthenticatedEntities: 1,
        },
      ],
    )
    const { result: entities } = await call(root, (c) =>
      c.send(
        new GetServiceLastAccessedDetailsWithEntitiesCommand({
          JobId: jobId,
          ServiceNamespace: 'iam',
        }),
      ),
    )
    assert.deepEqual(
      entities.EntityDetailsList?.map((e) => [e.EntityInfo?.Name, e.LastAuthenticated]),
      [['wanda', first.ServicesLastAccessed?.[0]?.LastAuthenticated]],
    )

    // The job is kept in the trail database that both workers open.
    const trail = openSqliteTrailStore({ filename: join(server.dataDir, 'trail.db') })
    try {
      const job = await trail.getAccessJob(server.accountId, jobId)
      assert.ok(job !== null)
      assert.deepEqual(
        { ...job, result: undefined },
        {
          jobId,
          accountId: server.accountId,
          entityArn: arn,
          granularity: 'SERVICE_LEVEL',
          ownerArn: `arn:aws:iam::${server.accountId}:root`,
          status: 'COMPLETED',
          createdAt: first.JobCreationDate,
          completedAt: first.JobCompletionDate,
          result: undefined,
        },
      )
    } finally {
      await trail.close()
    }
  })
})
