/**
 * Outbound signing key rotation with several nodes on one PostgreSQL database: nodes that find
 * the signing key due at the same moment make one new key between them, not one each, and sign
 * with that one.
 */
import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { describe, it } from 'node:test'
import type {
  NewOutboundSigningKey,
  OutboundSigningAlgorithm,
} from '../../src/store/outbound-federation-ops.js'
import { ACCOUNT, TEST_MASTER_KEY } from '../../src/store/conformance/harness.js'
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js'
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js'
import { createTestDatabase } from '../support/postgres-database.js'

const url = await createTestDatabase()

const DAY = 24 * 3600 * 1000
const START = new Date('2026-01-01T00:00:00.000Z')

/** Four stores (four nodes) on one schema. */
async function nodes(): Promise<PostgresStore[]> {
  const options = {
    connectionString: url,
    schema: 'nodes',
    masterKey: TEST_MASTER_KEY,
    poolSize: 4,
  }
  const opened = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(options)))
  await opened[0]?.transaction(async (tx) => {
    await tx.createAccount({ accountId: ACCOUNT })
    await tx.enableOutboundFederation(ACCOUNT, START, () =>
      Promise.resolve({
        issuerId: 'iss',
        keys: (['ES384', 'RS256'] as const).map((algorithm) => ({
          algorithm,
          keyId: `${algorithm}-0`,
          publicJwk: '{}',
          privateKeyPem: `pem-${algorithm}-0`,
        })),
      }),
    )
  })
  return opened
}

describe('postgres: outbound signing keys rotated by nodes racing', () => {
  it('makes one new key however many nodes find the old one due at once', async () => {
    const stores = await nodes()
    try {
      let made = 0
      // Slow, so that every node is past its first read while the first is still making a key.
      const fresh = async (algorithm: OutboundSigningAlgorithm): Promise<NewOutboundSigningKey> => {
        made += 1
        const n = made
        await delay(50)
        return { algorithm, keyId: `made-${n}`, publicJwk: '{}', privateKeyPem: `pem-${n}` }
      }
      for (let round = 1; round <= 3; round++) {
        const rotation = {
          now: new Date(START.getTime() + round * DAY),
          rotateAfterMs: DAY,
          retainMs: DAY / 2,
        }
        const before = made
        const signed = await Promise.all(
          stores.map((store) =>
            store.transaction((tx) =>
              tx.rotateOutboundSigningKey(ACCOUNT, 'ES384', rotation, fresh),
            ),
          ),
        )
        assert.equal(made, before + 1, `round ${round}: keys made`)
        const keyIds = new Set(signed.map((key) => key?.keyId))
        assert.deepEqual([...keyIds], [`made-${made}`], `round ${round}: keys signed with`)
        assert.ok(signed.every((key) => key?.privateKeyPem === `pem-${made}`))
        const issuer = await stores[1]?.transaction((tx) => tx.getOutboundIssuer(ACCOUNT), {
          readOnly: true,
        })
        const es = issuer?.keys.filter((k) => k.algorithm === 'ES384') ?? []
        // The new key signs; the one it replaced is kept (retired); older ones were pruned.
        assert.deepEqual(
          es.map((k) => [k.keyId, k.retiredAt?.getTime() ?? null]),
          [
            [`made-${made}`, null],
            [round === 1 ? 'ES384-0' : `made-${made - 1}`, rotation.now.getTime()],
          ],
        )
      }
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })
})
