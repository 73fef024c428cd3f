/** The Condition element: operator blocks of condition keys and their values. */
import { parseConditionOperator } from './conditions/condition-operator.js'
import type { ElementReader } from './element-reader.js'
import { STAGE, joinPath } from './element-reader.js'
import type { JsonNode } from './json-tree.js'
import { isLegacyDate } from './legacy-date.js'
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'
import type { PolicyCondition } from './policy-document.js'

/** Reads a Condition element into one condition per operator and key, recording its faults. */
export function readConditionElement(
  reader: ElementReader,
  node: JsonNode,
  path: string,
): PolicyCondition[] {
  if (node.type !== 'object') {
    reader.fault(STAGE.syntax, M.syntax, path, node)
    return []
  }
  const out: PolicyCondition[] = []
  for (const opMember of reader.members(node, path).values()) {
    const opPath = joinPath(path, opMember.key)
    const block = opMember.value
    if (block.type !== 'object') {
      reader.fault(STAGE.syntax, M.syntax, opPath, block)
      continue
    }
    const operator = parseConditionOperator(opMember.key)
    if (operator === null) {
      // AWS accepts an unknown operator whose block is empty, and nothing is evaluated for it.
      if (block.members.length > 0) reader.fault(STAGE.syntax, M.syntax, opPath, opMember)
      continue
    }
    for (const keyMember of reader.members(block, opPath).values()) {
      const keyPath = joinPath(opPath, keyMember.key)
      const values = conditionValues(reader, keyMember.value, keyPath)
      if (values === null) continue
      if (operator.base.startsWith('Date')) {
        for (const v of values) {
          if (!isLegacyDate(v.value)) reader.fault(STAGE.legacy, M.legacyParsing, keyPath, v.node)
        }
      }
      out.push({ operator: opMember.key, key: keyMember.key, values: values.map((v) => v.value) })
    }
  }
  return out
}

/** Condition values: strings, or numbers and booleans read as their text; AWS accepts an empty list. */
function conditionValues(
  reader: ElementReader,
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
        reader.fault(STAGE.syntax, M.syntax, path, item)
        return null
    }
  }
  return out
}
