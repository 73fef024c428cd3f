/**
 * Two `gatehouse serve --store postgres` nodes on loopback, each with its own data directory and
 * the same master key, on one fresh database. A change committed through one node must be
 * enforced by the other at once (its cache hears of it by LISTEN/NOTIFY; no restart), and the
 * quotas and case-insensitive names must hold when both nodes race to break them.
 *
 * Each propagation is timed from the writing node's answer to the first answer of the other
 * node that shows the change, retrying every 5 ms; only a loose bound is asserted, the measured
 * times are printed as diagnostics.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import pg from 'pg'
import { createTestDatabase } from '../support/postgres-database.js'
import { removeDataDir, startServerProcess, tempDataDir } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

// At the top level, so that the database is dropped after every test of the file.
const databaseUrl = await createTestDatabase()

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

const ACCOUNT_ID = '210987654321'
const ROOT: Key = {
  accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64'),
}
const MASTER_KEY = randomBytes(32).toString('base64')

/** How long the other node may take to enforce a change before the test fails. */
const PROPAGATION_BOUND_MS = 2000
/** The wait between two tries on the other node. */
const RETRY_MS = 5

const TRUST_EC2 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
})

/** A policy allowing `actions` on every resource. */
function allow(...actions: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
  })
}

/** 'ok', or the failed call's error name and HTTP status, as in `LimitExceededException 409`. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call
    return 'ok'
  } catch (err) {
    assert.ok(err instanceof Error, String(err))
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    return `${err.name} ${String(status)}`
  }
}

/** Two calls started together; their outcomes, in order. */
function race(first: Promise<unknown>, second: Promise<unknown>): Promise<string[]> {
  return Promise.all([outcome(first), outcome(second)])
}

/** Asserts that exactly one of two raced calls succeeded and the other failed with `failure`. */
function assertOneWins(outcomes: readonly string[], failure: string): void {
  assert.deepEqual([...outcomes].sort(), ['ok', failure].sort(), outcomes.join(', '))
}

describe('two gatehouse nodes on one PostgreSQL database', () => {
  const dataDirs = [tempDataDir(), tempDataDir()]
  let nodeA: ServerProcess
  let nodeB: ServerProcess
  /** The nodes that started, to stop whatever happens. */
  const running: ServerProcess[] = []
  const clients: { destroy(): void }[] = []
  const propagations: string[] = []

  /** An IAM client of `node` signing with `key`; destroyed after the tests. */
  function iam(node: ServerProcess, key: Key): IAMClient {
    // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; each race must be one call.
    const client = new IAMClient({
      endpoint: node.url,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
    })
    clients.push(client)
    return client
  }

  function sts(node: ServerProcess, key: Key): STSClient {
    const client = new STSClient({
      endpoint: node.url,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
    })
    clients.push(client)
    return client
  }

  function start(dataDir: string): Promise<ServerProcess> {
    return startServerProcess({
      dataDir,
      args: [
        '--store',
        'postgres',
        '--database-url',
        databaseUrl,
        '--account-id',
        ACCOUNT_ID,
        '--root-access-key-id',
        ROOT.accessKeyId,
        '--root-secret-access-key',
        ROOT.secretAccessKey,
      ],
      env: { GATEHOUSE_MASTER_KEY: MASTER_KEY },
    })
  }

  /**
   * Retries `probe` on the other node every RETRY_MS until it answers `expected`; the time from
   * `since` (the writing node's answer) to that answer, recorded as a diagnostic.
   */
  async function enforcedWithin(
    t: TestContext,
    what: string,
    since: number,
    probe: () => Promise<string>,
    expected: string,
  ): Promise<number> {
    let tries = 0
    for (;;) {
      const sent = performance.now() - since
      const seen = await probe()
      tries++
      const elapsed = performance.now() - since
      if (seen === expected) {
        // The answer's own round trip is part of the time: when that try was sent says how
        // much of it the other node was stale for.
        const line = `${what}: ${elapsed.toFixed(1)} ms (try ${String(tries)}, sent at ${sent.toFixed(1)} ms)`
        t.diagnostic(line)
        propagations.push(line)
        return elapsed
      }
      assert.ok(
        elapsed < PROPAGATION_BOUND_MS,
        `${what}: still '${seen}', not '${expected}', after ${elapsed.toFixed(0)} ms`,
      )
      await sleep(RETRY_MS)
    }
  }

  before(async () => {
    // Started together on the fresh database: both migrate (under the advisory lock) and look
    // for the account at the same time.
    const started = await Promise.allSettled(dataDirs.map((dir) => start(dir)))
    for (const result of started) if (result.status === 'fulfilled') running.push(result.value)
    const failed = started.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    ;[nodeA, nodeB] = running as [ServerProcess, ServerProcess]
  })

  after(async () => {
    for (const client of clients) client.destroy()
    await Promise.all(running.map((node) => node.stop()))
    for (const dir of dataDirs) removeDataDir(dir)
    if (propagations.length > 0) {
      console.log(`propagation from node A to node B:\n  ${propagations.join('\n  ')}`)
    }
  })

  it('starts both nodes together on a fresh database, serving one account', async () => {
    assert.equal(nodeA.accountId, ACCOUNT_ID)
    assert.equal(nodeB.accountId, ACCOUNT_ID)
    assert.notEqual(nodeA.url, nodeB.url)
    for (const node of [nodeA, nodeB]) {
      assert.match(node.stdout(), /^ {2}store {8}postgres /m)
      // The root key came from the flags: neither node generated (or printed) one.
      assert.equal(node.stdout().includes('aws_secret_access_key'), false)
      const identity = await sts(node, ROOT).send(new GetCallerIdentityCommand({}))
      assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT_ID}:root`)
    }
    // One node created the account and its root key; the other found them.
    const db = new pg.Client(databaseUrl)
    await db.connect()
    try {
      const accounts = await db.query<{ account_id: string }>('SELECT account_id FROM accounts')
      assert.deepEqual(
        accounts.rows.map((row) => row.account_id),
        [ACCOUNT_ID],
      )
      const rootKeys = await db.query('SELECT 1 FROM access_keys WHERE access_key_id = $1', [
        ROOT.accessKeyId,
      ])
      assert.equal(rootKeys.rowCount, 1)
    } finally {
      await db.end()
    }
  })

  describe('a change committed on node A is enforced by node B', () => {
    let alice: Key
    let aliceOnB: IAMClient
    let policyArn: string
    /** alice's ListUsers on node B: 'ok' or the error. */
    const listOnB = (): Promise<string> => outcome(aliceOnB.send(new ListUsersCommand({})))

    before(async () => {
      const rootA = iam(nodeA, ROOT)
      await rootA.send(new CreateUserCommand({ UserName: 'alice' }))
      const created = await rootA.send(new CreateAccessKeyCommand({ UserName: 'alice' }))
      alice = {
        accessKeyId: created.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
      }
      const policy = await rootA.send(
        new CreatePolicyCommand({
          PolicyName: 'ListUsers',
          PolicyDocument: allow('iam:ListUsers'),
        }),
      )
      policyArn = policy.Policy?.Arn ?? ''
      await rootA.send(new CreateGroupCommand({ GroupName: 'readers' }))
      await rootA.send(
        new PutGroupPolicyCommand({
          GroupName: 'readers',
          PolicyName: 'ListUsers',
          PolicyDocument: allow('iam:ListUsers'),
        }),
      )
      aliceOnB = iam(nodeB, alice)
    })

    it('knows alice on node B, and denies her there before any policy (caching that)', async () => {
      const identity = await sts(nodeB, alice).send(new GetCallerIdentityCommand({}))
      assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/alice`)
      assert.equal(await listOnB(), 'AccessDenied 403')
      assert.equal(await listOnB(), 'AccessDenied 403')
    })

    it("decides alice's calls on node B from its cache, without asking the database", async () => {
      // Every statement a backend runs moves its query_start; a backend that was not there
      // before is a connection opened to run one.
      const db = new pg.Client(databaseUrl)
      await db.connect()
      const snapshot = async (): Promise<Map<number, string>> => {
        const rows = await db.query<{ pid: number; query_start: Date | null }>(
          `SELECT pid, query_start FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        )
        return new Map(rows.rows.map((row) => [row.pid, String(row.query_start?.getTime())]))
      }
      try {
        const before = await snapshot()
        const identity = sts(nodeB, alice)
        for (let i = 0; i < 10; i++) {
          assert.equal(await listOnB(), 'AccessDenied 403')
          await identity.send(new GetCallerIdentityCommand({}))
        }
        const afterCalls = await snapshot()
        const queried = [...afterCalls].filter(([pid, start]) => before.get(pid) !== start)
        assert.deepEqual(queried, [], 'backends that ran a statement during the calls')
      } finally {
        await db.end()
      }
    })

    it('allows on node B a managed policy attached on node A', async (t) => {
      await iam(nodeA, ROOT).send(
        new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: policyArn }),
      )
      await enforcedWithin(t, 'AttachUserPolicy', performance.now(), listOnB, 'ok')
    })

    it('enforces on node B a new default version of the policy, made on node A', async (t) => {
      await iam(nodeA, ROOT).send(
        new CreatePolicyVersionCommand({
          PolicyArn: policyArn,
          PolicyDocument: allow('iam:ListGroups'),
          SetAsDefault: true,
        }),
      )
      await enforcedWithin(
        t,
        'CreatePolicyVersion (default)',
        performance.now(),
        listOnB,
        'AccessDenied 403',
      )
      assert.equal(await outcome(aliceOnB.send(new ListGroupsCommand({}))), 'ok')

      await iam(nodeA, ROOT).send(
        new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }),
      )
      await enforcedWithin(t, 'SetDefaultPolicyVersion', performance.now(), listOnB, 'ok')
      assert.equal(await outcome(aliceOnB.send(new ListGroupsCommand({}))), 'AccessDenied 403')
    })

    it('denies on node B once node A detached the policy', async (t) => {
      await iam(nodeA, ROOT).send(
        new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: policyArn }),
      )
      await enforcedWithin(t, 'DetachUserPolicy', performance.now(), listOnB, 'AccessDenied 403')
    })

    it('follows on node B an inline policy put and deleted on node A', async (t) => {
      await iam(nodeA, ROOT).send(
        new PutUserPolicyCommand({
          UserName: 'alice',
          PolicyName: 'Inline',
          PolicyDocument: allow('iam:ListUsers'),
        }),
      )
      await enforcedWithin(t, 'PutUserPolicy', performance.now(), listOnB, 'ok')
      await iam(nodeA, ROOT).send(
        new PutUserPolicyCommand({
          UserName: 'alice',
          PolicyName: 'Inline',
          PolicyDocument: allow('iam:GetUser'),
        }),
      )
      await enforcedWithin(
        t,
        'PutUserPolicy (edited)',
        performance.now(),
        listOnB,
        'AccessDenied 403',
      )
      await iam(nodeA, ROOT).send(
        new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'Inline' }),
      )
      await enforcedWithin(
        t,
        'DeleteUserPolicy',
        performance.now(),
        () => outcome(aliceOnB.send(new GetUserCommand({}))),
        'AccessDenied 403',
      )
    })

    it("follows on node B alice's membership of a group, changed on node A", async (t) => {
      await iam(nodeA, ROOT).send(
        new AddUserToGroupCommand({ UserName: 'alice', GroupName: 'readers' }),
      )
      await enforcedWithin(t, 'AddUserToGroup', performance.now(), listOnB, 'ok')
      await iam(nodeA, ROOT).send(
        new RemoveUserFromGroupCommand({ UserName: 'alice', GroupName: 'readers' }),
      )
      await enforcedWithin(t, 'RemoveUserFromGroup', performance.now(), listOnB, 'AccessDenied 403')
    })

    it('refuses on node B a key deactivated on node A (and the reverse way round)', async (t) => {
      await iam(nodeA, ROOT).send(
        new UpdateAccessKeyCommand({
          UserName: 'alice',
          AccessKeyId: alice.accessKeyId,
          Status: 'Inactive',
        }),
      )
      await enforcedWithin(
        t,
        'UpdateAccessKey Inactive',
        performance.now(),
        listOnB,
        'InvalidClientTokenId 403',
      )
      // Node A's own cache learns of node B's writes the same way.
      const aliceOnA = iam(nodeA, alice)
      assert.equal(
        await outcome(aliceOnA.send(new ListUsersCommand({}))),
        'InvalidClientTokenId 403',
      )
      await iam(nodeB, ROOT).send(
        new UpdateAccessKeyCommand({
          UserName: 'alice',
          AccessKeyId: alice.accessKeyId,
          Status: 'Active',
        }),
      )
      await enforcedWithin(
        t,
        'UpdateAccessKey Active (B to A)',
        performance.now(),
        () => outcome(aliceOnA.send(new ListUsersCommand({}))),
        'AccessDenied 403',
      )
    })
  })

  describe('quotas and names hold when both nodes race', () => {
    let rootA: IAMClient
    let rootB: IAMClient

    before(() => {
      rootA = iam(nodeA, ROOT)
      rootB = iam(nodeB, ROOT)
    })

    it('lets only one of two CreateAccessKey calls past the second key', async () => {
      for (let round = 0; round < 3; round++) {
        const UserName = `keys${String(round)}`
        await rootA.send(new CreateUserCommand({ UserName }))
        await rootB.send(new CreateAccessKeyCommand({ UserName }))
        const outcomes = await race(
          rootA.send(new CreateAccessKeyCommand({ UserName })),
          rootB.send(new CreateAccessKeyCommand({ UserName })),
        )
        assertOneWins(outcomes, 'LimitExceededException 409')
        for (const root of [rootA, rootB]) {
          const keys = await root.send(new ListAccessKeysCommand({ UserName }))
          assert.equal(keys.AccessKeyMetadata?.length, 2)
        }
      }
    })

    it('lets only one of two CreatePolicyVersion calls past the fifth version', async () => {
      const created = await rootA.send(
        new CreatePolicyCommand({ PolicyName: 'Versioned', PolicyDocument: allow('iam:GetUser') }),
      )
      const PolicyArn = created.Policy?.Arn ?? ''
      for (const root of [rootB, rootA, rootB]) {
        await root.send(
          new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: allow('iam:GetRole') }),
        )
      }
      const outcomes = await race(
        rootA.send(
          new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: allow('iam:ListRoles') }),
        ),
        rootB.send(
          new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: allow('iam:ListGroups') }),
        ),
      )
      assertOneWins(outcomes, 'LimitExceededException 409')
      for (const root of [rootA, rootB]) {
        const versions = await root.send(new ListPolicyVersionsCommand({ PolicyArn }))
        assert.deepEqual(versions.Versions?.map((v) => v.VersionId).sort(), [
          'v1',
          'v2',
          'v3',
          'v4',
          'v5',
        ])
      }
    })

    it('keeps every attachment made at once on both nodes, and no more than ten', async () => {
      const arns = await Promise.all(
        Array.from({ length: 11 }, (_, i) =>
          (i % 2 === 0 ? rootA : rootB)
            .send(
              new CreatePolicyCommand({
                PolicyName: `Attachable${String(i + 1)}`,
                PolicyDocument: allow('iam:GetUser'),
              }),
            )
            .then((created) => created.Policy?.Arn ?? ''),
        ),
      )
      await rootA.send(
        new CreateRoleCommand({ RoleName: 'attached', AssumeRolePolicyDocument: TRUST_EC2 }),
      )
      await rootB.send(new CreateUserCommand({ UserName: 'attached' }))

      // Nine attachments to each at once, spread over both nodes: none may be lost.
      await Promise.all(
        arns.slice(0, 9).flatMap((PolicyArn, i) => {
          const root = i % 2 === 0 ? rootA : rootB
          const other = i % 2 === 0 ? rootB : rootA
          return [
            root.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn })),
            other.send(new AttachUserPolicyCommand({ UserName: 'attached', PolicyArn })),
          ]
        }),
      )
      const listRole = async (root: IAMClient) =>
        (await root.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached' })))
          .AttachedPolicies?.length
      const listUser = async (root: IAMClient) =>
        (await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'attached' })))
          .AttachedPolicies?.length
      assert.deepEqual(await Promise.all([listRole(rootA), listRole(rootB)]), [9, 9])
      assert.deepEqual(await Promise.all([listUser(rootA), listUser(rootB)]), [9, 9])

      const tenth = arns[9] ?? ''
      const eleventh = arns[10] ?? ''
      assertOneWins(
        await race(
          rootA.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: tenth })),
          rootB.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: eleventh })),
        ),
        'LimitExceededException 409',
      )
      assertOneWins(
        await race(
          rootA.send(new AttachUserPolicyCommand({ UserName: 'attached', PolicyArn: tenth })),
          rootB.send(new AttachUserPolicyCommand({ UserName: 'attached', PolicyArn: eleventh })),
        ),
        'LimitExceededException 409',
      )
      assert.deepEqual(await Promise.all([listRole(rootA), listRole(rootB)]), [10, 10])
      assert.deepEqual(await Promise.all([listUser(rootA), listUser(rootB)]), [10, 10])
    })

    it('keeps inline policies, tags and attachments written at once on both nodes', async () => {
      await rootA.send(new CreateUserCommand({ UserName: 'busy' }))
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => {
          const root = i % 2 === 0 ? rootA : rootB
          return Promise.all([
            root.send(
              new PutUserPolicyCommand({
                UserName: 'busy',
                PolicyName: `Inline${String(i)}`,
                PolicyDocument: allow('iam:GetUser'),
              }),
            ),
            root.send(
              new TagUserCommand({
                UserName: 'busy',
                Tags: [{ Key: `tag${String(i)}`, Value: String(i) }],
              }),
            ),
          ])
        }),
      )
      const names = await rootB.send(new ListUserPoliciesCommand({ UserName: 'busy' }))
      assert.deepEqual(
        names.PolicyNames?.slice().sort(),
        [0, 1, 2, 3, 4, 5].map((i) => `Inline${String(i)}`),
      )
      const tags = await rootA.send(new ListUserTagsCommand({ UserName: 'busy' }))
      assert.deepEqual(
        tags.Tags?.map((tag) => tag.Key).sort(),
        [0, 1, 2, 3, 4, 5].map((i) => `tag${String(i)}`),
      )

      // The same change from both nodes at once: made once, and undone once.
      const shared = await rootB.send(
        new CreatePolicyCommand({ PolicyName: 'Shared', PolicyDocument: allow('iam:GetUser') }),
      )
      const PolicyArn = shared.Policy?.Arn ?? ''
      assert.deepEqual(
        await race(
          rootA.send(new AttachUserPolicyCommand({ UserName: 'busy', PolicyArn })),
          rootB.send(new AttachUserPolicyCommand({ UserName: 'busy', PolicyArn })),
        ),
        ['ok', 'ok'],
      )
      const attached = await rootA.send(new ListAttachedUserPoliciesCommand({ UserName: 'busy' }))
      assert.deepEqual(
        attached.AttachedPolicies?.map((policy) => policy.PolicyArn),
        [PolicyArn],
      )
      assertOneWins(
        await race(
          rootA.send(new DeleteUserPolicyCommand({ UserName: 'busy', PolicyName: 'Inline0' })),
          rootB.send(new DeleteUserPolicyCommand({ UserName: 'busy', PolicyName: 'Inline0' })),
        ),
        'NoSuchEntityException 404',
      )
    })

    it('lets only one of two names that differ in case be created', async () => {
      for (const [onA, onB] of [
        ['Bob', 'BOB'],
        ['carol', 'Carol'],
        ['DAVE', 'dave'],
      ] as const) {
        assertOneWins(
          await race(
            rootA.send(new CreateUserCommand({ UserName: onA })),
            rootB.send(new CreateUserCommand({ UserName: onB })),
          ),
          'EntityAlreadyExistsException 409',
        )
        const users = await rootA.send(new ListUsersCommand({}))
        const same = (users.Users ?? []).filter(
          (u) => u.UserName?.toLowerCase() === onA.toLowerCase(),
        )
        assert.equal(same.length, 1, `${onA} / ${onB}`)
      }
      assertOneWins(
        await race(
          rootA.send(
            new CreateRoleCommand({ RoleName: 'Deployer', AssumeRolePolicyDocument: TRUST_EC2 }),
          ),
          rootB.send(
            new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST_EC2 }),
          ),
        ),
        'EntityAlreadyExistsException 409',
      )
      const roles = await rootB.send(new ListRolesCommand({}))
      assert.equal(
        (roles.Roles ?? []).filter((r) => r.RoleName?.toLowerCase() === 'deployer').length,
        1,
      )
    })
  })

  it('stops both nodes on SIGTERM, cleanly', async () => {
    assert.deepEqual(await Promise.all([nodeA.stop(), nodeB.stop()]), [0, 0])
    for (const node of [nodeA, nodeB]) assert.match(node.stderr(), /Gatehouse stopped/)
  })
})
