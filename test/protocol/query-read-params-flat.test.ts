/**
 * readParams on flat parameters (no dot in any name: GetUser's `UserName=…`), which it reads
 * without building the tree of dotted names: the same input, or the same error, as when a dotted
 * parameter the shape does not name makes it build the tree.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { queryPattern } from '../../src/protocol/query/query-pattern.js'
import type { QueryShape } from '../../src/protocol/query/query-shape.js'
import { readParams } from '../../src/protocol/query/read-params.js'
import { valueToJson } from './query-json.js'

type StructureShape = Extract<QueryShape, { kind: 'structure' }>

const SHAPE: StructureShape = {
  kind: 'structure',
  members: {
    UserName: {
      kind: 'string',
      required: true,
      min: 1,
      max: 8,
      pattern: queryPattern('[\\w+=,.@-]+'),
    },
    Password: { kind: 'string', sensitive: true, max: 4 },
    Status: { kind: 'string', enum: ['Active', 'Inactive'] },
    MaxItems: { kind: 'integer', min: 1, max: 1000 },
    Enabled: { kind: 'boolean' },
    NotAfter: { kind: 'timestamp' },
    Names: { kind: 'list', member: { kind: 'string' }, max: 2 },
    Labels: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } },
    Nested: { kind: 'structure', members: { Inner: { kind: 'string', required: true } } },
  },
}

function outcome(params: ReadonlyMap<string, string>, missing: boolean): unknown {
  try {
    const options = missing ? { missing: 'MissingParameter' as const } : {}
    return { value: valueToJson(readParams(params, SHAPE, options)) }
  } catch (err) {
    return { error: String(err), code: (err as { code?: unknown }).code }
  }
}

describe('readParams on flat parameters', () => {
  it('reads them as it reads them among dotted parameters', () => {
    const value = fc.oneof(
      fc.constantFrom('', 'x', 'bob', 'Active', 'true', 'false', '0', '7', '-3', '+2', '2000'),
      fc.constantFrom(
        '2015-01-25T08:00:00Z',
        '2015-02-30T00:00:00Z',
        'a b',
        'ééé',
        'averylongname',
      ),
      fc.string({ maxLength: 10 }),
    )
    const name = fc.constantFrom(...Object.keys(SHAPE.members), 'Other', 'X-Amz-Date')
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 9 }),
        fc.boolean(),
        (pairs, missing) => {
          const flat = new Map(pairs)
          const dotted = new Map([...pairs, ['Unnamed.member.1', 'x']])
          assert.deepEqual(outcome(flat, missing), outcome(dotted, missing))
        },
      ),
      { seed: 3203, numRuns: 2000 },
    )
  })
})
