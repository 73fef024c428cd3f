/**
 * The authorize step, in process: every call is decided by the policy engine on the operation's
 * action and resource ARN, with the caller's inline, attached and group policies and boundary.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createUserWithKey, policy, startInProcess, xmlText } from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'

const ACCOUNT = '123456789012'

describe('authorization (enforce)', () => {
  let g: InProcess
  let alice: Credentials
  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice', { Path: '/eng/' })
  })
  after(() => g.close())

  it('denies a user without policies, with the engine message, and changes nothing', async () => {
    const r = await g.call('CreateUser', { UserName: 'bob' }, { key: alice })
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT}:user/eng/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/bob because no identity-based policy allows the iam:CreateUser action`,
    })
    assert.equal((await g.call('GetUser', { UserName: 'bob' })).status, 404)
  })

  it('lets any signed caller call GetCallerIdentity', async () => {
    const r = await g.call('GetCallerIdentity', {}, { service: 'sts', key: alice })
    assert.equal(r.status, 200)
    assert.equal(
      xmlText(r.xml, 'GetCallerIdentityResult/Arn'),
      `arn:aws:iam::${ACCOUNT}:user/eng/alice`,
    )
    assert.match(xmlText(r.xml, 'GetCallerIdentityResult/UserId') ?? '', /^AIDA/)
    assert.equal(xmlText(r.xml, 'GetCallerIdentityResult/Account'), ACCOUNT)
  })

  it('allows what an inline policy allows, from the next request on', async () => {
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'CreateUsers',
      PolicyDocument: policy('Allow', 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/*`),
    })
    const r = await g.call('CreateUser', { UserName: 'bob' }, { key: alice })
    assert.equal(r.status, 200, r.body)
  })

  it('authorizes on the existing user ARN, path included', async () => {
    await g.call('CreateUser', { UserName: 'ops-user', Path: '/ops/' })
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'ReadOps',
      PolicyDocument: policy('Allow', 'iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/ops/*`),
    })
    assert.equal((await g.call('GetUser', { UserName: 'ops-user' }, { key: alice })).status, 200)
    const denied = await g.call('GetUser', { UserName: 'bob' }, { key: alice })
    assert.equal(denied.status, 403)
    assert.match(denied.error?.message ?? '', /on resource: arn:aws:iam::123456789012:user\/bob /)
  })

  it('lets an explicit deny win, and says so', async () => {
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'NoAdmins',
      PolicyDocument: policy('Deny', 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/admin*`),
    })
    const r = await g.call('CreateUser', { UserName: 'admin1' }, { key: alice })
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT}:user/eng/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/admin1 with an explicit deny in an identity-based policy`,
    })
    assert.equal((await g.call('CreateUser', { UserName: 'carl' }, { key: alice })).status, 200)
  })

  it('authorizes ListUsers on the user path it lists', async () => {
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'ListEng',
      PolicyDocument: policy('Allow', 'iam:ListUsers', `arn:aws:iam::${ACCOUNT}:user/eng/*`),
    })
    assert.equal((await g.call('ListUsers', { PathPrefix: '/eng/' }, { key: alice })).status, 200)
    const all = await g.call('ListUsers', {}, { key: alice })
    assert.equal(all.status, 403)
    assert.equal(
      all.error?.message,
      `User: arn:aws:iam::${ACCOUNT}:user/eng/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`,
    )
  })

  it('applies the policies of the groups the user is in, inline and attached', async () => {
    const dave = await createUserWithKey(g, 'dave')
    assert.equal((await g.call('ListAccessKeys', {}, { key: dave })).status, 403)
    await g.store.transaction(async (tx) => {
      await tx.createGroup({ accountId: ACCOUNT, name: 'readers' })
      await tx.addUserToGroup(ACCOUNT, 'readers', 'dave')
      await tx.putInlinePolicy(
        { kind: 'group', accountId: ACCOUNT, name: 'readers' },
        'Keys',
        policy('Allow', 'iam:ListAccessKeys'),
      )
    })
    assert.equal((await g.call('ListAccessKeys', {}, { key: dave })).status, 200)

    assert.equal(
      (await g.call('ListUserPolicies', { UserName: 'dave' }, { key: dave })).status,
      403,
    )
    await g.store.transaction(async (tx) => {
      await tx.createPolicy({
        accountId: ACCOUNT,
        name: 'PolicyReader',
        document: policy('Allow', 'iam:ListUserPolicies'),
      })
      await tx.attachPolicy({ kind: 'group', accountId: ACCOUNT, name: 'readers' }, 'PolicyReader')
    })
    assert.equal(
      (await g.call('ListUserPolicies', { UserName: 'dave' }, { key: dave })).status,
      200,
    )
  })

  it('applies managed policies attached to the user', async () => {
    const erin = await createUserWithKey(g, 'erin')
    await g.store.transaction(async (tx) => {
      await tx.createPolicy({
        accountId: ACCOUNT,
        name: 'UserReader',
        document: policy('Allow', 'iam:GetUser'),
      })
      await tx.attachPolicy({ kind: 'user', accountId: ACCOUNT, name: 'erin' }, 'UserReader')
    })
    assert.equal((await g.call('GetUser', {}, { key: erin })).status, 200)
  })

  it('limits a user to what its permissions boundary allows', async () => {
    await g.store.transaction((tx) =>
      tx.createPolicy({
        accountId: ACCOUNT,
        name: 'ReadOnlyBoundary',
        document: policy('Allow', 'iam:Get*'),
      }),
    )
    const frank = await createUserWithKey(g, 'frank', {
      PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/ReadOnlyBoundary`,
    })
    await g.call('PutUserPolicy', {
      UserName: 'frank',
      PolicyName: 'Everything',
      PolicyDocument: policy('Allow', 'iam:*'),
    })
    assert.equal((await g.call('GetUser', {}, { key: frank })).status, 200)
    const r = await g.call('CreateUser', { UserName: 'frankie' }, { key: frank })
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT}:user/frank is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/frankie because no permissions boundary allows the iam:CreateUser action`,
    })
  })

  it('evaluates conditions on the request context (aws:RequestedRegion, aws:RequestTag)', async () => {
    const gina = await createUserWithKey(g, 'gina')
    await g.call('PutUserPolicy', {
      UserName: 'gina',
      PolicyName: 'Regional',
      PolicyDocument: policy('Allow', 'iam:CreateUser', '*', {
        StringEquals: { 'aws:RequestedRegion': 'eu-west-1', 'aws:RequestTag/team': 'blue' },
      }),
    })
    const tagged = { UserName: 'blue1', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue' }
    const wrongRegion = await g.call('CreateUser', tagged, { key: gina, region: 'us-east-1' })
    assert.equal(wrongRegion.status, 403)
    const untagged = await g.call(
      'CreateUser',
      { UserName: 'blue2' },
      { key: gina, region: 'eu-west-1' },
    )
    assert.equal(untagged.status, 403)
    const ok = await g.call('CreateUser', tagged, { key: gina, region: 'eu-west-1' })
    assert.equal(ok.status, 200, ok.body)
  })

  it('lets the root user do anything in its account', async () => {
    assert.equal((await g.call('CreateUser', { UserName: 'by-root' })).status, 200)
  })
})

describe('authorization (report-only)', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess({ enforcement: 'report-only', captureLog: true })
  })
  after(() => g.close())

  it('lets a denied call through and logs the permission that was missing', async () => {
    const henry = await createUserWithKey(g, 'henry')
    const r = await g.call('CreateUser', { UserName: 'ivy' }, { key: henry })
    assert.equal(r.status, 200, r.body)
    const warning = g.logLines.find((line) => String(line['msg']).startsWith('report-only'))
    assert.ok(warning, JSON.stringify(g.logLines))
    assert.equal(warning['level'], 40)
    assert.equal(warning['missingPermission'], `iam:CreateUser on arn:aws:iam::${ACCOUNT}:user/ivy`)
    assert.equal(
      warning['msg'],
      `report-only: would deny: User: arn:aws:iam::${ACCOUNT}:user/henry is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/ivy because no identity-based policy allows the iam:CreateUser action`,
    )
  })

  it('still refuses what fails authentication', async () => {
    const r = await g.call(
      'ListUsers',
      {},
      {
        key: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) },
      },
    )
    assert.equal(r.error?.code, 'InvalidClientTokenId')
  })

  it('never writes a secret to the log', async () => {
    const created = await g.call('CreateAccessKey', { UserName: 'ivy' })
    const secret = xmlText(created.xml, 'CreateAccessKeyResult/AccessKey/SecretAccessKey') ?? ''
    assert.equal(secret.length, 40)
    assert.equal(JSON.stringify(g.logLines).includes(secret), false)
  })
})
