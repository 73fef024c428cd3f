/** Credential reports: one row per account, its latest report. */
import type { CredentialReport, CredentialReportOps } from '../store.js'
import type { SqliteContext, Sync } from './context.js'

interface CredentialReportRow {
  readonly account_id: string
  readonly generated_at: number
  readonly content: string
}

/** The credential report operations. */
export function credentialReportOps(ctx: SqliteContext): Sync<CredentialReportOps> {
  return {
    putCredentialReport(report) {
      ctx.requireAccount(report.accountId)
      ctx.run(
        `INSERT INTO credential_reports (account_id, generated_at, content) VALUES (?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE
         SET generated_at = excluded.generated_at, content = excluded.content`,
        report.accountId,
        report.generatedAt.getTime(),
        report.content,
      )
    },

    getCredentialReport(accountId): CredentialReport | null {
      ctx.requireAccount(accountId)
      const row = ctx.get<CredentialReportRow>(
        'SELECT account_id, generated_at, content FROM credential_reports WHERE account_id = ?',
        accountId,
      )
      if (row === undefined) return null
      return {
        accountId: row.account_id,
        generatedAt: new Date(row.generated_at),
        content: row.content,
      }
    },
  }
}
