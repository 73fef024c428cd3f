/**
 * STS AssumeRoleWithWebIdentity in process, against a real OpenID Connect issuer on 127.0.0.1
 * (test/support/oidc-issuer.ts: node:http serving its discovery document and key set, tokens
 * signed by jose with keys the test made): valid RS256 and ES256 tokens, and the refusals of an
 * expired token, a wrong audience, an unknown issuer, a forged signature, `alg: none`, a
 * tampered payload and an unknown key id; the trust policy's conditions on the provider's keys;
 * session policies, tags and source identity from the token; the credentials in use; the audit
 * record; and the key source's cache.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { OidcKeySource } from '../../src/auth/federation/oidc-key-source.js'
import { epoch } from '../auth/sigv4-signer.js'
import {
  ACCOUNT_ID,
  NOW,
  formEncode,
  policy,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { InProcess, Reply } from '../support/in-process.js'
import { startOidcIssuer, tamperedToken, unsignedToken } from '../support/oidc-issuer.js'
import type { OidcIssuer } from '../support/oidc-issuer.js'
import { callWith, createRole, credentialsOf, sts } from '../support/temporary-credentials.js'

const NOW_SECONDS = Math.floor(epoch(NOW) / 1000)
const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`
const RESULT = 'AssumeRoleWithWebIdentityResult'
const NOT_AUTHORIZED = {
  code: 'AccessDenied',
  message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
}

/** A trust policy letting the provider's users assume the role, under `condition`. */
function federatedTrust(
  providerArn: string,
  condition?: Record<string, unknown>,
  actions: string | string[] = 'sts:AssumeRoleWithWebIdentity',
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: actions,
        ...(condition === undefined ? {} : { Condition: condition }),
      },
    ],
  })
}

describe('STS AssumeRoleWithWebIdentity', () => {
  let g: InProcess
  let issuer: OidcIssuer
  let providerArn: string
  const claims = (extra: Record<string, unknown> = {}) => ({
    sub: 'user-1',
    aud: 'my-app',
    iat: NOW_SECONDS - 10,
    exp: NOW_SECONDS + 600,
    ...extra,
  })

  /** AssumeRoleWithWebIdentity sent unsigned, as the SDKs and the CLI send it. */
  const assume = (params: Record<string, string>): Promise<Reply> =>
    g.send({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: formEncode({
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: ROLE('Web'),
        RoleSessionName: 'web-session',
        ...params,
      }),
    })

  before(async () => {
    g = await startInProcess()
    issuer = await startOidcIssuer()
    providerArn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${issuer.name}`
    // IAM takes only https URLs; the loopback issuer serves http under the same name.
    const created = await g.call('CreateOpenIDConnectProvider', {
      Url: `https://${issuer.name}`,
      'ClientIDList.member.1': 'my-app',
    })
    assert.equal(created.status, 200, created.body)
    await createRole(
      g,
      {
        name: 'Web',
        assumeRolePolicyDocument: federatedTrust(providerArn, {
          StringEquals: { [`${issuer.name}:aud`]: 'my-app', [`${issuer.name}:sub`]: 'user-1' },
        }),
        maxSessionDuration: 7200,
      },
      { read: policy('Allow', ['iam:GetRole', 'iam:ListRoles'], '*') },
    )
  })
  after(async () => {
    await g.close()
    await issuer.close()
  })

  describe('a valid token', () => {
    it('returns credentials, the subject, the role session, the provider and the audience', async () => {
      const r = await assume({ WebIdentityToken: await issuer.sign(claims()) })
      assert.equal(r.status, 200, r.body)
      assert.match(xmlText(r.xml, `${RESULT}/Credentials/AccessKeyId`) ?? '', /^ASIA[A-Z2-7]{16}$/)
      assert.ok((xmlText(r.xml, `${RESULT}/Credentials/SessionToken`) ?? '').length > 40)
      assert.equal(
        xmlText(r.xml, `${RESULT}/Credentials/Expiration`),
        new Date(epoch(NOW) + 3600_000).toISOString().replace('.000Z', 'Z'),
      )
      assert.equal(xmlText(r.xml, `${RESULT}/SubjectFromWebIdentityToken`), 'user-1')
      assert.equal(
        xmlText(r.xml, `${RESULT}/AssumedRoleUser/Arn`),
        `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Web/web-session`,
      )
      assert.match(
        xmlText(r.xml, `${RESULT}/AssumedRoleUser/AssumedRoleId`) ?? '',
        /^AROA[A-Z2-7]+:web-session$/,
      )
      assert.equal(xmlText(r.xml, `${RESULT}/Provider`), providerArn)
      assert.equal(xmlText(r.xml, `${RESULT}/Audience`), 'my-app')
      assert.equal(xmlText(r.xml, `${RESULT}/PackedPolicySize`), undefined)
      assert.equal(r.xml.attributes['xmlns'], 'https://sts.amazonaws.com/doc/2011-06-15/')
    })

    it('takes an ES256 token as well as an RS256 one', async () => {
      const r = await assume({ WebIdentityToken: await issuer.sign(claims(), { key: 'ec' }) })
      assert.equal(r.status, 200, r.body)
    })

    it('gives credentials whose caller is the assumed role, limited to the role', async () => {
      const r = await assume({ WebIdentityToken: await issuer.sign(claims()) })
      const key = credentialsOf(r, 'AssumeRoleWithWebIdentity')
      const who = await sts(g, 'GetCallerIdentity', {}, key)
      assert.equal(who.status, 200, who.body)
      assert.equal(
        xmlText(who.xml, 'GetCallerIdentityResult/Arn'),
        `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Web/web-session`,
      )
      assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Account'), ACCOUNT_ID)
      const allowed = await callWith(g, 'GetRole', { RoleName: 'Web' }, { key })
      assert.equal(allowed.status, 200, allowed.body)
      const denied = await callWith(g, 'ListUsers', {}, { key })
      assert.equal(denied.status, 403, denied.body)
      assert.equal(denied.error?.code, 'AccessDenied')
    })

    it('takes the audience from a list of them, and from azp', async () => {
      const list = await assume({
        WebIdentityToken: await issuer.sign(claims({ aud: ['other', 'my-app'] })),
      })
      assert.equal(list.status, 200, list.body)
      assert.equal(xmlText(list.xml, `${RESULT}/Audience`), 'my-app')
      // With azp, `<provider>:aud` is azp (the trust policy's condition) and `:oaud` the aud.
      const azp = await assume({
        WebIdentityToken: await issuer.sign(claims({ aud: 'resource-server', azp: 'my-app' })),
      })
      assert.equal(azp.status, 200, azp.body)
      assert.equal(xmlText(azp.xml, `${RESULT}/Audience`), 'my-app')
    })

    it('honours DurationSeconds up to the role maximum, and session policies', async () => {
      const r = await assume({
        WebIdentityToken: await issuer.sign(claims()),
        DurationSeconds: '7200',
        Policy: policy('Allow', 'iam:ListRoles', '*'),
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(
        xmlText(r.xml, `${RESULT}/Credentials/Expiration`),
        new Date(epoch(NOW) + 7200_000).toISOString().replace('.000Z', 'Z'),
      )
      assert.match(xmlText(r.xml, `${RESULT}/PackedPolicySize`) ?? '', /^\d+$/)
      const key = credentialsOf(r, 'AssumeRoleWithWebIdentity')
      // The role allows GetRole; the session policy does not.
      const denied = await callWith(g, 'GetRole', { RoleName: 'Web' }, { key })
      assert.equal(denied.error?.code, 'AccessDenied', denied.body)
      const allowed = await callWith(g, 'ListRoles', {}, { key })
      assert.equal(allowed.status, 200, allowed.body)

      const tooLong = await assume({
        WebIdentityToken: await issuer.sign(claims()),
        DurationSeconds: '7201',
      })
      assert.deepEqual(tooLong.error, {
        code: 'ValidationError',
        message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      })
    })

    it('is answered the same when the request is signed for STS', async () => {
      const r = await callWith(
        g,
        'AssumeRoleWithWebIdentity',
        {
          RoleArn: ROLE('Web'),
          RoleSessionName: 'signed',
          WebIdentityToken: await issuer.sign(claims()),
        },
        { service: 'sts', key: { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'x' } },
      )
      assert.equal(r.status, 200, r.body)
    })
  })

  describe('the token refused', () => {
    it('refuses an expired token with ExpiredTokenException', async () => {
      const exp = NOW_SECONDS - 120
      const r = await assume({
        WebIdentityToken: await issuer.sign(claims({ iat: NOW_SECONDS - 900, exp })),
      })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'ExpiredTokenException',
        message: `Token expired: current date/time ${NOW_SECONDS} must be before the expiration date/time ${exp}`,
      })
    })

    it('takes a token expired within the clock skew allowance', async () => {
      const r = await assume({
        WebIdentityToken: await issuer.sign(claims({ exp: NOW_SECONDS - 30 })),
      })
      assert.equal(r.status, 200, r.body)
    })

    it('refuses a token not valid yet', async () => {
      const r = await assume({
        WebIdentityToken: await issuer.sign(claims({ nbf: NOW_SECONDS + 600 })),
      })
      assert.equal(r.status, 400)
      assert.equal(r.error?.code, 'InvalidIdentityToken')
    })

    it('refuses a token without exp', async () => {
      const r = await assume({
        WebIdentityToken: await issuer.sign({ sub: 'user-1', aud: 'my-app', iat: NOW_SECONDS }),
      })
      assert.equal(r.error?.code, 'InvalidIdentityToken', r.body)
    })

    it('refuses a token for another audience', async () => {
      const r = await assume({ WebIdentityToken: await issuer.sign(claims({ aud: 'other-app' })) })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'InvalidIdentityToken',
        message: 'Incorrect token audience',
      })
    })

    it('refuses a token of an issuer that is no provider of the account', async () => {
      const r = await assume({
        WebIdentityToken: await issuer.sign(claims({ iss: 'https://other.example.com' })),
      })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'InvalidIdentityToken',
        message: 'No OpenIDConnect provider found in your account for https://other.example.com',
      })
      // The same host under another path is another issuer.
      const path = await assume({
        WebIdentityToken: await issuer.sign(claims({ iss: `${issuer.url}/tenant` })),
      })
      assert.equal(path.error?.code, 'InvalidIdentityToken', path.body)
      // Plain http is for the loopback interface only.
      const http = await assume({
        WebIdentityToken: await issuer.sign(claims({ iss: 'http://idp.example.com' })),
      })
      assert.deepEqual(http.error, {
        code: 'InvalidIdentityToken',
        message: 'No OpenIDConnect provider found in your account for http://idp.example.com',
      })
    })

    it('refuses a token signed with a key the issuer does not publish', async () => {
      const r = await assume({ WebIdentityToken: await issuer.sign(claims(), { key: 'forged' }) })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'InvalidIdentityToken',
        message: 'The web identity token signature could not be verified.',
      })
    })

    it('refuses an unsigned token (alg none)', async () => {
      const r = await assume({ WebIdentityToken: unsignedToken({ iss: issuer.url, ...claims() }) })
      assert.equal(r.status, 400)
      assert.equal(r.error?.code, 'InvalidIdentityToken')
      assert.match(r.error?.message ?? '', /signed with none/)
    })

    it('refuses a token whose payload was changed after signing', async () => {
      const token = await issuer.sign(claims({ sub: 'user-2' }))
      const r = await assume({
        WebIdentityToken: tamperedToken(token, { iss: issuer.url, ...claims() }),
      })
      assert.equal(r.status, 400)
      assert.equal(r.error?.code, 'InvalidIdentityToken')
    })

    it('refuses a token that names an unknown key, fetching the keys again only once', async () => {
      const before = issuer.served.jwks
      for (let i = 0; i < 3; i++) {
        const r = await assume({ WebIdentityToken: await issuer.sign(claims(), { kid: 'nope' }) })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, {
          code: 'InvalidIdentityToken',
          message:
            "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        })
      }
      // Keys a moment old are not fetched again for every made-up key id.
      assert.ok(issuer.served.jwks - before <= 1, `${issuer.served.jwks - before} fetches`)
    })

    it('refuses what is no JWT at all, without quoting it', async () => {
      const r = await assume({ WebIdentityToken: 'not-a-token-at-all' })
      assert.equal(r.error?.code, 'InvalidIdentityToken')
      assert.ok(!r.body.includes('not-a-token-at-all'))
    })

    it('answers IDPCommunicationError when the issuer cannot be reached', async () => {
      const down = await startOidcIssuer()
      try {
        down.failing = true
        const created = await g.call('CreateOpenIDConnectProvider', {
          Url: `https://${down.name}`,
          'ClientIDList.member.1': 'my-app',
        })
        assert.equal(created.status, 200, created.body)
        const r = await assume({ WebIdentityToken: await down.sign(claims()) })
        assert.equal(r.status, 400)
        assert.equal(r.error?.code, 'IDPCommunicationError')
      } finally {
        await down.close()
      }
    })
  })

  describe('the trust policy', () => {
    it('refuses a subject its condition does not name', async () => {
      const r = await assume({ WebIdentityToken: await issuer.sign(claims({ sub: 'user-2' })) })
      assert.equal(r.status, 403)
      assert.deepEqual(r.error, NOT_AUTHORIZED)
    })

    it('refuses an audience its condition does not name, though the provider lists it', async () => {
      const added = await g.call('AddClientIDToOpenIDConnectProvider', {
        OpenIDConnectProviderArn: providerArn,
        ClientID: 'second-app',
      })
      assert.equal(added.status, 200, added.body)
      const r = await assume({ WebIdentityToken: await issuer.sign(claims({ aud: 'second-app' })) })
      assert.deepEqual(r.error, NOT_AUTHORIZED)
    })

    it('matches StringLike on sub, and the oaud and amr keys', async () => {
      await createRole(g, {
        name: 'Pattern',
        assumeRolePolicyDocument: federatedTrust(providerArn, {
          StringLike: { [`${issuer.name}:sub`]: 'repo:acme/*' },
          StringEquals: { [`${issuer.name}:oaud`]: 'api' },
          'ForAnyValue:StringEquals': { [`${issuer.name}:amr`]: 'mfa' },
        }),
      })
      const token = (extra: Record<string, unknown>) =>
        issuer.sign(
          claims({
            sub: 'repo:acme/web',
            aud: 'api',
            azp: 'my-app',
            amr: ['pwd', 'mfa'],
            ...extra,
          }),
        )
      const ok = await assume({ RoleArn: ROLE('Pattern'), WebIdentityToken: await token({}) })
      assert.equal(ok.status, 200, ok.body)
      const otherRepo = await assume({
        RoleArn: ROLE('Pattern'),
        WebIdentityToken: await token({ sub: 'repo:evil/web' }),
      })
      assert.deepEqual(otherRepo.error, NOT_AUTHORIZED)
      const noMfa = await assume({
        RoleArn: ROLE('Pattern'),
        WebIdentityToken: await token({ amr: ['pwd'] }),
      })
      assert.deepEqual(noMfa.error, NOT_AUTHORIZED)
    })

    it('refuses a role that trusts another provider, or that does not exist', async () => {
      await createRole(g, {
        name: 'Elsewhere',
        assumeRolePolicyDocument: federatedTrust(
          `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.example.com`,
        ),
      })
      const other = await assume({
        RoleArn: ROLE('Elsewhere'),
        WebIdentityToken: await issuer.sign(claims()),
      })
      assert.deepEqual(other.error, NOT_AUTHORIZED)
      const missing = await assume({
        RoleArn: ROLE('Nobody'),
        WebIdentityToken: await issuer.sign(claims()),
      })
      assert.equal(missing.status, 403)
      assert.deepEqual(missing.error, NOT_AUTHORIZED)
      const bad = await assume({
        RoleArn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
        WebIdentityToken: await issuer.sign(claims()),
      })
      assert.deepEqual(bad.error, { code: 'ValidationError', message: 'Request ARN is invalid' })
    })

    it('asks sts:TagSession for the tags the token passes, and sets its source identity', async () => {
      const tagClaims = claims({
        'https://aws.amazon.com/tags': {
          principal_tags: { team: ['blue'] },
          transitive_tag_keys: ['team'],
        },
        'https://aws.amazon.com/source_identity': 'alice',
      })
      const refused = await assume({ WebIdentityToken: await issuer.sign(tagClaims) })
      assert.deepEqual(refused.error, {
        code: 'AccessDenied',
        message: 'Not authorized to perform sts:TagSession',
      })
      await createRole(g, {
        name: 'Tagged',
        assumeRolePolicyDocument: federatedTrust(
          providerArn,
          { StringEquals: { 'aws:RequestTag/team': 'blue', 'sts:SourceIdentity': 'alice' } },
          ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity'],
        ),
      })
      const r = await assume({
        RoleArn: ROLE('Tagged'),
        WebIdentityToken: await issuer.sign(tagClaims),
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, `${RESULT}/SourceIdentity`), 'alice')
      assert.match(xmlText(r.xml, `${RESULT}/PackedPolicySize`) ?? '', /^\d+$/)
    })
  })

  describe('the session later', () => {
    it('carries aws:FederatedProvider on its requests, and names the provider in their records', async () => {
      await createRole(
        g,
        {
          name: 'WebProvider',
          assumeRolePolicyDocument: federatedTrust(providerArn, {
            StringEquals: { 'aws:FederatedProvider': providerArn },
          }),
        },
        {
          byProvider: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'iam:GetRole',
                Resource: '*',
                Condition: { StringEquals: { 'aws:FederatedProvider': providerArn } },
              },
              {
                Effect: 'Allow',
                Action: 'sts:GetWebIdentityToken',
                Resource: '*',
              },
              {
                // Only for sessions without a provider: this one has one.
                Effect: 'Allow',
                Action: 'iam:ListRoles',
                Resource: '*',
                Condition: { Null: { 'aws:FederatedProvider': 'true' } },
              },
            ],
          }),
        },
      )
      const r = await assume({
        RoleArn: ROLE('WebProvider'),
        WebIdentityToken: await issuer.sign(claims()),
      })
      assert.equal(r.status, 200, r.body)
      const key = credentialsOf(r, 'AssumeRoleWithWebIdentity')
      const allowed = await callWith(g, 'GetRole', { RoleName: 'WebProvider' }, { key })
      assert.equal(allowed.status, 200, allowed.body)
      const denied = await callWith(g, 'ListRoles', {}, { key })
      assert.equal(denied.status, 403, denied.body)
      const record = (await g.trail.readTrailEvents(0, 10_000))
        .filter((e) => e.eventName === 'GetRole')
        .map((e) => JSON.parse(e.record) as { userIdentity: { sessionContext?: unknown } })
        .at(-1)
      assert.deepEqual(
        (record?.userIdentity.sessionContext as { webIdFederationData?: unknown })
          ?.webIdFederationData,
        { federatedProvider: providerArn, attributes: {} },
      )
      // And its outbound tokens name the provider (federated_provider).
      assert.equal((await g.call('EnableOutboundWebIdentityFederation')).status, 200)
      const t = await sts(
        g,
        'GetWebIdentityToken',
        { 'Audience.member.1': 'api', SigningAlgorithm: 'ES384' },
        key,
      )
      assert.equal(t.status, 200, t.body)
      const jwt = xmlText(t.xml, 'GetWebIdentityTokenResult/WebIdentityToken') ?? ''
      const payload = JSON.parse(
        Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as Record<string, Record<string, unknown>>
      assert.equal(payload['https://sts.amazonaws.com/']?.['federated_provider'], providerArn)
    })
  })

  describe('the audit trail', () => {
    it('records the call as WebIdentityUser in the role account, and never the token', async () => {
      const token = await issuer.sign(claims({ jti: 'audit-me' }))
      const refusedToken = await issuer.sign(claims({ sub: 'user-2', jti: 'audit-refused' }))
      assert.equal((await assume({ WebIdentityToken: token })).status, 200)
      assert.equal((await assume({ WebIdentityToken: refusedToken })).status, 403)
      const events = (await g.trail.readTrailEvents(0, 10_000)).filter(
        (e) => e.eventName === 'AssumeRoleWithWebIdentity',
      )
      const signature = (t: string) => t.split('.')[2] ?? t
      for (const event of events) {
        assert.ok(!event.record.includes(signature(token)), 'the token is in a record')
        assert.ok(!event.record.includes(signature(refusedToken)), 'the token is in a record')
      }
      const records = events.slice(-2).map(
        (e) =>
          JSON.parse(e.record) as {
            userIdentity: Record<string, unknown>
            recipientAccountId?: string
            requestParameters: Record<string, unknown>
            responseElements: Record<string, unknown> | null
            errorCode?: string
            eventSource: string
            resources?: unknown[]
          },
      )
      const [ok, refused] = records as [(typeof records)[0], (typeof records)[0]]
      assert.deepEqual(ok.userIdentity, {
        type: 'WebIdentityUser',
        principalId: `${providerArn}:my-app:user-1`,
        userName: 'user-1',
        identityProvider: providerArn,
      })
      assert.equal(ok.recipientAccountId, ACCOUNT_ID)
      assert.equal(ok.eventSource, 'sts.amazonaws.com')
      assert.equal(ok.requestParameters['webIdentityToken'], 'HIDDEN_DUE_TO_SECURITY_REASONS')
      assert.equal(ok.requestParameters['roleArn'], ROLE('Web'))
      assert.equal(ok.responseElements?.['subjectFromWebIdentityToken'], 'user-1')
      assert.equal(refused.errorCode, 'AccessDenied')
      assert.equal(refused.userIdentity['userName'], 'user-2')
      assert.equal(refused.recipientAccountId, ACCOUNT_ID)
    })
  })
})

describe('the OIDC key source', () => {
  it('keeps keys for their time to live, and fetches a rotated key set after the cool-down', async () => {
    const issuer = await startOidcIssuer()
    let clock = 0
    const keys = new OidcKeySource({ ttlMs: 60_000, cooldownMs: 5_000, monotonicNow: () => clock })
    try {
      const first = await keys.keys(issuer.url)
      assert.equal(first.keys.length, 2)
      await keys.keys(issuer.url)
      assert.equal(issuer.served.jwks, 1)
      await issuer.rotate('rsa-2')
      // Within the cool-down, a refresh is not granted.
      assert.equal((await keys.keys(issuer.url, { refresh: true })).keys.length, 2)
      clock = 5_000
      assert.equal((await keys.keys(issuer.url, { refresh: true })).keys.length, 3)
      assert.equal(issuer.served.jwks, 2)
      clock = 70_000
      await keys.keys(issuer.url)
      assert.equal(issuer.served.jwks, 3)
    } finally {
      await issuer.close()
    }
  })

  it('fetches one issuer once for requests that arrive together', async () => {
    const issuer = await startOidcIssuer()
    try {
      const keys = new OidcKeySource()
      await Promise.all([keys.keys(issuer.url), keys.keys(issuer.url), keys.keys(issuer.url)])
      assert.equal(issuer.served.discovery, 1)
      assert.equal(issuer.served.jwks, 1)
    } finally {
      await issuer.close()
    }
  })

  it('refuses plain http off the loopback interface', async () => {
    const keys = new OidcKeySource()
    await assert.rejects(keys.keys('http://idp.example.com'), { name: 'IdpCommunicationError' })
  })
})
