/**
 * STS GetScopedCredentials in process: who may call it, the identity its credentials keep (the
 * token opened and compared with the calling session's), the intersection of permissions they
 * get and how recursive calls narrow it, explicit denies in scope-down policies, the duration
 * against the session's remaining lifetime, the validation of every parameter, token padding,
 * and the call's trail record.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { HIDDEN } from '../../src/audit/redact.js'
import {
  ACCOUNT_ID,
  ROOT_KEY,
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
  startSecondNode,
  sts,
  trustPolicy,
} from '../support/temporary-credentials.js'
import type { SessionCredentials } from '../support/temporary-credentials.js'

const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/Worker`
const SESSION_ARN = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Worker/job-1`
const RESULT = 'GetScopedCredentialsResult'

/** A policy of several statements. */
function statements(...list: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: list })
}

function denial(caller: string, action: string, why: string) {
  return {
    code: 'AccessDenied',
    message: `User: ${caller} is not authorized to perform: ${action} ${why}`,
  }
}

/** How a denial of IAM's List<Type>s names its resource: the path listed. */
const listed = (type: string, why: string) =>
  `on resource: arn:aws:iam::${ACCOUNT_ID}:${type}/ ${why}`

const noSession = (action: string) => `because no session policy allows the ${action} action`
const noIdentity = (action: string) =>
  `because no identity-based policy allows the ${action} action`

describe('STS GetScopedCredentials', () => {
  let g: InProcess
  let alice: Credentials
  let roleId: string

  const scope = (key: Credentials, params: Record<string, string>): Promise<Reply> =>
    sts(g, 'GetScopedCredentials', params, key)

  async function scoped(key: Credentials, params: Record<string, string>) {
    const r = await scope(key, params)
    assert.equal(r.status, 200, r.body)
    return credentialsOf(r, 'GetScopedCredentials')
  }

  /** A session of the Worker role, with a session tag and a source identity. */
  async function workerSession(params: Record<string, string> = {}): Promise<SessionCredentials> {
    const r = await sts(
      g,
      'AssumeRole',
      {
        RoleArn: ROLE_ARN,
        RoleSessionName: 'job-1',
        SourceIdentity: 'alice-laptop',
        'Tags.member.1.Key': 'project',
        'Tags.member.1.Value': 'pegasus',
        ...params,
      },
      alice,
    )
    assert.equal(r.status, 200, r.body)
    return credentialsOf(r, 'AssumeRole')
  }

  const iam = (key: Credentials, action: string, params: Record<string, string> = {}) =>
    callWith(g, action, params, { key })

  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'assume',
      PolicyDocument: policy(
        'Allow',
        ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        ROLE_ARN,
      ),
    })
    ;({ roleId } = await createRole(
      g,
      {
        name: 'Worker',
        assumeRolePolicyDocument: trustPolicy(ACCOUNT_ID, [
          'sts:AssumeRole',
          'sts:TagSession',
          'sts:SetSourceIdentity',
        ]),
      },
      {
        work: policy('Allow', [
          'iam:GetUser',
          'iam:ListUsers',
          'iam:ListRoles',
          'iam:ListGroups',
          'sts:GetScopedCredentials',
        ]),
      },
    ))
    await createRole(
      g,
      { name: 'Bare', assumeRolePolicyDocument: trustPolicy(ACCOUNT_ID) },
      { work: policy('Allow', 'iam:ListUsers') },
    )
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'assume-bare',
      PolicyDocument: policy('Allow', 'sts:AssumeRole', `arn:aws:iam::${ACCOUNT_ID}:role/Bare`),
    })
  })
  after(() => g.close())

  describe('who may call it', () => {
    it("refuses long-term keys, a user's and the root user's", async () => {
      for (const key of [alice, ROOT_KEY]) {
        const r = await scope(key, { DurationSeconds: '900' })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, {
          code: 'InvalidSubjectCredentials',
          message: 'GetScopedCredentials must be called with temporary security credentials.',
        })
      }
    })

    it('needs sts:GetScopedCredentials allowed to the session', async () => {
      const bare = credentialsOf(
        await sts(
          g,
          'AssumeRole',
          { RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/Bare`, RoleSessionName: 'bb' },
          alice,
        ),
        'AssumeRole',
      )
      const r = await scope(bare, { DurationSeconds: '900' })
      assert.equal(r.status, 403)
      assert.deepEqual(
        r.error,
        denial(
          `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Bare/bb`,
          'sts:GetScopedCredentials',
          noIdentity('sts:GetScopedCredentials'),
        ),
      )
    })

    it("takes a GetSessionToken session, a user's and the root user's", async () => {
      const userSession = credentialsOf(
        await sts(g, 'GetSessionToken', {}, alice),
        'GetSessionToken',
      )
      // Alice's own policies do not allow it.
      const refused = await scope(userSession, { DurationSeconds: '900' })
      assert.deepEqual(
        refused.error,
        denial(
          `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
          'sts:GetScopedCredentials',
          noIdentity('sts:GetScopedCredentials'),
        ),
      )
      await g.call('PutUserPolicy', {
        UserName: 'alice',
        PolicyName: 'scope',
        PolicyDocument: policy('Allow', 'sts:GetScopedCredentials'),
      })
      try {
        const r = await scope(userSession, { DurationSeconds: '900' })
        assert.equal(r.status, 200, r.body)
        assert.equal(
          xmlText(r.xml, `${RESULT}/SessionInfo/Arn`),
          `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
        )
        const who = await sts(g, 'GetCallerIdentity', {}, credentialsOf(r, 'GetScopedCredentials'))
        assert.equal(
          xmlText(who.xml, 'GetCallerIdentityResult/Arn'),
          `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
        )
      } finally {
        await g.call('DeleteUserPolicy', { UserName: 'alice', PolicyName: 'scope' })
      }

      // The root user's session has the root user's full access, which a scope-down policy cuts.
      const rootSession = credentialsOf(
        await sts(g, 'GetSessionToken', {}, ROOT_KEY),
        'GetSessionToken',
      )
      const rootScoped = await scoped(rootSession, {
        Policy: policy('Allow', 'sts:GetCallerIdentity'),
      })
      const again = await scope(rootScoped, { DurationSeconds: '60' })
      assert.deepEqual(
        again.error,
        denial(
          `arn:aws:iam::${ACCOUNT_ID}:root`,
          'sts:GetScopedCredentials',
          noSession('sts:GetScopedCredentials'),
        ),
      )
    })

    it('takes a federated user', async () => {
      await g.call('PutUserPolicy', {
        UserName: 'alice',
        PolicyName: 'federate',
        PolicyDocument: policy('Allow', ['sts:GetFederationToken', 'sts:GetScopedCredentials']),
      })
      try {
        const federated = credentialsOf(
          await sts(
            g,
            'GetFederationToken',
            { Name: 'Bob', Policy: policy('Allow', 'sts:GetScopedCredentials') },
            alice,
          ),
          'GetFederationToken',
        )
        const r = await scope(federated, { DurationSeconds: '900' })
        assert.equal(r.status, 200, r.body)
        assert.equal(xmlText(r.xml, `${RESULT}/SessionInfo/ScopedSessionId`), `${ACCOUNT_ID}:Bob`)
        assert.equal(
          xmlText(r.xml, `${RESULT}/SessionInfo/Arn`),
          `arn:aws:sts::${ACCOUNT_ID}:federated-user/Bob`,
        )
      } finally {
        await g.call('DeleteUserPolicy', { UserName: 'alice', PolicyName: 'federate' })
      }
    })
  })

  describe('the identity', () => {
    it('is the calling session: same ARN, session id, tags, source identity and start', async () => {
      const parent = await workerSession()
      const r = await scope(parent, { Policy: policy('Allow', 'iam:ListUsers') })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, `${RESULT}/SessionInfo/ScopedSessionId`), `${roleId}:job-1`)
      assert.equal(xmlText(r.xml, `${RESULT}/SessionInfo/Arn`), SESSION_ARN)
      assert.equal(xmlText(r.xml, `${RESULT}/ScopedPoliciesCount`), '1')
      assert.equal(xmlText(r.xml, `${RESULT}/SourceIdentity`), 'alice-laptop')
      const child = credentialsOf(r, 'GetScopedCredentials')
      assert.match(child.accessKeyId, /^ASIA[A-Z2-7]{16}$/)
      assert.notEqual(child.accessKeyId, parent.accessKeyId)
      assert.notEqual(child.secretAccessKey, parent.secretAccessKey)

      const who = await sts(g, 'GetCallerIdentity', {}, child)
      assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Arn'), SESSION_ARN)
      assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/UserId'), `${roleId}:job-1`)

      const before = g.sessionTokens.open(parent.sessionToken)
      const after = g.sessionTokens.open(child.sessionToken)
      assert.ok(before !== undefined && after !== undefined)
      assert.deepEqual(after.principal, before.principal)
      assert.deepEqual(after.tags, before.tags)
      assert.deepEqual(after.transitiveTagKeys, before.transitiveTagKeys)
      assert.equal(after.sourceIdentity, 'alice-laptop')
      assert.equal(after.mfa, before.mfa)
      assert.equal(after.chained, before.chained)
      assert.deepEqual(after.policies, before.policies)
      // aws:TokenIssueTime (and aws:MultiFactorAuthAge) go on counting from the session's start.
      assert.deepEqual(after.issuedAt, before.issuedAt)
      assert.deepEqual(after.expiresAt, before.expiresAt)
      assert.equal(after.accessKeyId, child.accessKeyId)
      assert.deepEqual(
        after.scopeDown?.map((p) => p.document),
        [policy('Allow', 'iam:ListUsers')],
      )
    })

    it('keeps the session tags for aws:PrincipalTag, in scope-down policies too', async () => {
      const child = await scoped(await workerSession(), {
        Policy: policy('Allow', ['iam:ListUsers', 'iam:ListRoles'], '*', {
          StringEquals: { 'aws:PrincipalTag/project': 'pegasus' },
        }),
      })
      assert.equal((await iam(child, 'ListUsers')).status, 200)
      const other = await scoped(await workerSession({ 'Tags.member.1.Value': 'orion' }), {
        Policy: policy('Allow', 'iam:ListUsers', '*', {
          StringEquals: { 'aws:PrincipalTag/project': 'pegasus' },
        }),
      })
      assert.deepEqual(
        (await iam(other, 'ListUsers')).error,
        denial(SESSION_ARN, 'iam:ListUsers', listed('user', noSession('iam:ListUsers'))),
      )
    })
  })

  describe('permissions', () => {
    it("are the intersection of the session's and the scope-down policy's", async () => {
      const child = await scoped(await workerSession(), {
        Policy: policy('Allow', ['iam:ListUsers', 'iam:CreateUser']),
      })
      assert.equal((await iam(child, 'ListUsers')).status, 200)
      assert.deepEqual(
        (await iam(child, 'ListRoles')).error,
        denial(SESSION_ARN, 'iam:ListRoles', listed('role', noSession('iam:ListRoles'))),
      )
      // The scope-down policy grants nothing the session does not have.
      assert.deepEqual(
        (await iam(child, 'CreateUser', { UserName: 'mallory' })).error,
        denial(
          SESSION_ARN,
          'iam:CreateUser',
          `on resource: arn:aws:iam::${ACCOUNT_ID}:user/mallory ${noIdentity('iam:CreateUser')}`,
        ),
      )
    })

    it('stay those of the session when only DurationSeconds is given', async () => {
      const r = await scope(await workerSession(), { DurationSeconds: '900' })
      assert.equal(xmlText(r.xml, `${RESULT}/ScopedPoliciesCount`), '0')
      const child = credentialsOf(r, 'GetScopedCredentials')
      for (const action of ['ListUsers', 'ListRoles', 'ListGroups']) {
        assert.equal((await iam(child, action)).status, 200, action)
      }
    })

    it('narrow with each recursive call, and never widen', async () => {
      const first = await scoped(await workerSession(), {
        Policy: policy('Allow', ['iam:List*', 'sts:GetScopedCredentials']),
      })
      const r = await scope(first, {
        Policy: policy('Allow', ['iam:ListUsers', 'iam:GetUser', 'sts:GetScopedCredentials']),
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, `${RESULT}/ScopedPoliciesCount`), '2')
      const second = credentialsOf(r, 'GetScopedCredentials')
      assert.equal((await iam(second, 'ListUsers')).status, 200)
      assert.deepEqual(
        (await iam(second, 'ListRoles')).error,
        denial(SESSION_ARN, 'iam:ListRoles', listed('role', noSession('iam:ListRoles'))),
      )
      // The role allows GetUser and the second policy does, the first does not: still refused.
      assert.deepEqual(
        (await iam(second, 'GetUser', { UserName: 'alice' })).error,
        denial(
          SESSION_ARN,
          'iam:GetUser',
          `on resource: arn:aws:iam::${ACCOUNT_ID}:user/alice ${noSession('iam:GetUser')}`,
        ),
      )
      // The first credentials keep their own, wider permissions.
      assert.equal((await iam(first, 'ListRoles')).status, 200)
    })

    it('include calling it again only where the scope-down policies allow it', async () => {
      const child = await scoped(await workerSession(), {
        Policy: policy('Allow', 'iam:ListUsers'),
      })
      const r = await scope(child, { DurationSeconds: '60' })
      assert.equal(r.status, 403)
      assert.deepEqual(
        r.error,
        denial(SESSION_ARN, 'sts:GetScopedCredentials', noSession('sts:GetScopedCredentials')),
      )
    })

    it('lose to an explicit deny in any scope-down policy', async () => {
      const first = await scoped(await workerSession(), {
        Policy: statements(
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: 'iam:ListRoles', Resource: '*' },
        ),
      })
      assert.equal((await iam(first, 'ListUsers')).status, 200)
      const explicit = denial(
        SESSION_ARN,
        'iam:ListRoles',
        listed('role', 'with an explicit deny in a session policy'),
      )
      assert.deepEqual((await iam(first, 'ListRoles')).error, explicit)
      // A later policy that allows everything does not lift an earlier deny.
      const second = await scoped(first, { Policy: policy('Allow', '*') })
      assert.deepEqual((await iam(second, 'ListRoles')).error, explicit)
      assert.equal((await iam(second, 'ListGroups')).status, 200)
    })

    it('take three scope-down policies at most; DurationSeconds alone still narrows the fourth time', async () => {
      const allowAll = policy('Allow', '*')
      let key: Credentials = await workerSession()
      for (let count = 1; count <= 3; count++) {
        const r = await scope(key, { Policy: allowAll })
        assert.equal(xmlText(r.xml, `${RESULT}/ScopedPoliciesCount`), String(count))
        key = credentialsOf(r, 'GetScopedCredentials')
      }
      const fourth = await scope(key, { Policy: allowAll })
      assert.equal(fourth.status, 403)
      assert.deepEqual(fourth.error, {
        code: 'AccessDenied',
        message:
          'Cannot call GetScopedCredentials with a Policy: the session already has the maximum of 3 scope down policies.',
      })
      const shorter = await scope(key, { DurationSeconds: '60' })
      assert.equal(shorter.status, 200, shorter.body)
      assert.equal(xmlText(shorter.xml, `${RESULT}/ScopedPoliciesCount`), '3')
    })

    it('survive a second node: the scope-down policies travel in the token', async () => {
      const child = await scoped(await workerSession(), {
        Policy: policy('Allow', 'iam:ListUsers'),
      })
      const second = await startSecondNode(g)
      try {
        const ok = await callWith(second.node, 'ListUsers', {}, { key: child })
        assert.equal(ok.status, 200, ok.body)
        const refused = await callWith(second.node, 'ListRoles', {}, { key: child })
        assert.deepEqual(
          refused.error,
          denial(SESSION_ARN, 'iam:ListRoles', listed('role', noSession('iam:ListRoles'))),
        )
      } finally {
        await second.node.close()
      }
    })
  })

  describe('the duration', () => {
    it("is the session's remaining lifetime by default, and never more", async () => {
      // The session lasts an hour from NOW (12:00:00Z).
      const parent = await workerSession()
      assert.equal(parent.expiration, '2026-03-15T13:00:00Z')
      for (const [params, expiration] of [
        [{ Policy: policy('Allow', '*') }, '2026-03-15T13:00:00Z'],
        [{ DurationSeconds: '1' }, '2026-03-15T12:00:01Z'],
        [{ DurationSeconds: '900' }, '2026-03-15T12:15:00Z'],
        [{ DurationSeconds: '3600' }, '2026-03-15T13:00:00Z'],
      ] as const) {
        const r = await scope(parent, params)
        assert.equal(credentialsOf(r, 'GetScopedCredentials').expiration, expiration)
      }
      const r = await scope(parent, { DurationSeconds: '3601' })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'InsufficientSessionLifetime',
        message:
          'The requested DurationSeconds (3601) exceeds the remaining lifetime of the calling session (3600 seconds).',
      })
    })

    it('counts what is left of the session when the call is made', async () => {
      const parent = await workerSession()
      const later = await startSecondNode(g, '20260315T123000Z')
      try {
        const call = (params: Record<string, string>) =>
          callWith(later.node, 'GetScopedCredentials', params, {
            service: 'sts',
            key: parent,
            time: '20260315T123000Z',
          })
        const inherits = await call({ Policy: policy('Allow', '*') })
        assert.equal(
          credentialsOf(inherits, 'GetScopedCredentials').expiration,
          '2026-03-15T13:00:00Z',
        )
        const tooLong = await call({ DurationSeconds: '1801' })
        assert.equal(tooLong.error?.code, 'InsufficientSessionLifetime')
        assert.match(tooLong.error?.message ?? '', /\(1800 seconds\)\.$/)
      } finally {
        await later.node.close()
      }
    })

    it('ends the scoped credentials with ExpiredToken, and not the session', async () => {
      const parent = await workerSession()
      const child = await scoped(parent, { DurationSeconds: '60' })
      assert.equal(child.expiration, '2026-03-15T12:01:00Z')
      const second = await startSecondNode(g, '20260315T120059Z')
      try {
        const at = (time: string, key: Credentials) => {
          second.setTime(time)
          return callWith(second.node, 'GetCallerIdentity', {}, { service: 'sts', key, time })
        }
        assert.equal((await at('20260315T120059Z', child)).status, 200)
        const expired = await at('20260315T120100Z', child)
        assert.equal(expired.status, 403)
        assert.deepEqual(expired.error, {
          code: 'ExpiredToken',
          message: 'The security token included in the request is expired',
        })
        assert.equal((await at('20260315T120100Z', parent)).status, 200)
      } finally {
        await second.node.close()
      }
    })
  })

  describe('validation', () => {
    it('needs Policy or DurationSeconds', async () => {
      const parent = await workerSession()
      for (const params of [
        {},
        { ScopedSessionDescription: 'agent', MinimumSessionTokenSize: '10' },
      ]) {
        const r = await scope(parent, params)
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, {
          code: 'ValidationError',
          message: 'A request must provide at least one of Policy or DurationSeconds.',
        })
      }
    })

    it('bounds DurationSeconds, MinimumSessionTokenSize, ScopedSessionDescription and Policy', async () => {
      const parent = await workerSession()
      const cases: readonly [Record<string, string>, string][] = [
        [
          { DurationSeconds: '0' },
          "Value '0' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ],
        [
          { DurationSeconds: '129601' },
          "Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
        ],
        [
          { DurationSeconds: '60', MinimumSessionTokenSize: '4097' },
          "Value '4097' at 'minimumSessionTokenSize' failed to satisfy constraint: Member must have value less than or equal to 4096",
        ],
        [
          { DurationSeconds: '60', MinimumSessionTokenSize: '-1' },
          "Value '-1' at 'minimumSessionTokenSize' failed to satisfy constraint: Member must have value greater than or equal to 0",
        ],
        [
          { DurationSeconds: '60', ScopedSessionDescription: 'd'.repeat(257) },
          `Value '${'d'.repeat(257)}' at 'scopedSessionDescription' failed to satisfy constraint: Member must have length less than or equal to 256`,
        ],
      ]
      for (const [params, message] of cases) {
        const r = await scope(parent, params)
        assert.equal(r.status, 400, JSON.stringify(params))
        assert.deepEqual(r.error, {
          code: 'ValidationError',
          message: `1 validation error detected: ${message}`,
        })
      }
      const long = await scope(parent, {
        Policy: policy(
          'Allow',
          'iam:ListUsers',
          `arn:aws:iam::${ACCOUNT_ID}:user/${'u'.repeat(2048)}`,
        ),
      })
      assert.equal(long.error?.code, 'ValidationError')
      assert.match(
        long.error?.message ?? '',
        /at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048$/,
      )
      const control = await scope(parent, { Policy: `{"Version":"2012-10-17",\u0001}` })
      assert.equal(control.error?.code, 'ValidationError')
      assert.match(
        control.error?.message ?? '',
        /at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      )
      const described = await scope(parent, {
        DurationSeconds: '60',
        ScopedSessionDescription: 'd'.repeat(256),
      })
      assert.equal(described.status, 200, described.body)
    })

    it('refuses a malformed scope-down policy with MalformedPolicyDocument', async () => {
      const parent = await workerSession()
      const cases: readonly [string, string][] = [
        ['{"Version": "2012-10-17"', 'Syntax errors in policy.'],
        [
          statements({ Effect: 'Allow', Principal: '*', Action: 'iam:GetUser', Resource: '*' }),
          'Policy document should not specify a principal.',
        ],
      ]
      for (const [document, message] of cases) {
        const r = await scope(parent, { Policy: document })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'MalformedPolicyDocument', message })
      }
    })

    it('refuses what the session token has no room for with PackedPolicyTooLarge', async () => {
      // Session tags of random text fill most of the session's packed room...
      const tags: Record<string, string> = {}
      for (let i = 1; i <= 24; i++) {
        tags[`Tags.member.${i}.Key`] = `k${i}`
        tags[`Tags.member.${i}.Value`] = randomText(180)
      }
      const r = await sts(
        g,
        'AssumeRole',
        { RoleArn: ROLE_ARN, RoleSessionName: 'job-1', ...tags },
        alice,
      )
      assert.equal(r.status, 200, r.body)
      const packed = Number(xmlText(r.xml, 'AssumeRoleResult/PackedPolicySize'))
      assert.ok(packed >= 60 && packed <= 95, String(packed))
      const full = credentialsOf(r, 'AssumeRole')
      // ...and a scope-down policy of random names does not fit beside them.
      const resources: string[] = []
      while (JSON.stringify(resources).length < 1900) {
        resources.push(`arn:aws:s3:::${randomText(40)}`)
      }
      const document = policy('Allow', 's3:GetObject', resources)
      assert.ok(document.length <= 2048)
      const refused = await scope(full, { Policy: document })
      assert.equal(refused.status, 400)
      assert.equal(refused.error?.code, 'PackedPolicyTooLarge')
      assert.match(
        refused.error?.message ?? '',
        /^Packed policy consumes 1\d\d% of allotted space, please use smaller policy\.$/,
      )
      // A small one still does.
      assert.equal((await scope(full, { Policy: policy('Allow', 'iam:ListUsers') })).status, 200)
    })
  })

  describe('the session token', () => {
    it('is padded to MinimumSessionTokenSize, and its size and utilization reported', async () => {
      const parent = await workerSession()
      const plain = await scope(parent, { DurationSeconds: '900' })
      const plainSize = Number(xmlText(plain.xml, `${RESULT}/SessionTokenSize`))
      const plainToken = credentialsOf(plain, 'GetScopedCredentials').sessionToken
      assert.equal(plainSize, plainToken.length)
      assert.ok(plainSize < 4096)
      assert.equal(
        xmlText(plain.xml, `${RESULT}/SessionTokenUtilization`),
        String(Math.ceil((plainSize * 100) / 32768)),
      )
      const padded = await scope(parent, {
        DurationSeconds: '900',
        MinimumSessionTokenSize: '4096',
      })
      const credentials = credentialsOf(padded, 'GetScopedCredentials')
      const size = Number(xmlText(padded.xml, `${RESULT}/SessionTokenSize`))
      assert.equal(size, credentials.sessionToken.length)
      assert.ok(size >= 4096 && size < 4096 + 64, String(size))
      // Padded credentials work as any others.
      const who = await sts(g, 'GetCallerIdentity', {}, credentials)
      assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Arn'), SESSION_ARN)
      const zero = await scope(parent, { DurationSeconds: '900', MinimumSessionTokenSize: '0' })
      assert.ok(Number(xmlText(zero.xml, `${RESULT}/SessionTokenSize`)) < 4096)
    })
  })

  describe('the trail', () => {
    it('records the call with its credentials, their secret left out and the token hidden', async () => {
      const parent = await workerSession()
      const r = await scope(parent, {
        Policy: policy('Allow', 'iam:ListUsers'),
        DurationSeconds: '900',
        ScopedSessionDescription: 'agent run 7',
      })
      const child = credentialsOf(r, 'GetScopedCredentials')
      const events = (await g.trail.readTrailEvents(0, 10_000)).filter(
        (e) => e.eventName === 'GetScopedCredentials' && e.accessKeyId === parent.accessKeyId,
      )
      const event = events.at(-1)
      assert.ok(event !== undefined)
      assert.ok(!event.record.includes(child.secretAccessKey))
      assert.ok(!event.record.includes(child.sessionToken))
      const record = JSON.parse(event.record) as {
        eventSource: string
        readOnly: boolean
        userIdentity: { arn: string }
        requestParameters: Record<string, unknown>
        responseElements: {
          credentials: Record<string, unknown>
          sessionInfo: Record<string, unknown>
          scopedPoliciesCount: number
        }
      }
      assert.equal(record.eventSource, 'sts.amazonaws.com')
      assert.equal(record.userIdentity.arn, SESSION_ARN)
      assert.equal(record.requestParameters['durationSeconds'], 900)
      assert.equal(record.requestParameters['scopedSessionDescription'], 'agent run 7')
      assert.equal(record.requestParameters['policy'], policy('Allow', 'iam:ListUsers'))
      assert.equal(record.responseElements.credentials['accessKeyId'], child.accessKeyId)
      assert.equal(record.responseElements.credentials['sessionToken'], HIDDEN)
      assert.ok(!('secretAccessKey' in record.responseElements.credentials))
      assert.deepEqual(record.responseElements.sessionInfo, {
        scopedSessionId: `${roleId}:job-1`,
        arn: SESSION_ARN,
      })
      assert.equal(record.responseElements.scopedPoliciesCount, 1)
    })
  })
})

/** Random letters and digits: text that deflate cannot shrink much. */
function randomText(length: number): string {
  let text = ''
  while (text.length < length)
    text += randomBytes(length)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
  return text.slice(0, length)
}
