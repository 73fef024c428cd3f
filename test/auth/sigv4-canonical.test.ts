/**
 * The canonical forms one rule at a time (the official suite checks them together): path
 * normalization and double encoding, the query's encoding and order, header trimming and joining,
 * the date formats, and the constant-time comparison's edge cases.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  canonicalizeHeaders,
  canonicalizeQuery,
  canonicalizeUri,
  parseQuery,
} from '../../src/auth/sigv4/index.js'
import { parseAmzDate } from '../../src/auth/sigv4/parse-amz-date.js'
import { parseHttpDate } from '../../src/auth/sigv4/parse-http-date.js'
import { signaturesEqual } from '../../src/auth/sigv4/signatures-equal.js'

function query(raw: string, excluded: readonly string[] = []): string {
  return canonicalizeQuery(parseQuery(raw), new Set(excluded))
}

describe('canonicalizeUri', () => {
  it('encodes the received path once more, keeping slashes', () => {
    assert.equal(canonicalizeUri('/a%20b/c+d', true), '/a%2520b/c%2Bd')
    assert.equal(canonicalizeUri('/\u1234', true), '/%E1%88%B4')
    assert.equal(canonicalizeUri('/-._~AZaz09', true), '/-._~AZaz09')
  })

  it('removes dot segments and empty segments, keeping a trailing slash', () => {
    const cases: [string, string][] = [
      ['/', '/'],
      ['//', '/'],
      ['/./', '/'],
      ['/a/./b', '/a/b'],
      ['/a/../b', '/b'],
      ['/a/b/..', '/a'],
      ['/a/b/../', '/a/'],
      ['/../..', '/'],
      ['//example//', '/example/'],
    ]
    for (const [path, canonical] of cases)
      assert.equal(canonicalizeUri(path, true), canonical, path)
  })

  it('keeps the path as received when told not to normalize (S3)', () => {
    assert.equal(canonicalizeUri('//example/../a/./', false), '//example/../a/./')
  })

  it('reads only an empty path as the root; a relative one is not signed as `/`', () => {
    assert.equal(canonicalizeUri('', true), '/')
    assert.equal(canonicalizeUri('.', true), '')
    assert.notEqual(canonicalizeUri('x/..', true), '/')
  })
})

describe('canonicalizeQuery', () => {
  it('sorts by encoded name, then by encoded value', () => {
    assert.equal(query('b=2&a=3&a=1&A=0'), 'A=0&a=1&a=3&b=2')
    assert.equal(
      query('Param-3=Value3&Param=Value2&%E1%88%B4=Value1'),
      '%E1%88%B4=Value1&Param=Value2&Param-3=Value3',
    )
  })

  it('re-encodes every name and value the one RFC 3986 way', () => {
    assert.equal(query('a=%7e%2a'), 'a=~%2A')
    assert.equal(query('\u1234=bar'), '%E1%88%B4=bar')
    assert.equal(query('a=b c'), 'a=b%20c')
  })

  it('reads `+` as a plus and a stray `%` as a percent sign, never failing', () => {
    assert.equal(query('a=1+2'), 'a=1%2B2')
    assert.equal(query('a=100%&b=%zz&c=%E1'), 'a=100%25&b=%25zz&c=%E1')
  })

  it('gives a name without a value an empty one, and drops empty pairs', () => {
    assert.equal(query('flag&&b='), 'b=&flag=')
    assert.equal(query(''), '')
  })

  it('leaves out the named parameters (a presigned request’s X-Amz-Signature)', () => {
    assert.equal(query('X-Amz-Signature=abc&a=1', ['X-Amz-Signature']), 'a=1')
    assert.equal(query('x-amz-signature=abc', ['X-Amz-Signature']), 'x-amz-signature=abc')
  })
})

describe('canonicalizeHeaders', () => {
  it('lower-cases names, trims values and collapses runs of whitespace', () => {
    const result = canonicalizeHeaders(
      [
        ['Host', 'example.amazonaws.com'],
        ['My-Header2', '  "a   b \t c"  '],
        ['My-Header1', 'value1\n  value2\n     value3'],
      ],
      ['host', 'my-header1', 'my-header2'],
    )
    assert.deepEqual(result, {
      ok: true,
      text: 'host:example.amazonaws.com\nmy-header1:value1 value2 value3\nmy-header2:"a b c"\n',
    })
  })

  it('joins repeated headers with commas in the order received, whatever their case', () => {
    const result = canonicalizeHeaders(
      [
        ['My-Header1', 'value4'],
        ['my-header1', ' value1 '],
        ['MY-HEADER1', 'value3'],
      ],
      ['my-header1'],
    )
    assert.deepEqual(result, { ok: true, text: 'my-header1:value4,value1,value3\n' })
  })

  it('names a signed header the request lacks', () => {
    assert.deepEqual(canonicalizeHeaders([['Host', 'h']], ['host', 'x-amz-date']), {
      ok: false,
      missing: 'x-amz-date',
    })
  })
})

describe('dates', () => {
  it('reads ISO 8601 basic format, and only real dates', () => {
    assert.equal(parseAmzDate('20150830T123600Z'), Date.parse('2015-08-30T12:36:00Z'))
    assert.equal(parseAmzDate('20160229T000000Z'), Date.parse('2016-02-29T00:00:00Z'))
    assert.equal(parseAmzDate('20000229T235959Z'), Date.parse('2000-02-29T23:59:59Z'))
    assert.equal(parseAmzDate('01000101T000000Z'), Date.parse('0100-01-01T00:00:00Z'))
    for (const bad of [
      '20150229T000000Z',
      '20150830T246000Z',
      '20150830T123660Z',
      '20150830t123600z',
      ' 20150830T123600Z',
      '20150830T123600Z ',
      '2015083OT123600Z',
      '20150001T000000Z',
      '20151301T000000Z',
      '20150800T000000Z',
      '20150431T000000Z',
      '19000229T000000Z',
      // Date.UTC would read a two-digit year as 19xx.
      '00990101T000000Z',
    ]) {
      assert.equal(parseAmzDate(bad), undefined, bad)
    }
  })

  it('reads the Date header as IMF-fixdate or ISO 8601 basic format', () => {
    assert.equal(parseHttpDate('Sun, 30 Aug 2015 12:36:00 GMT'), Date.parse('2015-08-30T12:36:00Z'))
    assert.equal(parseHttpDate('20150830T123600Z'), Date.parse('2015-08-30T12:36:00Z'))
    assert.equal(parseHttpDate('Sunday, 30-Aug-15 12:36:00 GMT'), undefined)
    assert.equal(parseHttpDate('Sun, 31 Sep 2015 12:36:00 GMT'), undefined)
  })
})

describe('signaturesEqual', () => {
  const sig = 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea'

  it('accepts only the same signature', () => {
    assert.equal(signaturesEqual(sig, sig), true)
    assert.equal(signaturesEqual(sig, sig.toUpperCase()), false)
    assert.equal(signaturesEqual(sig, sig.slice(0, 63)), false)
    assert.equal(signaturesEqual(sig, `${sig}0`), false)
    assert.equal(signaturesEqual(sig, ''), false)
  })

  it('never equates a string with characters beyond ASCII to a hex signature', () => {
    // U+0161 and 'a' share their low byte: a latin1 comparison would call these equal.
    assert.equal(signaturesEqual(sig, sig.replace(/a/g, '\u0161')), false)
  })
})
