/**
 * End to end against `gatehouse serve` on 127.0.0.1: outbound web identity federation with the
 * real AWS SDK for JavaScript v3 (IAM's Enable/Get/Disable, STS GetWebIdentityToken) and the
 * real AWS CLI (`aws iam enable-outbound-web-identity-federation` and friends), the token
 * verified with jose against the JWKS the issuer serves over HTTP (createRemoteJWKSet, as an
 * external service would). The CLI's test is skipped, with the reason, where it is not installed.
 * Then the signing keys' rotation, on a server whose clock the test moves (clock-server.ts), and
 * the issuer of a server started with --public-url.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DisableOutboundWebIdentityFederationCommand,
  EnableOutboundWebIdentityFederationCommand,
  GetOutboundWebIdentityFederationInfoCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import { GetWebIdentityTokenCommand, STSClient } from '@aws-sdk/client-sts'
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
} from 'jose'
import type { JSONWebKeySet } from 'jose'
import {
  KEY_RETENTION_MS,
  KEY_ROTATION_MS,
} from '../../src/services/iam/outbound-federation-issuer.js'
import { startClockServer } from '../support/clock-server.js'
import type { ClockServer } from '../support/clock-server.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

describe('outbound web identity federation against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
  const sts = (key: Key) =>
    new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  function aws(key: Key, ...args: string[]): { status: number | null; out: string; err: string } {
    const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      encoding: 'utf8',
      env: awsCliEnv(key),
      timeout: 60_000,
    })
    return { status: run.status, out: run.stdout, err: run.stderr }
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('enables, vends a token the served JWKS verifies, and disables, with the SDK', async () => {
    const disabled = await failure(
      iam(root).send(new GetOutboundWebIdentityFederationInfoCommand({})),
    )
    assert.equal(disabled.name, 'FeatureDisabledException')
    assert.equal(disabled.status, 404)

    const enabled = await iam(root).send(new EnableOutboundWebIdentityFederationCommand({}))
    const issuer = enabled.IssuerIdentifier ?? ''
    assert.ok(issuer.startsWith(`${server.url}/gatehouse/v1/issuers/`), issuer)
    const again = await failure(iam(root).send(new EnableOutboundWebIdentityFederationCommand({})))
    assert.equal(again.name, 'FeatureEnabledException')
    assert.equal(again.status, 409)
    const info = await iam(root).send(new GetOutboundWebIdentityFederationInfoCommand({}))
    assert.equal(info.IssuerIdentifier, issuer)
    assert.equal(info.JwtVendingEnabled, true)

    await iam(root).send(
      new CreateUserCommand({ UserName: 'vendor', Tags: [{ Key: 'team', Value: 'platform' }] }),
    )
    await iam(root).send(
      new PutUserPolicyCommand({
        UserName: 'vendor',
        PolicyName: 'tokens',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*' }],
        }),
      }),
    )
    const created = await iam(root).send(new CreateAccessKeyCommand({ UserName: 'vendor' }))
    const vendor = {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`))
    for (const SigningAlgorithm of ['ES384', 'RS256']) {
      const out = await sts(vendor).send(
        new GetWebIdentityTokenCommand({
          Audience: ['https://api.example.com'],
          SigningAlgorithm,
          DurationSeconds: 120,
          Tags: [{ Key: 'job', Value: 'nightly' }],
        }),
      )
      assert.ok(out.Expiration instanceof Date)
      const { payload, protectedHeader } = await jwtVerify(out.WebIdentityToken ?? '', jwks, {
        issuer,
        audience: 'https://api.example.com',
      })
      assert.equal(protectedHeader.alg, SigningAlgorithm)
      assert.equal(payload.sub, `arn:aws:iam::${server.accountId}:user/vendor`)
      assert.equal(payload.exp, (payload.iat ?? 0) + 120)
      assert.deepEqual(payload['https://sts.amazonaws.com/'], {
        aws_account: server.accountId,
        principal_id: `arn:aws:iam::${server.accountId}:user/vendor`,
        // The region the SDK signed for.
        source_region: 'us-east-1',
        principal_tags: { team: 'platform' },
        request_tags: { job: 'nightly' },
      })
    }
    const config = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    assert.equal(config['issuer'], issuer)
    assert.equal(config['jwks_uri'], `${issuer}/.well-known/jwks.json`)

    await iam(root).send(new DisableOutboundWebIdentityFederationCommand({}))
    const refused = await failure(
      sts(vendor).send(
        new GetWebIdentityTokenCommand({ Audience: ['a'], SigningAlgorithm: 'ES384' }),
      ),
    )
    assert.equal(refused.name, 'OutboundWebIdentityFederationDisabledException')
    assert.equal(refused.status, 403)
    const twice = await failure(iam(root).send(new DisableOutboundWebIdentityFederationCommand({})))
    assert.equal(twice.name, 'FeatureDisabledException')
  })

  it('runs the AWS CLI flow', { skip: NO_AWS_CLI }, () => {
    const enabled = aws(root, 'iam', 'enable-outbound-web-identity-federation')
    assert.equal(enabled.status, 0, enabled.err)
    const issuer = (JSON.parse(enabled.out) as { IssuerIdentifier: string }).IssuerIdentifier
    assert.ok(issuer.startsWith(`${server.url}/gatehouse/v1/issuers/`), issuer)
    const info = aws(root, 'iam', 'get-outbound-web-identity-federation-info')
    assert.equal(info.status, 0, info.err)
    assert.deepEqual(JSON.parse(info.out), { IssuerIdentifier: issuer, JwtVendingEnabled: true })
    const again = aws(root, 'iam', 'enable-outbound-web-identity-federation')
    assert.notEqual(again.status, 0)
    assert.match(
      again.err,
      /\(FeatureEnabled\) when calling the EnableOutboundWebIdentityFederation/,
    )
    const disabled = aws(root, 'iam', 'disable-outbound-web-identity-federation')
    assert.equal(disabled.status, 0, disabled.err)
  })
})

describe('outbound web identity federation: key rotation, against a server whose clock moves', () => {
  let server: ClockServer
  let vendor: Key
  let issuer = ''
  // maxAttempts 2: after each move of the server's clock, the SDK is told of its skew by the
  // first answer (RequestTimeTooSkewed) and signs again with the server's time.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 2 })
  const sts = (key: Key) =>
    new STSClient({ endpoint: server.url, region: 'eu-west-1', credentials: key, maxAttempts: 2 })

  before(async () => {
    server = await startClockServer()
    const root = iam(server.root)
    issuer =
      (await root.send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier ?? ''
    await root.send(new CreateUserCommand({ UserName: 'vendor' }))
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'vendor',
        PolicyName: 'tokens',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*' }],
        }),
      }),
    )
    const created = await root.send(new CreateAccessKeyCommand({ UserName: 'vendor' }))
    vendor = {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
  })
  after(async () => {
    await server.stop()
  })

  async function token(DurationSeconds: number): Promise<string> {
    const out = await sts(vendor).send(
      new GetWebIdentityTokenCommand({
        Audience: ['https://api.example.com'],
        SigningAlgorithm: 'ES384',
        DurationSeconds,
      }),
    )
    return out.WebIdentityToken ?? ''
  }

  async function jwks(): Promise<JSONWebKeySet> {
    const response = await fetch(`${issuer}/.well-known/jwks.json`)
    assert.equal(response.status, 200)
    return (await response.json()) as JSONWebKeySet
  }

  const es384 = (set: JSONWebKeySet) => set.keys.filter((k) => k.alg === 'ES384').map((k) => k.kid)

  const verify = (jwt: string, set: JSONWebKeySet, at: Date) =>
    jwtVerify(jwt, createLocalJWKSet(set), {
      issuer,
      audience: 'https://api.example.com',
      currentDate: at,
    })

  it('verifies a token signed before a rotation until it expires, and drops the old key after', async () => {
    const first = decodeProtectedHeader(await token(300)).kid

    // Ten minutes before the key is due: an hour-long token, signed with it.
    const signedAt = await server.advance(KEY_ROTATION_MS / 1000 - 600)
    const old = await token(3600)
    assert.equal(decodeProtectedHeader(old).kid, first)
    assert.equal(
      (
        (await verify(old, await jwks(), signedAt)).payload['https://sts.amazonaws.com/'] as {
          source_region: string
        }
      ).source_region,
      'eu-west-1',
    )

    // Due: a new key signs, and the JWKS serves both.
    const rotatedAt = await server.advance(600)
    const fresh = await token(300)
    const second = decodeProtectedHeader(fresh).kid
    assert.ok(second !== undefined && second !== first, String(second))
    const during = await jwks()
    assert.deepEqual(es384(during), [second, first])
    await verify(old, during, rotatedAt)
    await verify(fresh, during, rotatedAt)
    // As an external service fetches it: the remote JWKS verifies both as well.
    const remote = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`))
    for (const jwt of [old, fresh]) {
      await jwtVerify(jwt, remote, {
        issuer,
        audience: 'https://api.example.com',
        currentDate: rotatedAt,
      })
    }

    // Past the retention (the old key's last token long expired), the old key is gone.
    await server.advance(KEY_RETENTION_MS / 1000)
    const after = await jwks()
    assert.deepEqual(es384(after), [second])
    await assert.rejects(verify(old, after, signedAt), errors.JWKSNoMatchingKey)
    await verify(fresh, after, rotatedAt)
  })
})

describe('outbound web identity federation: a server started with --public-url', () => {
  let server: ServerProcess

  before(async () => {
    server = await startServerProcess({ args: ['--public-url', 'https://iam.example.test:8443/'] })
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('hands out its issuer at the public URL, and serves its documents so', async () => {
    const root = printedRootKey(server.stdout())
    const iam = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: root,
      maxAttempts: 1,
    })
    const issuer =
      (await iam.send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier ?? ''
    assert.match(
      issuer,
      /^https:\/\/iam\.example\.test:8443\/gatehouse\/v1\/issuers\/[0-9a-f-]{36}$/,
    )
    const info = await iam.send(new GetOutboundWebIdentityFederationInfoCommand({}))
    assert.equal(info.IssuerIdentifier, issuer)
    // Fetched at the address it listens on, the discovery document names the public issuer.
    const path = new URL(issuer).pathname
    const config = (await (
      await fetch(`${server.url}${path}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    assert.equal(config['issuer'], issuer)
    assert.equal(config['jwks_uri'], `${issuer}/.well-known/jwks.json`)
  })
})
