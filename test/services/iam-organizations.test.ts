/**
 * IAM's Organizations operations in process: a Gatehouse account is in no AWS Organization, so
 * centralized root access answers OrganizationNotFoundException (400) and the Organizations
 * access report has nothing to report on; each call is authorized first, on its own action.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ACCOUNT_ID, createUserWithKey, policy, startInProcess } from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'

const NO_ORGANIZATION = {
  code: 'OrganizationNotFoundException',
  message: 'The request was rejected because no organization is associated with your account.',
}

const ROOT_ACCESS_ACTIONS = [
  'ListOrganizationsFeatures',
  'EnableOrganizationsRootCredentialsManagement',
  'DisableOrganizationsRootCredentialsManagement',
  'EnableOrganizationsRootSessions',
  'DisableOrganizationsRootSessions',
]

const ENTITY_PATH = 'o-a1b2c3d4e5/r-f6g7h8i9'

describe('IAM Organizations operations', () => {
  let g: InProcess
  let auditor: Credentials
  before(async () => {
    g = await startInProcess()
    auditor = await createUserWithKey(g, 'auditor')
  })
  after(() => g.close())

  for (const action of ROOT_ACCESS_ACTIONS) {
    it(`answers ${action} with OrganizationNotFoundException (400)`, async () => {
      const r = await g.call(action, {})
      assert.equal(r.status, 400, r.body)
      assert.deepEqual(r.error, NO_ORGANIZATION)
    })
  }

  it('answers GenerateOrganizationsAccessReport with OrganizationNotFoundException', async () => {
    const r = await g.call('GenerateOrganizationsAccessReport', { EntityPath: ENTITY_PATH })
    assert.equal(r.status, 400, r.body)
    assert.deepEqual(r.error, NO_ORGANIZATION)
  })

  it("checks GenerateOrganizationsAccessReport's EntityPath against the model", async () => {
    for (const bad of ['o-short/r-1', 'not-an-entity-path-at-all', '']) {
      const r = await g.call('GenerateOrganizationsAccessReport', { EntityPath: bad })
      assert.equal(r.status, 400, r.body)
      assert.equal(r.error?.code, 'ValidationError', r.body)
    }
    const missing = await g.call('GenerateOrganizationsAccessReport', {})
    assert.equal(missing.error?.code, 'ValidationError')
  })

  it('answers GetOrganizationsAccessReport with NoSuchEntity (404): no job exists', async () => {
    const jobId = '11111111-2222-3333-4444-555555555555'
    const r = await g.call('GetOrganizationsAccessReport', { JobId: jobId })
    assert.equal(r.status, 404, r.body)
    assert.deepEqual(r.error, {
      code: 'NoSuchEntity',
      message: `The job with ID ${jobId} cannot be found.`,
    })
    const short = await g.call('GetOrganizationsAccessReport', { JobId: 'abc' })
    assert.equal(short.error?.code, 'ValidationError')
  })

  it('authorizes first: a user no policy allows gets AccessDenied (403)', async () => {
    const r = await g.call('ListOrganizationsFeatures', {}, { key: auditor })
    assert.equal(r.status, 403, r.body)
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT_ID}:user/auditor is not authorized to perform: iam:ListOrganizationsFeatures because no identity-based policy allows the iam:ListOrganizationsFeatures action`,
    })
    const report = await g.call(
      'GenerateOrganizationsAccessReport',
      { EntityPath: ENTITY_PATH },
      { key: auditor },
    )
    assert.equal(report.status, 403, report.body)
    assert.match(
      report.error?.message ?? '',
      new RegExp(
        `iam:GenerateOrganizationsAccessReport on resource: arn:aws:iam::${ACCOUNT_ID}:access-report/${ENTITY_PATH}`,
      ),
    )
  })

  it('lets an allowed user through to the answer', async () => {
    await g.call('PutUserPolicy', {
      UserName: 'auditor',
      PolicyName: 'organizations',
      PolicyDocument: policy('Allow', [
        'iam:ListOrganizationsFeatures',
        'iam:GenerateOrganizationsAccessReport',
      ]),
    })
    const r = await g.call('ListOrganizationsFeatures', {}, { key: auditor })
    assert.deepEqual(r.error, NO_ORGANIZATION)
    const report = await g.call(
      'GenerateOrganizationsAccessReport',
      { EntityPath: ENTITY_PATH },
      { key: auditor },
    )
    assert.deepEqual(report.error, NO_ORGANIZATION)
  })
})
