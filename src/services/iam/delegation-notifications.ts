/**
 * What IAM tells a partner about its delegation requests. AWS publishes "messages for important
 * events, including when a customer approves or rejects a request and when the exchange token is
 * ready" to the partner's SNS topic, the request's NotificationChannel, and sends the token itself
 * that way: "The exchange token is sent to the partner via an asynchronous notification channel,
 * established by the partner" (SendDelegationToken; IAM User Guide,
 * temporary-delegation-building-integration).
 *
 * Gatehouse has no SNS. Each notification is kept, sealed, for the partner's account to receive
 * through Gatehouse's own API (ReceiveDelegationNotifications, receive-delegation-notifications.ts),
 * once. The message is Gatehouse's JSON (AWS does not document its payload): the request's id and
 * workflow id, the state it reached and when, and, for FINALIZED, the exchange token; a rejection
 * carries its reason.
 */
import type {
  DelegationRequest,
  StoredDelegationRequestState,
} from '../../store/delegation-requests-ops.js'
import type { OperationContext } from '../operation.js'

/** A notification's message, as the partner receives it. */
export interface DelegationNotificationMessage {
  readonly DelegationRequestId: string
  readonly RequestorWorkflowId: string
  readonly State: StoredDelegationRequestState
  /** ISO 8601. */
  readonly Timestamp: string
  readonly OwnerAccountId?: string
  readonly RejectionReason?: string
  /** SECURITY: the exchange token, in the notification of a FINALIZED request only. */
  readonly ExchangeToken?: string
}

/** Keeps a notification of the request reaching `state` for its partner. */
export async function notifyPartner(
  ctx: Pick<OperationContext, 'tx' | 'now'>,
  request: DelegationRequest,
  state: StoredDelegationRequestState,
  extra: { readonly rejectionReason?: string | null; readonly exchangeToken?: string } = {},
): Promise<void> {
  const message: DelegationNotificationMessage = {
    DelegationRequestId: request.requestId,
    RequestorWorkflowId: request.requestorWorkflowId,
    State: state,
    Timestamp: ctx.now.toISOString(),
    ...(request.ownerAccountId === null ? {} : { OwnerAccountId: request.ownerAccountId }),
    ...(extra.rejectionReason === undefined || extra.rejectionReason === null
      ? {}
      : { RejectionReason: extra.rejectionReason }),
    ...(extra.exchangeToken === undefined ? {} : { ExchangeToken: extra.exchangeToken }),
  }
  await ctx.tx.putDelegationNotification({
    requestId: request.requestId,
    accountId: request.requestorAccountId,
    topicArn: request.notificationChannel,
    message: JSON.stringify(message),
    at: ctx.now,
  })
}
