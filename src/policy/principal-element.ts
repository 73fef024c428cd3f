/** The value of a Principal or NotPrincipal element: `"*"`, or a map from principal type to values. */
import type { ElementReader } from './element-reader.js'
import { STAGE, joinPath } from './element-reader.js'
import type { JsonNode } from './json-tree.js'
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'
import type { PrincipalElement } from './policy-document.js'
import { validatePrincipalValue } from './principal-value.js'

// A Map, not an object literal: keys come from the document (`toString`, `__proto__`).
const PRINCIPAL_TYPES: ReadonlyMap<string, 'aws' | 'service' | 'federated' | 'canonicalUser'> =
  new Map([
    ['AWS', 'aws'],
    ['Service', 'service'],
    ['Federated', 'federated'],
    ['CanonicalUser', 'canonicalUser'],
  ])

/** Reads a Principal/NotPrincipal value, recording its faults; refused values are left out. */
export function readPrincipalElement(
  reader: ElementReader,
  node: JsonNode,
  path: string,
): PrincipalElement {
  if (node.type === 'string') {
    if (node.value !== '*') reader.fault(STAGE.syntax, M.syntax, path, node)
    else if (!reader.rules.bareStarPrincipal) {
      reader.fault(STAGE.principal, M.trustStarPrincipal, path, node)
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
    reader.fault(STAGE.syntax, M.syntax, path, node)
    return { kind: 'map', ...lists }
  }
  let named = 0
  for (const member of reader.members(node, path).values()) {
    const type = PRINCIPAL_TYPES.get(member.key)
    if (type === undefined) {
      reader.fault(STAGE.syntax, M.syntax, joinPath(path, member.key), member)
      continue
    }
    for (const item of reader.stringList(member, joinPath(path, member.key))?.items ?? []) {
      named++
      if (validatePrincipalValue(type, item.value)) lists[type].push(item.value)
      else {
        // IAM quotes the type in upper case ("SERVICE"); S3 names no value at all.
        const message = reader.rules.quoteInvalidPrincipal
          ? M.invalidPrincipal(member.key.toUpperCase(), item.value)
          : M.invalidPrincipalUnquoted
        reader.fault(STAGE.principal, message, item.path, item.node)
      }
    }
  }
  if (named === 0) reader.fault(STAGE.principal, M.noPrincipals, path, node)
  return { kind: 'map', ...lists }
}
