/**
 * OpenID Connect providers in process: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
 * ListOpenIDConnectProviders, DeleteOpenIDConnectProvider, AddClientIDToOpenIDConnectProvider,
 * RemoveClientIDFromOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint,
 * TagOpenIDConnectProvider, UntagOpenIDConnectProvider, ListOpenIDConnectProviderTags, every
 * error with its code, status and message, and how each is authorized.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
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

const A = 'a'.repeat(40)
const B = 'B'.repeat(40)
const C = '0123456789abcdefABCDEF0123456789abcdef01'

/** The ARN of the provider at `https://<name>`. */
function arnOf(name: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${name}`
}

/** awsQuery members of a list: `Name.member.1`, `Name.member.2`, ... */
function members(name: string, values: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {}
  values.forEach((value, i) => {
    params[`${name}.member.${i + 1}`] = value
  })
  return params
}

function tagParams(tags: Readonly<Record<string, string>>): Record<string, string> {
  const params: Record<string, string> = {}
  Object.entries(tags).forEach(([key, value], i) => {
    params[`Tags.member.${i + 1}.Key`] = key
    params[`Tags.member.${i + 1}.Value`] = value
  })
  return params
}

function texts(reply: Reply, path: string): string[] {
  return xmlAll(reply.xml, path).map(textOf)
}

function tagsOf(reply: Reply, path: string): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const member of xmlAll(reply.xml, `${path}/member`)) {
    tags[xmlText(member, 'Key') ?? ''] = xmlText(member, 'Value') ?? ''
  }
  return tags
}

function expectError(reply: Reply, status: number, code: string, message: string): void {
  assert.equal(reply.status, status, reply.body)
  assert.deepEqual(reply.error, { code, message })
}

describe('IAM OpenID Connect providers', () => {
  let g: InProcess
  const arn = (name: string) => ({ OpenIDConnectProviderArn: arnOf(name) })
  const get = (name: string) => g.call('GetOpenIDConnectProvider', arn(name))

  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  describe('CreateOpenIDConnectProvider', () => {
    it('creates a provider named by its URL, returning its ARN and its tags by key', async () => {
      const r = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://idp.example.com',
        ...members('ClientIDList', ['web', 'cli']),
        ...members('ThumbprintList', [A, B]),
        ...tagParams({ team: 'blue', Env: 'prod' }),
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(
        xmlText(r.xml, 'CreateOpenIDConnectProviderResult/OpenIDConnectProviderArn'),
        arnOf('idp.example.com'),
      )
      assert.deepEqual(
        xmlAll(r.xml, 'CreateOpenIDConnectProviderResult/Tags/member').map((m) =>
          xmlText(m, 'Key'),
        ),
        ['Env', 'team'],
      )
    })

    it('needs neither client ids, nor thumbprints, nor tags, and keeps a path', async () => {
      const r = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://login.example.org/tenant/v2.0',
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(
        xmlText(r.xml, 'CreateOpenIDConnectProviderResult/OpenIDConnectProviderArn'),
        arnOf('login.example.org/tenant/v2.0'),
      )
      // No tags: IAM leaves the member out.
      assert.equal(r.body.includes('<Tags'), false)
    })

    it('refuses a URL taken, in any case, with EntityAlreadyExists (409) naming the URL', async () => {
      const r = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://IDP.example.com',
        ...members('ThumbprintList', [C]),
      })
      expectError(
        r,
        409,
        'EntityAlreadyExists',
        'Provider with url https://IDP.example.com already exists.',
      )
      // Nothing of the refused request reached the provider.
      assert.deepEqual(
        texts(await get('idp.example.com'), 'GetOpenIDConnectProviderResult/ThumbprintList/member'),
        [A, B],
      )
    })

    for (const url of [
      'example.org',
      'http://example.org',
      'https://',
      'https:///path',
      'https://example.org?tenant=1',
      'https://example.org/#top',
      'https://exa mple.org',
    ]) {
      it(`refuses the URL ${url} with ValidationError`, async () => {
        const r = await g.call('CreateOpenIDConnectProvider', { Url: url })
        expectError(r, 400, 'ValidationError', 'Invalid Open ID Connect Provider URL')
      })
    }

    const invalid: readonly (readonly [string, Record<string, string>, string])[] = [
      [
        'no URL',
        {},
        "1 validation error detected: Value null at 'url' failed to satisfy constraint: Member must not be null",
      ],
      [
        'a URL over 255 characters',
        { Url: `https://${'u'.repeat(248)}` },
        `1 validation error detected: Value 'https://${'u'.repeat(248)}' at 'url' failed to satisfy constraint: Member must have length less than or equal to 255`,
      ],
      [
        'a thumbprint of 41 characters',
        { Url: 'https://t.example', ...members('ThumbprintList', [`${A}a`]) },
        `1 validation error detected: Value '${A}a' at 'thumbprintList.1.member' failed to satisfy constraint: Member must have length less than or equal to 40`,
      ],
      [
        'an empty client id',
        { Url: 'https://t.example', ...members('ClientIDList', ['']) },
        "1 validation error detected: Value '' at 'clientIDList.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ],
      [
        'a client id over 255 characters',
        { Url: 'https://t.example', ...members('ClientIDList', ['c'.repeat(256)]) },
        `1 validation error detected: Value '${'c'.repeat(256)}' at 'clientIDList.1.member' failed to satisfy constraint: Member must have length less than or equal to 255`,
      ],
    ]
    for (const [what, params, message] of invalid) {
      it(`refuses ${what} with ValidationError`, async () => {
        expectError(
          await g.call('CreateOpenIDConnectProvider', params),
          400,
          'ValidationError',
          message,
        )
      })
    }

    it('refuses six thumbprints with InvalidInput, as IAM words it', async () => {
      const r = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://six.example',
        ...members('ThumbprintList', [A, A, A, A, A, A]),
      })
      expectError(r, 400, 'InvalidInput', 'Thumbprint list must contain fewer than 5 entries.')
      expectError(
        await get('six.example'),
        404,
        'NoSuchEntity',
        `OpenIDConnect Provider not found for arn ${arnOf('six.example')}`,
      )
    })

    it('takes five thumbprints of either case', async () => {
      const r = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://five.example',
        ...members('ThumbprintList', [A, B, C, A, B]),
      })
      assert.equal(r.status, 200, r.body)
    })

    it('refuses a thumbprint that is not hexadecimal with InvalidInput', async () => {
      const thumbprint = 'z'.repeat(40)
      const r = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://hex.example',
        ...members('ThumbprintList', [thumbprint]),
      })
      expectError(
        r,
        400,
        'InvalidInput',
        `Thumbprint ${thumbprint} is not a hex-encoded SHA-1 hash of 40 characters.`,
      )
    })

    it('refuses 101 client ids with LimitExceeded (409), and creates nothing', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => `client-${i}`)
      const r = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://crowd.example',
        ...members('ClientIDList', ids),
      })
      expectError(
        r,
        409,
        'LimitExceeded',
        'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100',
      )
      assert.equal((await get('crowd.example')).status, 404)
    })

    it('refuses tags IAM refuses, and creates nothing', async () => {
      const reserved = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://tags.example',
        ...tagParams({ 'aws:team': 'x' }),
      })
      expectError(
        reserved,
        400,
        'InvalidInput',
        "Tag keys cannot start with the reserved prefix 'aws:'.",
      )
      const twice = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://tags.example',
        ...tagParams({ Team: 'a', team: 'b' }),
      })
      expectError(
        twice,
        400,
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      )
      const tooMany: Record<string, string> = {}
      for (let i = 0; i < 51; i++) tooMany[`k${i}`] = 'v'
      const many = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://tags.example',
        ...tagParams(tooMany),
      })
      assert.equal(many.status, 400)
      assert.equal(many.error?.code, 'ValidationError')
      assert.match(
        many.error?.message ?? '',
        /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
      )
      assert.equal((await get('tags.example')).status, 404)
    })
  })

  describe('GetOpenIDConnectProvider', () => {
    it('returns the URL without its scheme, the lists, the creation date and the tags', async () => {
      const r = await get('idp.example.com')
      assert.equal(r.status, 200, r.body)
      const result = 'GetOpenIDConnectProviderResult'
      assert.equal(xmlText(r.xml, `${result}/Url`), 'idp.example.com')
      assert.deepEqual(texts(r, `${result}/ClientIDList/member`), ['web', 'cli'])
      assert.deepEqual(texts(r, `${result}/ThumbprintList/member`), [A, B])
      assert.match(xmlText(r.xml, `${result}/CreateDate`) ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z$/)
      assert.deepEqual(tagsOf(r, `${result}/Tags`), { Env: 'prod', team: 'blue' })
    })

    it('sends every list, empty ones included, as IAM does', async () => {
      const r = await get('login.example.org/tenant/v2.0')
      assert.equal(r.status, 200, r.body)
      for (const list of ['ClientIDList', 'ThumbprintList', 'Tags']) {
        assert.ok(r.body.includes(`<${list}/>`), `${list} in ${r.body}`)
      }
    })

    it('finds a provider by an ARN in another case, returning its URL as created', async () => {
      const r = await get('IDP.EXAMPLE.COM')
      assert.equal(xmlText(r.xml, 'GetOpenIDConnectProviderResult/Url'), 'idp.example.com')
    })

    it('answers a provider that does not exist, or is another account’s, with NoSuchEntity (404)', async () => {
      for (const providerArn of [
        arnOf('ghost.example'),
        'arn:aws:iam::999999999999:oidc-provider/idp.example.com',
      ]) {
        const r = await g.call('GetOpenIDConnectProvider', {
          OpenIDConnectProviderArn: providerArn,
        })
        expectError(
          r,
          404,
          'NoSuchEntity',
          `OpenIDConnect Provider not found for arn ${providerArn}`,
        )
      }
    })

    it('refuses an ARN that names no OIDC provider with InvalidInput, one too short with ValidationError', async () => {
      const role = `arn:aws:iam::${ACCOUNT_ID}:role/idp.example.com`
      expectError(
        await g.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: role }),
        400,
        'InvalidInput',
        `ARN ${role} is not valid.`,
      )
      expectError(
        await g.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: 'arn:short' }),
        400,
        'ValidationError',
        "1 validation error detected: Value 'arn:short' at 'openIDConnectProviderArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
      )
    })
  })

  describe('ListOpenIDConnectProviders', () => {
    it('lists every provider’s ARN, by name', async () => {
      const r = await g.call('ListOpenIDConnectProviders')
      assert.equal(r.status, 200, r.body)
      assert.deepEqual(
        texts(r, 'ListOpenIDConnectProvidersResult/OpenIDConnectProviderList/member/Arn'),
        ['five.example', 'idp.example.com', 'login.example.org/tenant/v2.0'].map(arnOf),
      )
    })
  })

  describe('client ids', () => {
    it('adds a client id once, after the others (AddClientIDToOpenIDConnectProvider is idempotent)', async () => {
      for (const clientId of ['mobile', 'web', 'mobile']) {
        const r = await g.call('AddClientIDToOpenIDConnectProvider', {
          ...arn('idp.example.com'),
          ClientID: clientId,
        })
        assert.equal(r.status, 200, r.body)
        assert.ok(r.body.includes('<AddClientIDToOpenIDConnectProviderResponse'))
      }
      assert.deepEqual(
        texts(await get('idp.example.com'), 'GetOpenIDConnectProviderResult/ClientIDList/member'),
        ['web', 'cli', 'mobile'],
      )
    })

    it('removes a client id, ignoring one the provider does not have', async () => {
      for (const clientId of ['cli', 'cli', 'WEB']) {
        const r = await g.call('RemoveClientIDFromOpenIDConnectProvider', {
          ...arn('idp.example.com'),
          ClientID: clientId,
        })
        assert.equal(r.status, 200, r.body)
      }
      assert.deepEqual(
        texts(await get('idp.example.com'), 'GetOpenIDConnectProviderResult/ClientIDList/member'),
        ['web', 'mobile'],
      )
    })

    it('refuses the 101st client id with LimitExceeded (409)', async () => {
      const ids = Array.from({ length: 100 }, (_, i) => `client-${i}`)
      const created = await g.call('CreateOpenIDConnectProvider', {
        Url: 'https://full.example',
        ...members('ClientIDList', ids),
      })
      assert.equal(created.status, 200, created.body)
      const again = await g.call('AddClientIDToOpenIDConnectProvider', {
        ...arn('full.example'),
        ClientID: 'client-7',
      })
      assert.equal(again.status, 200, again.body)
      expectError(
        await g.call('AddClientIDToOpenIDConnectProvider', {
          ...arn('full.example'),
          ClientID: 'one-more',
        }),
        409,
        'LimitExceeded',
        'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100',
      )
    })

    it('refuses a client id outside 1 to 255 characters with ValidationError', async () => {
      const r = await g.call('AddClientIDToOpenIDConnectProvider', {
        ...arn('idp.example.com'),
        ClientID: '',
      })
      expectError(
        r,
        400,
        'ValidationError',
        "1 validation error detected: Value '' at 'clientID' failed to satisfy constraint: Member must have length greater than or equal to 1",
      )
    })
  })

  describe('UpdateOpenIDConnectProviderThumbprint', () => {
    it('replaces the list whole', async () => {
      const r = await g.call('UpdateOpenIDConnectProviderThumbprint', {
        ...arn('idp.example.com'),
        ...members('ThumbprintList', [C]),
      })
      assert.equal(r.status, 200, r.body)
      assert.deepEqual(
        texts(await get('idp.example.com'), 'GetOpenIDConnectProviderResult/ThumbprintList/member'),
        [C],
      )
    })

    it('takes an empty list, which leaves the provider none', async () => {
      const r = await g.call('UpdateOpenIDConnectProviderThumbprint', {
        ...arn('five.example'),
        ThumbprintList: '',
      })
      assert.equal(r.status, 200, r.body)
      assert.ok((await get('five.example')).body.includes('<ThumbprintList/>'))
    })

    it('refuses six thumbprints, a non-hexadecimal one, and no list at all', async () => {
      expectError(
        await g.call('UpdateOpenIDConnectProviderThumbprint', {
          ...arn('idp.example.com'),
          ...members('ThumbprintList', [A, A, A, A, A, A]),
        }),
        400,
        'InvalidInput',
        'Thumbprint list must contain fewer than 5 entries.',
      )
      const bad = `${'g'.repeat(39)}0`
      expectError(
        await g.call('UpdateOpenIDConnectProviderThumbprint', {
          ...arn('idp.example.com'),
          ...members('ThumbprintList', [bad]),
        }),
        400,
        'InvalidInput',
        `Thumbprint ${bad} is not a hex-encoded SHA-1 hash of 40 characters.`,
      )
      expectError(
        await g.call('UpdateOpenIDConnectProviderThumbprint', arn('idp.example.com')),
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'thumbprintList' failed to satisfy constraint: Member must not be null",
      )
      assert.deepEqual(
        texts(await get('idp.example.com'), 'GetOpenIDConnectProviderResult/ThumbprintList/member'),
        [C],
      )
    })
  })

  describe('tags', () => {
    it('adds and replaces tags, keys compared with case', async () => {
      const r = await g.call('TagOpenIDConnectProvider', {
        ...arn('idp.example.com'),
        ...tagParams({ Team: 'red', team: 'green' }),
      })
      // One request may not name a key twice in two cases (check-tags), even for a provider.
      expectError(
        r,
        400,
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      )
      for (const tags of [{ Team: 'red' }, { team: 'green', cost: '7' }]) {
        const tagged = await g.call('TagOpenIDConnectProvider', {
          ...arn('idp.example.com'),
          ...tagParams(tags),
        })
        assert.equal(tagged.status, 200, tagged.body)
      }
      const list = await g.call('ListOpenIDConnectProviderTags', arn('idp.example.com'))
      assert.equal(list.status, 200, list.body)
      assert.deepEqual(
        xmlAll(list.xml, 'ListOpenIDConnectProviderTagsResult/Tags/member').map((m) => [
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
      assert.equal(xmlText(list.xml, 'ListOpenIDConnectProviderTagsResult/IsTruncated'), 'false')
    })

    it('pages ListOpenIDConnectProviderTags with Marker and MaxItems', async () => {
      const first = await g.call('ListOpenIDConnectProviderTags', {
        ...arn('idp.example.com'),
        MaxItems: '3',
      })
      const result = 'ListOpenIDConnectProviderTagsResult'
      assert.equal(xmlText(first.xml, `${result}/IsTruncated`), 'true')
      const marker = xmlText(first.xml, `${result}/Marker`) ?? ''
      const second = await g.call('ListOpenIDConnectProviderTags', {
        ...arn('idp.example.com'),
        Marker: marker,
      })
      assert.deepEqual(
        xmlAll(second.xml, `${result}/Tags/member`).map((m) => xmlText(m, 'Key')),
        ['team'],
      )
      assert.equal(xmlText(second.xml, `${result}/IsTruncated`), 'false')
      assert.equal(xmlText(second.xml, `${result}/Marker`), undefined)
    })

    it('removes the keys given, with case, ignoring absent ones', async () => {
      const r = await g.call('UntagOpenIDConnectProvider', {
        ...arn('idp.example.com'),
        ...members('TagKeys', ['team', 'COST', 'absent']),
      })
      assert.equal(r.status, 200, r.body)
      assert.deepEqual(
        tagsOf(await get('idp.example.com'), 'GetOpenIDConnectProviderResult/Tags'),
        {
          Env: 'prod',
          Team: 'red',
          cost: '7',
        },
      )
    })

    it('refuses a reserved key, and a 51st tag with LimitExceeded (409), keeping nothing of it', async () => {
      expectError(
        await g.call('TagOpenIDConnectProvider', {
          ...arn('idp.example.com'),
          ...tagParams({ 'AWS:owner': 'me' }),
        }),
        400,
        'InvalidInput',
        "Tag keys cannot start with the reserved prefix 'aws:'.",
      )
      const fill: Record<string, string> = {}
      for (let i = 0; i < 47; i++) fill[`k${i}`] = 'v'
      const filled = await g.call('TagOpenIDConnectProvider', {
        ...arn('idp.example.com'),
        ...tagParams(fill),
      })
      assert.equal(filled.status, 200, filled.body)
      expectError(
        await g.call('TagOpenIDConnectProvider', {
          ...arn('idp.example.com'),
          ...tagParams({ Env: 'dev', extra: 'x' }),
        }),
        409,
        'LimitExceeded',
        'The number of tags has reached the maximum limit.',
      )
      const tags = tagsOf(await get('idp.example.com'), 'GetOpenIDConnectProviderResult/Tags')
      assert.equal(Object.keys(tags).length, 50)
      assert.equal(tags['Env'], 'prod')
    })
  })

  describe('DeleteOpenIDConnectProvider', () => {
    it('deletes a provider, then answers it with NoSuchEntity in its own words', async () => {
      const r = await g.call('DeleteOpenIDConnectProvider', arn('full.example'))
      assert.equal(r.status, 200, r.body)
      expectError(
        await get('full.example'),
        404,
        'NoSuchEntity',
        `OpenIDConnect Provider not found for arn ${arnOf('full.example')}`,
      )
      expectError(
        await g.call('DeleteOpenIDConnectProvider', arn('full.example')),
        404,
        'NoSuchEntity',
        `OpenId connect Provider ${arnOf('full.example')} cannot be found.`,
      )
      // A new provider at the URL starts with nothing of the old one.
      await g.call('CreateOpenIDConnectProvider', { Url: 'https://full.example' })
      assert.ok((await get('full.example')).body.includes('<ClientIDList/>'))
    })

    it('answers every other operation on a missing provider with NoSuchEntity (404)', async () => {
      const ghost = arn('ghost.example')
      const message = `OpenIDConnect Provider not found for arn ${arnOf('ghost.example')}`
      const calls: readonly (readonly [string, Record<string, string>])[] = [
        ['AddClientIDToOpenIDConnectProvider', { ...ghost, ClientID: 'x' }],
        ['RemoveClientIDFromOpenIDConnectProvider', { ...ghost, ClientID: 'x' }],
        ['UpdateOpenIDConnectProviderThumbprint', { ...ghost, ...members('ThumbprintList', [A]) }],
        ['TagOpenIDConnectProvider', { ...ghost, ...tagParams({ k: 'v' }) }],
        ['UntagOpenIDConnectProvider', { ...ghost, ...members('TagKeys', ['k']) }],
        ['ListOpenIDConnectProviderTags', ghost],
      ]
      for (const [action, params] of calls) {
        expectError(await g.call(action, params), 404, 'NoSuchEntity', message)
      }
    })
  })
})

describe('IAM OpenID Connect providers: the quota of 100 per account', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    await g.store.transaction(async (tx) => {
      for (let i = 0; i < 100; i++) {
        await tx.createOidcProvider({ accountId: ACCOUNT_ID, name: `idp-${i}.example` })
      }
    })
  })
  after(() => g.close())

  it('refuses the 101st provider with LimitExceeded (409)', async () => {
    const r = await g.call('CreateOpenIDConnectProvider', { Url: 'https://one-more.example' })
    expectError(
      r,
      409,
      'LimitExceeded',
      'Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100',
    )
    const list = await g.call('ListOpenIDConnectProviders')
    assert.equal(
      xmlAll(list.xml, 'ListOpenIDConnectProvidersResult/OpenIDConnectProviderList/member').length,
      100,
    )
  })
})

describe('IAM OpenID Connect providers: authorization', () => {
  let g: InProcess
  let dev: Credentials
  const denied = (action: string, resource: string) =>
    `User: arn:aws:iam::${ACCOUNT_ID}:user/dev is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
  const explicitlyDenied = (action: string, resource: string) =>
    `User: arn:aws:iam::${ACCOUNT_ID}:user/dev is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`

  before(async () => {
    g = await startInProcess()
    dev = await createUserWithKey(g, 'dev')
    for (const [url, team] of [
      ['https://blue.example', 'blue'],
      ['https://Red.example', 'red'],
    ] as const) {
      const r = await g.call('CreateOpenIDConnectProvider', { Url: url, ...tagParams({ team }) })
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
    const calls: readonly (readonly [string, Record<string, string>])[] = [
      ['GetOpenIDConnectProvider', {}],
      ['DeleteOpenIDConnectProvider', {}],
      ['AddClientIDToOpenIDConnectProvider', { ClientID: 'x' }],
      ['RemoveClientIDFromOpenIDConnectProvider', { ClientID: 'x' }],
      ['UpdateOpenIDConnectProviderThumbprint', members('ThumbprintList', [A])],
      ['TagOpenIDConnectProvider', tagParams({ k: 'v' })],
      ['UntagOpenIDConnectProvider', members('TagKeys', ['k'])],
      ['ListOpenIDConnectProviderTags', {}],
    ]
    for (const [action, params] of calls) {
      for (const name of ['blue.example', 'ghost.example']) {
        const r = await g.call(
          action,
          { OpenIDConnectProviderArn: arnOf(name), ...params },
          { key: dev },
        )
        expectError(r, 403, 'AccessDenied', denied(`iam:${action}`, arnOf(name)))
      }
    }
    expectError(
      await g.call('CreateOpenIDConnectProvider', { Url: 'https://new.example' }, { key: dev }),
      403,
      'AccessDenied',
      denied('iam:CreateOpenIDConnectProvider', arnOf('new.example')),
    )
    expectError(
      await g.call('ListOpenIDConnectProviders', {}, { key: dev }),
      403,
      'AccessDenied',
      // An action without a resource type is denied without a resource in the message.
      `User: arn:aws:iam::${ACCOUNT_ID}:user/dev is not authorized to perform: iam:ListOpenIDConnectProviders because no identity-based policy allows the iam:ListOpenIDConnectProviders action`,
    )
  })

  it('authorizes on the ARN as the provider was created, whatever the case of the ARN given', async () => {
    await allow(
      'AllButRed',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:GetOpenIDConnectProvider', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'iam:GetOpenIDConnectProvider',
            Resource: arnOf('Red.example'),
          },
        ],
      }),
    )
    const r = await g.call(
      'GetOpenIDConnectProvider',
      { OpenIDConnectProviderArn: arnOf('red.EXAMPLE') },
      { key: dev },
    )
    expectError(
      r,
      403,
      'AccessDenied',
      explicitlyDenied('iam:GetOpenIDConnectProvider', arnOf('Red.example')),
    )
    const blue = await g.call(
      'GetOpenIDConnectProvider',
      { OpenIDConnectProviderArn: arnOf('BLUE.example') },
      { key: dev },
    )
    assert.equal(blue.status, 200, blue.body)
    await g.call('DeleteUserPolicy', { UserName: 'dev', PolicyName: 'AllButRed' })
  })

  it('gives every action on a provider its tags as aws:ResourceTag/*', async () => {
    await allow(
      'BlueTeam',
      policy(
        'Allow',
        ['iam:GetOpenIDConnectProvider', 'iam:AddClientIDToOpenIDConnectProvider'],
        `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/*`,
        { StringEquals: { 'aws:ResourceTag/team': 'blue' } },
      ),
    )
    for (const action of ['GetOpenIDConnectProvider', 'AddClientIDToOpenIDConnectProvider']) {
      const params = action === 'GetOpenIDConnectProvider' ? {} : { ClientID: 'web' }
      const blue = await g.call(
        action,
        { OpenIDConnectProviderArn: arnOf('blue.example'), ...params },
        { key: dev },
      )
      assert.equal(blue.status, 200, blue.body)
      const red = await g.call(
        action,
        { OpenIDConnectProviderArn: arnOf('Red.example'), ...params },
        { key: dev },
      )
      expectError(red, 403, 'AccessDenied', denied(`iam:${action}`, arnOf('Red.example')))
    }
  })

  it('gives Create and Tag the request’s tags, and Untag its keys', async () => {
    await allow(
      'TaggedOnly',
      policy('Allow', ['iam:CreateOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider'], '*', {
        StringEquals: { 'aws:RequestTag/team': 'blue' },
      }),
    )
    await allow(
      'UntagButOwner',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:UntagOpenIDConnectProvider', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'iam:UntagOpenIDConnectProvider',
            Resource: '*',
            Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'owner' } },
          },
        ],
      }),
    )
    expectError(
      await g.call('CreateOpenIDConnectProvider', { Url: 'https://mine.example' }, { key: dev }),
      403,
      'AccessDenied',
      denied('iam:CreateOpenIDConnectProvider', arnOf('mine.example')),
    )
    const created = await g.call(
      'CreateOpenIDConnectProvider',
      { Url: 'https://mine.example', ...tagParams({ team: 'blue' }) },
      { key: dev },
    )
    assert.equal(created.status, 200, created.body)
    expectError(
      await g.call(
        'TagOpenIDConnectProvider',
        { OpenIDConnectProviderArn: arnOf('mine.example'), ...tagParams({ team: 'red' }) },
        { key: dev },
      ),
      403,
      'AccessDenied',
      denied('iam:TagOpenIDConnectProvider', arnOf('mine.example')),
    )
    expectError(
      await g.call(
        'UntagOpenIDConnectProvider',
        { OpenIDConnectProviderArn: arnOf('mine.example'), ...members('TagKeys', ['owner']) },
        { key: dev },
      ),
      403,
      'AccessDenied',
      explicitlyDenied('iam:UntagOpenIDConnectProvider', arnOf('mine.example')),
    )
    const untag = await g.call(
      'UntagOpenIDConnectProvider',
      { OpenIDConnectProviderArn: arnOf('mine.example'), ...members('TagKeys', ['team']) },
      { key: dev },
    )
    assert.equal(untag.status, 200, untag.body)
  })
})

describe('GetAccountSummary and OpenID Connect providers', () => {
  it('counts the account’s providers as Providers', async () => {
    const g = await startInProcess()
    try {
      const providers = async (): Promise<number> => {
        const r = await g.call('GetAccountSummary')
        const entry = xmlAll(r.xml, 'GetAccountSummaryResult/SummaryMap/entry').find(
          (e) => xmlText(e, 'key') === 'Providers',
        )
        return Number(entry === undefined ? Number.NaN : xmlText(entry, 'value'))
      }
      assert.equal(await providers(), 0)
      for (const host of ['a.example.com', 'b.example.com']) {
        const r = await g.call('CreateOpenIDConnectProvider', { Url: `https://${host}` })
        assert.equal(r.status, 200, r.body)
      }
      assert.equal(await providers(), 2)
    } finally {
      await g.close()
    }
  })
})
