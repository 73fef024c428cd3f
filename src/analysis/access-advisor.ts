/**
 * Access Advisor's jobs: GenerateServiceLastAccessedDetails starts one (IN_PROGRESS, kept in the
 * trail's database so that every worker process finds it), and the report is made right after,
 * off the request path, from the entity's permissions policies (the IAM store) and the newest
 * attempts the trail kept; the job then is COMPLETED with it, or FAILED with the reason. Also
 * the last use of a role (GetRole's RoleLastUsed), from the same attempts.
 */
import type { FastifyBaseLogger } from 'fastify'
import { AsyncResource } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import { loadGroupPolicies, loadRolePolicies, loadUserPolicies } from '../auth/identity-policies.js'
import type { LabelledDocument } from '../auth/identity-policies.js'
import { parsePolicy } from '../policy/index.js'
import type { PolicyDocument } from '../policy/index.js'
import { allItems } from '../store/all-items.js'
import type { Store, StoreTx, User } from '../store/store.js'
import type { AccessJob, TrailStore } from '../store/trail-store.js'
import { allowedActions } from './allowed-actions.js'
import type { AllowedActions } from './allowed-actions.js'
import { buildLastAccessedReport } from './build-last-accessed-report.js'
import type { LastAccessedReport, ReportEntity } from './build-last-accessed-report.js'
import { serviceCatalog } from './service-catalog.js'
import type { ServiceCatalog } from './service-catalog.js'

/** Services per slice of allowedActions: the event loop gets a turn between slices. */
const SERVICES_PER_SLICE = 40

/**
 * A job still IN_PROGRESS this long after it began will never end (the process making its
 * report stopped): it is reported FAILED.
 */
const STALE_JOB_MS = 10 * 60 * 1000

/**
 * allowedActions over the whole catalog (some 20,000 actions) in slices, so that a report does
 * not hold up the requests the process serves meanwhile.
 */
async function allowedInSlices(
  documents: readonly PolicyDocument[],
  catalog: ServiceCatalog,
): Promise<AllowedActions> {
  const services = [...catalog.values()]
  const allowed = new Map<string, ReadonlySet<string>>()
  for (let i = 0; i < services.length; i += SERVICES_PER_SLICE) {
    const slice = new Map(services.slice(i, i + SERVICES_PER_SLICE).map((s) => [s.namespace, s]))
    for (const [namespace, actions] of allowedActions(documents, slice)) {
      allowed.set(namespace, actions)
    }
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return allowed
}

/** What a report is about: a user, group, role or managed policy of an account, as it exists. */
export interface ReportTarget {
  readonly kind: 'user' | 'group' | 'role' | 'policy'
  readonly accountId: string
  readonly name: string
  /** As the request gave it. */
  readonly arn: string
}

/** A new job's parameters. */
export interface JobRequest {
  readonly target: ReportTarget
  readonly granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL'
  /** The caller's ARN: only they read the job. */
  readonly ownerArn: string
  readonly now: Date
}

/** Why a job failed, as GetServiceLastAccessedDetails' ErrorDetails says it. */
export interface JobError {
  readonly code: string
  readonly message: string
}

/** A role's last use (GetRole's RoleLastUsed). */
export interface RoleLastUsed {
  readonly date: Date
  readonly region: string
}

function userEntity(user: User): ReportEntity {
  return { id: user.userId, arn: user.arn, name: user.name, type: 'USER', path: user.path }
}

/** The policies a target's report is about, and who could have used them. */
async function gather(
  tx: StoreTx,
  target: ReportTarget,
): Promise<{ documents: LabelledDocument[]; entities: ReportEntity[] }> {
  const { accountId, name } = target
  switch (target.kind) {
    case 'user': {
      const user = await tx.getUser(accountId, name)
      return {
        documents: [...(await loadUserPolicies(tx, user)).identity],
        entities: [userEntity(user)],
      }
    }
    case 'role': {
      const role = await tx.getRole(accountId, name)
      return {
        documents: [...(await loadRolePolicies(tx, role)).identity],
        entities: [
          { id: role.roleId, arn: role.arn, name: role.name, type: 'ROLE', path: role.path },
        ],
      }
    }
    case 'group': {
      const group = await tx.getGroup(accountId, name)
      const members = await allItems((r) => tx.listUsersInGroup(accountId, group.name, r))
      return { documents: await loadGroupPolicies(tx, group), entities: members.map(userEntity) }
    }
    case 'policy': {
      const version = await tx.getDefaultPolicyVersion(accountId, name)
      const holders = await allItems((r) =>
        tx.listEntitiesForPolicy(accountId, name, { ...r, usage: 'permissionsPolicy' }),
      )
      // Users and roles it is attached to, and the members of groups it is attached to.
      const entities = new Map<string, ReportEntity>()
      for (const holder of holders) {
        if (holder.kind === 'user') {
          const user = await tx.getUser(accountId, holder.name)
          entities.set(user.userId, userEntity(user))
        } else if (holder.kind === 'role') {
          const role = await tx.getRole(accountId, holder.name)
          entities.set(role.roleId, {
            id: role.roleId,
            arn: role.arn,
            name: role.name,
            type: 'ROLE',
            path: role.path,
          })
        } else {
          for (const user of await allItems((r) =>
            tx.listUsersInGroup(accountId, holder.name, r),
          )) {
            entities.set(user.userId, userEntity(user))
          }
        }
      }
      return {
        documents: [{ label: `policy/${name}`, document: version.document }],
        entities: [...entities.values()],
      }
    }
  }
}

/** Starts, runs and reads Access Advisor's jobs. */
export class AccessAdvisor {
  readonly #store: Store
  readonly #trail: TrailStore
  readonly #clock: () => Date
  readonly #log: FastifyBaseLogger
  readonly #running = new Set<Promise<void>>()
  /**
   * The async context reports run in: the advisor's, not the request's that started them, which
   * is inside its store transaction (a report opens transactions of its own).
   */
  readonly #context = new AsyncResource('AccessAdvisorReport')

  constructor(store: Store, trail: TrailStore, clock: () => Date, log: FastifyBaseLogger) {
    this.#store = store
    this.#trail = trail
    this.#clock = clock
    this.#log = log
  }

  /**
   * Stores a new job, IN_PROGRESS, and starts making its report; returns its JobId once the job
   * is stored (the report follows).
   */
  async start(request: JobRequest): Promise<string> {
    const jobId = randomUUID()
    await this.#trail.createAccessJob({
      jobId,
      accountId: request.target.accountId,
      entityArn: request.target.arn,
      granularity: request.granularity,
      ownerArn: request.ownerArn,
      createdAt: request.now,
    })
    const run = new Promise<void>((resolve) => {
      // #run catches every failure of its own: it always resolves.
      this.#context.runInAsyncScope(() =>
        setImmediate(() => void this.#run(jobId, request).then(resolve)),
      )
    }).finally(() => this.#running.delete(run))
    this.#running.add(run)
    return jobId
  }

  async #run(jobId: string, request: JobRequest): Promise<void> {
    let outcome: { status: 'COMPLETED' | 'FAILED'; result: string }
    try {
      const report = await this.report(request.target, request.granularity)
      outcome = { status: 'COMPLETED', result: JSON.stringify(report) }
    } catch (err) {
      this.#log.error({ err, jobId }, 'service last accessed report failed')
      const error: JobError = {
        code: 'ServiceFailure',
        message: 'The report could not be made; the server log has the reason.',
      }
      outcome = { status: 'FAILED', result: JSON.stringify(error) }
    }
    try {
      await this.#trail.finishAccessJob(jobId, { ...outcome, completedAt: this.#clock() })
    } catch (err) {
      this.#log.error({ err, jobId }, 'service last accessed job not finished')
    }
  }

  /** The report on `target` as things are now. */
  async report(
    target: ReportTarget,
    granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL',
  ): Promise<LastAccessedReport> {
    const { documents, entities } = await this.#store.transaction((tx) => gather(tx, target), {
      readOnly: true,
    })
    const catalog = await serviceCatalog()
    const parsed = documents.map((d) => parsePolicy(d.document, 'identity'))
    // Every process's attempts up to now, not only those its trail has appended yet.
    const accesses = await this.#trail.lastAccess(
      target.accountId,
      entities.map((entity) => entity.id),
      { everyProcess: true },
    )
    return buildLastAccessedReport({
      granularity,
      allowed: await allowedInSlices(parsed, catalog),
      catalog,
      entities,
      accesses,
    })
  }

  /** A job of the account that `callerArn` started; null for any other. */
  async job(accountId: string, jobId: string, callerArn: string): Promise<AccessJob | null> {
    const job = await this.#trail.getAccessJob(accountId, jobId)
    if (job === null || job.ownerArn !== callerArn) return null
    const now = this.#clock()
    if (job.status === 'IN_PROGRESS' && now.getTime() - job.createdAt.getTime() > STALE_JOB_MS) {
      const error: JobError = {
        code: 'ServiceFailure',
        message: 'The report was not completed: the server making it stopped. Generate it again.',
      }
      return { ...job, status: 'FAILED', completedAt: now, result: JSON.stringify(error) }
    }
    return job
  }

  /** When and where a role was last used: its sessions' newest attempt; null if never. */
  async roleLastUsed(accountId: string, roleId: string): Promise<RoleLastUsed | null> {
    let newest: RoleLastUsed | null = null
    for (const access of await this.#trail.lastAccess(accountId, [roleId])) {
      if (newest === null || access.time.getTime() > newest.date.getTime()) {
        newest = { date: access.time, region: access.region }
      }
    }
    return newest
  }

  /** Waits for the reports under way (the app closes before the stores). */
  async close(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running])
  }
}
