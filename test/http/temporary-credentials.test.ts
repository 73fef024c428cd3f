/**
 * Requests signed with temporary credentials (an ASIA key and its session token), in process:
 * the token opened and checked, the signature verified with the secret it holds, expiry, the end
 * of a deleted role's sessions, what each kind of session credentials may not call, and STS's
 * unsigned actions.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AuthCache } from '../../src/auth/auth-cache.js'
import { authenticate } from '../../src/auth/authenticate.js'
import { parseAuthorization } from '../../src/auth/sigv4/index.js'
import { SessionTokenKey } from '../../src/auth/session-token.js'
import { AwsError } from '../../src/errors/aws-error.js'
import { signRequest } from '../auth/sigv4-signer.js'
import {
  ACCOUNT_ID,
  NOW,
  ROOT_KEY,
  createUserWithKey,
  formEncode,
  policy,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'
import {
  callWith,
  createRole,
  credentialsOf,
  startSecondNode,
  sts,
  trustPolicy,
} from '../support/temporary-credentials.js'
import type { SessionCredentials } from '../support/temporary-credentials.js'

const INVALID = {
  code: 'InvalidClientTokenId',
  message: 'The security token included in the request is invalid.',
}
const EXPIRED = {
  code: 'ExpiredToken',
  message: 'The security token included in the request is expired',
}
const ALICE_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/alice`

describe('requests signed with temporary credentials', () => {
  let g: InProcess
  let alice: Credentials
  let roleArn: string
  let roleId: string
  let session: SessionCredentials

  async function assumeReader(name = 'app'): Promise<SessionCredentials> {
    const r = await sts(g, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: name }, alice)
    assert.equal(r.status, 200, r.body)
    return credentialsOf(r, 'AssumeRole')
  }

  before(async () => {
    g = await startInProcess({ captureLog: true })
    alice = await createUserWithKey(g, 'alice')
    const role = await createRole(
      g,
      { name: 'Reader', path: '/apps/', assumeRolePolicyDocument: trustPolicy(ALICE_ARN) },
      { read: policy('Allow', 'iam:GetUser', `arn:aws:iam::${ACCOUNT_ID}:user/*`) },
    )
    roleArn = role.arn
    roleId = role.roleId
    session = await assumeReader()
  })
  after(() => g.close())

  describe('a valid session', () => {
    it('is the role session to GetCallerIdentity, in the header form and presigned', async () => {
      for (const form of ['header', 'query'] as const) {
        const r = await callWith(g, 'GetCallerIdentity', {}, { service: 'sts', key: session, form })
        assert.equal(r.status, 200, r.body)
        assert.equal(
          xmlText(r.xml, 'GetCallerIdentityResult/Arn'),
          `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Reader/app`,
        )
        assert.equal(xmlText(r.xml, 'GetCallerIdentityResult/UserId'), `${roleId}:app`)
        assert.equal(xmlText(r.xml, 'GetCallerIdentityResult/Account'), ACCOUNT_ID)
      }
    })

    it('may do what the role allows, and is denied the rest in the session ARN', async () => {
      const got = await callWith(g, 'GetUser', { UserName: 'alice' }, { key: session })
      assert.equal(got.status, 200, got.body)
      const denied = await callWith(g, 'CreateUser', { UserName: 'mallory' }, { key: session })
      assert.equal(denied.status, 403)
      assert.deepEqual(denied.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/Reader/app is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT_ID}:user/mallory because no identity-based policy allows the iam:CreateUser action`,
      })
    })

    it('is accepted by another node that serves the same store', async () => {
      const second = await startSecondNode(g)
      try {
        const r = await callWith(second.node, 'GetUser', { UserName: 'alice' }, { key: session })
        assert.equal(r.status, 200, r.body)
      } finally {
        await second.node.close()
      }
    })
  })

  describe('tokens that do not open', () => {
    const tamperings: readonly [string, (token: string) => string][] = [
      ['one character changed in the ciphertext', (t) => flip(t, Math.floor(t.length / 2))],
      ['the version byte changed', (t) => flip(t, 0)],
      ['the authentication tag changed', (t) => flip(t, t.length - 6)],
      ['cut short', (t) => t.slice(0, t.length - 8)],
      ['two tokens spliced', (t) => t.slice(0, 40) + session.sessionToken.slice(40)],
      ['not base64', (t) => `${t.slice(0, 10)}!${t.slice(11)}`],
      ['an AWS-looking token', () => 'FwoGZXIvYXdzEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW'],
      ['empty', () => ''],
      ['far too long', (t) => t.repeat(100)],
    ]
    for (const [name, tamper] of tamperings) {
      it(`refuses a token ${name} with InvalidClientTokenId (403)`, async () => {
        const other = await assumeReader('tampered')
        const r = await callWith(
          g,
          'GetCallerIdentity',
          {},
          { service: 'sts', key: other, sessionToken: tamper(other.sessionToken) },
        )
        assert.equal(r.status, 403)
        assert.deepEqual(r.error, INVALID)
      })
    }

    it('refuses a token issued by another server', async () => {
      const elsewhere = await startInProcess()
      try {
        const bob = await createUserWithKey(elsewhere, 'bob')
        const r = await sts(elsewhere, 'GetSessionToken', {}, bob)
        const foreign = credentialsOf(r, 'GetSessionToken')
        const refused = await callWith(g, 'GetCallerIdentity', {}, { service: 'sts', key: foreign })
        assert.equal(refused.status, 403)
        assert.deepEqual(refused.error, INVALID)
      } finally {
        await elsewhere.close()
      }
    })
  })

  describe('keys and tokens that do not belong together', () => {
    it("refuses another session's key with this session's token", async () => {
      const other = await assumeReader('other')
      const r = await callWith(
        g,
        'GetCallerIdentity',
        {},
        { service: 'sts', key: other, sessionToken: session.sessionToken },
      )
      assert.deepEqual(r.error, INVALID)
      assert.equal(r.status, 403)
    })

    it('refuses a long-term key with a session token', async () => {
      const r = await callWith(
        g,
        'GetCallerIdentity',
        {},
        { service: 'sts', key: alice, sessionToken: session.sessionToken },
      )
      assert.deepEqual(r.error, INVALID)
    })

    it('refuses a temporary key without its token', async () => {
      const r = await callWith(
        g,
        'GetCallerIdentity',
        {},
        { service: 'sts', key: session, sessionToken: null },
      )
      assert.deepEqual(r.error, INVALID)
    })

    it('refuses a signature made with another secret with SignatureDoesNotMatch', async () => {
      const r = await callWith(
        g,
        'GetCallerIdentity',
        {},
        { service: 'sts', key: { ...session, secretAccessKey: alice.secretAccessKey } },
      )
      assert.equal(r.status, 403)
      assert.equal(r.error?.code, 'SignatureDoesNotMatch')
    })
  })

  describe('expiry', () => {
    it('serves a session until its Expiration, then answers ExpiredToken (403)', async () => {
      assert.equal(session.expiration, '2026-03-15T13:00:00Z')
      const second = await startSecondNode(g, '20260315T125959Z')
      try {
        const call = (time: string) =>
          callWith(second.node, 'GetCallerIdentity', {}, { service: 'sts', key: session, time })
        const last = await call('20260315T125959Z')
        assert.equal(last.status, 200, last.body)
        second.setTime('20260315T130000Z')
        const expired = await call('20260315T130000Z')
        assert.equal(expired.status, 403)
        assert.deepEqual(expired.error, EXPIRED)
      } finally {
        await second.node.close()
      }
    })

    it('answers ExpiredToken, not a clock error, to a request signed with a stale clock', async () => {
      const second = await startSecondNode(g, '20260316T120000Z')
      try {
        // Signed at NOW, a day behind the server: outside the signature's time window too.
        const r = await callWith(second.node, 'GetUser', {}, { key: session, time: NOW })
        assert.deepEqual(r.error, EXPIRED)
        assert.equal(r.status, 403)
      } finally {
        await second.node.close()
      }
    })

    it('still checks the time window of an unexpired session', async () => {
      const second = await startSecondNode(g, '20260315T121000Z')
      try {
        const r = await callWith(second.node, 'GetUser', {}, { key: session, time: NOW })
        assert.equal(r.error?.code, 'SignatureDoesNotMatch')
        assert.match(r.error?.message ?? '', /^Signature expired: 20260315T120000Z is now earlier/)
      } finally {
        await second.node.close()
      }
    })
  })

  describe('the end of a role', () => {
    it("ends the role's sessions when it is deleted, even if a role of its name is made again", async () => {
      const role = await createRole(g, {
        name: 'Temporary',
        assumeRolePolicyDocument: trustPolicy(ALICE_ARN),
      })
      const r = await sts(g, 'AssumeRole', { RoleArn: role.arn, RoleSessionName: 'doomed' }, alice)
      const doomed = credentialsOf(r, 'AssumeRole')
      const who = () => callWith(g, 'GetCallerIdentity', {}, { service: 'sts', key: doomed })
      assert.equal((await who()).status, 200)

      await g.store.transaction((tx) => tx.deleteRole(ACCOUNT_ID, 'Temporary'))
      const gone = await who()
      assert.equal(gone.status, 403)
      assert.deepEqual(gone.error, INVALID)

      await createRole(g, { name: 'Temporary', assumeRolePolicyDocument: trustPolicy(ALICE_ARN) })
      assert.deepEqual((await who()).error, INVALID)
    })

    it("ends a user's GetSessionToken sessions when the user is deleted", async () => {
      const dora = await createUserWithKey(g, 'dora')
      const r = await sts(g, 'GetSessionToken', {}, dora)
      const credentials = credentialsOf(r, 'GetSessionToken')
      const who = () => callWith(g, 'GetCallerIdentity', {}, { service: 'sts', key: credentials })
      assert.equal(
        xmlText((await who()).xml, 'GetCallerIdentityResult/Arn'),
        `${ALICE_ARN.replace('alice', 'dora')}`,
      )
      await g.store.transaction(async (tx) => {
        await tx.deleteAccessKey(ACCOUNT_ID, 'dora', dora.accessKeyId)
        await tx.deleteUser(ACCOUNT_ID, 'dora')
      })
      assert.deepEqual((await who()).error, INVALID)
    })
  })

  describe('what each kind of session credentials may not call', () => {
    let userSession: SessionCredentials
    let rootSession: SessionCredentials
    let federated: SessionCredentials
    before(async () => {
      await g.call('PutUserPolicy', {
        UserName: 'alice',
        PolicyName: 'federate',
        PolicyDocument: policy('Allow', ['sts:GetFederationToken', 'iam:*'], '*'),
      })
      userSession = credentialsOf(await sts(g, 'GetSessionToken', {}, alice), 'GetSessionToken')
      rootSession = credentialsOf(await sts(g, 'GetSessionToken', {}, ROOT_KEY), 'GetSessionToken')
      federated = credentialsOf(
        await sts(
          g,
          'GetFederationToken',
          { Name: 'fed', Policy: policy('Allow', '*', '*') },
          alice,
        ),
        'GetFederationToken',
      )
    })

    const sessionCredentials = (operation: string) => ({
      code: 'AccessDenied',
      message: `Cannot call ${operation} with session credentials`,
    })

    it('refuses IAM to GetSessionToken credentials without MFA, as an invalid token', async () => {
      for (const key of [userSession, rootSession]) {
        const r = await callWith(g, 'GetUser', { UserName: 'alice' }, { key })
        assert.equal(r.status, 403)
        assert.deepEqual(r.error, INVALID)
      }
    })

    it('refuses IAM to a federated user', async () => {
      const r = await callWith(g, 'GetUser', { UserName: 'alice' }, { key: federated })
      assert.deepEqual(r.error, INVALID)
    })

    const stsCases: readonly [string, () => SessionCredentials, string, Record<string, string>][] =
      [
        ['a role session', () => session, 'GetSessionToken', {}],
        ['a role session', () => session, 'GetFederationToken', { Name: 'x1' }],
        ['GetSessionToken credentials', () => userSession, 'GetSessionToken', {}],
        ['GetSessionToken credentials', () => userSession, 'GetFederationToken', { Name: 'x1' }],
        ['a federated user', () => federated, 'GetSessionToken', {}],
        ['a federated user', () => federated, 'GetFederationToken', { Name: 'x1' }],
        [
          'a federated user',
          () => federated,
          'AssumeRole',
          { RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/apps/Reader`, RoleSessionName: 'x1' },
        ],
      ]
    for (const [who, key, operation, params] of stsCases) {
      it(`refuses ${operation} to ${who} with AccessDenied`, async () => {
        const r = await sts(g, operation, params, key())
        assert.equal(r.status, 403)
        assert.deepEqual(r.error, sessionCredentials(operation))
      })
    }

    it('answers GetCallerIdentity for every kind', async () => {
      const expected: readonly [SessionCredentials, string, string][] = [
        [userSession, ALICE_ARN, 'AIDA'],
        [rootSession, `arn:aws:iam::${ACCOUNT_ID}:root`, ACCOUNT_ID],
        [federated, `arn:aws:sts::${ACCOUNT_ID}:federated-user/fed`, `${ACCOUNT_ID}:fed`],
      ]
      for (const [key, arn, userId] of expected) {
        const r = await sts(g, 'GetCallerIdentity', {}, key)
        assert.equal(xmlText(r.xml, 'GetCallerIdentityResult/Arn'), arn)
        assert.ok(xmlText(r.xml, 'GetCallerIdentityResult/UserId')?.startsWith(userId))
      }
    })

    it('lets GetSessionToken credentials assume a role', async () => {
      const r = await sts(
        g,
        'AssumeRole',
        { RoleArn: roleArn, RoleSessionName: 'from-session' },
        userSession,
      )
      assert.equal(r.status, 200, r.body)
    })

    it('refuses AssumeRole to the root user, with session credentials or without', async () => {
      for (const key of [ROOT_KEY, rootSession]) {
        const r = await sts(g, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'root' }, key)
        assert.equal(r.status, 403)
        assert.deepEqual(r.error, {
          code: 'AccessDenied',
          message: 'Roles may not be assumed by root accounts.',
        })
      }
    })
  })

  describe('secrets', () => {
    it('writes neither the token nor the secret to the log', async () => {
      const other = await assumeReader('logged')
      await callWith(g, 'GetUser', { UserName: 'alice' }, { key: other })
      await callWith(
        g,
        'GetCallerIdentity',
        {},
        { service: 'sts', key: { ...other, secretAccessKey: 'x'.repeat(40) } },
      )
      const log = JSON.stringify(g.logLines)
      assert.ok(g.logLines.length > 0)
      assert.ok(!log.includes(other.sessionToken.slice(0, 40)))
      assert.ok(!log.includes(other.secretAccessKey))
    })

    it("keeps the token out of what a bad signature's cause records", async () => {
      const key = SessionTokenKey.generate()
      const issuedAt = new Date('2026-03-15T11:30:00Z')
      const claims = {
        accountId: ACCOUNT_ID,
        principal: { kind: 'user', userId: 'AIDAEXAMPLE', userName: 'alice', userArn: ALICE_ARN },
        accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
        secretAccessKey: 'the-real-secret',
        issuedAt,
        expiresAt: new Date(issuedAt.getTime() + 3_600_000),
        policies: null,
        tags: [],
        transitiveTagKeys: [],
        sourceIdentity: null,
        chained: false,
        mfa: false,
      } as const
      const token = key.seal(claims)
      const body = formEncode({ Action: 'GetCallerIdentity', Version: '2011-06-15' })
      for (const form of ['header', 'query'] as const) {
        const request = signRequest({
          form,
          time: NOW,
          body,
          service: 'sts',
          accessKeyId: claims.accessKeyId,
          secret: 'not-the-secret',
          sessionToken: token,
        })
        const parsed = parseAuthorization(request)
        assert.ok(parsed.ok)
        const error = await authenticate(new AuthCache(g.store), {
          request,
          authorization: parsed.authorization,
          now: new Date('2026-03-15T12:00:00Z'),
          sessionTokens: key,
        }).then(
          () => assert.fail('authenticated'),
          (err: unknown) => err,
        )
        assert.ok(error instanceof AwsError)
        assert.equal(error.code, 'SignatureDoesNotMatch')
        const cause = JSON.stringify(error.cause)
        assert.match(cause, /<session token>/)
        assert.ok(!cause.includes(token.slice(0, 40)), form)
        assert.ok(!cause.includes(encodeURIComponent(token).slice(0, 40)), form)
        assert.ok(!cause.includes(claims.secretAccessKey))
      }
    })
  })

  describe("STS's unsigned actions", () => {
    const unsigned = (params: Record<string, string>) =>
      g.send({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formEncode(params),
      })

    // What each verifies is test/services/sts-web-identity.test.ts's and sts-saml.test.ts's.
    const unsignedCases = {
      AssumeRoleWithWebIdentity: {
        params: { RoleSessionName: 'web', WebIdentityToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' },
        message: 'The web identity token has no iss claim.',
      },
      AssumeRoleWithSAML: {
        params: {
          PrincipalArn: 'arn:aws:iam::123456789012:saml-provider/None',
          SAMLAssertion: 'bm90IHhtbA==',
        },
        message: "Specified provider doesn't exist",
      },
    }
    for (const [action, { params, message }] of Object.entries(unsignedCases)) {
      it(`routes an unsigned ${action} to STS, which verifies what it carries`, async () => {
        const r = await unsigned({
          Action: action,
          Version: '2011-06-15',
          RoleArn: roleArn,
          ...params,
        })
        assert.equal(r.status, 400)
        assert.equal(r.xml.attributes['xmlns'], 'https://sts.amazonaws.com/doc/2011-06-15/')
        assert.deepEqual(r.error, { code: 'InvalidIdentityToken', message })
      })
    }

    it('answers a signed AssumeRoleWithWebIdentity the same way', async () => {
      const r = await sts(
        g,
        'AssumeRoleWithWebIdentity',
        { RoleArn: roleArn, ...unsignedCases.AssumeRoleWithWebIdentity.params },
        alice,
      )
      assert.deepEqual(r.error, {
        code: 'InvalidIdentityToken',
        message: unsignedCases.AssumeRoleWithWebIdentity.message,
      })
    })

    it('asks an unsigned AssumeRoleWithWebIdentity for its Version', async () => {
      const r = await unsigned({ Action: 'AssumeRoleWithWebIdentity' })
      assert.deepEqual(r.error, {
        code: 'MissingParameter',
        message: 'The request must contain the parameter Version.',
      })
    })

    it("does not take IAM's version for STS's", async () => {
      const r = await unsigned({ Action: 'AssumeRoleWithSAML', Version: '2010-05-08' })
      assert.deepEqual(r.error, {
        code: 'InvalidAction',
        message: 'Could not find operation AssumeRoleWithSAML for version 2010-05-08',
      })
    })

    it('keeps answering every other unsigned request with MissingAuthenticationToken', async () => {
      for (const params of [
        { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        { Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'x' },
        { Action: 'GetSessionToken', Version: '2011-06-15' },
        { Action: 'ListUsers', Version: '2010-05-08' },
      ]) {
        const r = await unsigned(params)
        assert.equal(r.status, 403)
        assert.deepEqual(r.error, {
          code: 'MissingAuthenticationToken',
          message: 'Request is missing Authentication Token',
        })
      }
    })
  })
})

/** The token with the base64 character at `index` replaced by another. */
function flip(token: string, index: number): string {
  const c = token.charAt(index)
  return token.slice(0, index) + (c === 'A' ? 'B' : 'A') + token.slice(index + 1)
}
