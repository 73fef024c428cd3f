/**
 * AccessAdvisor's jobs beyond what the API tests show: a job whose report never came (its
 * process stopped) is reported FAILED once it is stale, to its owner only.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import Fastify from 'fastify'
import { AccessAdvisor } from '../../src/analysis/access-advisor.js'
import { generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'

const ACCOUNT = '123456789012'
const OWNER = `arn:aws:iam::${ACCOUNT}:user/alice`
const JOB_ID = '5d7c1a0e-0000-4000-8000-000000000001'

describe('AccessAdvisor jobs', () => {
  it('reports a job left IN_PROGRESS for over ten minutes as FAILED, to its owner only', async () => {
    const store = openSqliteStore({ filename: ':memory:', masterKey: generateMasterKey() })
    const trail = openSqliteTrailStore({ filename: ':memory:' })
    let now = new Date('2026-03-15T12:00:00Z')
    const advisor = new AccessAdvisor(store, trail, () => now, Fastify().log)
    try {
      await trail.createAccessJob({
        jobId: JOB_ID,
        accountId: ACCOUNT,
        entityArn: OWNER,
        granularity: 'SERVICE_LEVEL',
        ownerArn: OWNER,
        createdAt: now,
      })
      now = new Date('2026-03-15T12:09:59Z')
      assert.equal((await advisor.job(ACCOUNT, JOB_ID, OWNER))?.status, 'IN_PROGRESS')
      now = new Date('2026-03-15T12:10:01Z')
      const stale = await advisor.job(ACCOUNT, JOB_ID, OWNER)
      assert.equal(stale?.status, 'FAILED')
      assert.deepEqual(stale?.completedAt, now)
      assert.match(stale?.result ?? '', /"code":"ServiceFailure"/)
      assert.equal(await advisor.job(ACCOUNT, JOB_ID, `arn:aws:iam::${ACCOUNT}:user/bob`), null)
      assert.equal(await advisor.job('111122223333', JOB_ID, OWNER), null)
    } finally {
      await advisor.close()
      await trail.close()
      await store.close()
    }
  })
})
