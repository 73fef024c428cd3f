/**
 * The resources an event names: what LookupEvents' ResourceType and ResourceName attributes
 * match (`AWS::IAM::User` / `alice`), and the record's own `resources` element, which AWS
 * gives for AssumeRole (the role, with its account and type; CloudTrail's record contents
 * page and the IAM User Guide's AssumeRole example).
 */
import type { TrailResource } from '../store/trail-store.js'
import type { JsonObject } from './json-value.js'

/**
 * The request parameters that name an IAM entity, and its CloudTrail resource type. Names for
 * users, groups, roles, instance profiles and inline policies; ARNs for managed policies, OIDC
 * providers and the role AssumeRole is asked for.
 */
const NAMING_PARAMETERS: readonly (readonly [string, string])[] = [
  ['UserName', 'AWS::IAM::User'],
  ['NewUserName', 'AWS::IAM::User'],
  ['GroupName', 'AWS::IAM::Group'],
  ['NewGroupName', 'AWS::IAM::Group'],
  ['RoleName', 'AWS::IAM::Role'],
  ['RoleArn', 'AWS::IAM::Role'],
  ['InstanceProfileName', 'AWS::IAM::InstanceProfile'],
  ['PolicyArn', 'AWS::IAM::Policy'],
  ['PolicyName', 'AWS::IAM::Policy'],
  ['AccessKeyId', 'AWS::IAM::AccessKey'],
  ['OpenIDConnectProviderArn', 'AWS::IAM::OIDCProvider'],
]

/** Each naming parameter's place in NAMING_PARAMETERS, by name. */
const NAMING_PLACES: ReadonlyMap<string, number> = new Map(
  NAMING_PARAMETERS.map(([parameter], place) => [parameter, place]),
)

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The entities a call names, for LookupEvents: from its parameters (sent, whether or not the
 * call succeeded: a denied attempt on a user is found under that user), and the access key a
 * CreateAccessKey made. Each once, in the order above.
 */
export function trailResources(
  parameters: Readonly<Record<string, unknown>> | undefined,
  result: Readonly<Record<string, unknown>> | undefined,
): TrailResource[] {
  const found: TrailResource[] = []
  if (parameters !== undefined) {
    // The places of the naming parameters the request has, in the order above: a request has a
    // few parameters, and looking each of the table's up in them cost more.
    let places: number[] | undefined
    for (const name of Object.keys(parameters)) {
      const place = NAMING_PLACES.get(name)
      if (place !== undefined) (places ??= []).push(place)
    }
    if (places !== undefined) {
      if (places.length > 1) places.sort((a, b) => a - b)
      for (const place of places) {
        const [parameter, type] = NAMING_PARAMETERS[place] as readonly [string, string]
        add(found, type, parameters[parameter])
      }
    }
  }
  const accessKey = result?.['AccessKey']
  if (isRecord(accessKey)) add(found, 'AWS::IAM::AccessKey', accessKey['AccessKeyId'])
  return found
}

/** Adds the entity to `found` unless it is there already (or is not a name). */
function add(found: TrailResource[], type: string, name: unknown): void {
  if (typeof name !== 'string' || name === '') return
  for (const resource of found) if (resource.type === type && resource.name === name) return
  found.push({ type, name })
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/

/** STS calls whose record lists the role they assume. */
const ASSUMES_ROLE: ReadonlySet<string> = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
])

/**
 * The record's `resources` element: for an STS call that assumes a role, that role as AWS lists
 * it (`ARN`, `accountId`, `type`); undefined for everything else, where AWS's IAM records have
 * none.
 */
export function recordResources(
  service: string | undefined,
  action: string | undefined,
  parameters: Readonly<Record<string, unknown>> | undefined,
): JsonObject[] | undefined {
  if (service !== 'sts' || !ASSUMES_ROLE.has(action ?? '')) return undefined
  const roleArn = parameters?.['RoleArn']
  if (typeof roleArn !== 'string') return undefined
  const match = ROLE_ARN.exec(roleArn)
  if (match?.[1] === undefined) return undefined
  return [{ ARN: roleArn, accountId: match[1], type: 'AWS::IAM::Role' }]
}
