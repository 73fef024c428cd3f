/**
 * Policy templates of temporary delegation: a policy whose strings hold parameters, `@{name}`,
 * which CreateDelegationRequest fills with the values it is given ("AWS combines the template
 * with your parameter values to generate a standard IAM policy. Customers review this final
 * rendered policy"; "The final rendered policy has a maximum size limit of 2048 characters",
 * IAM User Guide, temporary-delegation-policy-templates).
 *
 * AWS registers a partner's templates at onboarding, under ARNs of its own. Gatehouse has no
 * onboarding: a partner's template is a customer managed policy of its own account, named by its
 * ARN, whose default version is the template (so a template is itself a valid policy:
 * placeholders stand inside its strings). A `string` parameter has one value and may stand
 * anywhere in a string (`arn:aws:s3:::@{bucketName}/*`), member names included. A string with a
 * `stringList` parameter becomes one string per value (`arn:aws:s3:::@{buckets}/*` with two
 * buckets, two ARNs), a list in place of the string, or spliced into the list it is an item of.
 * Every parameter given must be used and every one used given. The templates' conditional
 * statements are not supported.
 */
import { AwsError } from '../../errors/aws-error.js'
import { PolicyParseError, parsePolicy } from '../../policy/index.js'
import type { DelegationPolicyParameter } from '../../store/delegation-requests-ops.js'

/** The most characters a rendered policy may have (AWS's note on policy templates). */
export const RENDERED_POLICY_MAX_LENGTH = 2048

const PLACEHOLDER = /@\{([^}]*)\}/g

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

// Invented message: how AWS words a template and parameters that do not fit is not on record.
function invalid(message: string): AwsError {
  return new AwsError('InvalidInput', message)
}

/** The parameters by name, each checked against its type. */
function byName(
  parameters: readonly DelegationPolicyParameter[],
): Map<string, DelegationPolicyParameter> {
  const named = new Map<string, DelegationPolicyParameter>()
  for (const parameter of parameters) {
    if (named.has(parameter.name)) {
      throw invalid(`The parameter ${parameter.name} is given more than once.`)
    }
    if (parameter.values.length === 0) {
      throw invalid(`The parameter ${parameter.name} has no value.`)
    }
    if (parameter.type === 'string' && parameter.values.length !== 1) {
      throw invalid(
        `The parameter ${parameter.name} is of type string: it takes exactly one value.`,
      )
    }
    named.set(parameter.name, parameter)
  }
  return named
}

// IAM's wording for a policy over its size quota.
function tooLarge(): AwsError {
  return new AwsError(
    'LimitExceeded',
    `Cannot exceed quota for PolicySize: ${RENDERED_POLICY_MAX_LENGTH}`,
  )
}

class Renderer {
  readonly used = new Set<string>()
  // SECURITY: the characters of the strings made so far, every one of which the rendered policy
  // holds: past the policy's limit the rendering stops, before stringList parameters multiply a
  // hostile request's values into more text than the limit allows.
  #produced = 0

  constructor(private readonly parameters: ReadonlyMap<string, DelegationPolicyParameter>) {}

  #parameter(name: string): DelegationPolicyParameter {
    const parameter = this.parameters.get(name)
    if (parameter === undefined) {
      throw invalid(
        `The policy template uses the parameter ${name}, which the request does not give.`,
      )
    }
    this.used.add(name)
    return parameter
  }

  /**
   * A string with its parameters filled in: one string, or one for each value of its stringList
   * parameters (each combination, when it has several), and whether it had any.
   */
  #expand(value: string): { readonly strings: string[]; readonly listed: boolean } {
    let strings = ['']
    let listed = false
    let last = 0
    for (const match of value.matchAll(PLACEHOLDER)) {
      const literal = value.slice(last, match.index)
      const parameter = this.#parameter(match[1] ?? '')
      if (parameter.type === 'stringList') listed = true
      // What this step would make, counted before it is made: it all ends up in the policy.
      const heads = strings.reduce((sum, head) => sum + head.length + literal.length, 0)
      const values = parameter.values.reduce((sum, v) => sum + v.length, 0)
      const made = heads * parameter.values.length + strings.length * values
      if (this.#produced + made > RENDERED_POLICY_MAX_LENGTH) throw tooLarge()
      strings = strings.flatMap((head) => parameter.values.map((v) => `${head}${literal}${v}`))
      last = match.index + match[0].length
    }
    const tail = value.slice(last)
    const expanded = strings.map((head) => `${head}${tail}`)
    for (const text of expanded) this.#produced += text.length
    if (this.#produced > RENDERED_POLICY_MAX_LENGTH) throw tooLarge()
    return { strings: expanded, listed }
  }

  /** A member name: `string` parameters only, since a name cannot become several. */
  #key(key: string): string {
    const { strings, listed } = this.#expand(key)
    if (listed || strings.length !== 1) {
      throw invalid(
        `The policy template uses a stringList parameter in the name ${key}: only string parameters can stand there.`,
      )
    }
    return strings[0] ?? ''
  }

  value(value: Json): Json {
    if (typeof value === 'string') {
      const { strings, listed } = this.#expand(value)
      return listed ? strings : (strings[0] ?? '')
    }
    if (Array.isArray(value)) {
      return value.flatMap((item): Json[] => {
        if (typeof item !== 'string') return [this.value(item)]
        return this.#expand(item).strings
      })
    }
    if (value !== null && typeof value === 'object') {
      const rendered: { [key: string]: Json } = {}
      for (const [key, member] of Object.entries(value)) {
        rendered[this.#key(key)] = this.value(member)
      }
      return rendered
    }
    return value
  }
}

/**
 * The policy a template and its parameters give, as compact JSON: InvalidInput for parameters that
 * do not fit the template or a result that is not a valid identity policy, LimitExceeded past
 * RENDERED_POLICY_MAX_LENGTH.
 */
export function renderPolicyTemplate(
  templateArn: string,
  template: string,
  parameters: readonly DelegationPolicyParameter[],
): string {
  let document: Json
  try {
    document = JSON.parse(template) as Json
  } catch {
    throw invalid(`The policy template ${templateArn} is not JSON.`)
  }
  const renderer = new Renderer(byName(parameters))
  const rendered = JSON.stringify(renderer.value(document))
  for (const parameter of parameters) {
    if (!renderer.used.has(parameter.name)) {
      throw invalid(`The policy template ${templateArn} has no parameter ${parameter.name}.`)
    }
  }
  if (rendered.length > RENDERED_POLICY_MAX_LENGTH) throw tooLarge()
  try {
    parsePolicy(rendered, 'identity')
  } catch (err) {
    if (err instanceof PolicyParseError) {
      throw invalid(
        `The policy rendered from template ${templateArn} is not a valid policy: ${err.message}`,
      )
    }
    throw err
  }
  return rendered
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function globMatches(pattern: string, text: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`, 'i').test(text)
}

const ROLE_BOUNDARY_ACTIONS = ['iam:CreateRole', 'iam:PutRolePermissionsBoundary']

/**
 * RolePermissionRestrictionArns: the permissions boundaries a rendered policy requires of the
 * roles it lets the partner create, read from its Allow statements that grant iam:CreateRole or
 * iam:PutRolePermissionsBoundary on the condition iam:PermissionsBoundary ("If the
 * PermissionPolicy includes role creation permissions, this element will include the list of
 * permissions boundary policies associated with the role creation").
 */
export function roleBoundaryArns(rendered: string): string[] {
  const policy = JSON.parse(rendered) as { Statement?: unknown }
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]
  const arns: string[] = []
  for (const statement of statements as Record<string, unknown>[]) {
    if (statement?.['Effect'] !== 'Allow') continue
    const actions = strings(statement['Action'])
    if (!actions.some((a) => ROLE_BOUNDARY_ACTIONS.some((action) => globMatches(a, action)))) {
      continue
    }
    const condition = statement['Condition']
    if (typeof condition !== 'object' || condition === null) continue
    for (const keys of Object.values(condition as Record<string, unknown>)) {
      if (typeof keys !== 'object' || keys === null) continue
      for (const [key, values] of Object.entries(keys as Record<string, unknown>)) {
        if (key.toLowerCase() !== 'iam:permissionsboundary') continue
        for (const arn of strings(values)) if (!arns.includes(arn)) arns.push(arn)
      }
    }
  }
  return arns
}
