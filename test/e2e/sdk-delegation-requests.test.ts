/**
 * Temporary delegation end to end against `gatehouse serve` on 127.0.0.1: a partner's account
 * (added beside the server's own, in its SQLite file) makes a delegation request with the real AWS
 * SDK for JavaScript v3 (@aws-sdk/client-iam); the customer's role session associates, forwards,
 * accepts and reads it, and the AWS CLI (`aws iam send-delegation-token ...`) releases its token;
 * the partner receives the token from Gatehouse's own API (signed with @smithy/signature-v4, as
 * `gatehouse workload` signs) and trades it with the SDK's STS client
 * (GetDelegatedAccessTokenCommand) and with `aws sts get-delegated-access-token`, then calls IAM
 * with the credentials, within the request's policy and not beyond it. The modeled exceptions, the
 * paginator and GetHumanReadableSummary are checked with the SDK, the CLI's reads and rejection
 * with the CLI, which is skipped, with the reason, where it is not installed.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash, createHmac } from 'node:crypto'
import type { Hash, Hmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  AcceptDelegationRequestCommand,
  AssociateDelegationRequestCommand,
  CreateDelegationRequestCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetDelegationRequestCommand,
  GetHumanReadableSummaryCommand,
  GetRoleCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  SendDelegationTokenCommand,
  UpdateDelegationRequestCommand,
  ListDelegationRequestsCommand,
} from '@aws-sdk/client-iam'
import type { CreateDelegationRequestCommandInput, IAMClient } from '@aws-sdk/client-iam'
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetDelegatedAccessTokenCommand,
} from '@aws-sdk/client-sts'
import type { STSClient } from '@aws-sdk/client-sts'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Checksum, SourceData } from '@smithy/types'
import { MasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { NO_AWS_CLI, awsCliEnv } from '../support/aws-cli.js'
import { TEMPLATE, renderedFor } from '../support/delegation-requests.js'
import { createUserKey, iamClient, sessionKeyOf, stsClient } from '../support/sdk-clients.js'
import type { SdkKey } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

const PARTNER = '210987654321'
const PARTNER_ROOT: SdkKey = {
  accessKeyId: 'AKIAPARTNERROOT00001',
  secretAccessKey: 'partnerRootSecretExample0000000000000000',
}
const TOPIC = `arn:aws:sns:us-east-1:${PARTNER}:delegations`
const TEMPLATE_ARN = `arn:aws:iam::${PARTNER}:policy/RoleReader`

/** SHA-256 for the SigV4 signer (the SDK's own is not a dependency here). */
class Sha256 implements Checksum {
  #hash: Hash | Hmac

  constructor(private readonly secret?: SourceData) {
    this.#hash = this.#fresh()
  }

  #fresh(): Hash | Hmac {
    return this.secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', Buffer.from(this.secret as Uint8Array))
  }

  update(data: Uint8Array): void {
    this.#hash.update(data)
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()))
  }

  reset(): void {
    this.#hash = this.#fresh()
  }
}

describe('temporary delegation: the AWS SDK for JavaScript v3 and the AWS CLI against gatehouse serve', () => {
  let server: ServerProcess
  let customerRoot: SdkKey
  let customer: string
  let partnerIam: IAMClient
  let partnerSts: STSClient
  let approverIam: IAMClient
  let approverArn: string
  let approverKey: SdkKey
  let workflows = 0

  const iam = (credentials: SdkKey) => iamClient(server, credentials)

  const requestInput = (extra: Partial<CreateDelegationRequestCommandInput> = {}) => ({
    OwnerAccountId: customer,
    Description: 'Read the pipeline roles',
    Permissions: {
      PolicyTemplateArn: TEMPLATE_ARN,
      Parameters: [
        { Name: 'account', Values: [customer], Type: 'string' as const },
        { Name: 'roles', Values: ['Pipeline*', 'Approver'], Type: 'stringList' as const },
      ],
    },
    RequestorWorkflowId: `e2e-workflow-${++workflows}`,
    NotificationChannel: TOPIC,
    SessionDuration: 3600,
    ...extra,
  })

  /** Runs `aws ...` with a key; its parsed JSON output, or the failure's stderr. */
  function cli(
    key: SdkKey,
    args: readonly string[],
  ): { status: number; json: unknown; stderr: string } {
    const run = spawnSync('aws', [...args, '--endpoint-url', server.url, '--output', 'json'], {
      encoding: 'utf8',
      env: {
        ...awsCliEnv(key),
        ...(key.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: key.sessionToken }),
      },
    })
    return {
      status: run.status ?? -1,
      json: run.status === 0 && run.stdout.trim() !== '' ? JSON.parse(run.stdout) : undefined,
      stderr: run.stderr,
    }
  }

  /** Gatehouse's ReceiveDelegationNotifications, signed as the partner's root user. */
  async function receive(): Promise<
    { State: string; DelegationRequestId: string; ExchangeToken?: string }[]
  > {
    const url = new URL('/gatehouse/v1/ReceiveDelegationNotifications', server.url)
    const body = JSON.stringify({ TopicArn: TOPIC })
    const signer = new SignatureV4({
      credentials: PARTNER_ROOT,
      region: 'us-east-1',
      service: 'gatehouse',
      sha256: Sha256,
    })
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    })
    const headers = Object.fromEntries(
      Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'),
    )
    const response = await fetch(url, { method: 'POST', headers, body })
    const json = (await response.json()) as { Messages?: { Message: string }[] }
    assert.equal(response.status, 200, JSON.stringify(json))
    return (json.Messages ?? []).map(
      (m) =>
        JSON.parse(m.Message) as {
          State: string
          DelegationRequestId: string
          ExchangeToken?: string
        },
    )
  }

  before(async () => {
    server = await startServerProcess()
    customerRoot = printedRootKey(server.stdout())
    customer = server.accountId
    // The partner's account, written into the server's own SQLite file beside the running server,
    // as any second SQLite client could: Gatehouse has no API that makes an account.
    const store = openSqliteStore({
      filename: join(server.dataDir, 'gatehouse.db'),
      masterKey: MasterKey.fromText(readFileSync(join(server.dataDir, 'master.key'), 'utf8')),
    })
    try {
      await store.transaction(async (tx) => {
        await tx.createAccount({ accountId: PARTNER })
        await tx.createAccessKey({ accountId: PARTNER, userName: null, ...PARTNER_ROOT })
      })
    } finally {
      await store.close()
    }
    partnerIam = iam(PARTNER_ROOT)
    partnerSts = stsClient(server, PARTNER_ROOT)
    await partnerIam.send(
      new CreatePolicyCommand({
        PolicyName: 'RoleReader',
        PolicyDocument: TEMPLATE,
      }),
    )
    // The customer's approver: a role session, as a console user's is.
    const rootIam = iam(customerRoot)
    await rootIam.send(
      new CreateRoleCommand({
        RoleName: 'Approver',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${customer}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    )
    await rootIam.send(
      new PutRolePolicyCommand({
        RoleName: 'Approver',
        PolicyName: 'approve',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'iam:*DelegationRequest',
                'iam:ListDelegationRequests',
                'iam:SendDelegationToken',
                'iam:GetHumanReadableSummary',
                'iam:GetRole',
                'iam:ListRolePolicies',
              ],
              Resource: '*',
            },
          ],
        }),
      }),
    )
    // The root user cannot assume roles: a user of the account does.
    const aliceSts = stsClient(
      server,
      await createUserKey(
        rootIam,
        'alice',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
        }),
        'assume',
      ),
    )
    rootIam.destroy()
    const assumed = await aliceSts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${customer}:role/Approver`,
        RoleSessionName: 'alice',
      }),
    )
    aliceSts.destroy()
    approverArn = `arn:aws:sts::${customer}:assumed-role/Approver/alice`
    approverKey = sessionKeyOf(assumed.Credentials ?? {})
    approverIam = iam(approverKey)
  })
  after(async () => {
    partnerIam.destroy()
    partnerSts.destroy()
    approverIam.destroy()
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('takes a request from creation to credentials, the SDK and the CLI together', async (t) => {
    const created = await partnerIam.send(
      new CreateDelegationRequestCommand(requestInput({ OnlySendByOwner: true })),
    )
    const requestId = created.DelegationRequestId ?? ''
    assert.match(requestId, /^[0-9a-f-]{36}$/)
    assert.equal(created.ConsoleDeepLink, undefined)

    await approverIam.send(
      new AssociateDelegationRequestCommand({ DelegationRequestId: requestId }),
    )
    await approverIam.send(
      new UpdateDelegationRequestCommand({
        DelegationRequestId: requestId,
        Notes: 'For the admins',
      }),
    )
    await approverIam.send(new AcceptDelegationRequestCommand({ DelegationRequestId: requestId }))
    const got = await approverIam.send(
      new GetDelegationRequestCommand({ DelegationRequestId: requestId }),
    )
    const request = got.DelegationRequest
    assert.equal(request?.State, 'ACCEPTED')
    assert.equal(request?.OwnerId, approverArn)
    assert.equal(request?.ApproverId, approverArn)
    assert.equal(request?.RequestorId, PARTNER)
    assert.equal(request?.OwnerAccountId, customer)
    assert.equal(request?.Notes, 'For the admins')
    assert.equal(request?.SessionDuration, 3600)
    assert.equal(request?.OnlySendByOwner, true)
    assert.ok(request?.ExpirationTime instanceof Date)
    assert.ok(request.CreateDate instanceof Date)
    assert.deepEqual(request.Permissions, {
      PolicyTemplateArn: TEMPLATE_ARN,
      Parameters: [
        { Name: 'account', Values: [customer], Type: 'string' },
        { Name: 'roles', Values: ['Pipeline*', 'Approver'], Type: 'stringList' },
      ],
    })
    assert.deepEqual(JSON.parse(request.PermissionPolicy ?? ''), JSON.parse(renderedFor(customer)))

    const summary = await approverIam.send(
      new GetHumanReadableSummaryCommand({
        EntityArn: `arn:aws:iam::${customer}:delegation-request/${requestId}`,
      }),
    )
    assert.equal(summary.SummaryState, 'AVAILABLE')
    assert.equal(summary.Locale, 'en-US')
    assert.match(summary.SummaryContent ?? '', /^Account 210987654321 asks for temporary access/)

    if (NO_AWS_CLI !== false) {
      t.diagnostic(`the AWS CLI part is skipped: ${NO_AWS_CLI}`)
      await approverIam.send(new SendDelegationTokenCommand({ DelegationRequestId: requestId }))
    } else {
      const sent = cli(approverKey, [
        'iam',
        'send-delegation-token',
        '--delegation-request-id',
        requestId,
      ])
      assert.equal(sent.status, 0, sent.stderr)
      const read = cli(approverKey, [
        'iam',
        'get-delegation-request',
        '--delegation-request-id',
        requestId,
      ])
      assert.equal(read.status, 0, read.stderr)
      assert.equal(
        (read.json as { DelegationRequest: { State: string } }).DelegationRequest.State,
        'FINALIZED',
      )
    }

    const notes = await receive()
    assert.deepEqual(
      notes.map((n) => n.State),
      ['ASSIGNED', 'PENDING_APPROVAL', 'ACCEPTED', 'FINALIZED'],
    )
    const token = notes[3]?.ExchangeToken ?? ''
    assert.match(token, /^gdt1\./)

    const traded = await partnerSts.send(
      new GetDelegatedAccessTokenCommand({ TradeInToken: token }),
    )
    assert.equal(traded.AssumedPrincipal, approverArn)
    assert.equal(traded.PackedPolicySize, undefined)
    assert.ok(traded.Credentials?.Expiration instanceof Date)
    const delegated = sessionKeyOf(traded.Credentials)
    const delegatedSts = stsClient(server, delegated)
    const who = await delegatedSts.send(new GetCallerIdentityCommand({}))
    delegatedSts.destroy()
    assert.equal(who.Arn, approverArn)
    const delegatedIam = iam(delegated)
    const role = await delegatedIam.send(new GetRoleCommand({ RoleName: 'Approver' }))
    assert.equal(role.Role?.RoleName, 'Approver')
    // The request allows it; the approver could not.
    const refused = await failure(delegatedIam.send(new ListUsersCommand({})))
    assert.equal(refused.name, 'AccessDenied')
    delegatedIam.destroy()

    if (NO_AWS_CLI === false) {
      const again = cli(PARTNER_ROOT, [
        'sts',
        'get-delegated-access-token',
        '--trade-in-token',
        token,
      ])
      assert.equal(again.status, 0, again.stderr)
      const output = again.json as {
        AssumedPrincipal: string
        Credentials: { AccessKeyId: string }
      }
      assert.equal(output.AssumedPrincipal, approverArn)
      assert.match(output.Credentials.AccessKeyId, /^ASIA/)
      const bad = cli(PARTNER_ROOT, [
        'sts',
        'get-delegated-access-token',
        '--trade-in-token',
        'nope',
      ])
      assert.notEqual(bad.status, 0)
      assert.match(bad.stderr, /ValidationError.*Invalid trade-in token/)
    }
  })

  it("answers with the SDK's modeled exceptions", async () => {
    const input = requestInput()
    const requestId =
      (await partnerIam.send(new CreateDelegationRequestCommand(input))).DelegationRequestId ?? ''
    const duplicate = await failure(partnerIam.send(new CreateDelegationRequestCommand(input)))
    assert.deepEqual([duplicate.name, duplicate.status], ['EntityAlreadyExistsException', 409])
    const badChannel = await failure(
      partnerIam.send(
        new CreateDelegationRequestCommand(requestInput({ NotificationChannel: 'topic' })),
      ),
    )
    assert.deepEqual([badChannel.name, badChannel.status], ['InvalidInputException', 400])
    const early = await failure(
      approverIam.send(new AcceptDelegationRequestCommand({ DelegationRequestId: requestId })),
    )
    assert.deepEqual([early.name, early.status], ['ConcurrentModificationException', 409])
    const missing = await failure(
      approverIam.send(
        new GetDelegationRequestCommand({
          DelegationRequestId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    )
    assert.deepEqual([missing.name, missing.status], ['NoSuchEntityException', 404])
    const invalid = await failure(
      partnerSts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: 'nope' })),
    )
    assert.equal(invalid.name, 'ValidationError')
    assert.equal(invalid.message, 'Invalid trade-in token')
  })

  it("lists the partner's requests page by page, following the SDK's Marker", async () => {
    for (let i = 0; i < 3; i++)
      await partnerIam.send(new CreateDelegationRequestCommand(requestInput()))
    const ids: string[] = []
    let marker: string | undefined
    let pages = 0
    do {
      const page = await partnerIam.send(
        new ListDelegationRequestsCommand({
          MaxItems: 2,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      )
      pages++
      for (const r of page.DelegationRequests ?? []) ids.push(r.DelegationRequestId ?? '')
      assert.equal(page.isTruncated, page.Marker !== undefined)
      marker = page.Marker
    } while (marker !== undefined)
    assert.ok(ids.length >= 3)
    assert.equal(new Set(ids).size, ids.length)
    assert.equal(pages, Math.ceil(ids.length / 2))
  })

  it('reads, lists and rejects with the AWS CLI', { skip: NO_AWS_CLI }, () => {
    const made = cli(PARTNER_ROOT, [
      'iam',
      'create-delegation-request',
      '--owner-account-id',
      customer,
      '--description',
      'From the CLI',
      '--permissions',
      JSON.stringify({
        PolicyTemplateArn: TEMPLATE_ARN,
        Parameters: [
          { Name: 'account', Values: [customer], Type: 'string' },
          { Name: 'roles', Values: ['Pipeline*'], Type: 'stringList' },
        ],
      }),
      '--requestor-workflow-id',
      'cli-workflow-1',
      '--notification-channel',
      TOPIC,
      '--session-duration',
      '900',
    ])
    assert.equal(made.status, 0, made.stderr)
    const requestId = (made.json as { DelegationRequestId: string }).DelegationRequestId
    assert.equal(
      cli(approverKey, [
        'iam',
        'associate-delegation-request',
        '--delegation-request-id',
        requestId,
      ]).status,
      0,
    )
    const listed = cli(approverKey, ['iam', 'list-delegation-requests', '--owner-id', approverArn])
    assert.equal(listed.status, 0, listed.stderr)
    assert.ok(
      (
        listed.json as { DelegationRequests: { DelegationRequestId: string }[] }
      ).DelegationRequests.some((r) => r.DelegationRequestId === requestId),
    )
    const rejected = cli(approverKey, [
      'iam',
      'reject-delegation-request',
      '--delegation-request-id',
      requestId,
      '--notes',
      'Not today',
    ])
    assert.equal(rejected.status, 0, rejected.stderr)
    const read = cli(PARTNER_ROOT, [
      'iam',
      'get-delegation-request',
      '--delegation-request-id',
      requestId,
    ])
    const request = (read.json as { DelegationRequest: Record<string, unknown> }).DelegationRequest
    assert.equal(request['State'], 'REJECTED')
    assert.equal(request['RejectionReason'], 'Not today')
    const summary = cli(PARTNER_ROOT, [
      'iam',
      'get-human-readable-summary',
      '--entity-arn',
      `arn:aws:iam::${PARTNER}:delegation-request/${requestId}`,
      '--locale',
      'ja-JP',
    ])
    assert.equal(summary.status, 0, summary.stderr)
    assert.deepEqual(summary.json, { Locale: 'ja-JP', SummaryState: 'NOT_SUPPORTED' })
    const conflict = cli(approverKey, [
      'iam',
      'accept-delegation-request',
      '--delegation-request-id',
      requestId,
    ])
    assert.notEqual(conflict.status, 0)
    assert.match(conflict.stderr, /ConcurrentModification/)
  })
})
