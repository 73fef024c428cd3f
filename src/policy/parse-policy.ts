/**
 * parsePolicy: policy JSON (text, or a value already parsed) -> a typed PolicyDocument, or the
 * faults AWS would report as MalformedPolicyDocument, each with its location.
 *
 * AWS checks a document in stages and reports the first fault of the earliest stage that fails
 * (test/cases/parse-errors/malformed-policies.json records the order). This parser walks the
 * document once, tags every fault with its stage, and sorts the faults by stage, so the first
 * fault is the one AWS reports and the rest follow in document order.
 */
import type { JsonMember, JsonNode } from './json-tree.js'
import { JsonSyntaxError, jsonTreeFromValue, parseJsonTree } from './json-tree.js'
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'
import type {
  PolicyCondition,
  PolicyDocument,
  PolicyStatement,
  PolicyVersion,
  PrincipalElement,
} from './policy-document.js'
import type { PolicyKind, PolicyKindRules } from './policy-kind.js'
import { POLICY_KIND_RULES } from './policy-kind.js'
import type { PolicyFault } from './policy-parse-error.js'
import { PolicyParseError } from './policy-parse-error.js'
import { parseConditionOperator } from './conditions/condition-operator.js'
import { validatePrincipalValue } from './principal-value.js'
import { compileWildcard } from './wildcard.js'

/** What the operation writing a policy adds to the rules of its kind. */
export interface ParsePolicyOptions {
  /**
   * CreatePolicy and CreatePolicyVersion refuse a missing Version or 2008-10-17. Evaluation and
   * the other operations accept both, so this is off unless the caller asks.
   */
  readonly requireCurrentVersion?: boolean
  /** The account's partition, which resource ARNs must name; without it any AWS partition passes. */
  readonly partition?: string
}

/** The result of checking a document without throwing. */
export type PolicyParseResult =
  | { readonly ok: true; readonly document: PolicyDocument }
  | { readonly ok: false; readonly faults: readonly [PolicyFault, ...PolicyFault[]] }

/** Parses a policy of the given kind; throws PolicyParseError listing every fault found. */
export function parsePolicy(
  source: unknown,
  kind: PolicyKind,
  options: ParsePolicyOptions = {},
): PolicyDocument {
  const result = checkPolicy(source, kind, options)
  if (!result.ok) throw new PolicyParseError(result.faults)
  return result.document
}

/** Parses a policy of the given kind and reports every fault, AWS's first first, instead of throwing. */
export function checkPolicy(
  source: unknown,
  kind: PolicyKind,
  options: ParsePolicyOptions = {},
): PolicyParseResult {
  const rules = POLICY_KIND_RULES[kind]
  let root: JsonNode
  try {
    root = typeof source === 'string' ? parseJsonTree(source) : jsonTreeFromValue(source)
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      return { ok: false, faults: [{ message: jsonMessage(rules), path: '', pos: err.pos }] }
    }
    throw err
  }
  const parser = new DocumentParser(kind, rules, options)
  const document = parser.parse(root)
  const [first, ...rest] = parser.sortedFaults()
  if (first !== undefined) return { ok: false, faults: [first, ...rest] }
  return { ok: true, document }
}

// The stages in the order AWS runs them. The identity-policy parser: syntax, then Version, then
// "legacy parsing", Sid uniqueness, the presence of a principal, actions and resources, resource
// formats, action formats. The resource-policy parser (trust policies) first refuses prohibited
// elements, then missing ones (a trust policy with a Resource and no Principal gets "Has
// prohibited field Resource").
const STAGE = {
  syntax: 0,
  prohibited: 1,
  required: 2,
  version: 3,
  legacy: 4,
  sid: 5,
  principal: 6,
  actions: 7,
  resources: 8,
  resourceFormat: 9,
  actionFormat: 10,
} as const
type Stage = (typeof STAGE)[keyof typeof STAGE]

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement'])
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
])
// A Map, not an object literal: keys come from the document (`toString`, `__proto__`).
const PRINCIPAL_TYPES: ReadonlyMap<string, 'aws' | 'service' | 'federated' | 'canonicalUser'> =
  new Map([
    ['AWS', 'aws'],
    ['Service', 'service'],
    ['Federated', 'federated'],
    ['CanonicalUser', 'canonicalUser'],
  ])
const SID_PATTERN = /^[0-9A-Za-z]*$/
const VENDOR_PATTERN = /^[A-Za-z0-9.-]*$/
// The actions a role trust policy may name (IAM User Guide, role trust policies; lower case
// because action names compare without case).
const ASSUME_ROLE_ACTIONS = [
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
]

interface StagedFault {
  readonly stage: Stage
  readonly fault: PolicyFault
}

/** A string-or-list element: its strings, each with its node for locating faults. */
interface StringList {
  readonly member: JsonMember
  readonly items: readonly {
    readonly value: string
    readonly node: JsonNode
    readonly path: string
  }[]
}

function jsonMessage(rules: PolicyKindRules): string {
  return rules.parser === 'resource' ? M.invalidJson : M.syntax
}

class DocumentParser {
  private readonly faults: StagedFault[] = []
  private readonly resourceLists: { readonly field: string; readonly list: StringList }[] = []

  constructor(
    private readonly kind: PolicyKind,
    private readonly rules: PolicyKindRules,
    private readonly options: ParsePolicyOptions,
  ) {}

  sortedFaults(): PolicyFault[] {
    // Array.prototype.sort is stable, so faults of one stage keep their document order.
    return [...this.faults].sort((a, b) => a.stage - b.stage).map((f) => f.fault)
  }

  private fault(stage: Stage, message: string, path: string, node: { pos?: JsonNode['pos'] }) {
    const fault = node.pos === undefined ? { message, path } : { message, path, pos: node.pos }
    this.faults.push({ stage, fault })
  }

  /** A fault whose wording and stage depend on the parser: IAM's, or the resource-policy one. */
  private byParser(
    identity: readonly [Stage, string],
    resource: readonly [Stage, string],
    path: string,
    node: JsonNode | JsonMember,
  ): void {
    const [stage, message] = this.rules.parser === 'identity' ? identity : resource
    this.fault(stage, message, path, node)
  }

  /** Members of an object, reporting repeated keys (AWS: one instance of each element). */
  private members(node: JsonNode & { type: 'object' }, path: string): Map<string, JsonMember> {
    const map = new Map<string, JsonMember>()
    for (const member of node.members) {
      if (map.has(member.key)) this.fault(STAGE.syntax, M.syntax, join(path, member.key), member)
      else map.set(member.key, member)
    }
    return map
  }

  parse(root: JsonNode): PolicyDocument {
    const empty: PolicyDocument = {
      kind: this.kind,
      version: '2008-10-17',
      versionGiven: false,
      statements: [],
    }
    if (root.type !== 'object') {
      this.fault(STAGE.syntax, jsonMessage(this.rules), '', root)
      return empty
    }
    const members = this.members(root, '')
    for (const member of members.values()) {
      if (!TOP_LEVEL.has(member.key)) this.fault(STAGE.syntax, M.syntax, member.key, member)
    }

    const versionMember = members.get('Version')
    const version = this.version(versionMember, root)

    let id: string | undefined
    const idMember = members.get('Id')
    if (idMember !== undefined) {
      if (idMember.value.type !== 'string') this.fault(STAGE.syntax, M.syntax, 'Id', idMember.value)
      else id = idMember.value.value
    }

    const statements: PolicyStatement[] = []
    const statementMember = members.get('Statement')
    if (statementMember === undefined) {
      this.byParser(
        [STAGE.syntax, M.syntax],
        [STAGE.required, M.missingField('Statement')],
        '',
        root,
      )
    } else {
      const value = statementMember.value
      const isArray = value.type === 'array'
      const list = isArray ? value.items : value.type === 'object' ? [value] : []
      if (!isArray && value.type !== 'object') {
        this.fault(STAGE.syntax, M.syntax, 'Statement', value)
      } else if (list.length === 0) {
        this.byParser(
          [STAGE.syntax, M.syntax],
          [STAGE.required, M.emptyStatement],
          'Statement',
          value,
        )
      }
      list.forEach((node, index) => {
        const statement = this.statement(node, index, isArray ? `Statement[${index}]` : 'Statement')
        if (statement !== null) statements.push(statement)
      })
      this.checkSids(statements, list, isArray)
      this.checkResourceLists()
    }

    const document: PolicyDocument = {
      kind: this.kind,
      version: version ?? '2008-10-17',
      versionGiven: versionMember !== undefined,
      statements,
    }
    return id === undefined ? document : { ...document, id }
  }

  /** The Version element; a missing one reads as 2008-10-17 unless the operation insists. */
  private version(member: JsonMember | undefined, root: JsonNode): PolicyVersion | undefined {
    let version: PolicyVersion | undefined
    if (member !== undefined) {
      const v = member.value
      // An unknown version string is a syntax error; only a known older one gets the version message.
      if (v.type !== 'string' || (v.value !== '2012-10-17' && v.value !== '2008-10-17')) {
        this.fault(STAGE.syntax, M.syntax, 'Version', v)
        return undefined
      }
      version = v.value
    }
    if (version !== '2012-10-17') {
      const at = member?.value ?? root
      const path = member === undefined ? '' : 'Version'
      if (this.options.requireCurrentVersion === true) {
        this.fault(STAGE.version, M.versionRequired, path, at)
      } else if (this.rules.requiresCurrentVersion) {
        this.fault(STAGE.version, M.rcpVersion, path, at)
      }
    }
    return version
  }

  private checkSids(
    statements: readonly PolicyStatement[],
    nodes: readonly JsonNode[],
    isArray: boolean,
  ): void {
    const seen = new Set<string>()
    for (const statement of statements) {
      // Empty Sids may repeat (AWS accepts two `"Sid": ""`).
      if (statement.sid === undefined || statement.sid === '') continue
      const path = isArray ? `Statement[${statement.index}].Sid` : 'Statement.Sid'
      const node = nodes[statement.index]
      if (seen.has(statement.sid) && node !== undefined) {
        this.fault(STAGE.sid, M.sidUnique, path, node)
      }
      seen.add(statement.sid)
    }
  }

  private statement(node: JsonNode, index: number, path: string): PolicyStatement | null {
    if (node.type !== 'object') {
      this.fault(STAGE.syntax, M.syntax, path, node)
      return null
    }
    const members = this.members(node, path)
    for (const member of members.values()) {
      if (!STATEMENT_ELEMENTS.has(member.key)) {
        this.fault(STAGE.syntax, M.syntax, join(path, member.key), member)
      }
    }

    let sid: string | undefined
    const sidMember = members.get('Sid')
    if (sidMember !== undefined) {
      const v = sidMember.value
      if (v.type !== 'string') this.fault(STAGE.syntax, M.syntax, join(path, 'Sid'), v)
      else {
        sid = v.value
        if (this.rules.alphanumericSid && !SID_PATTERN.test(sid)) {
          this.fault(STAGE.sid, M.sidPattern, join(path, 'Sid'), v)
        }
      }
    }

    const effect = this.effect(members.get('Effect'), path, node)
    const [principal, notPrincipal] = this.principals(members, effect, path, node)
    const [action, notAction] = this.actions(members, path, node)
    const [resource, notResource] = this.resources(members, path, node)

    const conditionMember = members.get('Condition')
    const conditions =
      conditionMember === undefined
        ? []
        : this.conditions(conditionMember.value, join(path, 'Condition'))

    const statement: {
      -readonly [K in keyof PolicyStatement]: PolicyStatement[K]
    } = { index, effect, conditions }
    if (sid !== undefined) statement.sid = sid
    if (principal !== undefined) statement.principal = principal
    if (notPrincipal !== undefined) statement.notPrincipal = notPrincipal
    if (action !== undefined) statement.action = action
    if (notAction !== undefined) statement.notAction = notAction
    if (resource !== undefined) statement.resource = resource
    if (notResource !== undefined) statement.notResource = notResource
    return statement
  }

  private effect(member: JsonMember | undefined, path: string, node: JsonNode): 'Allow' | 'Deny' {
    if (member === undefined) {
      this.byParser(
        [STAGE.syntax, M.syntax],
        [STAGE.required, M.missingField('Effect')],
        path,
        node,
      )
      return 'Deny'
    }
    const v = member.value
    const at = join(path, 'Effect')
    if (v.type !== 'string') {
      this.fault(STAGE.syntax, M.syntax, at, v)
      return 'Deny'
    }
    if (v.value === 'Allow' || v.value === 'Deny') return v.value
    if (this.rules.parser === 'resource') {
      this.fault(STAGE.required, M.invalidEffect(v.value), at, v)
      return 'Deny'
    }
    // IAM's syntax check reads Effect without case; its older "legacy" parser then wants it exact.
    const lower = v.value.toLowerCase()
    if (lower === 'allow' || lower === 'deny') {
      this.fault(STAGE.legacy, M.legacyParsing, at, v)
      return lower === 'allow' ? 'Allow' : 'Deny'
    }
    this.fault(STAGE.syntax, M.syntax, at, v)
    return 'Deny'
  }

  private principals(
    members: ReadonlyMap<string, JsonMember>,
    effect: 'Allow' | 'Deny',
    path: string,
    node: JsonNode,
  ): [PrincipalElement | undefined, PrincipalElement | undefined] {
    const principalMember = members.get('Principal')
    const notPrincipalMember = members.get('NotPrincipal')
    if (this.rules.principal === 'prohibited') {
      for (const member of [principalMember, notPrincipalMember]) {
        if (member !== undefined) {
          this.fault(STAGE.principal, M.identityPrincipal, join(path, member.key), member)
        }
      }
      return [undefined, undefined]
    }
    if (principalMember !== undefined && notPrincipalMember !== undefined) {
      this.fault(STAGE.syntax, M.syntax, join(path, 'NotPrincipal'), notPrincipalMember)
      return [undefined, undefined]
    }
    if (principalMember !== undefined) {
      return [this.principal(principalMember.value, join(path, 'Principal')), undefined]
    }
    if (notPrincipalMember === undefined) {
      this.byParser(
        [STAGE.principal, M.missingField('Principal')],
        [STAGE.required, M.missingField('Principal')],
        path,
        node,
      )
      return [undefined, undefined]
    }
    const at = join(path, 'NotPrincipal')
    if (!this.rules.notPrincipal) {
      this.fault(STAGE.prohibited, M.prohibitedField('NotPrincipal'), at, notPrincipalMember)
      return [undefined, undefined]
    }
    if (effect === 'Allow') this.fault(STAGE.principal, M.notPrincipalAllow, at, notPrincipalMember)
    return [undefined, this.principal(notPrincipalMember.value, at)]
  }

  private principal(node: JsonNode, path: string): PrincipalElement {
    if (node.type === 'string') {
      if (node.value !== '*') this.fault(STAGE.syntax, M.syntax, path, node)
      else if (!this.rules.bareStarPrincipal) {
        this.fault(STAGE.principal, M.trustStarPrincipal, path, node)
      }
      return { kind: 'any' }
    }
    const lists = {
      aws: [] as string[],
      service: [] as string[],
      federated: [] as string[],
      canonicalUser: [] as string[],
    }
    if (node.type !== 'object') {
      this.fault(STAGE.syntax, M.syntax, path, node)
      return { kind: 'map', ...lists }
    }
    let named = 0
    for (const member of this.members(node, path).values()) {
      const type = PRINCIPAL_TYPES.get(member.key)
      if (type === undefined) {
        this.fault(STAGE.syntax, M.syntax, join(path, member.key), member)
        continue
      }
      for (const item of this.stringList(member, join(path, member.key))?.items ?? []) {
        named++
        if (validatePrincipalValue(type, item.value)) lists[type].push(item.value)
        else {
          // IAM quotes the type in upper case ("SERVICE"); S3 names no value at all.
          const message = this.rules.quoteInvalidPrincipal
            ? M.invalidPrincipal(member.key.toUpperCase(), item.value)
            : M.invalidPrincipalUnquoted
          this.fault(STAGE.principal, message, item.path, item.node)
        }
      }
    }
    if (named === 0) this.fault(STAGE.principal, M.noPrincipals, path, node)
    return { kind: 'map', ...lists }
  }

  private actions(
    members: ReadonlyMap<string, JsonMember>,
    path: string,
    node: JsonNode,
  ): [string[] | undefined, string[] | undefined] {
    const action = this.stringList(members.get('Action'), join(path, 'Action'))
    const notAction = this.stringList(members.get('NotAction'), join(path, 'NotAction'))
    if (action !== undefined && notAction !== undefined) {
      this.fault(STAGE.syntax, M.syntax, join(path, 'NotAction'), notAction.member)
    } else {
      const given = action ?? notAction
      if (given === undefined || given.items.length === 0) {
        this.byParser(
          [STAGE.actions, M.actionsRequired],
          [STAGE.required, M.missingField('Action')],
          path,
          given?.member ?? node,
        )
      }
    }
    for (const list of [action, notAction]) {
      for (const item of list?.items ?? []) this.checkAction(item.value, item.path, item.node)
    }
    return [values(action), values(notAction)]
  }

  private checkAction(action: string, path: string, node: JsonNode): void {
    if (this.rules.assumeRoleActionsOnly) {
      // A wildcard passes when it covers one of the assume-role actions (`sts:AssumeRole*`).
      const matches = compileWildcard(action.toLowerCase())
      if (!ASSUME_ROLE_ACTIONS.some((a) => matches(a))) {
        this.fault(STAGE.actionFormat, M.trustActions, path, node)
      }
      return
    }
    if (action === '*') return
    // Anything after a valid `vendor:` is accepted, spaces included.
    const colon = action.indexOf(':')
    if (colon < 0) this.fault(STAGE.actionFormat, M.actionVendor, path, node)
    else if (action.includes(':', colon + 1)) {
      this.fault(STAGE.actionFormat, M.actionColons, path, node)
    } else {
      const vendor = action.slice(0, colon)
      if (vendor.includes('*') || vendor.includes('?')) {
        this.fault(STAGE.actionFormat, M.actionVendorWildcard, path, node)
      } else if (!VENDOR_PATTERN.test(vendor)) {
        this.fault(STAGE.actionFormat, M.actionVendorInvalid(vendor), path, node)
      }
    }
  }

  private resources(
    members: ReadonlyMap<string, JsonMember>,
    path: string,
    node: JsonNode,
  ): [string[] | undefined, string[] | undefined] {
    const resource = this.stringList(members.get('Resource'), join(path, 'Resource'))
    const notResource = this.stringList(members.get('NotResource'), join(path, 'NotResource'))
    if (this.rules.resource === 'prohibited') {
      for (const list of [resource, notResource]) {
        if (list !== undefined) {
          const at = join(path, list.member.key)
          this.fault(STAGE.prohibited, M.prohibitedField(list.member.key), at, list.member)
        }
      }
      return [undefined, undefined]
    }
    if (resource !== undefined && notResource !== undefined) {
      this.fault(STAGE.syntax, M.syntax, join(path, 'NotResource'), notResource.member)
    } else {
      const given = resource ?? notResource
      if (given === undefined || given.items.length === 0) {
        this.byParser(
          [STAGE.resources, M.resourcesRequired],
          [STAGE.required, M.missingField('Resource')],
          path,
          given?.member ?? node,
        )
      }
    }
    if (resource !== undefined) this.resourceLists.push({ field: 'Resource', list: resource })
    if (notResource !== undefined) {
      this.resourceLists.push({ field: 'NotResource', list: notResource })
    }
    return [values(resource), values(notResource)]
  }

  /**
   * Resource formats, after all statements: every Resource list first, then every NotResource
   * list. The legacy parser's ARN check only runs while no format fault has been found, so a
   * document with both reports the format fault (moto reproduces AWS this way).
   */
  private checkResourceLists(): void {
    let formatFaultSeen = false
    for (const field of ['Resource', 'NotResource']) {
      for (const entry of this.resourceLists) {
        if (entry.field !== field) continue
        for (const item of entry.list.items) {
          const message = resourceFault(item.value, this.options.partition)
          if (message !== null) {
            this.fault(STAGE.resourceFormat, message, item.path, item.node)
            formatFaultSeen = true
          }
        }
        if (formatFaultSeen) continue
        for (const item of entry.list.items) {
          if (!isLegacyArn(item.value)) {
            this.fault(STAGE.legacy, M.legacyParsing, item.path, item.node)
          }
        }
      }
    }
  }

  /** A string or an array of strings (the grammar's "brackets are optional"); undefined when absent. */
  private stringList(member: JsonMember | undefined, path: string): StringList | undefined {
    if (member === undefined) return undefined
    const node = member.value
    if (node.type === 'string') return { member, items: [{ value: node.value, node, path }] }
    const items: { value: string; node: JsonNode; path: string }[] = []
    if (node.type !== 'array') {
      this.fault(STAGE.syntax, M.syntax, path, node)
      return { member, items }
    }
    node.items.forEach((item, i) => {
      if (item.type !== 'string') this.fault(STAGE.syntax, M.syntax, `${path}[${i}]`, item)
      else items.push({ value: item.value, node: item, path: `${path}[${i}]` })
    })
    return { member, items }
  }

  private conditions(node: JsonNode, path: string): PolicyCondition[] {
    if (node.type !== 'object') {
      this.fault(STAGE.syntax, M.syntax, path, node)
      return []
    }
    const out: PolicyCondition[] = []
    for (const opMember of this.members(node, path).values()) {
      const opPath = join(path, opMember.key)
      const block = opMember.value
      if (block.type !== 'object') {
        this.fault(STAGE.syntax, M.syntax, opPath, block)
        continue
      }
      const operator = parseConditionOperator(opMember.key)
      if (operator === null) {
        // AWS accepts an unknown operator whose block is empty, and nothing is evaluated for it.
        if (block.members.length > 0) this.fault(STAGE.syntax, M.syntax, opPath, opMember)
        continue
      }
      for (const keyMember of this.members(block, opPath).values()) {
        const keyPath = join(opPath, keyMember.key)
        const values = this.conditionValues(keyMember.value, keyPath)
        if (values === null) continue
        if (operator.base.startsWith('Date')) {
          for (const v of values) {
            if (!isLegacyDate(v.value)) this.fault(STAGE.legacy, M.legacyParsing, keyPath, v.node)
          }
        }
        out.push({ operator: opMember.key, key: keyMember.key, values: values.map((v) => v.value) })
      }
    }
    return out
  }

  /** Condition values: strings, or numbers and booleans read as their text; AWS accepts an empty list. */
  private conditionValues(
    node: JsonNode,
    path: string,
  ): { value: string; node: JsonNode }[] | null {
    const items = node.type === 'array' ? node.items : [node]
    const out: { value: string; node: JsonNode }[] = []
    for (const item of items) {
      switch (item.type) {
        case 'string':
        case 'number':
          out.push({ value: item.value, node: item })
          break
        case 'boolean':
          out.push({ value: item.value ? 'true' : 'false', node: item })
          break
        case 'null':
        case 'object':
        case 'array':
          this.fault(STAGE.syntax, M.syntax, path, item)
          return null
      }
    }
    return out
  }
}

function values(list: StringList | undefined): string[] | undefined {
  return list?.items.map((item) => item.value)
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

// Resource ARN formats, as IAM's identity-policy parser checks them.
const KNOWN_PARTITIONS: readonly string[] = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]
const IAM_RESOURCE_PREFIXES = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
]

/** Splits at the first `separator` (Python's str.partition): head, whether it was found, tail. */
function cut(text: string, separator = ':'): [string, boolean, string] {
  const i = text.indexOf(separator)
  return i < 0 ? [text, false, ''] : [text.slice(0, i), true, text.slice(i + separator.length)]
}

/** The format fault of one Resource/NotResource value, or null. */
function resourceFault(resource: string, partition: string | undefined): string | null {
  if (resource === '*') return null
  const [, hasColon, afterArn] = cut(resource)
  if (!hasColon) return M.resourceFormat(resource)
  // Whatever the first field says, it stands where `arn` should: "aws:s3:::b" has partition "s3".
  const [part, hasService, afterPartition] = cut(afterArn)
  if (!isPartitionAccepted(part, partition)) {
    // AWS echoes the ARN normalised to six fields, a missing field shown as `*`.
    const rest = afterPartition.split(':')
    const service = rest[0] !== '' || rest.length > 1 ? (rest[0] ?? '*') : '*'
    const region = rest[1] ?? '*'
    const account = rest[2] ?? '*'
    const name = rest.length > 3 ? rest.slice(3).join(':') : '*'
    return M.resourcePartition(part, `arn:${part}:${service}:${region}:${account}:${name}`)
  }
  if (!hasService) return M.resourceVendor
  const [service, , afterService] = cut(afterPartition)
  const hasRegion = !afterService.startsWith(':')
  const [, , afterRegion] = cut(afterService)
  const [account, , name] = cut(afterRegion)
  if (service === 'iam') {
    if (hasRegion) return M.iamResourceRegion(resource)
    const known = IAM_RESOURCE_PREFIXES.some((prefix) => name.startsWith(prefix))
    if (!known && name !== '*' && name !== 'root') return M.iamResourcePath
  }
  // Buckets and objects name no region; the S3 resources that do (access points, batch jobs,
  // Storage Lens) also name an account, and identity policies grant them.
  if (service === 's3' && hasRegion && account === '') return M.s3ResourceRegion(resource)
  return null
}

/** The account's partition, or any AWS partition when none is given; `*` patterns may stand for it. */
function isPartitionAccepted(part: string, partition: string | undefined): boolean {
  const accepted = partition === undefined ? KNOWN_PARTITIONS : [partition]
  if (part.includes('*') || part.includes('?')) return accepted.some(compileWildcard(part))
  return accepted.includes(part)
}

/** The legacy parser's ARN check: enough fields when any is empty, and a service. */
function isLegacyArn(resource: string): boolean {
  if (resource === '*') return true
  const fields = resource.split(':')
  if (fields.length < 6 && resource.includes('::')) return false
  return (fields[2] ?? '') !== ''
}

/** The legacy parser's date check: epoch seconds within a Java long, or a loose ISO 8601 form. */
function isLegacyDate(value: string): boolean {
  const lower = value.toLowerCase()
  if (lower.includes('t') || value.includes('-')) return isLegacyIsoDate(lower)
  if (!INTEGER.test(value)) return false
  const n = BigInt(value)
  return n >= 0n && n <= MAX_LONG
}

const INTEGER = /^[+-]?\d+$/
const MAX_LONG = 9223372036854775807n

function inRange(text: string, min: number, max: number): boolean {
  if (!INTEGER.test(text)) return false
  const n = Number(text)
  return n >= min && n <= max
}

// Java's date range (years -292275054 to 292278993); each part is optional after the year, and
// the time may end in `z` or an offset (`+hh`, `-hh:mm`).
function isLegacyIsoDate(text: string): boolean {
  const [datePart, , timeAndZone] = cut(text, 't')
  const negative = datePart.startsWith('-')
  const dateParts = (negative ? datePart.slice(1) : datePart).split('-')
  const [year = '', month, day] = dateParts
  if (dateParts.length > 3 || !inRange((negative ? '-' : '') + year, -292275054, 292278993)) {
    return false
  }
  if (month !== undefined && !inRange(month, 1, 12)) return false
  if (day !== undefined && !inRange(day, 1, 31)) return false
  const zoneAt = firstIndexOf(timeAndZone, ['z', '+', '-'])
  const time = zoneAt < 0 ? timeAndZone : timeAndZone.slice(0, zoneAt)
  if (zoneAt >= 0 && !isZone(timeAndZone.slice(zoneAt))) return false
  const [hours = '', minutes, seconds] = time.split(':')
  if (hours !== '' && !inRange(hours, 0, 23)) return false
  if (minutes !== undefined && !inRange(minutes, 0, 59)) return false
  if (seconds === undefined) return true
  const [whole, hasFraction, fraction] = cut(seconds, '.')
  return inRange(whole, 0, 59) && (!hasFraction || inRange(fraction, 0, 999999999))
}

function firstIndexOf(text: string, characters: readonly string[]): number {
  let first = -1
  for (const c of characters) {
    const i = text.indexOf(c)
    if (i >= 0 && (first < 0 || i < first)) first = i
  }
  return first
}

/** `z`, or `+`/`-` followed by hh, hh:mm or hhmm. */
function isZone(zone: string): boolean {
  if (zone === 'z') return true
  const digits = zone.slice(1)
  const [hh, hasColon, mm] = cut(digits)
  if (hasColon)
    return hh.length === 2 && inRange(hh, 0, 23) && mm.length === 2 && inRange(mm, 0, 59)
  if (digits.length === 2) return inRange(digits, 0, 23)
  return (
    digits.length === 4 && inRange(digits.slice(0, 2), 0, 23) && inRange(digits.slice(2), 0, 59)
  )
}
