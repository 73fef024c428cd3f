/**
 * The store conformance suite: one set of cases that every backend of the port runs (hono's
 * shared router suite, kysely's "no mocks"). A backend's test file calls runStoreConformance
 * with a way to open a fresh store; a case that a backend cannot pass is skipped by its full
 * name (`group > case`) with a reason, never by an `if` in a case.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Store, StoreOptions } from '../store.js'
import { accountAliasCases } from './cases/account-aliases-cases.js'
import { passwordCases } from './cases/passwords-cases.js'
import { oidcProviderCases } from './cases/oidc-providers-cases.js'
import { mfaDeviceCases } from './cases/mfa-devices-cases.js'
import { samlProviderCases } from './cases/saml-providers-cases.js'
import { userCredentialCases } from './cases/user-credentials-cases.js'
import { serviceCredentialCases } from './cases/service-credentials-cases.js'
import { serverCertificateCases } from './cases/server-certificates-cases.js'
import { serviceLinkedRoleCases } from './cases/service-linked-roles-cases.js'
import { accessKeyCases } from './cases/access-key-cases.js'
import { accountCases } from './cases/account-cases.js'
import { attachmentCases } from './cases/attachment-cases.js'
import { changeFeedCases } from './cases/change-feed-cases.js'
import { credentialReportCases } from './cases/credential-report-cases.js'
import { groupCases } from './cases/group-cases.js'
import { inlinePolicyCases } from './cases/inline-policy-cases.js'
import { instanceProfileCases } from './cases/instance-profile-cases.js'
import { paginationCases } from './cases/pagination-cases.js'
import { policyCases } from './cases/policy-cases.js'
import { roleCases } from './cases/role-cases.js'
import { tagCases } from './cases/tag-cases.js'
import { transactionCases } from './cases/transaction-cases.js'
import { userCases } from './cases/user-cases.js'
import { workloadCases } from './cases/workloads-cases.js'
import { outboundFederationCases } from './cases/outbound-federation-cases.js'
import { delegationRequestCases } from './cases/delegation-requests-cases.js'
import { accountPropertyCases } from './cases/account-properties-cases.js'
import { ACCOUNT, OTHER_ACCOUNT, TEST_MASTER_KEY, TestClock, seededRandom } from './harness.js'
import type { CaseContext, CaseGroup, CaseOptions } from './harness.js'

/** Cases a backend skips, and why. */
export interface ConformanceSkip {
  readonly reason: string
  /** Full names: `group > case`. */
  readonly tests: readonly string[]
}

/** A backend under test. */
export interface StoreConformanceOptions<S extends Store> {
  /** Names the backend in the test output. */
  readonly name: string
  /** Opens a new, empty store with these options (each call a separate database). */
  readonly create: (options: StoreOptions) => S | Promise<S>
  /**
   * Every byte the backend keeps for `store` (its file, a dump of its tables...): the suite
   * searches it for secrets in plain text.
   */
  readonly rawContent: (store: S) => Uint8Array | Promise<Uint8Array>
  readonly skip?: readonly ConformanceSkip[]
}

/** Every group of cases, in the order they run. */
export const CASE_GROUPS: readonly CaseGroup[] = [
  transactionCases,
  accountCases,
  userCases,
  groupCases,
  roleCases,
  policyCases,
  attachmentCases,
  inlinePolicyCases,
  accessKeyCases,
  credentialReportCases,
  instanceProfileCases,
  tagCases,
  paginationCases,
  changeFeedCases,
  accountAliasCases,
  passwordCases,
  oidcProviderCases,
  mfaDeviceCases,
  serviceCredentialCases,
  userCredentialCases,
  samlProviderCases,
  serviceLinkedRoleCases,
  serverCertificateCases,
  workloadCases,
  outboundFederationCases,
  delegationRequestCases,
  accountPropertyCases,
]

const SEED = 20260101

/** Registers the suite for one backend with node:test. */
export function runStoreConformance<S extends Store>(options: StoreConformanceOptions<S>): void {
  const skipped = new Map<string, string>()
  for (const skip of options.skip ?? []) {
    for (const test of skip.tests) skipped.set(test, skip.reason)
  }
  const defined = new Set<string>()

  async function open(caseOptions: CaseOptions | undefined, clock: TestClock): Promise<S> {
    const storeOptions: StoreOptions = {
      masterKey: TEST_MASTER_KEY,
      clock: clock.now,
      random: seededRandom(SEED),
      checkNesting: true,
      ...(caseOptions?.limits === undefined ? {} : { limits: caseOptions.limits }),
    }
    const store = await options.create(storeOptions)
    await store.transaction(async (tx) => {
      await tx.createAccount({ accountId: ACCOUNT })
      await tx.createAccount({ accountId: OTHER_ACCOUNT })
    })
    return store
  }

  describe(`store conformance: ${options.name}`, () => {
    for (const group of CASE_GROUPS) {
      describe(group.name, () => {
        group.cases((name, fn, caseOptions) => {
          const fullName = `${group.name} > ${name}`
          assert.ok(!defined.has(fullName), `two cases are named ${fullName}`)
          defined.add(fullName)
          const reason = skipped.get(fullName)
          it(name, reason === undefined ? {} : { skip: reason }, async () => {
            const clock = new TestClock()
            const store = await open(caseOptions, clock)
            const others: Store[] = []
            const context: CaseContext = {
              store,
              clock,
              tx: (body) => store.transaction(body),
              rawContent: async () => options.rawContent(store),
              openAnother: async () => {
                const another = await open(caseOptions, new TestClock())
                others.push(another)
                return another
              },
            }
            try {
              await fn(context)
            } finally {
              for (const other of others) await other.close()
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
