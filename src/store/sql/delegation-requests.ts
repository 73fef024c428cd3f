/** Delegation requests (temporary access delegation to partners), on every SQL backend. */
import {
  DelegationRequestError,
  OPEN_DELEGATION_REQUESTS_PER_ACCOUNT,
} from '../delegation-requests-ops.js'
import type {
  DelegationNotification,
  DelegationPolicyParameter,
  DelegationRequest,
  DelegationRequestOps,
  StoredDelegationRequestState,
} from '../delegation-requests-ops.js'
import { decryptSecret, encryptSecret } from '../secret-box.js'
import type { SqlContext, SqlValue } from './sql-context.js'
import { paginate } from './paginate.js'
import { LIMIT_PARAM } from './limit-param.js'

interface RequestRow {
  readonly request_id: string
  readonly requestor_account_id: string
  readonly requestor_arn: string
  readonly owner_account_id: string | null
  readonly owner_id: string | null
  readonly approver_id: string | null
  readonly approver: string | null
  readonly description: string
  readonly request_message: string | null
  readonly requestor_workflow_id: string
  readonly template_arn: string
  readonly parameters: string
  readonly permission_policy: string
  readonly redirect_url: string | null
  readonly notification_channel: string
  readonly session_duration: number
  readonly only_send_by_owner: number
  readonly state: StoredDelegationRequestState
  readonly notes: string | null
  readonly rejection_reason: string | null
  readonly token_hash: Uint8Array | null
  readonly created_at: number
  readonly updated_at: number
  readonly expires_at: number
  readonly finalized_at: number | null
}

const COLUMNS = `request_id, requestor_account_id, requestor_arn, owner_account_id, owner_id,
  approver_id, approver, description, request_message, requestor_workflow_id, template_arn,
  parameters, permission_policy, redirect_url, notification_channel, session_duration,
  only_send_by_owner, state, notes, rejection_reason, token_hash, created_at, updated_at,
  expires_at, finalized_at`

// The states a request is still open in: neither finished nor (once its time passes) expired.
const OPEN_STATES = "('UNASSIGNED', 'ASSIGNED', 'PENDING_APPROVAL', 'ACCEPTED')"

/** The parameters as written: JSON the store itself made, read back as such. */
function readParameters(text: string): DelegationPolicyParameter[] {
  return (JSON.parse(text) as { n: string; v: string[]; t: 'string' | 'stringList' }[]).map(
    (p) => ({ name: p.n, values: p.v, type: p.t }),
  )
}

function writeParameters(parameters: readonly DelegationPolicyParameter[]): string {
  return JSON.stringify(parameters.map((p) => ({ n: p.name, v: p.values, t: p.type })))
}

function toRequest(row: RequestRow): DelegationRequest {
  return {
    requestId: row.request_id,
    requestorAccountId: row.requestor_account_id,
    requestorArn: row.requestor_arn,
    ownerAccountId: row.owner_account_id,
    ownerId: row.owner_id,
    approverId: row.approver_id,
    approver: row.approver,
    description: row.description,
    requestMessage: row.request_message,
    requestorWorkflowId: row.requestor_workflow_id,
    templateArn: row.template_arn,
    parameters: readParameters(row.parameters),
    permissionPolicy: row.permission_policy,
    redirectUrl: row.redirect_url,
    notificationChannel: row.notification_channel,
    sessionDuration: row.session_duration,
    onlySendByOwner: row.only_send_by_owner === 1,
    state: row.state,
    notes: row.notes,
    rejectionReason: row.rejection_reason,
    tokenHash: row.token_hash === null ? null : new Uint8Array(row.token_hash),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    expiresAt: new Date(row.expires_at),
    finalizedAt: row.finalized_at === null ? null : new Date(row.finalized_at),
  }
}

/** A version 4 UUID from the store's random source (unguessable: 122 random bits). */
function newRequestId(ctx: SqlContext): string {
  const bytes = ctx.random(16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Buffer.from(bytes).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

// Binds a sealed notification to its request: one sealed for another request does not open.
function notificationContext(requestId: string): string {
  return `gatehouse delegation notification ${requestId}`
}

async function readRequest(ctx: SqlContext, requestId: string): Promise<DelegationRequest> {
  const row = await ctx.get<RequestRow>(
    `SELECT ${COLUMNS} FROM delegation_requests WHERE request_id = ?`,
    requestId,
  )
  if (row === undefined) throw new DelegationRequestError('notFound', requestId)
  return toRequest(row)
}

/** The delegation request operations. */
export function delegationRequestOps(ctx: SqlContext): DelegationRequestOps {
  return {
    async createDelegationRequest(input) {
      await ctx.requireAccount(input.requestorAccountId)
      const requestId = newRequestId(ctx)
      const at = input.at.getTime()
      try {
        await ctx.run(
          `INSERT INTO delegation_requests (${COLUMNS})
           VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'UNASSIGNED',
                   NULL, NULL, NULL, ?, ?, ?, NULL)`,
          requestId,
          input.requestorAccountId,
          input.requestorArn,
          input.ownerAccountId,
          input.description,
          input.requestMessage,
          input.requestorWorkflowId,
          input.templateArn,
          writeParameters(input.parameters),
          input.permissionPolicy,
          input.redirectUrl,
          input.notificationChannel,
          input.sessionDuration,
          input.onlySendByOwner ? 1 : 0,
          at,
          at,
          input.expiresAt.getTime(),
        )
      } catch (err) {
        if (ctx.isUniqueViolation(err)) {
          throw new DelegationRequestError('workflowExists', input.requestorWorkflowId)
        }
        throw err
      }
      const open = await ctx.count(
        `SELECT count(*) FROM delegation_requests
         WHERE requestor_account_id = ? AND state IN ${OPEN_STATES} AND expires_at > ?`,
        input.requestorAccountId,
        at,
      )
      // The call's savepoint undoes the insert.
      if (open > OPEN_DELEGATION_REQUESTS_PER_ACCOUNT) {
        throw new DelegationRequestError('limitExceeded', input.requestorAccountId)
      }
      return await readRequest(ctx, requestId)
    },

    async getDelegationRequest(requestId) {
      return await readRequest(ctx, requestId)
    },

    async listDelegationRequests(query, request) {
      const params: SqlValue[] = [query.accountId, query.accountId]
      let filter = ''
      if (query.ownerId !== undefined) {
        filter = ' AND owner_id = ?'
        params.push(query.ownerId)
      }
      return paginate<RequestRow & { sort_key: string }, DelegationRequest>(
        ctx,
        `SELECT ${COLUMNS}, ${ctx.zeroPad('created_at', 15)} || ' ' || request_id AS sort_key
         FROM delegation_requests
         WHERE (requestor_account_id = ? OR (owner_account_id = ? AND owner_id IS NOT NULL))${filter}`,
        params,
        request,
        toRequest,
      )
    },

    async transitionDelegationRequest(requestId, transition) {
      const sets: string[] = ['state = ?', 'updated_at = ?', 'expires_at = ?']
      const params: SqlValue[] = [
        transition.to,
        transition.at.getTime(),
        transition.expiresAt.getTime(),
      ]
      const optional: [string, SqlValue | undefined][] = [
        ['owner_account_id', transition.ownerAccountId],
        ['owner_id', transition.ownerId],
        ['approver_id', transition.approverId],
        ['approver', transition.approver],
        ['notes', transition.notes],
        ['rejection_reason', transition.rejectionReason],
        ['token_hash', transition.tokenHash],
        ['finalized_at', transition.finalizedAt?.getTime()],
      ]
      for (const [column, value] of optional) {
        if (value === undefined) continue
        sets.push(`${column} = ?`)
        params.push(value)
      }
      const from = transition.from.map(() => '?').join(', ')
      const changed = await ctx.run(
        `UPDATE delegation_requests SET ${sets.join(', ')}
         WHERE request_id = ? AND state IN (${from}) AND expires_at > ?`,
        ...params,
        requestId,
        ...transition.from,
        transition.at.getTime(),
      )
      if (changed.changes === 0) {
        await readRequest(ctx, requestId)
        throw new DelegationRequestError('stateChanged', requestId)
      }
      return await readRequest(ctx, requestId)
    },

    async deleteExpiredDelegationRequests(before) {
      // Their notifications go with them (ON DELETE CASCADE).
      const deleted = await ctx.run(
        'DELETE FROM delegation_requests WHERE expires_at < ?',
        before.getTime(),
      )
      return deleted.changes
    },

    async putDelegationNotification(input) {
      await readRequest(ctx, input.requestId)
      await ctx.run(
        `INSERT INTO delegation_notifications (request_id, account_id, topic_arn, message, created_at)
         VALUES (?, ?, ?, ?, ?)`,
        input.requestId,
        input.accountId,
        input.topicArn,
        encryptSecret(ctx.masterKey, input.message, notificationContext(input.requestId)),
        input.at.getTime(),
      )
    },

    async receiveDelegationNotifications(accountId, topicArn, max) {
      const rows = await ctx.all<{
        notification_id: number
        request_id: string
        topic_arn: string
        message: Uint8Array
        created_at: number
      }>(
        `SELECT notification_id, request_id, topic_arn, message, created_at
         FROM delegation_notifications WHERE account_id = ? AND topic_arn = ?
         ORDER BY notification_id ${LIMIT_PARAM}`,
        accountId,
        topicArn,
        max,
      )
      const received: DelegationNotification[] = []
      for (const row of rows) {
        await ctx.run(
          'DELETE FROM delegation_notifications WHERE notification_id = ?',
          row.notification_id,
        )
        received.push({
          notificationId: String(row.notification_id),
          requestId: row.request_id,
          topicArn: row.topic_arn,
          message: decryptSecret(
            ctx.masterKey,
            new Uint8Array(row.message),
            notificationContext(row.request_id),
          ),
          createdAt: new Date(row.created_at),
        })
      }
      return received
    },
  }
}
