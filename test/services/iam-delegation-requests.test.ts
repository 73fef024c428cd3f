/**
 * IAM's delegation requests in process: CreateDelegationRequest (every member's validation, the
 * template rendered with its parameters, the workflow id's uniqueness, the condition keys it is
 * authorized with), GetDelegationRequest and ListDelegationRequests (who sees what), the customer's
 * decisions through the lifecycle (Associate, Update, Accept, Reject, SendDelegationToken) with
 * their wrong-state refusals and expiry, the partner's notifications (Gatehouse's
 * ReceiveDelegationNotifications), GetHumanReadableSummary, and that no exchange token reaches the
 * audit trail.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import {
  CUSTOMER,
  PARAMETERS,
  PARTNER,
  PARTNER_ROOT,
  RENDERED,
  ROOT_KEY,
  STRANGER,
  STRANGER_ROOT,
  TEMPLATE_ARN,
  TOPIC,
  allow,
  failed,
  ok,
  parameterParams,
  startDelegation,
  xmlAll,
  xmlText,
} from '../support/delegation-requests.js'
import type { Delegation, SigningKey } from '../support/delegation-requests.js'
import { textOf } from '../errors/strict-xml.js'
import { OPEN_DELEGATION_REQUESTS_PER_ACCOUNT } from '../../src/store/delegation-requests-ops.js'

const DAY = 86_400
const DECISIONS = [
  'iam:GetDelegationRequest',
  'iam:ListDelegationRequests',
  'iam:AssociateDelegationRequest',
  'iam:UpdateDelegationRequest',
  'iam:AcceptDelegationRequest',
  'iam:RejectDelegationRequest',
  'iam:SendDelegationToken',
  'iam:GetHumanReadableSummary',
]

const id = (requestId: string) => ({ DelegationRequestId: requestId })
const arnOf = (account: string, requestId: string) =>
  `arn:aws:iam::${account}:delegation-request/${requestId}`

function denied(caller: string, action: string, resource: string): RegExp {
  return new RegExp(
    `^User: ${caller.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not authorized to perform: ${action} on resource: ${resource.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
  )
}

describe('IAM delegation requests', () => {
  let d: Delegation
  let approver: SigningKey & { arn: string }

  before(async () => {
    d = await startDelegation()
    approver = await d.roleSession('Approver', allow([...DECISIONS, 'iam:GetRole']))
  })
  after(() => d.close())

  describe('CreateDelegationRequest', () => {
    it('makes an UNASSIGNED request of the rendered template that the partner and the customer read', async () => {
      const requestId = await d.create({
        RequestMessage: 'As discussed on the phone',
        RedirectUrl: 'https://partner.example/setup?step=2#done',
        OnlySendByOwner: 'true',
        SessionDuration: '7200',
      })
      assert.match(
        requestId,
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      )
      const now = d.g.now()
      const expected = {
        DelegationRequestId: requestId,
        OwnerAccountId: CUSTOMER,
        Description: 'Read the roles of the data pipeline',
        RequestMessage: 'As discussed on the phone',
        Permissions: 'structure',
        PermissionPolicy: RENDERED,
        State: 'UNASSIGNED',
        ExpirationTime: new Date(now.getTime() + DAY * 1000).toISOString().replace('.000', ''),
        RequestorId: PARTNER,
        CreateDate: now.toISOString().replace('.000', ''),
        SessionDuration: '7200',
        RedirectUrl: 'https://partner.example/setup?step=2#done',
        OnlySendByOwner: 'true',
        UpdatedTime: now.toISOString().replace('.000', ''),
      }
      assert.deepEqual(await d.describe(requestId, PARTNER_ROOT), expected)
      assert.deepEqual(await d.describe(requestId, ROOT_KEY), expected)
      const got = ok(await d.iam('GetDelegationRequest', id(requestId), PARTNER_ROOT))
      const at = 'GetDelegationRequestResult/DelegationRequest/Permissions'
      assert.equal(xmlText(got.xml, `${at}/PolicyTemplateArn`), TEMPLATE_ARN)
      assert.deepEqual(
        xmlAll(got.xml, `${at}/Parameters/member`).map((p) => [
          xmlText(p, 'Name'),
          xmlAll(p, 'Values/member').map(textOf),
          xmlText(p, 'Type'),
        ]),
        [
          ['account', [CUSTOMER], 'string'],
          ['roles', ['Pipeline*', 'Approver'], 'stringList'],
        ],
      )
      // No permission check is run, so neither of its members is sent.
      const checked = ok(
        await d.iam(
          'GetDelegationRequest',
          { ...id(requestId), DelegationPermissionCheck: 'true' },
          PARTNER_ROOT,
        ),
      )
      assert.equal(
        xmlText(checked.xml, 'GetDelegationRequestResult/PermissionCheckStatus'),
        undefined,
      )
    })

    it('answers with the request id alone: no console deep link', async () => {
      const a = ok(await d.iam('CreateDelegationRequest', d.createParams(), PARTNER_ROOT))
      const result = xmlAll(a.xml, 'CreateDelegationRequestResult')[0]
      assert.deepEqual(
        result?.children.flatMap((c) => (typeof c === 'string' ? [] : [c.name])),
        ['DelegationRequestId'],
      )
    })

    it('checks every member against the model', async () => {
      const cases: [Record<string, string>, string][] = [
        [
          { SessionDuration: '299' },
          "1 validation error detected: Value '299' at 'sessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 300",
        ],
        [
          { SessionDuration: '43201' },
          "1 validation error detected: Value '43201' at 'sessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
        ],
        [
          { OwnerAccountId: '12345' },
          "1 validation error detected: Value '12345' at 'ownerAccountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}",
        ],
        [
          { RequestorWorkflowId: 'abcd' },
          "1 validation error detected: Value 'abcd' at 'requestorWorkflowId' failed to satisfy constraint: Member must have length greater than or equal to 5",
        ],
        [
          { RequestMessage: 'm'.repeat(201) },
          `1 validation error detected: Value '${'m'.repeat(201)}' at 'requestMessage' failed to satisfy constraint: Member must have length less than or equal to 200`,
        ],
        [
          { NotificationChannel: 'https://x' },
          "1 validation error detected: Value 'https://x' at 'notificationChannel' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:_.-]+$",
        ],
        [
          { 'Permissions.Parameters.member.1.Type': 'String' },
          "1 validation error detected: Value 'String' at 'permissions.parameters.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList]",
        ],
        [
          { 'Permissions.Parameters.member.1.Name': 'abc' },
          "1 validation error detected: Value 'abc' at 'permissions.parameters.1.member.name' failed to satisfy constraint: Member must have length greater than or equal to 5",
        ],
      ]
      for (const [params, message] of cases) {
        failed(
          await d.iam('CreateDelegationRequest', d.createParams(params), PARTNER_ROOT),
          400,
          'ValidationError',
          message,
        )
      }
      const missing = d.createParams()
      delete missing['Description']
      failed(
        await d.iam('CreateDelegationRequest', missing, PARTNER_ROOT),
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null",
      )
      failed(
        await d.iam(
          'CreateDelegationRequest',
          d.createParams({ RedirectUrl: 'ftp://x' }),
          PARTNER_ROOT,
        ),
        400,
        'ValidationError',
        /at 'redirectUrl' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      )
      const many: Record<string, string> = {}
      for (let i = 1; i <= 51; i++) {
        many[`Permissions.Parameters.member.${i}.Name`] = `param${i}`
        many[`Permissions.Parameters.member.${i}.Values.member.1`] = 'v'
      }
      failed(
        await d.iam('CreateDelegationRequest', d.createParams(many), PARTNER_ROOT),
        400,
        'ValidationError',
        /at 'permissions.parameters' failed to satisfy constraint: Member must have length less than or equal to 50/,
      )
    })

    it("takes only an SNS topic of the partner's own account as its notification channel", async () => {
      failed(
        await d.iam(
          'CreateDelegationRequest',
          d.createParams({ NotificationChannel: 'my-topic' }),
          PARTNER_ROOT,
        ),
        400,
        'InvalidInput',
        'NotificationChannel my-topic is not the ARN of an SNS topic.',
      )
      const foreign = `arn:aws:sns:us-east-1:${CUSTOMER}:delegations`
      failed(
        await d.iam(
          'CreateDelegationRequest',
          d.createParams({ NotificationChannel: foreign }),
          PARTNER_ROOT,
        ),
        400,
        'InvalidInput',
        `NotificationChannel ${foreign} is not a topic of account ${PARTNER}.`,
      )
    })

    it('renders the template only with parameters that fit it', async () => {
      const only = (parameters: Parameters<typeof parameterParams>[0]) => {
        const params = d.createParams()
        for (const key of Object.keys(params)) {
          if (key.startsWith('Permissions.Parameters')) delete params[key]
        }
        return { ...params, ...parameterParams(parameters) }
      }
      const cases: [Record<string, string>, string, number, string][] = [
        [
          only([PARAMETERS[1]]),
          'The policy template uses the parameter account, which the request does not give.',
          400,
          'InvalidInput',
        ],
        [
          only([...PARAMETERS, { name: 'unused', values: ['x'] }]),
          `The policy template ${TEMPLATE_ARN} has no parameter unused.`,
          400,
          'InvalidInput',
        ],
        [
          only([{ name: 'account', values: ['1', '2'], type: 'string' }, PARAMETERS[1]]),
          'The parameter account is of type string: it takes exactly one value.',
          400,
          'InvalidInput',
        ],
        [
          only([PARAMETERS[0], PARAMETERS[0], PARAMETERS[1]]),
          'The parameter account is given more than once.',
          400,
          'InvalidInput',
        ],
        [
          only([
            PARAMETERS[0],
            { name: 'roles', values: ['x'.repeat(200)], type: 'stringList' },
            ...[],
          ]),
          '',
          200,
          '',
        ],
        [
          only([
            PARAMETERS[0],
            {
              name: 'roles',
              values: Array.from({ length: 60 }, (_, i) => `Role${i}`),
              type: 'stringList',
            },
          ]),
          'Cannot exceed quota for PolicySize: 2048',
          409,
          'LimitExceeded',
        ],
        [
          {
            ...d.createParams(),
            'Permissions.PolicyTemplateArn': `arn:aws:iam::${PARTNER}:policy/Missing`,
          },
          `The policy template arn:aws:iam::${PARTNER}:policy/Missing does not exist.`,
          400,
          'InvalidInput',
        ],
        [
          {
            ...d.createParams(),
            'Permissions.PolicyTemplateArn': `arn:aws:iam::${CUSTOMER}:policy/Theirs`,
          },
          `PolicyTemplateArn arn:aws:iam::${CUSTOMER}:policy/Theirs is not the ARN of a customer managed policy of account ${PARTNER}.`,
          400,
          'InvalidInput',
        ],
      ]
      for (const [params, message, status, code] of cases) {
        const a = await d.iam('CreateDelegationRequest', params, PARTNER_ROOT)
        if (status === 200) ok(a)
        else failed(a, status, code, message)
      }
      // A stringList's values multiplied into more than the policy can hold stop the rendering.
      const started = Date.now()
      failed(
        await d.iam(
          'CreateDelegationRequest',
          only([
            { name: 'account', values: ['x'.repeat(500_000)], type: 'string' },
            {
              name: 'roles',
              values: Array.from({ length: 900 }, (_, i) => `r${i}`),
              type: 'stringList',
            },
          ]),
          PARTNER_ROOT,
        ),
        409,
        'LimitExceeded',
        'Cannot exceed quota for PolicySize: 2048',
      )
      assert.ok(Date.now() - started < 5000)
      const noTemplate = d.createParams()
      delete noTemplate['Permissions.PolicyTemplateArn']
      failed(
        await d.iam('CreateDelegationRequest', noTemplate, PARTNER_ROOT),
        400,
        'InvalidInput',
        'Permissions must name a PolicyTemplateArn: a request delegates a template.',
      )
    })

    it('lists the permissions boundaries the roles it lets the partner create must have', async () => {
      const boundary = `arn:aws:iam::${CUSTOMER}:policy/PartnerBoundary`
      const template = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['iam:CreateRole', 'iam:AttachRolePolicy'],
            Resource: 'arn:aws:iam::@{account}:role/partner/*',
            Condition: { StringEquals: { 'iam:PermissionsBoundary': '@{boundary}' } },
          },
        ],
      })
      ok(
        await d.iam(
          'CreatePolicy',
          { PolicyName: 'RoleMaker', PolicyDocument: template },
          PARTNER_ROOT,
        ),
      )
      const params = d.createParams({
        'Permissions.PolicyTemplateArn': `arn:aws:iam::${PARTNER}:policy/RoleMaker`,
      })
      for (const key of Object.keys(params)) {
        if (key.startsWith('Permissions.Parameters')) delete params[key]
      }
      const created = ok(
        await d.iam(
          'CreateDelegationRequest',
          {
            ...params,
            ...parameterParams([
              { name: 'account', values: [CUSTOMER] },
              { name: 'boundary', values: [boundary] },
            ]),
          },
          PARTNER_ROOT,
        ),
      )
      const requestId =
        xmlText(created.xml, 'CreateDelegationRequestResult/DelegationRequestId') ?? ''
      const got = ok(await d.iam('GetDelegationRequest', id(requestId), PARTNER_ROOT))
      assert.deepEqual(
        xmlAll(
          got.xml,
          'GetDelegationRequestResult/DelegationRequest/RolePermissionRestrictionArns/member',
        ).map(textOf),
        [boundary],
      )
      const summary = ok(
        await d.iam(
          'GetHumanReadableSummary',
          { EntityArn: arnOf(PARTNER, requestId) },
          PARTNER_ROOT,
        ),
      )
      assert.match(
        xmlText(summary.xml, 'GetHumanReadableSummaryResult/SummaryContent') ?? '',
        new RegExp(
          `only when iam:PermissionsBoundary StringEquals "${boundary}"\\.\nRoles it creates must have the permissions boundary ${boundary}\\.`,
        ),
      )
    })

    it('refuses a workflow id the partner already used', async () => {
      const params = d.createParams({ RequestorWorkflowId: 'order-4711' })
      ok(await d.iam('CreateDelegationRequest', params, PARTNER_ROOT))
      failed(
        await d.iam('CreateDelegationRequest', params, PARTNER_ROOT),
        409,
        'EntityAlreadyExists',
        'A delegation request with workflow id order-4711 already exists.',
      )
    })

    it('limits the open requests of a partner account', async () => {
      const fresh = await startDelegation()
      try {
        const at = fresh.g.now()
        // The store fills the quota, as a thousand calls would.
        await fresh.g.store.transaction(async (tx) => {
          for (let i = 0; i < OPEN_DELEGATION_REQUESTS_PER_ACCOUNT; i++) {
            await tx.createDelegationRequest({
              requestorAccountId: PARTNER,
              requestorArn: `arn:aws:iam::${PARTNER}:root`,
              ownerAccountId: CUSTOMER,
              description: 'filler',
              requestMessage: null,
              requestorWorkflowId: `filler-${i}`,
              templateArn: TEMPLATE_ARN,
              parameters: [],
              permissionPolicy: RENDERED,
              redirectUrl: null,
              notificationChannel: TOPIC,
              sessionDuration: 3600,
              onlySendByOwner: false,
              at,
              expiresAt: new Date(at.getTime() + DAY * 1000),
            })
          }
        })
        failed(
          await fresh.iam('CreateDelegationRequest', fresh.createParams(), PARTNER_ROOT),
          409,
          'LimitExceeded',
          `Cannot exceed quota for OpenDelegationRequests: ${OPEN_DELEGATION_REQUESTS_PER_ACCOUNT}`,
        )
        // Once they expire, they no longer count.
        fresh.g.advance(DAY)
        ok(await fresh.iam('CreateDelegationRequest', fresh.createParams(), PARTNER_ROOT))
      } finally {
        await fresh.close()
      }
    })

    it('is authorized with the duration, the notification channel and the template as condition keys', async () => {
      const partner = await d.user(
        'partner-app',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:CreateDelegationRequest',
              Resource: `arn:aws:iam::${PARTNER}:delegation-request/*`,
              Condition: {
                StringEquals: {
                  'iam:DelegationDuration': '3600',
                  'iam:NotificationChannel': TOPIC,
                },
                ArnEquals: { 'iam:TemplateArn': TEMPLATE_ARN },
              },
            },
          ],
        }),
        'partner',
      )
      ok(await d.iam('CreateDelegationRequest', d.createParams(), partner))
      failed(
        await d.iam(
          'CreateDelegationRequest',
          d.createParams({ SessionDuration: '7200' }),
          partner,
        ),
        403,
        'AccessDenied',
        denied(
          `arn:aws:iam::${PARTNER}:user/partner-app`,
          'iam:CreateDelegationRequest',
          `arn:aws:iam::${PARTNER}:delegation-request/*`,
        ),
      )
    })
  })

  describe('who sees a request', () => {
    it('lets any account read an untargeted request until an identity associates it', async () => {
      const params = d.createParams()
      delete params['OwnerAccountId']
      const untargeted = xmlText(
        ok(await d.iam('CreateDelegationRequest', params, PARTNER_ROOT)).xml,
        'CreateDelegationRequestResult/DelegationRequestId',
      )
      assert.ok(untargeted !== undefined)
      assert.equal((await d.describe(untargeted, STRANGER_ROOT))['OwnerAccountId'], undefined)
      ok(await d.iam('AssociateDelegationRequest', id(untargeted), approver))
      assert.equal((await d.describe(untargeted, ROOT_KEY))['OwnerAccountId'], CUSTOMER)
      assert.equal((await d.describe(untargeted, PARTNER_ROOT))['OwnerId'], approver.arn)
      failed(
        await d.iam('GetDelegationRequest', id(untargeted), STRANGER_ROOT),
        404,
        'NoSuchEntity',
        `The delegation request with id ${untargeted} cannot be found.`,
      )
    })

    it('keeps a targeted request from other accounts', async () => {
      const requestId = await d.create()
      for (const action of ['GetDelegationRequest', 'AssociateDelegationRequest']) {
        failed(
          await d.iam(action, id(requestId), STRANGER_ROOT),
          404,
          'NoSuchEntity',
          `The delegation request with id ${requestId} cannot be found.`,
        )
      }
      // The partner sees it, but only the owner account may claim it.
      failed(
        await d.iam('AssociateDelegationRequest', id(requestId), PARTNER_ROOT),
        403,
        'AccessDenied',
        `Only an identity of account ${CUSTOMER} can associate delegation request ${requestId}.`,
      )
      failed(
        await d.iam('GetDelegationRequest', id('00000000-0000-4000-8000-000000000000')),
        404,
        'NoSuchEntity',
        'The delegation request with id 00000000-0000-4000-8000-000000000000 cannot be found.',
      )
    })

    it('lists what the account made, and what its identities associated, page by page', async () => {
      const fresh = await startDelegation()
      try {
        const made: string[] = []
        for (let i = 0; i < 3; i++) {
          made.push(await fresh.create())
          fresh.g.advance(1)
        }
        const listed = async (key: SigningKey, params: Record<string, string> = {}) => {
          const a = ok(await fresh.iam('ListDelegationRequests', params, key))
          const result = 'ListDelegationRequestsResult'
          return {
            ids: xmlAll(a.xml, `${result}/DelegationRequests/member`).map((m) =>
              xmlText(m, 'DelegationRequestId'),
            ),
            truncated: xmlText(a.xml, `${result}/isTruncated`),
            marker: xmlText(a.xml, `${result}/Marker`),
          }
        }
        assert.deepEqual(await listed(PARTNER_ROOT), {
          ids: made,
          truncated: 'false',
          marker: undefined,
        })
        // Targeted, but not associated: not listed for the customer yet.
        assert.deepEqual((await listed(ROOT_KEY)).ids, [])
        ok(await fresh.iam('AssociateDelegationRequest', id(made[1] ?? '')))
        assert.deepEqual((await listed(ROOT_KEY)).ids, [made[1]])
        assert.deepEqual(
          (await listed(ROOT_KEY, { OwnerId: `arn:aws:iam::${CUSTOMER}:root` })).ids,
          [made[1]],
        )
        assert.deepEqual(
          (await listed(ROOT_KEY, { OwnerId: `arn:aws:iam::${CUSTOMER}:user/someone` })).ids,
          [],
        )
        const first = await listed(PARTNER_ROOT, { MaxItems: '2' })
        assert.deepEqual(first.ids, made.slice(0, 2))
        assert.equal(first.truncated, 'true')
        const second = await listed(PARTNER_ROOT, { MaxItems: '2', Marker: first.marker ?? '' })
        assert.deepEqual(second, { ids: made.slice(2), truncated: 'false', marker: undefined })
        assert.deepEqual((await listed(STRANGER_ROOT)).ids, [])
      } finally {
        await fresh.close()
      }
    })

    it('authorizes a listing by owner with iam:DelegationRequestOwner', async () => {
      const lister = await d.user(
        'lister',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:ListDelegationRequests',
              Resource: '*',
              Condition: { ArnEquals: { 'iam:DelegationRequestOwner': approver.arn } },
            },
          ],
        }),
      )
      ok(await d.iam('ListDelegationRequests', { OwnerId: approver.arn }, lister))
      failed(
        await d.iam('ListDelegationRequests', {}, lister),
        403,
        'AccessDenied',
        `User: arn:aws:iam::${CUSTOMER}:user/lister is not authorized to perform: iam:ListDelegationRequests because no identity-based policy allows the iam:ListDelegationRequests action`,
      )
    })
  })

  describe('the lifecycle', () => {
    let requestId: string

    beforeEach(async () => {
      requestId = await d.create()
    })

    it('goes UNASSIGNED, ASSIGNED, PENDING_APPROVAL, ACCEPTED, FINALIZED, telling the partner each step', async () => {
      await d.receive()
      const start = d.g.now().getTime()
      ok(await d.iam('AssociateDelegationRequest', id(requestId), approver))
      let request = await d.describe(requestId)
      assert.equal(request['State'], 'ASSIGNED')
      assert.equal(request['OwnerId'], approver.arn)
      assert.equal(
        request['ExpirationTime'],
        new Date(start + 7 * DAY * 1000).toISOString().replace('.000', ''),
      )
      d.g.advance(60)
      ok(
        await d.iam(
          'UpdateDelegationRequest',
          { ...id(requestId), Notes: 'Needs an admin' },
          approver,
        ),
      )
      request = await d.describe(requestId)
      assert.equal(request['State'], 'PENDING_APPROVAL')
      assert.equal(request['Notes'], 'Needs an admin')
      const pendingUntil = request['ExpirationTime']
      d.g.advance(60)
      // A second update changes the notes, not the state's end; no Notes keeps them.
      ok(
        await d.iam(
          'UpdateDelegationRequest',
          { ...id(requestId), Notes: 'Still waiting' },
          approver,
        ),
      )
      ok(await d.iam('UpdateDelegationRequest', id(requestId), approver))
      request = await d.describe(requestId)
      assert.equal(request['Notes'], 'Still waiting')
      assert.equal(request['ExpirationTime'], pendingUntil)
      ok(await d.iam('AcceptDelegationRequest', id(requestId), approver))
      request = await d.describe(requestId)
      assert.equal(request['State'], 'ACCEPTED')
      assert.equal(request['ApproverId'], approver.arn)
      ok(await d.iam('SendDelegationToken', id(requestId), approver))
      request = await d.describe(requestId)
      assert.equal(request['State'], 'FINALIZED')
      const notes = await d.receive()
      assert.deepEqual(
        notes.map((n) => [
          n.message.DelegationRequestId,
          n.message.State,
          n.message.OwnerAccountId,
        ]),
        [
          [requestId, 'ASSIGNED', CUSTOMER],
          [requestId, 'PENDING_APPROVAL', CUSTOMER],
          [requestId, 'ACCEPTED', CUSTOMER],
          [requestId, 'FINALIZED', CUSTOMER],
        ],
      )
      assert.match(
        notes[3]?.message.ExchangeToken ?? '',
        new RegExp(`^gdt1\\.${requestId}\\.[A-Za-z0-9_-]{43}$`),
      )
      assert.equal(notes[2]?.message.ExchangeToken, undefined)
      // Received once: they are gone.
      assert.deepEqual(await d.receive(), [])
    })

    it('refuses each decision in a state it does not start from', async () => {
      const conflict = (state: string, verb: string) =>
        `The delegation request ${requestId} is in state ${state}: no one can ${verb} it.`
      for (const [action, verb] of [
        ['AcceptDelegationRequest', 'accept'],
        ['RejectDelegationRequest', 'reject'],
        ['UpdateDelegationRequest', 'update'],
        ['SendDelegationToken', 'send the exchange token of'],
      ] as const) {
        failed(
          await d.iam(action, id(requestId), approver),
          409,
          'ConcurrentModification',
          conflict('UNASSIGNED', verb),
        )
      }
      ok(await d.iam('AssociateDelegationRequest', id(requestId), approver))
      failed(
        await d.iam('AssociateDelegationRequest', id(requestId), approver),
        409,
        'ConcurrentModification',
        conflict('ASSIGNED', 'associate'),
      )
      failed(
        await d.iam('SendDelegationToken', id(requestId), approver),
        409,
        'ConcurrentModification',
        conflict('ASSIGNED', 'send the exchange token of'),
      )
      ok(await d.iam('AcceptDelegationRequest', id(requestId), approver))
      failed(
        await d.iam('UpdateDelegationRequest', id(requestId), approver),
        409,
        'ConcurrentModification',
        conflict('ACCEPTED', 'update'),
      )
      // An accepted request may still be rejected, and then nothing else.
      ok(
        await d.iam(
          'RejectDelegationRequest',
          { ...id(requestId), Notes: 'Changed my mind' },
          approver,
        ),
      )
      const request = await d.describe(requestId)
      assert.equal(request['State'], 'REJECTED')
      assert.equal(request['RejectionReason'], 'Changed my mind')
      for (const [action, verb] of [
        ['AcceptDelegationRequest', 'accept'],
        ['SendDelegationToken', 'send the exchange token of'],
        ['RejectDelegationRequest', 'reject'],
      ] as const) {
        failed(
          await d.iam(action, id(requestId), approver),
          409,
          'ConcurrentModification',
          conflict('REJECTED', verb),
        )
      }
      const rejected = (await d.receive())
        .filter((n) => n.message.DelegationRequestId === requestId)
        .at(-1)
      assert.equal(rejected?.message.State, 'REJECTED')
      assert.equal(rejected?.message.RejectionReason, 'Changed my mind')
    })

    it('expires an unassigned request after a day, and an assigned one after seven days', async () => {
      // A Gatehouse of its own: its clock goes a week forward.
      const fresh = await startDelegation()
      try {
        const unassigned = await fresh.create()
        const assigned = await fresh.create()
        ok(await fresh.iam('AssociateDelegationRequest', id(assigned)))
        fresh.g.advance(DAY - 1)
        assert.equal((await fresh.describe(unassigned))['State'], 'UNASSIGNED')
        fresh.g.advance(1)
        assert.equal((await fresh.describe(unassigned))['State'], 'EXPIRED')
        failed(
          await fresh.iam('AssociateDelegationRequest', id(unassigned)),
          409,
          'ConcurrentModification',
          `The delegation request ${unassigned} has expired.`,
        )
        assert.equal((await fresh.describe(assigned))['State'], 'ASSIGNED')
        fresh.g.advance(6 * DAY)
        assert.equal((await fresh.describe(assigned))['State'], 'EXPIRED')
        failed(
          await fresh.iam('AcceptDelegationRequest', id(assigned)),
          409,
          'ConcurrentModification',
          `The delegation request ${assigned} has expired.`,
        )
        // Expired requests are deleted thirty days later, when a request is made.
        fresh.g.advance(30 * DAY)
        await fresh.create()
        failed(await fresh.iam('GetDelegationRequest', id(unassigned)), 404, 'NoSuchEntity')
        assert.equal((await fresh.describe(assigned))['State'], 'EXPIRED')
        fresh.g.advance(6 * DAY)
        await fresh.create()
        failed(await fresh.iam('GetDelegationRequest', id(assigned)), 404, 'NoSuchEntity')
      } finally {
        await fresh.close()
      }
    })

    it('lets only identities of the owner account decide', async () => {
      ok(await d.iam('AssociateDelegationRequest', id(requestId), approver))
      for (const [action, verb] of [
        ['AcceptDelegationRequest', 'accept'],
        ['RejectDelegationRequest', 'reject'],
        ['UpdateDelegationRequest', 'update'],
      ] as const) {
        failed(
          await d.iam(action, id(requestId), PARTNER_ROOT),
          403,
          'AccessDenied',
          `Only an identity of account ${CUSTOMER} can ${verb} delegation request ${requestId}.`,
        )
      }
      // Another identity of the owner account (an administrator) may accept and send.
      ok(await d.iam('AcceptDelegationRequest', id(requestId)))
      assert.equal((await d.describe(requestId))['ApproverId'], `arn:aws:iam::${CUSTOMER}:root`)
      ok(await d.iam('SendDelegationToken', id(requestId)))
    })

    it('keeps SendDelegationToken to the owner when the partner asks so', async () => {
      const owned = await d.create({ OnlySendByOwner: 'true' })
      ok(await d.iam('AssociateDelegationRequest', id(owned), approver))
      ok(await d.iam('AcceptDelegationRequest', id(owned)))
      failed(
        await d.iam('SendDelegationToken', id(owned)),
        403,
        'AccessDenied',
        `Only the owner of delegation request ${owned}, ${approver.arn}, can send its exchange token.`,
      )
      ok(await d.iam('SendDelegationToken', id(owned), approver))
    })

    it('lets the root user approve four hours at most', async () => {
      const long = await d.create({ SessionDuration: '14401' })
      ok(await d.iam('AssociateDelegationRequest', id(long)))
      failed(
        await d.iam('AcceptDelegationRequest', id(long)),
        403,
        'AccessDenied',
        'Root users can only approve delegation requests with a duration of 4 hours or less. Use a non-root identity to approve this request.',
      )
      ok(await d.iam('AcceptDelegationRequest', id(long), approver))
      const short = await d.create({ SessionDuration: '14400' })
      ok(await d.iam('AssociateDelegationRequest', id(short)))
      ok(await d.iam('AcceptDelegationRequest', id(short)))
    })

    it('is authorized on the request in the caller account, with its owner as a condition key', async () => {
      const bob = await d.user(
        'bob',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:AssociateDelegationRequest', Resource: '*' },
            {
              Effect: 'Allow',
              Action: 'iam:GetDelegationRequest',
              Resource: `arn:aws:iam::${CUSTOMER}:delegation-request/*`,
              Condition: {
                ArnEquals: { 'iam:DelegationRequestOwner': `arn:aws:iam::${CUSTOMER}:user/bob` },
              },
            },
          ],
        }),
      )
      failed(
        await d.iam('GetDelegationRequest', id(requestId), bob),
        403,
        'AccessDenied',
        denied(
          `arn:aws:iam::${CUSTOMER}:user/bob`,
          'iam:GetDelegationRequest',
          arnOf(CUSTOMER, requestId),
        ),
      )
      ok(await d.iam('AssociateDelegationRequest', id(requestId), bob))
      ok(await d.iam('GetDelegationRequest', id(requestId), bob))
      failed(
        await d.iam('AcceptDelegationRequest', id(requestId), bob),
        403,
        'AccessDenied',
        denied(
          `arn:aws:iam::${CUSTOMER}:user/bob`,
          'iam:AcceptDelegationRequest',
          arnOf(CUSTOMER, requestId),
        ),
      )
    })

    it('gives the owner a default permission to get the request, and nobody else', async () => {
      const requestId = await d.create({ OwnerAccountId: CUSTOMER })
      // Carol may associate the request, and has no permission of her own to get it.
      const carol = await d.user('carol', allow('iam:AssociateDelegationRequest'))
      const dave = await d.user('dave', allow('iam:AssociateDelegationRequest'))
      failed(await d.iam('GetDelegationRequest', id(requestId), carol), 403, 'AccessDenied')
      ok(await d.iam('AssociateDelegationRequest', id(requestId), carol))
      // Fully owned: its owner gets it, another identity of the account still does not.
      ok(await d.iam('GetDelegationRequest', id(requestId), carol))
      failed(await d.iam('GetDelegationRequest', id(requestId), dave), 403, 'AccessDenied')
      // An explicit Deny of the owner's own policies still wins.
      ok(
        await d.iam('PutUserPolicy', {
          UserName: 'carol',
          PolicyName: 'no-get',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: 'iam:GetDelegationRequest', Resource: '*' }],
          }),
        }),
      )
      failed(await d.iam('GetDelegationRequest', id(requestId), carol), 403, 'AccessDenied')
    })
  })

  describe('the notifications', () => {
    it('go to the partner account alone, through its own topic', async () => {
      const requestId = await d.create()
      await d.receive()
      ok(await d.iam('AssociateDelegationRequest', id(requestId), approver))
      const reply = await d.g.api(
        'ReceiveDelegationNotifications',
        { TopicArn: TOPIC },
        { key: ROOT_KEY },
      )
      assert.equal(reply.status, 400, reply.body)
      assert.deepEqual(reply.json, {
        Code: 'ValidationError',
        Message: `${TOPIC} is not a topic of account ${CUSTOMER}.`,
      })
      const bad = await d.g.api(
        'ReceiveDelegationNotifications',
        { TopicArn: TOPIC, MaxMessages: 11 },
        { key: PARTNER_ROOT },
      )
      assert.equal(bad.status, 400, bad.body)
      const partnerUser = await d.user('partner-reader', allow('iam:GetUser'), 'partner')
      const refused = await d.g.api(
        'ReceiveDelegationNotifications',
        { TopicArn: TOPIC },
        { key: partnerUser },
      )
      assert.equal(refused.status, 403, refused.body)
      assert.equal((await d.receive(PARTNER_ROOT, `${TOPIC}-other`)).length, 0)
      const reader = await d.user(
        'notification-reader',
        allow('gatehouse:ReceiveDelegationNotifications', TOPIC),
        'partner',
      )
      assert.deepEqual(
        (await d.receive(reader)).map((n) => [n.message.DelegationRequestId, n.message.State]),
        [[requestId, 'ASSIGNED']],
      )
    })

    it('keep every exchange token out of the audit trail', async () => {
      const requestId = await d.create()
      ok(await d.iam('AssociateDelegationRequest', id(requestId), approver))
      ok(await d.iam('AcceptDelegationRequest', id(requestId), approver))
      ok(await d.iam('SendDelegationToken', id(requestId), approver))
      const token = (await d.receive()).find((n) => n.message.ExchangeToken !== undefined)?.message
        .ExchangeToken
      assert.ok(token !== undefined)
      ok(await d.sts('GetDelegatedAccessToken', { TradeInToken: token }, PARTNER_ROOT))
      const records = (await d.g.trail.readTrailEvents(0, 100_000)).map((e) => e.record).join('\n')
      const secret = token.split('.')[2] ?? ''
      assert.ok(secret.length > 40)
      assert.ok(!records.includes(secret), 'an exchange token reached the trail')
      assert.ok(!d.g.logText().includes(secret), 'an exchange token reached the log')
      assert.match(records, /"eventName":"ReceiveDelegationNotifications"/)
      assert.match(records, /"eventName":"SendDelegationToken"/)
    })
  })

  describe('GetHumanReadableSummary', () => {
    it('summarizes the request in English, from the request alone, AVAILABLE at once', async () => {
      const requestId = await d.create({ RequestMessage: 'For ticket 42', SessionDuration: '5400' })
      // Each account names the request in its own account.
      const summary = async (params: Record<string, string>, key: SigningKey = ROOT_KEY) =>
        ok(
          await d.iam(
            'GetHumanReadableSummary',
            { EntityArn: arnOf(key === ROOT_KEY ? CUSTOMER : PARTNER, requestId), ...params },
            key,
          ),
        )
      const a = await summary({})
      const at = 'GetHumanReadableSummaryResult'
      assert.equal(xmlText(a.xml, `${at}/SummaryState`), 'AVAILABLE')
      assert.equal(xmlText(a.xml, `${at}/Locale`), 'en-US')
      const content = xmlText(a.xml, `${at}/SummaryContent`) ?? ''
      assert.deepEqual(content.split('\n'), [
        `Account ${PARTNER} asks for temporary access to account ${CUSTOMER} for 1 hour and 30 minutes, counted from the moment the exchange token is released.`,
        'Its description: Read the roles of the data pipeline',
        'Its message: For ticket 42',
        `The permissions come from policy template ${TEMPLATE_ARN}, with account = ${CUSTOMER} and roles = Pipeline* and Approver. The resulting policy:`,
        `- Allows iam:GetRole and iam:ListRolePolicies on arn:aws:iam::${CUSTOMER}:role/Pipeline* and arn:aws:iam::${CUSTOMER}:role/Approver.`,
        '- Allows iam:ListUsers on *.',
        'The credentials act as the identity that approves the request, limited to what that identity may do and what this policy allows.',
        `The request is UNASSIGNED until ${new Date(d.g.now().getTime() + DAY * 1000).toISOString()}.`,
      ])
      // The same text each time, and the same for the partner.
      const again = await summary({ Locale: 'en-GB' }, PARTNER_ROOT)
      assert.equal(xmlText(again.xml, `${at}/Locale`), 'en-GB')
      assert.equal(xmlText(again.xml, `${at}/SummaryContent`), content)
      const french = await summary({ Locale: 'fr-FR' })
      assert.equal(xmlText(french.xml, `${at}/SummaryState`), 'NOT_SUPPORTED')
      assert.equal(xmlText(french.xml, `${at}/SummaryContent`), undefined)
      failed(
        await d.iam('GetHumanReadableSummary', {
          EntityArn: arnOf(CUSTOMER, requestId),
          Locale: 'xx-XX',
        }),
        400,
        'InvalidInput',
        /^Locale xx-XX is not one of the AWS Management Console's languages/,
      )
      failed(
        await d.iam('GetHumanReadableSummary', {
          EntityArn: `arn:aws:iam::${CUSTOMER}:role/Approver`,
        }),
        400,
        'InvalidInput',
        `EntityArn arn:aws:iam::${CUSTOMER}:role/Approver is not the ARN of a delegation request: only delegation requests are summarized.`,
      )
      // Another account, however it names the request, does not see it.
      for (const account of [CUSTOMER, STRANGER]) {
        failed(
          await d.iam(
            'GetHumanReadableSummary',
            { EntityArn: arnOf(account, requestId) },
            STRANGER_ROOT,
          ),
          404,
          'NoSuchEntity',
          `The delegation request with id ${requestId} cannot be found.`,
        )
      }
    })
  })
})
