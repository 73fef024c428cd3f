/**
 * The policy simulator in process: SimulatePrincipalPolicy, SimulateCustomPolicy,
 * GetContextKeysForPrincipalPolicy and GetContextKeysForCustomPolicy, their response shapes,
 * errors and authorization, and a simulation's decisions against enforcement's for the same
 * calls.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { childElements, textOf } from '../errors/strict-xml.js'
import type { XmlElement } from '../errors/strict-xml.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'

const USER = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT_ID}:user${path}${name}`

/** The documented AWS CLI example's policy, on one line. */
const AFTER_2018 =
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'

const LISTS = new Set([
  'EvaluationResults',
  'MatchedStatements',
  'MissingContextValues',
  'ResourceSpecificResults',
  'ContextKeyNames',
])

/** An element as plain data: lists of `member`s as arrays, maps of `entry`s as objects. */
function plain(element: XmlElement): unknown {
  if (element.children.every((c) => typeof c === 'string')) {
    if (element.children.length > 0) return textOf(element)
    if (LISTS.has(element.name)) return []
    if (element.name === 'EvalDecisionDetails') return {}
    return ''
  }
  const children = childElements(element)
  if (children.every((c) => c.name === 'member')) return children.map(plain)
  if (children.every((c) => c.name === 'entry')) {
    return Object.fromEntries(
      children.map((entry) => [xmlText(entry, 'key'), xmlText(entry, 'value')]),
    )
  }
  return Object.fromEntries(children.map((c) => [c.name, plain(c)]))
}

/** The `<XResult>` of a reply as plain data. */
function result(reply: Reply): Record<string, unknown> {
  assert.equal(reply.status, 200, reply.body)
  const element = childElements(reply.xml)[0]
  assert.ok(element !== undefined)
  return plain(element) as Record<string, unknown>
}

/** Flattens lists and context entries into awsQuery parameters. */
function params(input: {
  readonly [name: string]: string | readonly string[] | readonly ContextEntry[] | undefined
}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue
    if (typeof value === 'string') {
      out[name] = value
      continue
    }
    value.forEach((item: string | ContextEntry, i: number) => {
      const member = `${name}.member.${i + 1}`
      if (typeof item === 'string') {
        out[member] = item
        return
      }
      out[`${member}.ContextKeyName`] = item.name
      if (item.type !== undefined) out[`${member}.ContextKeyType`] = item.type
      item.values.forEach((v, j) => (out[`${member}.ContextKeyValues.member.${j + 1}`] = v))
    })
  }
  return out
}

interface ContextEntry {
  readonly name: string
  readonly values: readonly string[]
  readonly type?: string
}

describe('the IAM policy simulator', () => {
  let g: InProcess
  let eve: Credentials

  const customPolicy = (input: Parameters<typeof params>[0], key?: Credentials) =>
    g.call('SimulateCustomPolicy', params(input), key === undefined ? {} : { key })
  const principalPolicy = (input: Parameters<typeof params>[0], key?: Credentials) =>
    g.call('SimulatePrincipalPolicy', params(input), key === undefined ? {} : { key })
  const evaluations = (reply: Reply) =>
    result(reply)['EvaluationResults'] as Record<string, unknown>[]

  before(async () => {
    g = await startInProcess()
    // eve: her own inline policy, a managed policy, a group's inline policy and a boundary.
    eve = await createUserWithKey(g, 'eve', { Path: '/staff/' })
    await g.call('PutUserPolicy', {
      UserName: 'eve',
      PolicyName: 'Own',
      PolicyDocument: JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadSelf',
              Effect: 'Allow',
              Action: ['iam:GetUser', 'iam:ListAccessKeys'],
              Resource: 'arn:aws:iam::*:user/staff/${aws:username}',
            },
            {
              Effect: 'Allow',
              Action: ['iam:List*', 'iam:GetRole', 'iam:CreateGroup'],
              Resource: '*',
            },
          ],
        },
        null,
        2,
      ),
    })
    await g.call('CreatePolicy', {
      PolicyName: 'ReadGroups',
      PolicyDocument: policy('Allow', ['iam:GetGroup', 'iam:SimulateCustomPolicy']),
    })
    await g.call('AttachUserPolicy', {
      UserName: 'eve',
      PolicyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/ReadGroups`,
    })
    await g.call('CreateGroup', { GroupName: 'auditors' })
    await g.call('AddUserToGroup', { GroupName: 'auditors', UserName: 'eve' })
    await g.call('PutGroupPolicy', {
      GroupName: 'auditors',
      PolicyName: 'NoRoles',
      PolicyDocument: policy('Deny', ['iam:GetRole', 'iam:CreateRole'], '*', {
        DateGreaterThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' },
      }),
    })
    await g.call('CreatePolicy', {
      PolicyName: 'IamOnly',
      PolicyDocument: policy('Allow', 'iam:*', '*', {
        StringNotEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
      }),
    })
    await g.call('PutUserPermissionsBoundary', {
      UserName: 'eve',
      PermissionsBoundary: `arn:aws:iam::${ACCOUNT_ID}:policy/IamOnly`,
    })
    await g.call('CreateRole', {
      RoleName: 'app',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    })
    await g.call('PutRolePolicy', {
      RoleName: 'app',
      PolicyName: 'Buckets',
      PolicyDocument: policy('Allow', 's3:*', 'arn:aws:s3:::app-*'),
    })
  })
  after(() => g.close())

  describe('SimulateCustomPolicy', () => {
    it("answers the AWS CLI example: allowed, with the statement's position", async () => {
      const reply = await customPolicy({
        PolicyInputList: [AFTER_2018],
        ActionNames: ['dynamodb:CreateBackup'],
        ContextEntries: [
          { name: 'aws:CurrentTime', values: ['2019-04-25T11:00:00Z'], type: 'date' },
        ],
      })
      assert.deepEqual(result(reply), {
        EvaluationResults: [
          {
            EvalActionName: 'dynamodb:CreateBackup',
            EvalResourceName: '*',
            EvalDecision: 'allowed',
            MatchedStatements: [
              {
                SourcePolicyId: 'PolicyInputList.1',
                SourcePolicyType: 'IAM Policy',
                StartPosition: { Line: '1', Column: '38' },
                EndPosition: { Line: '1', Column: '167' },
              },
            ],
            MissingContextValues: [],
          },
        ],
        IsTruncated: 'false',
      })
    })

    it('denies implicitly when the typed context value fails the condition', async () => {
      const reply = await customPolicy({
        PolicyInputList: [AFTER_2018],
        ActionNames: ['dynamodb:CreateBackup'],
        ContextEntries: [
          { name: 'aws:CurrentTime', values: ['2014-04-25T11:00:00Z'], type: 'date' },
        ],
      })
      assert.deepEqual(evaluations(reply), [
        {
          EvalActionName: 'dynamodb:CreateBackup',
          EvalResourceName: '*',
          EvalDecision: 'implicitDeny',
          MatchedStatements: [],
          MissingContextValues: [],
        },
      ])
    })

    it('names the denying statement and its position for an explicit deny', async () => {
      const document = [
        '{',
        '  "Version": "2012-10-17",',
        '  "Statement": [',
        '    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},',
        '    {',
        '      "Sid": "KeepLogs",',
        '      "Effect": "Deny",',
        '      "Action": "s3:DeleteObject",',
        '      "Resource": "arn:aws:s3:::logs/*"',
        '    }',
        '  ]',
        '}',
      ].join('\n')
      const reply = await customPolicy({
        PolicyInputList: [policy('Allow', 'ec2:*'), document],
        ActionNames: ['s3:DeleteObject'],
        ResourceArns: ['arn:aws:s3:::logs/2024/01.gz', 'arn:aws:s3:::data/x'],
      })
      const [logs, data] = evaluations(reply)
      assert.equal(logs?.['EvalDecision'], 'explicitDeny')
      assert.deepEqual(logs?.['MatchedStatements'], [
        {
          SourcePolicyId: 'PolicyInputList.2',
          SourcePolicyType: 'IAM Policy',
          // From just past the first statement's `}` to just past its own.
          StartPosition: { Line: '4', Column: '59' },
          EndPosition: { Line: '10', Column: '6' },
        },
      ])
      assert.equal(data?.['EvalDecision'], 'allowed')
      assert.deepEqual(logs?.['EvalDecisionDetails'], {})
      assert.deepEqual(logs?.['ResourceSpecificResults'], [
        {
          EvalResourceName: 'arn:aws:s3:::logs/2024/01.gz',
          EvalResourceDecision: 'explicitDeny',
          MatchedStatements: logs?.['MatchedStatements'],
          MissingContextValues: [],
          EvalDecisionDetails: {},
        },
      ])
    })

    it('lists the missing context values: for * in the result, else per resource', async () => {
      const document = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::example-bucket',
            Condition: { StringLike: { 'aws:PrincipalTag/allowed_service': 's3' } },
          },
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::example-bucket/${aws:username}',
          },
        ],
      })
      const star = evaluations(
        await customPolicy({ PolicyInputList: [document], ActionNames: ['s3:ListBucket'] }),
      )[0]
      // Keys of statements for other actions included, as AWS answers (boto3 issue 3111).
      assert.deepEqual(star?.['MissingContextValues'], [
        'aws:PrincipalTag/allowed_service',
        'aws:username',
      ])
      const named = evaluations(
        await customPolicy({
          PolicyInputList: [document],
          ActionNames: ['s3:ListBucket'],
          ResourceArns: ['arn:aws:s3:::example-bucket'],
          ContextEntries: [{ name: 'aws:PrincipalTag/allowed_service', values: ['s3'] }],
        }),
      )[0]
      assert.equal(named?.['EvalDecision'], 'allowed')
      assert.deepEqual(named?.['MissingContextValues'], [])
      const specific = named?.['ResourceSpecificResults'] as Record<string, unknown>[]
      assert.deepEqual(specific[0]?.['MissingContextValues'], ['aws:username'])
    })

    it('reads typed context entries: numbers, addresses, lists, booleans', async () => {
      const document = JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: '*',
          Condition: {
            NumericLessThanEquals: { 's3:max-keys': '10' },
            IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
            'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] },
            Bool: { 'aws:SecureTransport': 'true' },
          },
        },
      })
      const decide = async (entries: ContextEntry[]) =>
        evaluations(
          await customPolicy({
            PolicyInputList: [document],
            ActionNames: ['s3:ListBucket'],
            ContextEntries: entries,
          }),
        )[0]?.['EvalDecision']
      const base: ContextEntry[] = [
        { name: 's3:max-keys', values: ['5'], type: 'numeric' },
        { name: 'aws:SourceIp', values: ['203.0.113.7'], type: 'ip' },
        { name: 'aws:TagKeys', values: ['team'], type: 'stringList' },
        { name: 'aws:SecureTransport', values: ['true'], type: 'boolean' },
      ]
      assert.equal(await decide(base), 'allowed')
      assert.equal(
        await decide([...base.slice(1), { name: 's3:max-keys', values: ['50'], type: 'numeric' }]),
        'implicitDeny',
      )
      assert.equal(
        await decide([...base, { name: 'aws:SourceIp', values: ['198.51.100.1'], type: 'ip' }]),
        'implicitDeny',
      )
      assert.equal(
        await decide([
          ...base,
          { name: 'aws:TagKeys', values: ['team', 'cost'], type: 'stringList' },
        ]),
        'implicitDeny',
      )
      const bad = await customPolicy({
        PolicyInputList: [document],
        ActionNames: ['s3:ListBucket'],
        ContextEntries: [{ name: 's3:max-keys', values: ['ten'], type: 'numeric' }],
      })
      assert.equal(bad.status, 400)
      assert.deepEqual(bad.error, {
        code: 'InvalidInput',
        message: 'Value ten of context key s3:max-keys is not of type numeric.',
      })
      const badType = await customPolicy({
        PolicyInputList: [document],
        ActionNames: ['s3:ListBucket'],
        ContextEntries: [{ name: 's3:max-keys', values: ['1'], type: 'integer' }],
      })
      assert.equal(badType.error?.code, 'ValidationError')
    })

    it('paginates the results with Marker and MaxItems, action by action', async () => {
      const input = {
        PolicyInputList: [policy('Allow', 's3:Get*')],
        ActionNames: ['s3:GetObject', 's3:PutObject', 's3:GetBucketAcl'],
        ResourceArns: ['arn:aws:s3:::a', 'arn:aws:s3:::b'],
      }
      const first = result(await customPolicy({ ...input, MaxItems: '4' }))
      assert.equal(first['IsTruncated'], 'true')
      const page = (r: Record<string, unknown>) =>
        (r['EvaluationResults'] as Record<string, unknown>[]).map((e) => [
          e['EvalActionName'],
          e['EvalResourceName'],
          e['EvalDecision'],
        ])
      assert.deepEqual(page(first), [
        ['s3:GetObject', 'arn:aws:s3:::a', 'allowed'],
        ['s3:GetObject', 'arn:aws:s3:::b', 'allowed'],
        ['s3:PutObject', 'arn:aws:s3:::a', 'implicitDeny'],
        ['s3:PutObject', 'arn:aws:s3:::b', 'implicitDeny'],
      ])
      const second = result(
        await customPolicy({ ...input, MaxItems: '4', Marker: String(first['Marker']) }),
      )
      assert.equal(second['IsTruncated'], 'false')
      assert.equal(second['Marker'], undefined)
      assert.deepEqual(page(second), [
        ['s3:GetBucketAcl', 'arn:aws:s3:::a', 'allowed'],
        ['s3:GetBucketAcl', 'arn:aws:s3:::b', 'allowed'],
      ])
      const foreign = await customPolicy({ ...input, Marker: 'not-ours' })
      assert.deepEqual(foreign.error, {
        code: 'InvalidInput',
        message: 'The Marker is not one this operation returned.',
      })
    })

    it('evaluates a resource policy for CallerArn, with the details of a cross-account call', async () => {
      const resourcePolicy = JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::444455556666:user/arnav' },
          Action: ['s3:List*', 's3:Put*'],
          Resource: ['arn:aws:s3:::mary/*'],
        },
      })
      const [crossAccount] = evaluations(
        await customPolicy({
          PolicyInputList: [policy('Allow', 'iam:*')],
          PermissionsBoundaryPolicyInputList: [policy('Allow', 'iam:*')],
          ActionNames: ['s3:PutObject'],
          ResourceArns: ['arn:aws:s3:::mary/Test'],
          ResourcePolicy: resourcePolicy,
          ResourceOwner: 'arn:aws:iam::123456789012:root',
          CallerArn: 'arn:aws:iam::444455556666:user/arnav',
        }),
      )
      assert.equal(crossAccount?.['EvalDecision'], 'implicitDeny')
      assert.deepEqual(crossAccount?.['EvalDecisionDetails'], {
        'IAM Policy': 'implicitDeny',
        'Resource Policy': 'allowed',
        'Permissions Boundary Policy': 'implicitDeny',
      })
      assert.deepEqual(crossAccount?.['PermissionsBoundaryDecisionDetail'], {
        AllowedByPermissionsBoundary: 'false',
      })
      // The same caller's own account: the resource policy's grant decides.
      const [sameAccount] = evaluations(
        await customPolicy({
          PolicyInputList: [policy('Allow', 'iam:*')],
          ActionNames: ['s3:PutObject'],
          ResourceArns: ['arn:aws:s3:::mary/Test'],
          ResourcePolicy: resourcePolicy,
          CallerArn: 'arn:aws:iam::444455556666:user/arnav',
        }),
      )
      assert.equal(sameAccount?.['EvalDecision'], 'allowed')
      assert.deepEqual(sameAccount?.['MatchedStatements'], [
        {
          SourcePolicyId: 'ResourcePolicy',
          SourcePolicyType: 'Resource Policy',
          StartPosition: { Line: '1', Column: '38' },
          EndPosition: { Line: '1', Column: resourcePolicy.length.toString() },
        },
      ])
    })

    it('refuses bad input with InvalidInput', async () => {
      const base = { PolicyInputList: [policy('Allow', 's3:*')], ActionNames: ['s3:GetObject'] }
      const cases: [Parameters<typeof params>[0], string][] = [
        [
          { ...base, ResourceArns: ['my-bucket'] },
          'ResourceNames are not in a valid ARN format: my-bucket.',
        ],
        [
          { ...base, ResourceArns: ['*', 'nra:aws:s3:::b'] },
          'ResourceNames are not in a valid ARN format: nra:aws:s3:::b.',
        ],
        [
          { ...base, ResourceOwner: '123456789012' },
          "'123456789012' is not a valid as a Resource Owner.",
        ],
        [
          {
            ...base,
            ResourcePolicy: policy('Allow', 's3:*').replace('"Effect"', '"Principal":"*","Effect"'),
          },
          'CallerArn is required when a ResourcePolicy is included in the simulation.',
        ],
        [
          { ...base, CallerArn: `arn:aws:iam::${ACCOUNT_ID}:role/app` },
          `Invalid Entity Arn: arn:aws:iam::${ACCOUNT_ID}:role/app`,
        ],
        [
          {
            ...base,
            PermissionsBoundaryPolicyInputList: [policy('Allow', '*'), policy('Allow', '*')],
          },
          'PermissionsBoundaryPolicyInputList can hold only one permissions boundary policy.',
        ],
        [
          { ...base, PolicyInputList: ['{"Version": "2012-10-17", "Statement": ['] },
          'PolicyInputList.1: Syntax errors in policy.',
        ],
        [
          { ...base, ResourceHandlingOption: 'EC2-Mainframe' },
          'EC2-Mainframe is not a valid ResourceHandlingOption.',
        ],
      ]
      for (const [input, message] of cases) {
        const reply = await customPolicy(input)
        assert.equal(reply.status, 400, message)
        assert.deepEqual(reply.error, { code: 'InvalidInput', message })
      }
      const ok = await customPolicy({ ...base, ResourceHandlingOption: 'EC2-VPC-EBS' })
      assert.equal(ok.status, 200)
      const noActions = await g.call(
        'SimulateCustomPolicy',
        params({ PolicyInputList: base.PolicyInputList }),
      )
      assert.equal(noActions.status, 400)
      assert.match(noActions.error?.message ?? '', /actionNames/i)
    })
  })

  describe('SimulatePrincipalPolicy', () => {
    it("evaluates a user's own, managed, group and boundary policies, naming each", async () => {
      const reply = await principalPolicy({
        PolicySourceArn: USER('eve', '/staff/'),
        ActionNames: ['iam:GetUser', 'iam:GetGroup', 'iam:GetRole', 's3:ListAllMyBuckets'],
        ResourceArns: [USER('eve', '/staff/')],
      })
      const [getUser, getGroup, getRole, s3] = evaluations(reply)
      assert.equal(getUser?.['EvalDecision'], 'allowed')
      assert.deepEqual(getUser?.['MatchedStatements'], [
        {
          SourcePolicyId: 'user_eve_Own',
          SourcePolicyType: 'IAM Policy',
          StartPosition: { Line: '3', Column: '17' },
          EndPosition: { Line: '12', Column: '6' },
        },
      ])
      assert.deepEqual(getUser?.['PermissionsBoundaryDecisionDetail'], {
        AllowedByPermissionsBoundary: 'true',
      })
      assert.equal(getGroup?.['EvalDecision'], 'allowed')
      assert.deepEqual(
        (getGroup?.['MatchedStatements'] as Record<string, unknown>[]).map(
          (s) => s['SourcePolicyId'],
        ),
        ['ReadGroups'],
      )
      // Without aws:CurrentTime the group's deny does not apply; the simulation says it lacks it.
      assert.equal(getRole?.['EvalDecision'], 'allowed')
      const specific = getRole?.['ResourceSpecificResults'] as Record<string, unknown>[]
      assert.deepEqual(specific[0]?.['MissingContextValues'], ['aws:CurrentTime', 'iam:PolicyARN'])
      const [denied] = evaluations(
        await principalPolicy({
          PolicySourceArn: USER('eve', '/staff/'),
          ActionNames: ['iam:GetRole'],
          ContextEntries: [
            { name: 'aws:CurrentTime', values: ['2026-03-15T12:00:00Z'], type: 'date' },
          ],
        }),
      )
      assert.equal(denied?.['EvalDecision'], 'explicitDeny')
      assert.deepEqual(denied?.['MatchedStatements'], [
        {
          SourcePolicyId: 'group_auditors_NoRoles',
          SourcePolicyType: 'IAM Policy',
          StartPosition: { Line: '1', Column: '38' },
          EndPosition: { Line: '1', Column: '187' },
        },
      ])
      assert.deepEqual(denied?.['MissingContextValues'], ['iam:PolicyARN'])
      assert.equal(s3?.['EvalDecision'], 'implicitDeny')
      assert.deepEqual(s3?.['PermissionsBoundaryDecisionDetail'], {
        AllowedByPermissionsBoundary: 'false',
      })
    })

    it('adds PolicyInputList to the entity and lets a given boundary replace its own', async () => {
      const [added] = evaluations(
        await principalPolicy({
          PolicySourceArn: USER('eve', '/staff/'),
          PolicyInputList: [policy('Allow', 'iam:DeleteUser')],
          ActionNames: ['iam:DeleteUser'],
        }),
      )
      assert.equal(added?.['EvalDecision'], 'allowed')
      assert.equal(
        (added?.['MatchedStatements'] as Record<string, unknown>[])[0]?.['SourcePolicyId'],
        'PolicyInputList.1',
      )
      const [replaced] = evaluations(
        await principalPolicy({
          PolicySourceArn: USER('eve', '/staff/'),
          PolicyInputList: [policy('Allow', 's3:ListAllMyBuckets')],
          PermissionsBoundaryPolicyInputList: [policy('Allow', 's3:*')],
          ActionNames: ['s3:ListAllMyBuckets'],
        }),
      )
      assert.equal(replaced?.['EvalDecision'], 'allowed')
      assert.deepEqual(replaced?.['PermissionsBoundaryDecisionDetail'], {
        AllowedByPermissionsBoundary: 'true',
      })
    })

    it("simulates a role's and a group's policies, with no caller of their own", async () => {
      const [bucket, other] = evaluations(
        await principalPolicy({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/app`,
          ActionNames: ['s3:GetObject'],
          ResourceArns: ['arn:aws:s3:::app-data/x', 'arn:aws:s3:::other/x'],
        }),
      )
      assert.equal(bucket?.['EvalDecision'], 'allowed')
      assert.equal(
        (bucket?.['MatchedStatements'] as Record<string, unknown>[])[0]?.['SourcePolicyId'],
        'role_app_Buckets',
      )
      assert.equal(other?.['EvalDecision'], 'implicitDeny')
      const [group] = evaluations(
        await principalPolicy({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:group/auditors`,
          ActionNames: ['iam:CreateRole'],
          ContextEntries: [
            { name: 'aws:CurrentTime', values: ['2026-01-01T00:00:00Z'], type: 'date' },
          ],
        }),
      )
      assert.equal(group?.['EvalDecision'], 'explicitDeny')
      assert.deepEqual(group?.['MissingContextValues'], [])
      const resourcePolicy = await principalPolicy({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/app`,
        ActionNames: ['s3:GetObject'],
        CallerArn: USER('eve', '/staff/'),
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
        }),
      })
      assert.deepEqual(resourcePolicy.error, {
        code: 'InvalidInput',
        message: 'Simulation of resource-based policies is not supported for IAM roles.',
      })
    })

    it('simulates CallerArn calling with the source policies', async () => {
      await g.call('CreateUser', { UserName: 'bob' })
      const ownOnly = JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: 'iam:GetUser',
          Resource: 'arn:aws:iam::*:user/${aws:username}',
        },
      })
      const asBob = evaluations(
        await principalPolicy({
          PolicySourceArn: USER('eve', '/staff/'),
          PolicyInputList: [ownOnly],
          CallerArn: USER('bob'),
          ActionNames: ['iam:GetUser'],
          ResourceArns: [USER('bob'), USER('eve')],
        }),
      )
      assert.deepEqual(
        asBob.map((e) => e['EvalDecision']),
        ['allowed', 'implicitDeny'],
      )
    })

    it('refuses an ARN that names no user, group or role, and finds no other entity', async () => {
      const session = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/app/s1`
      const invalid = await principalPolicy({
        PolicySourceArn: session,
        ActionNames: ['s3:GetObject'],
      })
      assert.equal(invalid.status, 400)
      assert.deepEqual(invalid.error, {
        code: 'InvalidInput',
        message: `Invalid Entity Arn: ${session}`,
      })
      const missing = await principalPolicy({
        PolicySourceArn: USER('ghost'),
        ActionNames: ['s3:GetObject'],
      })
      assert.equal(missing.status, 404)
      assert.deepEqual(missing.error, {
        code: 'NoSuchEntity',
        message: 'The user with name ghost cannot be found.',
      })
      // eve lives at /staff/: the same name at another path is another user.
      const elsewhere = await principalPolicy({
        PolicySourceArn: USER('eve'),
        ActionNames: ['s3:GetObject'],
      })
      assert.equal(elsewhere.error?.code, 'NoSuchEntity')
      const otherAccount = await principalPolicy({
        PolicySourceArn: 'arn:aws:iam::999999999999:role/app',
        ActionNames: ['s3:GetObject'],
      })
      assert.deepEqual(otherAccount.error, {
        code: 'NoSuchEntity',
        message: 'The role with name app cannot be found.',
      })
    })
  })

  describe('GetContextKeysFor*Policy', () => {
    it("lists the API reference example's keys as written, in the policy's order", async () => {
      const document = JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: 'dynamodb:*',
          Resource: 'arn:aws:dynamodb:us-east-2:123456789012:table/${aws:username}',
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2015-08-16T12:00:00Z' } },
        },
      })
      const reply = await g.call(
        'GetContextKeysForCustomPolicy',
        params({ PolicyInputList: [document] }),
      )
      assert.deepEqual(result(reply), { ContextKeyNames: ['aws:username', 'aws:CurrentTime'] })
      const none = await g.call(
        'GetContextKeysForCustomPolicy',
        params({ PolicyInputList: [policy('Allow', 's3:*')] }),
      )
      assert.deepEqual(result(none), { ContextKeyNames: [] })
    })

    it("lists the given policies' keys, then the entity's identity policies', policy by policy", async () => {
      const reply = await g.call(
        'GetContextKeysForPrincipalPolicy',
        params({
          PolicySourceArn: USER('eve', '/staff/'),
          PolicyInputList: [
            policy('Allow', 's3:*', 'arn:aws:s3:::home/${aws:username}/*', {
              DateGreaterThan: { 'aws:CurrentTime': '2015-08-16T12:00:00Z' },
            }),
          ],
        }),
      )
      // eve's own policy reads aws:username, her group's aws:CurrentTime; her boundary's
      // iam:PolicyARN is no identity policy's.
      assert.deepEqual(result(reply), {
        ContextKeyNames: ['aws:username', 'aws:CurrentTime', 'aws:username', 'aws:CurrentTime'],
      })
      const missing = await g.call(
        'GetContextKeysForPrincipalPolicy',
        params({ PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:group/nobody` }),
      )
      assert.deepEqual(missing.error, {
        code: 'NoSuchEntity',
        message: 'The group with name nobody cannot be found.',
      })
      const malformed = await g.call(
        'GetContextKeysForCustomPolicy',
        params({ PolicyInputList: [policy('Allow', 's3:*'), '{"Statement": 3}'] }),
      )
      assert.equal(malformed.error?.code, 'InvalidInput')
      assert.match(malformed.error?.message ?? '', /^PolicyInputList\.2: /)
    })
  })

  describe('authorization', () => {
    it('authorizes the principal operations on the PolicySourceArn and the custom ones on *', async () => {
      const mallory = await createUserWithKey(g, 'mallory')
      const source = USER('eve', '/staff/')
      const simulate = await principalPolicy(
        { PolicySourceArn: source, ActionNames: ['s3:GetObject'] },
        mallory,
      )
      assert.equal(simulate.status, 403)
      assert.deepEqual(simulate.error, {
        code: 'AccessDenied',
        message: `User: ${USER('mallory')} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${source} because no identity-based policy allows the iam:SimulatePrincipalPolicy action`,
      })
      const keys = await g.call(
        'GetContextKeysForPrincipalPolicy',
        params({ PolicySourceArn: source }),
        {
          key: mallory,
        },
      )
      assert.equal(keys.error?.code, 'AccessDenied')
      const custom = await customPolicy(
        { PolicyInputList: [policy('Allow', '*')], ActionNames: ['s3:GetObject'] },
        mallory,
      )
      assert.deepEqual(custom.error, {
        code: 'AccessDenied',
        message: `User: ${USER('mallory')} is not authorized to perform: iam:SimulateCustomPolicy because no identity-based policy allows the iam:SimulateCustomPolicy action`,
      })

      // Allowed on eve's ARN only: a missing user elsewhere is not disclosed as such.
      await g.call('PutUserPolicy', {
        UserName: 'mallory',
        PolicyName: 'SimulateStaff',
        PolicyDocument: policy(
          'Allow',
          ['iam:SimulatePrincipalPolicy', 'iam:GetContextKeysFor*'],
          `arn:aws:iam::${ACCOUNT_ID}:user/staff/*`,
        ),
      })
      const allowed = await principalPolicy(
        { PolicySourceArn: source, ActionNames: ['s3:GetObject'] },
        mallory,
      )
      assert.equal(allowed.status, 200, allowed.body)
      const keysAllowed = await g.call(
        'GetContextKeysForPrincipalPolicy',
        params({ PolicySourceArn: source }),
        {
          key: mallory,
        },
      )
      assert.equal(keysAllowed.status, 200, keysAllowed.body)
      const ghost = await principalPolicy(
        { PolicySourceArn: USER('ghost'), ActionNames: ['s3:GetObject'] },
        mallory,
      )
      assert.equal(ghost.error?.code, 'AccessDenied')
      const ghostStaff = await principalPolicy(
        { PolicySourceArn: USER('ghost', '/staff/'), ActionNames: ['s3:GetObject'] },
        mallory,
      )
      assert.equal(ghostStaff.error?.code, 'NoSuchEntity')
    })
  })

  describe('against enforcement', () => {
    it("decides as enforcement decides eve's own calls", async () => {
      await g.call('CreateUser', { UserName: 'target', Path: '/staff/' })
      // [operation, its parameters, the action and resource it is authorized on]
      const calls: [string, Record<string, string>, string, string][] = [
        ['GetUser', { UserName: 'eve' }, 'iam:GetUser', USER('eve', '/staff/')],
        ['GetUser', { UserName: 'target' }, 'iam:GetUser', USER('target', '/staff/')],
        ['ListAccessKeys', { UserName: 'eve' }, 'iam:ListAccessKeys', USER('eve', '/staff/')],
        ['ListAccessKeys', { UserName: 'target' }, 'iam:ListAccessKeys', USER('target', '/staff/')],
        ['ListUsers', {}, 'iam:ListUsers', `arn:aws:iam::${ACCOUNT_ID}:user/`],
        [
          'GetGroup',
          { GroupName: 'auditors' },
          'iam:GetGroup',
          `arn:aws:iam::${ACCOUNT_ID}:group/auditors`,
        ],
        ['GetRole', { RoleName: 'app' }, 'iam:GetRole', `arn:aws:iam::${ACCOUNT_ID}:role/app`],
        [
          'CreateGroup',
          { GroupName: 'eves' },
          'iam:CreateGroup',
          `arn:aws:iam::${ACCOUNT_ID}:group/eves`,
        ],
        ['DeleteUser', { UserName: 'target' }, 'iam:DeleteUser', USER('target', '/staff/')],
        ['GetAccountSummary', {}, 'iam:GetAccountSummary', '*'],
      ]
      const decisions: string[] = []
      for (const [operation, callParams, action, resource] of calls) {
        const real = await g.call(operation, callParams, { key: eve })
        const enforced = real.error?.code === 'AccessDenied' ? 'denied' : 'allowed'
        const [simulated] = evaluations(
          await principalPolicy({
            PolicySourceArn: USER('eve', '/staff/'),
            ActionNames: [action],
            ResourceArns: [resource],
            // What enforcement's context holds that the conditions read.
            ContextEntries: [
              { name: 'aws:CurrentTime', values: ['2026-03-15T12:00:00Z'], type: 'date' },
            ],
          }),
        )
        const decision = simulated?.['EvalDecision'] === 'allowed' ? 'allowed' : 'denied'
        assert.equal(decision, enforced, `${operation} ${JSON.stringify(callParams)}: ${real.body}`)
        decisions.push(`${operation}:${decision}`)
      }
      // The comparison covers both outcomes.
      assert.deepEqual(decisions, [
        'GetUser:allowed',
        'GetUser:denied',
        'ListAccessKeys:allowed',
        'ListAccessKeys:allowed',
        'ListUsers:allowed',
        'GetGroup:allowed',
        'GetRole:denied',
        'CreateGroup:allowed',
        'DeleteUser:denied',
        'GetAccountSummary:denied',
      ])
    })
  })
})
