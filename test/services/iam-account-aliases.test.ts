/**
 * CreateAccountAlias, DeleteAccountAlias and ListAccountAliases in process: one alias per
 * account, replaced by the next, unique across the accounts Gatehouse serves; AWS's errors with
 * their codes, statuses and messages; paging; and authorization on `*`.
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
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import { textOf } from '../errors/strict-xml.js'

const RESULT = 'ListAccountAliasesResult'
const OTHER_ACCOUNT_ID = '210987654321'
const OTHER_ROOT_KEY: Credentials = {
  accessKeyId: 'AKIAOTHERROOT0000001',
  secretAccessKey: 'otherRootSecretExample000000000000000000',
}
const PATTERN_MESSAGE =
  'The specified value for accountAlias is invalid. It must be a minimum length of 3 characters and maximum length of 63 characters, contain only digits, lowercase letters, and hyphens (-), but cannot begin or end with a hyphen.'
const MISSING_MESSAGE =
  "1 validation error detected: Value null at 'accountAlias' failed to satisfy constraint: Member must not be null"

/** The aliases a ListAccountAliases reply lists, and whether it says more follow. */
function listed(r: Reply): { aliases: string[]; truncated: string | undefined } {
  assert.equal(r.status, 200, r.body)
  return {
    aliases: xmlAll(r.xml, `${RESULT}/AccountAliases/member`).map(textOf),
    truncated: xmlText(r.xml, `${RESULT}/IsTruncated`),
  }
}

async function aliasesOf(g: InProcess, key?: Credentials): Promise<string[]> {
  return listed(await g.call('ListAccountAliases', {}, key === undefined ? {} : { key })).aliases
}

/** A second account served by the same Gatehouse, and its root user's key. */
async function addOtherAccount(g: InProcess): Promise<Credentials> {
  await g.store.transaction(async (tx) => {
    await tx.createAccount({ accountId: OTHER_ACCOUNT_ID })
    await tx.createAccessKey({ accountId: OTHER_ACCOUNT_ID, userName: null, ...OTHER_ROOT_KEY })
  })
  return OTHER_ROOT_KEY
}

describe('IAM account aliases', () => {
  describe('creating, replacing, listing and deleting', () => {
    let g: InProcess
    let other: Credentials
    before(async () => {
      g = await startInProcess()
      other = await addOtherAccount(g)
    })
    after(() => g.close())

    it('lists an empty AccountAliases for an account without an alias, not truncated', async () => {
      const r = await g.call('ListAccountAliases')
      assert.deepEqual(listed(r), { aliases: [], truncated: 'false' })
      // The model requires the member: an empty list is sent as an empty element.
      assert.match(r.body, /<AccountAliases\/>/)
      assert.equal(xmlText(r.xml, `${RESULT}/Marker`), undefined)
    })

    it('creates an alias with an empty result and lists it', async () => {
      const r = await g.call('CreateAccountAlias', { AccountAlias: 'example-corp' })
      assert.equal(r.status, 200, r.body)
      assert.equal(r.xml.name, 'CreateAccountAliasResponse')
      assert.deepEqual(xmlAll(r.xml, 'CreateAccountAliasResult'), [])
      assert.deepEqual(await aliasesOf(g), ['example-corp'])
      assert.deepEqual(await aliasesOf(g, other), [])
    })

    it('replaces the alias the account had with a new one', async () => {
      const r = await g.call('CreateAccountAlias', { AccountAlias: 'example-corp-2' })
      assert.equal(r.status, 200, r.body)
      assert.deepEqual(await aliasesOf(g), ['example-corp-2'])
    })

    it('frees the replaced alias for another account', async () => {
      const r = await g.call('CreateAccountAlias', { AccountAlias: 'example-corp' }, { key: other })
      assert.equal(r.status, 200, r.body)
      assert.deepEqual(await aliasesOf(g, other), ['example-corp'])
    })

    it("refuses another account's alias with EntityAlreadyExists (409), changing nothing", async () => {
      const r = await g.call('CreateAccountAlias', { AccountAlias: 'example-corp' })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'EntityAlreadyExists',
        message: 'The account alias example-corp already exists.',
      })
      assert.deepEqual(await aliasesOf(g), ['example-corp-2'])
      assert.deepEqual(await aliasesOf(g, other), ['example-corp'])
    })

    it('refuses the alias the account already has with EntityAlreadyExists (409)', async () => {
      const r = await g.call('CreateAccountAlias', { AccountAlias: 'example-corp-2' })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'EntityAlreadyExists',
        message: 'The account alias example-corp-2 already exists.',
      })
      assert.deepEqual(await aliasesOf(g), ['example-corp-2'])
    })

    const invalid: [string, Record<string, string>, string][] = [
      ['no alias', {}, MISSING_MESSAGE],
      ['an empty alias', { AccountAlias: '' }, PATTERN_MESSAGE],
      ['an upper-case letter', { AccountAlias: 'Example' }, PATTERN_MESSAGE],
      ['a leading hyphen', { AccountAlias: '-example' }, PATTERN_MESSAGE],
      ['a trailing hyphen', { AccountAlias: 'example-' }, PATTERN_MESSAGE],
      ['two hyphens in a row', { AccountAlias: 'ex--ample' }, PATTERN_MESSAGE],
      ['an underscore', { AccountAlias: 'ex_ample' }, PATTERN_MESSAGE],
      ['two characters', { AccountAlias: 'ab' }, PATTERN_MESSAGE],
      ['64 characters', { AccountAlias: 'a'.repeat(64) }, PATTERN_MESSAGE],
      [
        'a 12-digit number',
        { AccountAlias: '123456789012' },
        'The specified value for accountAlias is invalid. It cannot be a 12-digit number.',
      ],
    ]
    for (const [what, params, message] of invalid) {
      it(`refuses to create ${what} with ValidationError (400)`, async () => {
        const r = await g.call('CreateAccountAlias', params)
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'ValidationError', message })
        assert.deepEqual(await aliasesOf(g), ['example-corp-2'])
      })
    }

    it('accepts 3 and 63 characters, and numbers that are not 12 digits', async () => {
      for (const alias of ['abc', `a${'-b'.repeat(31)}`, '12345678901', '1234567890123']) {
        const r = await g.call('CreateAccountAlias', { AccountAlias: alias })
        assert.equal(r.status, 200, `${alias}: ${r.body}`)
        assert.deepEqual(await aliasesOf(g), [alias])
      }
      assert.equal(`a${'-b'.repeat(31)}`.length, 63)
    })

    it('refuses to delete an alias the account does not have with NoSuchEntity (404)', async () => {
      for (const alias of ['not-ours', 'example-corp']) {
        const r = await g.call('DeleteAccountAlias', { AccountAlias: alias })
        assert.equal(r.status, 404)
        assert.deepEqual(r.error, {
          code: 'NoSuchEntity',
          message: `The account alias ${alias} cannot be found.`,
        })
      }
      assert.deepEqual(await aliasesOf(g), ['1234567890123'])
      assert.deepEqual(await aliasesOf(g, other), ['example-corp'])
    })

    it('refuses to delete an invalid or missing alias with ValidationError (400)', async () => {
      for (const [params, message] of [
        [{ AccountAlias: 'Not-Valid' }, PATTERN_MESSAGE],
        [{}, MISSING_MESSAGE],
      ] as const) {
        const r = await g.call('DeleteAccountAlias', params)
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'ValidationError', message })
      }
    })

    it('deletes the alias the account has, then finds it no more', async () => {
      const r = await g.call('DeleteAccountAlias', { AccountAlias: '1234567890123' })
      assert.equal(r.status, 200, r.body)
      assert.equal(r.xml.name, 'DeleteAccountAliasResponse')
      assert.deepEqual(await aliasesOf(g), [])
      const again = await g.call('DeleteAccountAlias', { AccountAlias: '1234567890123' })
      assert.equal(again.status, 404)
      assert.equal(again.error?.code, 'NoSuchEntity')
    })
  })

  describe('paging', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
      await g.call('CreateAccountAlias', { AccountAlias: 'paged-corp' })
    })
    after(() => g.close())

    it('fits the one alias on a page of MaxItems 1, with no Marker', async () => {
      const r = await g.call('ListAccountAliases', { MaxItems: '1' })
      assert.deepEqual(listed(r), { aliases: ['paged-corp'], truncated: 'false' })
      assert.equal(xmlText(r.xml, `${RESULT}/Marker`), undefined)
    })

    const invalid: [string, Record<string, string>, string][] = [
      [
        'MaxItems 0',
        { MaxItems: '0' },
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ],
      [
        'MaxItems 1001',
        { MaxItems: '1001' },
        "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000",
      ],
      [
        'an empty Marker',
        { Marker: '' },
        "2 validation errors detected: Value '' at 'marker' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0020-\\u00FF]+; Value '' at 'marker' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ],
    ]
    for (const [what, params, message] of invalid) {
      it(`refuses ${what} with ValidationError (400)`, async () => {
        const r = await g.call('ListAccountAliases', params)
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'ValidationError', message })
      })
    }

    it('refuses a MaxItems that is not a number with InvalidParameterValue (400)', async () => {
      const r = await g.call('ListAccountAliases', { MaxItems: 'ten' })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'InvalidParameterValue',
        message: "Value 'ten' for parameter MaxItems is invalid. It must be an integer.",
      })
    })
  })

  describe('authorization', () => {
    let g: InProcess
    let admin: Credentials
    before(async () => {
      g = await startInProcess()
      admin = await createUserWithKey(g, 'alias-admin')
    })
    after(() => g.close())

    it('registers List as read-only and Create and Delete as writes', () => {
      assert.equal(IAM_OPERATIONS.get('ListAccountAliases')?.readOnly, true)
      assert.equal(IAM_OPERATIONS.get('CreateAccountAlias')?.readOnly, false)
      assert.equal(IAM_OPERATIONS.get('DeleteAccountAlias')?.readOnly, false)
    })

    it('refuses all three calls to a user no policy allows, with AccessDenied (403)', async () => {
      const calls: [string, Record<string, string>][] = [
        ['CreateAccountAlias', { AccountAlias: 'denied-corp' }],
        ['DeleteAccountAlias', { AccountAlias: 'denied-corp' }],
        ['ListAccountAliases', {}],
      ]
      for (const [action, params] of calls) {
        const r = await g.call(action, params, { key: admin })
        assert.equal(r.status, 403, r.body)
        // An action without a resource type is denied without "on resource", as AWS words it.
        assert.deepEqual(r.error, {
          code: 'AccessDenied',
          message: `User: arn:aws:iam::${ACCOUNT_ID}:user/alias-admin is not authorized to perform: iam:${action} because no identity-based policy allows the iam:${action} action`,
        })
      }
      assert.deepEqual(await aliasesOf(g), [])
    })

    it('does not allow the calls by a policy on a resource other than *', async () => {
      await g.call('PutUserPolicy', {
        UserName: 'alias-admin',
        PolicyName: 'users-only',
        PolicyDocument: policy('Allow', 'iam:*AccountAlias*', `arn:aws:iam::${ACCOUNT_ID}:user/*`),
      })
      const r = await g.call('ListAccountAliases', {}, { key: admin })
      assert.equal(r.status, 403, r.body)
      assert.equal(r.error?.code, 'AccessDenied')
    })

    it('authorizes each call on its own action, resource *', async () => {
      await g.call('PutUserPolicy', {
        UserName: 'alias-admin',
        PolicyName: 'create-and-list',
        PolicyDocument: policy('Allow', ['iam:CreateAccountAlias', 'iam:ListAccountAliases']),
      })
      const created = await g.call(
        'CreateAccountAlias',
        { AccountAlias: 'allowed-corp' },
        {
          key: admin,
        },
      )
      assert.equal(created.status, 200, created.body)
      assert.deepEqual(await aliasesOf(g, admin), ['allowed-corp'])
      const denied = await g.call(
        'DeleteAccountAlias',
        { AccountAlias: 'allowed-corp' },
        {
          key: admin,
        },
      )
      assert.equal(denied.status, 403)
      assert.equal(denied.error?.code, 'AccessDenied')
      await g.call('PutUserPolicy', {
        UserName: 'alias-admin',
        PolicyName: 'delete',
        PolicyDocument: policy('Allow', 'iam:DeleteAccountAlias', '*'),
      })
      const deleted = await g.call(
        'DeleteAccountAlias',
        { AccountAlias: 'allowed-corp' },
        {
          key: admin,
        },
      )
      assert.equal(deleted.status, 200, deleted.body)
      assert.deepEqual(await aliasesOf(g), [])
    })

    it('lets an explicit deny win over an allow', async () => {
      await g.call('PutUserPolicy', {
        UserName: 'alias-admin',
        PolicyName: 'no-create',
        PolicyDocument: policy('Deny', 'iam:CreateAccountAlias'),
      })
      const r = await g.call('CreateAccountAlias', { AccountAlias: 'refused-corp' }, { key: admin })
      assert.equal(r.status, 403)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/alias-admin is not authorized to perform: iam:CreateAccountAlias with an explicit deny in an identity-based policy`,
      })
      assert.deepEqual(await aliasesOf(g), [])
    })

    it('validates the alias of an authorized call only', async () => {
      // An invalid alias from a caller not allowed to create is denied first: IAM checks the
      // alias itself, after authorization.
      const r = await g.call('CreateAccountAlias', { AccountAlias: 'Bad--Alias' }, { key: admin })
      assert.equal(r.status, 403)
      assert.equal(r.error?.code, 'AccessDenied')
    })
  })
})
