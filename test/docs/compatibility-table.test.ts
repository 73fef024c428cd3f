/**
 * The README's compatibility table is the one the registries make: an operation added to a
 * registry (or to the SDK) without regenerating it fails here.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import {
  README,
  compatibilityTable,
  currentTable,
  sdkOperations,
} from '../../scripts/compatibility-table.js'

describe('the README compatibility table', () => {
  it('is what the registries and the SDK make (run scripts/compatibility-table.ts)', () => {
    assert.equal(currentTable(readFileSync(README, 'utf8')), compatibilityTable())
  })

  it('lists every operation of the SDK clients: 180 IAM and 12 STS when this was written', () => {
    assert.ok(sdkOperations('@aws-sdk/client-iam').length >= 180)
    assert.ok(sdkOperations('@aws-sdk/client-sts').length >= 12)
    assert.ok(sdkOperations('@aws-sdk/client-iam').includes('GetUser'))
  })
})
