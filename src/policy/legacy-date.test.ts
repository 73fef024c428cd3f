import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isLegacyDate } from './legacy-date.js'

describe('isLegacyDate', () => {
  const table: [value: string, expected: boolean][] = [
    ['1592217000', true],
    ['0', true],
    ['9223372036854775807', true],
    ['9223372036854775808', false],
    // A `-` makes the value ISO 8601, so this is the year -1, not negative epoch seconds.
    ['-1', true],
    ['1.5', false],
    ['2020', true],
    ['2020-06-15', true],
    ['2020-6-1', true],
    ['2020-13-01', false],
    ['2020-06-32', false],
    ['2020-06-15-01', false],
    ['-292275054-01-01', true],
    ['292278994', true],
    ['292278994-01-01', false],
    ['2020-06-15T10:30:05.25Z', true],
    ['2020-06-15t10:30z', true],
    ['2020-06-15T24:00Z', false],
    ['2020-06-15T10:60Z', false],
    ['2020-06-15T10:30:05.1234567890Z', false],
    ['2020-06-15T10:30+02:00', true],
    ['2020-06-15T10:30-0200', true],
    ['2020-06-15T10:30+02', true],
    ['2020-06-15T10:30+2', false],
    ['2020-06-15T10:30+24:00', false],
    ['yesterday', false],
    ['', false],
  ]
  for (const [value, expected] of table) {
    it(`${expected ? 'accepts' : 'refuses'} ${JSON.stringify(value)}`, () => {
      assert.equal(isLegacyDate(value), expected)
    })
  }
})
