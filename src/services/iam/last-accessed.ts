/**
 * Access Advisor: GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails and
 * GetServiceLastAccessedDetailsWithEntities, for users, groups, roles and managed policies, and
 * ListPoliciesGrantingServiceAccess for users, groups and roles. The
 * data is the audit trail's: every authenticated attempt of a user or of a role's session that
 * reached authorization, allowed or denied (src/analysis/access-advisor.ts).
 */
import { serviceEntities } from '../../analysis/build-last-accessed-report.js'
import type {
  LastAccessedReport,
  ReportAttempt,
  ReportService,
} from '../../analysis/build-last-accessed-report.js'
import type { JobError, ReportTarget } from '../../analysis/access-advisor.js'
import { policiesGrantingAccess } from '../../analysis/policies-granting-access.js'
import type { GrantingCandidate } from '../../analysis/policies-granting-access.js'
import { serviceCatalog } from '../../analysis/service-catalog.js'
import { AwsError } from '../../errors/aws-error.js'
import { parsePolicy } from '../../policy/index.js'
import { allItems } from '../../store/all-items.js'
import { NotFoundError } from '../../store/errors.js'
import type { AccessJob } from '../../store/trail-store.js'
import { queryPattern } from '../../protocol/query/query-pattern.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { ARN, MAX_ITEMS, MARKER, required } from './shapes.js'

/** The model's AccessAdvisorUsageGranularityType. */
const GRANULARITY = { kind: 'string', enum: ['SERVICE_LEVEL', 'ACTION_LEVEL'] } as const

/** The model's jobIDType: a GUID. */
const JOB_ID = { kind: 'string', min: 36, max: 36 } as const

/** The model's serviceNamespaceType. */
const SERVICE_NAMESPACE = {
  kind: 'string',
  min: 1,
  max: 64,
  pattern: queryPattern('[\\w-]*'),
} as const

/** What a report may be generated for: `arn:aws:iam::ACCOUNT:user|group|role|policy/path/Name`. */
const TARGET_ARN = /^arn:aws:iam::([0-9]{12}|aws):(user|group|role|policy)((?:\/[^/]+)*)\/([^/]+)$/

const KIND_NAMES = { user: 'user', group: 'group', role: 'role', policy: 'policy' } as const

/** The kind and name an ARN gives; InvalidInput for an ARN of anything else. */
function parseTarget(arn: string): { account: string; kind: ReportTarget['kind']; name: string } {
  const match = TARGET_ARN.exec(arn)
  if (match === null) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`)
  const [, account, kindText, , name] = match as unknown as [string, string, string, string, string]
  return { account, kind: KIND_NAMES[kindText as keyof typeof KIND_NAMES], name }
}

/**
 * The entity an ARN names in the caller's account, as it exists; NoSuchEntity for one that is
 * not there (another account's included). Only after authorization: a caller without the
 * permission learns nothing of what exists.
 */
async function resolveTarget(ctx: OperationContext, arn: string): Promise<ReportTarget> {
  const { account, kind, name } = parseTarget(arn)
  // IAM names a missing policy by its ARN, other entities by their name.
  const missing = (): NotFoundError => new NotFoundError(kind, kind === 'policy' ? arn : name)
  if (account !== ctx.caller.accountId) throw missing()
  const { tx } = ctx
  const found = await (
    kind === 'user'
      ? tx.getUser(account, name)
      : kind === 'group'
        ? tx.getGroup(account, name)
        : kind === 'role'
          ? tx.getRole(account, name)
          : tx.getPolicy(account, name)
  ).catch((err: unknown) => {
    throw err instanceof NotFoundError ? missing() : err
  })
  // A name at another path, or in another case, is another entity.
  if (found.arn !== arn) throw missing()
  return { kind, accountId: account, name: found.name, arn: found.arn }
}

/**
 * The caller's own job, or NoSuchEntity: AWS lets only the user, or the role session, that
 * generated a report read it.
 */
async function ownJob(ctx: OperationContext, jobId: string): Promise<AccessJob> {
  const job = await ctx.accessAdvisor.job(ctx.caller.accountId, jobId, ctx.caller.arn)
  // Invented message: AWS's wording for an unknown JobId is not documented.
  if (job === null) throw new AwsError('NoSuchEntity', `The job with ID ${jobId} cannot be found.`)
  return job
}

/** Marker and MaxItems over a list held in memory: the marker is an offset, opaque. */
function page<T>(
  items: readonly T[],
  input: { readonly Marker?: string; readonly MaxItems?: number },
): { readonly items: readonly T[]; readonly IsTruncated: boolean; readonly Marker?: string } {
  let start = 0
  if (input.Marker !== undefined) {
    const decoded = Buffer.from(input.Marker, 'base64url').toString('utf8')
    start = /^(0|[1-9][0-9]{0,8})$/.test(decoded) ? Number(decoded) : -1
    // Invented message: the marker is Gatehouse's own.
    if (start < 0 || start > items.length) {
      throw new AwsError('InvalidInput', 'The Marker is not one this operation returned.')
    }
  }
  const end = Math.min(items.length, start + (input.MaxItems ?? 100))
  const truncated = end < items.length
  return {
    items: items.slice(start, end),
    IsTruncated: truncated,
    ...(truncated ? { Marker: Buffer.from(String(end), 'utf8').toString('base64url') } : {}),
  }
}

/** The job's status members, common to both Get operations. */
function statusXml(job: AccessJob) {
  return {
    JobStatus: job.status,
    JobCreationDate: job.createdAt,
    JobCompletionDate: job.completedAt ?? undefined,
  }
}

function errorXml(job: AccessJob): { Error?: { Message: string; Code: string } } {
  if (job.status !== 'FAILED' || job.result === null) return {}
  const error = JSON.parse(job.result) as JobError
  return { Error: { Message: error.message, Code: error.code } }
}

function reportOf(job: AccessJob): LastAccessedReport | undefined {
  return job.status === 'COMPLETED' && job.result !== null
    ? (JSON.parse(job.result) as LastAccessedReport)
    : undefined
}

function lastXml(last: ReportAttempt | undefined) {
  return last === undefined
    ? {}
    : {
        LastAuthenticated: new Date(last.time),
        LastAuthenticatedEntity: last.entityArn,
        LastAuthenticatedRegion: last.region,
      }
}

/** A ServiceLastAccessed structure, its members in the model's order. */
function serviceXml(service: ReportService) {
  const last = lastXml(service.last)
  return {
    ServiceName: service.name,
    LastAuthenticated: last.LastAuthenticated,
    ServiceNamespace: service.namespace,
    LastAuthenticatedEntity: last.LastAuthenticatedEntity,
    LastAuthenticatedRegion: last.LastAuthenticatedRegion,
    TotalAuthenticatedEntities: service.totalAuthenticatedEntities,
    TrackedActionsLastAccessed: service.actions?.map((action) => ({
      ActionName: action.name,
      ...(action.last === undefined
        ? {}
        : {
            LastAccessedEntity: action.last.entityArn,
            LastAccessedTime: new Date(action.last.time),
            LastAccessedRegion: action.last.region,
          }),
    })),
  }
}

/** GenerateServiceLastAccessedDetails: starts a job; the report follows it. */
export const GENERATE_SERVICE_LAST_ACCESSED_DETAILS = defineOperation({
  name: 'GenerateServiceLastAccessedDetails',
  action: 'iam:GenerateServiceLastAccessedDetails',
  // It writes only a job, to the trail's database: the IAM store is only read.
  readOnly: true,
  input: {
    kind: 'structure',
    members: { Arn: required(ARN), Granularity: GRANULARITY },
  } as const,
  // Authorized on the ARN as given (its form checked): whether it exists is told only after.
  resource: (input) => {
    parseTarget(input.Arn)
    return input.Arn
  },
  handle: async (input, ctx) => {
    const target = await resolveTarget(ctx, input.Arn)
    const jobId = await ctx.accessAdvisor.start({
      target,
      granularity: input.Granularity ?? 'SERVICE_LEVEL',
      ownerArn: ctx.caller.arn,
      now: ctx.now,
    })
    return { JobId: jobId }
  },
})

/** GetServiceLastAccessedDetails: the job's status, and its report by service namespace. */
export const GET_SERVICE_LAST_ACCESSED_DETAILS = defineOperation({
  name: 'GetServiceLastAccessedDetails',
  action: 'iam:GetServiceLastAccessedDetails',
  input: {
    kind: 'structure',
    members: { JobId: required(JOB_ID), MaxItems: MAX_ITEMS, Marker: MARKER },
  } as const,
  resource: () => '*',
  handle: async (input, ctx) => {
    const job = await ownJob(ctx, input.JobId)
    const services = page(reportOf(job)?.services ?? [], input)
    return {
      ...statusXml(job),
      JobType: job.granularity,
      ServicesLastAccessed: services.items.map(serviceXml),
      IsTruncated: services.IsTruncated,
      Marker: services.Marker,
      ...errorXml(job),
    }
  },
})

/**
 * GetServiceLastAccessedDetailsWithEntities: the users and roles that could have used the
 * permissions to reach one service, the most recent attempt first. A service the permissions
 * do not allow has none.
 */
export const GET_SERVICE_LAST_ACCESSED_DETAILS_WITH_ENTITIES = defineOperation({
  name: 'GetServiceLastAccessedDetailsWithEntities',
  action: 'iam:GetServiceLastAccessedDetailsWithEntities',
  input: {
    kind: 'structure',
    members: {
      JobId: required(JOB_ID),
      ServiceNamespace: required(SERVICE_NAMESPACE),
      MaxItems: MAX_ITEMS,
      Marker: MARKER,
    },
  } as const,
  resource: () => '*',
  handle: async (input, ctx) => {
    const job = await ownJob(ctx, input.JobId)
    const report = reportOf(job)
    const namespace = input.ServiceNamespace.toLowerCase()
    const entities = page(report === undefined ? [] : serviceEntities(report, namespace), input)
    return {
      ...statusXml(job),
      EntityDetailsList: entities.items.map((entity) => ({
        EntityInfo: {
          Arn: entity.arn,
          Name: entity.name,
          Type: entity.type,
          Id: entity.id,
          Path: entity.path,
        },
        LastAuthenticated:
          entity.lastAuthenticated === undefined ? undefined : new Date(entity.lastAuthenticated),
      })),
      IsTruncated: entities.IsTruncated,
      Marker: entities.Marker,
      ...errorXml(job),
    }
  },
})

/** The model's serviceNamespaceListType: 1 to 200 namespaces. */
const SERVICE_NAMESPACES = {
  kind: 'list',
  member: SERVICE_NAMESPACE,
  min: 1,
  max: 200,
} as const

/** An identity's own permissions policies (and a user's groups'), ready to read. */
async function grantingCandidates(
  ctx: OperationContext,
  target: ReportTarget,
): Promise<GrantingCandidate[]> {
  const { tx } = ctx
  const candidates: GrantingCandidate[] = []
  const holders: { kind: 'user' | 'group' | 'role'; name: string }[] = [
    { kind: target.kind as 'user' | 'group' | 'role', name: target.name },
  ]
  if (target.kind === 'user') {
    for (const group of await allItems((r) =>
      tx.listGroupsForUser(target.accountId, target.name, r),
    )) {
      holders.push({ kind: 'group', name: group.name })
    }
  }
  for (const holder of holders) {
    const ref = { kind: holder.kind, accountId: target.accountId, name: holder.name }
    for (const name of await allItems((r) => tx.listInlinePolicies(ref, r))) {
      const policy = await tx.getInlinePolicy(ref, name)
      candidates.push({
        name,
        type: 'INLINE',
        entity: { type: ENTITY_TYPES[holder.kind], name: holder.name },
        document: parsePolicy(policy.document, 'identity'),
      })
    }
    for (const attached of await allItems((r) => tx.listAttachedPolicies(ref, r))) {
      const version = await tx.getDefaultPolicyVersion(target.accountId, attached.name)
      candidates.push({
        name: attached.name,
        type: 'MANAGED',
        arn: attached.arn,
        document: parsePolicy(version.document, 'identity'),
      })
    }
  }
  // A managed policy attached to the user and to one of its groups is one policy.
  const seen = new Set<string>()
  return candidates.filter((c) => {
    if (c.arn === undefined) return true
    if (seen.has(c.arn)) return false
    seen.add(c.arn)
    return true
  })
}

const ENTITY_TYPES = { user: 'USER', group: 'GROUP', role: 'ROLE' } as const

/**
 * ListPoliciesGrantingServiceAccess: for each service asked about, the identity's permissions
 * policies that allow something in it (a user's own and its groups'; boundaries are not
 * permissions policies). All in one page: at most 200 services are asked about.
 */
export const LIST_POLICIES_GRANTING_SERVICE_ACCESS = defineOperation({
  name: 'ListPoliciesGrantingServiceAccess',
  action: 'iam:ListPoliciesGrantingServiceAccess',
  input: {
    kind: 'structure',
    members: {
      Marker: MARKER,
      Arn: required(ARN),
      ServiceNamespaces: required(SERVICE_NAMESPACES),
    },
  } as const,
  resource: (input) => {
    const { kind } = parseTarget(input.Arn)
    // Invented message: a managed policy is not an identity (AWS's wording is not on record).
    if (kind === 'policy') {
      throw new AwsError(
        'InvalidInput',
        `ARN ${input.Arn} is not the ARN of a user, group or role.`,
      )
    }
    return input.Arn
  },
  handle: async (input, ctx) => {
    const target = await resolveTarget(ctx, input.Arn)
    const catalog = await serviceCatalog()
    const grants = policiesGrantingAccess(
      await grantingCandidates(ctx, target),
      input.ServiceNamespaces,
      catalog,
    )
    return {
      PoliciesGrantingServiceAccess: grants.map((grant) => ({
        ServiceNamespace: grant.namespace,
        Policies: grant.policies.map((policy) => ({
          PolicyName: policy.name,
          PolicyType: policy.type,
          PolicyArn: policy.arn,
          EntityType: policy.entity?.type,
          EntityName: policy.entity?.name,
        })),
      })),
      IsTruncated: false,
    }
  },
})
