/**
 * Customer managed policies in process: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, their
 * versions, their tags, and GetAccountSummary; success, AWS's errors and the model's validation.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { InProcess, Reply } from '../support/in-process.js'
import { childElements, textOf } from '../errors/strict-xml.js'

const arn = (path: string, name: string): string =>
  `arn:aws:iam::${ACCOUNT_ID}:policy${path}${name}`

/** The texts of the elements at `path`. */
function texts(r: Reply, path: string): string[] {
  return xmlAll(r.xml, path).map(textOf)
}

/** The call succeeded; its body is the message otherwise. */
function ok(r: Reply): Reply {
  assert.equal(r.status, 200, r.body)
  return r
}

/** The first recorded case of the parse-error table with this id. */
function recordedDocument(id: string): string {
  const file = join(import.meta.dirname, '..', 'cases', 'parse-errors', 'malformed-policies.json')
  const table = JSON.parse(readFileSync(file, 'utf8')) as {
    cases: { id: string; document: string; message: string }[]
  }
  const found = table.cases.find((c) => c.id === id)
  assert.ok(found, `no case ${id}`)
  return found.document
}

describe('IAM customer managed policies', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  describe('CreatePolicy and GetPolicy', () => {
    it('creates v1 as the default version and returns the policy without its description', async () => {
      const r = ok(
        await g.call('CreatePolicy', {
          PolicyName: 'ReadIam',
          Path: '/team/',
          PolicyDocument: policy('Allow', 'iam:Get*'),
          Description: 'Reads IAM',
          'Tags.member.1.Key': 'Owner',
          'Tags.member.1.Value': 'ops',
        }),
      )
      const p = 'CreatePolicyResult/Policy'
      assert.equal(xmlText(r.xml, `${p}/PolicyName`), 'ReadIam')
      assert.equal(xmlText(r.xml, `${p}/Arn`), arn('/team/', 'ReadIam'))
      assert.equal(xmlText(r.xml, `${p}/Path`), '/team/')
      assert.match(xmlText(r.xml, `${p}/PolicyId`) ?? '', /^ANPA[A-Z2-7]{17}$/)
      assert.equal(xmlText(r.xml, `${p}/DefaultVersionId`), 'v1')
      assert.equal(xmlText(r.xml, `${p}/AttachmentCount`), '0')
      assert.equal(xmlText(r.xml, `${p}/PermissionsBoundaryUsageCount`), '0')
      assert.equal(xmlText(r.xml, `${p}/IsAttachable`), 'true')
      assert.match(xmlText(r.xml, `${p}/CreateDate`) ?? '', /^\d{4}-\d\d-\d\dT/)
      assert.equal(xmlText(r.xml, `${p}/UpdateDate`), xmlText(r.xml, `${p}/CreateDate`))
      assert.equal(xmlText(r.xml, `${p}/Description`), undefined)
      assert.deepEqual(texts(r, `${p}/Tags/member/Key`), ['Owner'])
    })

    it('returns the description and tags from GetPolicy', async () => {
      const r = ok(await g.call('GetPolicy', { PolicyArn: arn('/team/', 'ReadIam') }))
      const p = 'GetPolicyResult/Policy'
      assert.equal(xmlText(r.xml, `${p}/Description`), 'Reads IAM')
      assert.deepEqual(texts(r, `${p}/Tags/member/Value`), ['ops'])
      assert.equal(xmlText(r.xml, `${p}/Arn`), arn('/team/', 'ReadIam'))
    })

    it('sends an empty tag list from GetPolicy and none from CreatePolicy for an untagged policy', async () => {
      const created = ok(
        await g.call('CreatePolicy', {
          PolicyName: 'Bare',
          PolicyDocument: policy('Allow', 's3:*'),
        }),
      )
      assert.equal(xmlAll(created.xml, 'CreatePolicyResult/Policy/Tags').length, 0)
      assert.equal(xmlText(created.xml, 'CreatePolicyResult/Policy/Path'), '/')
      const got = ok(await g.call('GetPolicy', { PolicyArn: arn('/', 'Bare') }))
      const tags = xmlAll(got.xml, 'GetPolicyResult/Policy/Tags')
      assert.equal(tags.length, 1)
      assert.equal(childElements(tags[0] ?? got.xml).length, 0)
    })

    it('refuses a name taken in another case, at any path', async () => {
      const r = await g.call('CreatePolicy', {
        PolicyName: 'READIAM',
        PolicyDocument: policy('Allow', 's3:*'),
      })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'EntityAlreadyExists',
        message: 'A policy called READIAM already exists. Duplicate names are not allowed.',
      })
    })

    const invalid: readonly {
      name: string
      params: Record<string, string>
      code: string
      status: number
      message: string | RegExp
    }[] = [
      {
        name: 'a document without Version (managed policies must say 2012-10-17)',
        params: {
          PolicyDocument: JSON.stringify({
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
          }),
        },
        code: 'MalformedPolicyDocument',
        status: 400,
        message: 'Policy document must be version 2012-10-17 or greater.',
      },
      {
        name: 'a document of Version 2008-10-17',
        params: {
          PolicyDocument: JSON.stringify({
            Version: '2008-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
          }),
        },
        code: 'MalformedPolicyDocument',
        status: 400,
        message: 'Policy document must be version 2012-10-17 or greater.',
      },
      {
        name: 'a document that is not JSON',
        params: { PolicyDocument: '{"Version": "2012-10-17", "Statement": [' },
        code: 'MalformedPolicyDocument',
        status: 400,
        message: 'Syntax errors in policy.',
      },
      {
        name: 'a document with a principal',
        params: {
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Principal: '*' }],
          }),
        },
        code: 'MalformedPolicyDocument',
        status: 400,
        message: 'Policy document should not specify a principal.',
      },
      {
        name: 'a document over 6,144 characters (PE-092)',
        params: { PolicyDocument: recordedDocument('PE-092') },
        code: 'LimitExceeded',
        status: 409,
        message: 'Cannot exceed quota for PolicySize: 6144',
      },
      {
        name: 'a path without a trailing slash',
        params: { Path: '/team' },
        code: 'ValidationError',
        status: 400,
        message:
          "1 validation error detected: Value '/team' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/",
      },
      {
        name: 'a path with an asterisk',
        params: { Path: '/a*/' },
        code: 'ValidationError',
        status: 400,
        message: /at 'path' failed to satisfy constraint/,
      },
      {
        name: 'a name outside the model pattern',
        params: { PolicyName: 'bad name' },
        code: 'ValidationError',
        status: 400,
        message:
          /at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      },
      {
        name: 'a description over 1,000 characters',
        params: { Description: 'd'.repeat(1001) },
        code: 'ValidationError',
        status: 400,
        message:
          /at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000/,
      },
      {
        name: 'two tags of one key',
        params: {
          'Tags.member.1.Key': 'k',
          'Tags.member.1.Value': '1',
          'Tags.member.2.Key': 'k',
          'Tags.member.2.Value': '2',
        },
        code: 'InvalidInput',
        status: 400,
        message: 'Duplicate tag keys found.',
      },
      {
        name: 'a tag key in the aws: namespace',
        params: { 'Tags.member.1.Key': 'AWS:x', 'Tags.member.1.Value': '1' },
        code: 'InvalidInput',
        status: 400,
        message: "Tag keys cannot start with the reserved prefix 'aws:'.",
      },
    ]
    for (const c of invalid) {
      it(`refuses ${c.name}, creating nothing`, async () => {
        const r = await g.call('CreatePolicy', {
          PolicyName: 'Refused',
          PolicyDocument: policy('Allow', 's3:*'),
          ...c.params,
        })
        assert.equal(r.status, c.status, r.body)
        assert.equal(r.error?.code, c.code)
        if (typeof c.message === 'string') assert.equal(r.error?.message, c.message)
        else assert.match(r.error?.message ?? '', c.message)
        const got = await g.call('GetPolicy', { PolicyArn: arn('/', 'Refused') })
        assert.equal(got.status, 404)
      })
    }

    it('keeps tag keys that differ only in case, as policy tags are case-sensitive', async () => {
      ok(
        await g.call('CreatePolicy', {
          PolicyName: 'CaseTags',
          PolicyDocument: policy('Allow', 's3:*'),
          'Tags.member.1.Key': 'env',
          'Tags.member.1.Value': 'a',
          'Tags.member.2.Key': 'Env',
          'Tags.member.2.Value': 'b',
        }),
      )
      const r = ok(await g.call('ListPolicyTags', { PolicyArn: arn('/', 'CaseTags') }))
      assert.deepEqual(texts(r, 'ListPolicyTagsResult/Tags/member/Key').sort(), ['Env', 'env'])
    })

    const missing: readonly { name: string; arn: string; code: string; message: string }[] = [
      {
        name: 'a policy that does not exist',
        arn: arn('/', 'Nope'),
        code: 'NoSuchEntity',
        message: `Policy ${arn('/', 'Nope')} was not found.`,
      },
      {
        name: 'an existing policy named at another path',
        arn: arn('/', 'ReadIam'),
        code: 'NoSuchEntity',
        message: `Policy ${arn('/', 'ReadIam')} was not found.`,
      },
      {
        name: "another account's policy",
        arn: 'arn:aws:iam::210987654321:policy/team/ReadIam',
        code: 'NoSuchEntity',
        message: 'Policy arn:aws:iam::210987654321:policy/team/ReadIam was not found.',
      },
      {
        name: 'an AWS managed policy (Gatehouse has none yet)',
        arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        code: 'NoSuchEntity',
        message: 'Policy arn:aws:iam::aws:policy/ReadOnlyAccess was not found.',
      },
      {
        name: 'an ARN that is not a policy ARN',
        arn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
        code: 'InvalidInput',
        message: `ARN arn:aws:iam::${ACCOUNT_ID}:user/alice is not valid.`,
      },
    ]
    for (const c of missing) {
      it(`answers GetPolicy for ${c.name} with ${c.code}`, async () => {
        const r = await g.call('GetPolicy', { PolicyArn: c.arn })
        assert.equal(r.status, c.code === 'NoSuchEntity' ? 404 : 400)
        assert.deepEqual(r.error, { code: c.code, message: c.message })
      })
    }

    it('refuses an ARN shorter than 20 characters with ValidationError', async () => {
      const r = await g.call('GetPolicy', { PolicyArn: 'arn:aws:iam::1:p/x' })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(
        r.error?.message ?? '',
        /at 'policyArn' failed to satisfy constraint: Member must have length greater than or equal to 20/,
      )
    })
  })

  describe('ListPolicies', () => {
    let lister: InProcess
    before(async () => {
      lister = await startInProcess()
      for (const [name, path] of [
        ['Alpha', '/'],
        ['beta', '/x/'],
        ['Gamma', '/x/y/'],
        ['delta', '/z/'],
      ] as const) {
        ok(
          await lister.call('CreatePolicy', {
            PolicyName: name,
            Path: path,
            PolicyDocument: policy('Allow', 's3:*'),
            Description: 'not listed',
          }),
        )
      }
      await lister.call('CreateUser', { UserName: 'holder' })
      ok(
        await lister.call('AttachUserPolicy', {
          UserName: 'holder',
          PolicyArn: arn('/x/', 'beta'),
        }),
      )
      ok(
        await lister.call('CreateUser', {
          UserName: 'bounded',
          PermissionsBoundary: arn('/z/', 'delta'),
        }),
      )
    })
    after(() => lister.close())

    const names = (r: Reply) => texts(r, 'ListPoliciesResult/Policies/member/PolicyName')

    it('lists every customer managed policy by name, without description or tags', async () => {
      const r = ok(await lister.call('ListPolicies', {}))
      assert.deepEqual(names(r), ['Alpha', 'beta', 'delta', 'Gamma'])
      assert.equal(xmlAll(r.xml, 'ListPoliciesResult/Policies/member/Description').length, 0)
      assert.equal(xmlAll(r.xml, 'ListPoliciesResult/Policies/member/Tags').length, 0)
      assert.equal(xmlText(r.xml, 'ListPoliciesResult/IsTruncated'), 'false')
      assert.equal(xmlText(r.xml, 'ListPoliciesResult/Marker'), undefined)
    })

    const filters: readonly { name: string; params: Record<string, string>; want: string[] }[] = [
      {
        name: 'Scope=Local',
        params: { Scope: 'Local' },
        want: ['Alpha', 'beta', 'delta', 'Gamma'],
      },
      { name: 'Scope=All', params: { Scope: 'All' }, want: ['Alpha', 'beta', 'delta', 'Gamma'] },
      { name: 'Scope=AWS (none yet)', params: { Scope: 'AWS' }, want: [] },
      { name: 'PathPrefix=/x/', params: { PathPrefix: '/x/' }, want: ['beta', 'Gamma'] },
      { name: 'PathPrefix=/x/y/', params: { PathPrefix: '/x/y/' }, want: ['Gamma'] },
      { name: 'OnlyAttached', params: { OnlyAttached: 'true' }, want: ['beta', 'delta'] },
      {
        name: 'OnlyAttached=false',
        params: { OnlyAttached: 'false' },
        want: ['Alpha', 'beta', 'delta', 'Gamma'],
      },
      {
        name: 'OnlyAttached as permissions policies',
        params: { OnlyAttached: 'true', PolicyUsageFilter: 'PermissionsPolicy' },
        want: ['beta'],
      },
      {
        name: 'OnlyAttached as permissions boundaries',
        params: { OnlyAttached: 'true', PolicyUsageFilter: 'PermissionsBoundary' },
        want: ['delta'],
      },
    ]
    for (const f of filters) {
      it(`filters with ${f.name}`, async () => {
        assert.deepEqual(names(ok(await lister.call('ListPolicies', f.params))), f.want)
      })
    }

    it('pages with Marker and MaxItems, sending no Marker on the last page', async () => {
      const first = ok(await lister.call('ListPolicies', { MaxItems: '3' }))
      assert.deepEqual(names(first), ['Alpha', 'beta', 'delta'])
      assert.equal(xmlText(first.xml, 'ListPoliciesResult/IsTruncated'), 'true')
      const marker = xmlText(first.xml, 'ListPoliciesResult/Marker') ?? ''
      const second = ok(await lister.call('ListPolicies', { MaxItems: '3', Marker: marker }))
      assert.deepEqual(names(second), ['Gamma'])
      assert.equal(xmlText(second.xml, 'ListPoliciesResult/Marker'), undefined)
    })

    it('refuses a Scope outside the enum', async () => {
      const r = await lister.call('ListPolicies', { Scope: 'Mine' })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(
        r.error?.message ?? '',
        /at 'scope' failed to satisfy constraint: Member must satisfy enum value set: \[All, AWS, Local\]/,
      )
    })
  })

  describe('policy versions', () => {
    const versioned = arn('/v/', 'Versioned')
    before(async () => {
      ok(
        await g.call('CreatePolicy', {
          PolicyName: 'Versioned',
          Path: '/v/',
          PolicyDocument: policy('Allow', 'iam:ListUsers'),
        }),
      )
    })

    it('creates v2 without making it the default, and returns it without its document', async () => {
      const r = ok(
        await g.call('CreatePolicyVersion', {
          PolicyArn: versioned,
          PolicyDocument: policy('Allow', 'iam:GetUser'),
        }),
      )
      const v = 'CreatePolicyVersionResult/PolicyVersion'
      assert.equal(xmlText(r.xml, `${v}/VersionId`), 'v2')
      assert.equal(xmlText(r.xml, `${v}/IsDefaultVersion`), 'false')
      assert.equal(xmlText(r.xml, `${v}/Document`), undefined)
      assert.match(xmlText(r.xml, `${v}/CreateDate`) ?? '', /^\d{4}-/)
      const p = ok(await g.call('GetPolicy', { PolicyArn: versioned }))
      assert.equal(xmlText(p.xml, 'GetPolicyResult/Policy/DefaultVersionId'), 'v1')
    })

    it('creates v3 as the default when asked', async () => {
      const r = ok(
        await g.call('CreatePolicyVersion', {
          PolicyArn: versioned,
          PolicyDocument: policy('Allow', 'iam:ListGroups'),
          SetAsDefault: 'true',
        }),
      )
      assert.equal(xmlText(r.xml, 'CreatePolicyVersionResult/PolicyVersion/VersionId'), 'v3')
      assert.equal(
        xmlText(r.xml, 'CreatePolicyVersionResult/PolicyVersion/IsDefaultVersion'),
        'true',
      )
      const p = ok(await g.call('GetPolicy', { PolicyArn: versioned }))
      assert.equal(xmlText(p.xml, 'GetPolicyResult/Policy/DefaultVersionId'), 'v3')
    })

    it('returns a version with its document RFC 3986-encoded', async () => {
      const document =
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::a+b/*"}]}'
      ok(await g.call('CreatePolicyVersion', { PolicyArn: versioned, PolicyDocument: document }))
      const r = ok(await g.call('GetPolicyVersion', { PolicyArn: versioned, VersionId: 'v4' }))
      const encoded = xmlText(r.xml, 'GetPolicyVersionResult/PolicyVersion/Document') ?? ''
      assert.match(encoded, /^[A-Za-z0-9\-_.~%]+$/)
      assert.ok(encoded.includes('%20') && encoded.includes('%2B') && encoded.includes('%2A'))
      assert.equal(decodeURIComponent(encoded), document)
      assert.equal(xmlText(r.xml, 'GetPolicyVersionResult/PolicyVersion/IsDefaultVersion'), 'false')
    })

    it('lists the versions newest first, without documents', async () => {
      const r = ok(await g.call('ListPolicyVersions', { PolicyArn: versioned }))
      assert.deepEqual(texts(r, 'ListPolicyVersionsResult/Versions/member/VersionId'), [
        'v4',
        'v3',
        'v2',
        'v1',
      ])
      assert.deepEqual(texts(r, 'ListPolicyVersionsResult/Versions/member/IsDefaultVersion'), [
        'false',
        'true',
        'false',
        'false',
      ])
      assert.equal(xmlAll(r.xml, 'ListPolicyVersionsResult/Versions/member/Document').length, 0)
      const paged = ok(await g.call('ListPolicyVersions', { PolicyArn: versioned, MaxItems: '3' }))
      assert.equal(xmlText(paged.xml, 'ListPolicyVersionsResult/IsTruncated'), 'true')
      const rest = ok(
        await g.call('ListPolicyVersions', {
          PolicyArn: versioned,
          Marker: xmlText(paged.xml, 'ListPolicyVersionsResult/Marker') ?? '',
        }),
      )
      assert.deepEqual(texts(rest, 'ListPolicyVersionsResult/Versions/member/VersionId'), ['v1'])
    })

    it('refuses a sixth version with LimitExceeded and AWS wording', async () => {
      ok(
        await g.call('CreatePolicyVersion', {
          PolicyArn: versioned,
          PolicyDocument: policy('Allow', 'iam:ListRoles'),
        }),
      )
      const r = await g.call('CreatePolicyVersion', {
        PolicyArn: versioned,
        PolicyDocument: policy('Allow', 'iam:ListRoles'),
        SetAsDefault: 'true',
      })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'LimitExceeded',
        message:
          'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      })
      const p = ok(await g.call('GetPolicy', { PolicyArn: versioned }))
      assert.equal(xmlText(p.xml, 'GetPolicyResult/Policy/DefaultVersionId'), 'v3')
    })

    it('refuses to delete the default version, deletes another, and never reuses its number', async () => {
      const refused = await g.call('DeletePolicyVersion', { PolicyArn: versioned, VersionId: 'v3' })
      assert.equal(refused.status, 409)
      assert.deepEqual(refused.error, {
        code: 'DeleteConflict',
        message: 'Cannot delete the default version of a policy.',
      })
      ok(await g.call('DeletePolicyVersion', { PolicyArn: versioned, VersionId: 'v2' }))
      const again = await g.call('DeletePolicyVersion', { PolicyArn: versioned, VersionId: 'v2' })
      assert.deepEqual(again.error, {
        code: 'NoSuchEntity',
        message: `Policy ${versioned} version v2 does not exist or is not attachable.`,
      })
      const r = ok(
        await g.call('CreatePolicyVersion', {
          PolicyArn: versioned,
          PolicyDocument: policy('Allow', 'iam:ListRoles'),
        }),
      )
      assert.equal(xmlText(r.xml, 'CreatePolicyVersionResult/PolicyVersion/VersionId'), 'v6')
    })

    it('sets the default version', async () => {
      ok(await g.call('SetDefaultPolicyVersion', { PolicyArn: versioned, VersionId: 'v1' }))
      const p = ok(await g.call('GetPolicy', { PolicyArn: versioned }))
      assert.equal(xmlText(p.xml, 'GetPolicyResult/Policy/DefaultVersionId'), 'v1')
      const v = ok(await g.call('GetPolicyVersion', { PolicyArn: versioned, VersionId: 'v1' }))
      assert.equal(xmlText(v.xml, 'GetPolicyVersionResult/PolicyVersion/IsDefaultVersion'), 'true')
    })

    it('refuses a malformed new version without adding it', async () => {
      const r = await g.call('CreatePolicyVersion', {
        PolicyArn: versioned,
        PolicyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        }),
      })
      assert.deepEqual(r.error, {
        code: 'MalformedPolicyDocument',
        message: 'Policy document must be version 2012-10-17 or greater.',
      })
    })

    const absent = arn('/', 'Absent')
    const errors: readonly {
      action: string
      params: Record<string, string>
      code: string
      message: string
    }[] = [
      {
        action: 'GetPolicyVersion',
        params: { PolicyArn: versioned, VersionId: 'v9' },
        code: 'NoSuchEntity',
        message: `Policy ${versioned} version v9 does not exist or is not attachable.`,
      },
      {
        action: 'GetPolicyVersion',
        params: { PolicyArn: absent, VersionId: 'v1' },
        code: 'NoSuchEntity',
        message: `Policy ${absent} version v1 does not exist or is not attachable.`,
      },
      {
        action: 'SetDefaultPolicyVersion',
        params: { PolicyArn: versioned, VersionId: 'v2' },
        code: 'NoSuchEntity',
        message: `Policy ${versioned} version v2 does not exist or is not attachable.`,
      },
      {
        action: 'SetDefaultPolicyVersion',
        params: { PolicyArn: absent, VersionId: 'v1' },
        code: 'NoSuchEntity',
        message: `Policy ${absent} version v1 does not exist or is not attachable.`,
      },
      {
        action: 'DeletePolicyVersion',
        params: { PolicyArn: absent, VersionId: 'v2' },
        code: 'NoSuchEntity',
        message: `Policy ${absent} was not found.`,
      },
      {
        action: 'ListPolicyVersions',
        params: { PolicyArn: absent },
        code: 'NoSuchEntity',
        message: `Policy ${absent} was not found.`,
      },
      {
        action: 'CreatePolicyVersion',
        params: { PolicyArn: absent, PolicyDocument: policy('Allow', 's3:*') },
        code: 'NoSuchEntity',
        message: `Policy ${absent} was not found.`,
      },
      {
        action: 'GetPolicyVersion',
        params: { PolicyArn: versioned, VersionId: 'V1' },
        code: 'ValidationError',
        message:
          "1 validation error detected: Value 'V1' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
      },
    ]
    for (const c of errors) {
      it(`answers ${c.action} ${JSON.stringify(c.params.VersionId ?? c.params.PolicyArn)} with ${c.code}`, async () => {
        const r = await g.call(c.action, c.params)
        assert.equal(r.status, c.code === 'NoSuchEntity' ? 404 : 400, r.body)
        assert.deepEqual(r.error, { code: c.code, message: c.message })
      })
    }
  })

  describe('DeletePolicy', () => {
    it('refuses while the policy has versions besides the default, then deletes', async () => {
      ok(
        await g.call('CreatePolicy', {
          PolicyName: 'Doomed',
          PolicyDocument: policy('Allow', 's3:*'),
        }),
      )
      ok(
        await g.call('CreatePolicyVersion', {
          PolicyArn: arn('/', 'Doomed'),
          PolicyDocument: policy('Allow', 's3:Get*'),
        }),
      )
      const r = await g.call('DeletePolicy', { PolicyArn: arn('/', 'Doomed') })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'DeleteConflict',
        message:
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      })
      ok(await g.call('DeletePolicyVersion', { PolicyArn: arn('/', 'Doomed'), VersionId: 'v2' }))
      ok(await g.call('DeletePolicy', { PolicyArn: arn('/', 'Doomed') }))
      const gone = await g.call('GetPolicy', { PolicyArn: arn('/', 'Doomed') })
      assert.equal(gone.status, 404)
      ok(
        await g.call('CreatePolicy', {
          PolicyName: 'Doomed',
          PolicyDocument: policy('Allow', 's3:*'),
        }),
      )
      const tags = ok(await g.call('ListPolicyTags', { PolicyArn: arn('/', 'Doomed') }))
      assert.equal(xmlAll(tags.xml, 'ListPolicyTagsResult/Tags/member').length, 0)
    })

    it('refuses while the policy is attached or is a permissions boundary', async () => {
      ok(
        await g.call('CreatePolicy', {
          PolicyName: 'InUse',
          PolicyDocument: policy('Allow', 's3:*'),
        }),
      )
      ok(await g.call('CreateUser', { UserName: 'user-of-policy' }))
      ok(
        await g.call('AttachUserPolicy', {
          UserName: 'user-of-policy',
          PolicyArn: arn('/', 'InUse'),
        }),
      )
      const attached = await g.call('DeletePolicy', { PolicyArn: arn('/', 'InUse') })
      assert.deepEqual(attached.error, {
        code: 'DeleteConflict',
        message: 'Cannot delete a policy attached to entities.',
      })
      ok(
        await g.call('DetachUserPolicy', {
          UserName: 'user-of-policy',
          PolicyArn: arn('/', 'InUse'),
        }),
      )
      ok(
        await g.call('CreateUser', {
          UserName: 'bounded-by-policy',
          PermissionsBoundary: arn('/', 'InUse'),
        }),
      )
      const boundary = await g.call('DeletePolicy', { PolicyArn: arn('/', 'InUse') })
      assert.equal(boundary.status, 409)
      assert.equal(boundary.error?.code, 'DeleteConflict')
    })

    it('answers a missing policy with NoSuchEntity', async () => {
      const r = await g.call('DeletePolicy', { PolicyArn: arn('/', 'Never') })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: `Policy ${arn('/', 'Never')} was not found.`,
      })
    })
  })

  describe('policy tags', () => {
    const tagged = arn('/', 'Tagged')
    before(async () => {
      ok(
        await g.call('CreatePolicy', {
          PolicyName: 'Tagged',
          PolicyDocument: policy('Allow', 's3:*'),
        }),
      )
    })

    it('adds, replaces, lists and removes tags', async () => {
      ok(
        await g.call('TagPolicy', {
          PolicyArn: tagged,
          'Tags.member.1.Key': 'b',
          'Tags.member.1.Value': '1',
          'Tags.member.2.Key': 'a',
          'Tags.member.2.Value': '2',
        }),
      )
      ok(
        await g.call('TagPolicy', {
          PolicyArn: tagged,
          'Tags.member.1.Key': 'b',
          'Tags.member.1.Value': '3',
        }),
      )
      const listed = ok(await g.call('ListPolicyTags', { PolicyArn: tagged }))
      assert.deepEqual(texts(listed, 'ListPolicyTagsResult/Tags/member/Key'), ['a', 'b'])
      assert.deepEqual(texts(listed, 'ListPolicyTagsResult/Tags/member/Value'), ['2', '3'])
      assert.equal(xmlText(listed.xml, 'ListPolicyTagsResult/IsTruncated'), 'false')
      const paged = ok(await g.call('ListPolicyTags', { PolicyArn: tagged, MaxItems: '1' }))
      assert.deepEqual(texts(paged, 'ListPolicyTagsResult/Tags/member/Key'), ['a'])
      assert.equal(xmlText(paged.xml, 'ListPolicyTagsResult/IsTruncated'), 'true')

      ok(
        await g.call('UntagPolicy', {
          PolicyArn: tagged,
          'TagKeys.member.1': 'a',
          'TagKeys.member.2': 'zzz',
        }),
      )
      const after = ok(await g.call('ListPolicyTags', { PolicyArn: tagged }))
      assert.deepEqual(texts(after, 'ListPolicyTagsResult/Tags/member/Key'), ['b'])
      ok(await g.call('UntagPolicy', { PolicyArn: tagged, 'TagKeys.member.1': 'b' }))
      const empty = ok(await g.call('ListPolicyTags', { PolicyArn: tagged }))
      // Tags is required in the output: an empty list, not an absent member.
      assert.equal(xmlAll(empty.xml, 'ListPolicyTagsResult/Tags').length, 1)
    })

    it('refuses a 51st tag with LimitExceeded, adding none', async () => {
      const params: Record<string, string> = { PolicyArn: tagged }
      for (let i = 1; i <= 50; i++) {
        params[`Tags.member.${i}.Key`] = `k${i}`
        params[`Tags.member.${i}.Value`] = 'v'
      }
      ok(await g.call('TagPolicy', params))
      const r = await g.call('TagPolicy', {
        PolicyArn: tagged,
        'Tags.member.1.Key': 'one-more',
        'Tags.member.1.Value': 'v',
      })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'LimitExceeded',
        message: 'The number of tags has reached the maximum limit.',
      })
      const listed = ok(await g.call('ListPolicyTags', { PolicyArn: tagged }))
      assert.equal(xmlAll(listed.xml, 'ListPolicyTagsResult/Tags/member').length, 50)
    })

    const errors: readonly {
      name: string
      action: string
      params: Record<string, string>
      code: string
      message: string | RegExp
    }[] = [
      {
        name: 'TagPolicy on a missing policy',
        action: 'TagPolicy',
        params: {
          PolicyArn: arn('/', 'Nope'),
          'Tags.member.1.Key': 'k',
          'Tags.member.1.Value': 'v',
        },
        code: 'NoSuchEntity',
        message: `Policy ${arn('/', 'Nope')} was not found.`,
      },
      {
        name: 'UntagPolicy on a missing policy',
        action: 'UntagPolicy',
        params: { PolicyArn: arn('/', 'Nope'), 'TagKeys.member.1': 'k' },
        code: 'NoSuchEntity',
        message: `Policy ${arn('/', 'Nope')} was not found.`,
      },
      {
        name: 'ListPolicyTags on a missing policy',
        action: 'ListPolicyTags',
        params: { PolicyArn: arn('/', 'Nope') },
        code: 'NoSuchEntity',
        message: `Policy ${arn('/', 'Nope')} was not found.`,
      },
      {
        name: 'TagPolicy with a duplicate key',
        action: 'TagPolicy',
        params: {
          PolicyArn: tagged,
          'Tags.member.1.Key': 'd',
          'Tags.member.1.Value': '1',
          'Tags.member.2.Key': 'd',
          'Tags.member.2.Value': '2',
        },
        code: 'InvalidInput',
        message: 'Duplicate tag keys found.',
      },
      {
        name: 'TagPolicy without Tags',
        action: 'TagPolicy',
        params: { PolicyArn: tagged },
        code: 'ValidationError',
        message: /'tags'.*Member must not be null/,
      },
      {
        name: 'UntagPolicy with a key of a character outside the pattern',
        action: 'UntagPolicy',
        params: { PolicyArn: tagged, 'TagKeys.member.1': 'a*b' },
        code: 'ValidationError',
        message: /failed to satisfy constraint: Member must satisfy regular expression pattern/,
      },
    ]
    for (const c of errors) {
      it(`answers ${c.name} with ${c.code}`, async () => {
        const r = await g.call(c.action, c.params)
        assert.equal(r.error?.code, c.code, r.body)
        if (typeof c.message === 'string') assert.equal(r.error?.message, c.message)
        else assert.match(r.error?.message ?? '', c.message)
      })
    }
  })

  describe('GetAccountSummary', () => {
    const KEYS = [
      'Users',
      'UsersQuota',
      'Groups',
      'GroupsQuota',
      'ServerCertificates',
      'ServerCertificatesQuota',
      'UserPolicySizeQuota',
      'GroupPolicySizeQuota',
      'GroupsPerUserQuota',
      'SigningCertificatesPerUserQuota',
      'AccessKeysPerUserQuota',
      'MFADevices',
      'MFADevicesInUse',
      'AccountMFAEnabled',
      'AccountAccessKeysPresent',
      'AccountPasswordPresent',
      'AccountSigningCertificatesPresent',
      'AttachedPoliciesPerGroupQuota',
      'AttachedPoliciesPerRoleQuota',
      'AttachedPoliciesPerUserQuota',
      'Policies',
      'PoliciesQuota',
      'PolicySizeQuota',
      'PolicyVersionsInUse',
      'PolicyVersionsInUseQuota',
      'VersionsPerPolicyQuota',
      'GlobalEndpointTokenVersion',
      'AssumeRolePolicySizeQuota',
      'InstanceProfiles',
      'InstanceProfilesQuota',
      'Providers',
      'RolePolicySizeQuota',
      'Roles',
      'RolesQuota',
    ]

    async function summary(s: InProcess): Promise<Map<string, number>> {
      const r = ok(await s.call('GetAccountSummary'))
      const map = new Map<string, number>()
      for (const entry of xmlAll(r.xml, 'GetAccountSummaryResult/SummaryMap/entry')) {
        map.set(xmlText(entry, 'key') ?? '', Number(xmlText(entry, 'value')))
      }
      return map
    }

    it("sends every key of the model's summaryKeyType, with AWS's default quotas", async () => {
      const s = await startInProcess()
      try {
        const map = await summary(s)
        assert.deepEqual([...map.keys()], KEYS)
        const quotas: Record<string, number> = {
          UsersQuota: 5000,
          GroupsQuota: 300,
          RolesQuota: 1000,
          PoliciesQuota: 1500,
          InstanceProfilesQuota: 1000,
          PolicySizeQuota: 6144,
          VersionsPerPolicyQuota: 5,
          AttachedPoliciesPerUserQuota: 10,
          AttachedPoliciesPerGroupQuota: 10,
          AttachedPoliciesPerRoleQuota: 10,
          UserPolicySizeQuota: 2048,
          GroupPolicySizeQuota: 5120,
          RolePolicySizeQuota: 10240,
          AssumeRolePolicySizeQuota: 2048,
          GroupsPerUserQuota: 10,
          AccessKeysPerUserQuota: 2,
          PolicyVersionsInUseQuota: 10000,
          GlobalEndpointTokenVersion: 1,
          // The in-process account has a root access key.
          AccountAccessKeysPresent: 1,
          Users: 0,
          Policies: 0,
        }
        for (const [key, value] of Object.entries(quotas)) assert.equal(map.get(key), value, key)
      } finally {
        await s.close()
      }
    })

    it('counts users, groups, roles, policies and policy versions', async () => {
      const s = await startInProcess()
      try {
        await s.call('CreateUser', { UserName: 'u1' })
        await s.call('CreateUser', { UserName: 'u2' })
        await s.store.transaction(async (tx) => {
          await tx.createGroup({ accountId: ACCOUNT_ID, name: 'g1' })
          await tx.createRole({
            accountId: ACCOUNT_ID,
            name: 'r1',
            assumeRolePolicyDocument: '{}',
          })
        })
        ok(
          await s.call('CreatePolicy', {
            PolicyName: 'p1',
            PolicyDocument: policy('Allow', 's3:*'),
          }),
        )
        ok(
          await s.call('CreatePolicyVersion', {
            PolicyArn: arn('/', 'p1'),
            PolicyDocument: policy('Allow', 's3:Get*'),
          }),
        )
        const map = await summary(s)
        assert.equal(map.get('Users'), 2)
        assert.equal(map.get('Groups'), 1)
        assert.equal(map.get('Roles'), 1)
        assert.equal(map.get('Policies'), 1)
        assert.equal(map.get('PolicyVersionsInUse'), 2)
      } finally {
        await s.close()
      }
    })
  })

  describe('authorization', () => {
    let key: { accessKeyId: string; secretAccessKey: string }
    before(async () => {
      key = await createUserWithKey(g, 'policy-admin')
      ok(
        await g.call('PutUserPolicy', {
          UserName: 'policy-admin',
          PolicyName: 'TeamPolicies',
          PolicyDocument: policy(
            'Allow',
            ['iam:CreatePolicy', 'iam:GetPolicy', 'iam:TagPolicy'],
            `arn:aws:iam::${ACCOUNT_ID}:policy/team/*`,
          ),
        }),
      )
    })

    it('authorizes CreatePolicy on the new policy ARN, path included', async () => {
      ok(
        await g.call(
          'CreatePolicy',
          { PolicyName: 'TeamOwned', Path: '/team/', PolicyDocument: policy('Allow', 's3:*') },
          { key },
        ),
      )
      const denied = await g.call(
        'CreatePolicy',
        { PolicyName: 'Elsewhere', PolicyDocument: policy('Allow', 's3:*') },
        { key },
      )
      assert.equal(denied.status, 403)
      assert.deepEqual(denied.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/policy-admin is not authorized to perform: iam:CreatePolicy on resource: ${arn('/', 'Elsewhere')} because no identity-based policy allows the iam:CreatePolicy action`,
      })
    })

    it('authorizes GetPolicy on the PolicyArn, and denies before telling whether it exists', async () => {
      ok(await g.call('GetPolicy', { PolicyArn: arn('/team/', 'TeamOwned') }, { key }))
      const denied = await g.call('GetPolicy', { PolicyArn: arn('/', 'Nope') }, { key })
      assert.equal(denied.error?.code, 'AccessDenied')
    })

    it('authorizes ListPolicies and GetAccountSummary on no resource', async () => {
      const list = await g.call('ListPolicies', {}, { key })
      assert.deepEqual(list.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/policy-admin is not authorized to perform: iam:ListPolicies because no identity-based policy allows the iam:ListPolicies action`,
      })
      const summary = await g.call('GetAccountSummary', {}, { key })
      assert.equal(summary.error?.code, 'AccessDenied')
    })

    it('gives aws:RequestTag and aws:TagKeys to CreatePolicy and TagPolicy', async () => {
      ok(
        await g.call('PutUserPolicy', {
          UserName: 'policy-admin',
          PolicyName: 'NoSecretTags',
          PolicyDocument: policy('Deny', ['iam:CreatePolicy', 'iam:TagPolicy'], '*', {
            'ForAnyValue:StringEquals': { 'aws:TagKeys': ['secret'] },
          }),
        }),
      )
      const create = await g.call(
        'CreatePolicy',
        {
          PolicyName: 'Tagged2',
          Path: '/team/',
          PolicyDocument: policy('Allow', 's3:*'),
          'Tags.member.1.Key': 'secret',
          'Tags.member.1.Value': 'x',
        },
        { key },
      )
      assert.equal(create.error?.code, 'AccessDenied')
      const tag = await g.call(
        'TagPolicy',
        {
          PolicyArn: arn('/team/', 'TeamOwned'),
          'Tags.member.1.Key': 'secret',
          'Tags.member.1.Value': 'x',
        },
        { key },
      )
      assert.equal(tag.error?.code, 'AccessDenied')
      ok(
        await g.call(
          'TagPolicy',
          {
            PolicyArn: arn('/team/', 'TeamOwned'),
            'Tags.member.1.Key': 'open',
            'Tags.member.1.Value': 'x',
          },
          { key },
        ),
      )
    })
  })
})
