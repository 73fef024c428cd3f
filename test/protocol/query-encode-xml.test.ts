/**
 * encodeXml and encodePolicyDocument: the vectors of test/cases/query/encode-xml.json byte for
 * byte, every output read back with a strict XML 1.0 reader, and the programming errors it
 * refuses rather than sending malformed XML.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { QUERY_XML_NAMESPACES } from '../../src/errors/query-error-xml.js'
import type { QueryService } from '../../src/errors/query-error-xml.js'
import { encodePolicyDocument } from '../../src/protocol/query/encode-policy-document.js'
import { encodeXml } from '../../src/protocol/query/encode-xml.js'
import type { XmlValue } from '../../src/protocol/query/xml-value.js'
import { childElements, parseStrictXml, textOf } from '../errors/strict-xml.js'
import { loadVectors, valueFromJson } from './query-json.js'

interface EncodeCase {
  readonly id: string
  readonly description: string
  readonly service: QueryService
  readonly action: string
  readonly requestId: string
  readonly result?: unknown
  readonly xml: string
}

interface PolicyCase {
  readonly id: string
  readonly description: string
  readonly document: string
  readonly encoded: string
}

const vectors = loadVectors('encode-xml.json') as {
  readonly cases: readonly EncodeCase[]
  readonly policyDocuments: readonly PolicyCase[]
}

type Structure = { readonly [member: string]: XmlValue | undefined }

function resultOf(c: EncodeCase): Structure | undefined {
  return c.result === undefined ? undefined : (valueFromJson(c.result) as Structure)
}

describe('encodeXml vectors', () => {
  it('has cases with distinct ids', () => {
    assert.ok(vectors.cases.length >= 25)
    assert.equal(new Set(vectors.cases.map((c) => c.id)).size, vectors.cases.length)
  })

  for (const c of vectors.cases) {
    it(`${c.id}: ${c.description}`, () => {
      const xml = encodeXml(c.service, c.action, resultOf(c), c.requestId)
      assert.equal(xml, c.xml)

      // The envelope, as a conforming XML reader sees it.
      const root = parseStrictXml(xml)
      assert.equal(root.name, `${c.action}Response`)
      assert.deepEqual(root.attributes, { xmlns: QUERY_XML_NAMESPACES[c.service] })
      const children = childElements(root)
      const names = children.map((child) => child.name)
      assert.deepEqual(
        names,
        c.result === undefined ? ['ResponseMetadata'] : [`${c.action}Result`, 'ResponseMetadata'],
      )
      const metadata = children.at(-1)
      assert.ok(metadata !== undefined)
      const [requestId, ...rest] = childElements(metadata)
      assert.equal(rest.length, 0)
      assert.ok(requestId !== undefined)
      assert.equal(textOf(requestId), c.requestId)
    })
  }
})

describe('encodeXml', () => {
  it('sends any string back unchanged, through a strict XML reader, if XML can carry it', () => {
    // XML 1.0's characters: what escapeXml does not have to replace.
    const xmlText = fc
      .string({ unit: 'binary', maxLength: 40 })
      .filter((s) => !/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(s))
    fc.assert(
      fc.property(xmlText, xmlText, (name, key) => {
        const xml = encodeXml(
          'iam',
          'GetUser',
          { User: { UserName: name, Tags: [{ Key: key }] }, Map: new Map([[key, name]]) },
          'r',
        )
        const [result] = childElements(parseStrictXml(xml))
        assert.ok(result !== undefined)
        const [user, map] = childElements(result)
        assert.ok(user !== undefined && map !== undefined)
        const [userName, tags] = childElements(user)
        assert.ok(userName !== undefined && tags !== undefined)
        assert.equal(textOf(userName), name)
        const [entry] = childElements(map)
        assert.ok(entry !== undefined)
        assert.deepEqual(childElements(entry).map(textOf), [key, name])
      }),
      { seed: 3101, numRuns: 300 },
    )
  })

  it('refuses names that would not be XML names', () => {
    assert.throws(() => encodeXml('iam', 'Get User', undefined, 'r'), TypeError)
    assert.throws(() => encodeXml('iam', '', undefined, 'r'), TypeError)
    assert.throws(() => encodeXml('iam', 'X', { 'a b': 'x' }, 'r'), TypeError)
    assert.throws(() => encodeXml('iam', 'X', { '<x>': 'x' }, 'r'), TypeError)
    assert.throws(() => encodeXml('iam', 'X', { Nested: { '1st': 'x' } }, 'r'), TypeError)
  })

  it('refuses values it cannot send faithfully', () => {
    assert.throws(() => encodeXml('iam', 'X', { N: Number.NaN }, 'r'), RangeError)
    assert.throws(() => encodeXml('iam', 'X', { N: Number.POSITIVE_INFINITY }, 'r'), RangeError)
    assert.throws(() => encodeXml('iam', 'X', { D: new Date(Number.NaN) }, 'r'), RangeError)
    assert.throws(() => encodeXml('iam', 'X', { D: new Date('+010000-01-01T00:00:00Z') }, 'r'))
    // What the types rule out, plain JavaScript can still pass.
    const loose = JSON.parse('{"A": null}') as Structure
    assert.throws(() => encodeXml('iam', 'X', loose, 'r'), /<A> would hold null/)
    const withFunction = { F: (() => 1) as unknown as XmlValue }
    assert.throws(() => encodeXml('iam', 'X', withFunction, 'r'), /<F> would hold function/)
    const listWithHole = { L: [undefined] as unknown as XmlValue }
    assert.throws(() => encodeXml('iam', 'X', listWithHole, 'r'), /<member> would hold undefined/)
  })

  it('sends no prototype members and leaves undefined ones out', () => {
    const base = { Inherited: 'no' }
    const result = Object.assign(Object.create(base) as Structure, { Own: 'yes', Gone: undefined })
    assert.match(encodeXml('iam', 'X', result, 'r'), /<XResult><Own>yes<\/Own><\/XResult>/)
  })
})

describe('encodePolicyDocument vectors', () => {
  for (const c of vectors.policyDocuments) {
    it(`${c.id}: ${c.description}`, () => {
      assert.equal(encodePolicyDocument(c.document), c.encoded)
    })
  }

  it('is undone by every client decoder: decodeURIComponent, and a + never appears', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (document) => {
        const encoded = encodePolicyDocument(document)
        assert.match(encoded, /^[A-Za-z0-9\-_.~%]*$/)
        assert.equal(decodeURIComponent(encoded), document)
        // Go's QueryUnescape and form decoders read `+` as a space; botocore's unquote does not.
        assert.equal(new URLSearchParams(`d=${encoded}`).get('d'), document)
      }),
      { seed: 3102, numRuns: 300 },
    )
  })
})
