/**
 * decodeForm: the vectors of test/cases/query/decode-form.json, the limits it holds requests to,
 * and, for any parameters, that both encodings clients use (SDK v3's %20, botocore's +) decode to
 * exactly what was encoded.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { AwsError } from '../../src/errors/aws-error.js'
import { decodeForm } from '../../src/protocol/query/decode-form.js'
import { FORM_LIMITS } from '../../src/protocol/query/form-limits.js'
import { loadVectors } from './query-json.js'

interface DecodeCase {
  readonly id: string
  readonly description: string
  readonly query?: string
  readonly body?: string
  readonly bodyHex?: string
  readonly expect?: {
    readonly action: string
    readonly version: string | null
    readonly params: readonly (readonly [string, string])[]
  }
  readonly error?: { readonly code: string; readonly message: string }
}

const vectors = loadVectors('decode-form.json') as { readonly cases: readonly DecodeCase[] }

function inputOf(c: DecodeCase): { query?: string; body?: string | Uint8Array } {
  const input: { query?: string; body?: string | Uint8Array } = {}
  if (c.query !== undefined) input.query = c.query
  if (c.body !== undefined) input.body = c.body
  if (c.bodyHex !== undefined) input.body = new Uint8Array(Buffer.from(c.bodyHex, 'hex'))
  return input
}

/** Runs `fn`, which must throw an AwsError, and returns it. */
function awsErrorOf(fn: () => unknown): AwsError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AwsError) return err
    throw err
  }
  assert.fail('expected an AwsError')
}

describe('decodeForm vectors', () => {
  it('has cases, each with one expectation', () => {
    assert.ok(vectors.cases.length >= 30)
    for (const c of vectors.cases)
      assert.ok((c.expect === undefined) !== (c.error === undefined), c.id)
    assert.equal(new Set(vectors.cases.map((c) => c.id)).size, vectors.cases.length)
  })

  for (const c of vectors.cases) {
    it(`${c.id}: ${c.description}`, () => {
      if (c.error !== undefined) {
        const error = awsErrorOf(() => decodeForm(inputOf(c)))
        assert.deepEqual({ code: error.code, message: error.message }, c.error)
        return
      }
      const decoded = decodeForm(inputOf(c))
      assert.deepEqual(
        { action: decoded.action, version: decoded.version ?? null, params: [...decoded.params] },
        c.expect,
      )
    })
  }
})

describe('decodeForm limits', () => {
  const limits = { maxBytes: 64, maxParameters: 4, maxNameLength: 8 }

  it('documents defaults that hold the largest policy document', () => {
    // 131,072 characters, each a Latin-1 letter percent-encoded as two UTF-8 bytes.
    const policy = 'é'.repeat(131_072)
    const body = `Action=PutRolePolicy&Version=2010-05-08&PolicyDocument=${encodeURIComponent(policy)}`
    assert.ok(body.length <= FORM_LIMITS.maxBytes)
    assert.equal(decodeForm({ body }).params.get('PolicyDocument'), policy)
  })

  it('refuses more bytes than maxBytes, counting the query string and the body together', () => {
    const query = 'Action=ListUsers&a=' + 'a'.repeat(20)
    const body = 'b=' + 'b'.repeat(62 - query.length)
    assert.equal(decodeForm({ query, body }, limits).action, 'ListUsers')
    const error = awsErrorOf(() => decodeForm({ query, body: body + 'b' }, limits))
    assert.equal(error.code, 'InvalidQueryParameter')
    assert.equal(error.message, "The request's parameters are larger than 64 bytes.")
  })

  it('counts bytes, not characters', () => {
    const body = 'Action=X&U=' + 'é'.repeat(27)
    assert.equal(body.length, 38)
    assert.equal(awsErrorOf(() => decodeForm({ body }, limits)).code, 'InvalidQueryParameter')
    const bytes = new Uint8Array(Buffer.from(body, 'utf8'))
    assert.equal(
      awsErrorOf(() => decodeForm({ body: bytes }, limits)).code,
      'InvalidQueryParameter',
    )
  })

  it('refuses more parameters than maxParameters, Action and Version included', () => {
    assert.equal(decodeForm({ body: 'Action=X&Version=1&a=1&b=2' }, limits).params.size, 2)
    const error = awsErrorOf(() => decodeForm({ body: 'Action=X&Version=1&a=1&b=2&c=3' }, limits))
    assert.equal(error.code, 'InvalidQueryParameter')
    assert.equal(error.message, 'The request has more than 4 parameters.')
  })

  it('does not count empty pairs', () => {
    assert.equal(decodeForm({ body: '&&&&&&Action=X&&&&a=1&&&&' }, limits).params.size, 1)
  })

  it('refuses a decoded name longer than maxNameLength', () => {
    assert.equal(decodeForm({ body: 'Action=X&abcdefgh=1' }, limits).params.get('abcdefgh'), '1')
    const error = awsErrorOf(() => decodeForm({ body: 'Action=X&abcdefghi=1' }, limits))
    assert.equal(error.code, 'InvalidQueryParameter')
    assert.equal(error.message, 'A parameter name is longer than 8 characters.')
  })
})

describe('decodeForm on any parameters', () => {
  // Names as the codec meets them: anything but empty, with dots, spaces, + and non-ASCII.
  const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  const params = fc.uniqueArray(fc.tuple(name, fc.string({ unit: 'grapheme', maxLength: 20 })), {
    selector: ([n]) => n,
    maxLength: 8,
  })
  const withoutReserved = params.map((pairs) =>
    pairs.filter(([n]) => n !== 'Action' && n !== 'Version'),
  )

  it('reads back what SDK v3 (encodeURIComponent, %20) encodes', () => {
    fc.assert(
      fc.property(withoutReserved, (pairs) => {
        const body = [['Action', 'X'], ...pairs]
          .map(([n, v]) => `${encodeURIComponent(n ?? '')}=${encodeURIComponent(v ?? '')}`)
          .join('&')
        assert.deepEqual([...decodeForm({ body }).params], pairs)
      }),
      { seed: 3001, numRuns: 300 },
    )
  })

  it('reads back what botocore (urlencode, +) encodes', () => {
    fc.assert(
      fc.property(withoutReserved, (pairs) => {
        const body = new URLSearchParams([['Action', 'X'], ...pairs]).toString()
        assert.deepEqual([...decodeForm({ body }).params], pairs)
      }),
      { seed: 3002, numRuns: 300 },
    )
  })

  it('never throws anything but an AwsError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 32 }), (body, query) => {
        try {
          decodeForm({ body, query })
        } catch (err) {
          assert.ok(err instanceof AwsError, String(err))
        }
      }),
      { seed: 3003, numRuns: 500 },
    )
  })
})
