/** The DelegationRequest structure as GetDelegationRequest and ListDelegationRequests return it. */
import type { DelegationRequest } from '../../store/delegation-requests-ops.js'
import { currentState } from './delegation-request-access.js'
import { roleBoundaryArns } from './delegation-policy-template.js'

/** The PolicyParameter structure. */
type PolicyParameterXml = {
  readonly Name: string
  readonly Values: readonly string[]
  readonly Type: string
}

/** The DelegationRequest structure, its members in the model's order. */
export type DelegationRequestXml = {
  readonly DelegationRequestId: string
  readonly OwnerAccountId: string | undefined
  readonly Description: string
  readonly RequestMessage: string | undefined
  readonly Permissions: {
    readonly PolicyTemplateArn: string
    readonly Parameters: readonly PolicyParameterXml[]
  }
  readonly PermissionPolicy: string
  readonly RolePermissionRestrictionArns: readonly string[] | undefined
  readonly OwnerId: string | undefined
  readonly ApproverId: string | undefined
  readonly State: string
  readonly ExpirationTime: Date
  readonly RequestorId: string
  readonly CreateDate: Date
  readonly SessionDuration: number
  readonly RedirectUrl: string | undefined
  readonly Notes: string | undefined
  readonly RejectionReason: string | undefined
  readonly OnlySendByOwner: boolean
  readonly UpdatedTime: Date
}

/**
 * A request as the API describes it at `now`. RequestorId is the partner's account ("This will be
 * an AWS account ID"); RequestorName, a partner's name from onboarding, is left out: Gatehouse
 * has no onboarding.
 */
export function delegationRequestXml(request: DelegationRequest, now: Date): DelegationRequestXml {
  const boundaries = roleBoundaryArns(request.permissionPolicy)
  return {
    DelegationRequestId: request.requestId,
    OwnerAccountId: request.ownerAccountId ?? undefined,
    Description: request.description,
    RequestMessage: request.requestMessage ?? undefined,
    Permissions: {
      PolicyTemplateArn: request.templateArn,
      Parameters: request.parameters.map((p) => ({ Name: p.name, Values: p.values, Type: p.type })),
    },
    PermissionPolicy: request.permissionPolicy,
    RolePermissionRestrictionArns: boundaries.length === 0 ? undefined : boundaries,
    OwnerId: request.ownerId ?? undefined,
    ApproverId: request.approverId ?? undefined,
    State: currentState(request, now),
    ExpirationTime: request.expiresAt,
    RequestorId: request.requestorAccountId,
    CreateDate: request.createdAt,
    SessionDuration: request.sessionDuration,
    RedirectUrl: request.redirectUrl ?? undefined,
    Notes: request.notes ?? undefined,
    RejectionReason: request.rejectionReason ?? undefined,
    OnlySendByOwner: request.onlySendByOwner,
    UpdatedTime: request.updatedAt,
  }
}
