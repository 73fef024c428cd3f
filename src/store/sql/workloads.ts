/** Workloads bound to roles, on every SQL backend. */
import { newUniqueId, UNIQUE_ID_PREFIXES } from '../ids.js'
import type { RandomBytes } from '../ids.js'
import { WORKLOAD_ID_PREFIX, WORKLOADS_PER_ACCOUNT, WorkloadError } from '../workloads-ops.js'
import type { Workload, WorkloadOps } from '../workloads-ops.js'
import { paginate } from './paginate.js'
import type { SqlContext } from './sql-context.js'

interface WorkloadRow {
  readonly sort_key: string
  readonly workload_id: string
  readonly account_id: string
  readonly name: string
  readonly role_arn: string
  readonly duration_seconds: number | null
  readonly created_at: number
}

const WORKLOAD_COLUMNS = `workload_id, account_id, name, role_arn, duration_seconds, created_at,
  name_key || ' ' || name AS sort_key`

// By name without case, then as written; a space sorts below every character a name may hold.
// SECURITY: the token hash is not among these columns; only getWorkloadWithTokenHash reads it.
const WORKLOAD_SELECT = `SELECT ${WORKLOAD_COLUMNS} FROM workloads`

function toWorkload(row: WorkloadRow): Workload {
  return {
    workloadId: row.workload_id,
    accountId: row.account_id,
    name: row.name,
    roleArn: row.role_arn,
    durationSeconds: row.duration_seconds,
    createdAt: new Date(row.created_at),
  }
}

/** A new workload id: the prefix and 17 characters of `[A-Z2-7]`, as IAM's unique ids have. */
function newWorkloadId(random: RandomBytes): string {
  return WORKLOAD_ID_PREFIX + newUniqueId('role', random).slice(UNIQUE_ID_PREFIXES.role.length)
}

async function workloadRow(
  ctx: SqlContext,
  accountId: string,
  name: string,
): Promise<WorkloadRow | undefined> {
  return ctx.get<WorkloadRow>(
    `${WORKLOAD_SELECT} WHERE account_id = ? AND name_key = lower(?)`,
    accountId,
    name,
  )
}

/** The workload operations. */
export function workloadOps(ctx: SqlContext): WorkloadOps {
  return {
    async createWorkload(input) {
      await ctx.requireAccount(input.accountId)
      const id = newWorkloadId(ctx.random)
      try {
        await ctx.run(
          `INSERT INTO workloads (workload_id, account_id, name, role_arn, token_hash,
             duration_seconds, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          id,
          input.accountId,
          input.name,
          input.roleArn,
          input.tokenHash,
          input.durationSeconds,
          ctx.now(),
        )
      } catch (err) {
        if (ctx.isUniqueViolation(err)) throw new WorkloadError('alreadyExists', input.name)
        throw err
      }
      const count = await ctx.count(
        'SELECT count(*) FROM workloads WHERE account_id = ?',
        input.accountId,
      )
      // The call's savepoint undoes the insert.
      if (count > WORKLOADS_PER_ACCOUNT) throw new WorkloadError('limitExceeded', input.name)
      const row = await workloadRow(ctx, input.accountId, input.name)
      if (row === undefined) throw new WorkloadError('notFound', input.name)
      return toWorkload(row)
    },

    async getWorkloadWithTokenHash(workloadId) {
      const row = await ctx.get<WorkloadRow & { token_hash: Uint8Array }>(
        `SELECT ${WORKLOAD_COLUMNS}, token_hash FROM workloads WHERE workload_id = ?`,
        workloadId,
      )
      if (row === undefined) return null
      return { workload: toWorkload(row), tokenHash: new Uint8Array(row.token_hash) }
    },

    async listWorkloads(accountId, request) {
      return paginate<WorkloadRow, Workload>(
        ctx,
        `${WORKLOAD_SELECT} WHERE account_id = ?`,
        [accountId],
        request,
        toWorkload,
      )
    },

    async deleteWorkload(accountId, name) {
      const row = await workloadRow(ctx, accountId, name)
      if (row === undefined) throw new WorkloadError('notFound', name)
      await ctx.run('DELETE FROM workloads WHERE workload_id = ?', row.workload_id)
      return toWorkload(row)
    },
  }
}
