import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cut } from './cut.js'

describe('cut', () => {
  const table: [
    text: string,
    separator: string | undefined,
    expected: [string, boolean, string],
  ][] = [
    ['arn:aws:s3:::b', undefined, ['arn', true, 'aws:s3:::b']],
    ['no-colon', undefined, ['no-colon', false, '']],
    [':lead', undefined, ['', true, 'lead']],
    ['trail:', undefined, ['trail', true, '']],
    ['2020-01-01t10:00z', 't', ['2020-01-01', true, '10:00z']],
    ['05.250', '.', ['05', true, '250']],
    ['a::b', '::', ['a', true, 'b']],
  ]
  for (const [text, separator, expected] of table) {
    it(`splits ${JSON.stringify(text)} at ${JSON.stringify(separator ?? ':')}`, () => {
      assert.deepEqual(cut(text, separator), expected)
    })
  }
})
