/**
 * The account's properties, settings of account-wide IAM features: GetAccountProperties and
 * PutAccountProperties. A key is `Namespace/PropertyName`; the namespaces and properties that
 * exist, their values and defaults are IAM's (account-property-catalog.ts), and a property an
 * account has not set reads as its default. Neither action has a resource type: both are
 * authorized on `*`, with iam:AccountPropertyNamespaces, the namespaces read or written.
 *
 * Role manager (RoleManager/Enabled) is a setting of AWS's service consoles, which provision a
 * role from a role template as part of their own workflows; it does not govern the IAM API
 * ("you can also use role templates without role manager", IAM User Guide). Gatehouse has no
 * such console: the property is kept and read back, enabling it takes the permissions AWS
 * documents, and it governs nothing else (AcquireRole answers the same either way).
 */
import { AwsError } from '../../errors/aws-error.js'
import { queryPattern } from '../../protocol/query/query-pattern.js'
import type { AccountProperty } from '../../store/account-properties-ops.js'
import { resourceArn } from '../action-catalog.js'
import type { Authorization } from '../operation.js'
import { defineOperation } from '../operation.js'
import { ACCOUNT_PROPERTY_CATALOG, fitsPropertyType } from './account-property-catalog.js'
import { required } from './shapes.js'

/** accountPropertyKeyType. */
const PROPERTY_KEY = {
  kind: 'string',
  min: 1,
  max: 50,
  pattern: queryPattern('^[A-Za-z][A-Za-z0-9/_-]*$'),
} as const

/** accountPropertyValueType. */
const PROPERTY_VALUE = { kind: 'string', min: 1, max: 1024 } as const

/** accountPropertiesMapType: the model sets no bound on its number of entries. */
const PROPERTIES = { kind: 'map', key: PROPERTY_KEY, value: PROPERTY_VALUE } as const

/**
 * The service-linked role of role manager. The IAM User Guide says that enabling role manager
 * takes iam:CreateServiceLinkedRole as well as iam:PutAccountProperties, without naming the role;
 * its managed policy is AWSIAMRoleManagerServiceRolePolicy (AWS Managed Policy Reference). The
 * service principal and role name below are not in AWS's documentation: they are the ones AWS
 * was seen to create, and follow its naming of every other service-linked role.
 */
const ROLE_MANAGER_SERVICE = 'role-manager.iam.amazonaws.com'
const ROLE_MANAGER_ROLE = 'AWSServiceRoleForIAMRoleManager'

/** The namespace part of a key: all of it when it has no `/` (a key IAM then refuses). */
function namespaceOf(key: string): string {
  const slash = key.indexOf('/')
  return slash === -1 ? key : key.slice(0, slash)
}

/** Whether the request turns role manager on. */
function enablesRoleManager(properties: ReadonlyMap<string, string>): boolean {
  return properties.get('RoleManager/Enabled') === 'true'
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidInput', message)
}

/**
 * The properties of a request, each checked as IAM documents it: a key with exactly one `/`
 * between its namespace and its name, every key of one namespace, a namespace and property IAM
 * defines, and a value of the property's type. InvalidInput for the first that is not.
 */
function checkedProperties(properties: ReadonlyMap<string, string>): AccountProperty[] {
  if (properties.size === 0) {
    // Invented message: AWS's answer to an empty map is not on record.
    throw invalid('At least one account property must be specified.')
  }
  const checked: AccountProperty[] = []
  let requestNamespace: string | undefined
  for (const [key, value] of properties) {
    const parts = key.split('/')
    // The model's pattern already keeps `/` from the start of a key.
    if (parts.length !== 2 || parts[1] === '') {
      // Invented message, in the API reference's words for the key.
      throw invalid(
        `The account property key ${key} is not valid. The key must contain exactly one / separating the namespace from the property name, and cannot start or end with /.`,
      )
    }
    const [namespace, name] = parts as [string, string]
    requestNamespace ??= namespace
    if (namespace !== requestNamespace) {
      // Invented message, in the API reference's words.
      throw invalid('All properties in a single request must belong to the same namespace.')
    }
    const specs = ACCOUNT_PROPERTY_CATALOG.get(namespace)
    if (specs === undefined) {
      // Invented message: AWS's answer to a namespace it does not define is not on record.
      throw invalid(`The account property namespace ${namespace} is not supported.`)
    }
    const spec = specs.get(name)
    if (spec === undefined) {
      // Invented message: AWS's answer to a property it does not define is not on record.
      throw invalid(`The account property ${key} is not supported.`)
    }
    if (!fitsPropertyType(spec.type, value)) {
      // Invented message: "boolean properties expect true or false" (API reference).
      throw invalid(`The value of account property ${key} must be true or false.`)
    }
    checked.push({ namespace, name, value })
  }
  return checked
}

/**
 * GetAccountProperties: every property IAM defines, as the account set it or, where it has not,
 * its default.
 */
export const GET_ACCOUNT_PROPERTIES = defineOperation({
  name: 'GetAccountProperties',
  action: 'iam:GetAccountProperties',
  input: { kind: 'structure', members: {} } as const,
  resource: () => '*',
  // The call reads every namespace.
  conditionKeys: () => ({ 'iam:AccountPropertyNamespaces': [...ACCOUNT_PROPERTY_CATALOG.keys()] }),
  handle: async (_input, ctx) => {
    const set = new Map<string, string>()
    for (const p of await ctx.tx.getAccountProperties(ctx.caller.accountId)) {
      set.set(`${p.namespace}/${p.name}`, p.value)
    }
    const properties = new Map<string, string>()
    for (const [namespace, specs] of ACCOUNT_PROPERTY_CATALOG) {
      for (const [name, spec] of specs) {
        const key = `${namespace}/${name}`
        properties.set(key, set.get(key) ?? spec.defaultValue)
      }
    }
    return { Properties: properties }
  },
})

/** PutAccountProperties: sets the properties given, of one namespace; the others keep theirs. */
export const PUT_ACCOUNT_PROPERTIES = defineOperation({
  name: 'PutAccountProperties',
  action: 'iam:PutAccountProperties',
  input: { kind: 'structure', members: { Properties: required(PROPERTIES) } } as const,
  resource: () => '*',
  conditionKeys: (input) => ({
    'iam:AccountPropertyNamespaces': [...new Set([...input.Properties.keys()].map(namespaceOf))],
    ...(enablesRoleManager(input.Properties) ? { 'iam:AWSServiceName': ROLE_MANAGER_SERVICE } : {}),
  }),
  alsoAuthorize: (input, ctx): Authorization[] =>
    enablesRoleManager(input.Properties)
      ? [
          {
            action: 'iam:CreateServiceLinkedRole',
            resource: resourceArn('iam:CreateServiceLinkedRole', 'role', {
              Account: ctx.caller.accountId,
              RoleNameWithPath: `aws-service-role/${ROLE_MANAGER_SERVICE}/${ROLE_MANAGER_ROLE}`,
            }),
          },
        ]
      : [],
  handle: async (input, ctx) => {
    const properties = checkedProperties(input.Properties)
    await ctx.tx.putAccountProperties(ctx.caller.accountId, properties)
    return undefined
  },
})
