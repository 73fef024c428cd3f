/** AwsError: the code is checked at compile time and the status and fault come from the catalog. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AwsError } from '../../src/errors/aws-error.js'

describe('AwsError', () => {
  it('takes its status and fault from the catalog', () => {
    const error = new AwsError('NoSuchEntity', 'The user with name bob cannot be found.')
    assert.equal(error.code, 'NoSuchEntity')
    assert.equal(error.message, 'The user with name bob cannot be found.')
    assert.equal(error.status, 404)
    assert.equal(error.fault, 'client')
    assert.equal(error.name, 'AwsError')
    assert.ok(error instanceof Error)
  })

  it('marks a 5xx code as the server fault', () => {
    const error = new AwsError('ServiceFailure', 'failed')
    assert.equal(error.status, 500)
    assert.equal(error.fault, 'server')
  })

  it('keeps the cause it is given, and has none otherwise', () => {
    const cause = new Error('disk full')
    assert.equal(new AwsError('InternalFailure', 'failed', { cause }).cause, cause)
    assert.equal(new AwsError('InternalFailure', 'failed').cause, undefined)
    assert.equal(Object.hasOwn(new AwsError('InternalFailure', 'failed'), 'cause'), false)
  })

  it('does not compile with a code outside the catalog', () => {
    // Type-level only: `npm run typecheck` fails if either line below compiles.
    const construct = (): AwsError[] => [
      // @ts-expect-error the shape name is not the wire code
      new AwsError('NoSuchEntityException', 'x'),
      // @ts-expect-error a misspelt code
      new AwsError('NoSuchEnitty', 'x'),
    ]
    assert.equal(typeof construct, 'function')
  })
})
