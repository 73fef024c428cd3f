import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseDateValue } from './date-value.js'

describe('parseDateValue', () => {
  it('reads the W3C profiles of ISO 8601 in UTC', () => {
    assert.equal(parseDateValue('2020'), Date.UTC(2020, 0, 1))
    assert.equal(parseDateValue('2020-06'), Date.UTC(2020, 5, 1))
    assert.equal(parseDateValue('2020-06-15'), Date.UTC(2020, 5, 15))
    assert.equal(parseDateValue('2020-06-15T10:30Z'), Date.UTC(2020, 5, 15, 10, 30))
    assert.equal(parseDateValue('2020-06-15T10:30:05Z'), Date.UTC(2020, 5, 15, 10, 30, 5))
    assert.equal(parseDateValue('2020-06-15T10:30:05.25Z'), Date.UTC(2020, 5, 15, 10, 30, 5, 250))
  })
  it('applies time-zone offsets', () => {
    assert.equal(parseDateValue('2020-06-15T12:30:00+02:00'), Date.UTC(2020, 5, 15, 10, 30))
    assert.equal(parseDateValue('2020-06-15T08:30:00-0200'), Date.UTC(2020, 5, 15, 10, 30))
  })
  it('reads epoch seconds on the same scale', () => {
    assert.equal(parseDateValue('1592217000'), Date.UTC(2020, 5, 15, 10, 30))
  })
  it('refuses what is not a date', () => {
    for (const bad of ['yesterday', '2020-13-01', '2020-06-15T25:00Z', '', '2020/06/15']) {
      assert.ok(Number.isNaN(parseDateValue(bad)), bad)
    }
  })
})
