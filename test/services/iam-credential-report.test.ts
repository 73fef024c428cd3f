/**
 * GenerateCredentialReport and GetCredentialReport in process: STARTED then COMPLETE, the report
 * itself (root row, users, key columns as keys are created, used and deactivated), its four-hour
 * life, AWS's errors, and authorization.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { reportTime } from '../../src/services/iam/build-credential-report.js'
import { epoch } from '../auth/sigv4-signer.js'
import {
  ACCOUNT_ID,
  NOW,
  ROOT_KEY,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'

const NOW_DATE = new Date(epoch(NOW))
const FOUR_HOURS_MS = 4 * 60 * 60 * 1000
const NOT_PRESENT = {
  code: 'ReportNotPresent',
  message:
    'The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.',
}
const EXPIRED = {
  code: 'ReportExpired',
  message:
    'The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.',
}
const NO_CERTS = 'false,N/A,false,N/A'

/** The report's CSV from a GetCredentialReport reply. */
function content(r: Reply): string {
  assert.equal(r.status, 200, r.body)
  return Buffer.from(xmlText(r.xml, 'GetCredentialReportResult/Content') ?? '', 'base64').toString(
    'utf8',
  )
}

/** The report's rows by their `user`. */
function rowsByUser(csv: string): Map<string, string> {
  return new Map(csv.split('\n').map((row) => [row.slice(0, row.indexOf(',')), row]))
}

/** A report time from an XML date (CreateDate), as the CSV writes it. */
function csvTime(xmlDate: string | undefined): string {
  return reportTime(new Date(xmlDate ?? 'invalid'))
}

async function generate(g: InProcess, key?: Credentials): Promise<Reply> {
  return g.call('GenerateCredentialReport', {}, key === undefined ? {} : { key })
}

describe('IAM credential report', () => {
  describe('before and after the first report', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
    })
    after(() => g.close())

    it('answers ReportNotPresent (410) while no report was generated', async () => {
      const r = await g.call('GetCredentialReport')
      assert.equal(r.status, 410)
      assert.deepEqual(r.error, NOT_PRESENT)
      assert.equal(r.xml.name, 'ErrorResponse')
    })

    it("starts a report with AWS's Description, then answers COMPLETE without one", async () => {
      const started = await generate(g)
      assert.equal(started.status, 200, started.body)
      assert.equal(xmlText(started.xml, 'GenerateCredentialReportResult/State'), 'STARTED')
      assert.equal(
        xmlText(started.xml, 'GenerateCredentialReportResult/Description'),
        'No report exists. Starting a new report generation task',
      )
      const again = await generate(g)
      assert.equal(again.status, 200, again.body)
      assert.equal(xmlText(again.xml, 'GenerateCredentialReportResult/State'), 'COMPLETE')
      assert.deepEqual(xmlAll(again.xml, 'GenerateCredentialReportResult/Description'), [])
    })

    it('hands out the report as base64 text/csv with its generation time', async () => {
      const r = await g.call('GetCredentialReport')
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, 'GetCredentialReportResult/ReportFormat'), 'text/csv')
      assert.equal(
        xmlText(r.xml, 'GetCredentialReportResult/GeneratedTime'),
        '2026-03-15T12:00:00Z',
      )
      const encoded = xmlText(r.xml, 'GetCredentialReportResult/Content') ?? ''
      assert.match(encoded, /^[A-Za-z0-9+/]+=*$/)
      const lines = content(r).split('\n')
      assert.equal(lines.length, 2)
      assert.match(lines[0] ?? '', /^user,arn,user_creation_time,.*,cert_2_last_rotated$/)
    })

    it("writes the root row: the account's creation and the root user's key", async () => {
      const { account, rootKey } = await g.store.transaction(async (tx) => ({
        account: await tx.getAccount(ACCOUNT_ID),
        rootKey: await tx.getAccessKey(ROOT_KEY.accessKeyId),
      }))
      const root = rowsByUser(content(await g.call('GetCredentialReport'))).get('<root_account>')
      // Every call here is signed with the root key in us-east-1 at NOW: its last use.
      assert.equal(
        root,
        `<root_account>,arn:aws:iam::${ACCOUNT_ID}:root,${reportTime(account.createdAt)},` +
          'not_supported,N/A,not_supported,not_supported,false,' +
          `true,${reportTime(rootKey.createdAt)},2026-03-15T12:00:00+00:00,us-east-1,iam,` +
          `false,N/A,N/A,N/A,N/A,${NO_CERTS}`,
      )
    })

    it('keeps the report it made: a later change waits for the next report', async () => {
      assert.equal((await g.call('CreateUser', { UserName: 'late' })).status, 200)
      assert.equal(
        xmlText((await generate(g)).xml, 'GenerateCredentialReportResult/State'),
        'COMPLETE',
      )
      const users = rowsByUser(content(await g.call('GetCredentialReport')))
      assert.equal(users.has('late'), false)
    })
  })

  describe('the rows of users and their keys', () => {
    let g: InProcess
    let csv: Map<string, string>
    const created: Record<string, string | undefined> = {}

    before(async () => {
      g = await startInProcess()
      await g.call('CreateUser', { UserName: 'nokeys', Path: '/team/' })
      await g.call('CreateUser', { UserName: 'dev' })
      const first = await g.call('CreateAccessKey', { UserName: 'dev' })
      // Key 1 and key 2 are told apart by creation: make them a few milliseconds apart.
      await sleep(5)
      const second = await g.call('CreateAccessKey', { UserName: 'dev' })
      const path = 'CreateAccessKeyResult/AccessKey'
      created['first'] = xmlText(first.xml, `${path}/CreateDate`)
      created['second'] = xmlText(second.xml, `${path}/CreateDate`)
      const firstKey = {
        accessKeyId: xmlText(first.xml, `${path}/AccessKeyId`) ?? '',
        secretAccessKey: xmlText(first.xml, `${path}/SecretAccessKey`) ?? '',
      }
      // The first key signs one STS call in eu-west-1 (denied or not, the key was used).
      await g.call('GetCallerIdentity', {}, { service: 'sts', key: firstKey, region: 'eu-west-1' })
      const deactivated = await g.call('UpdateAccessKey', {
        UserName: 'dev',
        AccessKeyId: xmlText(second.xml, `${path}/AccessKeyId`) ?? '',
        Status: 'Inactive',
      })
      assert.equal(deactivated.status, 200, deactivated.body)
      assert.equal(
        xmlText((await generate(g)).xml, 'GenerateCredentialReportResult/State'),
        'STARTED',
      )
      csv = rowsByUser(content(await g.call('GetCredentialReport')))
    })
    after(() => g.close())

    it('writes the root row first and then every user by name', async () => {
      const r = await g.call('GetCredentialReport')
      const users = content(r)
        .split('\n')
        .map((row) => row.split(',')[0])
      assert.deepEqual(users, ['user', '<root_account>', 'dev', 'nokeys'])
    })

    it('writes a user without keys with N/A for both keys', async () => {
      const got = await g.call('GetUser', { UserName: 'nokeys' })
      const createDate = xmlText(got.xml, 'GetUserResult/User/CreateDate')
      assert.equal(
        csv.get('nokeys'),
        `nokeys,arn:aws:iam::${ACCOUNT_ID}:user/team/nokeys,${csvTime(createDate)},` +
          `false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,${NO_CERTS}`,
      )
    })

    it('writes a used key and a deactivated one in order of creation', async () => {
      const got = await g.call('GetUser', { UserName: 'dev' })
      const createDate = xmlText(got.xml, 'GetUserResult/User/CreateDate')
      assert.equal(
        csv.get('dev'),
        `dev,arn:aws:iam::${ACCOUNT_ID}:user/dev,${csvTime(createDate)},false,N/A,N/A,N/A,false,` +
          `true,${csvTime(created['first'])},2026-03-15T12:00:00+00:00,eu-west-1,sts,` +
          `false,${csvTime(created['second'])},N/A,N/A,N/A,${NO_CERTS}`,
      )
    })
  })

  describe('the four hours a report lasts', () => {
    let g: InProcess
    before(async () => {
      g = await startInProcess()
    })
    after(() => g.close())

    /** Keeps a report made `ageMs` before NOW, as an earlier GenerateCredentialReport would. */
    async function reportOfAge(ageMs: number, text: string): Promise<void> {
      await g.store.transaction((tx) =>
        tx.putCredentialReport({
          accountId: ACCOUNT_ID,
          generatedAt: new Date(NOW_DATE.getTime() - ageMs),
          content: text,
        }),
      )
    }

    it('still hands out a report exactly four hours old, and makes no new one', async () => {
      await reportOfAge(FOUR_HOURS_MS, 'four hours old')
      const r = await g.call('GetCredentialReport')
      assert.equal(content(r), 'four hours old')
      assert.equal(
        xmlText(r.xml, 'GetCredentialReportResult/GeneratedTime'),
        '2026-03-15T08:00:00Z',
      )
      assert.equal(
        xmlText((await generate(g)).xml, 'GenerateCredentialReportResult/State'),
        'COMPLETE',
      )
      assert.equal(content(await g.call('GetCredentialReport')), 'four hours old')
    })

    it('answers ReportExpired (410) for a report older than four hours', async () => {
      await reportOfAge(FOUR_HOURS_MS + 1000, 'stale')
      const r = await g.call('GetCredentialReport')
      assert.equal(r.status, 410)
      assert.deepEqual(r.error, EXPIRED)
    })

    it('starts a new report in place of an expired one', async () => {
      await reportOfAge(FOUR_HOURS_MS + 1000, 'stale')
      const started = await generate(g)
      assert.equal(xmlText(started.xml, 'GenerateCredentialReportResult/State'), 'STARTED')
      const r = await g.call('GetCredentialReport')
      assert.equal(
        xmlText(r.xml, 'GetCredentialReportResult/GeneratedTime'),
        '2026-03-15T12:00:00Z',
      )
      assert.match(content(r), /^user,arn,.*\n<root_account>,/)
    })
  })

  describe('authorization', () => {
    let g: InProcess
    let auditor: Credentials
    before(async () => {
      g = await startInProcess()
      auditor = await createUserWithKey(g, 'auditor')
    })
    after(() => g.close())

    it('refuses both calls to a user no policy allows, with AccessDenied (403)', async () => {
      // An action without a resource type is denied without "on resource", as AWS words it.
      for (const action of ['GenerateCredentialReport', 'GetCredentialReport']) {
        const r = await g.call(action, {}, { key: auditor })
        assert.equal(r.status, 403, r.body)
        assert.deepEqual(r.error, {
          code: 'AccessDenied',
          message: `User: arn:aws:iam::${ACCOUNT_ID}:user/auditor is not authorized to perform: iam:${action} because no identity-based policy allows the iam:${action} action`,
        })
      }
    })

    it('authorizes each call on its own action, resource *', async () => {
      await g.call('PutUserPolicy', {
        UserName: 'auditor',
        PolicyName: 'generate',
        PolicyDocument: policy('Allow', 'iam:GenerateCredentialReport'),
      })
      assert.equal((await generate(g, auditor)).status, 200)
      const denied = await g.call('GetCredentialReport', {}, { key: auditor })
      assert.equal(denied.error?.code, 'AccessDenied')
      await g.call('PutUserPolicy', {
        UserName: 'auditor',
        PolicyName: 'get',
        PolicyDocument: policy('Allow', 'iam:GetCredentialReport', '*'),
      })
      const r = await g.call('GetCredentialReport', {}, { key: auditor })
      assert.ok(rowsByUser(content(r)).has('auditor'))
    })

    it('makes the report of the caller account for any user of it', async () => {
      // The auditor's report is the account's: the root user sees the same one.
      const byRoot = content(await g.call('GetCredentialReport'))
      const byAuditor = content(await g.call('GetCredentialReport', {}, { key: auditor }))
      assert.equal(byRoot, byAuditor)
    })
  })
})
