/**
 * OpenID Connect providers in process: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
 * ListOpenIDConnectProviders, DeleteOpenIDConnectProvider, AddClientIDToOpenIDConnectProvider,
 * RemoveClientIDFromOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint,
 * TagOpenIDConnectProvider, UntagOpenIDConnectProvider, ListOpenIDConnectProviderTags, every
 * error with its code, status and message, and how each is authorized.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ACCOUNT_ID, startInProcess, xmlAll, xmlText } from '../support/in-process.js'
import type { InProcess, Reply } from '../support/in-process.js'
import {
  describeProviderAuthorization,
  describeProviderQuota,
  describeProviderTags,
  itAnswersBadArns,
  itAnswersMissingProvider,
  itRefusesCreateTags,
  providersInSummary,
} from '../support/identity-provider-cases.js'
import type { IdentityProviderFamily } from '../support/identity-provider-cases.js'
import { expectError, members, tagParams, tagsOf } from '../support/query-params.js'
import { textOf } from '../errors/strict-xml.js'

const A = 'a'.repeat(40)
const B = 'B'.repeat(40)
const C = '0123456789abcdefABCDEF0123456789abcdef01'

/** The ARN of the provider at `https://<name>`. */
function arnOf(name: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${name}`
}

function texts(reply: Reply, path: string): string[] {
  return xmlAll(reply.xml, path).map(textOf)
}

const OIDC: IdentityProviderFamily = {
  title: 'IAM OpenID Connect providers',
  short: 'OIDC',
  noun: 'OpenIDConnectProvider',
  arnParam: 'OpenIDConnectProviderArn',
  arnType: 'oidc-provider',
  quotaName: 'OpenIdConnectProvidersPerAccount',
  createParams: (name) => ({ Url: `https://${name}` }),
  seed: (tx, name) => tx.createOidcProvider({ accountId: ACCOUNT_ID, name }),
  notFound: (arn) => `OpenIDConnect Provider not found for arn ${arn}`,
  ownCalls: [
    ['AddClientIDToOpenIDConnectProvider', { ClientID: 'x' }],
    ['RemoveClientIDFromOpenIDConnectProvider', { ClientID: 'x' }],
    ['UpdateOpenIDConnectProviderThumbprint', members('ThumbprintList', [A])],
  ],
  invalidArns: [`arn:aws:iam::${ACCOUNT_ID}:role/idp.example.com`],
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

    itRefusesCreateTags(OIDC, () => g)
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

    itAnswersBadArns(OIDC, () => g, 'idp.example.com')
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

  describeProviderTags(OIDC, () => g, 'idp.example.com')

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

    itAnswersMissingProvider(OIDC, () => g)
  })
})

describeProviderQuota(OIDC)

describeProviderAuthorization(OIDC)

describe('GetAccountSummary and OpenID Connect providers', () => {
  it('counts the account’s providers as Providers', async () => {
    const g = await startInProcess()
    try {
      const providers = () => providersInSummary(g)
      assert.equal(await providers(), '0')
      for (const host of ['a.example.com', 'b.example.com']) {
        const r = await g.call('CreateOpenIDConnectProvider', { Url: `https://${host}` })
        assert.equal(r.status, 200, r.body)
      }
      assert.equal(await providers(), '2')
    } finally {
      await g.close()
    }
  })
})
