/**
 * IAM delegation requests, the partner's side and the reads: CreateDelegationRequest,
 * GetDelegationRequest and ListDelegationRequests (IAM API reference; IAM User Guide,
 * access_policies-temporary-delegation-partner-guide and temporary-delegation-building-integration).
 *
 * A partner makes a request for the permissions of one of its policy templates, filled with the
 * request's parameters, for SessionDuration seconds, optionally targeted to an account; the
 * customer's decisions follow (delegation-request-decisions.ts). AWS opens CreateDelegationRequest
 * to onboarded partners only; Gatehouse lets any identity allowed iam:CreateDelegationRequest
 * make one, its templates being its own account's customer managed policies
 * (delegation-policy-template.ts).
 */
import { AwsError } from '../../errors/aws-error.js'
import { NotFoundError } from '../../store/errors.js'
import {
  DelegationRequestError,
  OPEN_DELEGATION_REQUESTS_PER_ACCOUNT,
} from '../../store/delegation-requests-ops.js'
import type { DelegationPolicyParameter } from '../../store/delegation-requests-ops.js'
import type { ContextValue } from '../../policy/index.js'
import type { QueryValue } from '../../protocol/query/query-value.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { MANAGED_POLICY_ARN } from './managed-policy-arn.js'
import {
  EXPIRED_RETENTION_MS,
  UNASSIGNED_LIFETIME_MS,
  delegationRequestArn,
  ownerDefaultPolicy,
  requestOwnerKeys,
  visibleRequest,
} from './delegation-request-access.js'
import { renderPolicyTemplate } from './delegation-policy-template.js'
import { delegationRequestXml } from './delegation-request-results.js'
import {
  CREATE_DELEGATION_REQUEST_INPUT,
  GET_DELEGATION_REQUEST_INPUT,
  LIST_DELEGATION_REQUESTS_INPUT,
} from './delegation-request-shapes.js'
import { pageRequest } from './results.js'

type CreateInput = QueryValue<typeof CREATE_DELEGATION_REQUEST_INPUT>

// Invented messages below: AWS's wording for these refusals is not on record.
function invalid(message: string): AwsError {
  return new AwsError('InvalidInput', message)
}

/** `arn:aws:sns:<region>:<account>:<topic>`, a topic name being up to 256 of `[A-Za-z0-9_-]`. */
const SNS_TOPIC_ARN = /^arn:aws:sns:[a-z0-9-]+:([0-9]{12}):[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/

/**
 * The notification channel: "At this time, only SNS topic ARNs are accepted for notification",
 * and the topic is the partner's own ("you must provide the SNS topic ARN in the registered AWS
 * account", temporary-delegation-building-integration).
 */
function checkNotificationChannel(channel: string, accountId: string): void {
  const match = SNS_TOPIC_ARN.exec(channel)
  if (match === null) {
    throw invalid(`NotificationChannel ${channel} is not the ARN of an SNS topic.`)
  }
  if (match[1] !== accountId) {
    throw invalid(`NotificationChannel ${channel} is not a topic of account ${accountId}.`)
  }
}

/** The request's parameters, each with its type ("string" when the request gives none). */
function parametersOf(input: CreateInput): DelegationPolicyParameter[] {
  return (input.Permissions.Parameters ?? []).map((p, i) => {
    if (p.Name === undefined) throw invalid(`Parameter ${i + 1} has no Name.`)
    if (p.Values === undefined) throw invalid(`The parameter ${p.Name} has no Values.`)
    return { name: p.Name, values: p.Values, type: p.Type ?? 'string' }
  })
}

/** The template's text: the default version of a customer managed policy of the partner's. */
async function templateOf(ctx: OperationContext, arn: string): Promise<string> {
  const match = MANAGED_POLICY_ARN.exec(arn)
  const name = match?.[2]
  if (match === null || name === undefined || match[1] !== ctx.caller.accountId) {
    throw invalid(
      `PolicyTemplateArn ${arn} is not the ARN of a customer managed policy of account ${ctx.caller.accountId}.`,
    )
  }
  try {
    const policy = await ctx.tx.getPolicy(ctx.caller.accountId, name)
    if (policy.arn !== arn) throw new NotFoundError('policy', arn)
    return (await ctx.tx.getDefaultPolicyVersion(ctx.caller.accountId, name)).document
  } catch (err) {
    if (err instanceof NotFoundError) throw invalid(`The policy template ${arn} does not exist.`)
    throw err
  }
}

/**
 * CreateDelegationRequest. The request's condition keys are iam:DelegationDuration (the session
 * duration, as a string: the reference gives the key type String), iam:NotificationChannel and
 * iam:TemplateArn. It is authorized on every delegation request of the caller's account, as the
 * new one's id is the store's to give. ConsoleDeepLink is left out: Gatehouse has no console
 * page for a request.
 */
export const CREATE_DELEGATION_REQUEST = defineOperation({
  name: 'CreateDelegationRequest',
  action: 'iam:CreateDelegationRequest',
  input: CREATE_DELEGATION_REQUEST_INPUT,
  resource: (_input, ctx) => delegationRequestArn(ctx.caller.accountId, '*'),
  conditionKeys: (input) => {
    const keys: Record<string, ContextValue> = {
      'iam:DelegationDuration': String(input.SessionDuration),
      'iam:NotificationChannel': input.NotificationChannel,
    }
    const template = input.Permissions.PolicyTemplateArn
    if (template !== undefined) keys['iam:TemplateArn'] = template
    return keys
  },
  async handle(input, ctx) {
    const accountId = ctx.caller.accountId
    checkNotificationChannel(input.NotificationChannel, accountId)
    const templateArn = input.Permissions.PolicyTemplateArn
    if (templateArn === undefined) {
      throw invalid('Permissions must name a PolicyTemplateArn: a request delegates a template.')
    }
    const parameters = parametersOf(input)
    const permissionPolicy = renderPolicyTemplate(
      templateArn,
      await templateOf(ctx, templateArn),
      parameters,
    )
    await ctx.tx.deleteExpiredDelegationRequests(new Date(ctx.now.getTime() - EXPIRED_RETENTION_MS))
    try {
      const created = await ctx.tx.createDelegationRequest({
        requestorAccountId: accountId,
        requestorArn: ctx.caller.arn,
        ownerAccountId: input.OwnerAccountId ?? null,
        description: input.Description,
        requestMessage: input.RequestMessage ?? null,
        requestorWorkflowId: input.RequestorWorkflowId,
        templateArn,
        parameters,
        permissionPolicy,
        redirectUrl: input.RedirectUrl ?? null,
        notificationChannel: input.NotificationChannel,
        sessionDuration: input.SessionDuration,
        onlySendByOwner: input.OnlySendByOwner ?? false,
        at: ctx.now,
        expiresAt: new Date(ctx.now.getTime() + UNASSIGNED_LIFETIME_MS),
      })
      return { DelegationRequestId: created.requestId }
    } catch (err) {
      if (err instanceof DelegationRequestError && err.reason === 'workflowExists') {
        // "IAM maintains a uniqueness check on this workflow id for each request - if a workflow
        // id for an existing request is passed, this API call will fail." Invented message.
        throw new AwsError(
          'EntityAlreadyExists',
          `A delegation request with workflow id ${input.RequestorWorkflowId} already exists.`,
        )
      }
      if (err instanceof DelegationRequestError && err.reason === 'limitExceeded') {
        // IAM's quota wording; the quota itself is Gatehouse's (OPEN_DELEGATION_REQUESTS_PER_ACCOUNT).
        throw new AwsError(
          'LimitExceeded',
          `Cannot exceed quota for OpenDelegationRequests: ${OPEN_DELEGATION_REQUESTS_PER_ACCOUNT}`,
        )
      }
      throw err
    }
  },
})

/**
 * GetDelegationRequest, for the partner's account, the owner account, and any account while the
 * request is neither targeted nor associated. DelegationPermissionCheck asks for an asynchronous
 * check that "does not guarantee an answer in the response": Gatehouse does not run one, so the
 * response has no PermissionCheckStatus or PermissionCheckResult.
 */
export const GET_DELEGATION_REQUEST = defineOperation({
  name: 'GetDelegationRequest',
  action: 'iam:GetDelegationRequest',
  input: GET_DELEGATION_REQUEST_INPUT,
  resource: (input, ctx) => delegationRequestArn(ctx.caller.accountId, input.DelegationRequestId),
  conditionKeys: (input, ctx) => requestOwnerKeys(ctx, input.DelegationRequestId),
  resourcePolicy: (input, ctx) =>
    ownerDefaultPolicy(ctx, input.DelegationRequestId, 'iam:GetDelegationRequest'),
  async handle(input, ctx) {
    const request = await visibleRequest(ctx, input.DelegationRequestId)
    return { DelegationRequest: delegationRequestXml(request, ctx.now) }
  },
})

/**
 * ListDelegationRequests: the requests the caller's account made, and those an identity of it has
 * associated ("If a delegation request has no owner, even if it is assigned to a specific account,
 * it will not be part of the ListDelegationRequests output for that account"), oldest first;
 * OwnerId keeps those of one owner, and is the iam:DelegationRequestOwner condition key. The
 * reference gives the action no resource type: it is authorized on `*`. The model names the flag
 * `isTruncated`, in lower camel case.
 */
export const LIST_DELEGATION_REQUESTS = defineOperation({
  name: 'ListDelegationRequests',
  action: 'iam:ListDelegationRequests',
  input: LIST_DELEGATION_REQUESTS_INPUT,
  resource: () => '*',
  conditionKeys: (input) =>
    input.OwnerId === undefined ? {} : { 'iam:DelegationRequestOwner': input.OwnerId },
  async handle(input, ctx) {
    const page = await ctx.tx.listDelegationRequests(
      {
        accountId: ctx.caller.accountId,
        ...(input.OwnerId === undefined ? {} : { ownerId: input.OwnerId }),
      },
      pageRequest(input),
    )
    return {
      DelegationRequests: page.items.map((r) => delegationRequestXml(r, ctx.now)),
      Marker: page.marker ?? undefined,
      isTruncated: page.marker !== null,
    }
  },
})
