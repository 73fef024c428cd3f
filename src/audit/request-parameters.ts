/**
 * CloudTrail's requestParameters from a request's decoded parameters: awsQuery's flat names
 * (`Tags.member.1.Key`) become nested members in lowerCamelCase (`tags: [{key, value}]`, as in
 * AWS's CreateUser records), numbers and booleans of the API are written as JSON numbers and
 * booleans (`durationSeconds: 3600`, `passwordResetRequired: false`), and SigV4's own query
 * parameters are left out. A JSON body's members (awsJson services) are taken as they are.
 * requestParameters leaves secrets to the caller, which redacts the result; requestParametersJson
 * writes the record's text of them, redacted, without the objects in between.
 */
import { defineMember } from './define-member.js'
import type { JsonObject, JsonValue } from './json-value.js'
import { lowerCamel } from './lower-camel.js'
import {
  apiMemberName,
  collectStrings,
  HIDDEN_JSON,
  redactedMember,
  redactedTrailJson,
} from './redact.js'
import { trailJson } from './trail-json.js'

/**
 * The input members of IAM and STS whose type is not a string: every member of the models'
 * operation inputs, by name (no name has two types across the two models). CloudTrail records
 * them with their JSON type, e.g. `"passwordResetRequired": false` in CreateLoginProfile's
 * record (DataDog/stratus-red-team detonation logs). test/audit/model-tables.test.ts checks the
 * table against botocore.
 */
export const PARAMETER_TYPES: ReadonlyMap<string, 'integer' | 'boolean'> = new Map([
  ['AllUsers', 'boolean'],
  ['AllowUsersToChangePassword', 'boolean'],
  ['CredentialAgeDays', 'integer'],
  ['DelegationPermissionCheck', 'boolean'],
  ['DurationSeconds', 'integer'],
  ['HardExpiry', 'boolean'],
  ['MaxItems', 'integer'],
  ['MaxPasswordAge', 'integer'],
  ['MaxSessionDuration', 'integer'],
  ['MinimumPasswordLength', 'integer'],
  ['OnlyAttached', 'boolean'],
  ['OnlySendByOwner', 'boolean'],
  ['PasswordResetRequired', 'boolean'],
  ['PasswordReusePrevention', 'integer'],
  ['RequireLowercaseCharacters', 'boolean'],
  ['RequireNumbers', 'boolean'],
  ['RequireSymbols', 'boolean'],
  ['RequireUppercaseCharacters', 'boolean'],
  ['SessionDuration', 'integer'],
  ['SetAsDefault', 'boolean'],
])

const INTEGER = /^[+-]?\d{1,15}$/

/**
 * A query parameter's text with the API's type: a number or a boolean where the member is one
 * and the text reads as one. Text that does not (a request refused for it) is kept as sent.
 */
function typed(member: string, text: string): JsonValue {
  switch (PARAMETER_TYPES.get(member)) {
    case 'integer':
      return INTEGER.test(text) ? Number(text) : text
    case 'boolean': {
      const lower = text.toLowerCase()
      return lower === 'true' ? true : lower === 'false' ? false : text
    }
    case undefined:
      return text
  }
}

/** The parameters' tree as the flat names describe it. */
type Tree =
  | { readonly kind: 'structure'; readonly members: Map<string, Tree> }
  | { readonly kind: 'list'; readonly items: Map<number, Tree> }
  | { readonly kind: 'value'; readonly member: string; readonly value: unknown }

// A list index of awsQuery: 1, 2, ... (bounded, so that no name makes a huge number).
const INDEX = /^[1-9]\d{0,8}$/

/** Whether the segments at `at` open a list item (`member.N`). */
function opensList(segments: readonly string[], at: number): boolean {
  const index = segments[at + 1]
  return segments[at] === 'member' && index !== undefined && INDEX.test(index)
}

/**
 * Puts one flat parameter into the tree. A name that contradicts an earlier one (`Tags=x` and
 * `Tags.member.1.Key=k`: a value and a list at once) is dropped: only a request AWS refuses
 * can send both, and the first keeps its place.
 */
function insert(root: Tree & { kind: 'structure' }, name: string, value: unknown): void {
  const segments = name.split('.')
  let node: Tree = root
  let member = ''
  let at = 0
  while (at < segments.length) {
    let key: string | number
    if (node.kind === 'structure') {
      key = segments[at] ?? ''
      member = key
      at += 1
    } else if (node.kind === 'list') {
      key = Number(segments[at])
      at += 1
    } else {
      return
    }
    const children: Map<string | number, Tree> =
      node.kind === 'structure' ? node.members : node.items
    if (at === segments.length) {
      if (!children.has(key)) children.set(key, { kind: 'value', member, value })
      return
    }
    const list = opensList(segments, at)
    const existing = children.get(key)
    let next: Tree
    if (existing === undefined) {
      next = list ? { kind: 'list', items: new Map() } : { kind: 'structure', members: new Map() }
      children.set(key, next)
    } else if (existing.kind === (list ? 'list' : 'structure')) {
      next = existing
    } else {
      return
    }
    if (list) at += 1
    node = next
  }
}

function toJson(tree: Tree, service: string | undefined): JsonValue {
  switch (tree.kind) {
    case 'value':
      return typeof tree.value === 'string'
        ? typed(tree.member, tree.value)
        : trailJson(tree.value, service)
    case 'list':
      return [...tree.items].sort(([a], [b]) => a - b).map(([, item]) => toJson(item, service))
    case 'structure': {
      const object: Record<string, JsonValue> = {}
      for (const [name, member] of tree.members) {
        defineMember(object, lowerCamel(name), toJson(member, service))
      }
      return object
    }
  }
}

/**
 * Whether a parameter is part of the request's envelope rather than the call: the Action and
 * Version (the record has eventName and the API version elsewhere), and SigV4's own parameters
 * of a presigned request (`X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`...).
 */
function isEnvelope(name: string): boolean {
  // As name.toLowerCase().startsWith('x-amz-'), without a lower-cased copy of every name: no
  // character but these letters' own two cases lower-cases to them.
  return name === 'Action' || name === 'Version' || SIGV4_PREFIX.test(name)
}

const SIGV4_PREFIX = /^x-amz-/i

/** The tree of the parameters other than the envelope's. */
function parameterTree(
  parameters: Readonly<Record<string, unknown>>,
  names: readonly string[],
): Tree & { kind: 'structure' } {
  const root: Tree & { kind: 'structure' } = { kind: 'structure', members: new Map() }
  for (const name of names) {
    if (!isEnvelope(name)) insert(root, name, parameters[name])
  }
  return root
}

/** Whether any name has a dot: most requests name only top-level members (GetUser's UserName). */
function nests(names: readonly string[]): boolean {
  for (const name of names) if (name.includes('.')) return true
  return false
}

/**
 * The request's parameters as CloudTrail writes them (before redaction), in the order they were
 * sent; null when the request had none, as in AWS's GetCallerIdentity records.
 */
export function requestParameters(
  parameters: Readonly<Record<string, unknown>> | undefined,
  service: string | undefined,
): JsonObject | null {
  if (parameters === undefined) return null
  const names = Object.keys(parameters)
  // Each name a member of the result, with nothing to nest: no tree is needed.
  if (!nests(names)) return flatParameters(parameters, names, service)
  const root = parameterTree(parameters, names)
  if (root.members.size === 0) return null
  return toJson(root, service) as JsonObject
}

/**
 * requestParameters of parameters none of whose names has a dot: what the tree of them gives
 * (each name a value of the root structure), built without the tree.
 */
function flatParameters(
  parameters: Readonly<Record<string, unknown>>,
  names: readonly string[],
  service: string | undefined,
): JsonObject | null {
  let object: Record<string, JsonValue> | undefined
  for (const name of names) {
    if (isEnvelope(name)) continue
    const value = parameters[name]
    object ??= {}
    defineMember(
      object,
      lowerCamel(name),
      typeof value === 'string' ? typed(name, value) : trailJson(value, service),
    )
  }
  return object ?? null
}

/**
 * The record's requestParameters as JSON text: JSON.stringify of `redact(requestParameters(...),
 * secrets)`, or null for an object that redaction emptied, written as the parameters are walked,
 * without the objects in between. Undefined where the text could differ from that (see
 * redactedTrailJson), for the caller to take the long way; `secrets` then has nothing new.
 */
export function requestParametersJson(
  parameters: Readonly<Record<string, unknown>> | undefined,
  service: string | undefined,
  secrets?: Set<string>,
): string | undefined {
  if (parameters === undefined) return 'null'
  const names = Object.keys(parameters)
  // In the order redact would have added them, once the text is sure.
  const found = secrets === undefined ? undefined : new Set<string>()
  let json: string | undefined
  if (nests(names)) {
    const root = parameterTree(parameters, names)
    json = root.members.size === 0 ? '{}' : treeJson(root, service, found)
  } else {
    json = flatJson(parameters, names, service, found)
  }
  if (json === undefined) return undefined
  if (secrets !== undefined && found !== undefined) for (const secret of found) secrets.add(secret)
  return json === '{}' ? 'null' : json
}

/** requestParametersJson of parameters none of whose names has a dot. */
function flatJson(
  parameters: Readonly<Record<string, unknown>>,
  names: readonly string[],
  service: string | undefined,
  found: Set<string> | undefined,
): string | undefined {
  let json = ''
  for (const name of names) {
    if (isEnvelope(name)) continue
    const member = apiMemberName(name)
    if (member === undefined) return undefined
    const value = parameters[name]
    const written = redactedMember(
      member,
      typeof value === 'string' ? typed(name, value) : value,
      service,
      found,
    )
    if (written === undefined) return undefined
    if (written !== '') json += `${json === '' ? '{' : ','}${member.json}:${written}`
  }
  return json === '' ? '{}' : `${json}}`
}

/** The JSON of redact(toJson(tree)), as redactedTrailJson writes a value. */
function treeJson(
  tree: Tree,
  service: string | undefined,
  found: Set<string> | undefined,
): string | undefined {
  switch (tree.kind) {
    case 'value':
      return redactedTrailJson(
        typeof tree.value === 'string' ? typed(tree.member, tree.value) : tree.value,
        service,
        found,
      )
    case 'list': {
      let json = '['
      let first = true
      for (const [, item] of [...tree.items].sort(([a], [b]) => a - b)) {
        const written = treeJson(item, service, found)
        if (written === undefined) return undefined
        json += first ? written : `,${written}`
        first = false
      }
      return `${json}]`
    }
    case 'structure': {
      let json = ''
      for (const [name, node] of tree.members) {
        const member = apiMemberName(name)
        if (member === undefined) return undefined
        let written: string | undefined
        if (node.kind === 'value') {
          written = redactedMember(
            member,
            typeof node.value === 'string' ? typed(node.member, node.value) : node.value,
            service,
            found,
          )
        } else if (member.treatment === undefined) {
          written = treeJson(node, service, found)
        } else {
          // A list or a structure under a secret's name: its strings are secrets too.
          if (found !== undefined) collectStrings(toJson(node, service), found)
          written = member.treatment === 'hide' ? HIDDEN_JSON : ''
        }
        if (written === undefined) return undefined
        if (written !== '') json += `${json === '' ? '{' : ','}${member.json}:${written}`
      }
      return json === '' ? '{}' : `${json}}`
    }
  }
}
