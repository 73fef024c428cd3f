import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ActionIndex } from './action-index.js'
import { buildRequest } from './request-context.js'

const principal = {
  type: 'User',
  arn: 'arn:aws:iam::111122223333:user/a',
  account: '111122223333',
} as const

function request(action: string) {
  return buildRequest({ principal, action, resource: '*' })
}

describe('ActionIndex', () => {
  it('builds an entry once per action and answers it again from the index', () => {
    let builds = 0
    const index = new ActionIndex(
      (r) => {
        builds++
        return [r.actionKey]
      },
      (entry) => entry.length,
    )
    assert.deepEqual(index.lookup(request('s3:GetObject')), ['s3:getobject'])
    assert.deepEqual(index.lookup(request('S3:getobject')), ['s3:getobject'])
    assert.equal(builds, 1)
    assert.equal(index.size, 1)
  })

  it('stays bounded when callers invent action names', () => {
    const index = new ActionIndex(
      () => new Array<number>(100).fill(0),
      (entry) => entry.length,
    )
    for (let i = 0; i < 40_000; i++) index.lookup(request(`svc:Action${i}`))
    // 1,000,000 references at 101 each: never more than about 9,900 entries.
    assert.ok(index.size <= 10_000, `size ${index.size}`)
  })

  it('answers but does not keep names longer than any real action', () => {
    const index = new ActionIndex(
      () => 1,
      () => 1,
    )
    assert.equal(index.lookup(request(`svc:${'x'.repeat(300)}`)), 1)
    assert.equal(index.size, 0)
  })
})
