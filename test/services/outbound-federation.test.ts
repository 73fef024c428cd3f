/**
 * Outbound web identity federation in process: IAM's switch (Enable, Disable, GetInfo), STS
 * GetWebIdentityToken and its claims, the issuer's discovery documents, the token verified with
 * jose against the JWKS the issuer serves, the signing keys' rotation on a clock the test moves,
 * and the issuer's origin fixed by a public URL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose'
import type { JSONWebKeySet } from 'jose'
import { buildApp } from '../../src/app.js'
import {
  KEY_RETENTION_MS,
  KEY_ROTATION_MS,
} from '../../src/services/iam/outbound-federation-issuer.js'
import { childElements, parseStrictXml, textOf } from '../errors/strict-xml.js'
import {
  ACCOUNT_ID,
  NOW,
  ROOT_KEY,
  createUserWithKey,
  policy,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'
import { epoch } from '../auth/sigv4-signer.js'
import {
  callWith,
  createRole,
  credentialsOf,
  startSecondNode,
  sts,
  trustPolicy,
} from '../support/temporary-credentials.js'

const NOW_DATE = new Date(epoch(NOW))

function allow(g: InProcess, user: string, actions: string[], condition?: object) {
  return g.call('PutUserPolicy', {
    UserName: user,
    PolicyName: 'p',
    PolicyDocument: policy('Allow', actions, '*', condition as Record<string, unknown>),
  })
}

describe('outbound web identity federation', () => {
  let g: InProcess
  let reader: FastifyInstance
  let alice: Credentials
  let issuer = ''

  async function getJson(url: string): Promise<{ status: number; body: unknown }> {
    const { pathname, host } = new URL(url)
    const r = await reader.inject({ method: 'GET', url: pathname, headers: { host } })
    return { status: r.statusCode, body: JSON.parse(r.body) as unknown }
  }

  async function token(params: Record<string, string>, key: Credentials = alice) {
    return sts(g, 'GetWebIdentityToken', params, key)
  }

  async function verify(jwt: string, audience: string) {
    const config = (await getJson(`${issuer}/.well-known/openid-configuration`)).body as {
      issuer: string
      jwks_uri: string
    }
    assert.equal(config.issuer, issuer)
    const jwks = (await getJson(config.jwks_uri)).body as JSONWebKeySet
    return jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer,
      audience,
      currentDate: NOW_DATE,
    })
  }

  before(async () => {
    g = await startInProcess()
    // A second app on the same store: the discovery documents are JSON, which the in-process
    // helper (an XML reader) does not read.
    reader = buildApp({ store: g.store, trail: g.trail, enforcement: 'enforce' })
    await reader.ready()
    alice = await createUserWithKey(g, 'alice', {
      'Tags.member.1.Key': 'dept',
      'Tags.member.1.Value': 'eng',
    })
  })
  after(async () => {
    await reader.close()
    await g.close()
  })

  it('answers FeatureDisabled to GetInfo and Disable, and refuses tokens, before any enable', async () => {
    const info = await g.call('GetOutboundWebIdentityFederationInfo')
    assert.equal(info.status, 404)
    assert.equal(info.error?.code, 'FeatureDisabled')
    const disable = await g.call('DisableOutboundWebIdentityFederation')
    assert.equal(disable.status, 404)
    assert.equal(disable.error?.code, 'FeatureDisabled')
    await allow(g, 'alice', ['sts:GetWebIdentityToken'])
    const t = await token({
      'Audience.member.1': 'https://api.example.com',
      SigningAlgorithm: 'ES384',
    })
    assert.equal(t.status, 403, t.body)
    assert.equal(t.error?.code, 'OutboundWebIdentityFederationDisabledException')
  })

  it('enables once: the issuer URL is Gatehouse’s own, and a second enable is FeatureEnabled', async () => {
    const r = await g.call('EnableOutboundWebIdentityFederation')
    assert.equal(r.status, 200, r.body)
    issuer = xmlText(r.xml, 'EnableOutboundWebIdentityFederationResult/IssuerIdentifier') ?? ''
    assert.match(issuer, /^http:\/\/iam\.example\.test\/gatehouse\/v1\/issuers\/[0-9a-f-]{36}$/)
    const again = await g.call('EnableOutboundWebIdentityFederation')
    assert.equal(again.status, 409)
    assert.equal(again.error?.code, 'FeatureEnabled')
    const info = await g.call('GetOutboundWebIdentityFederationInfo')
    assert.equal(info.status, 200, info.body)
    const result = 'GetOutboundWebIdentityFederationInfoResult'
    assert.equal(xmlText(info.xml, `${result}/IssuerIdentifier`), issuer)
    assert.equal(xmlText(info.xml, `${result}/JwtVendingEnabled`), 'true')
  })

  it('serves the discovery document and public keys only, unauthenticated', async () => {
    const config = await getJson(`${issuer}/.well-known/openid-configuration`)
    assert.equal(config.status, 200)
    assert.deepEqual(
      (config.body as { id_token_signing_alg_values_supported: string[] })
        .id_token_signing_alg_values_supported,
      ['ES384', 'RS256'],
    )
    const jwks = (await getJson(`${issuer}/.well-known/jwks.json`)).body as JSONWebKeySet
    assert.deepEqual(jwks.keys.map((k) => k.alg).sort(), ['ES384', 'RS256'])
    for (const key of jwks.keys) {
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.ok(!(secret in key), secret)
    }
    const missing = await reader.inject({
      method: 'GET',
      url: '/gatehouse/v1/issuers/00000000-0000-0000-0000-000000000000/.well-known/jwks.json',
    })
    assert.equal(missing.statusCode, 404)
  })

  it('needs sts:GetWebIdentityToken, with its condition keys', async () => {
    await allow(g, 'alice', ['sts:GetWebIdentityToken'], {
      StringEquals: { 'sts:SigningAlgorithm': 'ES384' },
      'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['https://api.example.com'] },
      NumericLessThanEquals: { 'sts:DurationSeconds': '600' },
    })
    const params = { 'Audience.member.1': 'https://api.example.com', SigningAlgorithm: 'ES384' }
    assert.equal((await token(params)).status, 200)
    for (const denied of [
      { ...params, SigningAlgorithm: 'RS256' },
      { ...params, 'Audience.member.1': 'https://other.example.com' },
      { ...params, DurationSeconds: '900' },
    ]) {
      const r = await token(denied)
      assert.equal(r.status, 403, JSON.stringify(denied))
      assert.equal(r.error?.code, 'AccessDenied')
    }
    await allow(g, 'alice', ['sts:GetWebIdentityToken'])
  })

  for (const algorithm of ['ES384', 'RS256']) {
    it(`issues a ${algorithm} token for a user that verifies against the served JWKS`, async () => {
      const r = await token({
        'Audience.member.1': 'https://api.example.com',
        SigningAlgorithm: algorithm,
        DurationSeconds: '900',
        'Tags.member.1.Key': 'team',
        'Tags.member.1.Value': 'data',
      })
      assert.equal(r.status, 200, r.body)
      const jwt = xmlText(r.xml, 'GetWebIdentityTokenResult/WebIdentityToken') ?? ''
      assert.equal(xmlText(r.xml, 'GetWebIdentityTokenResult/Expiration'), '2026-03-15T12:15:00Z')
      assert.equal(decodeProtectedHeader(jwt).alg, algorithm)
      const { payload } = await verify(jwt, 'https://api.example.com')
      assert.equal(payload.sub, `arn:aws:iam::${ACCOUNT_ID}:user/alice`)
      assert.equal(payload.aud, 'https://api.example.com')
      assert.equal(payload.exp, (payload.iat ?? 0) + 900)
      assert.equal(typeof payload.jti, 'string')
      assert.deepEqual(payload['https://sts.amazonaws.com/'], {
        aws_account: ACCOUNT_ID,
        principal_id: `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
        source_region: 'us-east-1',
        principal_tags: { dept: 'eng' },
        request_tags: { team: 'data' },
      })
    })
  }

  it('names the region the request was signed for in source_region', async () => {
    const r = await g.call(
      'GetWebIdentityToken',
      { 'Audience.member.1': 'a', SigningAlgorithm: 'ES384' },
      { service: 'sts', key: alice, region: 'eu-west-2' },
    )
    assert.equal(r.status, 200, r.body)
    const { payload } = await verify(
      xmlText(r.xml, 'GetWebIdentityTokenResult/WebIdentityToken') ?? '',
      'a',
    )
    const claims = payload['https://sts.amazonaws.com/'] as Record<string, unknown>
    assert.equal(claims['source_region'], 'eu-west-2')
    // Claims without a value are left out, not sent empty.
    assert.equal('request_tags' in claims, false)
    assert.equal('original_session_exp' in claims, false)
  })

  it('puts the role’s tags under the session’s, the session’s expiry and source identity in a role session’s token', async () => {
    const role = await createRole(
      g,
      {
        name: 'Tagged',
        path: '/app/',
        assumeRolePolicyDocument: trustPolicy(`arn:aws:iam::${ACCOUNT_ID}:root`, [
          'sts:AssumeRole',
          'sts:TagSession',
          'sts:SetSourceIdentity',
        ]),
        tags: [
          { key: 'project', value: 'alpha' },
          { key: 'Team', value: 'role-team' },
        ],
      },
      { p: policy('Allow', 'sts:GetWebIdentityToken') },
    )
    await allow(g, 'alice', [
      'sts:GetWebIdentityToken',
      'sts:AssumeRole',
      'sts:TagSession',
      'sts:SetSourceIdentity',
    ])
    const assumed = await sts(
      g,
      'AssumeRole',
      {
        RoleArn: role.arn,
        RoleSessionName: 'tagged',
        SourceIdentity: 'admin-user',
        'Tags.member.1.Key': 'team',
        'Tags.member.1.Value': 'session-team',
      },
      alice,
    )
    assert.equal(assumed.status, 200, assumed.body)
    const session = credentialsOf(assumed, 'AssumeRole')
    const r = await token(
      {
        'Audience.member.1': 'a',
        SigningAlgorithm: 'ES384',
        'Tags.member.1.Key': 'job',
        'Tags.member.1.Value': 'nightly',
      },
      session,
    )
    assert.equal(r.status, 200, r.body)
    const { payload } = await verify(
      xmlText(r.xml, 'GetWebIdentityTokenResult/WebIdentityToken') ?? '',
      'a',
    )
    assert.equal(payload.sub, role.arn)
    assert.deepEqual(payload['https://sts.amazonaws.com/'], {
      aws_account: ACCOUNT_ID,
      principal_id: role.arn,
      source_region: 'us-east-1',
      // A session tag overrides the role's tag of the same key, whatever its case.
      principal_tags: { project: 'alpha', team: 'session-team' },
      original_session_exp: session.expiration,
      source_identity: 'admin-user',
      request_tags: { job: 'nightly' },
    })
    assert.equal(session.expiration, '2026-03-15T13:00:00Z')
  })

  it('counts the principal’s tags in the payload size, and refuses past it', async () => {
    const long = (i: number, length: number) => `${i}`.padStart(length, 'x')
    const heavyTags: Record<string, string> = {}
    // Eighteen tags of about 360 bytes each: over 6 KB of the 8 KB before any request tag.
    for (let i = 1; i <= 18; i++) {
      heavyTags[`Tags.member.${i}.Key`] = long(i, 100)
      heavyTags[`Tags.member.${i}.Value`] = long(i, 250)
    }
    const heavy = await createUserWithKey(g, 'heavy', heavyTags)
    await allow(g, 'heavy', ['sts:GetWebIdentityToken'])
    const base = { 'Audience.member.1': 'a', SigningAlgorithm: 'ES384' }
    const alone = await token(base, heavy)
    assert.equal(alone.status, 200, alone.body)
    const { payload } = await verify(
      xmlText(alone.xml, 'GetWebIdentityTokenResult/WebIdentityToken') ?? '',
      'a',
    )
    assert.equal(
      Object.keys(
        (payload['https://sts.amazonaws.com/'] as { principal_tags: object }).principal_tags,
      ).length,
      18,
    )
    // Request tags that alone would fit do not fit beside them.
    const requestTags: Record<string, string> = {}
    for (let i = 1; i <= 6; i++) {
      requestTags[`Tags.member.${i}.Key`] = long(i, 100)
      requestTags[`Tags.member.${i}.Value`] = long(i, 250)
    }
    const withTags = await token({ ...base, ...requestTags }, heavy)
    assert.equal(withTags.status, 400, withTags.body)
    assert.equal(withTags.error?.code, 'JWTPayloadSizeExceededException')
    assert.equal((await token({ ...base, ...requestTags })).status, 200)
  })

  it('names the role, not the session, for a role session; and lasts 5 minutes by default', async () => {
    const role = await createRole(
      g,
      {
        name: 'Processor',
        path: '/',
        assumeRolePolicyDocument: trustPolicy(`arn:aws:iam::${ACCOUNT_ID}:root`),
      },
      { p: policy('Allow', 'sts:GetWebIdentityToken') },
    )
    await allow(g, 'alice', ['sts:GetWebIdentityToken', 'sts:AssumeRole'])
    const assumed = await sts(g, 'AssumeRole', { RoleArn: role.arn, RoleSessionName: 's1' }, alice)
    const session = credentialsOf(assumed, 'AssumeRole')
    const r = await token(
      { 'Audience.member.1': 'a', 'Audience.member.2': 'b', SigningAlgorithm: 'RS256' },
      session,
    )
    assert.equal(r.status, 200, r.body)
    assert.equal(xmlText(r.xml, 'GetWebIdentityTokenResult/Expiration'), '2026-03-15T12:05:00Z')
    const { payload } = await verify(
      xmlText(r.xml, 'GetWebIdentityTokenResult/WebIdentityToken') ?? '',
      'b',
    )
    assert.equal(payload.sub, role.arn)
    assert.deepEqual(payload.aud, ['a', 'b'])

    // A token outliving the session (15 minutes here) is refused.
    const short = await sts(
      g,
      'AssumeRole',
      { RoleArn: role.arn, RoleSessionName: 's2', DurationSeconds: '900' },
      alice,
    )
    const long = await token(
      { 'Audience.member.1': 'a', SigningAlgorithm: 'RS256', DurationSeconds: '1800' },
      credentialsOf(short, 'AssumeRole'),
    )
    assert.equal(long.status, 403, long.body)
    assert.equal(long.error?.code, 'SessionDurationEscalationException')
  })

  it('validates the input as the model says', async () => {
    const base = { 'Audience.member.1': 'a', SigningAlgorithm: 'ES384' }
    for (const bad of [
      { SigningAlgorithm: 'ES384' },
      { ...base, SigningAlgorithm: 'HS256' },
      { ...base, DurationSeconds: '59' },
      { ...base, DurationSeconds: '3601' },
      { ...base, SubjectMode: 'OriginIdentity' },
      { ...base, 'Tags.member.1.Key': 'aws:x', 'Tags.member.1.Value': 'v' },
    ]) {
      const r = await token(bad)
      assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.body}`)
    }
  })

  it('refuses the root user', async () => {
    const r = await token({ 'Audience.member.1': 'a', SigningAlgorithm: 'ES384' }, ROOT_KEY)
    assert.equal(r.status, 403)
    assert.equal(r.error?.code, 'AccessDenied')
  })

  it('disables: tokens stop, the issuer stays served, and enabling again keeps the issuer', async () => {
    const d = await g.call('DisableOutboundWebIdentityFederation')
    assert.equal(d.status, 200, d.body)
    assert.equal(
      (await g.call('DisableOutboundWebIdentityFederation')).error?.code,
      'FeatureDisabled',
    )
    const t = await token({ 'Audience.member.1': 'a', SigningAlgorithm: 'ES384' })
    assert.equal(t.error?.code, 'OutboundWebIdentityFederationDisabledException')
    assert.equal((await getJson(`${issuer}/.well-known/jwks.json`)).status, 200)
    const e = await g.call('EnableOutboundWebIdentityFederation')
    assert.equal(
      xmlText(e.xml, 'EnableOutboundWebIdentityFederationResult/IssuerIdentifier'),
      issuer,
    )
  })

  it('authorizes the IAM actions on *', async () => {
    const bob = await createUserWithKey(g, 'bob')
    for (const action of [
      'GetOutboundWebIdentityFederationInfo',
      'EnableOutboundWebIdentityFederation',
      'DisableOutboundWebIdentityFederation',
    ]) {
      const r = await g.call(action, {}, { key: bob })
      assert.equal(r.status, 403, action)
      assert.ok(r.error?.message.includes(`perform: iam:${action}`), r.body)
    }
  })
})

/** `YYYYMMDDTHHMMSSZ`, the signer's time, of epoch milliseconds. */
function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

describe('outbound web identity federation: signing keys rotate', () => {
  let g: InProcess
  let alice: Credentials
  let issuer = ''
  let clock = epoch(NOW)
  let reader: FastifyInstance
  let node: Awaited<ReturnType<typeof startSecondNode>>

  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    await allow(g, 'alice', ['sts:GetWebIdentityToken'])
    const enabled = await g.call('EnableOutboundWebIdentityFederation')
    issuer =
      xmlText(enabled.xml, 'EnableOutboundWebIdentityFederationResult/IssuerIdentifier') ?? ''
    // Two apps on g's store with the test's clock: one vends tokens, the other serves the JWKS.
    node = await startSecondNode(g, NOW)
    reader = buildApp({
      store: g.store,
      trail: g.trail,
      enforcement: 'enforce',
      clock: () => new Date(clock),
    })
    await reader.ready()
  })
  after(async () => {
    await reader.close()
    await node.node.close()
    await g.close()
  })

  function setTime(ms: number): void {
    clock = ms
    node.setTime(amzDate(ms))
  }

  async function tokenAt(ms: number, algorithm: string, seconds = 300): Promise<string> {
    setTime(ms)
    const r = await callWith(
      node.node,
      'GetWebIdentityToken',
      {
        'Audience.member.1': 'aud',
        SigningAlgorithm: algorithm,
        DurationSeconds: String(seconds),
      },
      { service: 'sts', key: alice, time: amzDate(ms) },
    )
    assert.equal(r.status, 200, r.body)
    return xmlText(r.xml, 'GetWebIdentityTokenResult/WebIdentityToken') ?? ''
  }

  async function jwks(): Promise<JSONWebKeySet> {
    const { pathname, host } = new URL(`${issuer}/.well-known/jwks.json`)
    const r = await reader.inject({ method: 'GET', url: pathname, headers: { host } })
    assert.equal(r.statusCode, 200)
    return JSON.parse(r.body) as JSONWebKeySet
  }

  function kidsOf(set: JSONWebKeySet, alg: string): string[] {
    return set.keys.filter((k) => k.alg === alg).map((k) => k.kid ?? '')
  }

  function verifyAt(jwt: string, set: JSONWebKeySet, ms: number) {
    return jwtVerify(jwt, createLocalJWKSet(set), {
      issuer,
      audience: 'aud',
      currentDate: new Date(ms),
    })
  }

  it('signs with a new key once the old is due, serves both until the old one’s tokens expire, then drops it', async () => {
    const t0 = epoch(NOW)
    const first = decodeProtectedHeader(await tokenAt(t0, 'ES384')).kid
    const firstRsa = decodeProtectedHeader(await tokenAt(t0, 'RS256')).kid
    assert.deepEqual(kidsOf(await jwks(), 'ES384'), [first])

    // Ten minutes before it is due, the key still signs: an hour-long token.
    const before = t0 + KEY_ROTATION_MS - 600_000
    const old = await tokenAt(before, 'ES384', 3600)
    assert.equal(decodeProtectedHeader(old).kid, first)

    // Due: the next token of the algorithm is signed with a new key, and the JWKS has both.
    const rotated = t0 + KEY_ROTATION_MS
    const fresh = await tokenAt(rotated, 'ES384')
    const second = decodeProtectedHeader(fresh).kid
    assert.ok(second !== undefined && second !== first, String(second))
    const during = await jwks()
    assert.deepEqual(kidsOf(during, 'ES384'), [second, first])
    // The other algorithm's key rotates when it next signs, not before.
    assert.deepEqual(kidsOf(during, 'RS256'), [firstRsa])
    await verifyAt(old, during, rotated)
    await verifyAt(fresh, during, rotated)
    // The new key goes on signing; the kid of a key never changes.
    assert.equal(decodeProtectedHeader(await tokenAt(rotated + 1000, 'ES384')).kid, second)

    // The replaced key stays published to the last second of its retention...
    setTime(rotated + KEY_RETENTION_MS - 1000)
    assert.deepEqual(kidsOf(await jwks(), 'ES384'), [second, first])
    // ...and is gone after it, when every token it signed has expired.
    setTime(rotated + KEY_RETENTION_MS)
    const after = await jwks()
    assert.deepEqual(kidsOf(after, 'ES384'), [second])
    await assert.rejects(verifyAt(old, after, before + 1000), errors.JWKSNoMatchingKey)
    await verifyAt(fresh, after, rotated)

    // The store deletes it when a token is next signed.
    await tokenAt(rotated + KEY_RETENTION_MS, 'ES384')
    const kept = await g.store.transaction((tx) => tx.getOutboundIssuer(ACCOUNT_ID), {
      readOnly: true,
    })
    assert.deepEqual(
      kept?.keys.filter((k) => k.algorithm === 'ES384').map((k) => k.keyId),
      [second],
    )
  })
})

describe('outbound web identity federation behind a public URL', () => {
  let g: InProcess
  let app: FastifyInstance

  before(async () => {
    g = await startInProcess()
    app = buildApp({
      store: g.store,
      trail: g.trail,
      sessionTokens: g.sessionTokens,
      enforcement: 'enforce',
      clock: () => new Date(epoch(NOW)),
      publicUrl: 'https://iam.example.com',
    })
    await app.ready()
  })
  after(async () => {
    await app.close()
    await g.close()
  })

  const behind = (): InProcess => ({
    ...g,
    async send(request) {
      const r = await app.inject({
        method: request.method as 'GET' | 'POST',
        url: request.url,
        headers: request.headers,
        ...(request.body === undefined ? {} : { payload: request.body }),
      })
      const xml = parseStrictXml(r.body)
      const error =
        xml.name === 'ErrorResponse'
          ? {
              code: textOf(
                childElements(childElements(xml)[0] ?? xml).find((e) => e.name === 'Code') ?? xml,
              ),
              message: '',
            }
          : undefined
      return { status: r.statusCode, headers: r.headers, body: r.body, xml, error }
    },
  })

  it('hands out the issuer at the public URL, whatever Host a request names', async () => {
    const enabled = await callWith(
      behind(),
      'EnableOutboundWebIdentityFederation',
      {},
      { key: ROOT_KEY },
    )
    assert.equal(enabled.status, 200, enabled.body)
    const issuer =
      xmlText(enabled.xml, 'EnableOutboundWebIdentityFederationResult/IssuerIdentifier') ?? ''
    assert.match(issuer, /^https:\/\/iam\.example\.com\/gatehouse\/v1\/issuers\/[0-9a-f-]{36}$/)
    // The same app, reached under another name, says the same.
    const { pathname } = new URL(`${issuer}/.well-known/openid-configuration`)
    const config = await app.inject({
      method: 'GET',
      url: pathname,
      headers: { host: 'attacker.example' },
    })
    assert.equal((JSON.parse(config.body) as { issuer: string }).issuer, issuer)
    // And the token's iss.
    const alice = await createUserWithKey(g, 'alice')
    await allow(g, 'alice', ['sts:GetWebIdentityToken'])
    const r = await callWith(
      behind(),
      'GetWebIdentityToken',
      { 'Audience.member.1': 'a', SigningAlgorithm: 'RS256' },
      { service: 'sts', key: alice },
    )
    assert.equal(r.status, 200, r.body)
    const jwt = xmlText(r.xml, 'GetWebIdentityTokenResult/WebIdentityToken') ?? ''
    const jwksBody = await app.inject({
      method: 'GET',
      url: `${pathname.replace(/openid-configuration$/, 'jwks.json')}`,
    })
    const { payload } = await jwtVerify(
      jwt,
      createLocalJWKSet(JSON.parse(jwksBody.body) as JSONWebKeySet),
      { issuer, audience: 'a', currentDate: NOW_DATE },
    )
    assert.equal(payload.iss, issuer)
  })
})
