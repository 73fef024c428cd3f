/**
 * Roles, their inline policies, tags and permissions boundaries, in process: CreateRole, GetRole,
 * ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy, DeleteRole,
 * Put/Get/List/DeleteRolePolicy, TagRole, UntagRole, ListRoleTags, Put/DeleteRolePermissionsBoundary,
 * and how each is authorized.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { textOf } from '../errors/strict-xml.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'

/** A trust policy with white space, a `+` and a `*`, so its encoding shows. */
const TRUST = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringLike": {"sts:ExternalId": "a+b*"}}}]
}`

const OTHER_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
      Action: 'sts:AssumeRole',
    },
  ],
})

function trustWith(statement: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] })
}

/** A trust policy of `size` non-whitespace characters or more. */
function hugeTrust(size: number): string {
  const principals = Array.from(
    { length: Math.ceil(size / 40) },
    (_, i) => `arn:aws:iam::${ACCOUNT_ID}:user/u${String(i).padStart(6, '0')}`,
  )
  return trustWith({ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' })
}

const ROLE = 'CreateRoleResult/Role'

describe('IAM roles', () => {
  let g: InProcess
  const boundaryArn = `arn:aws:iam::${ACCOUNT_ID}:policy/Boundary`
  const otherBoundaryArn = `arn:aws:iam::${ACCOUNT_ID}:policy/limits/OtherBoundary`
  before(async () => {
    g = await startInProcess()
    // The managed-policy operations are another family's: the policies are made in the store.
    await g.store.transaction(async (tx) => {
      await tx.createPolicy({
        accountId: ACCOUNT_ID,
        name: 'Boundary',
        document: policy('Allow', 's3:*'),
      })
      await tx.createPolicy({
        accountId: ACCOUNT_ID,
        name: 'OtherBoundary',
        path: '/limits/',
        document: policy('Allow', 'ec2:*'),
      })
      await tx.createPolicy({
        accountId: ACCOUNT_ID,
        name: 'Attached',
        document: policy('Allow', 'sqs:*'),
      })
    })
  })
  after(() => g.close())

  describe('CreateRole', () => {
    it('creates a role and returns it with its trust policy RFC 3986-encoded', async () => {
      const r = await g.call('CreateRole', {
        RoleName: 'WebServer',
        Path: '/app/web/',
        AssumeRolePolicyDocument: TRUST,
        Description: 'Serves the web site',
        MaxSessionDuration: '7200',
        PermissionsBoundary: boundaryArn,
        'Tags.member.1.Key': 'Team',
        'Tags.member.1.Value': 'Blue',
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, `${ROLE}/RoleName`), 'WebServer')
      assert.equal(xmlText(r.xml, `${ROLE}/Path`), '/app/web/')
      assert.equal(
        xmlText(r.xml, `${ROLE}/Arn`),
        `arn:aws:iam::${ACCOUNT_ID}:role/app/web/WebServer`,
      )
      assert.match(xmlText(r.xml, `${ROLE}/RoleId`) ?? '', /^AROA[A-Z2-7]{17}$/)
      assert.match(xmlText(r.xml, `${ROLE}/CreateDate`) ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z$/)
      const encoded = xmlText(r.xml, `${ROLE}/AssumeRolePolicyDocument`) ?? ''
      assert.match(encoded, /^[A-Za-z0-9\-_.~%]+$/)
      assert.ok(encoded.includes('%20') && encoded.includes('%2B') && encoded.includes('%2A'))
      assert.equal(decodeURIComponent(encoded), TRUST)
      assert.equal(xmlText(r.xml, `${ROLE}/Description`), 'Serves the web site')
      assert.equal(xmlText(r.xml, `${ROLE}/MaxSessionDuration`), '7200')
      assert.equal(
        xmlText(r.xml, `${ROLE}/PermissionsBoundary/PermissionsBoundaryArn`),
        boundaryArn,
      )
      assert.equal(
        xmlText(r.xml, `${ROLE}/PermissionsBoundary/PermissionsBoundaryType`),
        'PermissionsBoundaryPolicy',
      )
      assert.equal(xmlText(r.xml, `${ROLE}/Tags/member/Key`), 'Team')
      assert.equal(xmlText(r.xml, `${ROLE}/Tags/member/Value`), 'Blue')
      // A role just made has not been used: CreateRole says nothing of use.
      assert.equal(r.body.includes('RoleLastUsed'), false)
    })

    it('gives a role one hour of session unless told otherwise, and no description', async () => {
      const r = await g.call('CreateRole', { RoleName: 'Plain', AssumeRolePolicyDocument: TRUST })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, `${ROLE}/MaxSessionDuration`), '3600')
      assert.equal(xmlText(r.xml, `${ROLE}/Path`), '/')
      assert.equal(xmlText(r.xml, `${ROLE}/Arn`), `arn:aws:iam::${ACCOUNT_ID}:role/Plain`)
      assert.equal(r.body.includes('<Description'), false)
      assert.equal(r.body.includes('<Tags'), false)
      assert.equal(r.body.includes('PermissionsBoundary'), false)
    })

    it('refuses a name taken in another case with EntityAlreadyExists (409)', async () => {
      const r = await g.call('CreateRole', { RoleName: 'PLAIN', AssumeRolePolicyDocument: TRUST })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'EntityAlreadyExists',
        message: 'Role with name PLAIN already exists.',
      })
    })

    const malformed: readonly (readonly [string, string, string])[] = [
      [
        'a document that is not JSON',
        '{"Version": "2012-10-17", "Statement": [',
        'This policy contains invalid Json',
      ],
      [
        'a statement without a principal',
        trustWith({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
        'Missing required field Principal',
      ],
      [
        'a statement with a resource',
        trustWith({
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Resource: '*',
        }),
        'Has prohibited field Resource',
      ],
      [
        'an action other than STS assume-role actions',
        trustWith({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject' }),
        'AssumeRole policy may only specify STS AssumeRole actions.',
      ],
      [
        'a bare "*" principal',
        trustWith({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }),
        'AssumeRolepolicy contained an invalid principal: "STAR":"*".',
      ],
      ['an identity policy', policy('Allow', 'sts:AssumeRole'), 'Has prohibited field Resource'],
    ]
    for (const [what, document, message] of malformed) {
      it(`refuses a trust policy with ${what} with MalformedPolicyDocument`, async () => {
        const r = await g.call('CreateRole', {
          RoleName: 'Malformed',
          AssumeRolePolicyDocument: document,
        })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'MalformedPolicyDocument', message })
        assert.equal((await g.call('GetRole', { RoleName: 'Malformed' })).status, 404)
      })
    }

    it('refuses a trust policy past 2,048 characters as IAM words it', async () => {
      const r = await g.call('CreateRole', {
        RoleName: 'Trusting',
        AssumeRolePolicyDocument: hugeTrust(2100),
      })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'LimitExceeded',
        message: 'Cannot exceed quota for ACLSizePerRole: 2048',
      })
      assert.equal((await g.call('GetRole', { RoleName: 'Trusting' })).status, 404)
    })

    const invalid: readonly (readonly [string, Record<string, string>, string])[] = [
      [
        'a session shorter than an hour',
        { MaxSessionDuration: '3599' },
        "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
      ],
      [
        'a session longer than twelve hours',
        { MaxSessionDuration: '43201' },
        "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
      ],
      [
        'a name over 64 characters',
        { RoleName: 'r'.repeat(65) },
        `1 validation error detected: Value '${'r'.repeat(65)}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      ],
      [
        'a name outside the pattern',
        { RoleName: 'bad role' },
        "1 validation error detected: Value 'bad role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      ],
      [
        'a description with a character outside Latin-1',
        { Description: 'caf\u0113' },
        "1 validation error detected: Value 'caf\u0113' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*",
      ],
      [
        'a description over 1,000 characters',
        { Description: 'd'.repeat(1001) },
        `1 validation error detected: Value '${'d'.repeat(1001)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000`,
      ],
      [
        'a path without its final slash',
        { Path: '/app' },
        "1 validation error detected: Value '/app' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
      ],
    ]
    for (const [what, params, message] of invalid) {
      it(`refuses ${what} with ValidationError`, async () => {
        const r = await g.call('CreateRole', {
          RoleName: 'Invalid',
          AssumeRolePolicyDocument: TRUST,
          ...params,
        })
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'ValidationError', message })
      })
    }

    it('refuses a request without a trust policy', async () => {
      const r = await g.call('CreateRole', { RoleName: 'Untrusting' })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null",
      })
    })

    it('refuses tags IAM refuses, and creates nothing', async () => {
      const twice = await g.call('CreateRole', {
        RoleName: 'Twice',
        AssumeRolePolicyDocument: TRUST,
        'Tags.member.1.Key': 'Team',
        'Tags.member.1.Value': 'a',
        'Tags.member.2.Key': 'team',
        'Tags.member.2.Value': 'b',
      })
      assert.equal(twice.status, 400)
      assert.deepEqual(twice.error, {
        code: 'InvalidInput',
        message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      })
      const reserved = await g.call('CreateRole', {
        RoleName: 'Twice',
        AssumeRolePolicyDocument: TRUST,
        'Tags.member.1.Key': 'aws:team',
        'Tags.member.1.Value': 'a',
      })
      assert.deepEqual(reserved.error, {
        code: 'InvalidInput',
        message: "Tag keys cannot start with the reserved prefix 'aws:'.",
      })
      assert.equal((await g.call('GetRole', { RoleName: 'Twice' })).status, 404)
    })

    it('refuses a boundary that does not exist or is not an ARN', async () => {
      const missing = `arn:aws:iam::${ACCOUNT_ID}:policy/Missing`
      const r = await g.call('CreateRole', {
        RoleName: 'Unbounded',
        AssumeRolePolicyDocument: TRUST,
        PermissionsBoundary: missing,
      })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: `Policy ${missing} does not exist or is not attachable.`,
      })
      const notArn = await g.call('CreateRole', {
        RoleName: 'Unbounded',
        AssumeRolePolicyDocument: TRUST,
        PermissionsBoundary: 'not-an-arn-at-all-really',
      })
      assert.equal(notArn.status, 400)
      assert.deepEqual(notArn.error, {
        code: 'InvalidInput',
        message: 'ARN not-an-arn-at-all-really is not valid.',
      })
      assert.equal((await g.call('GetRole', { RoleName: 'Unbounded' })).status, 404)
    })
  })

  describe('GetRole', () => {
    it('returns the role with tags, boundary, duration, description and an empty RoleLastUsed', async () => {
      const r = await g.call('GetRole', { RoleName: 'webserver' })
      assert.equal(r.status, 200, r.body)
      const role = 'GetRoleResult/Role'
      assert.equal(xmlText(r.xml, `${role}/RoleName`), 'WebServer')
      assert.equal(
        decodeURIComponent(xmlText(r.xml, `${role}/AssumeRolePolicyDocument`) ?? ''),
        TRUST,
      )
      assert.equal(xmlText(r.xml, `${role}/Description`), 'Serves the web site')
      assert.equal(xmlText(r.xml, `${role}/MaxSessionDuration`), '7200')
      assert.equal(
        xmlText(r.xml, `${role}/PermissionsBoundary/PermissionsBoundaryArn`),
        boundaryArn,
      )
      assert.deepEqual(
        xmlAll(r.xml, `${role}/Tags/member`).map((m) => [xmlText(m, 'Key'), xmlText(m, 'Value')]),
        [['Team', 'Blue']],
      )
      // A role never used: IAM sends the element, empty.
      assert.ok(r.body.includes('<RoleLastUsed/>'))
    })

    it('answers a missing role with NoSuchEntity (404)', async () => {
      const r = await g.call('GetRole', { RoleName: 'ghost' })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The role with name ghost cannot be found.',
      })
    })

    it('refuses a request without RoleName', async () => {
      const r = await g.call('GetRole')
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
      })
    })
  })

  describe('ListRoles', () => {
    const names = ['paged1', 'paged2', 'paged3', 'paged4', 'paged5']
    before(async () => {
      for (const name of names) {
        await g.call('CreateRole', {
          RoleName: name,
          Path: '/paged/',
          AssumeRolePolicyDocument: TRUST,
          'Tags.member.1.Key': 'k',
          'Tags.member.1.Value': 'v',
          PermissionsBoundary: boundaryArn,
        })
      }
    })

    it('pages with Marker and MaxItems, sending no Marker on the last page', async () => {
      const seen: string[] = []
      let marker: string | undefined
      let pages = 0
      do {
        const r = await g.call('ListRoles', {
          PathPrefix: '/paged/',
          MaxItems: '2',
          ...(marker === undefined ? {} : { Marker: marker }),
        })
        assert.equal(r.status, 200, r.body)
        pages++
        for (const member of xmlAll(r.xml, 'ListRolesResult/Roles/member')) {
          seen.push(xmlText(member, 'RoleName') ?? '')
        }
        marker = xmlText(r.xml, 'ListRolesResult/Marker')
        assert.equal(
          xmlText(r.xml, 'ListRolesResult/IsTruncated'),
          marker === undefined ? 'false' : 'true',
        )
      } while (marker !== undefined)
      assert.equal(pages, 3)
      assert.deepEqual(seen, names)
    })

    it('filters by path prefix and leaves out tags, boundaries and RoleLastUsed', async () => {
      const r = await g.call('ListRoles', { PathPrefix: '/app/' })
      const members = xmlAll(r.xml, 'ListRolesResult/Roles/member')
      assert.deepEqual(
        members.map((m) => xmlText(m, 'RoleName')),
        ['WebServer'],
      )
      const [web] = members
      assert.ok(web !== undefined)
      assert.equal(decodeURIComponent(xmlText(web, 'AssumeRolePolicyDocument') ?? ''), TRUST)
      assert.equal(xmlText(web, 'Description'), 'Serves the web site')
      assert.equal(xmlText(web, 'MaxSessionDuration'), '7200')
      const all = await g.call('ListRoles')
      assert.ok(xmlAll(all.xml, 'ListRolesResult/Roles/member').length >= 7)
      for (const left of ['<Tags', 'PermissionsBoundary', 'RoleLastUsed']) {
        assert.equal(all.body.includes(left), false, left)
      }
    })

    it('answers an empty listing with an empty list', async () => {
      const r = await g.call('ListRoles', { PathPrefix: '/nobody/' })
      assert.equal(r.status, 200)
      assert.ok(r.body.includes('<Roles/>'))
      assert.equal(xmlText(r.xml, 'ListRolesResult/IsTruncated'), 'false')
    })

    it('refuses a path prefix outside the pattern', async () => {
      const r = await g.call('ListRoles', { PathPrefix: 'paged' })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value 'paged' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*",
      })
    })
  })

  describe('UpdateRole and UpdateRoleDescription', () => {
    it('changes the description and the session duration, keeping what is absent', async () => {
      const r = await g.call('UpdateRole', {
        RoleName: 'Plain',
        Description: 'Now described',
        MaxSessionDuration: '43200',
      })
      assert.equal(r.status, 200, r.body)
      assert.ok(r.body.includes('<UpdateRoleResult/>'))
      const only = await g.call('UpdateRole', { RoleName: 'plain', MaxSessionDuration: '3600' })
      assert.equal(only.status, 200, only.body)
      const got = await g.call('GetRole', { RoleName: 'Plain' })
      assert.equal(xmlText(got.xml, 'GetRoleResult/Role/Description'), 'Now described')
      assert.equal(xmlText(got.xml, 'GetRoleResult/Role/MaxSessionDuration'), '3600')
    })

    it('refuses a duration out of range, and changes nothing', async () => {
      const r = await g.call('UpdateRole', {
        RoleName: 'Plain',
        Description: 'Never stored',
        MaxSessionDuration: '50000',
      })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
      })
      const got = await g.call('GetRole', { RoleName: 'Plain' })
      assert.equal(xmlText(got.xml, 'GetRoleResult/Role/Description'), 'Now described')
    })

    it('answers a missing role with NoSuchEntity', async () => {
      for (const action of ['UpdateRole', 'UpdateRoleDescription']) {
        const r = await g.call(action, { RoleName: 'ghost', Description: 'x' })
        assert.equal(r.status, 404, action)
        assert.deepEqual(r.error, {
          code: 'NoSuchEntity',
          message: 'The role with name ghost cannot be found.',
        })
      }
    })

    it('UpdateRoleDescription changes the description and returns the whole role', async () => {
      const r = await g.call('UpdateRoleDescription', {
        RoleName: 'WebServer',
        Description: 'Serves the new site',
      })
      assert.equal(r.status, 200, r.body)
      const role = 'UpdateRoleDescriptionResult/Role'
      assert.equal(xmlText(r.xml, `${role}/Description`), 'Serves the new site')
      assert.equal(xmlText(r.xml, `${role}/MaxSessionDuration`), '7200')
      assert.equal(xmlText(r.xml, `${role}/Tags/member/Key`), 'Team')
      assert.equal(
        decodeURIComponent(xmlText(r.xml, `${role}/AssumeRolePolicyDocument`) ?? ''),
        TRUST,
      )
      const missing = await g.call('UpdateRoleDescription', { RoleName: 'WebServer' })
      assert.equal(missing.error?.code, 'ValidationError')
      assert.match(missing.error?.message ?? '', /Value null at 'description'/)
    })
  })

  describe('UpdateAssumeRolePolicy', () => {
    it('replaces the trust policy', async () => {
      const r = await g.call('UpdateAssumeRolePolicy', {
        RoleName: 'Plain',
        PolicyDocument: OTHER_TRUST,
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, 'UpdateAssumeRolePolicyResult'), undefined)
      const got = await g.call('GetRole', { RoleName: 'Plain' })
      assert.equal(
        decodeURIComponent(xmlText(got.xml, 'GetRoleResult/Role/AssumeRolePolicyDocument') ?? ''),
        OTHER_TRUST,
      )
    })

    it('refuses a malformed or oversized trust policy, and keeps the old one', async () => {
      const malformed = await g.call('UpdateAssumeRolePolicy', {
        RoleName: 'Plain',
        PolicyDocument: policy('Allow', 'sts:AssumeRole'),
      })
      assert.equal(malformed.status, 400)
      assert.deepEqual(malformed.error, {
        code: 'MalformedPolicyDocument',
        message: 'Has prohibited field Resource',
      })
      const huge = await g.call('UpdateAssumeRolePolicy', {
        RoleName: 'Plain',
        PolicyDocument: hugeTrust(2100),
      })
      assert.equal(huge.status, 409)
      assert.deepEqual(huge.error, {
        code: 'LimitExceeded',
        message: 'Cannot exceed quota for ACLSizePerRole: 2048',
      })
      const got = await g.call('GetRole', { RoleName: 'Plain' })
      assert.equal(
        decodeURIComponent(xmlText(got.xml, 'GetRoleResult/Role/AssumeRolePolicyDocument') ?? ''),
        OTHER_TRUST,
      )
    })

    it('answers a missing role with NoSuchEntity', async () => {
      const r = await g.call('UpdateAssumeRolePolicy', { RoleName: 'ghost', PolicyDocument: TRUST })
      assert.equal(r.status, 404)
      assert.equal(r.error?.message, 'The role with name ghost cannot be found.')
    })
  })

  describe('inline policies', () => {
    const document = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": ["arn:aws:s3:::a+b/*", "*"]}]
}`
    before(async () => {
      await g.call('CreateRole', { RoleName: 'Worker', AssumeRolePolicyDocument: TRUST })
    })

    it('stores a policy and returns it RFC 3986-encoded', async () => {
      const put = await g.call('PutRolePolicy', {
        RoleName: 'worker',
        PolicyName: 'ReadS3',
        PolicyDocument: document,
      })
      assert.equal(put.status, 200, put.body)
      const got = await g.call('GetRolePolicy', { RoleName: 'WORKER', PolicyName: 'ReadS3' })
      assert.equal(got.status, 200, got.body)
      assert.equal(xmlText(got.xml, 'GetRolePolicyResult/RoleName'), 'Worker')
      assert.equal(xmlText(got.xml, 'GetRolePolicyResult/PolicyName'), 'ReadS3')
      const encoded = xmlText(got.xml, 'GetRolePolicyResult/PolicyDocument') ?? ''
      assert.match(encoded, /^[A-Za-z0-9\-_.~%]+$/)
      assert.equal(decodeURIComponent(encoded), document)
    })

    it('replaces a policy of the same name and lists the names', async () => {
      await g.call('PutRolePolicy', {
        RoleName: 'Worker',
        PolicyName: 'ReadS3',
        PolicyDocument: policy('Allow', 's3:GetObject'),
      })
      await g.call('PutRolePolicy', {
        RoleName: 'Worker',
        PolicyName: 'Another',
        PolicyDocument: policy('Deny', 's3:DeleteObject'),
      })
      const listed = await g.call('ListRolePolicies', { RoleName: 'Worker' })
      assert.equal(listed.status, 200, listed.body)
      assert.deepEqual(
        xmlAll(listed.xml, 'ListRolePoliciesResult/PolicyNames/member').map(textOf),
        ['Another', 'ReadS3'],
      )
      assert.equal(xmlText(listed.xml, 'ListRolePoliciesResult/IsTruncated'), 'false')
      const paged = await g.call('ListRolePolicies', { RoleName: 'Worker', MaxItems: '1' })
      assert.equal(xmlText(paged.xml, 'ListRolePoliciesResult/IsTruncated'), 'true')
      const marker = xmlText(paged.xml, 'ListRolePoliciesResult/Marker') ?? ''
      const next = await g.call('ListRolePolicies', { RoleName: 'Worker', Marker: marker })
      assert.deepEqual(xmlAll(next.xml, 'ListRolePoliciesResult/PolicyNames/member').map(textOf), [
        'ReadS3',
      ])
      const got = await g.call('GetRolePolicy', { RoleName: 'Worker', PolicyName: 'ReadS3' })
      assert.equal(
        decodeURIComponent(xmlText(got.xml, 'GetRolePolicyResult/PolicyDocument') ?? ''),
        policy('Allow', 's3:GetObject'),
      )
    })

    it('refuses a document that is not an identity policy', async () => {
      const withPrincipal = await g.call('PutRolePolicy', {
        RoleName: 'Worker',
        PolicyName: 'Bad',
        PolicyDocument: TRUST,
      })
      assert.equal(withPrincipal.status, 400)
      assert.deepEqual(withPrincipal.error, {
        code: 'MalformedPolicyDocument',
        message: 'Policy document should not specify a principal.',
      })
      const notJson = await g.call('PutRolePolicy', {
        RoleName: 'Worker',
        PolicyName: 'Bad',
        PolicyDocument: '{"Version": "2012-10-17", "Statement": [',
      })
      assert.deepEqual(notJson.error, {
        code: 'MalformedPolicyDocument',
        message: 'Syntax errors in policy.',
      })
      assert.equal(
        (await g.call('GetRolePolicy', { RoleName: 'Worker', PolicyName: 'Bad' })).status,
        404,
      )
    })

    it("refuses policies past the role's 10,240-character quota as IAM words it", async () => {
      await g.call('CreateRole', { RoleName: 'Verbose', AssumeRolePolicyDocument: TRUST })
      const actions = Array.from({ length: 700 }, (_, i) => `s3:GetObject${i}`)
      const r = await g.call('PutRolePolicy', {
        RoleName: 'Verbose',
        PolicyName: 'Huge',
        PolicyDocument: policy('Allow', actions),
      })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'LimitExceeded',
        message: 'Maximum policy size of 10240 bytes exceeded for role Verbose',
      })
      const listed = await g.call('ListRolePolicies', { RoleName: 'Verbose' })
      assert.ok(listed.body.includes('<PolicyNames/>'))
    })

    it("names a missing policy as the role's policy, and a missing role as a role", async () => {
      const r = await g.call('DeleteRolePolicy', { RoleName: 'Worker', PolicyName: 'Nope' })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The role policy with name Nope cannot be found.',
      })
      const got = await g.call('GetRolePolicy', { RoleName: 'Worker', PolicyName: 'Nope' })
      assert.equal(got.error?.message, 'The role policy with name Nope cannot be found.')
      const calls: readonly (readonly [string, Record<string, string>])[] = [
        ['PutRolePolicy', { PolicyName: 'x', PolicyDocument: document }],
        ['GetRolePolicy', { PolicyName: 'x' }],
        ['ListRolePolicies', {}],
        ['DeleteRolePolicy', { PolicyName: 'x' }],
      ]
      for (const [action, params] of calls) {
        const missing = await g.call(action, { RoleName: 'ghost', ...params })
        assert.equal(missing.status, 404, action)
        assert.deepEqual(missing.error, {
          code: 'NoSuchEntity',
          message: 'The role with name ghost cannot be found.',
        })
      }
    })

    it('deletes a policy', async () => {
      const r = await g.call('DeleteRolePolicy', { RoleName: 'Worker', PolicyName: 'Another' })
      assert.equal(r.status, 200, r.body)
      const listed = await g.call('ListRolePolicies', { RoleName: 'Worker' })
      assert.deepEqual(
        xmlAll(listed.xml, 'ListRolePoliciesResult/PolicyNames/member').map(textOf),
        ['ReadS3'],
      )
    })
  })

  describe('tags', () => {
    before(async () => {
      await g.call('CreateRole', { RoleName: 'Tagged', AssumeRolePolicyDocument: TRUST })
    })

    it('adds tags, and replaces a key given in another case', async () => {
      const r = await g.call('TagRole', {
        RoleName: 'tagged',
        'Tags.member.1.Key': 'Dept',
        'Tags.member.1.Value': 'Eng',
        'Tags.member.2.Key': 'Cost',
        'Tags.member.2.Value': '',
      })
      assert.equal(r.status, 200, r.body)
      const replaced = await g.call('TagRole', {
        RoleName: 'Tagged',
        'Tags.member.1.Key': 'dept',
        'Tags.member.1.Value': 'Ops',
      })
      assert.equal(replaced.status, 200, replaced.body)
      const listed = await g.call('ListRoleTags', { RoleName: 'Tagged' })
      assert.equal(listed.status, 200, listed.body)
      assert.deepEqual(
        xmlAll(listed.xml, 'ListRoleTagsResult/Tags/member').map((m) => [
          xmlText(m, 'Key'),
          xmlText(m, 'Value'),
        ]),
        [
          ['Cost', ''],
          ['dept', 'Ops'],
        ],
      )
      assert.equal(xmlText(listed.xml, 'ListRoleTagsResult/IsTruncated'), 'false')
    })

    it('pages the tags', async () => {
      const first = await g.call('ListRoleTags', { RoleName: 'Tagged', MaxItems: '1' })
      assert.equal(xmlText(first.xml, 'ListRoleTagsResult/IsTruncated'), 'true')
      const marker = xmlText(first.xml, 'ListRoleTagsResult/Marker') ?? ''
      const second = await g.call('ListRoleTags', { RoleName: 'Tagged', Marker: marker })
      assert.equal(xmlText(second.xml, 'ListRoleTagsResult/Tags/member/Key'), 'dept')
      assert.equal(xmlText(second.xml, 'ListRoleTagsResult/Marker'), undefined)
    })

    it('removes tags by key without case, ignoring keys the role lacks', async () => {
      const r = await g.call('UntagRole', {
        RoleName: 'Tagged',
        'TagKeys.member.1': 'DEPT',
        'TagKeys.member.2': 'Absent',
      })
      assert.equal(r.status, 200, r.body)
      const listed = await g.call('ListRoleTags', { RoleName: 'Tagged' })
      assert.deepEqual(
        xmlAll(listed.xml, 'ListRoleTagsResult/Tags/member').map((m) => xmlText(m, 'Key')),
        ['Cost'],
      )
      await g.call('UntagRole', { RoleName: 'Tagged', 'TagKeys.member.1': 'cost' })
      const empty = await g.call('ListRoleTags', { RoleName: 'Tagged' })
      assert.ok(empty.body.includes('<Tags/>'))
    })

    it('refuses a 51st tag, keeping none of the request', async () => {
      const fifty: Record<string, string> = {}
      for (let i = 1; i <= 50; i++) {
        fifty[`Tags.member.${i}.Key`] = `k${i}`
        fifty[`Tags.member.${i}.Value`] = 'v'
      }
      assert.equal((await g.call('TagRole', { RoleName: 'Tagged', ...fifty })).status, 200)
      const r = await g.call('TagRole', {
        RoleName: 'Tagged',
        'Tags.member.1.Key': 'k1',
        'Tags.member.1.Value': 'changed',
        'Tags.member.2.Key': 'extra',
        'Tags.member.2.Value': 'v',
      })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'LimitExceeded',
        message: 'The number of tags has reached the maximum limit.',
      })
      const listed = await g.call('ListRoleTags', { RoleName: 'Tagged', MaxItems: '1' })
      assert.equal(xmlText(listed.xml, 'ListRoleTagsResult/Tags/member/Value'), 'v')
    })

    it('refuses tags IAM refuses, and requests without tags', async () => {
      const reserved = await g.call('TagRole', {
        RoleName: 'Tagged',
        'Tags.member.1.Key': 'aws:x',
        'Tags.member.1.Value': 'v',
      })
      assert.equal(reserved.status, 400)
      assert.equal(reserved.error?.code, 'InvalidInput')
      const badKey = await g.call('TagRole', {
        RoleName: 'Tagged',
        'Tags.member.1.Key': 'no#hash',
        'Tags.member.1.Value': 'v',
      })
      assert.equal(badKey.error?.code, 'ValidationError')
      assert.match(
        badKey.error?.message ?? '',
        /at 'tags.1.member.key' failed to satisfy constraint/,
      )
      const noTags = await g.call('TagRole', { RoleName: 'Tagged' })
      assert.deepEqual(noTags.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
      })
      const noKeys = await g.call('UntagRole', { RoleName: 'Tagged' })
      assert.deepEqual(noKeys.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
      })
    })

    it('answers a missing role with NoSuchEntity', async () => {
      const calls: readonly (readonly [string, Record<string, string>])[] = [
        ['TagRole', { 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' }],
        ['UntagRole', { 'TagKeys.member.1': 'k' }],
        ['ListRoleTags', {}],
      ]
      for (const [action, params] of calls) {
        const r = await g.call(action, { RoleName: 'ghost', ...params })
        assert.equal(r.status, 404, action)
        assert.deepEqual(r.error, {
          code: 'NoSuchEntity',
          message: 'The role with name ghost cannot be found.',
        })
      }
    })
  })

  describe('permissions boundary', () => {
    before(async () => {
      await g.call('CreateRole', { RoleName: 'Bounded', AssumeRolePolicyDocument: TRUST })
    })

    async function boundaryOf(roleName: string): Promise<string | undefined> {
      const got = await g.call('GetRole', { RoleName: roleName })
      return xmlText(got.xml, 'GetRoleResult/Role/PermissionsBoundary/PermissionsBoundaryArn')
    }

    it('sets, replaces and removes the boundary', async () => {
      const put = await g.call('PutRolePermissionsBoundary', {
        RoleName: 'bounded',
        PermissionsBoundary: boundaryArn,
      })
      assert.equal(put.status, 200, put.body)
      assert.equal(await boundaryOf('Bounded'), boundaryArn)
      const replaced = await g.call('PutRolePermissionsBoundary', {
        RoleName: 'Bounded',
        PermissionsBoundary: otherBoundaryArn,
      })
      assert.equal(replaced.status, 200, replaced.body)
      assert.equal(await boundaryOf('Bounded'), otherBoundaryArn)
      const deleted = await g.call('DeleteRolePermissionsBoundary', { RoleName: 'Bounded' })
      assert.equal(deleted.status, 200, deleted.body)
      assert.equal(await boundaryOf('Bounded'), undefined)
      // Deleting a boundary the role does not have leaves it as it is.
      const again = await g.call('DeleteRolePermissionsBoundary', { RoleName: 'Bounded' })
      assert.equal(again.status, 200, again.body)
    })

    it('refuses a policy that does not exist, at its path, or is not an ARN', async () => {
      const cases: readonly (readonly [string, number, string, string])[] = [
        [
          `arn:aws:iam::${ACCOUNT_ID}:policy/Missing`,
          404,
          'NoSuchEntity',
          `Policy arn:aws:iam::${ACCOUNT_ID}:policy/Missing does not exist or is not attachable.`,
        ],
        [
          `arn:aws:iam::${ACCOUNT_ID}:policy/elsewhere/Boundary`,
          404,
          'NoSuchEntity',
          `Policy arn:aws:iam::${ACCOUNT_ID}:policy/elsewhere/Boundary does not exist or is not attachable.`,
        ],
        [
          'arn:aws:s3:::not-a-policy-bucket',
          400,
          'InvalidInput',
          'ARN arn:aws:s3:::not-a-policy-bucket is not valid.',
        ],
      ]
      for (const [arn, status, code, message] of cases) {
        const r = await g.call('PutRolePermissionsBoundary', {
          RoleName: 'Bounded',
          PermissionsBoundary: arn,
        })
        assert.equal(r.status, status, arn)
        assert.deepEqual(r.error, { code, message })
      }
      assert.equal(await boundaryOf('Bounded'), undefined)
    })

    it('names a missing role before a missing policy', async () => {
      const put = await g.call('PutRolePermissionsBoundary', {
        RoleName: 'ghost',
        PermissionsBoundary: `arn:aws:iam::${ACCOUNT_ID}:policy/Missing`,
      })
      assert.equal(put.status, 404)
      assert.equal(put.error?.message, 'The role with name ghost cannot be found.')
      const del = await g.call('DeleteRolePermissionsBoundary', { RoleName: 'ghost' })
      assert.equal(del.status, 404)
      assert.equal(del.error?.message, 'The role with name ghost cannot be found.')
    })
  })

  describe('DeleteRole', () => {
    it('refuses while the role has inline policies, attached policies or instance profiles', async () => {
      await g.call('CreateRole', {
        RoleName: 'Leaving',
        AssumeRolePolicyDocument: TRUST,
        'Tags.member.1.Key': 'k',
        'Tags.member.1.Value': 'v',
        PermissionsBoundary: boundaryArn,
      })
      await g.call('PutRolePolicy', {
        RoleName: 'Leaving',
        PolicyName: 'Inline',
        PolicyDocument: policy('Allow', 's3:GetObject'),
      })
      // Attaching is another family's operation: the attachment is made in the store.
      await g.store.transaction((tx) =>
        tx.attachPolicy({ kind: 'role', accountId: ACCOUNT_ID, name: 'Leaving' }, 'Attached'),
      )
      await g.call('CreateInstanceProfile', { InstanceProfileName: 'LeavingProfile' })
      await g.call('AddRoleToInstanceProfile', {
        InstanceProfileName: 'LeavingProfile',
        RoleName: 'Leaving',
      })

      const steps: readonly (readonly [string, () => Promise<unknown>])[] = [
        [
          'Cannot delete entity, must delete policies first.',
          () => g.call('DeleteRolePolicy', { RoleName: 'Leaving', PolicyName: 'Inline' }),
        ],
        [
          'Cannot delete entity, must detach all policies first.',
          () =>
            g.store.transaction((tx) =>
              tx.detachPolicy({ kind: 'role', accountId: ACCOUNT_ID, name: 'Leaving' }, 'Attached'),
            ),
        ],
        [
          'Cannot delete entity, must remove roles from instance profile first.',
          () =>
            g.call('RemoveRoleFromInstanceProfile', {
              InstanceProfileName: 'LeavingProfile',
              RoleName: 'Leaving',
            }),
        ],
      ]
      for (const [message, clear] of steps) {
        const r = await g.call('DeleteRole', { RoleName: 'Leaving' })
        assert.equal(r.status, 409, message)
        assert.deepEqual(r.error, { code: 'DeleteConflict', message })
        assert.equal((await g.call('GetRole', { RoleName: 'Leaving' })).status, 200)
        await clear()
      }

      const done = await g.call('DeleteRole', { RoleName: 'leaving' })
      assert.equal(done.status, 200, done.body)
      assert.equal(done.xml.name, 'DeleteRoleResponse')
      assert.equal(xmlText(done.xml, 'DeleteRoleResult'), undefined)
      assert.equal((await g.call('GetRole', { RoleName: 'Leaving' })).status, 404)
      // Its name is free again, and nothing of the old role (tags, boundary) comes back with it.
      const reborn = await g.call('CreateRole', {
        RoleName: 'Leaving',
        AssumeRolePolicyDocument: TRUST,
      })
      assert.equal(reborn.status, 200, reborn.body)
      const got = await g.call('GetRole', { RoleName: 'Leaving' })
      assert.equal(got.body.includes('<Tags'), false)
      assert.equal(got.body.includes('PermissionsBoundary'), false)
    })

    it('answers a missing role with NoSuchEntity', async () => {
      const r = await g.call('DeleteRole', { RoleName: 'ghost' })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The role with name ghost cannot be found.',
      })
    })
  })
})

describe('IAM roles: authorization', () => {
  let g: InProcess
  let dev: Credentials
  const boundaryArn = `arn:aws:iam::${ACCOUNT_ID}:policy/DevBoundary`
  const denied = (action: string, resource: string) =>
    `User: arn:aws:iam::${ACCOUNT_ID}:user/dev is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`

  before(async () => {
    g = await startInProcess()
    dev = await createUserWithKey(g, 'dev')
    await g.store.transaction((tx) =>
      tx.createPolicy({
        accountId: ACCOUNT_ID,
        name: 'DevBoundary',
        document: policy('Allow', 's3:*'),
      }),
    )
    await g.call('CreateRole', {
      RoleName: 'OpsRole',
      Path: '/ops/',
      AssumeRolePolicyDocument: TRUST,
    })
    await g.call('CreateRole', {
      RoleName: 'AppRole',
      Path: '/app/',
      AssumeRolePolicyDocument: TRUST,
    })
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

  it('authorizes on the existing role ARN, path included, and a missing one at the root path', async () => {
    const r = await g.call('GetRole', { RoleName: 'OpsRole' }, { key: dev })
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: denied('iam:GetRole', `arn:aws:iam::${ACCOUNT_ID}:role/ops/OpsRole`),
    })
    await allow(
      'ReadOps',
      policy('Allow', ['iam:GetRole', 'iam:ListRoleTags'], `arn:aws:iam::${ACCOUNT_ID}:role/ops/*`),
    )
    assert.equal((await g.call('GetRole', { RoleName: 'opsrole' }, { key: dev })).status, 200)
    assert.equal((await g.call('ListRoleTags', { RoleName: 'OpsRole' }, { key: dev })).status, 200)
    const other = await g.call('GetRole', { RoleName: 'AppRole' }, { key: dev })
    assert.equal(other.status, 403)
    // AccessDenied comes before NoSuchEntity, and names the role at the root path.
    const missing = await g.call('GetRole', { RoleName: 'ghost' }, { key: dev })
    assert.deepEqual(missing.error, {
      code: 'AccessDenied',
      message: denied('iam:GetRole', `arn:aws:iam::${ACCOUNT_ID}:role/ghost`),
    })
  })

  it('authorizes ListRoles on the role path it lists', async () => {
    const r = await g.call('ListRoles', {}, { key: dev })
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: denied('iam:ListRoles', `arn:aws:iam::${ACCOUNT_ID}:role/`),
    })
    await allow(
      'ListOps',
      policy('Allow', 'iam:ListRoles', `arn:aws:iam::${ACCOUNT_ID}:role/ops/*`),
    )
    const ops = await g.call('ListRoles', { PathPrefix: '/ops/' }, { key: dev })
    assert.equal(ops.status, 200, ops.body)
    assert.deepEqual(
      xmlAll(ops.xml, 'ListRolesResult/Roles/member').map((m) => xmlText(m, 'RoleName')),
      ['OpsRole'],
    )
    assert.equal((await g.call('ListRoles', {}, { key: dev })).status, 403)
  })

  it('authorizes CreateRole on the new role ARN, with its request tags', async () => {
    await allow(
      'CreateTagged',
      policy('Allow', 'iam:CreateRole', `arn:aws:iam::${ACCOUNT_ID}:role/team/*`, {
        StringEquals: { 'aws:RequestTag/team': 'blue' },
      }),
    )
    const untagged = await g.call(
      'CreateRole',
      { RoleName: 'Blue', Path: '/team/', AssumeRolePolicyDocument: TRUST },
      { key: dev },
    )
    assert.deepEqual(untagged.error, {
      code: 'AccessDenied',
      message: denied('iam:CreateRole', `arn:aws:iam::${ACCOUNT_ID}:role/team/Blue`),
    })
    const tagged = await g.call(
      'CreateRole',
      {
        RoleName: 'Blue',
        Path: '/team/',
        AssumeRolePolicyDocument: TRUST,
        'Tags.member.1.Key': 'team',
        'Tags.member.1.Value': 'blue',
      },
      { key: dev },
    )
    assert.equal(tagged.status, 200, tagged.body)
  })

  it('gives CreateRole and PutRolePermissionsBoundary the iam:PermissionsBoundary key', async () => {
    await allow(
      'OnlyBounded',
      policy(
        'Allow',
        ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
        `arn:aws:iam::${ACCOUNT_ID}:role/bounded/*`,
        { StringEquals: { 'iam:PermissionsBoundary': boundaryArn } },
      ),
    )
    const unbounded = await g.call(
      'CreateRole',
      { RoleName: 'Free', Path: '/bounded/', AssumeRolePolicyDocument: TRUST },
      { key: dev },
    )
    assert.equal(unbounded.status, 403)
    const bounded = await g.call(
      'CreateRole',
      {
        RoleName: 'Kept',
        Path: '/bounded/',
        AssumeRolePolicyDocument: TRUST,
        PermissionsBoundary: boundaryArn,
      },
      { key: dev },
    )
    assert.equal(bounded.status, 200, bounded.body)
    const put = await g.call(
      'PutRolePermissionsBoundary',
      { RoleName: 'Kept', PermissionsBoundary: boundaryArn },
      { key: dev },
    )
    assert.equal(put.status, 200, put.body)
  })

  it('gives TagRole and UntagRole the aws:TagKeys key', async () => {
    await allow(
      'TagOps',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['iam:TagRole', 'iam:UntagRole'], Resource: '*' },
          {
            Effect: 'Deny',
            Action: ['iam:TagRole', 'iam:UntagRole'],
            Resource: '*',
            Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'owner' } },
          },
        ],
      }),
    )
    const tag = (key: string) =>
      g.call(
        'TagRole',
        { RoleName: 'OpsRole', 'Tags.member.1.Key': key, 'Tags.member.1.Value': 'x' },
        { key: dev },
      )
    assert.equal((await tag('cost')).status, 200)
    const deniedTag = await tag('owner')
    assert.equal(deniedTag.status, 403)
    assert.match(
      deniedTag.error?.message ?? '',
      /with an explicit deny in an identity-based policy$/,
    )
    const untag = await g.call(
      'UntagRole',
      { RoleName: 'OpsRole', 'TagKeys.member.1': 'owner' },
      { key: dev },
    )
    assert.equal(untag.status, 403)
    const untagCost = await g.call(
      'UntagRole',
      { RoleName: 'OpsRole', 'TagKeys.member.1': 'cost' },
      { key: dev },
    )
    assert.equal(untagCost.status, 200, untagCost.body)
  })
})
