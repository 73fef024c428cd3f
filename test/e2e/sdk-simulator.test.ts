/**
 * The policy simulator end to end against `gatehouse serve` on 127.0.0.1: the real AWS SDK for
 * JavaScript v3 (SimulatePrincipalPolicy, SimulateCustomPolicy with its paginator, the two
 * GetContextKeysFor*Policy, AWS's errors as the SDK's exceptions), a simulation's decisions
 * against the server's own enforcement of the same calls, and the real AWS CLI's
 * simulate-custom-policy (`--policy-input-list file://...`), simulate-principal-policy and
 * get-context-keys-for-custom-policy, skipped with the reason where the CLI is not installed.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListGroupsCommand,
  ListUsersCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  paginateSimulateCustomPolicy,
} from '@aws-sdk/client-iam'
import type { EvaluationResult } from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** The AWS CLI example's policy: dynamodb after 2018-08-16. */
const AFTER_2018 =
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'

function document(effect: 'Allow' | 'Deny', actions: string | string[], resource = '*'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: effect, Action: actions, Resource: resource }],
  })
}

describe('the policy simulator against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let account: string
  let dana: Key
  let danaArn: string
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    account = server.accountId
    // dana: reads users at /team/ and her own record, may list groups; a boundary of iam:Get*,
    // iam:List*; and a managed policy that denies ListGroups.
    const created = await iam(root).send(
      new CreateUserCommand({ UserName: 'dana', Path: '/team/' }),
    )
    danaArn = created.User?.Arn ?? ''
    await iam(root).send(
      new PutUserPolicyCommand({
        UserName: 'dana',
        PolicyName: 'Team',
        PolicyDocument: JSON.stringify(
          {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'iam:GetUser',
                Resource: `arn:aws:iam::${account}:user/team/*`,
              },
              {
                Effect: 'Allow',
                Action: ['iam:ListUsers', 'iam:ListGroups', 'iam:CreateUser'],
                Resource: '*',
              },
            ],
          },
          null,
          2,
        ),
      }),
    )
    const boundary = await iam(root).send(
      new CreatePolicyCommand({
        PolicyName: 'ReadOnlyIam',
        PolicyDocument: document('Allow', ['iam:Get*', 'iam:List*']),
      }),
    )
    await iam(root).send(
      new PutUserPermissionsBoundaryCommand({
        UserName: 'dana',
        PermissionsBoundary: boundary.Policy?.Arn,
      }),
    )
    const noGroups = await iam(root).send(
      new CreatePolicyCommand({
        PolicyName: 'NoGroupListing',
        PolicyDocument: document('Deny', 'iam:ListGroups'),
      }),
    )
    await iam(root).send(
      new AttachUserPolicyCommand({ UserName: 'dana', PolicyArn: noGroups.Policy?.Arn }),
    )
    await iam(root).send(new CreateUserCommand({ UserName: 'erin', Path: '/team/' }))
    await iam(root).send(new CreateUserCommand({ UserName: 'frank' }))
    const key = await iam(root).send(new CreateAccessKeyCommand({ UserName: 'dana' }))
    dana = {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    }
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it("simulates a user's policies with the SDK: decisions, statements, boundary detail", async () => {
    const out = await iam(root).send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: danaArn,
        ActionNames: ['iam:GetUser', 'iam:ListGroups', 'iam:CreateUser'],
        ResourceArns: [`arn:aws:iam::${account}:user/team/erin`],
      }),
    )
    assert.equal(out.IsTruncated, false)
    assert.equal(out.Marker, undefined)
    const [getUser, listGroups, createUser] = out.EvaluationResults ?? []
    assert.deepEqual(getUser, {
      EvalActionName: 'iam:GetUser',
      EvalResourceName: `arn:aws:iam::${account}:user/team/erin`,
      EvalDecision: 'allowed',
      MatchedStatements: [
        {
          SourcePolicyId: 'user_dana_Team',
          SourcePolicyType: 'IAM Policy',
          StartPosition: { Line: 3, Column: 17 },
          EndPosition: { Line: 8, Column: 6 },
        },
      ],
      MissingContextValues: [],
      PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true },
      EvalDecisionDetails: {},
      ResourceSpecificResults: [
        {
          EvalResourceName: `arn:aws:iam::${account}:user/team/erin`,
          EvalResourceDecision: 'allowed',
          MatchedStatements: getUser?.MatchedStatements,
          MissingContextValues: [],
          EvalDecisionDetails: {},
          PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true },
        },
      ],
    })
    assert.equal(listGroups?.EvalDecision, 'explicitDeny')
    assert.equal(listGroups?.MatchedStatements?.[0]?.SourcePolicyId, 'NoGroupListing')
    assert.equal(createUser?.EvalDecision, 'implicitDeny')
    assert.equal(createUser?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, false)
  })

  it('decides as the server enforces the same calls', async () => {
    // [the call as dana, the action and resource it is authorized on]
    const calls: [() => Promise<unknown>, string, string][] = [
      [
        () => iam(dana).send(new GetUserCommand({ UserName: 'erin' })),
        'iam:GetUser',
        `arn:aws:iam::${account}:user/team/erin`,
      ],
      [
        () => iam(dana).send(new GetUserCommand({ UserName: 'frank' })),
        'iam:GetUser',
        `arn:aws:iam::${account}:user/frank`,
      ],
      [
        () => iam(dana).send(new ListUsersCommand({})),
        'iam:ListUsers',
        `arn:aws:iam::${account}:user/`,
      ],
      [
        () => iam(dana).send(new ListGroupsCommand({})),
        'iam:ListGroups',
        `arn:aws:iam::${account}:group/`,
      ],
      [
        () => iam(dana).send(new CreateUserCommand({ UserName: 'gail' })),
        'iam:CreateUser',
        `arn:aws:iam::${account}:user/gail`,
      ],
    ]
    const outcomes: string[] = []
    for (const [call, action, resource] of calls) {
      let enforced = 'allowed'
      try {
        await call()
      } catch (err) {
        if (
          (err as Error).name === 'AccessDeniedException' ||
          (err as Error).name === 'AccessDenied'
        ) {
          enforced = 'denied'
        } else throw err
      }
      const simulated = await iam(root).send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: danaArn,
          ActionNames: [action],
          ResourceArns: [resource],
        }),
      )
      const decision =
        simulated.EvaluationResults?.[0]?.EvalDecision === 'allowed' ? 'allowed' : 'denied'
      assert.equal(decision, enforced, `${action} on ${resource}`)
      outcomes.push(decision)
    }
    assert.deepEqual(outcomes, ['allowed', 'denied', 'allowed', 'denied', 'denied'])
  })

  it('simulates custom policies with typed context, across accounts, page by page', async () => {
    const dated = await iam(root).send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [AFTER_2018],
        ActionNames: ['dynamodb:CreateBackup'],
        ContextEntries: [
          {
            ContextKeyName: 'aws:CurrentTime',
            ContextKeyValues: ['2019-04-25T11:00:00Z'],
            ContextKeyType: 'date',
          },
        ],
      }),
    )
    assert.deepEqual(dated.EvaluationResults?.[0]?.MatchedStatements, [
      {
        SourcePolicyId: 'PolicyInputList.1',
        SourcePolicyType: 'IAM Policy',
        StartPosition: { Line: 1, Column: 38 },
        EndPosition: { Line: 1, Column: 167 },
      },
    ])
    const missing = await iam(root).send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [AFTER_2018],
        ActionNames: ['dynamodb:CreateBackup'],
      }),
    )
    assert.equal(missing.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny')
    assert.deepEqual(missing.EvaluationResults?.[0]?.MissingContextValues, ['aws:CurrentTime'])

    const cross = await iam(root).send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [document('Allow', 'iam:*')],
        ActionNames: ['s3:PutObject'],
        ResourceArns: ['arn:aws:s3:::mary/Test'],
        ResourceOwner: 'arn:aws:iam::123456789012:root',
        CallerArn: 'arn:aws:iam::444455556666:user/arnav',
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::444455556666:user/arnav' },
            Action: 's3:Put*',
            Resource: 'arn:aws:s3:::mary/*',
          },
        }),
      }),
    )
    assert.equal(cross.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny')
    assert.deepEqual(cross.EvaluationResults?.[0]?.EvalDecisionDetails, {
      'IAM Policy': 'implicitDeny',
      'Resource Policy': 'allowed',
    })

    const actions = Array.from({ length: 7 }, (_, i) => `s3:Get${i}`)
    const pages: number[] = []
    const decisions: string[] = []
    for await (const page of paginateSimulateCustomPolicy(
      { client: iam(root), pageSize: 3 },
      { PolicyInputList: [document('Allow', 's3:Get*')], ActionNames: actions },
    )) {
      pages.push(page.EvaluationResults?.length ?? 0)
      for (const r of page.EvaluationResults ?? [])
        decisions.push(`${r.EvalActionName}:${r.EvalDecision}`)
    }
    assert.deepEqual(pages, [3, 3, 1])
    assert.deepEqual(
      decisions,
      actions.map((a) => `${a}:allowed`),
    )
  })

  it('lists context keys and refuses bad input with the SDK', async () => {
    const custom = await iam(root).send(
      new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [AFTER_2018] }),
    )
    assert.deepEqual(custom.ContextKeyNames, ['aws:CurrentTime'])
    const principal = await iam(root).send(
      new GetContextKeysForPrincipalPolicyCommand({
        PolicySourceArn: danaArn,
        PolicyInputList: [
          JSON.stringify({
            Version: '2012-10-17',
            Statement: {
              Effect: 'Allow',
              Action: 's3:*',
              Resource: 'arn:aws:s3:::home/${aws:username}',
            },
          }),
        ],
      }),
    )
    assert.deepEqual(principal.ContextKeyNames, ['aws:username'])

    const invalid = await failure(
      iam(root).send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:sts::${account}:assumed-role/app/s1`,
          ActionNames: ['s3:GetObject'],
        }),
      ),
    )
    assert.deepEqual(invalid, {
      name: 'InvalidInputException',
      message: `Invalid Entity Arn: arn:aws:sts::${account}:assumed-role/app/s1`,
      status: 400,
    })
    const missing = await failure(
      iam(root).send(
        new GetContextKeysForPrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${account}:role/none`,
        }),
      ),
    )
    assert.deepEqual(missing, {
      name: 'NoSuchEntityException',
      message: 'The role with name none cannot be found.',
      status: 404,
    })
    const denied = await failure(
      iam(dana).send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [AFTER_2018],
          ActionNames: ['s3:GetObject'],
        }),
      ),
    )
    assert.equal(denied.name, 'AccessDenied')
    assert.equal(denied.status, 403)
    assert.match(denied.message, /iam:SimulateCustomPolicy because no identity-based policy allows/)
  })

  describe('with the AWS CLI', () => {
    let dir: string
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'gatehouse-simulator-'))
    })
    after(() => rmSync(dir, { recursive: true, force: true }))

    function awsJson(...args: string[]): Record<string, unknown> {
      const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
        env: awsCliEnv(root),
        encoding: 'utf8',
        timeout: 60_000,
      })
      assert.equal(run.status, 0, `aws ${args.join(' ')}: ${run.stderr}`)
      return JSON.parse(run.stdout) as Record<string, unknown>
    }

    it(
      'prints the documented simulate-custom-policy output for a policy in a file',
      { skip: NO_AWS_CLI },
      () => {
        // The CLI reads a list parameter's file as a JSON list of strings (as its documentation
        // of get-context-keys-for-custom-policy says; a bare policy is split into characters).
        const file = join(dir, 'policies.json')
        writeFileSync(file, JSON.stringify([AFTER_2018]))
        const out = awsJson(
          'iam',
          'simulate-custom-policy',
          '--policy-input-list',
          `file://${file}`,
          '--action-names',
          'dynamodb:CreateBackup',
          '--context-entries',
          "ContextKeyName='aws:CurrentTime',ContextKeyValues='2019-04-25T11:00:00Z',ContextKeyType=date",
        )
        // The AWS CLI's own example output, with the SourcePolicyType AWS now adds.
        assert.deepEqual(out, {
          EvaluationResults: [
            {
              EvalActionName: 'dynamodb:CreateBackup',
              EvalResourceName: '*',
              EvalDecision: 'allowed',
              MatchedStatements: [
                {
                  SourcePolicyId: 'PolicyInputList.1',
                  SourcePolicyType: 'IAM Policy',
                  StartPosition: { Line: 1, Column: 38 },
                  EndPosition: { Line: 1, Column: 167 },
                },
              ],
              MissingContextValues: [],
            },
          ],
        })
      },
    )

    it('simulates a principal and lists context keys', { skip: NO_AWS_CLI }, () => {
      const out = awsJson(
        'iam',
        'simulate-principal-policy',
        '--policy-source-arn',
        danaArn,
        '--action-names',
        'iam:ListUsers',
        'iam:ListGroups',
        'iam:DeleteUser',
      )
      const results = out['EvaluationResults'] as EvaluationResult[]
      assert.deepEqual(
        results.map((r) => [r.EvalActionName, r.EvalDecision]),
        [
          ['iam:ListUsers', 'allowed'],
          ['iam:ListGroups', 'explicitDeny'],
          ['iam:DeleteUser', 'implicitDeny'],
        ],
      )
      assert.deepEqual(results[1]?.MatchedStatements?.[0]?.SourcePolicyId, 'NoGroupListing')
      const keys = awsJson(
        'iam',
        'get-context-keys-for-custom-policy',
        '--policy-input-list',
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}',
      )
      assert.deepEqual(keys, { ContextKeyNames: ['aws:username', 'aws:CurrentTime'] })
    })
  })
})
