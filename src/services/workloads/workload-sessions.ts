/**
 * A workload's role sessions: the role its token is bound to, whether the role's trust policy
 * lets Gatehouse's workload service assume it, and the credentials of a session named after the
 * workload, as AssumeRole would issue them.
 *
 * The trust rule is ECS's for task roles: a role is handed to a container only if its trust
 * policy allows the service principal `ecs-tasks.amazonaws.com` to call sts:AssumeRole. Here the
 * service principal is WORKLOAD_SERVICE_PRINCIPAL; the statement may narrow it with
 * aws:SourceAccount, aws:SourceArn (the workload's ARN) and sts:RoleSessionName (its name). The
 * rule is checked when the workload is created and again at every issue, so editing the trust
 * policy, or deleting the role, stops the workload's next refresh.
 */
import { assumedRoleArn } from '../../auth/caller.js'
import type { PolicyCompiler } from '../../auth/policy-compiler.js'
import { resourceTagKeys } from '../../auth/resource-tags.js'
import { roleByArn } from '../../auth/role-by-arn.js'
import type { SessionTokenKey } from '../../auth/session-token.js'
import { newTemporaryAccessKey } from '../../auth/temporary-access-key.js'
import { buildPolicySet, buildRequest, evaluate } from '../../policy/index.js'
import type { ContextValue, Decision } from '../../policy/index.js'
import { isoSeconds } from '../../protocol/iso-seconds.js'
import type { Role, StoreTx } from '../../store/store.js'
import type { Workload } from '../../store/workloads-ops.js'
import { workloadArn } from './workload-arn.js'

/** The service principal a role's trust policy allows to give it to workloads. */
export const WORKLOAD_SERVICE_PRINCIPAL = 'workloads.gatehouse.local'

/** A workload's credentials last an hour unless it asked for less (AssumeRole's default). */
export const DEFAULT_WORKLOAD_SESSION_SECONDS = 3600

/**
 * The shortest lifetime a workload may ask for. Shorter than STS's 900 seconds, because this is
 * not the STS API and tests want to outlive several sets of credentials in a minute; the SDKs
 * fetch new credentials on every call once fewer than 5 (JavaScript) or 10 (botocore) minutes
 * remain, so a short lifetime costs one request to the endpoint per call.
 */
export const MIN_WORKLOAD_SESSION_SECONDS = 15

/** Credentials issued to a workload. */
export interface WorkloadSession {
  readonly accessKeyId: string
  /** SECURITY: sent to the workload once, never logged nor recorded. */
  readonly secretAccessKey: string
  /** SECURITY: as the secret. */
  readonly sessionToken: string
  readonly expiration: Date
  readonly durationSeconds: number
  /** `arn:aws:sts::<account>:assumed-role/<role>/<workload>`. */
  readonly assumedRoleArn: string
  /** `AROA...:<workload>`. */
  readonly assumedRoleId: string
}

/** The role a workload is bound to, or undefined when no role has that ARN now. */
export function workloadRole(tx: StoreTx, workload: Workload): Promise<Role | undefined> {
  return roleByArn(tx, workload.roleArn)
}

/**
 * Whether the role's trust policy allows the workload service to assume it for this workload:
 * the engine's decision, with AWS's AccessDenied message when it denies.
 */
export async function workloadTrust(
  tx: StoreTx,
  compiler: PolicyCompiler,
  role: Role,
  workload: Pick<Workload, 'accountId' | 'name'>,
  now: Date,
): Promise<Decision> {
  const trust = compiler.compile(role.assumeRolePolicyDocument, 'trust', `role/${role.name}:trust`)
  // A service acting for a customer brings these keys, and none of a signed request's own.
  const context: Record<string, ContextValue> = {
    ...(await resourceTagKeys(tx, role.arn)),
    'aws:CurrentTime': isoSeconds(now),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:PrincipalServiceName': WORKLOAD_SERVICE_PRINCIPAL,
    'aws:SourceAccount': workload.accountId,
    'aws:SourceArn': workloadArn(workload.accountId, workload.name),
    'sts:RoleSessionName': workload.name,
  }
  const request = buildRequest({
    principal: { type: 'Service', arn: WORKLOAD_SERVICE_PRINCIPAL, account: null },
    action: 'sts:AssumeRole',
    resource: role.arn,
    resourceAccount: role.accountId,
    context,
  })
  return evaluate(
    request,
    buildPolicySet({
      identity: [],
      resource: trust,
      resourcePolicyKind: 'roleTrust',
      permissionsBoundary: null,
      session: null,
      scps: null,
      rcps: null,
    }),
  )
}

/** How long the workload's credentials last: what it asked for, within the role's maximum. */
export function workloadSessionSeconds(workload: Workload, role: Role): number {
  return Math.min(
    workload.durationSeconds ?? DEFAULT_WORKLOAD_SESSION_SECONDS,
    role.maxSessionDuration,
  )
}

/**
 * Credentials of a role session named after the workload, starting now, as AssumeRole issues
 * them (src/services/sts/issue-credentials.ts, which takes a whole call's context where a
 * workload has no caller): no session policies, tags or source identity, not chained, no MFA.
 */
export function issueWorkloadSession(
  sessionTokens: SessionTokenKey,
  role: Role,
  workload: Workload,
  now: Date,
): WorkloadSession {
  const durationSeconds = workloadSessionSeconds(workload, role)
  const key = newTemporaryAccessKey()
  // AWS states expirations to the second.
  const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000)
  const expiration = new Date(issuedAt.getTime() + durationSeconds * 1000)
  const sessionToken = sessionTokens.seal({
    accountId: role.accountId,
    principal: {
      kind: 'assumedRole',
      roleId: role.roleId,
      roleName: role.name,
      roleArn: role.arn,
      sessionName: workload.name,
    },
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    issuedAt,
    expiresAt: expiration,
    policies: null,
    tags: [],
    transitiveTagKeys: [],
    sourceIdentity: null,
    chained: false,
    mfa: false,
  })
  return {
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    sessionToken,
    expiration,
    durationSeconds,
    assumedRoleArn: assumedRoleArn(role.accountId, role.name, workload.name),
    assumedRoleId: `${role.roleId}:${workload.name}`,
  }
}
