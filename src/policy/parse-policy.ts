/**
 * parsePolicy: policy JSON (text, or a value already parsed) -> a typed PolicyDocument, or the
 * faults AWS would report as MalformedPolicyDocument, each with its location.
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
import type { PolicyKind } from './policy-kind.js'
import { POLICY_KIND_RULES } from './policy-kind.js'
import type { PolicyFault } from './policy-parse-error.js'
import { PolicyParseError } from './policy-parse-error.js'
import { parseConditionOperator } from './conditions/condition-operator.js'
import { validatePrincipalValue } from './principal-value.js'

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
const PRINCIPAL_TYPES: Readonly<Record<string, 'aws' | 'service' | 'federated' | 'canonicalUser'>> =
  {
    AWS: 'aws',
    Service: 'service',
    Federated: 'federated',
    CanonicalUser: 'canonicalUser',
  }
const SID_PATTERN = /^[0-9A-Za-z]*$/
// An action is `vendor:name`; the vendor may be a wildcard pattern, and neither part holds spaces.
const ACTION_PATTERN = /^[^\s:]+:[^\s:]+$/

/** The result of checking a document without throwing. */
export type PolicyParseResult =
  | { readonly ok: true; readonly document: PolicyDocument }
  | { readonly ok: false; readonly faults: readonly [PolicyFault, ...PolicyFault[]] }

/** Parses a policy of the given kind; throws PolicyParseError listing every fault found. */
export function parsePolicy(source: unknown, kind: PolicyKind): PolicyDocument {
  const result = checkPolicy(source, kind)
  if (!result.ok) throw new PolicyParseError(result.faults)
  return result.document
}

/** Parses a policy of the given kind and reports every fault instead of throwing. */
export function checkPolicy(source: unknown, kind: PolicyKind): PolicyParseResult {
  let root: JsonNode
  try {
    root = typeof source === 'string' ? parseJsonTree(source) : jsonTreeFromValue(source)
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      return { ok: false, faults: [{ message: M.syntax, path: '', pos: err.pos }] }
    }
    throw err
  }
  const parser = new DocumentParser(kind)
  const document = parser.parse(root)
  const [first, ...rest] = parser.faults
  if (first !== undefined) return { ok: false, faults: [first, ...rest] }
  return { ok: true, document }
}

class DocumentParser {
  readonly faults: PolicyFault[] = []
  private readonly rules

  constructor(private readonly kind: PolicyKind) {
    this.rules = POLICY_KIND_RULES[kind]
  }

  private fault(message: string, path: string, node?: { readonly pos?: JsonNode['pos'] }): void {
    this.faults.push(node?.pos === undefined ? { message, path } : { message, path, pos: node.pos })
  }

  /** Members of an object, reporting repeated keys (AWS: one instance of each element). */
  private members(node: JsonNode & { type: 'object' }, path: string): Map<string, JsonMember> {
    const map = new Map<string, JsonMember>()
    for (const member of node.members) {
      if (map.has(member.key)) this.fault(M.syntax, join(path, member.key), member)
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
      this.fault(M.syntax, '', root)
      return empty
    }
    const members = this.members(root, '')
    for (const member of members.values()) {
      if (!TOP_LEVEL.has(member.key)) this.fault(M.syntax, member.key, member)
    }

    let version: PolicyVersion = '2008-10-17'
    const versionMember = members.get('Version')
    if (versionMember !== undefined) {
      const v = versionMember.value
      if (v.type !== 'string' || (v.value !== '2012-10-17' && v.value !== '2008-10-17')) {
        this.fault(M.legacyParsing, 'Version', v)
      } else {
        version = v.value
      }
    }
    if (this.rules.requiresCurrentVersion && version !== '2012-10-17') {
      this.fault(M.rcpVersion, 'Version', versionMember?.value ?? root)
    }

    let id: string | undefined
    const idMember = members.get('Id')
    if (idMember !== undefined) {
      if (idMember.value.type !== 'string') this.fault(M.syntax, 'Id', idMember.value)
      else id = idMember.value.value
    }

    const statementMember = members.get('Statement')
    const statements: PolicyStatement[] = []
    if (statementMember === undefined) {
      this.fault(M.missingField('Statement'), '', root)
    } else {
      const value = statementMember.value
      const list = value.type === 'array' ? value.items : [value]
      if (list.length === 0) this.fault(M.syntax, 'Statement', value)
      list.forEach((node, index) => {
        const path = value.type === 'array' ? `Statement[${index}]` : 'Statement'
        const statement = this.statement(node, index, path)
        if (statement !== null) statements.push(statement)
      })
      this.checkSids(statements, list, value.type === 'array')
    }

    const document: PolicyDocument = {
      kind: this.kind,
      version,
      versionGiven: versionMember !== undefined,
      statements,
    }
    return id === undefined ? document : { ...document, id }
  }

  private checkSids(
    statements: readonly PolicyStatement[],
    nodes: readonly JsonNode[],
    isArray: boolean,
  ): void {
    const seen = new Set<string>()
    for (const statement of statements) {
      if (statement.sid === undefined || statement.sid === '') continue
      const path = isArray ? `Statement[${statement.index}].Sid` : 'Statement.Sid'
      if (seen.has(statement.sid)) this.fault(M.sidUnique, path, nodes[statement.index])
      seen.add(statement.sid)
    }
  }

  private statement(node: JsonNode, index: number, path: string): PolicyStatement | null {
    if (node.type !== 'object') {
      this.fault(M.syntax, path, node)
      return null
    }
    const members = this.members(node, path)
    for (const member of members.values()) {
      if (!STATEMENT_ELEMENTS.has(member.key)) this.fault(M.syntax, join(path, member.key), member)
    }

    let sid: string | undefined
    const sidMember = members.get('Sid')
    if (sidMember !== undefined) {
      if (sidMember.value.type !== 'string')
        this.fault(M.syntax, join(path, 'Sid'), sidMember.value)
      else {
        sid = sidMember.value.value
        if (this.rules.alphanumericSid && !SID_PATTERN.test(sid)) {
          this.fault(M.sidPattern, join(path, 'Sid'), sidMember.value)
        }
      }
    }

    let effect: 'Allow' | 'Deny' = 'Deny'
    const effectMember = members.get('Effect')
    if (effectMember === undefined) this.fault(M.missingField('Effect'), path, node)
    else if (
      effectMember.value.type !== 'string' ||
      (effectMember.value.value !== 'Allow' && effectMember.value.value !== 'Deny')
    ) {
      this.fault(M.syntax, join(path, 'Effect'), effectMember.value)
    } else effect = effectMember.value.value

    const principalMember = members.get('Principal')
    const notPrincipalMember = members.get('NotPrincipal')
    let principal: PrincipalElement | undefined
    let notPrincipal: PrincipalElement | undefined
    if (this.rules.principal === 'prohibited') {
      if (principalMember !== undefined) {
        this.fault(M.prohibitedField('Principal'), join(path, 'Principal'), principalMember)
      }
      if (notPrincipalMember !== undefined) {
        this.fault(
          M.prohibitedField('NotPrincipal'),
          join(path, 'NotPrincipal'),
          notPrincipalMember,
        )
      }
    } else {
      if (principalMember !== undefined && notPrincipalMember !== undefined) {
        this.fault(M.syntax, join(path, 'NotPrincipal'), notPrincipalMember)
      } else if (principalMember !== undefined) {
        principal = this.principal(principalMember.value, join(path, 'Principal'))
      } else if (notPrincipalMember !== undefined) {
        if (!this.rules.notPrincipal) {
          this.fault(
            M.prohibitedField('NotPrincipal'),
            join(path, 'NotPrincipal'),
            notPrincipalMember,
          )
        } else {
          notPrincipal = this.principal(notPrincipalMember.value, join(path, 'NotPrincipal'))
          if (effect === 'Allow') {
            this.fault(M.notPrincipalAllow, join(path, 'NotPrincipal'), notPrincipalMember)
          }
        }
      } else {
        this.fault(M.missingField('Principal'), path, node)
      }
    }

    const action = this.stringList(members.get('Action'), join(path, 'Action'))
    const notAction = this.stringList(members.get('NotAction'), join(path, 'NotAction'))
    if (action !== undefined && notAction !== undefined) {
      this.fault(M.syntax, join(path, 'NotAction'), members.get('NotAction'))
    } else if (action === undefined && notAction === undefined) {
      this.fault(M.missingField('Action'), path, node)
    }
    for (const [list, field] of [
      [action, 'Action'],
      [notAction, 'NotAction'],
    ] as const) {
      for (const a of list ?? []) this.checkAction(a, join(path, field), members.get(field))
    }

    const resource = this.stringList(members.get('Resource'), join(path, 'Resource'))
    const notResource = this.stringList(members.get('NotResource'), join(path, 'NotResource'))
    if (this.rules.resource === 'prohibited') {
      for (const field of ['Resource', 'NotResource']) {
        const member = members.get(field)
        if (member !== undefined) this.fault(M.prohibitedField(field), join(path, field), member)
      }
    } else if (resource !== undefined && notResource !== undefined) {
      this.fault(M.syntax, join(path, 'NotResource'), members.get('NotResource'))
    } else if (resource === undefined && notResource === undefined) {
      this.fault(M.missingField('Resource'), path, node)
    }
    for (const [list, field] of [
      [resource, 'Resource'],
      [notResource, 'NotResource'],
    ] as const) {
      for (const r of list ?? []) this.checkResource(r, join(path, field), members.get(field))
    }

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

  /** A string or a non-empty array of strings (the grammar's "brackets are optional"). */
  private stringList(member: JsonMember | undefined, path: string): string[] | undefined {
    if (member === undefined) return undefined
    const node = member.value
    if (node.type === 'string') return [node.value]
    if (node.type === 'array' && node.items.length > 0) {
      const out: string[] = []
      for (const item of node.items) {
        if (item.type !== 'string') this.fault(M.syntax, path, item)
        else out.push(item.value)
      }
      return out
    }
    this.fault(M.syntax, path, node)
    return []
  }

  private checkAction(action: string, path: string, member: JsonMember | undefined): void {
    if (action === '*') return
    if (!action.includes(':')) this.fault(M.actionVendor, path, member?.value)
    else if (!ACTION_PATTERN.test(action)) this.fault(M.actionName(action), path, member?.value)
  }

  private checkResource(resource: string, path: string, member: JsonMember | undefined): void {
    if (resource === '*') return
    if (!resource.startsWith('arn:')) {
      this.fault(M.resourceFormat(resource), path, member?.value)
      return
    }
    const parts = resource.split(':')
    // arn:partition:service needs at least the vendor to be named, e.g. `arn:aws:s3:::b`.
    const vendor = parts[2]
    if (parts.length < 3 || vendor === undefined || vendor === '') {
      this.fault(M.resourceVendor(resource), path, member?.value)
    } else if (parts.length < 6 && !resource.endsWith('*')) {
      this.fault(M.resourceFormat(resource), path, member?.value)
    }
  }

  private principal(node: JsonNode, path: string): PrincipalElement {
    if (node.type === 'string') {
      if (node.value === '*') return { kind: 'any' }
      this.fault(M.syntax, path, node)
      return { kind: 'any' }
    }
    const lists = {
      aws: [] as string[],
      service: [] as string[],
      federated: [] as string[],
      canonicalUser: [] as string[],
    }
    if (node.type !== 'object' || node.members.length === 0) {
      this.fault(M.syntax, path, node)
      return { kind: 'map', ...lists }
    }
    const members = this.members(node, path)
    for (const member of members.values()) {
      const type = PRINCIPAL_TYPES[member.key]
      const memberPath = join(path, member.key)
      if (type === undefined) {
        this.fault(M.syntax, memberPath, member)
        continue
      }
      const values =
        member.value.type === 'string'
          ? [member.value]
          : member.value.type === 'array' && member.value.items.length > 0
            ? member.value.items
            : null
      if (values === null) {
        this.fault(M.syntax, memberPath, member.value)
        continue
      }
      for (const item of values) {
        if (item.type !== 'string') {
          this.fault(M.syntax, memberPath, item)
          continue
        }
        if (!validatePrincipalValue(type, item.value)) {
          this.fault(M.invalidPrincipal(member.key, item.value), memberPath, item)
          continue
        }
        lists[type].push(item.value)
      }
    }
    return { kind: 'map', ...lists }
  }

  private conditions(node: JsonNode, path: string): PolicyCondition[] {
    if (node.type !== 'object') {
      this.fault(M.syntax, path, node)
      return []
    }
    const out: PolicyCondition[] = []
    for (const opMember of this.members(node, path).values()) {
      const opPath = join(path, opMember.key)
      if (parseConditionOperator(opMember.key) === null) {
        this.fault(M.conditionType(opMember.key), opPath, opMember)
        continue
      }
      if (opMember.value.type !== 'object') {
        this.fault(M.syntax, opPath, opMember.value)
        continue
      }
      for (const keyMember of this.members(opMember.value, opPath).values()) {
        const keyPath = join(opPath, keyMember.key)
        const values = this.conditionValues(keyMember.value, keyPath)
        if (values !== null) out.push({ operator: opMember.key, key: keyMember.key, values })
      }
    }
    return out
  }

  /** Condition values: strings, or numbers and booleans that AWS reads as their text. */
  private conditionValues(node: JsonNode, path: string): string[] | null {
    const items = node.type === 'array' ? node.items : [node]
    if (items.length === 0) {
      this.fault(M.conditionValues, path, node)
      return null
    }
    const out: string[] = []
    for (const item of items) {
      switch (item.type) {
        case 'string':
          out.push(item.value)
          break
        case 'number':
          out.push(item.value)
          break
        case 'boolean':
          out.push(item.value ? 'true' : 'false')
          break
        case 'null':
        case 'object':
        case 'array':
          this.fault(M.syntax, path, item)
          return null
      }
    }
    return out
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}
