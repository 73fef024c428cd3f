/**
 * readParams: the vectors of test/cases/query/read-params.json (each body decoded by decodeForm,
 * then read with its shape), the types it infers from a shape, and its bounds.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AwsError } from '../../src/errors/aws-error.js'
import { decodeForm } from '../../src/protocol/query/decode-form.js'
import { queryPattern } from '../../src/protocol/query/query-pattern.js'
import type { QueryShape } from '../../src/protocol/query/query-shape.js'
import { readParams } from '../../src/protocol/query/read-params.js'
import { loadVectors, shapeFromJson, valueToJson } from './query-json.js'

interface ReadCase {
  readonly id: string
  readonly description: string
  readonly shape: string
  readonly body: string
  readonly missing?: 'ValidationError' | 'MissingParameter'
  readonly expect?: unknown
  readonly error?: { readonly code: string; readonly message: string }
}

const vectors = loadVectors('read-params.json') as {
  readonly shapes: Readonly<Record<string, unknown>>
  readonly cases: readonly ReadCase[]
}

type StructureShape = Extract<QueryShape, { kind: 'structure' }>

function structureShape(name: string): StructureShape {
  const shape = shapeFromJson(vectors.shapes[name])
  assert.equal(shape.kind, 'structure', name)
  return shape
}

function awsErrorOf(fn: () => unknown): AwsError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AwsError) return err
    throw err
  }
  assert.fail('expected an AwsError')
}

describe('readParams vectors', () => {
  it('has cases, each with one expectation and a known shape', () => {
    assert.ok(vectors.cases.length >= 90)
    assert.equal(new Set(vectors.cases.map((c) => c.id)).size, vectors.cases.length)
    for (const c of vectors.cases) {
      assert.ok((c.expect === undefined) !== (c.error === undefined), c.id)
      assert.ok(vectors.shapes[c.shape] !== undefined, c.id)
    }
  })

  for (const c of vectors.cases) {
    it(`${c.id}: ${c.description}`, () => {
      const { params } = decodeForm({ body: c.body })
      const shape = structureShape(c.shape)
      const options = c.missing === undefined ? {} : { missing: c.missing }
      if (c.error !== undefined) {
        const error = awsErrorOf(() => readParams(params, shape, options))
        assert.deepEqual({ code: error.code, message: error.message }, c.error)
        return
      }
      assert.deepEqual(valueToJson(readParams(params, shape, options)), c.expect)
    })
  }
})

describe('readParams types', () => {
  const CreateUser = {
    kind: 'structure',
    members: {
      UserName: { kind: 'string', required: true, min: 1, max: 64 },
      Path: { kind: 'string' },
      MaxSessionDuration: { kind: 'integer' },
      Status: { kind: 'string', enum: ['Active', 'Inactive'], required: true },
      Tags: {
        kind: 'list',
        member: {
          kind: 'structure',
          members: { Key: { kind: 'string', required: true }, Value: { kind: 'string' } },
        },
      },
      Properties: { kind: 'map', key: { kind: 'string' }, value: { kind: 'boolean' } },
      When: { kind: 'timestamp' },
    },
  } as const satisfies QueryShape

  it('infers required and optional members, enums, lists, maps and timestamps', () => {
    const body =
      'Action=CreateUser&UserName=Bob&Status=Active&Tags.member.1.Key=k&MaxSessionDuration=3600' +
      '&Properties.entry.1.key=on&Properties.entry.1.value=true&When=2026-11-28T19:12:27Z'
    const input = readParams(decodeForm({ body }).params, CreateUser)
    // Each assignment compiles only if readParams' result has exactly this type.
    const name: string = input.UserName
    const status: 'Active' | 'Inactive' = input.Status
    const path: string | undefined = input.Path
    const duration: number | undefined = input.MaxSessionDuration
    const key: string | undefined = input.Tags?.[0]?.Key
    const value: string | undefined = input.Tags?.[0]?.Value
    const on: boolean | undefined = input.Properties?.get('on')
    const when: Date | undefined = input.When
    // @ts-expect-error -- an optional member may be absent
    const mustPath: string = input.Path
    assert.deepEqual(
      [name, status, path, duration, key, value, on, when?.toISOString(), mustPath],
      [
        'Bob',
        'Active',
        undefined,
        3600,
        'k',
        undefined,
        true,
        '2026-11-28T19:12:27.000Z',
        undefined,
      ],
    )
  })
})

describe('queryPattern', () => {
  it('matches the whole value, as Java matches a model pattern', () => {
    const { regex, text } = queryPattern('[\\w+=,.@-]+')
    assert.equal(text, '[\\w+=,.@-]+')
    assert.ok(regex.test('Bob+x@example.com'))
    assert.ok(!regex.test('Bob x'))
    assert.ok(!regex.test(''))
  })

  it('keeps alternatives inside the anchors', () => {
    const { regex } = queryPattern('(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)')
    assert.ok(regex.test('/'))
    assert.ok(regex.test('/division_abc/'))
    assert.ok(!regex.test('/a'))
    assert.ok(!regex.test('a/'))
  })

  it('reads Unicode classes (\\p{L}) as Java does', () => {
    const { regex } = queryPattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+')
    assert.ok(regex.test('Équipe 日本 ٣'))
    assert.ok(!regex.test('a<b'))
  })
})

describe('readParams bounds', () => {
  it('reads a list of 999 members (with Action, the most decodeForm lets through) in order', () => {
    const shape = {
      kind: 'structure',
      members: { Names: { kind: 'list', member: { kind: 'string' } } },
    } as const satisfies QueryShape
    const pairs = Array.from({ length: 999 }, (_, i) => `Names.member.${999 - i}=n${999 - i}`)
    const input = readParams(decodeForm({ body: `Action=X&${pairs.join('&')}` }).params, shape)
    assert.equal(input.Names?.length, 999)
    assert.equal(input.Names?.[0], 'n1')
    assert.equal(input.Names?.[998], 'n999')
  })

  it('refuses a member number far beyond the list length without building the gap', () => {
    const shape = {
      kind: 'structure',
      members: { Names: { kind: 'list', member: { kind: 'string' } } },
    } as const satisfies QueryShape
    const params = new Map([['Names.member.99999999999999999999', 'x']])
    assert.equal(awsErrorOf(() => readParams(params, shape)).code, 'InvalidQueryParameter')
  })
})
