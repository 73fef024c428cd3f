/**
 * Access Advisor in process: GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails
 * and GetServiceLastAccessedDetailsWithEntities for users, groups, roles and managed policies,
 * from attempts the trail recorded (allowed and denied), and GetRole's RoleLastUsed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { childElements, textOf } from '../errors/strict-xml.js'
import type { XmlElement } from '../errors/strict-xml.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import {
  callWith,
  createRole,
  credentialsOf,
  sts,
  trustPolicy,
} from '../support/temporary-credentials.js'
import type { SessionCredentials } from '../support/temporary-credentials.js'

const arn = (kind: string, name: string): string => `arn:aws:iam::${ACCOUNT_ID}:${kind}/${name}`
/** The in-process server's clock, as IAM writes it. */
const NOW_ISO = '2026-03-15T12:00:00Z'

/** A flat element's children as an object of their texts (`skip`: children left out). */
function fields(element: XmlElement, skip: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(
    childElements(element)
      .filter((child) => !skip.includes(child.name))
      .map((child) => [child.name, textOf(child)]),
  )
}

/** ServicesLastAccessed, each service's scalar members (nested lists left out). */
function services(reply: Reply): Record<string, string>[] {
  return xmlAll(reply.xml, 'GetServiceLastAccessedDetailsResult/ServicesLastAccessed/member').map(
    (member) => fields(member, ['TrackedActionsLastAccessed']),
  )
}

describe('IAM Access Advisor', () => {
  let g: InProcess
  let alice: Credentials
  let bob: Credentials
  let carol: Credentials
  let session: SessionCredentials
  let roleId: string

  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    bob = await createUserWithKey(g, 'bob')
    carol = await createUserWithKey(g, 'carol')
    // alice: two IAM actions, STS, and an S3 action she never uses.
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'own',
      PolicyDocument: policy('Allow', [
        'iam:GetUser',
        'iam:GenerateServiceLastAccessedDetails',
        'iam:GetServiceLastAccessedDetails*',
        'sts:AssumeRole',
        's3:GetObject',
      ]),
    })
    // The devs group (alice and bob) may list users and groups.
    await g.call('CreateGroup', { GroupName: 'devs' })
    await g.call('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' })
    await g.call('AddUserToGroup', { GroupName: 'devs', UserName: 'bob' })
    await g.call('PutGroupPolicy', {
      GroupName: 'devs',
      PolicyName: 'list',
      PolicyDocument: policy('Allow', ['iam:ListUsers', 'iam:ListGroups']),
    })
    // A managed policy attached to carol and to the role.
    await g.call('CreatePolicy', {
      PolicyName: 'Reader',
      PolicyDocument: policy('Allow', ['iam:GetRole', 'iam:ListRoles']),
    })
    await g.call('AttachUserPolicy', { UserName: 'carol', PolicyArn: arn('policy', 'Reader') })
    const role = await createRole(g, {
      name: 'app',
      path: '/',
      assumeRolePolicyDocument: trustPolicy(arn('user', 'alice')),
    })
    roleId = role.roleId
    await g.call('AttachRolePolicy', { RoleName: 'app', PolicyArn: arn('policy', 'Reader') })

    // The attempts: alice's own and her group's actions, and one she is denied.
    assert.equal((await g.call('GetUser', {}, { key: alice })).status, 200)
    assert.equal((await g.call('ListUsers', {}, { key: alice })).status, 200)
    assert.equal((await g.call('ListRoles', {}, { key: alice })).error?.code, 'AccessDenied')
    assert.equal((await g.call('ListGroups', {}, { key: bob })).status, 200)
    assert.equal((await g.call('ListRoles', {}, { key: carol })).status, 200)
    // Calls that never reach authorization count for nothing: invalid input.
    assert.equal(
      (await g.call('GetRole', { RoleName: 'bad name!' }, { key: carol })).error?.code,
      'ValidationError',
    )
    // A session of the role, made by alice, calls GetRole.
    const assumed = await sts(
      g,
      'AssumeRole',
      { RoleArn: arn('role', 'app'), RoleSessionName: 'job' },
      alice,
    )
    assert.equal(assumed.status, 200, assumed.body)
    session = credentialsOf(assumed, 'AssumeRole')
    const got = await callWith(g, 'GetRole', { RoleName: 'app' }, { key: session })
    assert.equal(got.status, 200, got.body)
  })
  after(() => g.close())

  /** Generates a report as `key` (the root user unless given) and waits for it. */
  async function report(
    target: string,
    granularity?: 'SERVICE_LEVEL' | 'ACTION_LEVEL',
    key?: Credentials,
  ): Promise<{ jobId: string; reply: Reply }> {
    const generated = await g.call(
      'GenerateServiceLastAccessedDetails',
      { Arn: target, ...(granularity === undefined ? {} : { Granularity: granularity }) },
      key === undefined ? {} : { key },
    )
    assert.equal(generated.status, 200, generated.body)
    const jobId = xmlText(generated.xml, 'GenerateServiceLastAccessedDetailsResult/JobId') ?? ''
    assert.match(jobId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    for (let i = 0; i < 200; i++) {
      const reply = await g.call(
        'GetServiceLastAccessedDetails',
        { JobId: jobId },
        key === undefined ? {} : { key },
      )
      assert.equal(reply.status, 200, reply.body)
      const status = xmlText(reply.xml, 'GetServiceLastAccessedDetailsResult/JobStatus')
      if (status === 'COMPLETED') return { jobId, reply }
      assert.equal(status, 'IN_PROGRESS')
      assert.equal(
        xmlText(reply.xml, 'GetServiceLastAccessedDetailsResult/JobCompletionDate'),
        undefined,
      )
      await sleep(10)
    }
    throw new Error(`job ${jobId} did not complete`)
  }

  it("lists every service a user's policies allow, its groups' included, with the attempts", async () => {
    const { reply } = await report(arn('user', 'alice'))
    const result = 'GetServiceLastAccessedDetailsResult'
    assert.equal(xmlText(reply.xml, `${result}/JobType`), 'SERVICE_LEVEL')
    assert.equal(xmlText(reply.xml, `${result}/JobCreationDate`), NOW_ISO)
    assert.equal(xmlText(reply.xml, `${result}/JobCompletionDate`), NOW_ISO)
    assert.equal(xmlText(reply.xml, `${result}/IsTruncated`), 'false')
    assert.equal(xmlText(reply.xml, `${result}/Marker`), undefined)
    assert.deepEqual(services(reply), [
      {
        // Three attempts, ListRoles denied among them: AWS counts attempts, not successes.
        ServiceName: 'AWS Identity and Access Management (IAM)',
        LastAuthenticated: NOW_ISO,
        ServiceNamespace: 'iam',
        LastAuthenticatedEntity: arn('user', 'alice'),
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: '1',
      },
      { ServiceName: 'Amazon S3', ServiceNamespace: 's3', TotalAuthenticatedEntities: '0' },
      {
        ServiceName: 'AWS Security Token Service',
        LastAuthenticated: NOW_ISO,
        ServiceNamespace: 'sts',
        LastAuthenticatedEntity: arn('user', 'alice'),
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: '1',
      },
    ])
  })

  it('at ACTION_LEVEL, lists each allowed action with its newest attempt', async () => {
    const { reply } = await report(arn('user', 'alice'), 'ACTION_LEVEL')
    assert.equal(xmlText(reply.xml, 'GetServiceLastAccessedDetailsResult/JobType'), 'ACTION_LEVEL')
    const iam = xmlAll(
      reply.xml,
      'GetServiceLastAccessedDetailsResult/ServicesLastAccessed/member',
    ).find((m) => xmlText(m, 'ServiceNamespace') === 'iam')
    assert.ok(iam !== undefined)
    const actions = xmlAll(iam, 'TrackedActionsLastAccessed/member').map((m) => fields(m))
    const attempted = {
      LastAccessedEntity: arn('user', 'alice'),
      LastAccessedTime: NOW_ISO,
      LastAccessedRegion: 'us-east-1',
    }
    assert.deepEqual(actions, [
      { ActionName: 'GenerateServiceLastAccessedDetails' },
      { ActionName: 'GetServiceLastAccessedDetails' },
      { ActionName: 'GetServiceLastAccessedDetailsWithEntities' },
      { ActionName: 'GetUser', ...attempted },
      { ActionName: 'ListGroups' },
      { ActionName: 'ListUsers', ...attempted },
    ])
  })

  it("reports a group's permissions with the members that used them", async () => {
    const { jobId, reply } = await report(arn('group', 'devs'))
    const [iam, ...others] = services(reply)
    assert.deepEqual(others, [])
    assert.equal(iam?.['ServiceNamespace'], 'iam')
    assert.equal(iam?.['TotalAuthenticatedEntities'], '2')
    assert.ok(
      [arn('user', 'alice'), arn('user', 'bob')].includes(iam?.['LastAuthenticatedEntity'] ?? ''),
    )
    const entities = await g.call('GetServiceLastAccessedDetailsWithEntities', {
      JobId: jobId,
      ServiceNamespace: 'iam',
    })
    assert.equal(entities.status, 200, entities.body)
    const result = 'GetServiceLastAccessedDetailsWithEntitiesResult'
    assert.equal(xmlText(entities.xml, `${result}/JobStatus`), 'COMPLETED')
    const list = xmlAll(entities.xml, `${result}/EntityDetailsList/member`).map(
      (member): Record<string, string | undefined> => ({
        ...fields(childElements(member).find((e) => e.name === 'EntityInfo') ?? member),
        LastAuthenticated: xmlText(member, 'LastAuthenticated'),
      }),
    )
    assert.deepEqual(
      list.map((e) => [e['Name'], e['Type'], e['Path'], e['Arn'], e['LastAuthenticated']]),
      [
        ['alice', 'USER', '/', arn('user', 'alice'), NOW_ISO],
        ['bob', 'USER', '/', arn('user', 'bob'), NOW_ISO],
      ],
    )
    assert.ok(list.every((e) => e['Id']?.startsWith('AIDA') === true))
    // A service the group's policies do not allow has no entity that could have used them.
    const none = await g.call('GetServiceLastAccessedDetailsWithEntities', {
      JobId: jobId,
      ServiceNamespace: 's3',
    })
    assert.deepEqual(xmlAll(none.xml, `${result}/EntityDetailsList/member`), [])
  })

  it("reports a managed policy with the users and roles it is attached to, a role's sessions as the role", async () => {
    const { jobId, reply } = await report(arn('policy', 'Reader'), 'ACTION_LEVEL')
    assert.deepEqual(
      services(reply).map((s) => [s['ServiceNamespace'], s['TotalAuthenticatedEntities']]),
      [['iam', '2']],
    )
    const iam = xmlAll(
      reply.xml,
      'GetServiceLastAccessedDetailsResult/ServicesLastAccessed/member',
    )[0]
    assert.ok(iam !== undefined)
    assert.deepEqual(
      xmlAll(iam, 'TrackedActionsLastAccessed/member').map((m) => [
        xmlText(m, 'ActionName'),
        xmlText(m, 'LastAccessedEntity'),
      ]),
      [
        ['GetRole', arn('role', 'app')],
        ['ListRoles', arn('user', 'carol')],
      ],
    )
    const entities = await g.call('GetServiceLastAccessedDetailsWithEntities', {
      JobId: jobId,
      ServiceNamespace: 'iam',
      MaxItems: '1',
    })
    const result = 'GetServiceLastAccessedDetailsWithEntitiesResult'
    assert.equal(xmlText(entities.xml, `${result}/IsTruncated`), 'true')
    const marker = xmlText(entities.xml, `${result}/Marker`) ?? ''
    const next = await g.call('GetServiceLastAccessedDetailsWithEntities', {
      JobId: jobId,
      ServiceNamespace: 'iam',
      Marker: marker,
    })
    assert.equal(xmlText(next.xml, `${result}/IsTruncated`), 'false')
    assert.equal(xmlText(next.xml, `${result}/Marker`), undefined)
    const names = [entities, next].flatMap((r) =>
      xmlAll(r.xml, `${result}/EntityDetailsList/member/EntityInfo`).map(
        (e) => `${xmlText(e, 'Type')}:${xmlText(e, 'Name')}`,
      ),
    )
    assert.deepEqual([...names].sort(), ['ROLE:app', 'USER:carol'])
  })

  it("reports a role's use by its sessions, and GetRole shows RoleLastUsed", async () => {
    const { reply } = await report(arn('role', 'app'))
    assert.deepEqual(services(reply), [
      {
        ServiceName: 'AWS Identity and Access Management (IAM)',
        LastAuthenticated: NOW_ISO,
        ServiceNamespace: 'iam',
        LastAuthenticatedEntity: arn('role', 'app'),
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: '1',
      },
    ])
    const role = await g.call('GetRole', { RoleName: 'app' })
    assert.equal(xmlText(role.xml, 'GetRoleResult/Role/RoleLastUsed/LastUsedDate'), NOW_ISO)
    assert.equal(xmlText(role.xml, 'GetRoleResult/Role/RoleLastUsed/Region'), 'us-east-1')
    const used = await g.trail.lastAccess(ACCOUNT_ID, [roleId])
    assert.deepEqual(
      used.map((a) => `${a.service}:${a.action}`),
      ['iam:GetRole'],
    )
  })

  it('a role no session used has an empty RoleLastUsed', async () => {
    await createRole(g, {
      name: 'idle',
      path: '/',
      assumeRolePolicyDocument: trustPolicy(ACCOUNT_ID),
    })
    const role = await g.call('GetRole', { RoleName: 'idle' })
    const lastUsed = xmlAll(role.xml, 'GetRoleResult/Role/RoleLastUsed')
    assert.equal(lastUsed.length, 1)
    assert.deepEqual(childElements(lastUsed[0] as XmlElement), [])
  })

  it('pages ServicesLastAccessed by Marker and MaxItems', async () => {
    const { jobId } = await report(arn('user', 'alice'))
    const seen: string[] = []
    let marker: string | undefined
    for (let i = 0; i < 5; i++) {
      const reply = await g.call('GetServiceLastAccessedDetails', {
        JobId: jobId,
        MaxItems: '2',
        ...(marker === undefined ? {} : { Marker: marker }),
      })
      seen.push(...services(reply).map((s) => s['ServiceNamespace'] ?? ''))
      marker = xmlText(reply.xml, 'GetServiceLastAccessedDetailsResult/Marker')
      if (marker === undefined) break
    }
    assert.deepEqual(seen, ['iam', 's3', 'sts'])
  })

  it('only the caller that generated a job may read it', async () => {
    const { jobId } = await report(arn('user', 'bob'), 'SERVICE_LEVEL', alice)
    const own = await g.call('GetServiceLastAccessedDetails', { JobId: jobId }, { key: alice })
    assert.equal(own.status, 200)
    const root = await g.call('GetServiceLastAccessedDetails', { JobId: jobId })
    assert.equal(root.status, 404)
    assert.equal(root.error?.code, 'NoSuchEntity')
    const withEntities = await g.call('GetServiceLastAccessedDetailsWithEntities', {
      JobId: jobId,
      ServiceNamespace: 'iam',
    })
    assert.equal(withEntities.error?.code, 'NoSuchEntity')
  })

  it('refuses what is not a user, group, role or managed policy, or is not there', async () => {
    const cases: [string, number, string][] = [
      [`arn:aws:iam::${ACCOUNT_ID}:instance-profile/x`, 400, 'InvalidInput'],
      [`arn:aws:s3:::some-bucket-name`, 400, 'InvalidInput'],
      [arn('user', 'nobody'), 404, 'NoSuchEntity'],
      [arn('user', 'team/alice'), 404, 'NoSuchEntity'],
      [`arn:aws:iam::111122223333:user/alice`, 404, 'NoSuchEntity'],
      [arn('policy', 'Nothing'), 404, 'NoSuchEntity'],
      ['short', 400, 'ValidationError'],
    ]
    for (const [target, status, code] of cases) {
      const reply = await g.call('GenerateServiceLastAccessedDetails', { Arn: target })
      assert.equal(reply.status, status, target)
      assert.equal(reply.error?.code, code, target)
    }
    const granularity = await g.call('GenerateServiceLastAccessedDetails', {
      Arn: arn('user', 'alice'),
      Granularity: 'RESOURCE_LEVEL',
    })
    assert.equal(granularity.error?.code, 'ValidationError')
    const shortId = await g.call('GetServiceLastAccessedDetails', { JobId: 'abc' })
    assert.equal(shortId.error?.code, 'ValidationError')
    const unknown = await g.call('GetServiceLastAccessedDetails', {
      JobId: '00000000-0000-4000-8000-000000000000',
    })
    assert.equal(unknown.error?.code, 'NoSuchEntity')
    const badMarker = await g.call('GetServiceLastAccessedDetails', {
      JobId: (await report(arn('user', 'bob'))).jobId,
      Marker: 'bm90LWEtbnVtYmVy',
    })
    assert.equal(badMarker.error?.code, 'InvalidInput')
  })

  it('is authorized on the entity reported on, and denied without permission', async () => {
    const denied = await g.call(
      'GenerateServiceLastAccessedDetails',
      { Arn: arn('user', 'alice') },
      { key: carol },
    )
    assert.equal(denied.status, 403)
    assert.equal(
      denied.error?.message,
      `User: ${arn('user', 'carol')} is not authorized to perform: iam:GenerateServiceLastAccessedDetails on resource: ${arn('user', 'alice')} because no identity-based policy allows the iam:GenerateServiceLastAccessedDetails action`,
    )
    // Whether an entity exists is told only to a caller allowed to ask: the same 403 for one
    // that does not.
    for (const target of [arn('user', 'nobody'), arn('role', 'ghost'), arn('group', 'none')]) {
      const reply = await g.call(
        'GenerateServiceLastAccessedDetails',
        { Arn: target },
        { key: carol },
      )
      assert.equal(reply.status, 403, target)
      assert.equal(reply.error?.code, 'AccessDenied', target)
    }
  })

  it("lists the policies granting each service: a user's own and its groups', a group's, a role's", async () => {
    /** Each namespace asked about, with its policies as `TYPE name (arn | entity)`. */
    async function granting(target: string, namespaces: string[]): Promise<[string, string[]][]> {
      const reply = await g.call('ListPoliciesGrantingServiceAccess', {
        Arn: target,
        ...Object.fromEntries(namespaces.map((n, i) => [`ServiceNamespaces.member.${i + 1}`, n])),
      })
      assert.equal(reply.status, 200, reply.body)
      const result = 'ListPoliciesGrantingServiceAccessResult'
      assert.equal(xmlText(reply.xml, `${result}/IsTruncated`), 'false')
      return xmlAll(reply.xml, `${result}/PoliciesGrantingServiceAccess/member`).map((entry) => [
        xmlText(entry, 'ServiceNamespace') ?? '',
        xmlAll(entry, 'Policies/member').map(
          (p) =>
            `${xmlText(p, 'PolicyType')} ${xmlText(p, 'PolicyName')} (${
              xmlText(p, 'PolicyArn') ?? `${xmlText(p, 'EntityType')} ${xmlText(p, 'EntityName')}`
            })`,
        ),
      ])
    }
    assert.deepEqual(await granting(arn('user', 'alice'), ['iam', 's3', 'ec2', 'IAM']), [
      ['iam', ['INLINE own (USER alice)', 'INLINE list (GROUP devs)']],
      ['s3', ['INLINE own (USER alice)']],
      ['ec2', []],
    ])
    assert.deepEqual(await granting(arn('group', 'devs'), ['iam', 's3']), [
      ['iam', ['INLINE list (GROUP devs)']],
      ['s3', []],
    ])
    assert.deepEqual(await granting(arn('role', 'app'), ['iam']), [
      ['iam', [`MANAGED Reader (${arn('policy', 'Reader')})`]],
    ])
    const policyArn = await g.call('ListPoliciesGrantingServiceAccess', {
      Arn: arn('policy', 'Reader'),
      'ServiceNamespaces.member.1': 'iam',
    })
    assert.equal(policyArn.error?.code, 'InvalidInput')
    const none = await g.call('ListPoliciesGrantingServiceAccess', { Arn: arn('user', 'alice') })
    assert.equal(none.error?.code, 'ValidationError')
    const missing = await g.call('ListPoliciesGrantingServiceAccess', {
      Arn: arn('user', 'nobody'),
      'ServiceNamespaces.member.1': 'iam',
    })
    assert.equal(missing.error?.code, 'NoSuchEntity')
  })
})
