/**
 * The credential report: GenerateCredentialReport and GetCredentialReport (reference §2,
 * "Credential report"; iam-guide id_credentials_getting-report). IAM makes at most one report
 * per account every four hours and hands out the latest while it is no older than that. The
 * report is kept in the store, so that every server process answers with the same one.
 */
import { AwsError } from '../../errors/aws-error.js'
import { passwordExpiresAt } from '../../auth/password-rules.js'
import { allItems } from '../../store/all-items.js'
import type { StoreTx } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import { buildCredentialReport } from './build-credential-report.js'
import type { CredentialReportUser, ReportCertificate } from './build-credential-report.js'

/**
 * How long a report is current: "You can generate a credential report as often as once every
 * four hours ... If the most recent report for the account is older than four hours ... IAM
 * generates ... a new report." (iam-guide id_credentials_getting-report).
 */
const CREDENTIAL_REPORT_LIFETIME_MS = 4 * 60 * 60 * 1000

/** GenerateCredentialReport's Description when it starts a report (the API reference's example). */
const STARTED_DESCRIPTION = 'No report exists. Starting a new report generation task'

/** The report of `accountId` as of now: its account, root keys, and every user with its keys. */
async function currentReport(tx: StoreTx, accountId: string): Promise<string> {
  const account = await tx.getAccount(accountId)
  const rootAccessKeys = await allItems((page) => tx.listAccessKeys(accountId, null, page))
  const certificatesOf = async (userName: string | null): Promise<ReportCertificate[]> =>
    (await allItems((page) => tx.listSigningCertificates(accountId, userName, page))).map(
      (certificate) => ({
        certificateId: certificate.certificateId,
        active: certificate.status === 'Active',
        uploadedAt: certificate.uploadedAt,
      }),
    )
  const policy = await tx.getAccountPasswordPolicy(accountId)
  const users: CredentialReportUser[] = []
  for (const user of await allItems((page) => tx.listUsers(accountId, page))) {
    const accessKeys = await allItems((page) => tx.listAccessKeys(accountId, user.name, page))
    const profile = await tx.getLoginProfile(accountId, user.name)
    const devices = await tx.listMfaDevices(accountId, user.name, { maxItems: 1 })
    users.push({
      user,
      accessKeys,
      password:
        profile === null
          ? null
          : {
              setAt: profile.passwordSetAt,
              nextRotation: passwordExpiresAt(policy, profile.passwordSetAt),
              lastUsedAt: await tx.getPasswordLastUsed(accountId, user.name),
            },
      mfaActive: devices.items.length > 0,
      signingCertificates: await certificatesOf(user.name),
    })
  }
  return buildCredentialReport({
    account,
    rootAccessKeys,
    rootSigningCertificates: await certificatesOf(null),
    rootMfaActive: (await tx.listMfaDevices(accountId, null, { maxItems: 1 })).items.length > 0,
    users,
  })
}

/** Whether a report made at `generatedAt` is past its four hours at `now`. */
function expired(generatedAt: Date, now: Date): boolean {
  return now.getTime() - generatedAt.getTime() > CREDENTIAL_REPORT_LIFETIME_MS
}

/**
 * GenerateCredentialReport: with no report, or one older than four hours, makes a report of the
 * account as it is now and answers STARTED with AWS's Description; while the latest report is
 * current it makes none and answers COMPLETE, without a Description, as IAM does (its answer,
 * recorded in prowler#272, is `{"State": "COMPLETE"}`). Gatehouse makes the report within the
 * call, so it is never INPROGRESS: a GetCredentialReport right after STARTED already has it.
 */
export const GENERATE_CREDENTIAL_REPORT = defineOperation({
  name: 'GenerateCredentialReport',
  action: 'iam:GenerateCredentialReport',
  input: { kind: 'structure', members: {} } as const,
  // The Service Authorization Reference gives iam:GenerateCredentialReport no resource type.
  resource: () => '*',
  handle: async (_input, ctx) => {
    const accountId = ctx.caller.accountId
    const latest = await ctx.tx.getCredentialReport(accountId)
    if (latest !== null && !expired(latest.generatedAt, ctx.now)) return { State: 'COMPLETE' }
    await ctx.tx.putCredentialReport({
      accountId,
      generatedAt: ctx.now,
      content: await currentReport(ctx.tx, accountId),
    })
    return { State: 'STARTED', Description: STARTED_DESCRIPTION }
  },
})

/**
 * GetCredentialReport: the latest report, its CSV base64-encoded (the model's blob), while it is
 * no older than four hours. ReportInProgress (404) never arises: a report is complete as soon as
 * GenerateCredentialReport has answered.
 */
export const GET_CREDENTIAL_REPORT = defineOperation({
  name: 'GetCredentialReport',
  action: 'iam:GetCredentialReport',
  input: { kind: 'structure', members: {} } as const,
  // The Service Authorization Reference gives iam:GetCredentialReport no resource type.
  resource: () => '*',
  handle: async (_input, ctx) => {
    const report = await ctx.tx.getCredentialReport(ctx.caller.accountId)
    if (report === null) {
      // Invented message: the API reference's description of ReportNotPresent. AWS's own answer
      // carries no message that has been recorded (botocore prints "Unknown", prowler#272).
      throw new AwsError(
        'ReportNotPresent',
        'The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.',
      )
    }
    if (expired(report.generatedAt, ctx.now)) {
      // Invented message: the API reference's description of ReportExpired.
      throw new AwsError(
        'ReportExpired',
        'The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.',
      )
    }
    return {
      Content: Buffer.from(report.content, 'utf8').toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: report.generatedAt,
    }
  },
})
