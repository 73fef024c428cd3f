/**
 * Delegation requests (temporary access delegation to partners): the store port's operations
 * (StoreTx extends them). A partner's account files a request for permissions in a customer's
 * account; an identity of that account associates it, accepts or rejects it, and releases the
 * exchange token, which the partner trades for credentials (STS GetDelegatedAccessToken).
 *
 * The store keeps what each request is and the state it was last put in, with the time that state
 * expires; that a request whose time has passed is EXPIRED is the service's reading of these rows
 * (the store never writes EXPIRED, so that a read-only call needs no write to see it). The
 * exchange token itself is never stored: only the SHA-256 of its secret part. The notifications a
 * partner has not yet received wait in an outbox, each sealed with the master key, since the one
 * that releases the token carries it.
 */
import { StoreError } from './errors.js'
import type { Page, PageRequest } from './store.js'

/** Every state of a request (the model's stateType). */
export const DELEGATION_REQUEST_STATES = [
  'UNASSIGNED',
  'ASSIGNED',
  'PENDING_APPROVAL',
  'FINALIZED',
  'ACCEPTED',
  'REJECTED',
  'EXPIRED',
] as const

/** A request's state as the API reports it. */
export type DelegationRequestState = (typeof DELEGATION_REQUEST_STATES)[number]

/** The states the store writes: EXPIRED is read off the expiry time instead. */
export type StoredDelegationRequestState = Exclude<DelegationRequestState, 'EXPIRED'>

/**
 * Invented quota: AWS lists LimitExceeded for CreateDelegationRequest without documenting the
 * limit. A partner account may have this many requests that are neither finished (FINALIZED,
 * REJECTED) nor expired, so that one account cannot fill the database.
 */
export const OPEN_DELEGATION_REQUESTS_PER_ACCOUNT = 1000

/** One parameter of a policy template, as the request gave it. */
export interface DelegationPolicyParameter {
  readonly name: string
  readonly values: readonly string[]
  readonly type: 'string' | 'stringList'
}

/** A new request, as CreateDelegationRequest makes it (the store gives it its id). */
export interface NewDelegationRequest {
  readonly requestorAccountId: string
  /** The ARN of the identity that created it. */
  readonly requestorArn: string
  /** The account it is targeted to, or null: any account may associate it. */
  readonly ownerAccountId: string | null
  readonly description: string
  readonly requestMessage: string | null
  /** Unique among the requestor account's requests. */
  readonly requestorWorkflowId: string
  readonly templateArn: string
  readonly parameters: readonly DelegationPolicyParameter[]
  /** The template rendered with the parameters: the policy the customer approves. */
  readonly permissionPolicy: string
  readonly redirectUrl: string | null
  /** The SNS topic ARN the partner's notifications are for. */
  readonly notificationChannel: string
  readonly sessionDuration: number
  readonly onlySendByOwner: boolean
  /** When it was made (its CreateDate). */
  readonly at: Date
  /** When it expires if no one associates it. */
  readonly expiresAt: Date
}

/** A request as stored. */
export interface DelegationRequest {
  /** A UUID (36 characters), the request's only name. */
  readonly requestId: string
  readonly requestorAccountId: string
  readonly requestorArn: string
  readonly ownerAccountId: string | null
  /** The ARN of the identity that associated it. */
  readonly ownerId: string | null
  /** The ARN of the identity that accepted it. */
  readonly approverId: string | null
  /**
   * What the accepting identity was at acceptance (JSON, the service's to read): whose
   * credentials the exchange token yields.
   */
  readonly approver: string | null
  readonly description: string
  readonly requestMessage: string | null
  readonly requestorWorkflowId: string
  readonly templateArn: string
  readonly parameters: readonly DelegationPolicyParameter[]
  readonly permissionPolicy: string
  readonly redirectUrl: string | null
  readonly notificationChannel: string
  readonly sessionDuration: number
  readonly onlySendByOwner: boolean
  /** The state last written (EXPIRED is the service's reading of expiresAt). */
  readonly state: StoredDelegationRequestState
  readonly notes: string | null
  readonly rejectionReason: string | null
  /** SECURITY: the SHA-256 of the exchange token's secret part, once the token is released. */
  readonly tokenHash: Uint8Array | null
  readonly createdAt: Date
  readonly updatedAt: Date
  /** When the current state ends, if nothing moves the request on before. */
  readonly expiresAt: Date
  /** When the exchange token was released: the delegated session's window opens then. */
  readonly finalizedAt: Date | null
}

/** A move from one state to another, with what the move records. */
export interface DelegationRequestTransition {
  /** The states the request may be in for the move; and it must not have expired at `at`. */
  readonly from: readonly StoredDelegationRequestState[]
  readonly to: StoredDelegationRequestState
  readonly at: Date
  readonly expiresAt: Date
  readonly ownerAccountId?: string
  readonly ownerId?: string
  readonly approverId?: string
  readonly approver?: string
  /** Null clears them. */
  readonly notes?: string | null
  readonly rejectionReason?: string | null
  readonly tokenHash?: Uint8Array
  readonly finalizedAt?: Date
}

/** Which requests a listing shows. */
export interface DelegationRequestQuery {
  /**
   * The account that lists: the requests it made, and those an identity of it has associated (a
   * request without an owner is not listed for the account it is targeted to).
   */
  readonly accountId: string
  /** Only the requests whose owner is this ARN. */
  readonly ownerId?: string
}

/** A notification for a partner, waiting to be received. */
export interface DelegationNotification {
  /** Increasing in the order the notifications were made. */
  readonly notificationId: string
  readonly requestId: string
  readonly topicArn: string
  /** SECURITY: the message, which may carry an exchange token; sealed at rest. */
  readonly message: string
  readonly createdAt: Date
}

/** A notification to keep until the partner receives it. */
export interface NewDelegationNotification {
  readonly requestId: string
  /** The partner (requestor) account, the only one that may receive it. */
  readonly accountId: string
  readonly topicArn: string
  /** SECURITY: sealed with the master key before it is written. */
  readonly message: string
  readonly at: Date
}

/** What went wrong with a delegation request. */
export type DelegationRequestFailure =
  /** No request has that id. */
  | 'notFound'
  /** The requestor account has a request of that workflow id. */
  | 'workflowExists'
  /** The requestor account has OPEN_DELEGATION_REQUESTS_PER_ACCOUNT open requests. */
  | 'limitExceeded'
  /** The request is not in a state the move starts from, or has expired. */
  | 'stateChanged'

/**
 * A delegation request operation the store refused. The store's shared vocabulary (./errors.ts)
 * names no delegation request, so this family brings its own error, as workloads do.
 */
export class DelegationRequestError extends StoreError {
  override readonly name = 'DelegationRequestError'

  /**
   * @param reason - what went wrong
   * @param key - the request id, or the workflow id that is taken
   */
  constructor(
    readonly reason: DelegationRequestFailure,
    readonly key: string,
  ) {
    super(`delegation request ${key}: ${reason}`)
  }
}

/** Delegation requests and their notifications. */
export interface DelegationRequestOps {
  /**
   * Makes a request in UNASSIGNED. NotFoundError (requestor account); DelegationRequestError
   * workflowExists, or limitExceeded past OPEN_DELEGATION_REQUESTS_PER_ACCOUNT.
   */
  createDelegationRequest(input: NewDelegationRequest): Promise<DelegationRequest>
  /** By id, whoever asks (the service decides who may see it). DelegationRequestError notFound. */
  getDelegationRequest(requestId: string): Promise<DelegationRequest>
  /** The requests an account sees, oldest first. */
  listDelegationRequests(
    query: DelegationRequestQuery,
    request?: PageRequest,
  ): Promise<Page<DelegationRequest>>
  /**
   * Moves a request to another state if it is in one of `transition.from` and has not expired:
   * DelegationRequestError stateChanged otherwise, notFound if there is no such request.
   */
  transitionDelegationRequest(
    requestId: string,
    transition: DelegationRequestTransition,
  ): Promise<DelegationRequest>
  /**
   * Deletes the requests (and their notifications) whose state expired before `before`: the end
   * of their retention. Returns how many.
   */
  deleteExpiredDelegationRequests(before: Date): Promise<number>
  /** Keeps a notification for the partner. DelegationRequestError notFound for the request. */
  putDelegationNotification(input: NewDelegationNotification): Promise<void>
  /**
   * Takes up to `max` of the oldest notifications for `topicArn` of `accountId`, oldest first:
   * they are removed as they are returned, so each is received once.
   */
  receiveDelegationNotifications(
    accountId: string,
    topicArn: string,
    max: number,
  ): Promise<readonly DelegationNotification[]>
}
