/**
 * CreateServiceLinkedRole, DeleteServiceLinkedRole, GetServiceLinkedRoleDeletionStatus and
 * SetSecurityTokenServicePreferences in process: the role IAM names for each service at its
 * /aws-service-role/ path with its trust policy, suffixes, the deletion task and its status, the
 * account's STS preferences, AWS's errors with codes, statuses and messages, and authorization.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { IAM_OPERATIONS } from '../../src/services/iam/operations.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'

const CREATED = 'CreateServiceLinkedRoleResult/Role'
const BEANSTALK = 'elasticbeanstalk.amazonaws.com'
const BEANSTALK_ROLE = 'AWSServiceRoleForElasticBeanstalk'
const TASK_ID = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/[0-9a-f-]{36}$/

function ok(r: Reply): Reply {
  assert.equal(r.status, 200, r.body)
  return r
}

function error(r: Reply, status: number, code: string, message: string | RegExp): void {
  assert.equal(r.status, status, r.body)
  assert.equal(r.error?.code, code)
  if (typeof message === 'string') assert.equal(r.error?.message, message)
  else assert.match(r.error?.message ?? '', message)
}

async function deleteLinked(g: InProcess, roleName: string, key?: Credentials): Promise<string> {
  const r = ok(
    await g.call(
      'DeleteServiceLinkedRole',
      { RoleName: roleName },
      key === undefined ? {} : { key },
    ),
  )
  const taskId = xmlText(r.xml, 'DeleteServiceLinkedRoleResult/DeletionTaskId')
  assert.ok(taskId !== undefined, r.body)
  return taskId
}

describe('IAM service-linked roles', () => {
  describe('CreateServiceLinkedRole', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
    })
    after(() => g.close())

    it("creates the service's role at its path, with a trust policy for the service", async () => {
      const r = ok(
        await g.call('CreateServiceLinkedRole', {
          AWSServiceName: BEANSTALK,
          Description: 'Beanstalk role',
        }),
      )
      assert.equal(xmlText(r.xml, `${CREATED}/RoleName`), BEANSTALK_ROLE)
      assert.equal(xmlText(r.xml, `${CREATED}/Path`), `/aws-service-role/${BEANSTALK}/`)
      assert.equal(
        xmlText(r.xml, `${CREATED}/Arn`),
        `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${BEANSTALK}/${BEANSTALK_ROLE}`,
      )
      assert.match(xmlText(r.xml, `${CREATED}/RoleId`) ?? '', /^AROA[A-Z2-7]{17}$/)
      assert.equal(xmlText(r.xml, `${CREATED}/Description`), 'Beanstalk role')
      assert.equal(xmlText(r.xml, `${CREATED}/MaxSessionDuration`), '3600')
      const trust = JSON.parse(
        decodeURIComponent(xmlText(r.xml, `${CREATED}/AssumeRolePolicyDocument`) ?? ''),
      ) as unknown
      assert.deepEqual(trust, {
        Version: '2012-10-17',
        Statement: [
          { Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [BEANSTALK] } },
        ],
      })
      const got = ok(await g.call('GetRole', { RoleName: BEANSTALK_ROLE }))
      assert.equal(xmlText(got.xml, 'GetRoleResult/Role/Path'), `/aws-service-role/${BEANSTALK}/`)
    })

    it('names each known service as IAM does', async () => {
      const names: [string, string][] = [
        ['spot.amazonaws.com', 'AWSServiceRoleForEC2Spot'],
        ['ecs.amazonaws.com', 'AWSServiceRoleForECS'],
        ['access-analyzer.amazonaws.com', 'AWSServiceRoleForAccessAnalyzer'],
      ]
      for (const [service, name] of names) {
        const r = ok(await g.call('CreateServiceLinkedRole', { AWSServiceName: service }))
        assert.equal(xmlText(r.xml, `${CREATED}/RoleName`), name)
        assert.equal(xmlText(r.xml, `${CREATED}/Description`), undefined)
      }
    })

    it('refuses a second role for the service with InvalidInput (400), as IAM words it', async () => {
      const r = await g.call('CreateServiceLinkedRole', { AWSServiceName: BEANSTALK })
      error(
        r,
        400,
        'InvalidInput',
        `Service role name ${BEANSTALK_ROLE} has been taken in this account, please try a different suffix.`,
      )
    })

    it('appends a custom suffix after _ for a service that takes one', async () => {
      const service = 'autoscaling.amazonaws.com'
      const first = ok(await g.call('CreateServiceLinkedRole', { AWSServiceName: service }))
      assert.equal(xmlText(first.xml, `${CREATED}/RoleName`), 'AWSServiceRoleForAutoScaling')
      const r = ok(
        await g.call('CreateServiceLinkedRole', { AWSServiceName: service, CustomSuffix: 'debug' }),
      )
      assert.equal(xmlText(r.xml, `${CREATED}/RoleName`), 'AWSServiceRoleForAutoScaling_debug')
      assert.equal(
        xmlText(r.xml, `${CREATED}/Arn`),
        `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${service}/AWSServiceRoleForAutoScaling_debug`,
      )
      const again = await g.call('CreateServiceLinkedRole', {
        AWSServiceName: service,
        CustomSuffix: 'DEBUG',
      })
      error(
        again,
        400,
        'InvalidInput',
        'Service role name AWSServiceRoleForAutoScaling_DEBUG has been taken in this account, please try a different suffix.',
      )
    })

    it('refuses a suffix for a service that takes none, with IAM’s message', async () => {
      const r = await g.call('CreateServiceLinkedRole', {
        AWSServiceName: 'es.amazonaws.com',
        CustomSuffix: 'x',
      })
      error(r, 400, 'InvalidInput', 'Custom suffix is not allowed for es.amazonaws.com')
      const get = await g.call('GetRole', {
        RoleName: 'AWSServiceRoleForAmazonElasticsearchService',
      })
      assert.equal(get.status, 404)
    })

    it('refuses a suffix that takes the name past 64 characters', async () => {
      const r = await g.call('CreateServiceLinkedRole', {
        AWSServiceName: 'autoscaling.amazonaws.com',
        CustomSuffix: 'x'.repeat(64),
      })
      error(r, 400, 'InvalidInput', /longer than 64 characters/)
    })

    it('refuses a service it does not know with InvalidInput (400)', async () => {
      const r = await g.call('CreateServiceLinkedRole', { AWSServiceName: 'nothing.example.com' })
      error(
        r,
        400,
        'InvalidInput',
        'Service linked role templates are not known for the service principal nothing.example.com.',
      )
      // Service principals are case-sensitive.
      const upper = await g.call('CreateServiceLinkedRole', {
        AWSServiceName: 'ElasticBeanstalk.amazonaws.com',
      })
      error(upper, 400, 'InvalidInput', /ElasticBeanstalk\.amazonaws\.com/)
    })

    it('refuses a missing or malformed service name with ValidationError (400)', async () => {
      error(
        await g.call('CreateServiceLinkedRole', {}),
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'aWSServiceName' failed to satisfy constraint: Member must not be null",
      )
      const bad = await g.call('CreateServiceLinkedRole', { AWSServiceName: 'a b' })
      error(bad, 400, 'ValidationError', /regular expression pattern/)
    })
  })

  describe('DeleteServiceLinkedRole and GetServiceLinkedRoleDeletionStatus', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
      ok(await g.call('CreateServiceLinkedRole', { AWSServiceName: BEANSTALK }))
      ok(
        await g.call('CreateRole', {
          RoleName: 'plain',
          AssumeRolePolicyDocument: policy('Allow', 'sts:AssumeRole').replace(
            '"Resource":"*"',
            '"Principal":{"Service":"ec2.amazonaws.com"}',
          ),
        }),
      )
    })
    after(() => g.close())

    it('deletes the role with its policies and answers a task id of AWS format', async () => {
      // Through the store: IAM lets only the linked service put policies on its role, and
      // DeleteRole-style protection would refuse PutRolePolicy here.
      await g.store.transaction(async (tx) => {
        const holder = { kind: 'role', accountId: ACCOUNT_ID, name: BEANSTALK_ROLE } as const
        await tx.putInlinePolicy(holder, 'inline', policy('Allow', 's3:GetObject'))
        await tx.createInstanceProfile({ accountId: ACCOUNT_ID, name: 'holder' })
        await tx.addRoleToInstanceProfile(ACCOUNT_ID, 'holder', BEANSTALK_ROLE)
      })
      const taskId = await deleteLinked(g, BEANSTALK_ROLE)
      const match = TASK_ID.exec(taskId)
      assert.deepEqual(match?.slice(1), [BEANSTALK, BEANSTALK_ROLE])
      error(
        await g.call('GetRole', { RoleName: BEANSTALK_ROLE }),
        404,
        'NoSuchEntity',
        `The role with name ${BEANSTALK_ROLE} cannot be found.`,
      )
      const profile = ok(await g.call('GetInstanceProfile', { InstanceProfileName: 'holder' }))
      assert.equal(
        xmlText(profile.xml, 'GetInstanceProfileResult/InstanceProfile/Roles/member'),
        undefined,
      )

      const status = ok(
        await g.call('GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: taskId }),
      )
      assert.equal(
        xmlText(status.xml, 'GetServiceLinkedRoleDeletionStatusResult/Status'),
        'SUCCEEDED',
      )
      assert.equal(
        xmlText(status.xml, 'GetServiceLinkedRoleDeletionStatusResult/Reason'),
        undefined,
      )
    })

    it('lets the service link its role again once it is deleted', async () => {
      ok(await g.call('CreateServiceLinkedRole', { AWSServiceName: BEANSTALK }))
      const second = await deleteLinked(g, BEANSTALK_ROLE.toLowerCase())
      assert.match(second, TASK_ID)
    })

    it('answers a role that does not exist with NoSuchEntity (404)', async () => {
      error(
        await g.call('DeleteServiceLinkedRole', { RoleName: 'AWSServiceRoleForNothing' }),
        404,
        'NoSuchEntity',
        'The role with name AWSServiceRoleForNothing cannot be found.',
      )
    })

    it('refuses a role that is not service-linked with InvalidInput (400), keeping it', async () => {
      error(
        await g.call('DeleteServiceLinkedRole', { RoleName: 'plain' }),
        400,
        'InvalidInput',
        'Role plain is not a service-linked role; use DeleteRole to delete it.',
      )
      ok(await g.call('GetRole', { RoleName: 'plain' }))
    })

    it('answers an unknown task with NoSuchEntity (404), a malformed one with InvalidInput', async () => {
      const unknown = `task/aws-service-role/${BEANSTALK}/${BEANSTALK_ROLE}/00000000-0000-4000-8000-000000000000`
      error(
        await g.call('GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: unknown }),
        404,
        'NoSuchEntity',
        `The deletion task with id ${unknown} cannot be found.`,
      )
      error(
        await g.call('GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: 'not-a-task' }),
        400,
        'InvalidInput',
        /^Invalid deletion task id: not-a-task\./,
      )
      error(
        await g.call('GetServiceLinkedRoleDeletionStatus', {}),
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'deletionTaskId' failed to satisfy constraint: Member must not be null",
      )
    })

    it("does not show one account's task to another", async () => {
      ok(await g.call('CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' }))
      const taskId = await deleteLinked(g, 'AWSServiceRoleForECS')
      const otherKey = {
        accessKeyId: 'AKIAOTHERROOT0000001',
        secretAccessKey: 'otherRootSecretExample000000000000000000',
      }
      await g.store.transaction(async (tx) => {
        await tx.createAccount({ accountId: '210987654321' })
        await tx.createAccessKey({ accountId: '210987654321', userName: null, ...otherKey })
      })
      const r = await g.call(
        'GetServiceLinkedRoleDeletionStatus',
        { DeletionTaskId: taskId },
        { key: otherKey },
      )
      assert.equal(r.status, 404, r.body)
      assert.equal(r.error?.code, 'NoSuchEntity')
    })
  })

  describe('SetSecurityTokenServicePreferences', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
    })
    after(() => g.close())

    it('keeps the version for the account, v1Token until set', async () => {
      const read = () =>
        g.store.transaction((tx) => tx.getStsPreferences(ACCOUNT_ID), { readOnly: true })
      assert.deepEqual(await read(), { globalEndpointTokenVersion: 'v1Token' })
      const r = ok(
        await g.call('SetSecurityTokenServicePreferences', {
          GlobalEndpointTokenVersion: 'v2Token',
        }),
      )
      assert.equal(r.xml.name, 'SetSecurityTokenServicePreferencesResponse')
      assert.deepEqual(await read(), { globalEndpointTokenVersion: 'v2Token' })
      ok(
        await g.call('SetSecurityTokenServicePreferences', {
          GlobalEndpointTokenVersion: 'v1Token',
        }),
      )
      assert.deepEqual(await read(), { globalEndpointTokenVersion: 'v1Token' })
    })

    it('refuses a version outside the enum or none with ValidationError (400)', async () => {
      error(
        await g.call('SetSecurityTokenServicePreferences', {
          GlobalEndpointTokenVersion: 'v3Token',
        }),
        400,
        'ValidationError',
        "1 validation error detected: Value 'v3Token' at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set: [v1Token, v2Token]",
      )
      error(
        await g.call('SetSecurityTokenServicePreferences', {}),
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must not be null",
      )
    })
  })

  describe('authorization', () => {
    let g: InProcess
    let admin: Credentials
    before(async () => {
      g = await startInProcess()
      admin = await createUserWithKey(g, 'slr-admin')
    })
    after(() => g.close())

    it('registers the status read as read-only and the rest as writes', () => {
      assert.equal(IAM_OPERATIONS.get('GetServiceLinkedRoleDeletionStatus')?.readOnly, true)
      for (const name of [
        'CreateServiceLinkedRole',
        'DeleteServiceLinkedRole',
        'SetSecurityTokenServicePreferences',
      ]) {
        assert.equal(IAM_OPERATIONS.get(name)?.readOnly, false, name)
      }
    })

    it('refuses every call to a user no policy allows, naming the resource', async () => {
      const user = `arn:aws:iam::${ACCOUNT_ID}:user/slr-admin`
      const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${BEANSTALK}/${BEANSTALK_ROLE}`
      error(
        await g.call('CreateServiceLinkedRole', { AWSServiceName: BEANSTALK }, { key: admin }),
        403,
        'AccessDenied',
        `User: ${user} is not authorized to perform: iam:CreateServiceLinkedRole on resource: ${roleArn} because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
      )
      error(
        await g.call(
          'GetServiceLinkedRoleDeletionStatus',
          { DeletionTaskId: `task/aws-service-role/${BEANSTALK}/${BEANSTALK_ROLE}/x` },
          { key: admin },
        ),
        403,
        'AccessDenied',
        `User: ${user} is not authorized to perform: iam:GetServiceLinkedRoleDeletionStatus on resource: ${roleArn} because no identity-based policy allows the iam:GetServiceLinkedRoleDeletionStatus action`,
      )
      error(
        await g.call(
          'SetSecurityTokenServicePreferences',
          { GlobalEndpointTokenVersion: 'v2Token' },
          { key: admin },
        ),
        403,
        'AccessDenied',
        `User: ${user} is not authorized to perform: iam:SetSecurityTokenServicePreferences because no identity-based policy allows the iam:SetSecurityTokenServicePreferences action`,
      )
      ok(await g.call('CreateServiceLinkedRole', { AWSServiceName: BEANSTALK }))
      error(
        await g.call('DeleteServiceLinkedRole', { RoleName: BEANSTALK_ROLE }, { key: admin }),
        403,
        'AccessDenied',
        `User: ${user} is not authorized to perform: iam:DeleteServiceLinkedRole on resource: ${roleArn} because no identity-based policy allows the iam:DeleteServiceLinkedRole action`,
      )
      ok(await g.call('GetRole', { RoleName: BEANSTALK_ROLE }))
      await deleteLinked(g, BEANSTALK_ROLE)
    })

    it('allows creation only for the service the iam:AWSServiceName condition names', async () => {
      ok(
        await g.call('PutUserPolicy', {
          UserName: 'slr-admin',
          PolicyName: 'beanstalk-only',
          PolicyDocument: policy(
            'Allow',
            [
              'iam:CreateServiceLinkedRole',
              'iam:DeleteServiceLinkedRole',
              'iam:GetServiceLinkedRoleDeletionStatus',
            ],
            `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/*`,
            { StringEquals: { 'iam:AWSServiceName': BEANSTALK } },
          ),
        }),
      )
      const denied = await g.call(
        'CreateServiceLinkedRole',
        { AWSServiceName: 'ecs.amazonaws.com' },
        { key: admin },
      )
      error(
        denied,
        403,
        'AccessDenied',
        /iam:CreateServiceLinkedRole on resource: .*AWSServiceRoleForECS/,
      )
      ok(await g.call('CreateServiceLinkedRole', { AWSServiceName: BEANSTALK }, { key: admin }))
      // The condition key is CreateServiceLinkedRole's alone: a policy conditioned on it allows
      // neither deletion nor its status.
      const notDeleted = await g.call(
        'DeleteServiceLinkedRole',
        { RoleName: BEANSTALK_ROLE },
        { key: admin },
      )
      error(notDeleted, 403, 'AccessDenied', /iam:DeleteServiceLinkedRole/)
    })

    it('authorizes deletion and its status on the role', async () => {
      ok(
        await g.call('PutUserPolicy', {
          UserName: 'slr-admin',
          PolicyName: 'delete-beanstalk',
          PolicyDocument: policy(
            'Allow',
            ['iam:DeleteServiceLinkedRole', 'iam:GetServiceLinkedRoleDeletionStatus'],
            `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${BEANSTALK}/*`,
          ),
        }),
      )
      const taskId = await deleteLinked(g, BEANSTALK_ROLE, admin)
      const status = ok(
        await g.call(
          'GetServiceLinkedRoleDeletionStatus',
          { DeletionTaskId: taskId },
          { key: admin },
        ),
      )
      assert.equal(
        xmlText(status.xml, 'GetServiceLinkedRoleDeletionStatusResult/Status'),
        'SUCCEEDED',
      )
    })

    it('lets an explicit deny of SetSecurityTokenServicePreferences win', async () => {
      ok(
        await g.call('PutUserPolicy', {
          UserName: 'slr-admin',
          PolicyName: 'sts-prefs',
          PolicyDocument: policy('Allow', 'iam:SetSecurityTokenServicePreferences'),
        }),
      )
      ok(
        await g.call(
          'SetSecurityTokenServicePreferences',
          { GlobalEndpointTokenVersion: 'v2Token' },
          { key: admin },
        ),
      )
      ok(
        await g.call('PutUserPolicy', {
          UserName: 'slr-admin',
          PolicyName: 'no-sts-prefs',
          PolicyDocument: policy('Deny', 'iam:SetSecurityTokenServicePreferences'),
        }),
      )
      const r = await g.call(
        'SetSecurityTokenServicePreferences',
        { GlobalEndpointTokenVersion: 'v1Token' },
        { key: admin },
      )
      error(
        r,
        403,
        'AccessDenied',
        `User: arn:aws:iam::${ACCOUNT_ID}:user/slr-admin is not authorized to perform: iam:SetSecurityTokenServicePreferences with an explicit deny in an identity-based policy`,
      )
      const prefs = await g.store.transaction((tx) => tx.getStsPreferences(ACCOUNT_ID), {
        readOnly: true,
      })
      assert.equal(prefs.globalEndpointTokenVersion, 'v2Token')
    })
  })
})

describe('IAM service-linked roles are protected', () => {
  it('refuses every change to one with UnmodifiableEntity, and DeleteServiceLinkedRole deletes it', async () => {
    const g = await startInProcess()
    try {
      const created = await g.call('CreateServiceLinkedRole', {
        AWSServiceName: 'elasticbeanstalk.amazonaws.com',
      })
      assert.equal(created.status, 200, created.body)
      const name = 'AWSServiceRoleForElasticBeanstalk'
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      })
      const made = await g.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: policy })
      assert.equal(made.status, 200, made.body)
      const attempts: [string, Record<string, string>][] = [
        ['DeleteRole', { RoleName: name }],
        ['UpdateRole', { RoleName: name, Description: 'x' }],
        ['UpdateRoleDescription', { RoleName: name, Description: 'x' }],
        ['UpdateAssumeRolePolicy', { RoleName: name, PolicyDocument: policy }],
        ['PutRolePolicy', { RoleName: name, PolicyName: 'p', PolicyDocument: policy }],
        ['DeleteRolePolicy', { RoleName: name, PolicyName: 'p' }],
        ['AttachRolePolicy', { RoleName: name, PolicyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/p` }],
        ['DetachRolePolicy', { RoleName: name, PolicyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/p` }],
        [
          'PutRolePermissionsBoundary',
          { RoleName: name, PermissionsBoundary: `arn:aws:iam::${ACCOUNT_ID}:policy/p` },
        ],
        ['DeleteRolePermissionsBoundary', { RoleName: name }],
      ]
      for (const [action, params] of attempts) {
        const r = await g.call(action, params)
        assert.equal(r.status, 400, `${action}: ${r.body}`)
        assert.deepEqual(
          r.error,
          {
            code: 'UnmodifiableEntity',
            message: `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`,
          },
          action,
        )
      }
      const deleted = await g.call('DeleteServiceLinkedRole', { RoleName: name })
      assert.equal(deleted.status, 200, deleted.body)
      assert.equal((await g.call('GetRole', { RoleName: name })).status, 404)
    } finally {
      await g.close()
    }
  })
})

describe('GetAccountSummary and SetSecurityTokenServicePreferences', () => {
  it('reports the global endpoint token version the account set', async () => {
    const g = await startInProcess()
    try {
      const version = async (): Promise<string | undefined> => {
        const r = await g.call('GetAccountSummary')
        const entry = xmlAll(r.xml, 'GetAccountSummaryResult/SummaryMap/entry').find(
          (e) => xmlText(e, 'key') === 'GlobalEndpointTokenVersion',
        )
        return entry === undefined ? undefined : xmlText(entry, 'value')
      }
      assert.equal(await version(), '1')
      const set = await g.call('SetSecurityTokenServicePreferences', {
        GlobalEndpointTokenVersion: 'v2Token',
      })
      assert.equal(set.status, 200, set.body)
      assert.equal(await version(), '2')
    } finally {
      await g.close()
    }
  })
})
