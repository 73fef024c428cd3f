import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ContextEntryError, contextFromEntries } from './context-entries.js'

describe('contextFromEntries', () => {
  it('reads single-valued types as one value and list types as lists', () => {
    const values = contextFromEntries([
      { name: 'aws:MultiFactorAuthPresent', values: ['true'], type: 'boolean' },
      { name: 'aws:CurrentTime', values: ['2019-04-25T11:00:00Z'], type: 'date' },
      { name: 'aws:EpochTime', values: ['1556190000'], type: 'numeric' },
      { name: 'aws:SourceIp', values: ['203.0.113.7'], type: 'ip' },
      { name: 'aws:TagKeys', values: ['team', 'env'], type: 'stringList' },
      { name: 's3:max-keys', values: ['10', '2.5'], type: 'numericList' },
      { name: 'aws:VpcSourceIp', values: ['10.0.0.0/8', '::1'], type: 'ipList' },
      { name: 'x:blob', values: ['aGVsbG8='], type: 'binary' },
      { name: 'x:empty', values: [], type: 'dateList' },
    ])
    assert.deepEqual(
      { ...values },
      {
        'aws:MultiFactorAuthPresent': 'true',
        'aws:CurrentTime': '2019-04-25T11:00:00Z',
        'aws:EpochTime': '1556190000',
        'aws:SourceIp': '203.0.113.7',
        'aws:TagKeys': ['team', 'env'],
        's3:max-keys': ['10', '2.5'],
        'aws:VpcSourceIp': ['10.0.0.0/8', '::1'],
        'x:blob': 'aGVsbG8=',
        'x:empty': [],
      },
    )
  })

  it('takes an untyped entry as a string, or a list when it has several values', () => {
    const values = contextFromEntries([
      { name: 'a:one', values: ['x'] },
      { name: 'a:two', values: ['x', 'y'] },
    ])
    assert.equal(values['a:one'], 'x')
    assert.deepEqual(values['a:two'], ['x', 'y'])
  })

  it('keeps a key named __proto__ as a key', () => {
    const values = contextFromEntries([{ name: '__proto__', values: ['a', 'b'] }])
    assert.deepEqual(Object.entries(values), [['__proto__', ['a', 'b']]])
  })

  it('refuses values that are not of their type', () => {
    const bad: [string, string][] = [
      ['numeric', 'ten'],
      ['boolean', 'yes'],
      ['date', '25/04/2019'],
      ['ip', '300.1.1.1'],
      ['binary', 'not base64!'],
    ]
    for (const [type, value] of bad) {
      assert.throws(
        () =>
          contextFromEntries([
            { name: 'k:k', values: [value], type: type as 'numeric' | 'boolean' },
          ]),
        (err: unknown) =>
          err instanceof ContextEntryError &&
          err.message === `Value ${value} of context key k:k is not of type ${type}.`,
        type,
      )
    }
  })

  it('refuses a single-valued type with other than one value, and an entry without a name', () => {
    assert.throws(
      () => contextFromEntries([{ name: 'k:k', values: ['1', '2'], type: 'numeric' }]),
      /takes exactly one value, not 2/,
    )
    assert.throws(() => contextFromEntries([{ name: 'k:k', type: 'string' }]), /not 0/)
    assert.throws(() => contextFromEntries([{ values: ['x'] }]), /ContextKeyName is required/)
  })
})
