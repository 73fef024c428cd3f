import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildGlob, compileWildcard, matchGlob } from './wildcard.js'

describe('compileWildcard', () => {
  const table: [pattern: string, value: string, expected: boolean][] = [
    ['*', '', true],
    ['s3:get*', 's3:getobject', true],
    ['s3:get*', 's3:putobject', false],
    ['*object', 's3:getobject', true],
    ['s3:?etobject', 's3:getobject', true],
    ['s3:?etobject', 's3:etobject', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    ['a*a*a*b', 'aaaaaaaaab', true],
    ['a*a*a*b', 'aaaaaaaaaa', false],
    ['*/test/*', '1/2/test/3/object.jpg', true],
    ['*/test/*', '1-test/object.jpg', false],
    ['exact', 'exact', true],
    ['exact', 'Exact', false],
    ['??', 'ab', true],
    ['??', 'abc', false],
    ['*?', '', false],
  ]
  for (const [pattern, value, expected] of table) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      assert.equal(compileWildcard(pattern)(value), expected)
    })
  }

  it('treats literal segments as text, never as wildcards', () => {
    const glob = buildGlob([
      { text: 'user/', literal: false },
      { text: 'a*', literal: true },
    ])
    assert.equal(matchGlob(glob, 'user/a*'), true)
    assert.equal(matchGlob(glob, 'user/abc'), false)
  })

  it('stays fast on patterns built to make backtracking matchers explode', () => {
    const pattern = `${'a*'.repeat(200)}b`
    const value = 'a'.repeat(20_000)
    assert.equal(compileWildcard(pattern)(value), false)
  })
})
