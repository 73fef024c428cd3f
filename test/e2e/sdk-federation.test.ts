/**
 * Federation end to end against `gatehouse serve` on 127.0.0.1: the real AWS SDK for JavaScript
 * v3 (@aws-sdk/client-sts AssumeRoleWithWebIdentityCommand and AssumeRoleWithSAMLCommand, which
 * it sends unsigned) with a real OpenID Connect issuer on loopback and a SAML IdP whose
 * certificate openssl made, then the returned credentials in use (GetCallerIdentity, an IAM
 * call), the SDK's modeled exceptions, and the real AWS CLI (`aws sts
 * assume-role-with-web-identity` and `assume-role-with-saml`, unsigned by the CLI itself), which
 * is skipped, with the reason, where it is not installed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  GetRoleCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import type { IAMClient } from '@aws-sdk/client-iam'
import {
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts'
import { NO_AWS_CLI } from '../support/aws-cli.js'
import { awsCliRunner } from '../support/aws-cli-runner.js'
import { startIamServer, stopIamServer } from '../support/iam-server.js'
import { startOidcIssuer } from '../support/oidc-issuer.js'
import type { OidcIssuer } from '../support/oidc-issuer.js'
import {
  base64,
  idpMetadata,
  samlResponseXml,
  samlSigner,
  signedSamlResponse,
} from '../support/saml-idp.js'
import type { SamlSigner } from '../support/saml-idp.js'
import { samlTrustPolicy } from '../support/saml-sts.js'
import { iamClient, sessionKeyOf, stsClient } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'
import type { ServerProcess } from '../support/server-process.js'
import { noOpenssl } from '../support/x509-certificates.js'

const READ_ROLE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }],
})

describe('federation: the AWS SDK for JavaScript v3 and the AWS CLI against gatehouse serve', () => {
  let server: ServerProcess
  let iam: IAMClient
  let issuer: OidcIssuer
  let account: string
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}`
  // No credentials: the SDK sends these two operations unsigned.
  const anonymousSts = () => stsClient(server)
  const nowSeconds = () => Math.floor(Date.now() / 1000)

  before(async () => {
    ;({ server, iam } = await startIamServer())
    account = server.accountId
    issuer = await startOidcIssuer()
    const provider = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: `https://${issuer.name}`,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    )
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'Ci',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: provider.OpenIDConnectProviderArn },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: { [`${issuer.name}:aud`]: 'sts.amazonaws.com' },
                StringLike: { [`${issuer.name}:sub`]: 'repo:acme/*' },
              },
            },
          ],
        }),
      }),
    )
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'Ci', PolicyName: 'read', PolicyDocument: READ_ROLE }),
    )
  })
  after(async () => {
    await issuer.close()
    await stopIamServer({ server, iam })
  })

  const token = (extra: Record<string, unknown> = {}) =>
    issuer.sign({
      sub: 'repo:acme/web:ref:refs/heads/main',
      aud: 'sts.amazonaws.com',
      iat: nowSeconds() - 5,
      exp: nowSeconds() + 300,
      ...extra,
    })

  describe('AssumeRoleWithWebIdentity', () => {
    it('gives credentials that the SDK then uses as the assumed role', async () => {
      const sts = anonymousSts()
      try {
        const out = await sts.send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: role('Ci'),
            RoleSessionName: 'build-42',
            WebIdentityToken: await token(),
            DurationSeconds: 900,
          }),
        )
        assert.equal(out.SubjectFromWebIdentityToken, 'repo:acme/web:ref:refs/heads/main')
        assert.equal(out.Provider, `arn:aws:iam::${account}:oidc-provider/${issuer.name}`)
        assert.equal(out.Audience, 'sts.amazonaws.com')
        assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/Ci/build-42`)
        assert.ok(out.Credentials?.Expiration instanceof Date)
        const left = out.Credentials.Expiration.getTime() - Date.now()
        assert.ok(left > 800_000 && left <= 900_000, `${left} ms left`)

        const key = sessionKeyOf(out.Credentials)
        const session = stsClient(server, key)
        const who = await session.send(new GetCallerIdentityCommand({}))
        assert.equal(who.Arn, `arn:aws:sts::${account}:assumed-role/Ci/build-42`)
        assert.equal(who.Account, account)
        session.destroy()
        const sessionIam = iamClient(server, key)
        const got = await sessionIam.send(new GetRoleCommand({ RoleName: 'Ci' }))
        assert.equal(got.Role?.RoleName, 'Ci')
        const denied = await failure(sessionIam.send(new ListUsersCommand({})))
        assert.equal(denied.name, 'AccessDenied')
        sessionIam.destroy()
      } finally {
        sts.destroy()
      }
    })

    it("raises the SDK's modeled exceptions", async () => {
      const sts = anonymousSts()
      try {
        const send = async (webIdentityToken: string) =>
          failure(
            sts.send(
              new AssumeRoleWithWebIdentityCommand({
                RoleArn: role('Ci'),
                RoleSessionName: 'build',
                WebIdentityToken: webIdentityToken,
              }),
            ),
          )
        const expired = await send(
          await token({ iat: nowSeconds() - 900, exp: nowSeconds() - 300 }),
        )
        assert.equal(expired.name, 'ExpiredTokenException')
        assert.equal(expired.status, 400)
        const audience = await send(await token({ aud: 'someone-else' }))
        assert.deepEqual(audience, {
          name: 'InvalidIdentityTokenException',
          message: 'Incorrect token audience',
          status: 400,
        })
        const forged = await send(await issuer.sign({ sub: 'x' }, { key: 'forged' }))
        assert.equal(forged.name, 'InvalidIdentityTokenException')
        const subject = await send(await token({ sub: 'repo:evil/web' }))
        assert.deepEqual(subject, {
          name: 'AccessDenied',
          message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
          status: 403,
        })
      } finally {
        sts.destroy()
      }
    })

    it(
      'works with the AWS CLI, which needs no credentials for it',
      { skip: NO_AWS_CLI },
      async () => {
        const cli = awsCliRunner(server.url)
        const assumeArgs = (webIdentityToken: string) => [
          'sts',
          'assume-role-with-web-identity',
          '--role-arn',
          role('Ci'),
          '--role-session-name',
          'cli',
          '--web-identity-token',
          webIdentityToken,
        ]
        const out = cli.awsJson(...assumeArgs(await token())) as {
          Credentials: { AccessKeyId: string }
          AssumedRoleUser: { Arn: string }
        }
        assert.match(out.Credentials.AccessKeyId, /^ASIA/)
        assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/Ci/cli`)

        const refused = cli.awsError(...assumeArgs(await token({ aud: 'someone-else' })))
        assert.match(refused, /\(InvalidIdentityToken\).*Incorrect token audience/)
      },
    )
  })

  describe('AssumeRoleWithSAML', { skip: noOpenssl }, () => {
    let signer: SamlSigner
    let providerArn: string

    before(async () => {
      signer = samlSigner('idp.gatehouse.test')
      const created = await iam.send(
        new CreateSAMLProviderCommand({ Name: 'Corp', SAMLMetadataDocument: idpMetadata(signer) }),
      )
      providerArn = created.SAMLProviderArn ?? ''
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'Staff',
          AssumeRolePolicyDocument: samlTrustPolicy(providerArn, {
            StringEquals: { 'saml:aud': 'https://signin.aws.amazon.com/saml' },
          }),
        }),
      )
    })

    const assertion = (roles: readonly string[] = [`${role('Staff')},${providerArn}`]) =>
      base64(signedSamlResponse({ now: new Date(), roles, sessionName: 'alice' }, signer))

    it('gives credentials that the SDK then uses as the assumed role', async () => {
      const sts = anonymousSts()
      try {
        const out = await sts.send(
          new AssumeRoleWithSAMLCommand({
            RoleArn: role('Staff'),
            PrincipalArn: providerArn,
            SAMLAssertion: assertion(),
          }),
        )
        assert.equal(out.Subject, 'alice@corp.example')
        assert.equal(out.SubjectType, 'persistent')
        assert.equal(out.Issuer, 'https://idp.gatehouse.test/saml')
        assert.equal(out.Audience, 'https://signin.aws.amazon.com/saml')
        assert.ok(out.NameQualifier)
        assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
        const session = stsClient(server, sessionKeyOf(out.Credentials ?? {}))
        const who = await session.send(new GetCallerIdentityCommand({}))
        assert.equal(who.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
        session.destroy()

        const refused = await failure(
          sts.send(
            new AssumeRoleWithSAMLCommand({
              RoleArn: role('Staff'),
              PrincipalArn: providerArn,
              SAMLAssertion: assertion([`${role('Ci')},${providerArn}`]),
            }),
          ),
        )
        assert.deepEqual(refused, {
          name: 'AccessDenied',
          message: 'Not authorized to perform sts:AssumeRoleWithSAML',
          status: 403,
        })
        const unsigned = await failure(
          sts.send(
            new AssumeRoleWithSAMLCommand({
              RoleArn: role('Staff'),
              PrincipalArn: providerArn,
              SAMLAssertion: base64(
                samlResponseXml({ now: new Date(), roles: [`${role('Staff')},${providerArn}`] }),
              ),
            }),
          ),
        )
        assert.equal(unsigned.name, 'InvalidIdentityTokenException')
      } finally {
        sts.destroy()
      }
    })

    it('works with the AWS CLI', { skip: NO_AWS_CLI }, () => {
      const out = awsCliRunner(server.url).awsJson(
        'sts',
        'assume-role-with-saml',
        '--role-arn',
        role('Staff'),
        '--principal-arn',
        providerArn,
        '--saml-assertion',
        assertion(),
      ) as { AssumedRoleUser: { Arn: string }; Subject: string }
      assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
      assert.equal(out.Subject, 'alice@corp.example')
    })
  })
})
