/**
 * The customer's side of a delegation request: AssociateDelegationRequest,
 * UpdateDelegationRequest, AcceptDelegationRequest, RejectDelegationRequest and
 * SendDelegationToken, each moving the request along AWS's lifecycle (IAM User Guide,
 * temporary-delegation-building-integration, "State Transitions"):
 *
 *   UNASSIGNED -> ASSIGNED                      AssociateDelegationRequest
 *   ASSIGNED -> PENDING_APPROVAL                UpdateDelegationRequest ("forwards to administrator")
 *   ASSIGNED | PENDING_APPROVAL -> ACCEPTED     AcceptDelegationRequest
 *   ASSIGNED | PENDING_APPROVAL | ACCEPTED -> REJECTED   RejectDelegationRequest
 *   ACCEPTED -> FINALIZED                       SendDelegationToken
 *
 * and leaving a notification for the partner at each step (delegation-notifications.ts). A
 * request in another state, or expired, is refused with ConcurrentModification. Only identities
 * of the owner account decide; OnlySendByOwner keeps SendDelegationToken to the identity that
 * associated the request.
 *
 * AWS grants the owner some of these calls by default ("Once a delegation request has an owner,
 * that owner gets a default permission to update the delegation request"). Gatehouse authorizes
 * every call by the caller's policies alone: an identity needs the action allowed like any other.
 */
import { AwsError } from '../../errors/aws-error.js'
import type {
  DelegationRequest,
  DelegationRequestTransition,
  StoredDelegationRequestState,
} from '../../store/delegation-requests-ops.js'
import type { QueryValue } from '../../protocol/query/query-value.js'
import { defineOperation } from '../operation.js'
import type { Operation, OperationContext } from '../operation.js'
import { approvedByRoot, approverOf, writeApprover } from './delegation-approver.js'
import {
  ROOT_MAX_DELEGATION_SECONDS,
  STATE_LIFETIME_MS,
  decisionFailure,
  delegationRequestArn,
  requestOwnerKeys,
  requireOwnerAccount,
  requireState,
  visibleRequest,
} from './delegation-request-access.js'
import type { DelegationDecision } from './delegation-request-access.js'
import { newExchangeToken } from './delegation-exchange-token.js'
import { notifyPartner } from './delegation-notifications.js'
import { REQUEST_ID_AND_NOTES_INPUT, REQUEST_ID_INPUT } from './delegation-request-shapes.js'

/** Seven days from now: how long a request stays in the state a decision puts it in. */
function stateEnd(ctx: OperationContext): Date {
  return new Date(ctx.now.getTime() + STATE_LIFETIME_MS)
}

/** What a partner's notification says besides the request's new state. */
type NotificationExtra = Parameters<typeof notifyPartner>[3]

/** What one decision does once the request is found, in a state it starts from, and owned. */
interface DecisionOutcome {
  /** What the move writes besides its states and time. */
  readonly write: Omit<DelegationRequestTransition, 'from' | 'to' | 'at'>
  /**
   * What the partner's notification adds, from the moved request; false for a move the partner
   * is not told of. Without it, the partner is told the new state alone.
   */
  readonly notify?: false | ((moved: DelegationRequest) => NotificationExtra)
}

/** The input of a decision: the request's id, and Notes for some. */
type DecisionInput = typeof REQUEST_ID_INPUT | typeof REQUEST_ID_AND_NOTES_INPUT

/** One decision: its operation, and the step of the lifecycle it takes. */
interface DecisionSpec<S extends DecisionInput> {
  readonly name: string
  readonly action: string
  readonly input: S
  readonly decision: DelegationDecision
  readonly from: readonly StoredDelegationRequestState[]
  readonly to: StoredDelegationRequestState
  /**
   * Whether an identity of any account may take it while the request has no owner account:
   * AssociateDelegationRequest, which gives it one.
   */
  readonly anyAccountUntilOwned?: boolean
  /** The decision's own checks, and what it writes and tells. */
  readonly decide: (
    request: DelegationRequest,
    input: QueryValue<S>,
    ctx: OperationContext,
  ) => DecisionOutcome
}

/**
 * A decision operation: authorized on the request with its owner's condition key; the request must
 * be one the caller sees, in a state the decision starts from, and the caller of its owner
 * account; then the move is written, with the store's refusals as IAM words them, and the partner
 * notified. It answers nothing.
 */
function decisionOperation<S extends DecisionInput>(spec: DecisionSpec<S>): Operation {
  return defineOperation<S>({
    name: spec.name,
    action: spec.action,
    input: spec.input,
    resource: (input, ctx) => delegationRequestArn(ctx.caller.accountId, input.DelegationRequestId),
    conditionKeys: (input, ctx) => requestOwnerKeys(ctx, input.DelegationRequestId),
    async handle(input, ctx) {
      const request = await visibleRequest(ctx, input.DelegationRequestId)
      requireState(request, ctx.now, spec.from, spec.decision)
      if (!(spec.anyAccountUntilOwned === true && request.ownerAccountId === null)) {
        requireOwnerAccount(request, ctx.caller, spec.decision)
      }
      const { write, notify } = spec.decide(request, input, ctx)
      let moved: DelegationRequest
      try {
        moved = await ctx.tx.transitionDelegationRequest(request.requestId, {
          ...write,
          from: spec.from,
          to: spec.to,
          at: ctx.now,
        })
      } catch (err) {
        throw decisionFailure(err, request.requestId)
      }
      if (notify !== false) await notifyPartner(ctx, moved, spec.to, notify?.(moved))
      return undefined
    },
  })
}

/**
 * AssociateDelegationRequest: the caller becomes the request's owner (OwnerId, its ARN) and its
 * account the owner account, which must be the one the request is targeted to, if any.
 */
export const ASSOCIATE_DELEGATION_REQUEST = decisionOperation({
  name: 'AssociateDelegationRequest',
  action: 'iam:AssociateDelegationRequest',
  input: REQUEST_ID_INPUT,
  decision: 'associate',
  from: ['UNASSIGNED'],
  to: 'ASSIGNED',
  anyAccountUntilOwned: true,
  decide: (_request, _input, ctx) => ({
    write: {
      expiresAt: stateEnd(ctx),
      ownerAccountId: ctx.caller.accountId,
      ownerId: ctx.caller.arn,
    },
  }),
})

/**
 * UpdateDelegationRequest: forwards the request for approval ("When the delegation request is
 * updated, it reaches the PENDING_APPROVAL state"), with Notes in place of any it had; without
 * Notes the notes stay. An update of a request already pending approval does not restart its
 * seven days, and the partner is not told of it again.
 */
export const UPDATE_DELEGATION_REQUEST = decisionOperation({
  name: 'UpdateDelegationRequest',
  action: 'iam:UpdateDelegationRequest',
  input: REQUEST_ID_AND_NOTES_INPUT,
  decision: 'update',
  from: ['ASSIGNED', 'PENDING_APPROVAL'],
  to: 'PENDING_APPROVAL',
  decide: (request, input, ctx) => {
    const forwarded = request.state === 'ASSIGNED'
    return {
      write: {
        expiresAt: forwarded ? stateEnd(ctx) : request.expiresAt,
        ...(input.Notes === undefined ? {} : { notes: input.Notes }),
      },
      ...(forwarded ? {} : { notify: false }),
    }
  },
})

/**
 * AcceptDelegationRequest: records the caller as the approver (ApproverId) and what it is, whose
 * credentials the exchange token will yield (delegation-approver.ts). The root user may accept a
 * request of four hours at most.
 */
export const ACCEPT_DELEGATION_REQUEST = decisionOperation({
  name: 'AcceptDelegationRequest',
  action: 'iam:AcceptDelegationRequest',
  input: REQUEST_ID_INPUT,
  decision: 'accept',
  from: ['ASSIGNED', 'PENDING_APPROVAL'],
  to: 'ACCEPTED',
  decide: (request, _input, ctx) => {
    const approver = approverOf(ctx.caller, ctx.now)
    if (approvedByRoot(approver) && request.sessionDuration > ROOT_MAX_DELEGATION_SECONDS) {
      // The IAM User Guide's rule, in its words; AWS's own message is not on record.
      throw new AwsError(
        'AccessDenied',
        'Root users can only approve delegation requests with a duration of 4 hours or less. Use a non-root identity to approve this request.',
      )
    }
    return {
      write: {
        expiresAt: stateEnd(ctx),
        approverId: approver.arn,
        approver: writeApprover(approver),
      },
    }
  },
})

/**
 * RejectDelegationRequest: "Once a request is rejected, it cannot be accepted or updated later.
 * Rejected requests expire after 7 days"; Notes become its RejectionReason. An accepted request
 * may be rejected until its token is sent.
 */
export const REJECT_DELEGATION_REQUEST = decisionOperation({
  name: 'RejectDelegationRequest',
  action: 'iam:RejectDelegationRequest',
  input: REQUEST_ID_AND_NOTES_INPUT,
  decision: 'reject',
  from: ['ASSIGNED', 'PENDING_APPROVAL', 'ACCEPTED'],
  to: 'REJECTED',
  decide: (_request, input, ctx) => ({
    write: { expiresAt: stateEnd(ctx), rejectionReason: input.Notes ?? null },
    notify: (moved) => ({ rejectionReason: moved.rejectionReason }),
  }),
})

/**
 * SendDelegationToken: releases the exchange token of an accepted request ("After the
 * SendDelegationToken API call is successful, the request transitions to a FINALIZED state and
 * cannot be rolled back"). The token goes to the partner alone, in its notification; the call
 * answers nothing, as the model says, and the server keeps only the token's hash. The delegated
 * session's window opens now and lasts SessionDuration ("The active time window for the session
 * starts when the customer calls the SendDelegationToken API").
 */
export const SEND_DELEGATION_TOKEN = decisionOperation({
  name: 'SendDelegationToken',
  action: 'iam:SendDelegationToken',
  input: REQUEST_ID_INPUT,
  decision: 'send',
  from: ['ACCEPTED'],
  to: 'FINALIZED',
  decide: (request, _input, ctx) => {
    if (request.onlySendByOwner && request.ownerId !== ctx.caller.arn) {
      // "This flag prevents any party other than the owner from calling SendDelegationToken API
      // for this delegation request." Invented message.
      throw new AwsError(
        'AccessDenied',
        `Only the owner of delegation request ${request.requestId}, ${request.ownerId ?? ''}, can send its exchange token.`,
      )
    }
    const { token, hash } = newExchangeToken(request.requestId)
    return {
      write: { expiresAt: stateEnd(ctx), tokenHash: hash, finalizedAt: ctx.now },
      notify: () => ({ exchangeToken: token }),
    }
  },
})
