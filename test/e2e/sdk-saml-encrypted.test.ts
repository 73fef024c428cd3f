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
import { after, before, describe, it } from 'node:test'
import {
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  GetSAMLProviderCommand,
  UpdateSAMLProviderCommand,
} from '@aws-sdk/client-iam'
import type { IAMClient } from '@aws-sdk/client-iam'
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import type { STSClient } from '@aws-sdk/client-sts'
import { NO_AWS_CLI } from '../support/aws-cli.js'
import { awsCliRunner } from '../support/aws-cli-runner.js'
import { tamperCiphertext } from '../support/saml-encryption.js'
import { base64, idpMetadata, samlSigner, signedSamlResponse } from '../support/saml-idp.js'
import type { SamlSigner } from '../support/saml-idp.js'
import { startIamServer, stopIamServer } from '../support/iam-server.js'
import { samlTrustPolicy } from '../support/saml-sts.js'
import { sessionKeyOf, stsClient } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'
import type { ServerProcess } from '../support/server-process.js'
import { certificateWithKey, noOpenssl } from '../support/x509-certificates.js'
import type { CertificateWithKey } from '../support/x509-certificates.js'

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
      const encryptFor = options.encryptFor === undefined ? keyA : options.encryptFor
      return signedSamlResponse(
        {
          now: new Date(),
          roles: [`${role()},${provider.arn}`],
          recipient: endpoint,
          destination: endpoint,
        },
        idp,
        {
          sign: options.signAssertion === false ? 'none' : 'assertion',
          ...(encryptFor === null ? {} : { encryptFor: encryptFor.certificate }),
        },
      )
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
      ;({ server, iam } = await startIamServer())
      account = server.accountId
      // No credentials: the SDK sends AssumeRoleWithSAML unsigned.
      sts = stsClient(server)
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
      sts?.destroy()
      if (server !== undefined) await stopIamServer({ server, iam })
    })

    it('gives credentials for an encrypted assertion, which the SDK then uses as the role', async () => {
      const out = await assume(sealed, response(sealed))
      assert.equal(out.Subject, 'alice@corp.example')
      assert.equal(out.Audience, sealed.endpoint)
      assert.equal(out.Issuer, 'https://idp.gatehouse.test/saml')
      assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
      const session = stsClient(server, sessionKeyOf(out.Credentials ?? {}))
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
      const cli = awsCliRunner(server.url)
      const assumeArgs = (xml: string) => [
        'sts',
        'assume-role-with-saml',
        '--role-arn',
        role(),
        '--principal-arn',
        sealed.arn,
        '--saml-assertion',
        base64(xml),
      ]
      const out = cli.awsJson(...assumeArgs(response(sealed))) as {
        Credentials: { AccessKeyId: string }
        AssumedRoleUser: { Arn: string }
        Audience: string
      }
      assert.match(out.Credentials.AccessKeyId, /^ASIA/)
      assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/Staff/alice`)
      assert.equal(out.Audience, sealed.endpoint)

      const refused = cli.awsError(...assumeArgs(response(sealed, { encryptFor: null })))
      assert.match(refused, /\(InvalidIdentityToken\).*requires encrypted assertions/)
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
