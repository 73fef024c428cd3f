/** What a failed call of a real AWS SDK client threw, for end-to-end assertions. */
import assert from 'node:assert/strict'

/** A failed SDK call: the exception's name, message and HTTP status. */
export interface SdkFailure {
  readonly name: string
  readonly message: string
  readonly status: number | undefined
}

/** Awaits `call`, which must fail, and gives what it threw. */
export async function failure(call: Promise<unknown>): Promise<SdkFailure> {
  try {
    await call
  } catch (err) {
    assert.ok(err instanceof Error)
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    return { name: err.name, message: err.message, status }
  }
  assert.fail('the call succeeded')
}
