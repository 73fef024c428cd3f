/** Credential reports: one row per account, its latest report. */
import type { CredentialReport, CredentialReportOps } from '../store.js'
import type { SqlContext } from './sql-context.js'

interface CredentialReportRow {
  readonly account_id: string
  readonly generated_at: number
  readonly content: string
}

/** The credential report operations. */
export function credentialReportOps(ctx: SqlContext): CredentialReportOps {
  return {
    async putCredentialReport(report) {
      await ctx.requireAccount(report.accountId)
      await ctx.run(
        `INSERT INTO credential_reports (account_id, generated_at, content) VALUES (?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE
         SET generated_at = excluded.generated_at, content = excluded.content`,
        report.accountId,
        report.generatedAt.getTime(),
        report.content,
      )
    },

    async getCredentialReport(accountId): Promise<CredentialReport | null> {
      await ctx.requireAccount(accountId)
      const row = await ctx.get<CredentialReportRow>(
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
