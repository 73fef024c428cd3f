/**
 * encodeXml's timestamps, which it formats field by field and keeps by instant: toISOString's
 * form without a `.000` fraction for every instant it can send, also for a Date changed after it
 * was sent and past the number of instants it keeps.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { encodeXml } from '../../src/protocol/query/encode-xml.js'

// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years with a four-digit form.
const FIRST = -62167219200000
const LAST = 253402300799999

/** What encodeXml sends for `date`, from the body of a one-member result. */
function sent(date: Date): string {
  const xml = encodeXml('iam', 'GetUser', { D: date }, 'r')
  const match = /<D>([^<]*)<\/D>/.exec(xml)
  assert.ok(match !== null, xml)
  return match[1] ?? ''
}

function expected(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z')
}

describe('encodeXml timestamps', () => {
  it('sends every instant of the years 0 to 9999 as toISOString does', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: LAST }), (time) => {
        const date = new Date(time)
        assert.equal(sent(date), expected(date))
        // The second time from what it keeps.
        assert.equal(sent(new Date(time)), expected(date))
      }),
      { seed: 3201, numRuns: 2000 },
    )
    for (const time of [FIRST, LAST, 0, -1, 1, 951782400000, 951868799999, 1000, 999]) {
      assert.equal(sent(new Date(time)), expected(new Date(time)), String(time))
    }
  })

  it('sends whole seconds without a fraction and keeps any other milliseconds', () => {
    assert.equal(sent(new Date('2011-12-19T23:16:46.000Z')), '2011-12-19T23:16:46Z')
    assert.equal(sent(new Date('2013-06-08T03:20:41.270Z')), '2013-06-08T03:20:41.270Z')
    assert.equal(sent(new Date('2013-06-08T03:20:41.007Z')), '2013-06-08T03:20:41.007Z')
  })

  it('sends a Date changed after it was sent with its new time', () => {
    const date = new Date('2020-01-02T03:04:05Z')
    assert.equal(sent(date), '2020-01-02T03:04:05Z')
    date.setTime(Date.parse('2021-06-07T08:09:10.500Z'))
    assert.equal(sent(date), '2021-06-07T08:09:10.500Z')
  })

  it('formats each of more instants than it keeps', () => {
    const start = Date.parse('2024-01-01T00:00:00Z')
    for (let i = 0; i < 10_000; i++) {
      const date = new Date(start + i * 1001)
      assert.equal(sent(date), expected(date))
    }
    assert.equal(sent(new Date(start)), '2024-01-01T00:00:00Z')
  })

  it('refuses an instant without a four-digit year every time it is asked', () => {
    for (const time of [Number.NaN, FIRST - 1, LAST + 1]) {
      assert.throws(() => sent(new Date(time)), RangeError)
      assert.throws(() => sent(new Date(time)), RangeError)
    }
  })
})
