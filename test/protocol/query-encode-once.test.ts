/**
 * encodeOnce: every vector of test/cases/query/encode-xml.json encodes byte for byte the same
 * with each of its lists marked, on the first response and on those after; a marked list is
 * frozen, and what its first response sent is what the next ones send.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeOnce, keptMarkup } from '../../src/protocol/query/encode-once.js'
import { encodeXml } from '../../src/protocol/query/encode-xml.js'
import type { XmlValue } from '../../src/protocol/query/xml-value.js'
import type { QueryService } from '../../src/errors/query-error-xml.js'
import { loadVectors, valueFromJson } from './query-json.js'

interface EncodeCase {
  readonly id: string
  readonly service: QueryService
  readonly action: string
  readonly requestId: string
  readonly result?: unknown
  readonly xml: string
}

type Structure = { readonly [member: string]: XmlValue | undefined }

const vectors = loadVectors('encode-xml.json') as { readonly cases: readonly EncodeCase[] }

/** Every list in `value`, innermost first, so that an outer list's markup holds marked ones. */
function listsOf(value: XmlValue, out: (readonly XmlValue[])[] = []): (readonly XmlValue[])[] {
  if (typeof value !== 'object' || value instanceof Date) return out
  const items: XmlValue[] =
    value instanceof Map
      ? [...(value as ReadonlyMap<string, XmlValue>).values()]
      : (Object.values(value) as (XmlValue | undefined)[]).filter((v) => v !== undefined)
  for (const item of items) listsOf(item, out)
  if (Array.isArray(value)) out.push(value as readonly XmlValue[])
  return out
}

describe('encodeOnce', () => {
  const withLists = vectors.cases.filter(
    (c) => c.result !== undefined && listsOf(valueFromJson(c.result)).length > 0,
  )

  it('has vectors with lists to mark', () => {
    assert.ok(withLists.length >= 5, `${withLists.length} vectors with lists`)
  })

  for (const c of withLists) {
    it(`${c.id}: the same bytes with every list marked, first and again`, () => {
      const result = valueFromJson(c.result) as Structure
      const lists = listsOf(result)
      for (const list of lists) encodeOnce(list)
      assert.equal(encodeXml(c.service, c.action, result, c.requestId), c.xml)
      const nonEmpty = lists.filter((list) => list.length > 0)
      for (const list of nonEmpty) assert.equal(typeof keptMarkup(list), 'string')
      assert.equal(
        encodeXml(c.service, c.action, result, 'again'),
        c.xml.replace(c.requestId, 'again'),
      )
    })
  }

  it('sends what the first response sent, even after a Date in it was set', () => {
    const created = new Date('2026-01-02T03:04:05Z')
    const marked = encodeOnce([{ UserName: 'a', CreateDate: created }])
    const first = encodeXml('iam', 'ListUsers', { Users: marked }, 'r1')
    assert.match(first, /<CreateDate>2026-01-02T03:04:05Z<\/CreateDate>/)
    created.setTime(Date.parse('2030-01-01T00:00:00Z'))
    assert.equal(encodeXml('iam', 'ListUsers', { Users: marked }, 'r1'), first)
    // An unmarked list is encoded anew, so it sends the new time: the kept markup is the
    // marked list's alone.
    const unmarked = [{ UserName: 'a', CreateDate: created }]
    assert.match(
      encodeXml('iam', 'ListUsers', { Users: unmarked }, 'r1'),
      /<CreateDate>2030-01-01T00:00:00Z<\/CreateDate>/,
    )
    assert.equal(keptMarkup(unmarked), undefined)
  })

  it('freezes the list and the structures and lists in it', () => {
    const tags = [{ Key: 'k', Value: 'v' }]
    const user = { UserName: 'a', Tags: tags }
    const list = encodeOnce([user])
    assert.ok(Object.isFrozen(list) && Object.isFrozen(user) && Object.isFrozen(tags))
    assert.ok(Object.isFrozen(tags[0]))
    assert.throws(() => (list as XmlValue[]).push('b'), TypeError)
    assert.throws(() => {
      ;(user as { UserName: string }).UserName = 'b'
    }, TypeError)
  })

  it('keeps nothing for a list it did not mark, and null for one not yet encoded', () => {
    const plain = [{ UserName: 'a' }]
    encodeXml('iam', 'ListUsers', { Users: plain }, 'r')
    assert.equal(keptMarkup(plain), undefined)
    const marked = encodeOnce([{ UserName: 'a' }])
    assert.equal(keptMarkup(marked), null)
    // Marking again keeps what was encoded.
    encodeXml('iam', 'ListUsers', { Users: marked }, 'r')
    const markup = keptMarkup(marked)
    assert.equal(markup, '<member><UserName>a</UserName></member>')
    encodeOnce(marked)
    assert.equal(keptMarkup(marked), markup)
  })

  it('sends a marked empty list as an empty element', () => {
    const empty = encodeOnce([])
    assert.match(encodeXml('iam', 'ListUsers', { Users: empty }, 'r'), /<Users\/>/)
  })
})
