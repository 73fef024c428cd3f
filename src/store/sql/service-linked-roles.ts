/** Service-linked roles' deletion tasks and STS preferences, on SQLite. */
import type {
  DeletionTask,
  DeletionTaskStatus,
  GlobalEndpointTokenVersion,
  ServiceLinkedRoleOps,
} from '../service-linked-roles-ops.js'
import type { RandomBytes } from '../ids.js'
import type { SqlContext } from './sql-context.js'

interface TaskRow {
  readonly task_id: string
  readonly account_id: string
  readonly service_name: string
  readonly role_name: string
  readonly status: DeletionTaskStatus
  readonly reason: string | null
  readonly created_at: number
}

function taskOf(row: TaskRow): DeletionTask {
  return {
    taskId: row.task_id,
    accountId: row.account_id,
    serviceName: row.service_name,
    roleName: row.role_name,
    status: row.status,
    reason: row.reason,
    createdAt: new Date(row.created_at),
  }
}

/** A version 4 UUID (RFC 9562) from `random`, so a seeded store repeats its task ids. */
function uuidV4(random: RandomBytes): string {
  const bytes = random(16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The operations of service-linked roles and STS preferences. */
export function serviceLinkedRoleOps(ctx: SqlContext): ServiceLinkedRoleOps {
  return {
    async createDeletionTask(task) {
      await ctx.requireAccount(task.accountId)
      const taskId = `task/aws-service-role/${task.serviceName}/${task.roleName}/${uuidV4(ctx.random)}`
      const createdAt = ctx.now()
      await ctx.run(
        `INSERT INTO service_linked_role_deletions
           (task_id, account_id, service_name, role_name, status, reason, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        taskId,
        task.accountId,
        task.serviceName,
        task.roleName,
        task.status,
        task.reason ?? null,
        createdAt,
      )
      return { ...task, reason: task.reason ?? null, taskId, createdAt: new Date(createdAt) }
    },

    async getDeletionTask(accountId, taskId) {
      const row = await ctx.get<TaskRow>(
        'SELECT * FROM service_linked_role_deletions WHERE account_id = ? AND task_id = ?',
        accountId,
        taskId,
      )
      return row === undefined ? null : taskOf(row)
    },

    async setStsPreferences(accountId, preferences) {
      await ctx.requireAccount(accountId)
      await ctx.run(
        `INSERT INTO sts_preferences (account_id, global_endpoint_token_version, updated_at)
         VALUES (?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET
           global_endpoint_token_version = excluded.global_endpoint_token_version,
           updated_at = excluded.updated_at`,
        accountId,
        preferences.globalEndpointTokenVersion,
        ctx.now(),
      )
    },

    async getStsPreferences(accountId) {
      await ctx.requireAccount(accountId)
      const row = await ctx.get<{ version: GlobalEndpointTokenVersion }>(
        'SELECT global_endpoint_token_version AS version FROM sts_preferences WHERE account_id = ?',
        accountId,
      )
      return { globalEndpointTokenVersion: row?.version ?? 'v1Token' }
    },
  }
}
