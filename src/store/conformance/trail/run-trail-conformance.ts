/**
 * The trail store conformance suite: the cases every backend of the trail port runs, as the
 * IAM store's suite does for its port. A backend's test file calls runTrailConformance with a
 * way to open a fresh trail; a case a backend cannot pass is skipped by its full name
 * (`group > case`) with a reason.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TrailStore } from '../../trail-store.js'
import type { ConformanceSkip } from '../run-store-conformance.js'
import { accessCases } from './cases/access-cases.js'
import { appendCases } from './cases/append-cases.js'
import { lookupCases } from './cases/lookup-cases.js'
import { tokenCases } from './cases/token-cases.js'
import type { TrailCaseGroup } from './trail-harness.js'

/** A trail backend under test. */
export interface TrailConformanceOptions {
  /** Names the backend in the test output. */
  readonly name: string
  /** Opens a new, empty trail store (each call a separate database). */
  readonly create: () => TrailStore | Promise<TrailStore>
  readonly skip?: readonly ConformanceSkip[]
}

/** Every group of cases, in the order they run. */
export const TRAIL_CASE_GROUPS: readonly TrailCaseGroup[] = [
  appendCases,
  lookupCases,
  tokenCases,
  accessCases,
]

/** Registers the suite for one trail backend with node:test. */
export function runTrailConformance(options: TrailConformanceOptions): void {
  const skipped = new Map<string, string>()
  for (const skip of options.skip ?? []) {
    for (const test of skip.tests) skipped.set(test, skip.reason)
  }
  const defined = new Set<string>()

  describe(`trail store conformance: ${options.name}`, () => {
    for (const group of TRAIL_CASE_GROUPS) {
      describe(group.name, () => {
        group.cases((name, fn) => {
          const fullName = `${group.name} > ${name}`
          assert.ok(!defined.has(fullName), `two cases are named ${fullName}`)
          defined.add(fullName)
          const reason = skipped.get(fullName)
          it(name, reason === undefined ? {} : { skip: reason }, async () => {
            const store = await options.create()
            try {
              await fn({ store })
            } finally {
              await store.close()
            }
          })
        })
      })
    }

    it('skips only cases that exist', () => {
      const unknown = [...skipped.keys()].filter((name) => !defined.has(name))
      assert.deepEqual(unknown, [], 'skips that name no case')
    })
  })
}
