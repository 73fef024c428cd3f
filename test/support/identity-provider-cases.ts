/**
 * The in-process cases OpenID Connect and SAML providers share: the same checks of their tags,
 * their quota, how they are authorized and how a missing one is answered, over a family
 * described by its operation names, ARN parameter, ARN type and create input.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { StoreTx } from '../../src/store/store.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from './in-process.js'
import type { Credentials, InProcess } from './in-process.js'
import { expectError, members, tagParams, tagsOf } from './query-params.js'

/** An operation on one provider, named by ARN, with the other parameters it needs. */
export type ProviderCall = readonly [action: string, params: Record<string, string>]

/** A family of IAM identity providers as its in-process tests drive it. */
export interface IdentityProviderFamily {
  /** The top-level describe's title, e.g. `IAM SAML providers`. */
  readonly title: string
  /** The family's short name in test names: `OIDC`, `SAML`. */
  readonly short: string
  /** What its operations are named after: `Create${noun}`, `List${noun}Tags`, `List${noun}s`. */
  readonly noun: string
  /** The request parameter naming a provider by ARN. */
  readonly arnParam: string
  /** The resource type in its ARNs. */
  readonly arnType: string
  /** The quota of providers per account, as IAM names it. */
  readonly quotaName: string
  /** The parameters of `Create${noun}` for a provider of `name`. */
  createParams(name: string): Record<string, string>
  /** Creates a provider of `name` in ACCOUNT_ID through the store. */
  seed(tx: StoreTx, name: string): Promise<unknown>
  /** NoSuchEntity's message for a provider that does not exist. */
  notFound(arn: string): string
  /**
   * The family's own operations on a provider (beyond Get, Delete and the tag operations). The
   * first is the change the aws:ResourceTag case allows by tag.
   */
  readonly ownCalls: readonly [ProviderCall, ...ProviderCall[]]
  /** ARNs of the right length that name no provider of the family. */
  readonly invalidArns: readonly string[]
}

/** The ARN of the provider of `name` in ACCOUNT_ID. */
export function providerArn(family: IdentityProviderFamily, name: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:${family.arnType}/${name}`
}

function on(family: IdentityProviderFamily, name: string): Record<string, string> {
  return { [family.arnParam]: providerArn(family, name) }
}

/** The names of the operations every family has. */
function operationsOf(family: IdentityProviderFamily) {
  const noun = family.noun
  return {
    create: `Create${noun}`,
    get: `Get${noun}`,
    delete: `Delete${noun}`,
    list: `List${noun}s`,
    tag: `Tag${noun}`,
    untag: `Untag${noun}`,
    listTags: `List${noun}Tags`,
  }
}

/** The tag operations on a provider, with parameters that pass validation. */
function tagCalls(family: IdentityProviderFamily): readonly ProviderCall[] {
  const op = operationsOf(family)
  return [
    [op.tag, tagParams({ k: 'v' })],
    [op.untag, members('TagKeys', ['k'])],
    [op.listTags, {}],
  ]
}

/** Registers Create's case of the tags IAM refuses, which leave nothing created. */
export function itRefusesCreateTags(family: IdentityProviderFamily, g: () => InProcess): void {
  const op = operationsOf(family)
  it('refuses tags IAM refuses, and creates nothing', async () => {
    const create = (tags: Record<string, string>) =>
      g().call(op.create, { ...family.createParams('tags.example'), ...tagParams(tags) })
    expectError(
      await create({ 'aws:team': 'x' }),
      400,
      'InvalidInput',
      "Tag keys cannot start with the reserved prefix 'aws:'.",
    )
    expectError(
      await create({ Team: 'a', team: 'b' }),
      400,
      'InvalidInput',
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    )
    const tooMany: Record<string, string> = {}
    for (let i = 0; i < 51; i++) tooMany[`k${i}`] = 'v'
    const many = await create(tooMany)
    assert.equal(many.status, 400)
    assert.equal(many.error?.code, 'ValidationError')
    assert.match(
      many.error?.message ?? '',
      /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
    )
    assert.equal((await g().call(op.get, on(family, 'tags.example'))).status, 404)
  })
}

/**
 * Registers Get's cases of a provider that does not exist or is another account's (`existing` is
 * the name of one in ACCOUNT_ID), and of ARNs that name none.
 */
export function itAnswersBadArns(
  family: IdentityProviderFamily,
  g: () => InProcess,
  existing: string,
): void {
  const op = operationsOf(family)
  const get = (arn: string) => g().call(op.get, { [family.arnParam]: arn })

  it('answers a provider that does not exist, or is another account’s, with NoSuchEntity (404)', async () => {
    for (const arn of [
      providerArn(family, 'ghost.example'),
      `arn:aws:iam::999999999999:${family.arnType}/${existing}`,
    ]) {
      expectError(await get(arn), 404, 'NoSuchEntity', family.notFound(arn))
    }
  })

  it(`refuses an ARN that names no ${family.short} provider with InvalidInput, one too short with ValidationError`, async () => {
    for (const bad of family.invalidArns) {
      expectError(await get(bad), 400, 'InvalidInput', `ARN ${bad} is not valid.`)
    }
    // The member is named as the model writes it: the parameter with a lower-case first letter.
    const member = `${family.arnParam.charAt(0).toLowerCase()}${family.arnParam.slice(1)}`
    expectError(
      await get('arn:short'),
      400,
      'ValidationError',
      `1 validation error detected: Value 'arn:short' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 20`,
    )
  })
}

/**
 * Registers the `tags` cases on the provider of `name`, which has the tags `Env=prod` and
 * `team=blue` from its creation and none other.
 */
export function describeProviderTags(
  family: IdentityProviderFamily,
  g: () => InProcess,
  name: string,
): void {
  const op = operationsOf(family)
  const tag = (tags: Record<string, string>) =>
    g().call(op.tag, { ...on(family, name), ...tagParams(tags) })
  const tagsNow = async () =>
    tagsOf(await g().call(op.get, on(family, name)), `Get${family.noun}Result/Tags`)
  const result = `List${family.noun}TagsResult`

  describe('tags', () => {
    it('adds and replaces tags, keys compared with case, and lists them by key', async () => {
      // One request may not name a key twice in two cases (check-tags), even for a provider.
      expectError(
        await tag({ Team: 'red', team: 'green' }),
        400,
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      )
      for (const tags of [{ Team: 'red' }, { team: 'green', cost: '7' }]) {
        const tagged = await tag(tags)
        assert.equal(tagged.status, 200, tagged.body)
      }
      const list = await g().call(op.listTags, on(family, name.toLowerCase()))
      assert.equal(list.status, 200, list.body)
      assert.deepEqual(
        xmlAll(list.xml, `${result}/Tags/member`).map((m) => [
          xmlText(m, 'Key'),
          xmlText(m, 'Value'),
        ]),
        [
          ['Env', 'prod'],
          ['Team', 'red'],
          ['cost', '7'],
          ['team', 'green'],
        ],
      )
      assert.equal(xmlText(list.xml, `${result}/IsTruncated`), 'false')
    })

    it(`pages List${family.noun}Tags with Marker and MaxItems`, async () => {
      const first = await g().call(op.listTags, { ...on(family, name), MaxItems: '3' })
      assert.equal(xmlText(first.xml, `${result}/IsTruncated`), 'true')
      const second = await g().call(op.listTags, {
        ...on(family, name),
        Marker: xmlText(first.xml, `${result}/Marker`) ?? '',
      })
      assert.deepEqual(
        xmlAll(second.xml, `${result}/Tags/member`).map((m) => xmlText(m, 'Key')),
        ['team'],
      )
      assert.equal(xmlText(second.xml, `${result}/IsTruncated`), 'false')
      assert.equal(xmlText(second.xml, `${result}/Marker`), undefined)
    })

    it('removes the keys given, with case, ignoring absent ones', async () => {
      const r = await g().call(op.untag, {
        ...on(family, name),
        ...members('TagKeys', ['team', 'COST', 'absent']),
      })
      assert.equal(r.status, 200, r.body)
      assert.deepEqual(await tagsNow(), { Env: 'prod', Team: 'red', cost: '7' })
    })

    it('refuses a reserved key, and a 51st tag with LimitExceeded (409), keeping nothing of it', async () => {
      expectError(
        await tag({ 'AWS:owner': 'me' }),
        400,
        'InvalidInput',
        "Tag keys cannot start with the reserved prefix 'aws:'.",
      )
      const fill: Record<string, string> = {}
      for (let i = 0; i < 47; i++) fill[`k${i}`] = 'v'
      const filled = await tag(fill)
      assert.equal(filled.status, 200, filled.body)
      expectError(
        await tag({ Env: 'dev', extra: 'x' }),
        409,
        'LimitExceeded',
        'The number of tags has reached the maximum limit.',
      )
      const tags = await tagsNow()
      assert.equal(Object.keys(tags).length, 50)
      assert.equal(tags['Env'], 'prod')
    })
  })
}

/** Registers the case of every operation but Get and Delete on a missing provider. */
export function itAnswersMissingProvider(family: IdentityProviderFamily, g: () => InProcess): void {
  it('answers every other operation on a missing provider with NoSuchEntity (404)', async () => {
    const message = family.notFound(providerArn(family, 'ghost.example'))
    for (const [action, params] of [...family.ownCalls, ...tagCalls(family)]) {
      expectError(
        await g().call(action, { ...on(family, 'ghost.example'), ...params }),
        404,
        'NoSuchEntity',
        message,
      )
    }
  })
}

/** Registers the family's describe of its quota of 100 providers per account. */
export function describeProviderQuota(family: IdentityProviderFamily): void {
  const op = operationsOf(family)
  describe(`${family.title}: the quota of 100 per account`, () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
      await g.store.transaction(async (tx) => {
        for (let i = 0; i < 100; i++) await family.seed(tx, `idp-${i}.example`)
      })
    })
    after(() => g.close())

    it('refuses the 101st provider with LimitExceeded (409)', async () => {
      expectError(
        await g.call(op.create, family.createParams('one-more.example')),
        409,
        'LimitExceeded',
        `Cannot exceed quota for ${family.quotaName}: 100`,
      )
      const list = await g.call(op.list)
      assert.equal(
        xmlAll(list.xml, `List${family.noun}sResult/${family.noun}List/member`).length,
        100,
      )
    })
  })
}

/** Registers the family's describe of how its operations are authorized. */
export function describeProviderAuthorization(family: IdentityProviderFamily): void {
  const arnOf = (name: string) => providerArn(family, name)
  const action = (operation: string) => `iam:${operation}`
  const denied = (act: string, resource: string) =>
    `User: arn:aws:iam::${ACCOUNT_ID}:user/dev is not authorized to perform: ${act} on resource: ${resource} because no identity-based policy allows the ${act} action`
  const explicitlyDenied = (act: string, resource: string) =>
    `User: arn:aws:iam::${ACCOUNT_ID}:user/dev is not authorized to perform: ${act} on resource: ${resource} with an explicit deny in an identity-based policy`
  const op = operationsOf(family)

  describe(`${family.title}: authorization`, () => {
    let g: InProcess
    let dev: Credentials
    const asDev = (operation: string, params: Record<string, string>) =>
      g.call(operation, params, { key: dev })

    before(async () => {
      g = await startInProcess()
      dev = await createUserWithKey(g, 'dev')
      for (const [name, team] of [
        ['blue.example', 'blue'],
        ['Red.example', 'red'],
      ] as const) {
        const r = await g.call(op.create, { ...family.createParams(name), ...tagParams({ team }) })
        assert.equal(r.status, 200, r.body)
      }
    })
    after(() => g.close())

    async function allow(name: string, document: string): Promise<void> {
      const r = await g.call('PutUserPolicy', {
        UserName: 'dev',
        PolicyName: name,
        PolicyDocument: document,
      })
      assert.equal(r.status, 200, r.body)
    }

    it('authorizes each operation on the provider’s ARN, a missing one’s as given, before NoSuchEntity', async () => {
      const calls: readonly ProviderCall[] = [
        [op.get, {}],
        [op.delete, {}],
        ...family.ownCalls,
        ...tagCalls(family),
      ]
      for (const [operation, params] of calls) {
        for (const name of ['blue.example', 'ghost.example']) {
          expectError(
            await asDev(operation, { ...on(family, name), ...params }),
            403,
            'AccessDenied',
            denied(action(operation), arnOf(name)),
          )
        }
      }
      expectError(
        await asDev(op.create, family.createParams('new.example')),
        403,
        'AccessDenied',
        denied(action(op.create), arnOf('new.example')),
      )
      const list = action(op.list)
      expectError(
        await asDev(op.list, {}),
        403,
        'AccessDenied',
        // An action without a resource type is denied without a resource in the message.
        `User: arn:aws:iam::${ACCOUNT_ID}:user/dev is not authorized to perform: ${list} because no identity-based policy allows the ${list} action`,
      )
    })

    it('authorizes on the ARN as the provider was created, whatever the case of the ARN given', async () => {
      const get = action(op.get)
      await allow(
        'AllButRed',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: get, Resource: '*' },
            { Effect: 'Deny', Action: get, Resource: arnOf('Red.example') },
          ],
        }),
      )
      expectError(
        await asDev(op.get, on(family, 'RED.EXAMPLE')),
        403,
        'AccessDenied',
        explicitlyDenied(get, arnOf('Red.example')),
      )
      const blue = await asDev(op.get, on(family, 'BLUE.EXAMPLE'))
      assert.equal(blue.status, 200, blue.body)
      await g.call('DeleteUserPolicy', { UserName: 'dev', PolicyName: 'AllButRed' })
    })

    it('gives every action on a provider its tags as aws:ResourceTag/*', async () => {
      const calls: readonly ProviderCall[] = [[op.get, {}], family.ownCalls[0]]
      await allow(
        'BlueTeam',
        policy(
          'Allow',
          calls.map(([operation]) => action(operation)),
          `arn:aws:iam::${ACCOUNT_ID}:${family.arnType}/*`,
          { StringEquals: { 'aws:ResourceTag/team': 'blue' } },
        ),
      )
      for (const [operation, params] of calls) {
        const blue = await asDev(operation, { ...on(family, 'blue.example'), ...params })
        assert.equal(blue.status, 200, blue.body)
        expectError(
          await asDev(operation, { ...on(family, 'Red.example'), ...params }),
          403,
          'AccessDenied',
          denied(action(operation), arnOf('Red.example')),
        )
      }
    })

    it('gives Create and Tag the request’s tags, and Untag its keys', async () => {
      await allow(
        'TaggedOnly',
        policy('Allow', [action(op.create), action(op.tag)], '*', {
          StringEquals: { 'aws:RequestTag/team': 'blue' },
        }),
      )
      await allow(
        'UntagButOwner',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: action(op.untag), Resource: '*' },
            {
              Effect: 'Deny',
              Action: action(op.untag),
              Resource: '*',
              Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'owner' } },
            },
          ],
        }),
      )
      const mine = family.createParams('mine.example')
      expectError(
        await asDev(op.create, mine),
        403,
        'AccessDenied',
        denied(action(op.create), arnOf('mine.example')),
      )
      const created = await asDev(op.create, { ...mine, ...tagParams({ team: 'blue' }) })
      assert.equal(created.status, 200, created.body)
      expectError(
        await asDev(op.tag, { ...on(family, 'mine.example'), ...tagParams({ team: 'red' }) }),
        403,
        'AccessDenied',
        denied(action(op.tag), arnOf('mine.example')),
      )
      const untag = (key: string) =>
        asDev(op.untag, { ...on(family, 'mine.example'), ...members('TagKeys', [key]) })
      expectError(
        await untag('owner'),
        403,
        'AccessDenied',
        explicitlyDenied(action(op.untag), arnOf('mine.example')),
      )
      const untagged = await untag('team')
      assert.equal(untagged.status, 200, untagged.body)
    })
  })
}

/** The Providers entry of the account's GetAccountSummary, or undefined without one. */
export async function providersInSummary(g: InProcess): Promise<string | undefined> {
  const r = await g.call('GetAccountSummary')
  const entry = xmlAll(r.xml, 'GetAccountSummaryResult/SummaryMap/entry').find(
    (e) => xmlText(e, 'key') === 'Providers',
  )
  return entry === undefined ? undefined : xmlText(entry, 'value')
}
