/**
 * Access Advisor's pure parts: which actions permissions policies allow (allowedActions), and
 * the report made from them and the trail's newest attempts (buildLastAccessedReport).
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { allowedActions } from '../../src/analysis/allowed-actions.js'
import {
  buildLastAccessedReport,
  serviceEntities,
} from '../../src/analysis/build-last-accessed-report.js'
import type { ReportEntity } from '../../src/analysis/build-last-accessed-report.js'
import { serviceCatalog } from '../../src/analysis/service-catalog.js'
import type { ServiceCatalog } from '../../src/analysis/service-catalog.js'
import { parsePolicy } from '../../src/policy/index.js'
import type { LastAccess } from '../../src/store/trail-store.js'

function document(statements: readonly Record<string, unknown>[]) {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity')
}

/** The allowed actions as `service:Action` lists, per service. */
function allowedOf(
  catalog: ServiceCatalog,
  statements: readonly Record<string, unknown>[],
): Record<string, string[]> {
  const allowed = allowedActions([document(statements)], catalog)
  return Object.fromEntries(
    [...allowed].map(([service, actions]) => [service, [...actions].sort()]),
  )
}

const ALICE: ReportEntity = {
  id: 'AIDAALICE',
  arn: 'arn:aws:iam::123456789012:user/alice',
  name: 'alice',
  type: 'USER',
  path: '/',
}
const BOB: ReportEntity = {
  ...ALICE,
  id: 'AIDABOB',
  arn: ALICE.arn.replace('alice', 'bob'),
  name: 'bob',
}
const APP: ReportEntity = {
  id: 'AROAAPP',
  arn: 'arn:aws:iam::123456789012:role/app',
  name: 'app',
  type: 'ROLE',
  path: '/',
}

function access(
  entity: ReportEntity,
  action: string,
  iso: string,
  region = 'us-east-1',
): LastAccess {
  const [service = '', name = ''] = action.split(':')
  return { entityId: entity.id, service, action: name, time: new Date(iso), region }
}

describe('allowedActions', () => {
  let catalog: ServiceCatalog
  before(async () => {
    catalog = await serviceCatalog()
  })

  it('takes Action with wildcards, without case, and keeps the reference’s spelling', () => {
    assert.deepEqual(
      allowedOf(catalog, [
        { Effect: 'Allow', Action: ['IAM:getuser', 'sts:Get*Identity'], Resource: '*' },
      ]),
      { iam: ['GetUser'], sts: ['GetCallerIdentity'] },
    )
  })

  it('ignores Deny statements, Resource and Condition: a report lists what could be granted', () => {
    assert.deepEqual(
      allowedOf(catalog, [
        {
          Effect: 'Allow',
          Action: 'iam:ListUsers',
          Resource: 'arn:aws:iam::123456789012:user/none',
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        },
        { Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' },
      ]),
      { iam: ['ListUsers'] },
    )
  })

  it('takes NotAction as every action it does not name', () => {
    const allowed = allowedOf(catalog, [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }])
    assert.equal(allowed['iam'], undefined)
    assert.ok((allowed['s3']?.length ?? 0) > 50)
    assert.ok(Object.keys(allowed).length > 300, 'every other service')
    const some = allowedOf(catalog, [{ Effect: 'Allow', NotAction: 'sts:Assume*', Resource: '*' }])
    assert.ok(some['sts']?.includes('GetCallerIdentity'))
    assert.ok(!some['sts']?.some((a) => a.startsWith('Assume')))
  })

  it('allows every action of every service for "*", and nothing without an Allow', () => {
    const all = allowedActions(
      [document([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
      catalog,
    )
    assert.equal(all.size, catalog.size)
    assert.equal(allowedActions([], catalog).size, 0)
    assert.equal(
      allowedActions([document([{ Effect: 'Deny', Action: '*', Resource: '*' }])], catalog).size,
      0,
    )
  })
})

describe('buildLastAccessedReport', () => {
  let catalog: ServiceCatalog
  before(async () => {
    catalog = await serviceCatalog()
  })

  const allowed = new Map([
    ['sts', new Set(['GetCallerIdentity'])],
    ['iam', new Set(['ListUsers', 'GetUser'])],
  ])

  it('orders services by namespace, each with its newest attempt and how many entities tried', () => {
    const report = buildLastAccessedReport({
      granularity: 'SERVICE_LEVEL',
      allowed,
      catalog,
      entities: [ALICE, BOB],
      accesses: [
        access(ALICE, 'iam:GetUser', '2026-03-01T10:00:00.000Z', 'us-east-1'),
        access(BOB, 'iam:ListUsers', '2026-03-02T10:00:00.000Z', 'eu-west-1'),
        // A denied attempt of an action the policies do not allow still counts for the service.
        access(ALICE, 'iam:DeleteUser', '2026-03-03T10:00:00.000Z', 'us-west-2'),
        // A service the policies do not allow is not reported, whatever was attempted there.
        access(ALICE, 's3:GetObject', '2026-03-04T10:00:00.000Z'),
        // Nor is the attempt of an entity the report is not about.
        access(APP, 'sts:GetCallerIdentity', '2026-03-05T10:00:00.000Z'),
      ],
    })
    assert.deepEqual(report, {
      entities: [ALICE, BOB],
      services: [
        {
          namespace: 'iam',
          name: 'AWS Identity and Access Management (IAM)',
          last: { time: '2026-03-03T10:00:00.000Z', entityArn: ALICE.arn, region: 'us-west-2' },
          totalAuthenticatedEntities: 2,
          attempts: {
            [ALICE.id]: '2026-03-03T10:00:00.000Z',
            [BOB.id]: '2026-03-02T10:00:00.000Z',
          },
        },
        {
          namespace: 'sts',
          name: 'AWS Security Token Service',
          totalAuthenticatedEntities: 0,
          attempts: {},
        },
      ],
    })
  })

  it('lists entities with the most recent attempt first, those without one last by name', () => {
    const report = buildLastAccessedReport({
      granularity: 'SERVICE_LEVEL',
      allowed,
      catalog,
      entities: [APP, BOB, ALICE],
      accesses: [access(BOB, 'iam:GetUser', '2026-03-01T10:00:00.000Z')],
    })
    assert.deepEqual(
      serviceEntities(report, 'iam').map((e) => [e.name, e.lastAuthenticated]),
      [
        ['bob', '2026-03-01T10:00:00.000Z'],
        ['alice', undefined],
        ['app', undefined],
      ],
    )
    assert.deepEqual(serviceEntities(report, 's3'), [], 'a service the report does not list')
  })

  it('at ACTION_LEVEL, lists every allowed action by name with its own newest attempt', () => {
    const report = buildLastAccessedReport({
      granularity: 'ACTION_LEVEL',
      allowed,
      catalog,
      entities: [ALICE, APP],
      accesses: [
        access(ALICE, 'iam:getuser', '2026-03-01T10:00:00.000Z'),
        access(APP, 'iam:GetUser', '2026-03-02T10:00:00.000Z', 'ap-south-1'),
      ],
    })
    assert.deepEqual(report.services[0]?.actions, [
      {
        name: 'GetUser',
        last: { time: '2026-03-02T10:00:00.000Z', entityArn: APP.arn, region: 'ap-south-1' },
      },
      { name: 'ListUsers' },
    ])
    assert.deepEqual(report.services[1]?.actions, [{ name: 'GetCallerIdentity' }])
    const serviceLevel = buildLastAccessedReport({
      granularity: 'SERVICE_LEVEL',
      allowed,
      catalog,
      entities: [ALICE],
      accesses: [],
    })
    assert.ok(serviceLevel.services.every((s) => s.actions === undefined))
  })
})
