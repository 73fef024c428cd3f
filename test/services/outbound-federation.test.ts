/**
 * Outbound web identity federation in process: IAM's switch (Enable, Disable, GetInfo), STS
 * GetWebIdentityToken, and the issuer's discovery documents, the token verified with jose
 * against the JWKS the issuer serves.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import type { JSONWebKeySet } from 'jose'
import { buildApp } from '../../src/app.js'
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
import { createRole, credentialsOf, sts, trustPolicy } from '../support/temporary-credentials.js'

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
    alice = await createUserWithKey(g, 'alice')
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
        request_tags: { team: 'data' },
      })
    })
  }

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
