/**
 * End to end against `gatehouse serve` on 127.0.0.1: the account alias with the real AWS SDK for
 * JavaScript v3 (its commands and its ListAccountAliases paginator) and with the real AWS CLI
 * (`aws iam create-account-alias`, `list-account-aliases`, `delete-account-alias`): creating,
 * replacing, listing and deleting it, AWS's errors as each client reports them, and a user no
 * policy allows. Nothing is mocked. The CLI's test is skipped, with the reason, where it is not
 * installed.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateAccountAliasCommand,
  DeleteAccountAliasCommand,
  ListAccountAliasesCommand,
  paginateListAccountAliases,
} from '@aws-sdk/client-iam'
import { NO_AWS_CLI } from '../support/aws-cli.js'
import { awsCliRunner } from '../support/aws-cli-runner.js'
import { iamServerForSuite } from '../support/iam-server.js'
import { createUserKey, iamClient } from '../support/sdk-clients.js'
import type { SdkKey } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'

const PATTERN_MESSAGE =
  'The specified value for accountAlias is invalid. It must be a minimum length of 3 characters and maximum length of 63 characters, contain only digits, lowercase letters, and hyphens (-), but cannot begin or end with a hyphen.'

describe('account aliases against gatehouse serve: the AWS SDK v3 and the AWS CLI', () => {
  const gatehouse = iamServerForSuite()
  const iam = (key: SdkKey) => iamClient(gatehouse.server, key)
  /** A user with a key and the given inline policy (none when absent). */
  const userWithKey = (userName: string, document?: string) =>
    createUserKey(gatehouse.iam, userName, document, 'aliases')

  /** Every alias, through the SDK's paginator, with the page sizes seen. */
  async function paged(key: SdkKey): Promise<{ aliases: string[]; pages: number[] }> {
    const aliases: string[] = []
    const pages: number[] = []
    for await (const page of paginateListAccountAliases({ client: iam(key), pageSize: 1 }, {})) {
      aliases.push(...(page.AccountAliases ?? []))
      pages.push(page.AccountAliases?.length ?? 0)
    }
    return { aliases, pages }
  }

  it('lists no alias for a new account', async () => {
    const listed = await gatehouse.iam.send(new ListAccountAliasesCommand({}))
    assert.deepEqual(listed.AccountAliases, [])
    assert.equal(listed.IsTruncated, false)
    assert.equal(listed.Marker, undefined)
  })

  it('creates, replaces, pages through and deletes the alias with the SDK', async () => {
    await gatehouse.iam.send(new CreateAccountAliasCommand({ AccountAlias: 'sdk-corp' }))
    assert.deepEqual(await paged(gatehouse.root), { aliases: ['sdk-corp'], pages: [1] })

    await gatehouse.iam.send(new CreateAccountAliasCommand({ AccountAlias: 'sdk-corp-2' }))
    const listed = await gatehouse.iam.send(new ListAccountAliasesCommand({ MaxItems: 1 }))
    assert.deepEqual(listed.AccountAliases, ['sdk-corp-2'])
    assert.equal(listed.IsTruncated, false)

    await gatehouse.iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'sdk-corp-2' }))
    assert.deepEqual(await paged(gatehouse.root), { aliases: [], pages: [0] })
  })

  it("reports AWS's errors as the SDK's exceptions", async () => {
    await gatehouse.iam.send(new CreateAccountAliasCommand({ AccountAlias: 'sdk-errors' }))
    assert.deepEqual(
      await failure(
        gatehouse.iam.send(new CreateAccountAliasCommand({ AccountAlias: 'sdk-errors' })),
      ),
      {
        name: 'EntityAlreadyExistsException',
        message: 'The account alias sdk-errors already exists.',
        status: 409,
      },
    )
    assert.deepEqual(
      await failure(
        gatehouse.iam.send(new CreateAccountAliasCommand({ AccountAlias: 'Bad--Alias' })),
      ),
      { name: 'ValidationError', message: PATTERN_MESSAGE, status: 400 },
    )
    assert.deepEqual(
      await failure(
        gatehouse.iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'sdk-other' })),
      ),
      {
        name: 'NoSuchEntityException',
        message: 'The account alias sdk-other cannot be found.',
        status: 404,
      },
    )
    const left = await gatehouse.iam.send(new ListAccountAliasesCommand({}))
    assert.deepEqual(left.AccountAliases, ['sdk-errors'])
    await gatehouse.iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'sdk-errors' }))
  })

  it('denies a user no policy allows, and allows one whose policy does', async () => {
    const nobody = await userWithKey('sdk-nobody')
    assert.deepEqual(
      await failure(iam(nobody).send(new CreateAccountAliasCommand({ AccountAlias: 'sdk-x' }))),
      {
        name: 'AccessDenied',
        message: `User: arn:aws:iam::${gatehouse.server.accountId}:user/sdk-nobody is not authorized to perform: iam:CreateAccountAlias because no identity-based policy allows the iam:CreateAccountAlias action`,
        status: 403,
      },
    )
    const admin = await userWithKey(
      'sdk-alias-admin',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:*AccountAlias*', Resource: '*' }],
      }),
    )
    await iam(admin).send(new CreateAccountAliasCommand({ AccountAlias: 'sdk-admin-corp' }))
    assert.deepEqual(await paged(admin), { aliases: ['sdk-admin-corp'], pages: [1] })
    await iam(admin).send(new DeleteAccountAliasCommand({ AccountAlias: 'sdk-admin-corp' }))
    assert.deepEqual(
      (await gatehouse.iam.send(new ListAccountAliasesCommand({}))).AccountAliases,
      [],
    )
  })

  it(
    'runs the AWS CLI: create, list, replace, errors, delete, denial',
    { skip: NO_AWS_CLI },
    async () => {
      const asRoot = awsCliRunner(gatehouse.server.url, gatehouse.root)

      assert.deepEqual(asRoot.awsJson('iam', 'list-account-aliases'), { AccountAliases: [] })
      // Create and delete print nothing: their responses have no result.
      assert.deepEqual(
        asRoot.awsJson('iam', 'create-account-alias', '--account-alias', 'cli-corp'),
        {},
      )
      // --page-size 1: the CLI pages with MaxItems itself, and stops where no Marker comes back.
      assert.deepEqual(asRoot.awsJson('iam', 'list-account-aliases', '--page-size', '1'), {
        AccountAliases: ['cli-corp'],
      })
      asRoot.awsJson('iam', 'create-account-alias', '--account-alias', 'cli-corp-2')
      assert.deepEqual(asRoot.awsJson('iam', 'list-account-aliases'), {
        AccountAliases: ['cli-corp-2'],
      })

      assert.equal(
        asRoot.awsError('iam', 'create-account-alias', '--account-alias', 'cli-corp-2'),
        'An error occurred (EntityAlreadyExists) when calling the CreateAccountAlias operation: The account alias cli-corp-2 already exists.',
      )
      assert.equal(
        asRoot.awsError('iam', 'create-account-alias', '--account-alias', 'Cli--Corp'),
        `An error occurred (ValidationError) when calling the CreateAccountAlias operation: ${PATTERN_MESSAGE}`,
      )
      assert.equal(
        asRoot.awsError('iam', 'delete-account-alias', '--account-alias', 'cli-corp'),
        'An error occurred (NoSuchEntity) when calling the DeleteAccountAlias operation: The account alias cli-corp cannot be found.',
      )

      const nobody = await userWithKey('cli-nobody')
      assert.equal(
        awsCliRunner(gatehouse.server.url, nobody).awsError('iam', 'list-account-aliases'),
        `An error occurred (AccessDenied) when calling the ListAccountAliases operation: User: arn:aws:iam::${gatehouse.server.accountId}:user/cli-nobody is not authorized to perform: iam:ListAccountAliases because no identity-based policy allows the iam:ListAccountAliases action`,
      )

      assert.deepEqual(
        asRoot.awsJson('iam', 'delete-account-alias', '--account-alias', 'cli-corp-2'),
        {},
      )
      assert.deepEqual(asRoot.awsJson('iam', 'list-account-aliases'), { AccountAliases: [] })
    },
  )
})
