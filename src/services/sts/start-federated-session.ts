/**
 * The part AssumeRoleWithWebIdentity and AssumeRoleWithSAML share once the token or assertion is
 * verified: the role's trust policy decides alone, with the identity provider's ARN as the
 * federated principal (Principal `{"Federated": "arn:aws:iam::ACCOUNT:oidc-provider/HOST"}` or
 * `...:saml-provider/NAME`), on the operation's action and, as AWS asks, sts:TagSession when
 * the IdP passes session tags and sts:SetSourceIdentity when it passes a source identity. Then
 * the duration against the role's maximum, the session policies and their packed size, and a
 * role session's credentials, whose caller identity is the assumed-role ARN.
 */
import { assumedRoleArn } from '../../auth/caller.js'
import { buildContextKeys } from '../../auth/context-keys.js'
import { resourceTagKeys } from '../../auth/resource-tags.js'
import { roleByArn } from '../../auth/role-by-arn.js'
import type { SessionPolicy } from '../../auth/session-token.js'
import { AwsError } from '../../errors/aws-error.js'
import { buildPolicySet, buildRequest, evaluate } from '../../policy/index.js'
import type { ContextValue, Decision } from '../../policy/index.js'
import type { Role, StoreTx } from '../../store/store.js'
import { DEFAULT_ROLE_SESSION_SECONDS, DURATION_MESSAGES } from './assume-role.js'
import type { FederationContext } from './federated-operation.js'
import { issueCredentials } from './issue-credentials.js'
import type { CredentialsXml } from './issue-credentials.js'
import { packedPolicySize } from './packed-policy-size.js'
import { readSessionPolicies } from './session-policies.js'
import type { SessionTags } from './session-tags.js'

/** AWS's denial of an unsigned role assumption: no caller, so no ARN in the message. */
export function notAuthorizedMessage(action: string): string {
  return `Not authorized to perform ${action}`
}

/** What a verified federation asks for. */
export interface FederatedSessionRequest {
  /** `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`. */
  readonly action: string
  readonly roleArn: string
  readonly sessionName: string
  /** The identity provider's ARN: the Federated principal the trust policy names. */
  readonly providerArn: string
  /** The provider's condition keys (`<host>:sub`, `saml:aud`, ...) and sts:RoleSessionName. */
  readonly conditionKeys: Readonly<Record<string, ContextValue>>
  /** The session tags the IdP passed, checked. */
  readonly tags: SessionTags
  readonly sourceIdentity: string | null
  readonly policy: string | undefined
  readonly policyArns: readonly { readonly arn?: string }[] | undefined
  /** The DurationSeconds of the request, if it gave one. */
  readonly durationSeconds: number | undefined
  /** The length a session gets without DurationSeconds; an hour when absent. */
  readonly defaultSeconds?: number
  /** The longest the IdP allows (SAML's SessionDuration attribute), if it says. */
  readonly maxSecondsByIdp?: number
  /** When the IdP's session ends (SAML's SessionNotOnOrAfter): the credentials end no later. */
  readonly endsNoLaterThan?: Date
}

/** The session: its credentials and what the result says of it. */
export interface FederatedSession {
  readonly credentials: CredentialsXml
  readonly assumedRoleUser: { readonly AssumedRoleId: string; readonly Arn: string }
  readonly packedPolicySize: number | undefined
  readonly sourceIdentity: string | undefined
}

/** The trust policy's decision on each action the request asks for; the first denial stops it. */
async function authorizeTrust(
  tx: StoreTx,
  ctx: FederationContext,
  role: Role | undefined,
  request: FederatedSessionRequest,
  keys: Readonly<Record<string, ContextValue>>,
): Promise<void> {
  const trust =
    role === undefined
      ? null
      : ctx.compiler.compile(role.assumeRolePolicyDocument, 'trust', `role/${role.name}:trust`)
  const set = buildPolicySet({
    identity: [],
    resource: trust,
    resourcePolicyKind: 'roleTrust',
    permissionsBoundary: null,
    session: null,
    scps: null,
    rcps: null,
  })
  // The role's tags are aws:ResourceTag/* (and iam:ResourceTag/*) to its trust policy.
  const roleKeys = role === undefined ? {} : await resourceTagKeys(tx, role.arn)
  const context = buildContextKeys(ctx.facts, [], undefined, { ...roleKeys, ...keys })
  const asked = [request.action]
  if (request.tags.tags.length > 0) asked.push('sts:TagSession')
  if (request.sourceIdentity !== null) asked.push('sts:SetSourceIdentity')
  for (const action of asked) {
    const decision: Decision = evaluate(
      buildRequest({
        // The unsigned caller is the identity provider, as the Federated principal names it.
        principal: { type: 'WebIdentity', arn: request.providerArn, account: null },
        action,
        resource: request.roleArn,
        resourceAccount: role?.accountId ?? null,
        context,
      }),
      set,
    )
    ctx.enforce(
      decision.decision === 'allow'
        ? decision
        : { ...decision, message: notAuthorizedMessage(action) },
      action,
      request.roleArn,
    )
  }
}

/** The session's length in seconds: what was asked, within what the role and the IdP allow. */
function sessionSeconds(role: Role, request: FederatedSessionRequest, issuedAt: Date): number {
  if (request.durationSeconds !== undefined && request.durationSeconds > role.maxSessionDuration) {
    throw new AwsError('ValidationError', DURATION_MESSAGES.maxSessionDuration)
  }
  const idpMax = request.maxSecondsByIdp
  let seconds =
    request.durationSeconds ??
    Math.min(
      idpMax ?? request.defaultSeconds ?? DEFAULT_ROLE_SESSION_SECONDS,
      role.maxSessionDuration,
    )
  if (idpMax !== undefined) seconds = Math.min(seconds, idpMax)
  const end = request.endsNoLaterThan
  if (end !== undefined) {
    const left = Math.floor((end.getTime() - issuedAt.getTime()) / 1000)
    if (left <= 0) {
      throw new AwsError(
        'ExpiredTokenException',
        `The identity provider's session ended at ${end.toISOString()}.`,
      )
    }
    seconds = Math.min(seconds, left)
  }
  return seconds
}

/**
 * Authorizes and starts the session `request` describes, in `tx` (read-only: it writes nothing).
 * AccessDenied for a role that is not there or whose trust policy does not allow it.
 */
export async function startFederatedSession(
  tx: StoreTx,
  ctx: FederationContext,
  request: FederatedSessionRequest,
): Promise<FederatedSession> {
  const role = await roleByArn(tx, request.roleArn)
  // aws:FederatedProvider is OIDC federation's key (global condition keys: "present in the
  // role-session of a role that was assumed using an OIDC provider, and in the role trust policy
  // when an OIDC provider is used to call AssumeRoleWithWebIdentity"); SAML sessions have none.
  const webIdentity = request.action === 'sts:AssumeRoleWithWebIdentity'
  const keys: Record<string, ContextValue> = {
    ...(webIdentity ? { 'aws:FederatedProvider': request.providerArn } : {}),
    'sts:RoleSessionName': request.sessionName,
    ...request.conditionKeys,
  }
  if (request.sourceIdentity !== null) keys['sts:SourceIdentity'] = request.sourceIdentity
  if (request.tags.tags.length > 0) {
    for (const tag of request.tags.tags) keys[`aws:RequestTag/${tag.key}`] = tag.value
    keys['aws:TagKeys'] = request.tags.tags.map((t) => t.key)
  }
  if (request.tags.transitiveTagKeys.length > 0) {
    keys['sts:TransitiveTagKeys'] = request.tags.transitiveTagKeys
  }
  await authorizeTrust(tx, ctx, role, request, keys)
  // Only reached without a role in report-only mode, where the denial was logged, not sent.
  if (role === undefined) {
    throw new AwsError('AccessDenied', notAuthorizedMessage(request.action))
  }

  // AWS states expirations to the second (issueCredentials does the same).
  const issuedAt = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000)
  const duration = sessionSeconds(role, request, issuedAt)
  const policies: SessionPolicy[] | null = await readSessionPolicies(
    tx,
    { policy: request.policy, policyArns: request.policyArns },
    role.accountId,
  )
  const packed = packedPolicySize(policies, request.tags.tags)
  const credentials = issueCredentials(
    ctx,
    {
      accountId: role.accountId,
      principal: {
        kind: 'assumedRole',
        roleId: role.roleId,
        roleName: role.name,
        roleArn: role.arn,
        sessionName: request.sessionName,
      },
      policies,
      tags: request.tags.tags,
      transitiveTagKeys: request.tags.transitiveTagKeys,
      sourceIdentity: request.sourceIdentity,
      chained: false,
      mfa: false,
      ...(webIdentity ? { federatedProvider: request.providerArn } : {}),
    },
    duration,
  )
  return {
    credentials,
    assumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${request.sessionName}`,
      Arn: assumedRoleArn(role.accountId, role.name, request.sessionName),
    },
    packedPolicySize: policies !== null || request.tags.tags.length > 0 ? packed : undefined,
    sourceIdentity: request.sourceIdentity ?? undefined,
  }
}
