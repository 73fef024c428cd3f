/**
 * A service last accessed report (Access Advisor), from what the entity's policies allow and the
 * newest attempts the trail kept: one entry per allowed service, in namespace order, with its
 * newest attempt by any of the entities that could have used those permissions, how many of them
 * attempted it, each entity's own newest attempt (GetServiceLastAccessedDetailsWithEntities), and
 * at ACTION_LEVEL each allowed action's newest attempt. Pure; the report is kept as JSON with the
 * job that made it, so the entities are in it once, not once per service.
 */
import type { LastAccess } from '../store/trail-store.js'
import type { AllowedActions } from './allowed-actions.js'
import type { ServiceCatalog } from './service-catalog.js'

/** A user or role that could have used the permissions reported on. */
export interface ReportEntity {
  /** `AIDA...` or `AROA...`: what the trail's attempts name. */
  readonly id: string
  readonly arn: string
  readonly name: string
  readonly type: 'USER' | 'ROLE'
  readonly path: string
}

/** The newest attempt of a service or action. */
export interface ReportAttempt {
  /** ISO 8601 with milliseconds. */
  readonly time: string
  /** The user or role that made it. */
  readonly entityArn: string
  readonly region: string
}

/** An allowed action, and its newest attempt if any. */
export interface ReportAction {
  readonly name: string
  readonly last?: ReportAttempt
}

/** An entity, and its newest attempt of the service if any. */
export interface ReportEntityAccess extends ReportEntity {
  readonly lastAuthenticated?: string
}

/** One allowed service. */
export interface ReportService {
  readonly namespace: string
  readonly name: string
  readonly last?: ReportAttempt
  /** How many of the entities attempted the service. */
  readonly totalAuthenticatedEntities: number
  /** ACTION_LEVEL only: every allowed action of the service, by name. */
  readonly actions?: readonly ReportAction[]
  /** Each entity's newest attempt of the service (ISO 8601), by entity id; none for the others. */
  readonly attempts: Readonly<Record<string, string>>
}

/** A whole report. */
export interface LastAccessedReport {
  /** Every user or role that could have used the permissions. */
  readonly entities: readonly ReportEntity[]
  readonly services: readonly ReportService[]
}

/** What a report is made from. */
export interface LastAccessedInput {
  readonly granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL'
  readonly allowed: AllowedActions
  readonly catalog: ServiceCatalog
  readonly entities: readonly ReportEntity[]
  /** The entities' newest attempts per action (others are ignored). */
  readonly accesses: readonly LastAccess[]
}

/** The newer of two attempts (the first on a tie). */
function newer(a: LastAccess | undefined, b: LastAccess): LastAccess {
  return a === undefined || b.time.getTime() > a.time.getTime() ? b : a
}

function attempt(access: LastAccess, byId: ReadonlyMap<string, ReportEntity>): ReportAttempt {
  return {
    time: access.time.toISOString(),
    entityArn: byId.get(access.entityId)?.arn ?? '',
    region: access.region,
  }
}

function byRecencyThenName(a: ReportEntityAccess, b: ReportEntityAccess): number {
  const at = a.lastAuthenticated ?? ''
  const bt = b.lastAuthenticated ?? ''
  if (at !== bt) return at < bt ? 1 : -1
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** The report. */
export function buildLastAccessedReport(input: LastAccessedInput): LastAccessedReport {
  const byId = new Map(input.entities.map((entity) => [entity.id, entity]))
  // The newest attempt per service and entity, and per service and action.
  const perEntity = new Map<string, Map<string, LastAccess>>()
  const perAction = new Map<string, Map<string, LastAccess>>()
  for (const access of input.accesses) {
    if (!byId.has(access.entityId) || !input.allowed.has(access.service)) continue
    const entities = perEntity.get(access.service) ?? new Map<string, LastAccess>()
    entities.set(access.entityId, newer(entities.get(access.entityId), access))
    perEntity.set(access.service, entities)
    const actions = perAction.get(access.service) ?? new Map<string, LastAccess>()
    // The trail names actions as the registry spells them; the reference's case is kept.
    const key = access.action.toLowerCase()
    actions.set(key, newer(actions.get(key), access))
    perAction.set(access.service, actions)
  }

  const services: ReportService[] = []
  for (const namespace of [...input.allowed.keys()].sort()) {
    const entityAccess = perEntity.get(namespace) ?? new Map<string, LastAccess>()
    let newest: LastAccess | undefined
    for (const access of entityAccess.values()) newest = newer(newest, access)
    const attempts: Record<string, string> = {}
    for (const [id, access] of entityAccess) attempts[id] = access.time.toISOString()
    const actionAccess = perAction.get(namespace)
    const actions =
      input.granularity === 'ACTION_LEVEL'
        ? [...(input.allowed.get(namespace) ?? [])].sort().map((name): ReportAction => {
            const access = actionAccess?.get(name.toLowerCase())
            return access === undefined ? { name } : { name, last: attempt(access, byId) }
          })
        : undefined
    services.push({
      namespace,
      name: input.catalog.get(namespace)?.name ?? namespace,
      ...(newest === undefined ? {} : { last: attempt(newest, byId) }),
      totalAuthenticatedEntities: entityAccess.size,
      ...(actions === undefined ? {} : { actions }),
      attempts,
    })
  }
  return { entities: input.entities, services }
}

/**
 * The users and roles of a report with their newest attempt of one service, the most recent
 * first, those without one last (by name); none for a service the report does not list.
 */
export function serviceEntities(
  report: LastAccessedReport,
  namespace: string,
): ReportEntityAccess[] {
  const service = report.services.find((s) => s.namespace === namespace)
  if (service === undefined) return []
  return report.entities
    .map((entity): ReportEntityAccess => {
      const time = service.attempts[entity.id]
      return time === undefined ? { ...entity } : { ...entity, lastAuthenticated: time }
    })
    .sort(byRecencyThenName)
}
