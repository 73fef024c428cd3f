/**
 * STS GetAccessKeyInfo end to end against `gatehouse serve`, with the real AWS SDK for
 * JavaScript v3 and the real AWS CLI: the account of a user's key and of the caller's own
 * temporary key, the error for a key Gatehouse does not know, and a user no policy allows.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam'
import { AssumeRoleCommand, GetAccessKeyInfoCommand } from '@aws-sdk/client-sts'
import { NO_AWS_CLI } from '../support/aws-cli.js'
import { awsCliRunner } from '../support/aws-cli-runner.js'
import { iamServerForSuite } from '../support/iam-server.js'
import { createUserKey, sessionKeyOf, stsClient } from '../support/sdk-clients.js'
import type { SdkKey } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'

describe('STS GetAccessKeyInfo against gatehouse serve', () => {
  const gatehouse = iamServerForSuite()
  let alice: SdkKey
  let bob: SdkKey
  let accountId: string
  const sts = (key: SdkKey) => stsClient(gatehouse.server, key)

  before(async () => {
    accountId = gatehouse.server.accountId
    alice = await createUserKey(
      gatehouse.iam,
      'alice',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['sts:GetAccessKeyInfo', 'sts:AssumeRole'], Resource: '*' },
        ],
      }),
    )
    bob = await createUserKey(gatehouse.iam, 'bob')
    await gatehouse.iam.send(
      new CreateRoleCommand({
        RoleName: 'reader',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${accountId}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    )
    await gatehouse.iam.send(
      new PutRolePolicyCommand({
        RoleName: 'reader',
        PolicyName: 'p',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:GetAccessKeyInfo', Resource: '*' }],
        }),
      }),
    )
  })

  it("answers the account of any key it keeps, and of the caller's own temporary key", async () => {
    assert.match(accountId, /^\d{12}$/)
    const of = async (caller: SdkKey, keyId: string): Promise<string | undefined> =>
      (await sts(caller).send(new GetAccessKeyInfoCommand({ AccessKeyId: keyId }))).Account
    assert.equal(await of(alice, bob.accessKeyId), accountId)
    assert.equal(await of(alice, gatehouse.root.accessKeyId), accountId)
    // A role session asks about its own temporary key, which no store holds.
    const assumed = await sts(alice).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/reader`,
        RoleSessionName: 'job',
      }),
    )
    const temporary = sessionKeyOf(assumed.Credentials ?? {})
    assert.match(temporary.accessKeyId, /^ASIA/)
    assert.equal(await of(temporary, temporary.accessKeyId), accountId)
    // Another session's temporary key is one Gatehouse cannot know without its token.
    const unknownTemporary = await failure(
      sts(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: temporary.accessKeyId })),
    )
    assert.equal(unknownTemporary.name, 'InvalidParameterValue')
  })

  it('refuses a key it does not know, and a caller no policy allows', async () => {
    const unknown = await failure(
      sts(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: 'AKIAUNKNOWNKEY000000' })),
    )
    assert.equal(unknown.name, 'InvalidParameterValue')
    assert.equal(unknown.status, 400)
    const denied = await failure(
      sts(bob).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId })),
    )
    assert.equal(denied.name, 'AccessDenied')
    assert.equal(denied.status, 403)
  })

  it('prints the account with the AWS CLI', { skip: NO_AWS_CLI }, () => {
    const { awsJson } = awsCliRunner(gatehouse.server.url, alice)
    assert.deepEqual(awsJson('sts', 'get-access-key-info', '--access-key-id', bob.accessKeyId), {
      Account: accountId,
    })
  })
})
