/**
 * Who may see and act on a delegation request, when its states expire, and the store's failures
 * as IAM words them.
 *
 * Visibility (GetDelegationRequest, AssociateDelegationRequest): "If a delegation request has no
 * owner or owner account, GetDelegationRequest for that delegation request can be called by any
 * account. If the owner account is assigned but there is no owner id, only identities within that
 * owner account can call GetDelegationRequest"; the partner's own account sees the requests it
 * made. Any other account is answered as if the request did not exist.
 *
 * Lifetimes (IAM User Guide, temporary-delegation-building-integration, "Expiration Path"): an
 * unassigned request expires after a day; one assigned, pending approval, accepted, rejected or
 * finalized after seven days in that state. An expired request is EXPIRED whatever it was, and
 * nothing moves it on.
 */
import type { Caller } from '../../auth/caller.js'
import { AwsError } from '../../errors/aws-error.js'
import { DelegationRequestError } from '../../store/delegation-requests-ops.js'
import type {
  DelegationRequest,
  DelegationRequestState,
  StoredDelegationRequestState,
} from '../../store/delegation-requests-ops.js'
import type { ContextValue } from '../../policy/index.js'
import type { OperationContext, ResourcePolicy } from '../operation.js'

const DAY_MS = 86_400_000

/** How long a request waits to be associated. */
export const UNASSIGNED_LIFETIME_MS = DAY_MS

/** How long a request stays in any later state. */
export const STATE_LIFETIME_MS = 7 * DAY_MS

/**
 * Invented retention: "Expired requests are eventually deleted from the system after a retention
 * period" (AWS gives no figure). Gatehouse deletes them this long after they expire.
 */
export const EXPIRED_RETENTION_MS = 30 * DAY_MS

/**
 * "Root users can only approve delegation requests with a duration of 4 hours or less" (IAM User
 * Guide, access_policies-temporary-delegation).
 */
export const ROOT_MAX_DELEGATION_SECONDS = 14_400

/** The state a request is in at `now`: the one last written, unless its time has passed. */
export function currentState(request: DelegationRequest, now: Date): DelegationRequestState {
  return now.getTime() >= request.expiresAt.getTime() ? 'EXPIRED' : request.state
}

/**
 * The ARN a request is authorized on: the delegation-request resource type of the Service
 * Authorization Reference, in the caller's account, where IAM names every resource a call acts
 * on, so that a customer's policies and a partner's each name the requests they deal with in
 * their own account.
 */
export function delegationRequestArn(accountId: string, requestId: string): string {
  return `arn:aws:iam::${accountId}:delegation-request/${requestId}`
}

const DELEGATION_REQUEST_ARN = /^arn:aws:iam::([0-9]{12}):delegation-request\/([\w-]{16,128})$/

/** The account and id a delegation request ARN names, or undefined for any other text. */
export function parseDelegationRequestArn(
  arn: string,
): { readonly accountId: string; readonly requestId: string } | undefined {
  const match = DELEGATION_REQUEST_ARN.exec(arn)
  if (match === null) return undefined
  const [, accountId, requestId] = match as unknown as [string, string, string]
  return { accountId, requestId }
}

/** NoSuchEntity for a request the caller cannot see, or that is not there. */
export function requestNotFound(requestId: string): AwsError {
  // Invented message, in the wording of IAM's other NoSuchEntity errors.
  return new AwsError(
    'NoSuchEntity',
    `The delegation request with id ${requestId} cannot be found.`,
  )
}

/** Whether an identity of `accountId` may see the request. */
export function visibleTo(request: DelegationRequest, accountId: string): boolean {
  return (
    request.requestorAccountId === accountId ||
    request.ownerAccountId === null ||
    request.ownerAccountId === accountId
  )
}

/** The request, if the caller may see it; NoSuchEntity otherwise. */
export async function visibleRequest(
  ctx: OperationContext,
  requestId: string,
): Promise<DelegationRequest> {
  let request: DelegationRequest
  try {
    request = await ctx.tx.getDelegationRequest(requestId)
  } catch (err) {
    if (err instanceof DelegationRequestError && err.reason === 'notFound') {
      throw requestNotFound(requestId)
    }
    throw err
  }
  if (!visibleTo(request, ctx.caller.accountId)) throw requestNotFound(requestId)
  return request
}

/**
 * The request's condition keys for the caller: iam:DelegationRequestOwner, the owner's ARN, once
 * it has one. Nothing for a request the caller cannot see: the call is then authorized as for
 * any request, and answered NoSuchEntity after.
 */
export async function requestOwnerKeys(
  ctx: OperationContext,
  requestId: string,
): Promise<Record<string, ContextValue>> {
  try {
    const request = await ctx.tx.getDelegationRequest(requestId)
    if (!visibleTo(request, ctx.caller.accountId) || request.ownerId === null) return {}
    return { 'iam:DelegationRequestOwner': request.ownerId }
  } catch (err) {
    if (err instanceof DelegationRequestError && err.reason === 'notFound') return {}
    throw err
  }
}

/**
 * The owner's default permission on a request, as a resource-based policy of the request: "Once
 * the delegation request is fully owned, the owner of the request gets a default permission to
 * get that delegation request" (IAM API reference, GetDelegationRequest). It names the owner's ARN
 * as the principal, so it grants the owner alone, and a Deny of the owner's own policies still
 * wins. Null while the request has no owner, or for a caller that cannot see it.
 */
export async function ownerDefaultPolicy(
  ctx: OperationContext,
  requestId: string,
  action: string,
): Promise<ResourcePolicy | null> {
  let request: DelegationRequest
  try {
    request = await ctx.tx.getDelegationRequest(requestId)
  } catch (err) {
    if (err instanceof DelegationRequestError && err.reason === 'notFound') return null
    throw err
  }
  if (!visibleTo(request, ctx.caller.accountId) || request.ownerId === null) return null
  return {
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: request.ownerId },
          Action: action,
          Resource: delegationRequestArn(ctx.caller.accountId, requestId),
        },
      ],
    }),
    label: `delegation-request/${requestId}:owner`,
  }
}

/** A decision on a request, as the messages below name it. */
export type DelegationDecision = 'associate' | 'update' | 'accept' | 'reject' | 'send'

// How the messages below say each decision: "cannot <verb> it" / "can <verb> delegation request".
const VERBS: Readonly<Record<DelegationDecision, string>> = {
  associate: 'associate',
  update: 'update',
  accept: 'accept',
  reject: 'reject',
  send: 'send the exchange token of',
}

// Invented messages: AWS's answers to a request in the wrong state are not on record. The code is
// the one every decision's model lists for a request that changed under the call.
function wrongState(
  requestId: string,
  state: DelegationRequestState,
  decision: DelegationDecision,
): AwsError {
  return new AwsError(
    'ConcurrentModification',
    state === 'EXPIRED'
      ? `The delegation request ${requestId} has expired.`
      : `The delegation request ${requestId} is in state ${state}: no one can ${VERBS[decision]} it.`,
  )
}

/**
 * Checks that the request is, at `now`, in one of the states a decision starts from:
 * ConcurrentModification otherwise.
 */
export function requireState(
  request: DelegationRequest,
  now: Date,
  from: readonly StoredDelegationRequestState[],
  decision: DelegationDecision,
): void {
  const state = currentState(request, now)
  if (state === 'EXPIRED' || !(from as readonly string[]).includes(state)) {
    throw wrongState(request.requestId, state, decision)
  }
}

/**
 * Checks that the caller is an identity of the account that owns the request: only they decide
 * on it ("If the partner that created the delegation request has specified the owner account
 * during creation, only an identity from that owner account can call the
 * AssociateDelegationRequest API", and the same holds once an identity has associated it).
 */
export function requireOwnerAccount(
  request: DelegationRequest,
  caller: Caller,
  decision: DelegationDecision,
): void {
  if (request.ownerAccountId !== null && request.ownerAccountId === caller.accountId) return
  // Invented message: how IAM refuses another account is not on record.
  throw new AwsError(
    'AccessDenied',
    `Only an identity of account ${request.ownerAccountId ?? ''} can ${VERBS[decision]} delegation request ${request.requestId}.`,
  )
}

/**
 * The store's refusals of a move as IAM reports them: a request that expired or changed between
 * the check and the write (which one transaction makes impossible but the store checks all the
 * same), or that is gone.
 */
export function decisionFailure(err: unknown, requestId: string): unknown {
  if (err instanceof DelegationRequestError) {
    if (err.reason === 'notFound') return requestNotFound(requestId)
    if (err.reason === 'stateChanged') {
      // Invented message.
      return new AwsError(
        'ConcurrentModification',
        `The delegation request ${requestId} changed state while it was being updated.`,
      )
    }
  }
  return err
}
