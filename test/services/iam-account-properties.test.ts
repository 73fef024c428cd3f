/**
 * GetAccountProperties and PutAccountProperties in process: RoleManager/Enabled read as its
 * default until set, set per account, the model's validation (ValidationError) and IAM's own
 * (InvalidInput) with nothing written on error, and authorization on `*` with
 * iam:AccountPropertyNamespaces, enabling role manager also needing iam:CreateServiceLinkedRole.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { IAM_OPERATIONS } from '../../src/services/iam/operations.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import { childElements, textOf } from '../errors/strict-xml.js'

const RESULT = 'GetAccountPropertiesResult'
const OTHER_ACCOUNT_ID = '210987654321'
const OTHER_ROOT_KEY: Credentials = {
  accessKeyId: 'AKIAOTHERROOT0000001',
  secretAccessKey: 'otherRootSecretExample000000000000000000',
}
const ROLE_MANAGER_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/role-manager.iam.amazonaws.com/AWSServiceRoleForIAMRoleManager`
const KEY_PATTERN = '^[A-Za-z][A-Za-z0-9/_-]*$'
const KEY_FORMAT = (key: string) =>
  `The account property key ${key} is not valid. The key must contain exactly one / separating the namespace from the property name, and cannot start or end with /.`

/** The Properties map of a GetAccountProperties reply, as its entries are sent. */
function propertiesOf(r: Reply): [string, string][] {
  assert.equal(r.status, 200, r.body)
  return xmlAll(r.xml, `${RESULT}/Properties/entry`).map((entry) => {
    const [key, value, ...rest] = childElements(entry)
    assert.equal(rest.length, 0)
    assert.equal(key?.name, 'key')
    assert.equal(value?.name, 'value')
    return [textOf(key), textOf(value)]
  })
}

async function read(g: InProcess, key?: Credentials): Promise<[string, string][]> {
  return propertiesOf(await g.call('GetAccountProperties', {}, key === undefined ? {} : { key }))
}

/** The awsQuery parameters of a Properties map. */
function put(properties: Record<string, string>): Record<string, string> {
  const entries = Object.entries(properties)
  if (entries.length === 0) return { Properties: '' }
  const params: Record<string, string> = {}
  entries.forEach(([key, value], i) => {
    params[`Properties.entry.${i + 1}.key`] = key
    params[`Properties.entry.${i + 1}.value`] = value
  })
  return params
}

describe('IAM account properties', () => {
  describe('reading and setting', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
      await g.store.transaction(async (tx) => {
        await tx.createAccount({ accountId: OTHER_ACCOUNT_ID })
        await tx.createAccessKey({ accountId: OTHER_ACCOUNT_ID, userName: null, ...OTHER_ROOT_KEY })
      })
    })
    after(() => g.close())

    it('reads RoleManager/Enabled as false in an account that has not set it', async () => {
      const r = await g.call('GetAccountProperties')
      assert.equal(r.xml.name, 'GetAccountPropertiesResponse')
      assert.deepEqual(propertiesOf(r), [['RoleManager/Enabled', 'false']])
    })

    it('sets RoleManager/Enabled with an empty result, for the account alone', async () => {
      const r = await g.call('PutAccountProperties', put({ 'RoleManager/Enabled': 'true' }))
      assert.equal(r.status, 200, r.body)
      assert.equal(r.xml.name, 'PutAccountPropertiesResponse')
      assert.deepEqual(xmlAll(r.xml, 'PutAccountPropertiesResult'), [])
      assert.deepEqual(await read(g), [['RoleManager/Enabled', 'true']])
      assert.deepEqual(await read(g, OTHER_ROOT_KEY), [['RoleManager/Enabled', 'false']])
    })

    it('sets it again, to the same value and back to false', async () => {
      for (const value of ['true', 'false', 'false']) {
        const r = await g.call('PutAccountProperties', put({ 'RoleManager/Enabled': value }))
        assert.equal(r.status, 200, r.body)
        assert.deepEqual(await read(g), [['RoleManager/Enabled', value]])
      }
    })

    it("keeps each account's setting apart in the store", async () => {
      await g.call('PutAccountProperties', put({ 'RoleManager/Enabled': 'true' }), {
        key: OTHER_ROOT_KEY,
      })
      const stored = await g.store.transaction((tx) => tx.getAccountProperties(OTHER_ACCOUNT_ID))
      assert.deepEqual(stored, [{ namespace: 'RoleManager', name: 'Enabled', value: 'true' }])
      assert.deepEqual(await read(g), [['RoleManager/Enabled', 'false']])
    })
  })

  describe('validation', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
      await g.call('PutAccountProperties', put({ 'RoleManager/Enabled': 'true' }))
    })
    after(() => g.close())

    const validation: [string, Record<string, string>, string][] = [
      [
        'no Properties',
        {},
        "1 validation error detected: Value null at 'properties' failed to satisfy constraint: Member must not be null",
      ],
      [
        'a key of 51 characters',
        put({ [`RoleManager/${'E'.repeat(39)}`]: 'true' }),
        `1 validation error detected: Value 'RoleManager/${'E'.repeat(39)}' at 'properties.entry.1.key' failed to satisfy constraint: Member must have length less than or equal to 50`,
      ],
      [
        'a key starting with a digit',
        put({ '1RoleManager/Enabled': 'true' }),
        `1 validation error detected: Value '1RoleManager/Enabled' at 'properties.entry.1.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ${KEY_PATTERN}`,
      ],
      [
        'a key starting with /',
        put({ '/RoleManager/Enabled': 'true' }),
        `1 validation error detected: Value '/RoleManager/Enabled' at 'properties.entry.1.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ${KEY_PATTERN}`,
      ],
      [
        'a key with a space',
        put({ 'RoleManager/Is Enabled': 'true' }),
        `1 validation error detected: Value 'RoleManager/Is Enabled' at 'properties.entry.1.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ${KEY_PATTERN}`,
      ],
      [
        'an empty value',
        put({ 'RoleManager/Enabled': '' }),
        "1 validation error detected: Value '' at 'properties.entry.1.value' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ],
      [
        'a value of 1025 characters',
        put({ 'RoleManager/Enabled': 't'.repeat(1025) }),
        `1 validation error detected: Value '${'t'.repeat(1025)}' at 'properties.entry.1.value' failed to satisfy constraint: Member must have length less than or equal to 1024`,
      ],
    ]
    for (const [what, params, message] of validation) {
      it(`refuses ${what} with ValidationError (400), changing nothing`, async () => {
        const r = await g.call('PutAccountProperties', params)
        assert.equal(r.status, 400, r.body)
        assert.deepEqual(r.error, { code: 'ValidationError', message })
        assert.deepEqual(await read(g), [['RoleManager/Enabled', 'true']])
      })
    }

    const invalid: [string, Record<string, string>, string][] = [
      ['no property', {}, 'At least one account property must be specified.'],
      ['a key without /', { RoleManager: 'false' }, KEY_FORMAT('RoleManager')],
      [
        'a key with two /',
        { 'RoleManager/Enabled/Other': 'false' },
        KEY_FORMAT('RoleManager/Enabled/Other'),
      ],
      ['a key ending with /', { 'RoleManager/': 'false' }, KEY_FORMAT('RoleManager/')],
      [
        'an unknown namespace',
        { 'Other/Enabled': 'false' },
        'The account property namespace Other is not supported.',
      ],
      [
        'a namespace in another case',
        { 'rolemanager/Enabled': 'false' },
        'The account property namespace rolemanager is not supported.',
      ],
      [
        'an unknown property',
        { 'RoleManager/Other': 'false' },
        'The account property RoleManager/Other is not supported.',
      ],
      [
        'an unknown property beside a known one',
        { 'RoleManager/Enabled': 'false', 'RoleManager/Other': 'false' },
        'The account property RoleManager/Other is not supported.',
      ],
      [
        'keys of two namespaces',
        { 'RoleManager/Enabled': 'false', 'Other/Enabled': 'false' },
        'All properties in a single request must belong to the same namespace.',
      ],
      ...['FALSE', 'False', 'false ', '0', 'no', 'off'].map(
        (value): [string, Record<string, string>, string] => [
          `the value '${value}'`,
          { 'RoleManager/Enabled': value },
          'The value of account property RoleManager/Enabled must be true or false.',
        ],
      ),
    ]
    for (const [what, properties, message] of invalid) {
      it(`refuses ${what} with InvalidInput (400), changing nothing`, async () => {
        const r = await g.call('PutAccountProperties', put(properties))
        assert.equal(r.status, 400, r.body)
        assert.deepEqual(r.error, { code: 'InvalidInput', message })
        assert.deepEqual(await read(g), [['RoleManager/Enabled', 'true']])
      })
    }

    it('writes nothing of a request whose later property is refused', async () => {
      const r = await g.call(
        'PutAccountProperties',
        put({ 'RoleManager/Enabled': 'false', 'RoleManager/Enabled2': 'false' }),
      )
      assert.equal(r.error?.code, 'InvalidInput')
      const stored = await g.store.transaction((tx) => tx.getAccountProperties(ACCOUNT_ID))
      assert.deepEqual(stored, [{ namespace: 'RoleManager', name: 'Enabled', value: 'true' }])
    })

    it('refuses a key given twice as a malformed query, not as two properties', async () => {
      const r = await g.call('PutAccountProperties', {
        'Properties.entry.1.key': 'RoleManager/Enabled',
        'Properties.entry.1.value': 'false',
        'Properties.entry.2.key': 'RoleManager/Enabled',
        'Properties.entry.2.value': 'true',
      })
      assert.equal(r.status, 400, r.body)
      assert.equal(r.error?.code, 'InvalidQueryParameter')
      assert.deepEqual(await read(g), [['RoleManager/Enabled', 'true']])
    })
  })

  describe('authorization', () => {
    let g: InProcess
    let operator: Credentials
    const userArn = `arn:aws:iam::${ACCOUNT_ID}:user/property-operator`
    const namespaces = (value: string) => ({
      'ForAnyValue:StringEquals': { 'iam:AccountPropertyNamespaces': value },
    })
    async function grant(name: string, document: string): Promise<void> {
      const r = await g.call('PutUserPolicy', {
        UserName: 'property-operator',
        PolicyName: name,
        PolicyDocument: document,
      })
      assert.equal(r.status, 200, r.body)
    }
    async function revoke(name: string): Promise<void> {
      const r = await g.call('DeleteUserPolicy', {
        UserName: 'property-operator',
        PolicyName: name,
      })
      assert.equal(r.status, 200, r.body)
    }
    /** The policy role-manager: both calls, for the keys of `namespace`. */
    const grantNamespace = (namespace: string) =>
      grant(
        'role-manager',
        policy(
          'Allow',
          ['iam:GetAccountProperties', 'iam:PutAccountProperties'],
          '*',
          namespaces(namespace),
        ),
      )
    const enable = () =>
      g.call('PutAccountProperties', put({ 'RoleManager/Enabled': 'true' }), { key: operator })
    const disable = () =>
      g.call('PutAccountProperties', put({ 'RoleManager/Enabled': 'false' }), { key: operator })

    before(async () => {
      g = await startInProcess()
      operator = await createUserWithKey(g, 'property-operator')
    })
    after(() => g.close())

    it('registers Get as read-only and Put as a write', () => {
      assert.equal(IAM_OPERATIONS.get('GetAccountProperties')?.readOnly, true)
      assert.equal(IAM_OPERATIONS.get('PutAccountProperties')?.readOnly, false)
    })

    it('refuses both calls to a user no policy allows, with AccessDenied (403)', async () => {
      for (const [action, params] of [
        ['GetAccountProperties', {}],
        ['PutAccountProperties', put({ 'RoleManager/Enabled': 'false' })],
      ] as const) {
        const r = await g.call(action, params, { key: operator })
        assert.equal(r.status, 403, r.body)
        assert.deepEqual(r.error, {
          code: 'AccessDenied',
          message: `User: ${userArn} is not authorized to perform: iam:${action} because no identity-based policy allows the iam:${action} action`,
        })
      }
    })

    it('does not allow the calls by a policy on a resource other than *', async () => {
      await grant(
        'users-only',
        policy('Allow', 'iam:*AccountProperties', `arn:aws:iam::${ACCOUNT_ID}:user/*`),
      )
      const r = await g.call('GetAccountProperties', {}, { key: operator })
      assert.equal(r.error?.code, 'AccessDenied')
      await revoke('users-only')
    })

    it('allows the calls by the namespaces they read or write', async () => {
      await grantNamespace('RoleManager')
      assert.deepEqual(await read(g, operator), [['RoleManager/Enabled', 'false']])
      const r = await disable()
      assert.equal(r.status, 200, r.body)
    })

    it('does not allow the calls by another namespace', async () => {
      await grantNamespace('Other')
      for (const r of [
        await g.call('GetAccountProperties', {}, { key: operator }),
        await disable(),
      ]) {
        assert.equal(r.status, 403, r.body)
        assert.equal(r.error?.code, 'AccessDenied')
      }
    })

    it('names the namespaces of the keys as given, a key without / all of it', async () => {
      // The call is authorized before IAM checks its keys: the key's namespace is all of it.
      await grant(
        'role-manager',
        policy('Allow', 'iam:PutAccountProperties', '*', namespaces('NoSlash')),
      )
      const r = await g.call('PutAccountProperties', put({ NoSlash: 'true' }), { key: operator })
      assert.deepEqual(r.error, { code: 'InvalidInput', message: KEY_FORMAT('NoSlash') })
    })

    it("takes iam:CreateServiceLinkedRole on role manager's role to enable it", async () => {
      await grantNamespace('RoleManager')
      const denied = await enable()
      assert.equal(denied.status, 403, denied.body)
      assert.deepEqual(denied.error, {
        code: 'AccessDenied',
        message: `User: ${userArn} is not authorized to perform: iam:CreateServiceLinkedRole on resource: ${ROLE_MANAGER_ROLE_ARN} because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
      })
      assert.deepEqual(await read(g), [['RoleManager/Enabled', 'false']])
      // Disabling takes the property permission alone.
      assert.equal((await disable()).status, 200)
    })

    it('takes it for that service principal, then enables role manager', async () => {
      await grant(
        'service-role',
        policy('Allow', 'iam:CreateServiceLinkedRole', ROLE_MANAGER_ROLE_ARN, {
          StringEquals: { 'iam:AWSServiceName': 'ecs.amazonaws.com' },
        }),
      )
      assert.equal((await enable()).error?.code, 'AccessDenied')
      await grant(
        'service-role',
        policy('Allow', 'iam:CreateServiceLinkedRole', ROLE_MANAGER_ROLE_ARN, {
          StringEquals: { 'iam:AWSServiceName': 'role-manager.iam.amazonaws.com' },
        }),
      )
      const r = await enable()
      assert.equal(r.status, 200, r.body)
      assert.deepEqual(await read(g), [['RoleManager/Enabled', 'true']])
      // As for any other value: it is asked each time, not only when the setting changes.
      await revoke('service-role')
      assert.equal((await enable()).error?.code, 'AccessDenied')
    })

    it('lets an explicit deny of the namespace win over an allow', async () => {
      await grant(
        'deny',
        policy('Deny', 'iam:PutAccountProperties', '*', namespaces('RoleManager')),
      )
      const r = await disable()
      assert.equal(r.status, 403)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: `User: ${userArn} is not authorized to perform: iam:PutAccountProperties with an explicit deny in an identity-based policy`,
      })
      assert.deepEqual(await read(g), [['RoleManager/Enabled', 'true']])
      // Reading is still allowed.
      assert.deepEqual(await read(g, operator), [['RoleManager/Enabled', 'true']])
    })

    it('records both calls in the trail, Put as a write', async () => {
      const events = await g.trail.readTrailEvents(0, 10_000)
      const records = events
        .filter(
          (e) => e.eventName === 'GetAccountProperties' || e.eventName === 'PutAccountProperties',
        )
        .map((e) => JSON.parse(e.record) as { eventName: string; readOnly: boolean })
      assert.ok(records.some((r) => r.eventName === 'GetAccountProperties' && r.readOnly))
      assert.ok(records.some((r) => r.eventName === 'PutAccountProperties' && !r.readOnly))
    })
  })
})
