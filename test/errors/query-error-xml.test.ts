/**
 * The awsQuery error body: the exact form IAM and STS send, every catalog code rendered into
 * well-formed XML for both services (read back with a strict XML 1.0 reader), and escaping that
 * keeps any message well-formed and returns it unchanged to the client.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { AwsError } from '../../src/errors/aws-error.js'
import { AWS_ERRORS } from '../../src/errors/catalog.js'
import type { AwsErrorCode } from '../../src/errors/catalog.js'
import {
  QUERY_XML_NAMESPACES,
  escapeXml,
  renderQueryErrorXml,
} from '../../src/errors/query-error-xml.js'
import type { QueryService } from '../../src/errors/query-error-xml.js'
import { XmlSyntaxError, childElements, parseStrictXml, textOf } from './strict-xml.js'
import type { XmlElement } from './strict-xml.js'

const REQUEST_ID = '358299bb-b7f8-11e2-8d39-e3a125f625ee'
const SERVICES = Object.keys(QUERY_XML_NAMESPACES) as QueryService[]
const CODES = Object.keys(AWS_ERRORS) as AwsErrorCode[]

/** Reads an error body back, checking its structure, and returns its fields. */
function readErrorBody(xml: string) {
  const root = parseStrictXml(xml)
  assert.equal(root.name, 'ErrorResponse')
  const [error, requestId, ...rest] = childElements(root)
  assert.equal(rest.length, 0)
  assert.equal(error?.name, 'Error')
  assert.equal(requestId?.name, 'RequestId')
  const fields = childElements(error)
  assert.deepEqual(
    fields.map((f) => f.name),
    ['Type', 'Code', 'Message'],
  )
  const [type, code, message] = fields.map(textOf)
  return {
    namespace: root.attributes['xmlns'],
    attributes: Object.keys(root.attributes),
    type,
    code,
    message,
    requestId: textOf(requestId),
  }
}

describe('renderQueryErrorXml', () => {
  it('renders the body IAM sends for NoSuchEntity, byte for byte', () => {
    const error = new AwsError('NoSuchEntity', 'The user with name foobar cannot be found.')
    assert.equal(
      renderQueryErrorXml(error, 'iam', REQUEST_ID),
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>' +
        '<Type>Sender</Type><Code>NoSuchEntity</Code>' +
        '<Message>The user with name foobar cannot be found.</Message></Error>' +
        '<RequestId>358299bb-b7f8-11e2-8d39-e3a125f625ee</RequestId></ErrorResponse>',
    )
  })

  it("uses STS's namespace for STS and Receiver for a server fault", () => {
    const error = new AwsError('InternalFailure', 'failed')
    assert.equal(
      renderQueryErrorXml(error, 'sts', 'r-1'),
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>' +
        '<Type>Receiver</Type><Code>InternalFailure</Code><Message>failed</Message></Error>' +
        '<RequestId>r-1</RequestId></ErrorResponse>',
    )
  })

  for (const service of SERVICES) {
    it(`renders every catalog code as well-formed ${service} XML`, () => {
      const message = `A <tricky> & "quoted" 'message' ]]> for ${service}`
      for (const code of CODES) {
        const body = readErrorBody(
          renderQueryErrorXml(new AwsError(code, message), service, REQUEST_ID),
        )
        assert.equal(body.namespace, QUERY_XML_NAMESPACES[service], code)
        assert.deepEqual(body.attributes, ['xmlns'], code)
        assert.equal(body.type, AWS_ERRORS[code].fault === 'client' ? 'Sender' : 'Receiver', code)
        assert.equal(body.code, code)
        assert.equal(body.message, message, code)
        assert.equal(body.requestId, REQUEST_ID, code)
      }
    })
  }
})

describe('escapeXml', () => {
  const TABLE: readonly [string, string, string][] = [
    ['the five special characters', `&<>"'`, '&amp;&lt;&gt;&quot;&apos;'],
    ['a CDATA end marker', 'a]]>b', 'a]]&gt;b'],
    ['tab and line feed, kept', 'a\tb\nc', 'a\tb\nc'],
    ['a carriage return, as a reference so it is not read as a line feed', 'a\r\nb', 'a&#13;\nb'],
    ['a NUL, which XML cannot carry at all', 'a\u0000b', 'a\uFFFDb'],
    ['other C0 controls', '\u0001\u0008\u000B\u000C\u001F', '\uFFFD'.repeat(5)],
    ['a lone high surrogate', 'a\uD800b', 'a\uFFFDb'],
    ['a lone low surrogate', 'a\uDC00b', 'a\uFFFDb'],
    ['U+FFFE and U+FFFF', '\uFFFE\uFFFF', '\uFFFD\uFFFD'],
    ['a character outside the BMP, kept', 'key \u{1F511}', 'key \u{1F511}'],
    ['DEL and C1 controls, which XML allows', '\u007F\u0085', '\u007F\u0085'],
    ['an already escaped entity, escaped again', '&amp;', '&amp;amp;'],
  ]
  for (const [name, input, output] of TABLE) {
    it(`escapes ${name}`, () => {
      assert.equal(escapeXml(input), output)
    })
  }

  // Any UTF-16 code unit (so lone surrogates too), any code point, and the characters that matter.
  const MESSAGE_UNIT = fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.constantFrom('&', '<', '>', '"', "'", '\r', '\r\n', ']]>', '&amp;', '\u0000', '\uFFFF'),
  )

  it('keeps any message well-formed and returns every character XML can carry unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: MESSAGE_UNIT, maxLength: 60 }), (message) => {
        const xml = renderQueryErrorXml(new AwsError('InvalidInput', message), 'iam', 'id')
        const expected = message.replace(
          /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu,
          '\uFFFD',
        )
        assert.equal(readErrorBody(xml).message, expected)
      }),
      { seed: 0x5eed_e001, numRuns: 2000 },
    )
  })
})

describe('the strict XML reader used above', () => {
  const MALFORMED: readonly [string, string][] = [
    ['a bare ampersand', '<a>&</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a raw less-than sign', '<a>1 < 2</a>'],
    ['a CDATA end marker in text', '<a>]]></a>'],
    ['a NUL character', '<a>\u0000</a>'],
    ['a reference to a NUL', '<a>&#0;</a>'],
    ['a lone surrogate', '<a>\uD800</a>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['two root elements', '<a/><b/>'],
    ['text after the root', '<a/>x'],
    ['a repeated attribute', '<a x="1" x="2"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a less-than sign in an attribute', '<a x="<"/>'],
    ['a comment (outside the subset)', '<a><!-- c --></a>'],
  ]
  for (const [name, xml] of MALFORMED) {
    it(`rejects ${name}`, () => {
      assert.throws(() => parseStrictXml(xml), XmlSyntaxError)
    })
  }

  it('reads references, attributes and nested elements', () => {
    const root = parseStrictXml(`<r xmlns="u&amp;v"><a>x&lt;&#65;&#x42;&#13;</a><b/></r>`)
    assert.equal(root.attributes['xmlns'], 'u&v')
    const [a, b] = childElements(root)
    assert.equal(textOf(a as XmlElement), 'x<AB\r')
    assert.deepEqual(b, { name: 'b', attributes: {}, children: [] })
  })
})
