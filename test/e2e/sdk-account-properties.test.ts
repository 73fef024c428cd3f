/**
 * End to end against `gatehouse serve` on 127.0.0.1 with the real AWS SDK for JavaScript v3:
 * GetAccountProperties and PutAccountProperties (RoleManager/Enabled read as false, set, AWS's
 * errors as the SDK reports them, a user allowed by namespace), and GetRoleTemplateVersion and
 * AcquireRole (no role template is served: NoSuchEntity, a malformed ARN InvalidInput, the calls
 * authorized as iam:GetRoleTemplateVersion). Nothing is mocked. The AWS CLI and boto3 of this
 * machine do not know these four operations (botocore has no model of them), so only the SDK
 * drives them.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AcquireRoleCommand,
  GetAccountPropertiesCommand,
  GetRoleTemplateVersionCommand,
  ListRolesCommand,
  PutAccountPropertiesCommand,
} from '@aws-sdk/client-iam'
import { iamServerForSuite } from '../support/iam-server.js'
import { createUserKey, iamClient } from '../support/sdk-clients.js'
import type { SdkKey } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'

const POWER_USER = 'arn:aws:iam::aws:role-template/iam.amazonaws.com/PowerUserRoleTemplate:1'

describe('account properties and role templates against gatehouse serve: the AWS SDK v3', () => {
  const gatehouse = iamServerForSuite()
  const iam = (key: SdkKey) => iamClient(gatehouse.server, key)
  /** A user with a key and the given inline policy (none when absent). */
  const userWithKey = (userName: string, document?: string) =>
    createUserKey(gatehouse.iam, userName, document)

  async function properties(key: SdkKey): Promise<Record<string, string> | undefined> {
    return (await iam(key).send(new GetAccountPropertiesCommand({}))).Properties
  }

  describe('account properties', () => {
    it('reads RoleManager/Enabled as false in a new account', async () => {
      assert.deepEqual(await properties(gatehouse.root), { 'RoleManager/Enabled': 'false' })
    })

    it('enables and disables role manager', async () => {
      const put = await gatehouse.iam.send(
        new PutAccountPropertiesCommand({ Properties: { 'RoleManager/Enabled': 'true' } }),
      )
      assert.equal(put.$metadata.httpStatusCode, 200)
      assert.deepEqual(await properties(gatehouse.root), { 'RoleManager/Enabled': 'true' })
      await gatehouse.iam.send(
        new PutAccountPropertiesCommand({ Properties: { 'RoleManager/Enabled': 'false' } }),
      )
      assert.deepEqual(await properties(gatehouse.root), { 'RoleManager/Enabled': 'false' })
    })

    it("reports AWS's errors as the SDK's exceptions, changing nothing", async () => {
      const put = (props: Record<string, string>) =>
        failure(gatehouse.iam.send(new PutAccountPropertiesCommand({ Properties: props })))
      assert.deepEqual(await put({ 'RoleManager/Enabled': 'yes' }), {
        name: 'InvalidInputException',
        message: 'The value of account property RoleManager/Enabled must be true or false.',
        status: 400,
      })
      assert.deepEqual(await put({ 'RoleManager/Enabled': 'true', 'Other/Enabled': 'true' }), {
        name: 'InvalidInputException',
        message: 'All properties in a single request must belong to the same namespace.',
        status: 400,
      })
      assert.deepEqual(await put({ 'RoleManager/Unknown': 'true' }), {
        name: 'InvalidInputException',
        message: 'The account property RoleManager/Unknown is not supported.',
        status: 400,
      })
      // The SDK sends no parameter at all for an empty map: the required member is missing.
      assert.deepEqual(await put({}), {
        name: 'ValidationError',
        message:
          "1 validation error detected: Value null at 'properties' failed to satisfy constraint: Member must not be null",
        status: 400,
      })
      assert.deepEqual(await put({ '9/Enabled': 'true' }), {
        name: 'ValidationError',
        message:
          "1 validation error detected: Value '9/Enabled' at 'properties.entry.1.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z][A-Za-z0-9/_-]*$",
        status: 400,
      })
      assert.deepEqual(await properties(gatehouse.root), { 'RoleManager/Enabled': 'false' })
    })

    it('allows a user by namespace, and enabling by the service-linked role too', async () => {
      const namespace = {
        Effect: 'Allow',
        Action: ['iam:GetAccountProperties', 'iam:PutAccountProperties'],
        Resource: '*',
        Condition: {
          'ForAnyValue:StringEquals': { 'iam:AccountPropertyNamespaces': 'RoleManager' },
        },
      }
      const operator = await userWithKey(
        'sdk-property-operator',
        JSON.stringify({ Version: '2012-10-17', Statement: [namespace] }),
      )
      assert.deepEqual(await properties(operator), { 'RoleManager/Enabled': 'false' })
      const denied = await failure(
        iam(operator).send(
          new PutAccountPropertiesCommand({ Properties: { 'RoleManager/Enabled': 'true' } }),
        ),
      )
      assert.equal(denied.name, 'AccessDenied')
      assert.equal(denied.status, 403)
      assert.match(denied.message, / iam:CreateServiceLinkedRole on resource: /)

      const enabler = await userWithKey(
        'sdk-property-enabler',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            namespace,
            {
              Effect: 'Allow',
              Action: 'iam:CreateServiceLinkedRole',
              Resource: '*',
              Condition: {
                StringEquals: { 'iam:AWSServiceName': 'role-manager.iam.amazonaws.com' },
              },
            },
          ],
        }),
      )
      await iam(enabler).send(
        new PutAccountPropertiesCommand({ Properties: { 'RoleManager/Enabled': 'true' } }),
      )
      assert.deepEqual(await properties(gatehouse.root), { 'RoleManager/Enabled': 'true' })
    })
  })

  describe('role templates', () => {
    it('finds no role template, with or without a minor version', async () => {
      for (const input of [
        { TemplateArn: POWER_USER },
        { TemplateArn: POWER_USER, MinorVersion: 0 },
      ]) {
        assert.deepEqual(
          await failure(gatehouse.iam.send(new GetRoleTemplateVersionCommand(input))),
          {
            name: 'NoSuchEntityException',
            message: `The role template ${POWER_USER} cannot be found.`,
            status: 404,
          },
        )
      }
    })

    it('acquires no role from a template, and makes none', async () => {
      const before = await gatehouse.iam.send(new ListRolesCommand({}))
      assert.deepEqual(
        await failure(
          gatehouse.iam.send(
            new AcquireRoleCommand({
              TemplateArn: POWER_USER,
              TemplateMinorVersion: 0,
              ReplacementValues: {
                RoleName: { Values: ['PowerUserRole'] },
                AWSServiceName: { Values: ['lambda.amazonaws.com'] },
              },
            }),
          ),
        ),
        {
          name: 'NoSuchEntityException',
          message: `The role template ${POWER_USER} cannot be found.`,
          status: 404,
        },
      )
      const after = await gatehouse.iam.send(new ListRolesCommand({}))
      assert.deepEqual(after.Roles, before.Roles)
    })

    it('refuses a malformed template ARN with InvalidInput', async () => {
      const arn = 'arn:aws:iam::aws:policy/PowerUserAccess'
      // One call at a time: a second call sent at once could fail before anything waits for it
      // (an unhandled rejection).
      for (const call of [
        () => gatehouse.iam.send(new GetRoleTemplateVersionCommand({ TemplateArn: arn })),
        () => gatehouse.iam.send(new AcquireRoleCommand({ TemplateArn: arn })),
      ]) {
        assert.deepEqual(await failure(call()), {
          name: 'InvalidInputException',
          message: `ARN ${arn} is not valid.`,
          status: 400,
        })
      }
    })

    it('authorizes both calls as iam:GetRoleTemplateVersion on the template', async () => {
      const nobody = await userWithKey('sdk-template-nobody')
      const denied = await failure(
        iam(nobody).send(new AcquireRoleCommand({ TemplateArn: POWER_USER })),
      )
      assert.deepEqual(denied, {
        name: 'AccessDenied',
        message: `User: arn:aws:iam::${gatehouse.server.accountId}:user/sdk-template-nobody is not authorized to perform: iam:GetRoleTemplateVersion on resource: ${POWER_USER} because no identity-based policy allows the iam:GetRoleTemplateVersion action`,
        status: 403,
      })
      const reader = await userWithKey(
        'sdk-template-reader',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:GetRoleTemplateVersion', Resource: POWER_USER },
          ],
        }),
      )
      const found = await failure(
        iam(reader).send(new AcquireRoleCommand({ TemplateArn: POWER_USER })),
      )
      assert.equal(found.name, 'NoSuchEntityException')
    })
  })
})
