/**
 * aws:ResourceTag/* on IAM resources: the tags of the user, role or policy a request acts on are
 * in its context (for the actions whose resource type lists the key), read from the auth cache
 * and current from the next request after a TagUser or UntagUser.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createUserWithKey, startInProcess } from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'

const ACCOUNT = '123456789012'

/** Allows `action` on any resource whose tag team is blue (aws: and iam: keys both tested). */
function taggedPolicy(action: string, key: 'aws' | 'iam'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: action,
        Resource: '*',
        Condition: { StringEquals: { [`${key}:ResourceTag/team`]: 'blue' } },
      },
    ],
  })
}

describe('aws:ResourceTag on IAM resources', () => {
  let g: InProcess
  let alice: Credentials
  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'BlueUsers',
      PolicyDocument: taggedPolicy('iam:GetUser', 'aws'),
    })
    await g.call('CreateUser', { UserName: 'bob' })
    await g.call('CreateUser', {
      UserName: 'carol',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'blue',
    })
  })
  after(() => g.close())

  it('allows acting on a resource whose tag matches, and not on one without it', async () => {
    assert.equal((await g.call('GetUser', { UserName: 'carol' }, { key: alice })).status, 200)
    const denied = await g.call('GetUser', { UserName: 'bob' }, { key: alice })
    assert.equal(denied.status, 403)
    assert.equal(
      denied.error?.message,
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${ACCOUNT}:user/bob because no identity-based policy allows the iam:GetUser action`,
    )
  })

  it('follows TagUser and UntagUser from the next request on', async () => {
    await g.call('TagUser', {
      UserName: 'bob',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'blue',
    })
    assert.equal((await g.call('GetUser', { UserName: 'bob' }, { key: alice })).status, 200)
    await g.call('UntagUser', { UserName: 'bob', 'TagKeys.member.1': 'team' })
    assert.equal((await g.call('GetUser', { UserName: 'bob' }, { key: alice })).status, 403)
  })

  it('gives roles their tags under iam:ResourceTag too', async () => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    })
    await g.call('CreateRole', {
      RoleName: 'blue-role',
      AssumeRolePolicyDocument: trust,
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'blue',
    })
    await g.call('CreateRole', { RoleName: 'red-role', AssumeRolePolicyDocument: trust })
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'BlueRoles',
      PolicyDocument: taggedPolicy('iam:GetRole', 'iam'),
    })
    assert.equal((await g.call('GetRole', { RoleName: 'blue-role' }, { key: alice })).status, 200)
    assert.equal((await g.call('GetRole', { RoleName: 'red-role' }, { key: alice })).status, 403)
  })

  it('gives no resource tags to an action whose resource type has none (groups)', async () => {
    await g.call('CreateGroup', { GroupName: 'blue-group' })
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'BlueGroups',
      PolicyDocument: taggedPolicy('iam:GetGroup', 'aws'),
    })
    assert.equal(
      (await g.call('GetGroup', { GroupName: 'blue-group' }, { key: alice })).status,
      403,
    )
  })
})
