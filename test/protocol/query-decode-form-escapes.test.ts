/**
 * decodeForm's percent-escapes and byte input: runs of escapes decoded as one UTF-8 sequence
 * (ASCII runs included), invalid UTF-8 refused wherever it is, a byte order mark kept, and a body
 * given as bytes read as the same text given as a string.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { AwsError } from '../../src/errors/aws-error.js'
import { decodeForm } from '../../src/protocol/query/decode-form.js'

function messageOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof AwsError) return `${err.code}: ${err.message}`
    throw err
  }
  assert.fail('expected an AwsError')
}

const NOT_UTF8 =
  'MalformedQueryString: The query string contains a syntax error: the percent-encoded bytes of'

describe('decodeForm escapes', () => {
  it('decodes a run of ASCII and multi-byte escapes as one UTF-8 sequence', () => {
    const { params } = decodeForm({
      body: 'Action=X&V=a%41%C3%A9%2Fb%e2%82%ACc%2B+d&N%2E1=%F0%9F%98%80',
    })
    assert.deepEqual(
      [...params],
      [
        ['V', 'aAé/b€c+ d'],
        ['N.1', '😀'],
      ],
    )
  })

  it('refuses a run that is not UTF-8, after ASCII bytes or between good runs', () => {
    for (const value of ['%41%C3', '%C3%A9x%FF', 'a%ED%A0%80', '%C0%80', '%41%41%80']) {
      assert.equal(
        messageOf(() => decodeForm({ body: `Action=X&V=${value}` })),
        `${NOT_UTF8} the value of V are not UTF-8.`,
      )
    }
    assert.equal(
      messageOf(() => decodeForm({ body: 'Action=X&%41%FF=1' })),
      `${NOT_UTF8} a parameter name are not UTF-8.`,
    )
  })

  it('reports a malformed escape before a run that is not UTF-8', () => {
    assert.equal(
      messageOf(() => decodeForm({ body: 'Action=X&V=%FF%4' })),
      "MalformedQueryString: The query string contains a syntax error: '%4' in the value of V is not a percent-encoded byte.",
    )
  })

  it('keeps a byte order mark, raw or escaped', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf])
    const raw = decodeForm({ body: Buffer.concat([bom, Buffer.from('a=1&Action=X')]) })
    assert.deepEqual([...raw.params], [['\uFEFFa', '1']])
    const escaped = decodeForm({ body: 'Action=X&V=%EF%BB%BFz' })
    assert.equal(escaped.params.get('V'), '\uFEFFz')
  })

  it('refuses a body of bytes that are not UTF-8, and reads a view into a larger buffer', () => {
    for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      const body = Buffer.concat([Buffer.from('Action=X&V='), Buffer.from(bytes)])
      assert.equal(
        messageOf(() => decodeForm({ body })),
        'MalformedQueryString: The query string contains a syntax error: the request body is not UTF-8.',
      )
    }
    const whole = Buffer.from('\xffAction=X&V=1\xff', 'latin1')
    const view = whole.subarray(1, whole.length - 1)
    assert.deepEqual([...decodeForm({ body: view }).params], [['V', '1']])
  })

  it('reads a body given as bytes as the same text given as a string', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 })
    fc.assert(
      fc.property(text, text, (name, value) => {
        const body = `Action=X&${encodeURIComponent(name)}x=${value.replaceAll('%', '%25')}`
        const fromString = (() => {
          try {
            return [...decodeForm({ body }).params]
          } catch (err) {
            return String(err)
          }
        })()
        const fromBytes = (() => {
          try {
            return [...decodeForm({ body: new Uint8Array(Buffer.from(body, 'utf8')) }).params]
          } catch (err) {
            return String(err)
          }
        })()
        assert.deepEqual(fromBytes, fromString)
      }),
      { seed: 3202, numRuns: 500 },
    )
  })
})
