/**
 * The second step of an awsQuery request: the flat parameters (`Tags.member.1.Key=Dept`) read
 * into an operation's typed input, following the shape the operation declares, and checked
 * against the model's constraints with AWS's error codes and wording.
 */
import { AwsError } from '../../errors/aws-error.js'
import type { QueryShape } from './query-shape.js'
import type { QueryValue } from './query-value.js'

type StructureShape = Extract<QueryShape, { kind: 'structure' }>
type StringShape = Extract<QueryShape, { kind: 'string' }>
type IntegerShape = Extract<QueryShape, { kind: 'integer' }>
type ListShape = Extract<QueryShape, { kind: 'list' }>
type MapShape = Extract<QueryShape, { kind: 'map' }>

/** The parameters as a tree of their dot-separated names: `Tags` → `member` → `1` → `Key`. */
interface ParamNode {
  value: string | undefined
  readonly children: Map<string, ParamNode>
}

/** A member of a structure shape, with the name AWS's messages give it. */
interface MemberEntry {
  readonly name: string
  readonly shape: QueryShape
  readonly messageName: string
}

/** What a read collects on its way: every constraint violation, and the first missing member. */
interface Reading {
  readonly violations: string[]
  missing: string | undefined
}

// A member number: 1, 2, 3, … with no sign and no leading zero, so that each number has one
// spelling and `member.1` and `member.01` cannot both name the first member.
const MEMBER_NUMBER = /^[1-9][0-9]*$/
// Java's Integer.parseInt accepts a sign; IAM's and STS's integers are Java ints.
const INTEGER = /^[+-]?[0-9]+$/
const INT_MIN = -2147483648
const INT_MAX = 2147483647
// RFC 3339 date-time, the awsQuery default for timestamps (reference §1.1).
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/
// What AWS's Java services print for a member marked sensitive.
const REDACTED = '*** Sensitive Data Redacted ***'
// The children of a parameter with no dotted names under it. Nothing writes to it: only
// buildTree adds children, and only to the nodes it makes.
const NO_CHILDREN: Map<string, ParamNode> = new Map()
// The members of each structure shape, worked out on its first read: shapes are constants of
// the code, the same objects on every request.
const MEMBERS = new WeakMap<StructureShape, readonly MemberEntry[]>()

function membersOf(shape: StructureShape): readonly MemberEntry[] {
  let members = MEMBERS.get(shape)
  if (members === undefined) {
    members = Object.entries(shape.members).map(([name, member]) => ({
      name,
      shape: member,
      messageName: messageName(name),
    }))
    MEMBERS.set(shape, members)
  }
  return members
}

/**
 * The tree of parameters without a dot in their names (GetUser's `UserName=…`, most requests):
 * the root, each parameter a leaf under it, as buildTree would make it.
 */
function flatTree(params: ReadonlyMap<string, string>): ParamNode | undefined {
  for (const name of params.keys()) if (name.includes('.')) return undefined
  const root: ParamNode = { value: undefined, children: new Map() }
  for (const [name, value] of params) root.children.set(name, { value, children: NO_CHILDREN })
  return root
}

function buildTree(params: ReadonlyMap<string, string>): ParamNode {
  const root: ParamNode = { value: undefined, children: new Map() }
  for (const [name, value] of params) {
    let node = root
    for (const segment of name.split('.')) {
      let child = node.children.get(segment)
      if (child === undefined) {
        child = { value: undefined, children: new Map() }
        node.children.set(segment, child)
      }
      node = child
    }
    node.value = value
  }
  return root
}

/** AWS names members in lowerCamelCase in its messages: `UserName` is 'userName'. */
function messageName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

/** A request whose parameters do not form the shape's lists and maps. */
function notWellFormed(detail: string): AwsError {
  return new AwsError('InvalidQueryParameter', `${detail}.`)
}

/** A value that is not of its member's type; Coral fails these before any constraint check. */
function notOfType(raw: string, wire: string, type: string): AwsError {
  return new AwsError(
    'InvalidParameterValue',
    `Value '${raw}' for parameter ${wire} is invalid. It must be ${type}.`,
  )
}

function violation(reading: Reading, value: string, path: string, constraint: string): void {
  reading.violations.push(
    `Value ${value} at '${path}' failed to satisfy constraint: Member must ${constraint}`,
  )
}

/** A value as AWS's messages show it: Java's toString of the deserialized member. */
function render(value: unknown, shape: QueryShape): string {
  switch (shape.kind) {
    case 'string':
      return shape.sensitive === true ? REDACTED : String(value)
    case 'integer':
    case 'boolean':
      return String(value)
    case 'timestamp':
      return (value as Date).toISOString()
    case 'list':
      return `[${(value as unknown[]).map((item) => render(item, shape.member)).join(', ')}]`
    case 'map': {
      const entries = [...(value as Map<string, unknown>)]
      return `{${entries.map(([k, v]) => `${k}=${render(v, shape.value)}`).join(', ')}}`
    }
    case 'structure': {
      const object = value as Record<string, unknown>
      const parts = Object.entries(shape.members)
        .filter(([name]) => object[name] !== undefined)
        .map(([name, member]) => `${name}: ${render(object[name], member)}`)
      return `{${parts.join(', ')}}`
    }
  }
}

/** A string value as a violation shows it, quoted (worked out only for a violation). */
function shownString(value: string, shape: StringShape): string {
  return `'${shape.sensitive === true ? REDACTED : value}'`
}

function checkString(value: string, shape: StringShape, path: string, reading: Reading): string {
  // The order AWS reports them in when one value fails several (reference §1.3: pattern, then
  // length).
  if (shape.enum !== undefined && !shape.enum.includes(value)) {
    violation(
      reading,
      shownString(value, shape),
      path,
      `satisfy enum value set: [${shape.enum.join(', ')}]`,
    )
  }
  if (shape.pattern !== undefined && !shape.pattern.regex.test(value)) {
    violation(
      reading,
      shownString(value, shape),
      path,
      `satisfy regular expression pattern: ${shape.pattern.text}`,
    )
  }
  if (shape.min !== undefined && value.length < shape.min) {
    violation(
      reading,
      shownString(value, shape),
      path,
      `have length greater than or equal to ${shape.min}`,
    )
  }
  if (shape.max !== undefined && value.length > shape.max) {
    violation(
      reading,
      shownString(value, shape),
      path,
      `have length less than or equal to ${shape.max}`,
    )
  }
  return value
}

function readInteger(
  raw: string,
  shape: IntegerShape,
  path: string,
  wire: string,
  reading: Reading,
): number {
  if (!INTEGER.test(raw)) throw notOfType(raw, wire, 'an integer')
  // `+ 0` turns -0 into 0.
  const value = Number(raw) + 0
  if (value < INT_MIN || value > INT_MAX) {
    throw notOfType(raw, wire, `an integer from ${INT_MIN} to ${INT_MAX}`)
  }
  if (shape.min !== undefined && value < shape.min) {
    violation(reading, `'${value}'`, path, `have value greater than or equal to ${shape.min}`)
  }
  if (shape.max !== undefined && value > shape.max) {
    violation(reading, `'${value}'`, path, `have value less than or equal to ${shape.max}`)
  }
  return value
}

function notTimestamp(raw: string, wire: string): AwsError {
  return notOfType(raw, wire, 'an ISO 8601 date and time, e.g. 2015-01-25T08:00:00Z')
}

function readTimestamp(raw: string, wire: string): Date {
  const m = DATE_TIME.exec(raw)
  if (m === null) throw notTimestamp(raw, wire)
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3))
  const sign = m[8] === '-' ? -1 : 1
  const offsetHours = Number(m[9] ?? 0)
  const offsetMinutes = Number(m[10] ?? 0)
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    throw notTimestamp(raw, wire)
  }
  // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes the year as it is.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  // A day the month does not have (February 30) rolls over into the next month.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw notTimestamp(raw, wire)
  date.setUTCHours(hour, minute, second, millis)
  return new Date(date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000)
}

/**
 * The members of a list or the entries of a map, `container` being the node of `Tags.member`
 * or `Properties.entry`. They must be numbered 1 to n without a gap: AWS's clients (SDK v3,
 * botocore) always number them so, and a gap would leave it open whether a member was lost.
 */
function numbered(container: ParamNode, wire: string): ParamNode[] {
  if (container.value !== undefined) {
    throw notWellFormed(`The parameter ${wire} needs a member number, as in ${wire}.1`)
  }
  const count = container.children.size
  const items: (ParamNode | undefined)[] = new Array<ParamNode | undefined>(count).fill(undefined)
  for (const [segment, child] of container.children) {
    if (!MEMBER_NUMBER.test(segment)) {
      throw notWellFormed(
        `The parameter ${wire}.${segment} is malformed: members are numbered 1, 2, 3, and so on`,
      )
    }
    // Member numbers are distinct, so all n of them are at most n only when they are 1 to n.
    const index = Number(segment)
    if (index > count) {
      throw notWellFormed(
        `The parameter ${wire}.${segment} is out of sequence: members are numbered from 1 without a gap`,
      )
    }
    items[index - 1] = child
  }
  return items as ParamNode[]
}

/** An empty list or map as the SDKs send it: `Tags=` with no members (reference §1.1). */
function isEmptyMarker(node: ParamNode, container: ParamNode | undefined, wire: string): boolean {
  if (node.value === undefined) return false
  if (node.value !== '' || container !== undefined) {
    throw notWellFormed(
      node.value !== ''
        ? `The parameter ${wire} must be empty or be sent as numbered members`
        : `The parameter ${wire} is sent both empty and with members`,
    )
  }
  return true
}

function checkCount(
  value: unknown,
  count: number,
  shape: ListShape | MapShape,
  path: string,
  reading: Reading,
): void {
  if (shape.min !== undefined && count < shape.min) {
    violation(
      reading,
      `'${render(value, shape)}'`,
      path,
      `have length greater than or equal to ${shape.min}`,
    )
  }
  if (shape.max !== undefined && count > shape.max) {
    violation(
      reading,
      `'${render(value, shape)}'`,
      path,
      `have length less than or equal to ${shape.max}`,
    )
  }
}

function readList(
  node: ParamNode,
  shape: ListShape,
  path: string,
  wire: string,
  reading: Reading,
): unknown[] | undefined {
  const container = node.children.get('member')
  let list: unknown[]
  if (isEmptyMarker(node, container, wire)) list = []
  else if (container === undefined) return undefined
  else {
    list = numbered(container, `${wire}.member`).map((item, i) => {
      const itemWire = `${wire}.member.${i + 1}`
      const value = read(item, shape.member, `${path}.${i + 1}.member`, itemWire, reading)
      if (value === undefined) {
        const scalar = !['list', 'map', 'structure'].includes(shape.member.kind)
        throw notWellFormed(`The list member ${itemWire} has no ${scalar ? 'value' : 'members'}`)
      }
      return value
    })
  }
  checkCount(list, list.length, shape, path, reading)
  return list
}

function readMap(
  node: ParamNode,
  shape: MapShape,
  path: string,
  wire: string,
  reading: Reading,
): Map<string, unknown> | undefined {
  const container = node.children.get('entry')
  const map = new Map<string, unknown>()
  if (!isEmptyMarker(node, container, wire)) {
    if (container === undefined) return undefined
    numbered(container, `${wire}.entry`).forEach((entry, i) => {
      const entryWire = `${wire}.entry.${i + 1}`
      const entryPath = `${path}.entry.${i + 1}`
      const rawKey = entry.children.get('key')?.value
      if (rawKey === undefined) throw notWellFormed(`The parameter ${entryWire}.key is missing`)
      const key = checkString(rawKey, shape.key, `${entryPath}.key`, reading)
      const valueNode = entry.children.get('value')
      const value = read(
        valueNode,
        shape.value,
        `${entryPath}.value`,
        `${entryWire}.value`,
        reading,
      )
      if (value === undefined) throw notWellFormed(`The parameter ${entryWire}.value is missing`)
      if (map.has(key)) throw notWellFormed(`The key '${key}' appears more than once in ${wire}`)
      map.set(key, value)
    })
  }
  checkCount(map, map.size, shape, path, reading)
  return map
}

function readStructure(
  node: ParamNode,
  shape: StructureShape,
  path: string,
  wire: string,
  reading: Reading,
): Record<string, unknown> {
  const object: Record<string, unknown> = {}
  for (const { name, shape: member, messageName: message } of membersOf(shape)) {
    const memberPath = path === '' ? message : `${path}.${message}`
    const memberWire = wire === '' ? name : `${wire}.${name}`
    const value = read(node.children.get(name), member, memberPath, memberWire, reading)
    if (value !== undefined) object[name] = value
    else if (member.required === true) {
      violation(reading, 'null', memberPath, 'not be null')
      reading.missing ??= memberWire
    }
  }
  return object
}

/** One member: undefined when the request does not carry it. */
function read(
  node: ParamNode | undefined,
  shape: QueryShape,
  path: string,
  wire: string,
  reading: Reading,
): unknown {
  if (node === undefined) return undefined
  const raw = node.value
  switch (shape.kind) {
    case 'string':
      return raw === undefined ? undefined : checkString(raw, shape, path, reading)
    case 'integer':
      return raw === undefined ? undefined : readInteger(raw, shape, path, wire, reading)
    case 'boolean':
      if (raw === undefined) return undefined
      if (raw !== 'true' && raw !== 'false') throw notOfType(raw, wire, 'true or false')
      return raw === 'true'
    case 'timestamp':
      return raw === undefined ? undefined : readTimestamp(raw, wire)
    case 'list':
      return readList(node, shape, path, wire, reading)
    case 'map':
      return readMap(node, shape, path, wire, reading)
    case 'structure':
      // `Nested=x` alone carries none of the structure's members: the structure is absent.
      return node.children.size === 0 ? undefined : readStructure(node, shape, path, wire, reading)
  }
}

/**
 * Reads an operation's input from decoded awsQuery parameters by its shape. Parameters the shape
 * does not name are ignored. Throws an AwsError: InvalidParameterValue for a value not of its
 * type, InvalidQueryParameter for malformed lists and maps, and ValidationError listing every
 * violated constraint, a missing required member included ("Member must not be null"), or
 * MissingParameter for that member when `options.missing` asks for it.
 */
export function readParams<S extends StructureShape>(
  params: ReadonlyMap<string, string>,
  shape: S,
  options: { readonly missing?: 'ValidationError' | 'MissingParameter' } = {},
): QueryValue<S> {
  const reading: Reading = { violations: [], missing: undefined }
  const tree = flatTree(params) ?? buildTree(params)
  const input = readStructure(tree, shape, '', '', reading)
  if (options.missing === 'MissingParameter' && reading.missing !== undefined) {
    throw new AwsError('MissingParameter', `The parameter ${reading.missing} is required.`)
  }
  const count = reading.violations.length
  if (count > 0) {
    throw new AwsError(
      'ValidationError',
      `${count} validation error${count === 1 ? '' : 's'} detected: ${reading.violations.join('; ')}`,
    )
  }
  // The object was built member by member from `shape`, which is what QueryValue<S> describes.
  return input as QueryValue<S>
}
