/**
 * The workload API in process (test/support/workload-in-process.ts), a Gatehouse extension:
 * CreateWorkload, ListWorkloads and DeleteWorkload signed for the service `gatehouse`, their
 * input checked, each authorized by the caller's policies (gatehouse:*Workload, and
 * iam:PassRole with iam:PassedToService for the role a workload is given), the role checked
 * (same account, trusting the workload service, a duration it allows), and every call recorded
 * without the token.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { formEncode, policy } from '../support/in-process.js'
import {
  ACCOUNT_ID,
  startWorkloadInProcess,
  workloadTrustPolicy,
} from '../support/workload-in-process.js'
import type { SigningKey, WorkloadInProcess } from '../support/workload-in-process.js'

const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/web-role`
const WORKLOAD_ARN = `arn:aws:gatehouse::${ACCOUNT_ID}:workload/web`

function error(reply: { status: number; json: Record<string, unknown> | undefined }) {
  return { status: reply.status, code: reply.json?.['Code'], message: reply.json?.['Message'] }
}

/** A user with a key and an inline policy. */
async function user(g: WorkloadInProcess, name: string, document?: string): Promise<SigningKey> {
  assert.equal((await g.aws('CreateUser', { UserName: name })).status, 200)
  if (document !== undefined) {
    const put = await g.aws('PutUserPolicy', {
      UserName: name,
      PolicyName: 'p',
      PolicyDocument: document,
    })
    assert.equal(put.status, 200, put.body)
  }
  const key = await g.aws('CreateAccessKey', { UserName: name })
  const accessKeyId = /<AccessKeyId>([^<]+)</.exec(key.body)?.[1] ?? ''
  const secretAccessKey = /<SecretAccessKey>([^<]+)</.exec(key.body)?.[1] ?? ''
  return { accessKeyId, secretAccessKey }
}

function statements(...list: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: list })
}

describe('the workload API', () => {
  let g: WorkloadInProcess

  beforeEach(async () => {
    g = await startWorkloadInProcess()
    const role = await g.aws('CreateRole', {
      RoleName: 'web-role',
      AssumeRolePolicyDocument: workloadTrustPolicy(),
    })
    assert.equal(role.status, 200, role.body)
  })
  afterEach(async () => {
    await g.close()
  })

  it('creates a workload and answers its token once, with the endpoint path', async () => {
    const created = await g.api('CreateWorkload', {
      Name: 'web',
      RoleArn: ROLE_ARN,
      DurationSeconds: 900,
    })
    assert.equal(created.status, 200, created.body)
    const json = created.json ?? {}
    assert.match(String(json['Token']), /^ghw1\.GWKL[A-Z2-7]{17}\.[A-Za-z0-9_-]{43}$/)
    assert.equal(json['CredentialsPath'], '/gatehouse/v1/credentials')
    const workload = json['Workload'] as Record<string, unknown>
    assert.deepEqual(workload, {
      Name: 'web',
      WorkloadId: String(json['Token']).split('.')[1],
      Arn: WORKLOAD_ARN,
      RoleArn: ROLE_ARN,
      DurationSeconds: 900,
      CreateDate: '2026-03-15T12:00:00.000Z',
    })
    const listed = await g.api('ListWorkloads')
    assert.equal(listed.status, 200, listed.body)
    assert.deepEqual(listed.json, { Workloads: [workload] })
    assert.ok(!listed.body.includes('ghw1'), 'the token is answered once only')
  })

  it('lists in pages and deletes by name', async () => {
    for (const name of ['c-app', 'a-app', 'b-app']) {
      assert.equal((await g.api('CreateWorkload', { Name: name, RoleArn: ROLE_ARN })).status, 200)
    }
    const first = await g.api('ListWorkloads', { MaxItems: 2 })
    const names = (reply: typeof first) =>
      (reply.json?.['Workloads'] as { Name: string }[]).map((w) => w.Name)
    assert.deepEqual(names(first), ['a-app', 'b-app'])
    const marker = first.json?.['Marker']
    assert.equal(typeof marker, 'string')
    const second = await g.api('ListWorkloads', { MaxItems: 2, Marker: marker })
    assert.deepEqual(names(second), ['c-app'])
    assert.equal(second.json?.['Marker'], undefined)

    const deleted = await g.api('DeleteWorkload', { Name: 'B-APP' })
    assert.equal(deleted.status, 200, deleted.body)
    assert.equal((deleted.json?.['Workload'] as { Name: string }).Name, 'b-app')
    assert.deepEqual(names(await g.api('ListWorkloads')), ['a-app', 'c-app'])
    assert.deepEqual(error(await g.api('DeleteWorkload', { Name: 'b-app' })), {
      status: 404,
      code: 'NoSuchEntity',
      message: 'The workload with name b-app cannot be found.',
    })
  })

  it('refuses a second workload of a name, without case', async () => {
    assert.equal((await g.api('CreateWorkload', { Name: 'web', RoleArn: ROLE_ARN })).status, 200)
    assert.deepEqual(error(await g.api('CreateWorkload', { Name: 'WEB', RoleArn: ROLE_ARN })), {
      status: 409,
      code: 'EntityAlreadyExists',
      message: 'Workload with name WEB already exists.',
    })
  })

  it('checks its input', async () => {
    const cases: [unknown, string | RegExp][] = [
      [{ RoleArn: ROLE_ARN }, 'Name is required.'],
      [{ Name: 'w', RoleArn: ROLE_ARN }, /at 'name' failed to satisfy constraint/],
      [{ Name: 'web/app', RoleArn: ROLE_ARN }, /at 'name' failed to satisfy constraint/],
      [{ Name: 'x'.repeat(65), RoleArn: ROLE_ARN }, /at 'name' failed to satisfy constraint/],
      [{ Name: 'web' }, 'RoleArn is required.'],
      [{ Name: 'web', RoleArn: 42 }, 'RoleArn must be a string.'],
      [
        { Name: 'web', RoleArn: `arn:aws:iam::${ACCOUNT_ID}:user/alice` },
        `RoleArn must be the ARN of a role: arn:aws:iam::${ACCOUNT_ID}:user/alice is not one.`,
      ],
      [
        { Name: 'web', RoleArn: ROLE_ARN, DurationSeconds: 14 },
        "1 validation error detected: Value '14' at 'DurationSeconds' failed to satisfy constraint: Member must be an integer between 15 and 43200",
      ],
      [{ Name: 'web', RoleArn: ROLE_ARN, DurationSeconds: 43_201 }, /between 15 and 43200/],
      [{ Name: 'web', RoleArn: ROLE_ARN, DurationSeconds: '900' }, /between 15 and 43200/],
      [{ Name: 'web', RoleArn: ROLE_ARN, DurationSeconds: 90.5 }, /between 15 and 43200/],
      [
        { Name: 'web', RoleArn: ROLE_ARN, DurationSeconds: 7200 },
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      ],
      [
        { Name: 'web', RoleArn: ROLE_ARN, Role: 'x' },
        "Role is not a member of this operation's input.",
      ],
      [
        { Name: 'web', RoleArn: 'arn:aws:iam::999988887777:role/web-role' },
        `The role arn:aws:iam::999988887777:role/web-role is not in account ${ACCOUNT_ID}: a workload's role must be in its own account.`,
      ],
    ]
    for (const [input, message] of cases) {
      const reply = await g.api('CreateWorkload', input)
      assert.equal(reply.status, 400, JSON.stringify(input))
      assert.equal(reply.json?.['Code'], 'ValidationError', JSON.stringify(input))
      if (typeof message === 'string') assert.equal(reply.json?.['Message'], message)
      else assert.match(String(reply.json?.['Message']), message)
    }
    const notJson = await g.api('CreateWorkload', undefined, { rawBody: '{"Name":' })
    assert.equal(notJson.status, 400)
    assert.equal(notJson.json?.['Code'], 'SerializationException')
    assert.deepEqual(error(await g.api('ListWorkloads', { MaxItems: 0 })).code, 'ValidationError')
    assert.deepEqual(error(await g.api('ListWorkloads')).status, 200)
    assert.deepEqual((await g.api('ListWorkloads')).json, { Workloads: [] })
  })

  it('refuses a role that does not exist, or does not trust the workload service', async () => {
    assert.deepEqual(
      error(
        await g.api('CreateWorkload', {
          Name: 'web',
          RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/nope`,
        }),
      ),
      { status: 404, code: 'NoSuchEntity', message: 'The role with name nope cannot be found.' },
    )
    const atAnotherPath = `arn:aws:iam::${ACCOUNT_ID}:role/other/web-role`
    assert.equal(
      error(await g.api('CreateWorkload', { Name: 'web', RoleArn: atAnotherPath })).status,
      404,
    )
    const untrusting = await g.aws('CreateRole', {
      RoleName: 'ec2-role',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    })
    assert.equal(untrusting.status, 200, untrusting.body)
    const ec2Role = `arn:aws:iam::${ACCOUNT_ID}:role/ec2-role`
    assert.deepEqual(error(await g.api('CreateWorkload', { Name: 'web', RoleArn: ec2Role })), {
      status: 400,
      code: 'ValidationError',
      message: `The role ${ec2Role} cannot be given to workloads: its trust policy must allow the service principal workloads.gatehouse.local to perform sts:AssumeRole.`,
    })
    assert.deepEqual((await g.api('ListWorkloads')).json, { Workloads: [] })
  })

  it("authorizes by the caller's policies: the workload action, and iam:PassRole for creation", async () => {
    const nobody = await user(g, 'nobody')
    assert.deepEqual(
      error(await g.api('CreateWorkload', { Name: 'web', RoleArn: ROLE_ARN }, { key: nobody })),
      {
        status: 403,
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/nobody is not authorized to perform: gatehouse:CreateWorkload on resource: ${WORKLOAD_ARN} because no identity-based policy allows the gatehouse:CreateWorkload action`,
      },
    )
    assert.equal(error(await g.api('ListWorkloads', {}, { key: nobody })).status, 403)

    const noPass = await user(g, 'no-pass', policy('Allow', 'gatehouse:*'))
    assert.deepEqual(
      error(await g.api('CreateWorkload', { Name: 'web', RoleArn: ROLE_ARN }, { key: noPass })),
      {
        status: 403,
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/no-pass is not authorized to perform: iam:PassRole on resource: ${ROLE_ARN} because no identity-based policy allows the iam:PassRole action`,
      },
    )

    const toEcs = await user(
      g,
      'to-ecs',
      statements(
        { Effect: 'Allow', Action: 'gatehouse:*Workload*', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: ROLE_ARN,
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
      ),
    )
    assert.equal(
      error(await g.api('CreateWorkload', { Name: 'web', RoleArn: ROLE_ARN }, { key: toEcs }))
        .status,
      403,
    )

    const deployer = await user(
      g,
      'deployer',
      statements(
        {
          Effect: 'Allow',
          Action: ['gatehouse:CreateWorkload', 'gatehouse:ListWorkloads'],
          Resource: `arn:aws:gatehouse::${ACCOUNT_ID}:workload/*`,
        },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: ROLE_ARN,
          Condition: {
            StringEquals: { 'iam:PassedToService': 'workloads.gatehouse.local' },
            ArnLike: {
              'iam:AssociatedResourceArn': `arn:aws:gatehouse::${ACCOUNT_ID}:workload/web*`,
            },
          },
        },
      ),
    )
    const created = await g.api(
      'CreateWorkload',
      { Name: 'web', RoleArn: ROLE_ARN },
      { key: deployer },
    )
    assert.equal(created.status, 200, created.body)
    assert.equal(
      error(await g.api('CreateWorkload', { Name: 'api', RoleArn: ROLE_ARN }, { key: deployer }))
        .status,
      403,
    )
    assert.equal((await g.api('ListWorkloads', {}, { key: deployer })).status, 200)
    assert.deepEqual(error(await g.api('DeleteWorkload', { Name: 'web' }, { key: deployer })), {
      status: 403,
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT_ID}:user/deployer is not authorized to perform: gatehouse:DeleteWorkload on resource: ${WORKLOAD_ARN} because no identity-based policy allows the gatehouse:DeleteWorkload action`,
    })
  })

  it('refuses what IAM refuses: GetSessionToken credentials without MFA', async () => {
    const alice = await user(g, 'alice', policy('Allow', '*'))
    const session = await g.aws('GetSessionToken', {}, { service: 'sts', key: alice })
    assert.equal(session.status, 200, session.body)
    const key = {
      accessKeyId: /<AccessKeyId>([^<]+)</.exec(session.body)?.[1] ?? '',
      secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(session.body)?.[1] ?? '',
      sessionToken: /<SessionToken>([^<]+)</.exec(session.body)?.[1] ?? '',
    }
    assert.equal(error(await g.api('ListWorkloads', {}, { key })).code, 'InvalidClientTokenId')
  })

  it('answers only requests signed for the gatehouse service, on its operations, with POST', async () => {
    assert.deepEqual(error(await g.api('ListWorkloads', {}, { service: 'iam' })), {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: "Credential should be scoped to correct service: 'gatehouse'.",
    })
    const unsigned = await g.send({
      method: 'POST',
      url: '/gatehouse/v1/ListWorkloads',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    assert.equal(unsigned.status, 403)
    assert.equal(unsigned.json?.['Code'], 'MissingAuthenticationToken')
    const wrongKey = await g.api(
      'ListWorkloads',
      {},
      { key: { accessKeyId: 'AKIAROOTEXAMPLE00001', secretAccessKey: 'not the secret' } },
    )
    assert.equal(wrongKey.json?.['Code'], 'SignatureDoesNotMatch')
    assert.deepEqual(error(await g.api('GetWorkload')), {
      status: 404,
      code: 'UnknownOperation',
      message:
        '"GetWorkload" is not an operation of the workload API: CreateWorkload, ListWorkloads, DeleteWorkload or ReceiveDelegationNotifications.',
    })
    assert.deepEqual(
      error(await g.api('ListWorkloads', undefined, { method: 'GET', rawBody: '' })),
      {
        status: 405,
        code: 'MethodNotAllowed',
        message: 'ListWorkloads is called with POST, not GET.',
      },
    )
    // The AWS APIs still answer on every other path.
    const iam = await g.send({
      method: 'POST',
      url: '/gatehouse',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formEncode({ Action: 'ListUsers', Version: '2010-05-08' }),
    })
    assert.match(iam.body, /<Code>MissingAuthenticationToken<\/Code>/)
  })

  it('records every call, CreateWorkload without its token', async () => {
    const created = await g.api('CreateWorkload', { Name: 'web', RoleArn: ROLE_ARN })
    const token = String(created.json?.['Token'])
    await g.api('CreateWorkload', { Name: 'web', RoleArn: ROLE_ARN })
    await g.api('DeleteWorkload', { Name: 'web' })
    const records = (await g.trail.readTrailEvents(0, 1000))
      .map((event) => JSON.parse(event.record) as Record<string, unknown>)
      .filter((r) => r['eventSource'] === 'gatehouse.amazonaws.com')
    assert.deepEqual(
      records.map((r) => [r['eventName'], r['errorCode'] ?? null]),
      [
        ['CreateWorkload', null],
        ['CreateWorkload', 'EntityAlreadyExistsException'],
        ['DeleteWorkload', null],
      ],
    )
    assert.deepEqual(records[0]?.['requestParameters'], { name: 'web', roleArn: ROLE_ARN })
    const workload = (records[0]?.['responseElements'] as { workload: Record<string, unknown> })
      .workload
    assert.equal(workload['arn'], WORKLOAD_ARN)
    const everything = records.map((r) => JSON.stringify(r)).join('\n') + g.logText()
    assert.ok(!everything.includes(token.split('.')[2] ?? ''), 'the token reached the trail or log')
  })
})
