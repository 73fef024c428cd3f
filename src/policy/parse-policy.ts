/**
 * parsePolicy: policy JSON (text, or a value already parsed) -> a typed PolicyDocument, or the
 * faults AWS would report as MalformedPolicyDocument, each with its location.
 *
 * AWS checks a document in stages and reports the first fault of the earliest stage that fails
 * (test/cases/parse-errors/malformed-policies.json records the order). This parser walks the
 * document once, tags every fault with its stage, and sorts the faults by stage, so the first
 * fault is the one AWS reports and the rest follow in document order.
 */
import { actionFault } from './action-fault.js'
import { readConditionElement } from './condition-element.js'
import type { StringList } from './element-reader.js'
import { ElementReader, STAGE, joinPath } from './element-reader.js'
import type { JsonMember, JsonNode } from './json-tree.js'
import { JsonSyntaxError, jsonTreeFromValue, parseJsonTree } from './json-tree.js'
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'
import type {
  PolicyDocument,
  PolicyStatement,
  PolicyVersion,
  PrincipalElement,
} from './policy-document.js'
import type { PolicyKind, PolicyKindRules } from './policy-kind.js'
import { POLICY_KIND_RULES } from './policy-kind.js'
import type { PolicyFault } from './policy-parse-error.js'
import { PolicyParseError } from './policy-parse-error.js'
import { readPrincipalElement } from './principal-element.js'
import { isLegacyArn, resourceFault } from './resource-fault.js'

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
const SID_PATTERN = /^[0-9A-Za-z]*$/

function jsonMessage(rules: PolicyKindRules): string {
  return rules.parser === 'resource' ? M.invalidJson : M.syntax
}

class DocumentParser extends ElementReader {
  private readonly resourceLists: { readonly field: string; readonly list: StringList }[] = []

  constructor(
    private readonly kind: PolicyKind,
    rules: PolicyKindRules,
    private readonly options: ParsePolicyOptions,
  ) {
    super(rules)
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
        this.fault(STAGE.syntax, M.syntax, joinPath(path, member.key), member)
      }
    }

    let sid: string | undefined
    const sidMember = members.get('Sid')
    if (sidMember !== undefined) {
      const v = sidMember.value
      if (v.type !== 'string') this.fault(STAGE.syntax, M.syntax, joinPath(path, 'Sid'), v)
      else {
        sid = v.value
        if (this.rules.alphanumericSid && !SID_PATTERN.test(sid)) {
          this.fault(STAGE.sid, M.sidPattern, joinPath(path, 'Sid'), v)
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
        : readConditionElement(this, conditionMember.value, joinPath(path, 'Condition'))

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
    const at = joinPath(path, 'Effect')
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
          this.fault(STAGE.principal, M.identityPrincipal, joinPath(path, member.key), member)
        }
      }
      return [undefined, undefined]
    }
    if (principalMember !== undefined && notPrincipalMember !== undefined) {
      this.fault(STAGE.syntax, M.syntax, joinPath(path, 'NotPrincipal'), notPrincipalMember)
      return [undefined, undefined]
    }
    if (principalMember !== undefined) {
      return [
        readPrincipalElement(this, principalMember.value, joinPath(path, 'Principal')),
        undefined,
      ]
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
    const at = joinPath(path, 'NotPrincipal')
    if (!this.rules.notPrincipal) {
      this.fault(STAGE.prohibited, M.prohibitedField('NotPrincipal'), at, notPrincipalMember)
      return [undefined, undefined]
    }
    if (effect === 'Allow') this.fault(STAGE.principal, M.notPrincipalAllow, at, notPrincipalMember)
    return [undefined, readPrincipalElement(this, notPrincipalMember.value, at)]
  }

  private actions(
    members: ReadonlyMap<string, JsonMember>,
    path: string,
    node: JsonNode,
  ): [string[] | undefined, string[] | undefined] {
    const action = this.stringList(members.get('Action'), joinPath(path, 'Action'))
    const notAction = this.stringList(members.get('NotAction'), joinPath(path, 'NotAction'))
    if (action !== undefined && notAction !== undefined) {
      this.fault(STAGE.syntax, M.syntax, joinPath(path, 'NotAction'), notAction.member)
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
    const message = actionFault(action, this.rules.assumeRoleActionsOnly)
    if (message !== null) this.fault(STAGE.actionFormat, message, path, node)
  }

  private resources(
    members: ReadonlyMap<string, JsonMember>,
    path: string,
    node: JsonNode,
  ): [string[] | undefined, string[] | undefined] {
    const resource = this.stringList(members.get('Resource'), joinPath(path, 'Resource'))
    const notResource = this.stringList(members.get('NotResource'), joinPath(path, 'NotResource'))
    if (this.rules.resource === 'prohibited') {
      for (const list of [resource, notResource]) {
        if (list !== undefined) {
          const at = joinPath(path, list.member.key)
          this.fault(STAGE.prohibited, M.prohibitedField(list.member.key), at, list.member)
        }
      }
      return [undefined, undefined]
    }
    if (resource !== undefined && notResource !== undefined) {
      this.fault(STAGE.syntax, M.syntax, joinPath(path, 'NotResource'), notResource.member)
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
}

function values(list: StringList | undefined): string[] | undefined {
  return list?.items.map((item) => item.value)
}
