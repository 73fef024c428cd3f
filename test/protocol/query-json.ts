/**
 * The JSON forms of the query codec's test vectors (test/cases/query/): shapes whose patterns are
 * strings, and values whose Dates and Maps are written `{"$timestamp": "…"}` and
 * `{"$map": [[key, value], …]}`, and an undefined member of a structure `{"$undefined": true}`.
 */
import { readFileSync } from 'node:fs'
import { queryPattern } from '../../src/protocol/query/query-pattern.js'
import type { QueryShape } from '../../src/protocol/query/query-shape.js'
import type { XmlValue } from '../../src/protocol/query/xml-value.js'

/** Reads one vector file of test/cases/query/. */
export function loadVectors(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../cases/query/${name}`, import.meta.url), 'utf8'))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A shape written in JSON, its `pattern` a string, compiled as readParams needs it. */
export function shapeFromJson(json: unknown): QueryShape {
  if (!isRecord(json)) throw new Error(`not a shape: ${JSON.stringify(json)}`)
  const shape: Record<string, unknown> = { ...json }
  if (typeof json['pattern'] === 'string') shape['pattern'] = queryPattern(json['pattern'])
  if (json['member'] !== undefined) shape['member'] = shapeFromJson(json['member'])
  if (json['key'] !== undefined) shape['key'] = shapeFromJson(json['key'])
  if (json['value'] !== undefined) shape['value'] = shapeFromJson(json['value'])
  if (isRecord(json['members'])) {
    shape['members'] = Object.fromEntries(
      Object.entries(json['members']).map(([name, member]) => [name, shapeFromJson(member)]),
    )
  }
  // The vectors are checked against readParams' behaviour, not against the type: a malformed
  // shape fails its case.
  return shape as unknown as QueryShape
}

/** A result value written in JSON, as encodeXml takes it. */
export function valueFromJson(json: unknown): XmlValue {
  if (typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean') return json
  if (Array.isArray(json)) return json.map(valueFromJson)
  if (!isRecord(json)) throw new Error(`not a value: ${JSON.stringify(json)}`)
  if (typeof json['$timestamp'] === 'string') return new Date(json['$timestamp'])
  if (Array.isArray(json['$map'])) {
    return new Map(
      (json['$map'] as [string, unknown][]).map(([key, value]) => [key, valueFromJson(value)]),
    )
  }
  return Object.fromEntries(
    Object.entries(json).map(([name, v]) => [
      name,
      isRecord(v) && v['$undefined'] === true ? undefined : valueFromJson(v),
    ]),
  )
}

/** A value as readParams returns it, in the JSON form of the vectors. */
export function valueToJson(value: unknown): unknown {
  if (value instanceof Date) return { $timestamp: value.toISOString() }
  if (value instanceof Map) {
    return { $map: [...(value as Map<string, unknown>)].map(([k, v]) => [k, valueToJson(v)]) }
  }
  if (Array.isArray(value)) return value.map(valueToJson)
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, valueToJson(v)]))
  }
  return value
}
