/**
 * HOTP and TOTP against their RFCs' own test vectors: RFC 4226 Appendix D (HOTP, HMAC-SHA1) and
 * RFC 6238 Appendix B (TOTP, 8 digits, every algorithm), then the search for two consecutive
 * codes that EnableMFADevice and ResyncMFADevice run.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  codeMatches,
  findConsecutiveCodes,
  hotp,
  totp,
  totpAtStep,
  totpStep,
} from '../../src/auth/totp.js'
import type { OtpAlgorithm } from '../../src/auth/totp.js'

// RFC 4226 Appendix D: the secret is the ASCII string "12345678901234567890".
const RFC4226_SECRET = Buffer.from('12345678901234567890', 'ascii')
const RFC4226_CODES = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
]

// RFC 6238 Appendix B: the seed of each algorithm is "1234567890" repeated to its length (20,
// 32 and 64 bytes), the codes have 8 digits, X = 30 and T0 = 0.
const RFC6238_SEEDS: Readonly<Record<OtpAlgorithm, Buffer>> = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
}
const RFC6238_VECTORS: readonly {
  readonly time: number
  readonly step: string
  readonly codes: Readonly<Record<OtpAlgorithm, string>>
}[] = [
  {
    time: 59,
    step: '0000000000000001',
    codes: { sha1: '94287082', sha256: '46119246', sha512: '90693936' },
  },
  {
    time: 1111111109,
    step: '00000000023523EC',
    codes: { sha1: '07081804', sha256: '68084774', sha512: '25091201' },
  },
  {
    time: 1111111111,
    step: '00000000023523ED',
    codes: { sha1: '14050471', sha256: '67062674', sha512: '99943326' },
  },
  {
    time: 1234567890,
    step: '000000000273EF07',
    codes: { sha1: '89005924', sha256: '91819424', sha512: '93441116' },
  },
  {
    time: 2000000000,
    step: '0000000003F940AA',
    codes: { sha1: '69279037', sha256: '90698825', sha512: '38618901' },
  },
  {
    time: 20000000000,
    step: '0000000027BC86AA',
    codes: { sha1: '65353130', sha256: '77737706', sha512: '47863826' },
  },
]

describe('HOTP (RFC 4226)', () => {
  it('gives Appendix D codes for counters 0 to 9', () => {
    RFC4226_CODES.forEach((code, counter) => {
      assert.equal(hotp(RFC4226_SECRET, counter), code, `counter ${counter}`)
      assert.equal(hotp(RFC4226_SECRET, BigInt(counter)), code, `counter ${counter} as bigint`)
    })
  })

  it("keeps Appendix D's 31-bit values whole in 10 digits, leading zeros included", () => {
    // Appendix D's "Decimal" column: the truncated values before the modulo.
    const decimals = [
      1284755224, 1094287082, 137359152, 1726969429, 1640338314, 868254676, 1918287922, 82162583,
      673399871, 645520489,
    ]
    decimals.forEach((value, counter) => {
      assert.equal(hotp(RFC4226_SECRET, counter, { digits: 10 }), String(value).padStart(10, '0'))
    })
    assert.equal(hotp(RFC4226_SECRET, 7, { digits: 10 }), '0082162583')
  })

  it('refuses fewer than 6 digits and a counter beyond 8 bytes', () => {
    assert.throws(() => hotp(RFC4226_SECRET, 0, { digits: 5 }), RangeError)
    assert.throws(() => hotp(RFC4226_SECRET, -1), RangeError)
    assert.throws(() => hotp(RFC4226_SECRET, 2n ** 64n), RangeError)
  })
})

describe('TOTP (RFC 6238)', () => {
  for (const vector of RFC6238_VECTORS) {
    for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
      it(`gives Appendix B's ${algorithm} code at ${vector.time} s`, () => {
        const at = new Date(vector.time * 1000)
        assert.equal(totpStep(at), parseInt(vector.step, 16))
        assert.equal(
          totp(RFC6238_SEEDS[algorithm], at, { digits: 8, algorithm }),
          vector.codes[algorithm],
        )
      })
    }
  }

  it('gives the last 6 digits of the 8-digit code by default', () => {
    const at = new Date(1234567890 * 1000)
    assert.equal(totp(RFC6238_SEEDS.sha1, at), '005924')
  })

  it('changes code at the step boundary, not within a step', () => {
    const key = RFC6238_SEEDS.sha1
    assert.equal(totp(key, new Date(30_000)), totp(key, new Date(59_999)))
    assert.notEqual(totp(key, new Date(59_999)), totp(key, new Date(60_000)))
    assert.equal(totpStep(new Date(59_999)), 1)
    assert.equal(totpStep(new Date(60_000)), 2)
  })

  it('honours X and T0', () => {
    const at = new Date(1_000_000 * 1000)
    assert.equal(totpStep(at, { stepSeconds: 60 }), Math.floor(1_000_000 / 60))
    assert.equal(totpStep(at, { t0: 100 }), Math.floor((1_000_000 - 100) / 30))
  })

  it('matches a code only for its own step', () => {
    const key = RFC6238_SEEDS.sha1
    const code = totpAtStep(key, 1000)
    assert.ok(codeMatches(key, 1000, code))
    assert.ok(!codeMatches(key, 1001, code))
    assert.ok(!codeMatches(key, 1000, `${code}0`))
    assert.ok(!codeMatches(key, 1000, ''))
  })
})

describe('findConsecutiveCodes', () => {
  const key = RFC6238_SEEDS.sha1
  const now = 50_000_000
  const pair = (s: number): [string, string] => [totpAtStep(key, s - 1), totpAtStep(key, s)]

  it('finds the current pair and pairs within the window either side', () => {
    for (const s of [now, now - 1, now + 1, now - 10, now + 10]) {
      const [code1, code2] = pair(s)
      assert.equal(
        findConsecutiveCodes(key, code1, code2, { step: now, window: 10, after: null }),
        s,
      )
    }
  })

  it('refuses a pair outside the window', () => {
    for (const s of [now - 11, now + 11]) {
      const [code1, code2] = pair(s)
      assert.equal(
        findConsecutiveCodes(key, code1, code2, { step: now, window: 10, after: null }),
        undefined,
      )
    }
  })

  it('refuses codes out of order, repeated or not consecutive', () => {
    const [code1, code2] = pair(now)
    const search = { step: now, window: 10, after: null }
    assert.equal(findConsecutiveCodes(key, code2, code1, search), undefined)
    assert.equal(findConsecutiveCodes(key, code1, code1, search), undefined)
    assert.equal(findConsecutiveCodes(key, totpAtStep(key, now - 2), code2, search), undefined)
  })

  it('refuses a pair that reuses a step already accepted', () => {
    const [code1, code2] = pair(now)
    assert.equal(
      findConsecutiveCodes(key, code1, code2, { step: now, window: 10, after: now - 1 }),
      undefined,
    )
    assert.equal(
      findConsecutiveCodes(key, code1, code2, { step: now, window: 10, after: now }),
      undefined,
    )
    assert.equal(
      findConsecutiveCodes(key, code1, code2, { step: now, window: 10, after: now - 2 }),
      now,
    )
  })
})
