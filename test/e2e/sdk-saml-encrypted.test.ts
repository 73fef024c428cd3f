/**
 * Encrypted SAML assertions end to end against `gatehouse serve` on 127.0.0.1: IAM SAML
 * providers made with the real @aws-sdk/client-iam (AssertionEncryptionMode, AddPrivateKey,
 * RemovePrivateKey, keys and certificates made by openssl), responses an IdP signed and then
 * encrypted for the provider's certificate, sent with the real @aws-sdk/client-sts
 * (AssumeRoleWithSAMLCommand, unsigned) and the real AWS CLI (`aws sts assume-role-with-saml`,
 * skipped with the reason where it is not installed); the credentials then in use, and the SDK's
 * modeled exception for what is refused.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  GetSAMLProviderCommand,
  IAMClient,
  UpdateSAMLProviderCommand,
} from '@aws-sdk/client-iam'
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { NO_AWS_CLI, awsCliEnv } from '../support/aws-cli.js'
import { encryptSamlAssertion, tamperCiphertext } from '../support/saml-encryption.js'
import {
  base64,
  idpMetadata,
  samlAssertionXml,
  samlResponseXml,
  samlSigner,
  signSaml,
} from '../support/saml-idp.js'
import type { SamlSigner } from '../support/saml-idp.js'
import { samlTrustPolicy } from '../support/saml-sts.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { certificateWithKey, noOpenssl } from '../support/x509-certificates.js'
import type { CertificateWithKey } from '../support/x509-certificates.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

/** The environment of an AWS CLI with no credentials: AssumeRoleWithSAML needs none. */
function anonymousCliEnv(): NodeJS.ProcessEnv {
  const env = awsCliEnv({ accessKeyId: 'unused', secretAccessKey: 'unused' })
  delete env['AWS_ACCESS_KEY_ID']
  delete env['AWS_SECRET_ACCESS_KEY']
  return env
}

function encryptionKey(commonName: string): CertificateWithKey {
  return certificateWithKey({
    commonName,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 365 * 86400_000),
  })
}

describe(
  'encrypted SAML assertions: the AWS SDK for JavaScript v3 and the AWS CLI against gatehouse serve',
  { skip: noOpenssl },
  () => {
    let server: ServerProcess
    let iam: IAMClient
    let sts: STSClient
    let account: string
    let idp: SamlSigner
    let keyA: CertificateWithKey
    let keyB: CertificateWithKey
    let wrong: CertificateWithKey
    /** The provider that requires encryption, and its own endpoint. */
    let sealed: { arn: string; endpoint: string }
    /** The provider that allows it. */
    let mixed: { arn: string; endpoint: string }
    const role = () => `arn:aws:iam::${account}:role/Staff`

    /** A response for `provider`: its assertion signed, then encrypted for `encryptFor` (or not). */
    const response = (
      provider: { arn: string; endpoint: string },
      options: {
        readonly encryptFor?: CertificateWithKey | null
        readonly signAssertion?: boolean
        readonly endpoint?: string
      } = {},
    ): string => {
      const endpoint = options.endpoint ?? provider.endpoint
      const o = {
        now: new Date(),
        roles: [`${role()},${provider.arn}`],
        recipient: endpoint,
        destination: endpoint,
      }
      const plain = samlAssertionXml(o)
      const assertion = options.signAssertion === false ? plain : signSaml(plain, idp, 'assertion')
      const encryptFor = options.encryptFor === undefined ? keyA : options.encryptFor
      const inner =
        encryptFor === null ? assertion : encryptSamlAssertion(assertion, encryptFor.certificate)
      return samlResponseXml(o, inner)
    }

    const assume = (provider: { arn: string }, xml: string) =>
      sts.send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: role(),
          PrincipalArn: provider.arn,
          SAMLAssertion: base64(xml),
        }),
      )

    const invalidToken = async (provider: { arn: string }, xml: string) => {
      const refused = await failure(assume(provider, xml))
      assert.equal(refused.name, 'InvalidIdentityTokenException', refused.message)
      assert.equal(refused.status, 400)
      return refused
    }

    before(async () => {
      server = await startServerProcess()
      account = server.accountId
      iam = new IAMClient({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: printedRootKey(server.stdout()),
        maxAttempts: 1,
      })
      // No credentials: the SDK sends AssumeRoleWithSAML unsigned.
      sts = new STSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1 })
      idp = samlSigner('idp.gatehouse.test')
      keyA = encryptionKey('sp-encryption-a')
      keyB = encryptionKey('sp-encryption-b')
      wrong = encryptionKey('someone-else')
      const provider = async (name: string, mode: 'Required' | 'Allowed') => {
        const created = await iam.send(
          new CreateSAMLProviderCommand({
            Name: name,
            SAMLMetadataDocument: idpMetadata(idp),
            AssertionEncryptionMode: mode,
            AddPrivateKey: keyA.privateKey,
          }),
        )
        const arn = created.SAMLProviderArn ?? ''
        const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }))
        assert.equal(got.AssertionEncryptionMode, mode)
        assert.equal(got.PrivateKeyList?.length, 1)
        assert.match(got.SAMLProviderUUID ?? '', /^SAMLSP[A-Z2-7]{20}$/)
        return { arn, endpoint: `https://signin.aws.amazon.com/saml/acs/${got.SAMLProviderUUID}` }
      }
      sealed = await provider('Sealed', 'Required')
      mixed = await provider('Mixed', 'Allowed')
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'Staff',
          AssumeRolePolicyDocument: samlTrustPolicy([sealed.arn, mixed.arn]),
        }),
      )
    })
    after(async () => {
      iam?.destroy()
      sts?.destroy()
      await server?.stop()
      if (server !== undefined) removeDataDir(server.dataDir)
    })

    it('gives credentials for an encrypted assertion, which the SDK then uses as the role', async () => {
      const out = await assume(sealed, response(sealed))
      assert.equal(out.Subject, 'alice@corp.example')
      assert.equal(out.Audience, sealed.endpoint)
      assert.equal(out.Issuer, 'https://idp.gatehouse.test/saml')
      assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
      const credentials = out.Credentials
      assert.ok(credentials?.AccessKeyId && credentials.SecretAccessKey && credentials.SessionToken)
      const session = new STSClient({
        endpoint: server.url,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: {
          accessKeyId: credentials.AccessKeyId,
          secretAccessKey: credentials.SecretAccessKey,
          sessionToken: credentials.SessionToken,
        },
      })
      try {
        const who = await session.send(new GetCallerIdentityCommand({}))
        assert.equal(who.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
      } finally {
        session.destroy()
      }
    })

    it("raises the SDK's InvalidIdentityTokenException for what Required refuses", async () => {
      const plain = await invalidToken(sealed, response(sealed, { encryptFor: null }))
      assert.match(plain.message, /requires encrypted assertions/)
      await invalidToken(sealed, response(sealed, { encryptFor: wrong }))
      await invalidToken(sealed, tamperCiphertext(response(sealed)))
      await invalidToken(sealed, response(sealed, { signAssertion: false }))
      const shared = 'https://signin.aws.amazon.com/saml'
      const elsewhere = await invalidToken(sealed, response(sealed, { endpoint: shared }))
      assert.match(elsewhere.message, /own sign-in endpoint/)
    })

    it('takes plain and encrypted assertions where encryption is Allowed', async () => {
      const shared = 'https://signin.aws.amazon.com/saml'
      for (const encryptFor of [null, keyA]) {
        const out = await assume(mixed, response(mixed, { encryptFor, endpoint: shared }))
        assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
      }
    })

    it('works with the AWS CLI, which sends it unsigned', { skip: NO_AWS_CLI }, () => {
      const cli = (xml: string) =>
        spawnSync(
          'aws',
          [
            'sts',
            'assume-role-with-saml',
            '--endpoint-url',
            server.url,
            '--role-arn',
            role(),
            '--principal-arn',
            sealed.arn,
            '--saml-assertion',
            base64(xml),
            '--output',
            'json',
          ],
          { encoding: 'utf8', env: anonymousCliEnv() },
        )
      const run = cli(response(sealed))
      assert.equal(run.status, 0, run.stderr)
      const out = JSON.parse(run.stdout) as {
        Credentials: { AccessKeyId: string }
        AssumedRoleUser: { Arn: string }
        Audience: string
      }
      assert.match(out.Credentials.AccessKeyId, /^ASIA/)
      assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
      assert.equal(out.Audience, sealed.endpoint)

      const refused = cli(response(sealed, { encryptFor: null }))
      assert.notEqual(refused.status, 0)
      assert.match(refused.stderr, /\(InvalidIdentityToken\).*requires encrypted assertions/)
    })

    it('decrypts with a second key once added, and no longer with a removed one', async () => {
      await invalidToken(sealed, response(sealed, { encryptFor: keyB }))
      await iam.send(
        new UpdateSAMLProviderCommand({
          SAMLProviderArn: sealed.arn,
          AddPrivateKey: keyB.privateKey,
        }),
      )
      for (const encryptFor of [keyA, keyB]) {
        const out = await assume(sealed, response(sealed, { encryptFor }))
        assert.equal(out.Subject, 'alice@corp.example')
      }
      const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: sealed.arn }))
      const [oldest] = got.PrivateKeyList ?? []
      assert.equal(got.PrivateKeyList?.length, 2)
      await iam.send(
        new UpdateSAMLProviderCommand({
          SAMLProviderArn: sealed.arn,
          RemovePrivateKey: oldest?.KeyId,
        }),
      )
      await invalidToken(sealed, response(sealed, { encryptFor: keyA }))
      const out = await assume(sealed, response(sealed, { encryptFor: keyB }))
      assert.equal(out.Subject, 'alice@corp.example')
    })
  },
)
