/**
 * redact, which returns a value without secrets as it is: the same JSON, and the same secrets
 * gathered in the same order, as a copy of every object and array would give, its input untouched.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { JsonValue } from '../../src/audit/json-value.js'
import { HIDDEN, redact, secretTreatment } from '../../src/audit/redact.js'
import { trailJson } from '../../src/audit/trail-json.js'
import { anyValue } from './audit-arbitraries.js'

/** Every string inside a value. */
function strings(value: JsonValue, into: Set<string>): void {
  if (typeof value === 'string') into.add(value)
  else if (Array.isArray(value)) for (const item of value as JsonValue[]) strings(item, into)
  else if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) strings(member, into)
  }
}

/** redact as a copy of everything (what it was written as first). */
function copyingRedact(value: JsonValue, secrets: Set<string>): JsonValue {
  if (Array.isArray(value))
    return (value as JsonValue[]).map((item) => copyingRedact(item, secrets))
  if (typeof value !== 'object' || value === null) return value
  const object = value as Readonly<Record<string, JsonValue>>
  const kept: Record<string, JsonValue> = {}
  for (const name of Object.keys(object)) {
    const member = object[name] as JsonValue
    const treatment =
      typeof member === 'string' && /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(member)
        ? 'hide'
        : secretTreatment(name)
    if (treatment === undefined) {
      Object.defineProperty(kept, name, {
        value: copyingRedact(member, secrets),
        writable: true,
        enumerable: true,
        configurable: true,
      })
      continue
    }
    strings(member, secrets)
    if (treatment === 'hide') {
      Object.defineProperty(kept, name, {
        value: HIDDEN,
        writable: true,
        enumerable: true,
        configurable: true,
      })
    }
  }
  return kept
}

describe('redact', () => {
  it('gives what copying every part gives, and leaves its input as it was', () => {
    fc.assert(
      fc.property(anyValue, (given) => {
        const value = trailJson(given, 'iam')
        const before = JSON.stringify(value)
        const expectedSecrets = new Set<string>()
        const expected = copyingRedact(value, expectedSecrets)
        const secrets = new Set<string>()
        const redacted = redact(value, secrets)
        assert.equal(JSON.stringify(redacted), JSON.stringify(expected))
        assert.deepEqual(redacted, expected)
        assert.deepEqual([...secrets], [...expectedSecrets])
        assert.equal(JSON.stringify(value), before)
      }),
      { numRuns: 2000 },
    )
  })

  it('returns a value without secrets as it is', () => {
    const value = { userName: 'bob', tags: [{ key: 'a', value: 'b' }] }
    assert.equal(redact(value), value)
    const withSecret = { userName: 'bob', nested: { password: 'p' } }
    assert.deepEqual(redact(withSecret), { userName: 'bob', nested: {} })
    assert.deepEqual(withSecret, { userName: 'bob', nested: { password: 'p' } })
  })
})
