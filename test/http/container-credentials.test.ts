/**
 * The container credentials endpoint in process (test/support/workload-in-process.ts): a
 * workload's token buys a session of its role for the workload's duration within the role's
 * maximum; the credentials work; a missing, malformed, wrong or revoked token is refused with
 * 401, a role that no longer trusts the workload service with 403, a role that is gone with 404;
 * every issue is recorded without a secret, and no token reaches the log.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { policy } from '../support/in-process.js'
import {
  ACCOUNT_ID,
  startWorkloadInProcess,
  workloadTrustPolicy,
} from '../support/workload-in-process.js'
import type { WorkloadInProcess } from '../support/workload-in-process.js'

const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/apps/web-role`

interface IssuedCredentials {
  readonly AccessKeyId: string
  readonly SecretAccessKey: string
  readonly Token: string
  readonly Expiration: string
  readonly RoleArn: string
  readonly AccountId: string
}

async function createRole(
  g: WorkloadInProcess,
  trust = workloadTrustPolicy(),
  extra: Record<string, string> = {},
): Promise<void> {
  const created = await g.aws('CreateRole', {
    RoleName: 'web-role',
    Path: '/apps/',
    AssumeRolePolicyDocument: trust,
    ...extra,
  })
  assert.equal(created.status, 200, created.body)
}

async function createWorkload(
  g: WorkloadInProcess,
  name: string,
  durationSeconds?: number,
): Promise<string> {
  const created = await g.api('CreateWorkload', {
    Name: name,
    RoleArn: ROLE_ARN,
    ...(durationSeconds === undefined ? {} : { DurationSeconds: durationSeconds }),
  })
  assert.equal(created.status, 200, created.body)
  return created.json?.['Token'] as string
}

async function issued(g: WorkloadInProcess, token: string): Promise<IssuedCredentials> {
  const reply = await g.credentials(token)
  assert.equal(reply.status, 200, reply.body)
  return reply.json as unknown as IssuedCredentials
}

function refusal(reply: { status: number; json: Record<string, unknown> | undefined }) {
  return { status: reply.status, code: reply.json?.['Code'], message: reply.json?.['Message'] }
}

const INVALID_TOKEN = {
  status: 401,
  code: 'InvalidToken',
  message:
    'The authorization token is not valid: it names no workload, or the workload was deleted.',
}

describe('the container credentials endpoint', () => {
  let g: WorkloadInProcess

  beforeEach(async () => {
    await g?.close()
    g = await startWorkloadInProcess()
  })
  after(async () => {
    await g.close()
  })

  it("answers a session of the workload's role, named after the workload, as the SDKs read it", async () => {
    await createRole(g)
    const token = await createWorkload(g, 'web', 900)
    const reply = await g.credentials(token)
    assert.equal(reply.status, 200, reply.body)
    assert.match(String(reply.headers['content-type']), /^application\/json/)
    assert.equal(reply.headers['cache-control'], 'no-store')
    const credentials = reply.json as unknown as IssuedCredentials
    assert.deepEqual(Object.keys(credentials).sort(), [
      'AccessKeyId',
      'AccountId',
      'Expiration',
      'RoleArn',
      'SecretAccessKey',
      'Token',
    ])
    assert.match(credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/)
    assert.equal(credentials.Expiration, '2026-03-15T12:15:00Z')
    assert.equal(credentials.RoleArn, ROLE_ARN)
    assert.equal(credentials.AccountId, ACCOUNT_ID)

    const identity = await g.aws(
      'GetCallerIdentity',
      {},
      {
        service: 'sts',
        key: {
          accessKeyId: credentials.AccessKeyId,
          secretAccessKey: credentials.SecretAccessKey,
          sessionToken: credentials.Token,
        },
      },
    )
    assert.equal(identity.status, 200, identity.body)
    assert.match(identity.body, /<Arn>arn:aws:sts::123456789012:assumed-role\/web-role\/web<\/Arn>/)

    // Every request gets credentials of its own.
    const again = await issued(g, token)
    assert.notEqual(again.AccessKeyId, credentials.AccessKeyId)
  })

  it("gives the role's permissions to the session, and nothing more", async () => {
    await createRole(g)
    assert.equal(
      (
        await g.aws('PutRolePolicy', {
          RoleName: 'web-role',
          PolicyName: 'read-roles',
          PolicyDocument: policy('Allow', 'iam:ListRoles'),
        })
      ).status,
      200,
    )
    const credentials = await issued(g, await createWorkload(g, 'web'))
    const key = {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.Token,
    }
    assert.equal((await g.aws('ListRoles', {}, { key })).status, 200)
    const denied = await g.aws('ListUsers', {}, { key })
    assert.equal(denied.status, 403)
    assert.match(
      denied.body,
      /assumed-role\/web-role\/web is not authorized to perform: iam:ListUsers/,
    )
  })

  it("lasts an hour by default, and never past the role's MaxSessionDuration", async () => {
    await createRole(g, workloadTrustPolicy(), { MaxSessionDuration: '7200' })
    const byDefault = await createWorkload(g, 'default-duration')
    const long = await createWorkload(g, 'two-hours', 7200)
    assert.equal((await issued(g, byDefault)).Expiration, '2026-03-15T13:00:00Z')
    assert.equal((await issued(g, long)).Expiration, '2026-03-15T14:00:00Z')
    const lowered = await g.aws('UpdateRole', { RoleName: 'web-role', MaxSessionDuration: '3600' })
    assert.equal(lowered.status, 200, lowered.body)
    assert.equal((await issued(g, long)).Expiration, '2026-03-15T13:00:00Z')
  })

  it('refuses a request without a token with 401', async () => {
    assert.deepEqual(refusal(await g.credentials()), {
      status: 401,
      code: 'MissingAuthorizationToken',
      message: 'The request must carry the workload token in its Authorization header.',
    })
    assert.equal((await g.credentials('   ')).status, 401)
  })

  it('refuses a malformed token, and a wrong secret for a workload that exists, with 401 alike', async () => {
    await createRole(g)
    const token = await createWorkload(g, 'web')
    const last = token.at(-1) === 'A' ? 'B' : 'A'
    for (const wrong of [
      'nonsense',
      `Bearer ${token}`,
      token.slice(0, -1),
      `${token.slice(0, -1)}${last}`,
      token.replace(/^ghw1/, 'ghw2'),
      `${token}x`,
      'x'.repeat(10_000),
    ]) {
      assert.deepEqual(refusal(await g.credentials(wrong)), INVALID_TOKEN, wrong.slice(0, 80))
    }
    assert.equal((await g.credentials(token)).status, 200)
  })

  it('refuses the token of a deleted workload, and of the workload a name used again replaced', async () => {
    await createRole(g)
    const old = await createWorkload(g, 'web')
    assert.equal((await g.api('DeleteWorkload', { Name: 'web' })).status, 200)
    assert.deepEqual(refusal(await g.credentials(old)), INVALID_TOKEN)
    const current = await createWorkload(g, 'web')
    assert.deepEqual(refusal(await g.credentials(old)), INVALID_TOKEN)
    assert.equal((await g.credentials(current)).status, 200)
  })

  it('refuses with 403 once the trust policy no longer allows the workload service', async () => {
    await createRole(g)
    const token = await createWorkload(g, 'web')
    const updated = await g.aws('UpdateAssumeRolePolicy', {
      RoleName: 'web-role',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    })
    assert.equal(updated.status, 200, updated.body)
    assert.deepEqual(refusal(await g.credentials(token)), {
      status: 403,
      code: 'AccessDenied',
      message: `User: workloads.gatehouse.local is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN} because no role trust policy allows the sts:AssumeRole action`,
    })
  })

  it('lets the trust policy name the workload by aws:SourceArn, aws:SourceAccount and sts:RoleSessionName', async () => {
    await createRole(
      g,
      workloadTrustPolicy({
        StringEquals: {
          'aws:SourceAccount': ACCOUNT_ID,
          'aws:SourceArn': `arn:aws:gatehouse::${ACCOUNT_ID}:workload/web`,
          'sts:RoleSessionName': 'web',
        },
      }),
    )
    const token = await createWorkload(g, 'web')
    assert.equal((await g.credentials(token)).status, 200)
    const other = await g.api('CreateWorkload', { Name: 'batch', RoleArn: ROLE_ARN })
    assert.equal(other.status, 400, other.body)
    assert.equal(other.json?.['Code'], 'ValidationError')
  })

  it('refuses with 404 while the role is gone, and serves again a role made anew at its ARN', async () => {
    await createRole(g)
    const token = await createWorkload(g, 'web')
    assert.equal((await g.aws('DeleteRole', { RoleName: 'web-role' })).status, 200)
    assert.deepEqual(refusal(await g.credentials(token)), {
      status: 404,
      code: 'NoSuchEntity',
      message: 'The role with name web-role cannot be found.',
    })
    await createRole(g)
    assert.equal((await g.credentials(token)).status, 200)
  })

  it('answers GET only', async () => {
    await createRole(g)
    const token = await createWorkload(g, 'web')
    for (const method of ['POST', 'PUT', 'DELETE']) {
      assert.deepEqual(refusal(await g.credentials(token, { method })), {
        status: 405,
        code: 'MethodNotAllowed',
        message: `The container credentials endpoint answers GET, not ${method}.`,
      })
    }
  })

  it('records every issue as an AssumeRole of the role, without the token or any secret', async () => {
    await createRole(g)
    const token = await createWorkload(g, 'web', 900)
    const credentials = await issued(g, token)
    assert.equal((await g.credentials('ghw1.nonsense')).status, 401)
    const records = (await g.trail.readTrailEvents(0, 1000)).map(
      (event) => JSON.parse(event.record) as Record<string, unknown>,
    )
    const issues = records.filter((r) => r['eventName'] === 'AssumeRole')
    assert.equal(issues.length, 2)
    const [ok, refused] = issues
    assert.deepEqual(ok?.['requestParameters'], {
      roleArn: ROLE_ARN,
      roleSessionName: 'web',
      durationSeconds: 900,
    })
    assert.deepEqual(ok?.['responseElements'], {
      credentials: {
        accessKeyId: credentials.AccessKeyId,
        expiration: 'Mar 15, 2026, 12:15:00 PM',
      },
      assumedRoleUser: {
        assumedRoleId: (ok?.['responseElements'] as { assumedRoleUser: { assumedRoleId: string } })
          .assumedRoleUser.assumedRoleId,
        arn: 'arn:aws:sts::123456789012:assumed-role/web-role/web',
      },
    })
    assert.equal(ok?.['recipientAccountId'], ACCOUNT_ID)
    // Gatehouse's workload service assumed the role, as ECS does for a task: AWSService.
    assert.deepEqual(ok?.['userIdentity'], {
      type: 'AWSService',
      invokedBy: 'workloads.gatehouse.local',
    })
    assert.deepEqual(refused?.['userIdentity'], { type: 'Unknown' })
    assert.deepEqual(ok?.['resources'], [
      { ARN: ROLE_ARN, accountId: ACCOUNT_ID, type: 'AWS::IAM::Role' },
    ])
    assert.equal(refused?.['errorCode'], 'InvalidToken')
    const everything = records.map((r) => JSON.stringify(r)).join('\n') + g.logText()
    const secret = token.split('.')[2] ?? ''
    assert.ok(secret.length > 40)
    for (const hidden of [secret, credentials.SecretAccessKey, credentials.Token.slice(0, 40)]) {
      assert.ok(!everything.includes(hidden), 'a secret reached the trail or the log')
    }
  })
})

describe('the container credentials endpoint in report-only mode', () => {
  let g: WorkloadInProcess

  before(async () => {
    g = await startWorkloadInProcess({ enforcement: 'report-only' })
  })
  after(async () => {
    await g.close()
  })

  it('issues credentials the trust policy would refuse, and logs the denial', async () => {
    await createRole(g)
    const token = await createWorkload(g, 'web')
    const updated = await g.aws('UpdateAssumeRolePolicy', {
      RoleName: 'web-role',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    })
    assert.equal(updated.status, 200, updated.body)
    assert.equal((await g.credentials(token)).status, 200)
    assert.match(g.logText(), /report-only: would deny: User: workloads\.gatehouse\.local/)
  })
})
