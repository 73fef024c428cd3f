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
} from '../../store/delegation-requests-ops.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
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
import { newExchangeToken } from './delegation-exchange-token.js'
import { notifyPartner } from './delegation-notifications.js'
import { REQUEST_ID_AND_NOTES_INPUT, REQUEST_ID_INPUT } from './delegation-request-shapes.js'

/** Writes a move, with the store's refusals as IAM words them. */
async function move(
  ctx: OperationContext,
  requestId: string,
  transition: Omit<DelegationRequestTransition, 'at'>,
): Promise<DelegationRequest> {
  try {
    return await ctx.tx.transitionDelegationRequest(requestId, { ...transition, at: ctx.now })
  } catch (err) {
    throw decisionFailure(err, requestId)
  }
}

/** Seven days from now: how long a request stays in the state a decision puts it in. */
function stateEnd(ctx: OperationContext): Date {
  return new Date(ctx.now.getTime() + STATE_LIFETIME_MS)
}

/**
 * AssociateDelegationRequest: the caller becomes the request's owner (OwnerId, its ARN) and its
 * account the owner account, which must be the one the request is targeted to, if any.
 */
export const ASSOCIATE_DELEGATION_REQUEST = defineOperation({
  name: 'AssociateDelegationRequest',
  action: 'iam:AssociateDelegationRequest',
  input: REQUEST_ID_INPUT,
  resource: (input, ctx) => delegationRequestArn(ctx.caller.accountId, input.DelegationRequestId),
  conditionKeys: (input, ctx) => requestOwnerKeys(ctx, input.DelegationRequestId),
  async handle(input, ctx) {
    const request = await visibleRequest(ctx, input.DelegationRequestId)
    requireState(request, ctx.now, ['UNASSIGNED'], 'associate')
    if (request.ownerAccountId !== null) requireOwnerAccount(request, ctx.caller, 'associate')
    const moved = await move(ctx, request.requestId, {
      from: ['UNASSIGNED'],
      to: 'ASSIGNED',
      expiresAt: stateEnd(ctx),
      ownerAccountId: ctx.caller.accountId,
      ownerId: ctx.caller.arn,
    })
    await notifyPartner(ctx, moved, 'ASSIGNED')
    return undefined
  },
})

/**
 * UpdateDelegationRequest: forwards the request for approval ("When the delegation request is
 * updated, it reaches the PENDING_APPROVAL state"), with Notes in place of any it had; without
 * Notes the notes stay. An update of a request already pending approval does not restart its
 * seven days.
 */
export const UPDATE_DELEGATION_REQUEST = defineOperation({
  name: 'UpdateDelegationRequest',
  action: 'iam:UpdateDelegationRequest',
  input: REQUEST_ID_AND_NOTES_INPUT,
  resource: (input, ctx) => delegationRequestArn(ctx.caller.accountId, input.DelegationRequestId),
  conditionKeys: (input, ctx) => requestOwnerKeys(ctx, input.DelegationRequestId),
  async handle(input, ctx) {
    const request = await visibleRequest(ctx, input.DelegationRequestId)
    requireState(request, ctx.now, ['ASSIGNED', 'PENDING_APPROVAL'], 'update')
    requireOwnerAccount(request, ctx.caller, 'update')
    const forwarded = request.state === 'ASSIGNED'
    const moved = await move(ctx, request.requestId, {
      from: ['ASSIGNED', 'PENDING_APPROVAL'],
      to: 'PENDING_APPROVAL',
      expiresAt: forwarded ? stateEnd(ctx) : request.expiresAt,
      ...(input.Notes === undefined ? {} : { notes: input.Notes }),
    })
    if (forwarded) await notifyPartner(ctx, moved, 'PENDING_APPROVAL')
    return undefined
  },
})

/**
 * AcceptDelegationRequest: records the caller as the approver (ApproverId) and what it is, whose
 * credentials the exchange token will yield (delegation-approver.ts). The root user may accept a
 * request of four hours at most.
 */
export const ACCEPT_DELEGATION_REQUEST = defineOperation({
  name: 'AcceptDelegationRequest',
  action: 'iam:AcceptDelegationRequest',
  input: REQUEST_ID_INPUT,
  resource: (input, ctx) => delegationRequestArn(ctx.caller.accountId, input.DelegationRequestId),
  conditionKeys: (input, ctx) => requestOwnerKeys(ctx, input.DelegationRequestId),
  async handle(input, ctx) {
    const request = await visibleRequest(ctx, input.DelegationRequestId)
    requireState(request, ctx.now, ['ASSIGNED', 'PENDING_APPROVAL'], 'accept')
    requireOwnerAccount(request, ctx.caller, 'accept')
    const approver = approverOf(ctx.caller, ctx.now)
    if (approvedByRoot(approver) && request.sessionDuration > ROOT_MAX_DELEGATION_SECONDS) {
      // The IAM User Guide's rule, in its words; AWS's own message is not on record.
      throw new AwsError(
        'AccessDenied',
        'Root users can only approve delegation requests with a duration of 4 hours or less. Use a non-root identity to approve this request.',
      )
    }
    const moved = await move(ctx, request.requestId, {
      from: ['ASSIGNED', 'PENDING_APPROVAL'],
      to: 'ACCEPTED',
      expiresAt: stateEnd(ctx),
      approverId: approver.arn,
      approver: writeApprover(approver),
    })
    await notifyPartner(ctx, moved, 'ACCEPTED')
    return undefined
  },
})

/**
 * RejectDelegationRequest: "Once a request is rejected, it cannot be accepted or updated later.
 * Rejected requests expire after 7 days"; Notes become its RejectionReason. An accepted request
 * may be rejected until its token is sent.
 */
export const REJECT_DELEGATION_REQUEST = defineOperation({
  name: 'RejectDelegationRequest',
  action: 'iam:RejectDelegationRequest',
  input: REQUEST_ID_AND_NOTES_INPUT,
  resource: (input, ctx) => delegationRequestArn(ctx.caller.accountId, input.DelegationRequestId),
  conditionKeys: (input, ctx) => requestOwnerKeys(ctx, input.DelegationRequestId),
  async handle(input, ctx) {
    const request = await visibleRequest(ctx, input.DelegationRequestId)
    const from = ['ASSIGNED', 'PENDING_APPROVAL', 'ACCEPTED'] as const
    requireState(request, ctx.now, from, 'reject')
    requireOwnerAccount(request, ctx.caller, 'reject')
    const moved = await move(ctx, request.requestId, {
      from,
      to: 'REJECTED',
      expiresAt: stateEnd(ctx),
      rejectionReason: input.Notes ?? null,
    })
    await notifyPartner(ctx, moved, 'REJECTED', { rejectionReason: moved.rejectionReason })
    return undefined
  },
})

/**
 * SendDelegationToken: releases the exchange token of an accepted request ("After the
 * SendDelegationToken API call is successful, the request transitions to a FINALIZED state and
 * cannot be rolled back"). The token goes to the partner alone, in its notification; the call
 * answers nothing, as the model says, and the server keeps only the token's hash. The delegated
 * session's window opens now and lasts SessionDuration ("The active time window for the session
 * starts when the customer calls the SendDelegationToken API").
 */
export const SEND_DELEGATION_TOKEN = defineOperation({
  name: 'SendDelegationToken',
  action: 'iam:SendDelegationToken',
  input: REQUEST_ID_INPUT,
  resource: (input, ctx) => delegationRequestArn(ctx.caller.accountId, input.DelegationRequestId),
  conditionKeys: (input, ctx) => requestOwnerKeys(ctx, input.DelegationRequestId),
  async handle(input, ctx) {
    const request = await visibleRequest(ctx, input.DelegationRequestId)
    requireState(request, ctx.now, ['ACCEPTED'], 'send')
    requireOwnerAccount(request, ctx.caller, 'send')
    if (request.onlySendByOwner && request.ownerId !== ctx.caller.arn) {
      // "This flag prevents any party other than the owner from calling SendDelegationToken API
      // for this delegation request." Invented message.
      throw new AwsError(
        'AccessDenied',
        `Only the owner of delegation request ${request.requestId}, ${request.ownerId ?? ''}, can send its exchange token.`,
      )
    }
    const { token, hash } = newExchangeToken(request.requestId)
    const moved = await move(ctx, request.requestId, {
      from: ['ACCEPTED'],
      to: 'FINALIZED',
      expiresAt: stateEnd(ctx),
      tokenHash: hash,
      finalizedAt: ctx.now,
    })
    await notifyPartner(ctx, moved, 'FINALIZED', { exchangeToken: token })
    return undefined
  },
})
