/**
 * The fault log every part of policy parsing writes to. Each fault is tagged with the stage AWS
 * checks it in, so the earliest stage's fault can be reported first (see parse-policy.ts), and
 * the readers of object members and string lists record the syntax faults they meet on the way.
 */
import type { JsonMember, JsonNode } from './json-tree.js'
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'
import type { PolicyKindRules } from './policy-kind.js'
import type { PolicyFault } from './policy-parse-error.js'

/**
 * The stages in the order AWS runs them. The identity-policy parser: syntax, then Version, then
 * "legacy parsing", Sid uniqueness, the presence of a principal, actions and resources, resource
 * formats, action formats. The resource-policy parser (trust policies) first refuses prohibited
 * elements, then missing ones (a trust policy with a Resource and no Principal gets "Has
 * prohibited field Resource").
 */
export const STAGE = {
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

/** One checking stage. */
export type Stage = (typeof STAGE)[keyof typeof STAGE]

interface StagedFault {
  readonly stage: Stage
  readonly fault: PolicyFault
}

/** A string-or-list element: its strings, each with its node for locating faults. */
export interface StringList {
  readonly member: JsonMember
  readonly items: readonly {
    readonly value: string
    readonly node: JsonNode
    readonly path: string
  }[]
}

/** Records staged faults for one document of a kind, and reads the JSON shapes policies share. */
export class ElementReader {
  private readonly faults: StagedFault[] = []

  constructor(readonly rules: PolicyKindRules) {}

  /** Every fault recorded, the earliest stage first. */
  sortedFaults(): PolicyFault[] {
    // Array.prototype.sort is stable, so faults of one stage keep their document order.
    return [...this.faults].sort((a, b) => a.stage - b.stage).map((f) => f.fault)
  }

  /** Records a fault at `path`, located at `node` when the document came as text. */
  fault(stage: Stage, message: string, path: string, node: { pos?: JsonNode['pos'] }): void {
    const fault = node.pos === undefined ? { message, path } : { message, path, pos: node.pos }
    this.faults.push({ stage, fault })
  }

  /** A fault whose wording and stage depend on the parser: IAM's, or the resource-policy one. */
  byParser(
    identity: readonly [Stage, string],
    resource: readonly [Stage, string],
    path: string,
    node: JsonNode | JsonMember,
  ): void {
    const [stage, message] = this.rules.parser === 'identity' ? identity : resource
    this.fault(stage, message, path, node)
  }

  /** Members of an object, reporting repeated keys (AWS: one instance of each element). */
  members(node: JsonNode & { type: 'object' }, path: string): Map<string, JsonMember> {
    const map = new Map<string, JsonMember>()
    for (const member of node.members) {
      if (map.has(member.key))
        this.fault(STAGE.syntax, M.syntax, joinPath(path, member.key), member)
      else map.set(member.key, member)
    }
    return map
  }

  /** A string or an array of strings (the grammar's "brackets are optional"); undefined when absent. */
  stringList(member: JsonMember | undefined, path: string): StringList | undefined {
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
}

/** The path of `key` inside the element at `path` (`Statement[0]` + `Effect`). */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}
