/**
 * STS AssumeRole in process: the credentials and identifiers it returns, how the trust policy and
 * the caller's identity policies decide together, the duration limits and role chaining, the
 * external id, session policies, session tags, the source identity and the packed size.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import {
  callWith,
  createRole,
  credentialsOf,
  sts,
  trustPolicy,
} from '../support/temporary-credentials.js'
import type { SessionCredentials } from '../support/temporary-credentials.js'

const ROLE = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT_ID}:role${path}${name}`
const USER = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:user/${name}`
const ANY_USER = `arn:aws:iam::${ACCOUNT_ID}:user/*`

function denied(caller: string, action: string, resource: string, why: string) {
  return {
    code: 'AccessDenied',
    message: `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
  }
}

function validation(message: string) {
  return { code: 'ValidationError', message }
}

describe('STS AssumeRole', () => {
  let g: InProcess
  let alice: Credentials
  let bob: Credentials

  const assume = (key: Credentials, params: Record<string, string>): Promise<Reply> =>
    sts(g, 'AssumeRole', { RoleSessionName: 'session', ...params }, key)

  async function session(key: Credentials, params: Record<string, string>) {
    const r = await assume(key, params)
    assert.equal(r.status, 200, r.body)
    return credentialsOf(r, 'AssumeRole')
  }

  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    bob = await createUserWithKey(g, 'bob')
    await createRole(
      g,
      {
        name: 'Reader',
        path: '/apps/',
        assumeRolePolicyDocument: trustPolicy(USER('alice')),
        maxSessionDuration: 7200,
        tags: [{ key: 'team', value: 'platform' }],
      },
      { read: policy('Allow', 'iam:GetUser', ANY_USER) },
    )
  })
  after(() => g.close())

  describe('the result', () => {
    it('returns ASIA credentials, the session identifiers and the expiration', async () => {
      const r = await assume(alice, { RoleArn: ROLE('Reader', '/apps/'), RoleSessionName: 'x.y@z' })
      assert.equal(r.status, 200, r.body)
      const result = 'AssumeRoleResult'
      assert.match(xmlText(r.xml, `${result}/Credentials/AccessKeyId`) ?? '', /^ASIA[A-Z2-7]{16}$/)
      assert.match(
        xmlText(r.xml, `${result}/Credentials/SecretAccessKey`) ?? '',
        /^[A-Za-z0-9+/]{40}$/,
      )
      assert.match(xmlText(r.xml, `${result}/Credentials/SessionToken`) ?? '', /^[A-Za-z0-9+/=]+$/)
      assert.equal(xmlText(r.xml, `${result}/Credentials/Expiration`), '2026-03-15T13:00:00Z')
      const roleId = await g.store.transaction(
        async (tx) => (await tx.getRole(ACCOUNT_ID, 'Reader')).roleId,
      )
      assert.equal(xmlText(r.xml, `${result}/AssumedRoleUser/AssumedRoleId`), `${roleId}:x.y@z`)
      // The session ARN has the role's name without its path.
      assert.equal(
        xmlText(r.xml, `${result}/AssumedRoleUser/Arn`),
        `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Reader/x.y@z`,
      )
      assert.equal(xmlText(r.xml, `${result}/PackedPolicySize`), undefined)
      assert.equal(xmlText(r.xml, `${result}/SourceIdentity`), undefined)
    })

    it('gives each call new credentials', async () => {
      const params = { RoleArn: ROLE('Reader', '/apps/') }
      const [a, b] = [await session(alice, params), await session(alice, params)]
      assert.notEqual(a.accessKeyId, b.accessKeyId)
      assert.notEqual(a.secretAccessKey, b.secretAccessKey)
    })
  })

  describe('the trust policy and the identity policies', () => {
    before(async () => {
      await createRole(g, {
        name: 'TrustsAccount',
        assumeRolePolicyDocument: trustPolicy(ACCOUNT_ID),
      })
      await createRole(g, {
        name: 'TrustsNobody',
        assumeRolePolicyDocument: trustPolicy(`arn:aws:iam::${ACCOUNT_ID}:user/nobody`),
      })
      await createRole(g, {
        name: 'DeniesBob',
        assumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: ACCOUNT_ID }, Action: 'sts:AssumeRole' },
            { Effect: 'Deny', Principal: { AWS: USER('bob') }, Action: 'sts:AssumeRole' },
          ],
        }),
      })
    })

    it('allows a user the trust policy names, without any identity policy', async () => {
      const r = await assume(alice, { RoleArn: ROLE('Reader', '/apps/') })
      assert.equal(r.status, 200, r.body)
    })

    it('does not let a trust policy naming the account suffice alone', async () => {
      const r = await assume(bob, { RoleArn: ROLE('TrustsAccount') })
      assert.equal(r.status, 403)
      assert.deepEqual(
        r.error,
        denied(
          USER('bob'),
          'sts:AssumeRole',
          ROLE('TrustsAccount'),
          'because no identity-based policy allows the sts:AssumeRole action',
        ),
      )
    })

    it('allows it with an identity policy for sts:AssumeRole on the role', async () => {
      await g.call('PutUserPolicy', {
        UserName: 'bob',
        PolicyName: 'assume',
        PolicyDocument: policy('Allow', 'sts:AssumeRole', `arn:aws:iam::${ACCOUNT_ID}:role/*`),
      })
      const r = await assume(bob, { RoleArn: ROLE('TrustsAccount') })
      assert.equal(r.status, 200, r.body)
    })

    it('denies what the trust policy does not allow, whatever the identity policy says', async () => {
      const r = await assume(bob, { RoleArn: ROLE('TrustsNobody') })
      assert.deepEqual(
        r.error,
        denied(
          USER('bob'),
          'sts:AssumeRole',
          ROLE('TrustsNobody'),
          'because no role trust policy allows the sts:AssumeRole action',
        ),
      )
    })

    it('reports an explicit deny in the trust policy', async () => {
      const r = await assume(bob, { RoleArn: ROLE('DeniesBob') })
      assert.deepEqual(
        r.error,
        denied(
          USER('bob'),
          'sts:AssumeRole',
          ROLE('DeniesBob'),
          'with an explicit deny in the role trust policy',
        ),
      )
    })

    it('reports an explicit deny in an identity policy', async () => {
      const carol = await createUserWithKey(g, 'carol')
      await g.call('PutUserPolicy', {
        UserName: 'carol',
        PolicyName: 'no-roles',
        PolicyDocument: policy('Deny', 'sts:AssumeRole', '*'),
      })
      await createRole(g, {
        name: 'TrustsCarol',
        assumeRolePolicyDocument: trustPolicy(USER('carol')),
      })
      const r = await assume(carol, { RoleArn: ROLE('TrustsCarol') })
      assert.deepEqual(
        r.error,
        denied(
          USER('carol'),
          'sts:AssumeRole',
          ROLE('TrustsCarol'),
          'with an explicit deny in an identity-based policy',
        ),
      )
    })

    // The set of the caller's policies beside the trust policy is kept per pair (authorize.ts,
    // keptResourceSet): a change to either side must reach the very next AssumeRole.
    it('follows each change to the caller policies from one call to the next', async () => {
      const erin = await createUserWithKey(g, 'erin')
      const noIdentity = denied(
        USER('erin'),
        'sts:AssumeRole',
        ROLE('TrustsAccount'),
        'because no identity-based policy allows the sts:AssumeRole action',
      )
      const put = (name: string, effect: 'Allow' | 'Deny') =>
        g.call('PutUserPolicy', {
          UserName: 'erin',
          PolicyName: name,
          PolicyDocument: policy(effect, 'sts:AssumeRole', ROLE('TrustsAccount')),
        })
      assert.deepEqual((await assume(erin, { RoleArn: ROLE('TrustsAccount') })).error, noIdentity)
      assert.equal((await put('allow', 'Allow')).status, 200)
      const allowed = await assume(erin, { RoleArn: ROLE('TrustsAccount') })
      assert.equal(allowed.status, 200, allowed.body)
      assert.equal((await put('deny', 'Deny')).status, 200)
      assert.deepEqual(
        (await assume(erin, { RoleArn: ROLE('TrustsAccount') })).error,
        denied(
          USER('erin'),
          'sts:AssumeRole',
          ROLE('TrustsAccount'),
          'with an explicit deny in an identity-based policy',
        ),
      )
      await g.call('DeleteUserPolicy', { UserName: 'erin', PolicyName: 'deny' })
      assert.equal((await assume(erin, { RoleArn: ROLE('TrustsAccount') })).status, 200)
      await g.call('DeleteUserPolicy', { UserName: 'erin', PolicyName: 'allow' })
      assert.deepEqual((await assume(erin, { RoleArn: ROLE('TrustsAccount') })).error, noIdentity)
    })

    it('answers a role that does not exist as one whose trust policy does not allow', async () => {
      for (const arn of [ROLE('Nonexistent'), ROLE('Reader') /* the path is part of the ARN */]) {
        const r = await assume(bob, { RoleArn: arn })
        assert.equal(r.status, 403)
        assert.deepEqual(
          r.error,
          denied(
            USER('bob'),
            'sts:AssumeRole',
            arn,
            'because no role trust policy allows the sts:AssumeRole action',
          ),
        )
      }
    })

    // The role, its trust policy and its tags are kept between calls (AuthCache.roleByArn): a
    // change must reach the very next AssumeRole.
    it('follows each change to the role from one call to the next', async () => {
      const arn = ROLE('Changing')
      const teamIs = (team: string) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: USER('alice') },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:ResourceTag/team': team } },
            },
          ],
        })
      const noTrust = denied(
        USER('alice'),
        'sts:AssumeRole',
        arn,
        'because no role trust policy allows the sts:AssumeRole action',
      )
      const roleIdOf = (r: Reply) =>
        xmlText(r.xml, 'AssumeRoleResult/AssumedRoleUser/AssumedRoleId')?.split(':')[0]
      const ok = async (r: Promise<Reply>) => assert.equal((await r).status, 200)

      const missing = await assume(alice, { RoleArn: arn })
      assert.deepEqual(missing.error, noTrust)
      await createRole(g, { name: 'Changing', assumeRolePolicyDocument: teamIs('blue') })
      // Created after a call that found no role: the role is found.
      assert.deepEqual((await assume(alice, { RoleArn: arn })).error, noTrust)
      await ok(
        g.call('TagRole', {
          RoleName: 'Changing',
          'Tags.member.1.Key': 'team',
          'Tags.member.1.Value': 'blue',
        }),
      )
      const first = await assume(alice, { RoleArn: arn })
      assert.equal(first.status, 200, first.body)

      // Its tags, then its trust policy.
      await ok(
        g.call('TagRole', {
          RoleName: 'Changing',
          'Tags.member.1.Key': 'team',
          'Tags.member.1.Value': 'red',
        }),
      )
      assert.deepEqual((await assume(alice, { RoleArn: arn })).error, noTrust)
      await ok(
        g.call('UpdateAssumeRolePolicy', { RoleName: 'Changing', PolicyDocument: teamIs('red') }),
      )
      assert.equal((await assume(alice, { RoleArn: arn })).status, 200)

      // Deleted, then made again: another role of the same ARN.
      await ok(g.call('DeleteRole', { RoleName: 'Changing' }))
      assert.deepEqual((await assume(alice, { RoleArn: arn })).error, noTrust)
      await createRole(g, {
        name: 'Changing',
        assumeRolePolicyDocument: trustPolicy(USER('alice')),
      })
      const again = await assume(alice, { RoleArn: arn })
      assert.equal(again.status, 200, again.body)
      assert.notEqual(roleIdOf(again), roleIdOf(first))
      const roleId = await g.store.transaction(
        async (tx) => (await tx.getRole(ACCOUNT_ID, 'Changing')).roleId,
      )
      assert.equal(roleIdOf(again), roleId)
    })

    it('refuses an ARN that names no role with ValidationError', async () => {
      for (const arn of [
        USER('alice'),
        `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
        'arn:aws:iam::12345:role/ShortAccount',
      ]) {
        const r = await assume(alice, { RoleArn: arn })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, validation('Request ARN is invalid'))
      }
    })

    it('lets a role trusted by another account be assumed by its users that may', async () => {
      const other = '210987654321'
      await g.store.transaction(async (tx) => {
        await tx.createAccount({ accountId: other })
        await tx.createRole({
          accountId: other,
          name: 'CrossAccount',
          assumeRolePolicyDocument: trustPolicy(ACCOUNT_ID),
        })
      })
      const arn = `arn:aws:iam::${other}:role/CrossAccount`
      const dave = await createUserWithKey(g, 'dave')
      const refused = await assume(dave, { RoleArn: arn })
      assert.deepEqual(
        refused.error,
        denied(
          USER('dave'),
          'sts:AssumeRole',
          arn,
          'because no identity-based policy allows the sts:AssumeRole action',
        ),
      )
      await g.call('PutUserPolicy', {
        UserName: 'dave',
        PolicyName: 'cross',
        PolicyDocument: policy('Allow', 'sts:AssumeRole', arn),
      })
      const credentials = await session(dave, { RoleArn: arn })
      const who = await sts(g, 'GetCallerIdentity', {}, credentials)
      assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Account'), other)
      assert.equal(
        xmlText(who.xml, 'GetCallerIdentityResult/Arn'),
        `arn:aws:sts::${other}:assumed-role/CrossAccount/session`,
      )
    })
  })

  describe('RoleSessionName', () => {
    const cases: readonly [string, string][] = [
      [
        'a:b',
        "1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      [
        'a',
        "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ],
      [
        'a'.repeat(65),
        `1 validation error detected: Value '${'a'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      ],
    ]
    for (const [name, message] of cases) {
      it(`refuses ${JSON.stringify(name.slice(0, 8))} with ValidationError`, async () => {
        const r = await assume(alice, { RoleArn: ROLE('Reader', '/apps/'), RoleSessionName: name })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, validation(message))
      })
    }

    it('requires it', async () => {
      const r = await sts(g, 'AssumeRole', { RoleArn: ROLE('Reader', '/apps/') }, alice)
      assert.deepEqual(
        r.error,
        validation(
          "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
        ),
      )
    })

    it('is the sts:RoleSessionName condition key', async () => {
      await createRole(g, {
        name: 'NamedSessions',
        assumeRolePolicyDocument: trustPolicy(USER('alice'), 'sts:AssumeRole', {
          StringLike: { 'sts:RoleSessionName': 'alice-*' },
        }),
      })
      const wrong = await assume(alice, { RoleArn: ROLE('NamedSessions'), RoleSessionName: 'x1' })
      assert.equal(wrong.error?.code, 'AccessDenied')
      const right = await assume(alice, {
        RoleArn: ROLE('NamedSessions'),
        RoleSessionName: 'alice-1',
      })
      assert.equal(right.status, 200, right.body)
    })
  })

  describe('DurationSeconds', () => {
    const reader = ROLE('Reader', '/apps/')

    it('lasts an hour by default and up to the role maximum', async () => {
      const expirations: readonly [string | undefined, string][] = [
        [undefined, '2026-03-15T13:00:00Z'],
        ['900', '2026-03-15T12:15:00Z'],
        ['7200', '2026-03-15T14:00:00Z'],
      ]
      for (const [duration, expiration] of expirations) {
        const credentials = await session(alice, {
          RoleArn: reader,
          ...(duration === undefined ? {} : { DurationSeconds: duration }),
        })
        assert.equal(credentials.expiration, expiration)
      }
    })

    it('refuses less than 900 and more than 43200 as the model does', async () => {
      const cases: readonly [string, string][] = [
        [
          '899',
          "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
        ],
        [
          '43201',
          "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
        ],
      ]
      for (const [duration, message] of cases) {
        const r = await assume(alice, { RoleArn: reader, DurationSeconds: duration })
        assert.deepEqual(r.error, validation(message))
      }
    })

    it("refuses more than the role's MaxSessionDuration", async () => {
      const r = await assume(alice, { RoleArn: reader, DurationSeconds: '7201' })
      assert.equal(r.status, 400)
      assert.deepEqual(
        r.error,
        validation(
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        ),
      )
    })
  })

  describe('role chaining', () => {
    let readerSession: SessionCredentials
    before(async () => {
      await createRole(
        g,
        {
          name: 'Chained',
          assumeRolePolicyDocument: trustPolicy(ROLE('Reader', '/apps/')),
          maxSessionDuration: 43200,
        },
        { read: policy('Allow', 'iam:GetUser', ANY_USER) },
      )
      await g.store.transaction((tx) =>
        tx.putInlinePolicy(
          { kind: 'role', accountId: ACCOUNT_ID, name: 'Reader' },
          'chain',
          policy('Allow', 'sts:AssumeRole', ROLE('Chained')),
        ),
      )
      readerSession = await session(alice, { RoleArn: ROLE('Reader', '/apps/') })
    })

    it('lets a role session assume a role that trusts its role', async () => {
      const chained = await session(readerSession, {
        RoleArn: ROLE('Chained'),
        DurationSeconds: '3600',
      })
      const who = await sts(g, 'GetCallerIdentity', {}, chained)
      assert.equal(
        xmlText(who.xml, 'GetCallerIdentityResult/Arn'),
        `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Chained/session`,
      )
    })

    it('caps a chained session at an hour, whatever the role allows', async () => {
      const r = await assume(readerSession, { RoleArn: ROLE('Chained'), DurationSeconds: '3601' })
      assert.equal(r.status, 400)
      assert.deepEqual(
        r.error,
        validation(
          'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
        ),
      )
    })

    it('names the session in the denial of a chained AssumeRole', async () => {
      const r = await assume(readerSession, { RoleArn: ROLE('TrustsNobody') })
      assert.deepEqual(
        r.error,
        denied(
          `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Reader/session`,
          'sts:AssumeRole',
          ROLE('TrustsNobody'),
          'because no role trust policy allows the sts:AssumeRole action',
        ),
      )
    })
  })

  describe('ExternalId', () => {
    before(async () => {
      await createRole(g, {
        name: 'ThirdParty',
        assumeRolePolicyDocument: trustPolicy(USER('alice'), 'sts:AssumeRole', {
          StringEquals: { 'sts:ExternalId': 'Unique-42' },
        }),
      })
    })

    it('is required by a trust policy that tests sts:ExternalId', async () => {
      for (const externalId of [undefined, 'Unique-41', 'unique-42']) {
        const r = await assume(alice, {
          RoleArn: ROLE('ThirdParty'),
          ...(externalId === undefined ? {} : { ExternalId: externalId }),
        })
        assert.deepEqual(
          r.error,
          denied(
            USER('alice'),
            'sts:AssumeRole',
            ROLE('ThirdParty'),
            'because no role trust policy allows the sts:AssumeRole action',
          ),
        )
      }
      const r = await assume(alice, { RoleArn: ROLE('ThirdParty'), ExternalId: 'Unique-42' })
      assert.equal(r.status, 200, r.body)
    })

    it('refuses an external id outside the model pattern', async () => {
      const r = await assume(alice, { RoleArn: ROLE('ThirdParty'), ExternalId: 'has space' })
      assert.deepEqual(
        r.error,
        validation(
          "1 validation error detected: Value 'has space' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
        ),
      )
    })
  })

  describe("the role's permissions boundary", () => {
    it('limits its sessions', async () => {
      await g.store.transaction(async (tx) => {
        await tx.createPolicy({
          accountId: ACCOUNT_ID,
          name: 'ReadOnlyBoundary',
          document: policy('Allow', 'iam:GetUser', '*'),
        })
        await tx.createRole({
          accountId: ACCOUNT_ID,
          name: 'Bounded',
          assumeRolePolicyDocument: trustPolicy(USER('alice')),
          permissionsBoundary: 'ReadOnlyBoundary',
        })
        await tx.putInlinePolicy(
          { kind: 'role', accountId: ACCOUNT_ID, name: 'Bounded' },
          'all',
          policy('Allow', 'iam:*', '*'),
        )
      })
      const credentials = await session(alice, { RoleArn: ROLE('Bounded') })
      const got = await callWith(g, 'GetUser', { UserName: 'alice' }, { key: credentials })
      assert.equal(got.status, 200, got.body)
      const created = await callWith(
        g,
        'CreateUser',
        { UserName: 'bounded1' },
        { key: credentials },
      )
      assert.deepEqual(created.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/Bounded/session is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT_ID}:user/bounded1 because no permissions boundary allows the iam:CreateUser action`,
      })
    })
  })

  describe('MFA', () => {
    it('refuses a serial number it cannot associate with the caller', async () => {
      const r = await assume(alice, {
        RoleArn: ROLE('Reader', '/apps/'),
        SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/alice`,
        TokenCode: '123456',
      })
      assert.equal(r.status, 403)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message:
          'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
      })
    })
  })
})

describe('STS AssumeRole session policies, tags and source identity', () => {
  let g: InProcess
  let alice: Credentials
  const TAGGABLE = ROLE('Taggable')
  const assume = (params: Record<string, string>, key: Credentials = alice) =>
    sts(g, 'AssumeRole', { RoleArn: TAGGABLE, RoleSessionName: 'session', ...params }, key)

  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    await g.call('CreateUser', { UserName: 'target' })
    await createRole(
      g,
      {
        name: 'Taggable',
        assumeRolePolicyDocument: trustPolicy(USER('alice'), [
          'sts:AssumeRole',
          'sts:TagSession',
          'sts:SetSourceIdentity',
        ]),
        tags: [{ key: 'team', value: 'platform' }],
      },
      {
        rw: policy('Allow', ['iam:GetUser', 'iam:ListUserPolicies', 'iam:CreateUser'], '*'),
        // aws:PrincipalTag/team and aws:SourceIdentity become visible through these.
        tagged: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Action: 'iam:GetUser',
              Resource: '*',
              Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } },
            },
            {
              Effect: 'Deny',
              Action: 'iam:ListUserPolicies',
              Resource: '*',
              Condition: { StringEquals: { 'aws:SourceIdentity': 'blocked' } },
            },
          ],
        }),
      },
    )
  })
  after(() => g.close())

  describe('session policies', () => {
    it('limit the session to what both the role and the session policy allow', async () => {
      const r = await assume({ Policy: policy('Allow', 'iam:GetUser', '*') })
      // A small share of the room: PackedPolicySize is a percentage.
      const packed = Number(xmlText(r.xml, 'AssumeRoleResult/PackedPolicySize'))
      assert.ok(packed >= 1 && packed <= 10, String(packed))
      const credentials = credentialsOf(r, 'AssumeRole')
      const got = await callWith(g, 'GetUser', { UserName: 'target' }, { key: credentials })
      assert.equal(got.status, 200, got.body)
      const created = await callWith(g, 'CreateUser', { UserName: 'new1' }, { key: credentials })
      assert.deepEqual(created.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/Taggable/session is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT_ID}:user/new1 because no session policy allows the iam:CreateUser action`,
      })
    })

    it('grant nothing the role does not', async () => {
      const credentials = credentialsOf(
        await assume({ Policy: policy('Allow', 'iam:*', '*') }),
        'AssumeRole',
      )
      const r = await callWith(g, 'DeleteUser', { UserName: 'target' }, { key: credentials })
      assert.match(r.error?.message ?? '', /because no identity-based policy allows/)
    })

    it('refuses a malformed session policy with MalformedPolicyDocument', async () => {
      const cases: readonly [string, string][] = [
        ['{"Version": "2012-10-17"', 'Syntax errors in policy.'],
        [
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 'iam:GetUser', Resource: '*' }],
          }),
          'Policy document should not specify a principal.',
        ],
      ]
      for (const [document, message] of cases) {
        const r = await assume({ Policy: document })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'MalformedPolicyDocument', message })
      }
    })

    it('take managed policies by ARN, resolved when the session is made', async () => {
      // The store makes the policy: IAM's policy operations are not the subject here.
      const policyArn = await g.store.transaction(
        async (tx) =>
          (
            await tx.createPolicy({
              accountId: ACCOUNT_ID,
              name: 'OnlyGetUser',
              path: '/session/',
              document: policy('Allow', 'iam:GetUser', '*'),
            })
          ).arn,
      )
      assert.equal(policyArn, `arn:aws:iam::${ACCOUNT_ID}:policy/session/OnlyGetUser`)
      const r = await assume({ 'PolicyArns.member.1.arn': policyArn })
      assert.equal(r.status, 200, r.body)
      assert.ok(xmlText(r.xml, 'AssumeRoleResult/PackedPolicySize') !== undefined)
      const credentials = credentialsOf(r, 'AssumeRole')
      assert.equal(
        (await callWith(g, 'GetUser', { UserName: 'target' }, { key: credentials })).status,
        200,
      )
      const refused = await callWith(g, 'CreateUser', { UserName: 'new2' }, { key: credentials })
      assert.match(refused.error?.message ?? '', /because no session policy allows/)
    })

    it('keep the managed policy version of when the session was made', async () => {
      const credentials = credentialsOf(
        await assume({
          'PolicyArns.member.1.arn': `arn:aws:iam::${ACCOUNT_ID}:policy/session/OnlyGetUser`,
        }),
        'AssumeRole',
      )
      await g.store.transaction((tx) =>
        tx.createPolicyVersion(
          ACCOUNT_ID,
          'OnlyGetUser',
          policy('Allow', ['iam:GetUser', 'iam:CreateUser'], '*'),
          true,
        ),
      )
      const refused = await callWith(g, 'CreateUser', { UserName: 'new3' }, { key: credentials })
      assert.match(refused.error?.message ?? '', /because no session policy allows/)
      const later = credentialsOf(
        await assume({
          'PolicyArns.member.1.arn': `arn:aws:iam::${ACCOUNT_ID}:policy/session/OnlyGetUser`,
        }),
        'AssumeRole',
      )
      const created = await callWith(g, 'CreateUser', { UserName: 'new3' }, { key: later })
      assert.equal(created.status, 200, created.body)
    })

    it('refuses a managed policy that does not exist or is another account', async () => {
      for (const arn of [
        `arn:aws:iam::${ACCOUNT_ID}:policy/Missing`,
        'arn:aws:iam::210987654321:policy/Elsewhere',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ]) {
        const r = await assume({ 'PolicyArns.member.1.arn': arn })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, {
          code: 'InvalidParameterValue',
          message: `Policy ${arn} does not exist or is not attachable.`,
        })
      }
    })

    it('takes at most 10 managed policy ARNs', async () => {
      const params: Record<string, string> = {}
      for (let i = 1; i <= 11; i++) {
        params[`PolicyArns.member.${i}.arn`] = `arn:aws:iam::${ACCOUNT_ID}:policy/P${i}`
      }
      const r = await assume(params)
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(
        r.error?.message ?? '',
        /at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10$/,
      )
    })
  })

  describe('session tags', () => {
    it('need sts:TagSession in the trust policy', async () => {
      await createRole(g, { name: 'NoTags', assumeRolePolicyDocument: trustPolicy(USER('alice')) })
      const r = await sts(
        g,
        'AssumeRole',
        {
          RoleArn: ROLE('NoTags'),
          RoleSessionName: 'session',
          'Tags.member.1.Key': 'project',
          'Tags.member.1.Value': 'x',
        },
        alice,
      )
      assert.equal(r.status, 403)
      assert.deepEqual(
        r.error,
        denied(
          USER('alice'),
          'sts:TagSession',
          ROLE('NoTags'),
          'because no role trust policy allows the sts:TagSession action',
        ),
      )
      const untagged = await sts(
        g,
        'AssumeRole',
        { RoleArn: ROLE('NoTags'), RoleSessionName: 'ss' },
        alice,
      )
      assert.equal(untagged.status, 200)
    })

    it('override the role tags of the same key, whatever its case', async () => {
      const credentials = credentialsOf(
        await assume({ 'Tags.member.1.Key': 'Team', 'Tags.member.1.Value': 'other' }),
        'AssumeRole',
      )
      const r = await callWith(g, 'GetUser', { UserName: 'target' }, { key: credentials })
      assert.match(r.error?.message ?? '', /with an explicit deny in an identity-based policy$/)
      const plain = credentialsOf(await assume({}), 'AssumeRole')
      const allowed = await callWith(g, 'GetUser', { UserName: 'target' }, { key: plain })
      assert.equal(allowed.status, 200, allowed.body)
    })

    it('are aws:RequestTag and aws:TagKeys to the trust policy', async () => {
      await createRole(g, {
        name: 'ProjectOnly',
        assumeRolePolicyDocument: trustPolicy(USER('alice'), ['sts:AssumeRole', 'sts:TagSession'], {
          StringEquals: { 'aws:RequestTag/project': 'pegasus' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['project'] },
        }),
      })
      const tagged = (key: string, value: string) =>
        sts(
          g,
          'AssumeRole',
          {
            RoleArn: ROLE('ProjectOnly'),
            RoleSessionName: 'session',
            'Tags.member.1.Key': key,
            'Tags.member.1.Value': value,
          },
          alice,
        )
      assert.equal((await tagged('project', 'pegasus')).status, 200)
      assert.equal((await tagged('project', 'other')).error?.code, 'AccessDenied')
      assert.equal((await tagged('cost', 'pegasus')).error?.code, 'AccessDenied')
    })

    it('refuse the aws: prefix and keys that differ only in case', async () => {
      const reserved = await assume({ 'Tags.member.1.Key': 'aws:x', 'Tags.member.1.Value': 'v' })
      assert.deepEqual(reserved.error, {
        code: 'InvalidParameterValue',
        message: "Tag keys cannot start with the reserved prefix 'aws:'.",
      })
      const twice = await assume({
        'Tags.member.1.Key': 'dept',
        'Tags.member.1.Value': 'a',
        'Tags.member.2.Key': 'Dept',
        'Tags.member.2.Value': 'b',
      })
      assert.deepEqual(twice.error, {
        code: 'InvalidParameterValue',
        message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      })
    })

    it('take at most 50 tags', async () => {
      const params: Record<string, string> = {}
      for (let i = 1; i <= 51; i++) {
        params[`Tags.member.${i}.Key`] = `k${i}`
        params[`Tags.member.${i}.Value`] = 'v'
      }
      const r = await assume(params)
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(
        r.error?.message ?? '',
        /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
      )
    })

    it('refuse what does not pack into a session with PackedPolicyTooLarge', async () => {
      const params: Record<string, string> = {}
      for (let i = 1; i <= 50; i++) {
        params[`Tags.member.${i}.Key`] = `k${i}`
        params[`Tags.member.${i}.Value`] = randomBytes(150)
          .toString('base64')
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(0, 180)
      }
      const r = await assume(params)
      assert.equal(r.status, 400)
      assert.equal(r.error?.code, 'PackedPolicyTooLarge')
      assert.match(
        r.error?.message ?? '',
        /^Packed policy consumes \d{3}% of allotted space, please use smaller policy\.$/,
      )
    })

    it('pass on through role chaining when transitive, and only then', async () => {
      await createRole(
        g,
        {
          name: 'Next',
          assumeRolePolicyDocument: trustPolicy(TAGGABLE, ['sts:AssumeRole', 'sts:TagSession']),
        },
        {
          // Only sessions that carry project=pegasus may read users.
          read: policy('Allow', 'iam:GetUser', '*', {
            StringEquals: { 'aws:PrincipalTag/project': 'pegasus' },
          }),
        },
      )
      await g.store.transaction((tx) =>
        tx.putInlinePolicy(
          { kind: 'role', accountId: ACCOUNT_ID, name: 'Taggable' },
          'chain',
          policy('Allow', 'sts:AssumeRole', ROLE('Next')),
        ),
      )
      const first = (transitive: boolean) =>
        assume({
          'Tags.member.1.Key': 'project',
          'Tags.member.1.Value': 'pegasus',
          ...(transitive ? { 'TransitiveTagKeys.member.1': 'project' } : {}),
        })
      for (const transitive of [true, false]) {
        const outer = credentialsOf(await first(transitive), 'AssumeRole')
        const inner = credentialsOf(
          await sts(g, 'AssumeRole', { RoleArn: ROLE('Next'), RoleSessionName: 'inner' }, outer),
          'AssumeRole',
        )
        const r = await callWith(g, 'GetUser', { UserName: 'target' }, { key: inner })
        assert.equal(r.status, transitive ? 200 : 403, r.body)
      }
      // A transitive tag cannot be set again further down the chain.
      const outer = credentialsOf(await first(true), 'AssumeRole')
      const again = await sts(
        g,
        'AssumeRole',
        {
          RoleArn: ROLE('Next'),
          RoleSessionName: 'inner',
          'Tags.member.1.Key': 'Project',
          'Tags.member.1.Value': 'other',
        },
        outer,
      )
      assert.equal(again.error?.code, 'InvalidParameterValue')
    })

    it('refuse a transitive key that names no tag of the request', async () => {
      const r = await assume({
        'Tags.member.1.Key': 'project',
        'Tags.member.1.Value': 'x',
        'TransitiveTagKeys.member.1': 'cost',
      })
      assert.equal(r.status, 400)
      assert.equal(r.error?.code, 'InvalidParameterValue')
    })
  })

  describe('SourceIdentity', () => {
    it('needs sts:SetSourceIdentity in the trust policy', async () => {
      await createRole(g, {
        name: 'NoSource',
        assumeRolePolicyDocument: trustPolicy(USER('alice')),
      })
      const r = await sts(
        g,
        'AssumeRole',
        { RoleArn: ROLE('NoSource'), RoleSessionName: 'session', SourceIdentity: 'alice' },
        alice,
      )
      assert.deepEqual(
        r.error,
        denied(
          USER('alice'),
          'sts:SetSourceIdentity',
          ROLE('NoSource'),
          'because no role trust policy allows the sts:SetSourceIdentity action',
        ),
      )
    })

    it('is returned, and is aws:SourceIdentity in every request of the session', async () => {
      const r = await assume({ SourceIdentity: 'blocked' })
      assert.equal(xmlText(r.xml, 'AssumeRoleResult/SourceIdentity'), 'blocked')
      const credentials = credentialsOf(r, 'AssumeRole')
      const listed = await callWith(
        g,
        'ListUserPolicies',
        { UserName: 'target' },
        { key: credentials },
      )
      assert.match(
        listed.error?.message ?? '',
        /with an explicit deny in an identity-based policy$/,
      )
      const other = credentialsOf(await assume({ SourceIdentity: 'fine' }), 'AssumeRole')
      const ok = await callWith(g, 'GetUser', { UserName: 'target' }, { key: other })
      assert.equal(ok.status, 200)
    })

    it('passes on through role chaining and cannot be changed there', async () => {
      const outer = credentialsOf(await assume({ SourceIdentity: 'alice' }), 'AssumeRole')
      await createRole(g, {
        name: 'SourceChained',
        assumeRolePolicyDocument: trustPolicy(
          TAGGABLE,
          ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          {
            StringEquals: { 'sts:SourceIdentity': 'alice' },
          },
        ),
      })
      await g.store.transaction((tx) =>
        tx.putInlinePolicy(
          { kind: 'role', accountId: ACCOUNT_ID, name: 'Taggable' },
          'source-chain',
          policy('Allow', ['sts:AssumeRole', 'sts:SetSourceIdentity'], ROLE('SourceChained')),
        ),
      )
      const inner = await sts(
        g,
        'AssumeRole',
        { RoleArn: ROLE('SourceChained'), RoleSessionName: 'inner' },
        outer,
      )
      assert.equal(inner.status, 200, inner.body)
      assert.equal(xmlText(inner.xml, 'AssumeRoleResult/SourceIdentity'), 'alice')

      const changed = await sts(
        g,
        'AssumeRole',
        { RoleArn: ROLE('SourceChained'), RoleSessionName: 'inner', SourceIdentity: 'mallory' },
        outer,
      )
      assert.equal(changed.status, 403)
      assert.equal(changed.error?.code, 'AccessDenied')
    })

    it('refuses a value outside the model pattern, the aws: prefix included', async () => {
      const r = await assume({ SourceIdentity: 'aws:me' })
      assert.deepEqual(
        r.error,
        validation(
          "1 validation error detected: Value 'aws:me' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        ),
      )
    })
  })
})
