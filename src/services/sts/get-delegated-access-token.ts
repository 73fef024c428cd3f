/**
 * STS GetDelegatedAccessToken: the partner trades a delegation request's exchange token (the
 * TradeInToken its notification carried) for temporary credentials "with the permissions
 * associated with the assumed principal": the identity that accepted the request, limited by the
 * request's policy (delegation-approver.ts). AssumedPrincipal is that identity's ARN.
 *
 * The token works for the partner alone: the call must come from the account that made the
 * request. It works while the delegated session's window is open: from SendDelegationToken for
 * SessionDuration seconds ("The delegation period (exchange token validity) begins when the
 * request reaches Finalized state"), and may be traded more than once in it; each time, the
 * credentials expire when the window closes. After that, ExpiredTradeInTokenException. A token
 * that is not one, or not this account's, is answered as AWS answers a token it does not know:
 * ValidationError "Invalid trade-in token" (AWS's answer to a made-up token, as reported by a
 * public write-up of the API's behaviour; the model lists no error for it).
 *
 * The reference gives sts:GetDelegatedAccessToken no resource type: it is authorized on `*`.
 * PackedPolicySize is deprecated and "not populated for GetDelegatedAccessToken".
 */
import { AwsError } from '../../errors/aws-error.js'
import { DelegationRequestError } from '../../store/delegation-requests-ops.js'
import type { DelegationRequest } from '../../store/delegation-requests-ops.js'
import { delegatedSession, readApprover } from '../iam/delegation-approver.js'
import { currentState } from '../iam/delegation-request-access.js'
import { exchangeSecretMatches, parseExchangeToken } from '../iam/delegation-exchange-token.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { issueCredentials } from './issue-credentials.js'
import { required } from './shapes.js'

const INPUT = {
  kind: 'structure',
  members: {
    // tradeInTokenType: no constraint but its sensitivity.
    TradeInToken: required({ kind: 'string', sensitive: true }),
  },
} as const

function invalidToken(): AwsError {
  return new AwsError('ValidationError', 'Invalid trade-in token')
}

/** The request a token is for, if the token is this account's and its secret matches. */
async function requestOf(ctx: OperationContext, token: string): Promise<DelegationRequest> {
  const parsed = parseExchangeToken(token)
  if (parsed === undefined) throw invalidToken()
  let request: DelegationRequest
  try {
    request = await ctx.tx.getDelegationRequest(parsed.requestId)
  } catch (err) {
    if (err instanceof DelegationRequestError && err.reason === 'notFound') throw invalidToken()
    throw err
  }
  // SECURITY: the secret is compared (in constant time) whoever calls, so that a wrong account and
  // a wrong secret take the same path.
  const matches =
    request.tokenHash !== null && exchangeSecretMatches(parsed.secret, request.tokenHash)
  if (!matches || request.requestorAccountId !== ctx.caller.accountId) throw invalidToken()
  return request
}

/** GetDelegatedAccessToken. */
export const GET_DELEGATED_ACCESS_TOKEN = defineOperation({
  name: 'GetDelegatedAccessToken',
  action: 'sts:GetDelegatedAccessToken',
  input: INPUT,
  resource: () => '*',
  async handle(input, ctx) {
    const request = await requestOf(ctx, input.TradeInToken)
    const end = (request.finalizedAt?.getTime() ?? 0) + request.sessionDuration * 1000
    const remaining = Math.floor((end - Math.floor(ctx.now.getTime() / 1000) * 1000) / 1000)
    if (currentState(request, ctx.now) !== 'FINALIZED' || remaining < 1) {
      // Invented message, after the model's description of the error.
      throw new AwsError(
        'ExpiredTradeInTokenException',
        'The trade-in token has expired and can no longer be exchanged for credentials.',
      )
    }
    const approver = request.approver === null ? undefined : readApprover(request.approver)
    if (approver === undefined) {
      throw new Error(`delegation request ${request.requestId} has no readable approver`)
    }
    const credentials = issueCredentials(
      ctx,
      delegatedSession(approver, request.requestId, request.permissionPolicy),
      remaining,
      // Counted from the approver's session, however often the token is traded.
      { sessionStart: approver.issuedAt },
    )
    return { Credentials: credentials, AssumedPrincipal: approver.arn }
  },
})
