/**
 * GetRoleTemplateVersion and AcquireRole in process. Gatehouse serves none of AWS's role
 * templates (AWS documents their ARNs, not their content): a well-formed template ARN is
 * NoSuchEntity, a malformed one InvalidInput before anything else, the model's constraints
 * ValidationError, and both calls are authorized as iam:GetRoleTemplateVersion on the template's
 * ARN, AcquireRole's with iam:RoleTemplateARN. No role is ever made.
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
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import { textOf } from '../errors/strict-xml.js'

/** Template ARNs as the IAM User Guide lists them, and the API reference's example. */
const POWER_USER = 'arn:aws:iam::aws:role-template/iam.amazonaws.com/PowerUserRoleTemplate:1'
const DOCUMENTED = [
  POWER_USER,
  'arn:aws:iam::aws:role-template/backup.amazonaws.com/AWSBackupDefaultServiceRoleTemplate:1',
  'arn:aws:iam::aws:role-template/streams.metrics.cloudwatch.amazonaws.com/AmazonCloudWatchMetricStreamsFirehosePutRecordsRoleTemplate:1',
  'arn:aws:iam::aws:role-template/awsserviceprincipal/Example:1',
]
const MALFORMED = [
  'arn:aws:iam::aws:policy/PowerUserAccess',
  `arn:aws:iam::${ACCOUNT_ID}:role/PowerUserRole`,
  `arn:aws:iam::${ACCOUNT_ID}:role-template/iam.amazonaws.com/PowerUserRoleTemplate:1`,
  'arn:aws-cn:iam::aws:role-template/iam.amazonaws.com/PowerUserRoleTemplate:1',
  'arn:aws:iam::aws:role-template/iam.amazonaws.com/PowerUserRoleTemplate',
  'arn:aws:iam::aws:role-template/iam.amazonaws.com/PowerUserRoleTemplate:one',
  'arn:aws:iam::aws:role-template/PowerUserRoleTemplate:1',
  'arn:aws:iam::aws:role-template/iam.amazonaws.com/path/PowerUserRoleTemplate:1',
  'arn:aws:iam::aws:role-template/iam.amazonaws.com/PowerUserRoleTemplate:1 ',
  'not an arn at all, but long enough',
]

function notFound(arn: string): { code: string; message: string } {
  return { code: 'NoSuchEntity', message: `The role template ${arn} cannot be found.` }
}

function assertError(r: Reply, status: number, error: { code: string; message: string }): void {
  assert.equal(r.status, status, r.body)
  assert.deepEqual(r.error, error)
}

/** The awsQuery parameters of AcquireRole's ReplacementValues. */
function replacements(values: Record<string, string[]>): Record<string, string> {
  const params: Record<string, string> = {}
  Object.entries(values).forEach(([name, list], i) => {
    params[`ReplacementValues.entry.${i + 1}.key`] = name
    list.forEach((value, j) => {
      params[`ReplacementValues.entry.${i + 1}.value.Values.member.${j + 1}`] = value
    })
  })
  return params
}

async function roleNames(g: InProcess): Promise<string[]> {
  const r = await g.call('ListRoles')
  assert.equal(r.status, 200, r.body)
  return xmlAll(r.xml, 'ListRolesResult/Roles/member/RoleName').map(textOf)
}

describe('IAM role templates', () => {
  describe('the templates AWS documents', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
    })
    after(() => g.close())

    for (const arn of DOCUMENTED) {
      it(`answers NoSuchEntity (404) for ${arn.split('/').slice(-1)[0]} in both calls`, async () => {
        assertError(
          await g.call('GetRoleTemplateVersion', { TemplateArn: arn }),
          404,
          notFound(arn),
        )
        assertError(
          await g.call('GetRoleTemplateVersion', { TemplateArn: arn, MinorVersion: '0' }),
          404,
          notFound(arn),
        )
        assertError(await g.call('AcquireRole', { TemplateArn: arn }), 404, notFound(arn))
      })
    }

    it('makes no role, whatever the minor version and replacement values', async () => {
      const before = await roleNames(g)
      const r = await g.call('AcquireRole', {
        TemplateArn: POWER_USER,
        TemplateMinorVersion: '1',
        ...replacements({ RoleName: ['PowerUserRole'], AWSServiceName: ['lambda.amazonaws.com'] }),
      })
      assertError(r, 404, notFound(POWER_USER))
      assert.deepEqual(await roleNames(g), before)
      const get = await g.call('GetRole', { RoleName: 'PowerUserRole' })
      assert.equal(get.error?.code, 'NoSuchEntity')
    })

    it('answers the same with role manager enabled: it does not govern the API', async () => {
      const enabled = await g.call('PutAccountProperties', {
        'Properties.entry.1.key': 'RoleManager/Enabled',
        'Properties.entry.1.value': 'true',
      })
      assert.equal(enabled.status, 200, enabled.body)
      assertError(
        await g.call('AcquireRole', { TemplateArn: POWER_USER }),
        404,
        notFound(POWER_USER),
      )
    })

    it('registers GetRoleTemplateVersion as read-only and AcquireRole as a write', () => {
      assert.equal(IAM_OPERATIONS.get('GetRoleTemplateVersion')?.readOnly, true)
      assert.equal(IAM_OPERATIONS.get('AcquireRole')?.readOnly, false)
    })

    it('records AcquireRole in the trail as a write, under its own name', async () => {
      const events = await g.trail.readTrailEvents(0, 10_000)
      const records = events
        .filter((e) => e.eventName === 'AcquireRole')
        .map((e) => JSON.parse(e.record) as { readOnly: boolean; errorCode?: string })
      assert.ok(records.length > 0)
      for (const record of records) {
        assert.equal(record.readOnly, false)
        assert.equal(record.errorCode, 'NoSuchEntityException')
      }
    })
  })

  describe('validation', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
    })
    after(() => g.close())

    for (const arn of MALFORMED) {
      it(`refuses ${JSON.stringify(arn)} with InvalidInput (400)`, async () => {
        const error = { code: 'InvalidInput', message: `ARN ${arn} is not valid.` }
        assertError(await g.call('GetRoleTemplateVersion', { TemplateArn: arn }), 400, error)
        assertError(await g.call('AcquireRole', { TemplateArn: arn }), 400, error)
      })
    }

    for (const action of ['GetRoleTemplateVersion', 'AcquireRole']) {
      it(`refuses ${action} without a TemplateArn, or one under 20 characters`, async () => {
        assertError(await g.call(action, {}), 400, {
          code: 'ValidationError',
          message:
            "1 validation error detected: Value null at 'templateArn' failed to satisfy constraint: Member must not be null",
        })
        assertError(await g.call(action, { TemplateArn: 'arn:aws:iam::aws:x' }), 400, {
          code: 'ValidationError',
          message:
            "1 validation error detected: Value 'arn:aws:iam::aws:x' at 'templateArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
        })
      })

      it(`refuses ${action} with a TemplateArn over 2048 characters`, async () => {
        const arn = `arn:aws:iam::aws:role-template/iam.amazonaws.com/${'a'.repeat(2000)}:1`
        const r = await g.call(action, { TemplateArn: arn })
        assertError(r, 400, {
          code: 'ValidationError',
          message: `1 validation error detected: Value '${arn}' at 'templateArn' failed to satisfy constraint: Member must have length less than or equal to 2048`,
        })
      })
    }

    it('refuses a minor version that is not an integer', async () => {
      for (const [action, member] of [
        ['GetRoleTemplateVersion', 'MinorVersion'],
        ['AcquireRole', 'TemplateMinorVersion'],
      ] as const) {
        const r = await g.call(action, { TemplateArn: POWER_USER, [member]: 'latest' })
        assertError(r, 400, {
          code: 'InvalidParameterValue',
          message: `Value 'latest' for parameter ${member} is invalid. It must be an integer.`,
        })
      }
    })

    it('refuses more than 30 replacement values', async () => {
      const values: Record<string, string[]> = {}
      for (let i = 1; i <= 31; i++) values[`p${i}`] = ['v']
      const r = await g.call('AcquireRole', { TemplateArn: POWER_USER, ...replacements(values) })
      assert.equal(r.status, 400, r.body)
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(
        r.error?.message ?? '',
        /^1 validation error detected: Value '\{p1=\{Values: \[v\]\}, .*\}' at 'replacementValues' failed to satisfy constraint: Member must have length less than or equal to 30$/,
      )
      const thirty = Object.fromEntries(Object.entries(values).slice(0, 30))
      const ok = await g.call('AcquireRole', { TemplateArn: POWER_USER, ...replacements(thirty) })
      assertError(ok, 404, notFound(POWER_USER))
    })

    it('refuses a replacement value entry without its Values', async () => {
      const r = await g.call('AcquireRole', {
        TemplateArn: POWER_USER,
        'ReplacementValues.entry.1.key': 'RoleName',
        'ReplacementValues.entry.1.value.Other': 'x',
      })
      assertError(r, 400, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value null at 'replacementValues.entry.1.value.values' failed to satisfy constraint: Member must not be null",
      })
    })
  })

  describe('authorization', () => {
    let g: InProcess
    let caller: Credentials
    const userArn = `arn:aws:iam::${ACCOUNT_ID}:user/template-caller`
    async function grant(document: string): Promise<void> {
      const r = await g.call('PutUserPolicy', {
        UserName: 'template-caller',
        PolicyName: 'templates',
        PolicyDocument: document,
      })
      assert.equal(r.status, 200, r.body)
    }
    const denial = (arn: string) => ({
      code: 'AccessDenied',
      message: `User: ${userArn} is not authorized to perform: iam:GetRoleTemplateVersion on resource: ${arn} because no identity-based policy allows the iam:GetRoleTemplateVersion action`,
    })

    before(async () => {
      g = await startInProcess()
      caller = await createUserWithKey(g, 'template-caller')
    })
    after(() => g.close())

    it('refuses both calls to a user no policy allows, as iam:GetRoleTemplateVersion', async () => {
      for (const action of ['GetRoleTemplateVersion', 'AcquireRole']) {
        const r = await g.call(action, { TemplateArn: POWER_USER }, { key: caller })
        assertError(r, 403, denial(POWER_USER))
      }
    })

    it('checks the ARN before authorizing the call', async () => {
      const arn = 'arn:aws:iam::aws:policy/PowerUserAccess'
      const r = await g.call('AcquireRole', { TemplateArn: arn }, { key: caller })
      assertError(r, 400, { code: 'InvalidInput', message: `ARN ${arn} is not valid.` })
    })

    it('knows no iam:AcquireRole action: allowing it allows nothing', async () => {
      await grant(policy('Allow', 'iam:AcquireRole'))
      const r = await g.call('AcquireRole', { TemplateArn: POWER_USER }, { key: caller })
      assertError(r, 403, denial(POWER_USER))
    })

    it('allows both calls on the template ARN the policy names, and no other', async () => {
      await grant(policy('Allow', 'iam:GetRoleTemplateVersion', POWER_USER))
      for (const action of ['GetRoleTemplateVersion', 'AcquireRole']) {
        const r = await g.call(action, { TemplateArn: POWER_USER }, { key: caller })
        assertError(r, 404, notFound(POWER_USER))
      }
      const other = DOCUMENTED[1] ?? ''
      const r = await g.call('AcquireRole', { TemplateArn: other }, { key: caller })
      assertError(r, 403, denial(other))
    })

    it('allows by the template ARNs of a wildcard resource', async () => {
      await grant(
        policy(
          'Allow',
          'iam:GetRoleTemplateVersion',
          'arn:aws:iam::aws:role-template/iam.amazonaws.com/*',
        ),
      )
      assertError(
        await g.call('AcquireRole', { TemplateArn: POWER_USER }, { key: caller }),
        404,
        notFound(POWER_USER),
      )
      const other = DOCUMENTED[1] ?? ''
      assert.equal(
        (await g.call('GetRoleTemplateVersion', { TemplateArn: other }, { key: caller })).status,
        403,
      )
    })

    it('gives AcquireRole, and only AcquireRole, iam:RoleTemplateARN', async () => {
      await grant(
        policy('Allow', 'iam:GetRoleTemplateVersion', '*', {
          ArnEquals: { 'iam:RoleTemplateARN': POWER_USER },
        }),
      )
      assertError(
        await g.call('AcquireRole', { TemplateArn: POWER_USER }, { key: caller }),
        404,
        notFound(POWER_USER),
      )
      assertError(
        await g.call('GetRoleTemplateVersion', { TemplateArn: POWER_USER }, { key: caller }),
        403,
        denial(POWER_USER),
      )
    })

    it('lets an SCP-style deny of templated role creation stop AcquireRole alone', async () => {
      await g.call('PutUserPolicy', {
        UserName: 'template-caller',
        PolicyName: 'deny-templated',
        PolicyDocument: policy('Deny', 'iam:*', '*', { Null: { 'iam:RoleTemplateARN': 'false' } }),
      })
      await grant(policy('Allow', 'iam:GetRoleTemplateVersion'))
      const denied = await g.call('AcquireRole', { TemplateArn: POWER_USER }, { key: caller })
      assertError(denied, 403, {
        code: 'AccessDenied',
        message: `User: ${userArn} is not authorized to perform: iam:GetRoleTemplateVersion on resource: ${POWER_USER} with an explicit deny in an identity-based policy`,
      })
      assertError(
        await g.call('GetRoleTemplateVersion', { TemplateArn: POWER_USER }, { key: caller }),
        404,
        notFound(POWER_USER),
      )
    })
  })
})
