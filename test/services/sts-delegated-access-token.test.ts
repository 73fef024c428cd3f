/**
 * STS GetDelegatedAccessToken in process: a partner trades the exchange token of a finalized
 * delegation request for credentials of the identity that accepted it (a role session, an IAM
 * user, the root user), limited by the request's policy and by what that identity could do, its
 * own session policies included; the window the token works in and the credentials' expiry; the
 * tokens it refuses, alike; who may call it; and its trail record.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { HIDDEN } from '../../src/audit/redact.js'
import {
  CUSTOMER,
  PARTNER,
  PARTNER_ROOT,
  RENDERED,
  ROOT_KEY,
  allow,
  failed,
  ok,
  sessionKey,
  startDelegation,
  xmlText,
} from '../support/delegation-requests.js'
import type { Answer, Delegation, SigningKey } from '../support/delegation-requests.js'

const RESULT = 'GetDelegatedAccessTokenResult'
const INVALID = 'Invalid trade-in token'
const EXPIRED = 'The trade-in token has expired and can no longer be exchanged for credentials.'

/** The calls that take a request through to FINALIZED. */
const DECISIONS = [
  'iam:AssociateDelegationRequest',
  'iam:AcceptDelegationRequest',
  'iam:SendDelegationToken',
]

/** What the approver role may do: the delegation calls, and some of what the template asks. */
const APPROVER_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: [...DECISIONS, 'iam:GetDelegationRequest'], Resource: '*' },
    // The template's role reads, but not its iam:ListUsers; and iam:CreateUser, which it lacks.
    {
      Effect: 'Allow',
      Action: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:CreateUser'],
      Resource: '*',
    },
  ],
})

/** Checks that `a` is AccessDenied of `action` on `resource` to `caller`, because `why`. */
function denied(a: Answer, caller: string, action: string, resource: string, why: string): void {
  failed(
    a,
    403,
    'AccessDenied',
    `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} because ${why}`,
  )
}

describe('STS GetDelegatedAccessToken', () => {
  let d: Delegation
  let approver: SigningKey & { arn: string }

  /** Takes a request of the partner's through to FINALIZED; returns it and its token. */
  async function finalized(
    key: SigningKey = approver,
    params: Record<string, string> = {},
  ): Promise<{ requestId: string; token: string }> {
    const requestId = await d.create(params)
    const id = { DelegationRequestId: requestId }
    ok(await d.iam('AssociateDelegationRequest', id, key))
    ok(await d.iam('AcceptDelegationRequest', id, key))
    ok(await d.iam('SendDelegationToken', id, key))
    const token = (await d.receive()).find(
      (n) => n.message.DelegationRequestId === requestId && n.message.State === 'FINALIZED',
    )?.message.ExchangeToken
    assert.ok(token !== undefined)
    return { requestId, token }
  }

  const trade = (token: string, key: SigningKey = PARTNER_ROOT) =>
    d.sts('GetDelegatedAccessToken', { TradeInToken: token }, key)

  before(async () => {
    d = await startDelegation()
    approver = await d.roleSession('Approver', APPROVER_POLICY, 'alice')
    ok(
      await d.iam('CreateRole', {
        RoleName: 'Elsewhere',
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
      }),
    )
  })
  after(() => d.close())

  it("gives the partner the approver's role session, limited to the request's policy", async () => {
    const { token } = await finalized()
    const traded = ok(await trade(token))
    const key = sessionKey(traded, RESULT)
    assert.equal(xmlText(traded.xml, `${RESULT}/AssumedPrincipal`), approver.arn)
    assert.equal(xmlText(traded.xml, `${RESULT}/PackedPolicySize`), undefined)
    assert.match(key.accessKeyId, /^ASIA[A-Z2-7]{16}$/)
    // The session's window: from SendDelegationToken, for the request's hour.
    assert.equal(
      key.expiration,
      new Date(d.g.now().getTime() + 3600_000).toISOString().replace('.000', ''),
    )
    const who = ok(await d.sts('GetCallerIdentity', {}, key))
    assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Arn'), approver.arn)
    assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Account'), CUSTOMER)
    // Both allow it.
    ok(await d.iam('GetRole', { RoleName: 'Approver' }, key))
    ok(await d.iam('ListRolePolicies', { RoleName: 'Approver' }, key))
    // The role allows it, the request's policy not on this role.
    denied(
      await d.iam('GetRole', { RoleName: 'Elsewhere' }, key),
      approver.arn,
      'iam:GetRole',
      `arn:aws:iam::${CUSTOMER}:role/Elsewhere`,
      'no session policy allows the iam:GetRole action',
    )
    denied(
      await d.iam('CreateUser', { UserName: 'intruder' }, key),
      approver.arn,
      'iam:CreateUser',
      `arn:aws:iam::${CUSTOMER}:user/intruder`,
      'no session policy allows the iam:CreateUser action',
    )
    // The request's policy allows it, the approver could not.
    denied(
      await d.iam('ListUsers', {}, key),
      approver.arn,
      'iam:ListUsers',
      `arn:aws:iam::${CUSTOMER}:user/`,
      'no identity-based policy allows the iam:ListUsers action',
    )
  })

  it('trades a token again within its window, each time up to the window’s end, and not after', async () => {
    const { token } = await finalized(approver, { SessionDuration: '900' })
    const end = d.g.now().getTime() + 900_000
    const first = sessionKey(ok(await trade(token)), RESULT)
    d.g.advance(600)
    const second = sessionKey(ok(await trade(token)), RESULT)
    assert.notEqual(first.accessKeyId, second.accessKeyId)
    for (const key of [first, second]) {
      assert.equal(key.expiration, new Date(end).toISOString().replace('.000', ''))
    }
    d.g.advance(299)
    ok(await trade(token))
    d.g.advance(1)
    failed(await trade(token), 400, 'ExpiredTradeInTokenException', EXPIRED)
  })

  it("counts from the approver's session: a revocation by aws:TokenIssueTime holds however often it is traded", async () => {
    const { token } = await finalized()
    d.g.advance(60)
    // AWS's "Revoke active sessions": deny whatever began before now.
    const revokedAt = d.g
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
    ok(
      await d.iam('PutRolePolicy', {
        RoleName: 'Approver',
        PolicyName: 'revoke',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { DateLessThan: { 'aws:TokenIssueTime': revokedAt } },
            },
          ],
        }),
      }),
    )
    try {
      d.g.advance(5)
      const key = sessionKey(ok(await trade(token)), RESULT)
      failed(await d.iam('GetRole', { RoleName: 'Approver' }, key), 403, 'AccessDenied')
    } finally {
      ok(await d.iam('DeleteRolePolicy', { RoleName: 'Approver', PolicyName: 'revoke' }))
    }
  })

  it('refuses alike a token that is not one, is unknown, has another secret, or is another account’s', async () => {
    const { requestId, token } = await finalized()
    const secret = token.split('.')[2] ?? ''
    const otherSecret = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`
    for (const wrong of [
      'not-a-token',
      `gdt1.00000000-0000-4000-8000-000000000000.${secret}`,
      `gdt1.${requestId}.${otherSecret}`,
      `${token}x`,
    ]) {
      failed(await trade(wrong), 400, 'ValidationError', INVALID)
    }
    // The customer holding the partner's token cannot trade it.
    failed(await trade(token, ROOT_KEY), 400, 'ValidationError', INVALID)
    failed(
      await d.sts('GetDelegatedAccessToken', {}, PARTNER_ROOT),
      400,
      'ValidationError',
      "1 validation error detected: Value null at 'tradeInToken' failed to satisfy constraint: Member must not be null",
    )
  })

  it('works only for a token released by SendDelegationToken', async () => {
    const requestId = await d.create()
    const id = { DelegationRequestId: requestId }
    ok(await d.iam('AssociateDelegationRequest', id, approver))
    ok(await d.iam('AcceptDelegationRequest', id, approver))
    // Accepted, but its token not sent: no token of it exists, whatever one tries.
    failed(await trade(`gdt1.${requestId}.${'A'.repeat(43)}`), 400, 'ValidationError', INVALID)
  })

  it('needs sts:GetDelegatedAccessToken', async () => {
    const { token } = await finalized()
    const plain = await d.user('partner-plain', allow('iam:GetUser'), 'partner')
    failed(
      await trade(token, plain),
      403,
      'AccessDenied',
      `User: arn:aws:iam::${PARTNER}:user/partner-plain is not authorized to perform: sts:GetDelegatedAccessToken because no identity-based policy allows the sts:GetDelegatedAccessToken action`,
    )
    const trader = await d.user('partner-trader', allow('sts:GetDelegatedAccessToken'), 'partner')
    ok(await trade(token, trader))
  })

  it("keeps the approver's own session policy: the credentials do no more than its session could", async () => {
    const narrow = await d.roleSession('NarrowApprover', APPROVER_POLICY, 'bob', {
      Policy: allow([...DECISIONS, 'iam:GetRole']),
    })
    const { token } = await finalized(narrow, {
      'Permissions.Parameters.member.2.Values.member.2': 'NarrowApprover',
    })
    const key = sessionKey(ok(await trade(token)), RESULT)
    ok(await d.iam('GetRole', { RoleName: 'NarrowApprover' }, key))
    failed(
      await d.iam('ListRolePolicies', { RoleName: 'NarrowApprover' }, key),
      403,
      'AccessDenied',
      /no session policy allows the iam:ListRolePolicies action$/,
    )
  })

  it("gives an IAM user's credentials for a user who approved with its key, as its temporary credentials", async () => {
    const carol = await d.user('carol', APPROVER_POLICY)
    const { token } = await finalized(carol)
    const traded = ok(await trade(token))
    const carolArn = `arn:aws:iam::${CUSTOMER}:user/carol`
    assert.equal(xmlText(traded.xml, `${RESULT}/AssumedPrincipal`), carolArn)
    const key = sessionKey(traded, RESULT)
    const who = ok(await d.sts('GetCallerIdentity', {}, key))
    assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Arn'), carolArn)
    // A user's temporary credentials without MFA, as GetSessionToken's: IAM does not take them.
    failed(await d.iam('GetRole', { RoleName: 'Approver' }, key), 403, 'InvalidClientTokenId')
  })

  it("gives the root user's credentials for a request the root user approved", async () => {
    const { token } = await finalized(ROOT_KEY, { SessionDuration: '14400' })
    const traded = ok(await trade(token))
    assert.equal(xmlText(traded.xml, `${RESULT}/AssumedPrincipal`), `arn:aws:iam::${CUSTOMER}:root`)
    const who = ok(await d.sts('GetCallerIdentity', {}, sessionKey(traded, RESULT)))
    assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Arn'), `arn:aws:iam::${CUSTOMER}:root`)
  })

  it('leaves the token and the secret out of its trail record', async () => {
    const { requestId, token } = await finalized()
    ok(await trade(token))
    const records = (await d.g.trail.readTrailEvents(0, 100_000)).map(
      (e) => JSON.parse(e.record) as Record<string, unknown>,
    )
    const record = records.filter((r) => r['eventName'] === 'GetDelegatedAccessToken').at(-1)
    assert.deepEqual(record?.['requestParameters'], { tradeInToken: HIDDEN })
    const response = record?.['responseElements'] as { credentials: Record<string, unknown> }
    assert.equal(response.credentials['secretAccessKey'], undefined)
    assert.equal(response.credentials['sessionToken'], HIDDEN)
    assert.ok(!JSON.stringify(records).includes(token.split('.')[2] ?? ''))
    // The request's policy is what the customer approved.
    assert.equal((await d.describe(requestId))['PermissionPolicy'], RENDERED)
  })
})
