/**
 * Outbound web identity federation: an issuer per account, made on the first enable and kept,
 * with its keys, through a disable; private keys sealed at rest and opened only for their
 * account; signing keys rotated when due, a replaced key keeping its public half until it is
 * pruned.
 */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import type {
  NewOutboundIssuer,
  NewOutboundSigningKey,
  OutboundKeyRotation,
  OutboundSigningAlgorithm,
} from '../../outbound-federation-ops.js'
import { ACCOUNT, OTHER_ACCOUNT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const PRIVATE_PEM =
  '-----BEGIN PRIVATE KEY-----\nTESTPRIVATEKEYMATERIAL0001\n-----END PRIVATE KEY-----\n'

const HOUR = 3600 * 1000
const DAY = 24 * HOUR

function issuer(id: string): NewOutboundIssuer {
  return {
    issuerId: id,
    keys: [
      {
        algorithm: 'ES384',
        keyId: `${id}-es`,
        publicJwk: '{"kty":"EC","crv":"P-384","x":"x","y":"y"}',
        privateKeyPem: PRIVATE_PEM,
      },
      {
        algorithm: 'RS256',
        keyId: `${id}-rs`,
        publicJwk: '{"kty":"RSA","n":"n","e":"AQAB"}',
        privateKeyPem: `${PRIVATE_PEM}rsa`,
      },
    ],
  }
}

/** A key source that names its keys `<prefix>-<n>` and counts what it was asked for. */
function keySource(prefix: string): {
  readonly asked: OutboundSigningAlgorithm[]
  readonly fresh: (algorithm: OutboundSigningAlgorithm) => Promise<NewOutboundSigningKey>
} {
  const asked: OutboundSigningAlgorithm[] = []
  return {
    asked,
    fresh: (algorithm) => {
      asked.push(algorithm)
      return Promise.resolve({
        algorithm,
        keyId: `${prefix}-${asked.length}`,
        publicJwk: `{"kid":"${prefix}-${asked.length}"}`,
        privateKeyPem: `${PRIVATE_PEM}${prefix}-${asked.length}`,
      })
    },
  }
}

/** Keys rotate after a day here and are kept an hour after they stop signing. */
function at(ms: number): OutboundKeyRotation {
  return { now: new Date(START.getTime() + ms), rotateAfterMs: DAY, retainMs: HOUR }
}

/** The outbound federation cases. */
export const outboundFederationCases: CaseGroup = {
  name: 'outbound federation',
  cases(test) {
    test('knows no issuer for an account that never enabled', async (c) => {
      const source = keySource('n')
      await c.tx(async (tx) => {
        assert.equal(await tx.getOutboundIssuer(ACCOUNT), undefined)
        assert.equal(await tx.getOutboundIssuerById('nope'), undefined)
        assert.equal(await tx.getOutboundSigningKey(ACCOUNT, 'ES384'), undefined)
        assert.equal(await tx.disableOutboundFederation(ACCOUNT), false)
        assert.equal(
          await tx.rotateOutboundSigningKey(ACCOUNT, 'ES384', at(30 * DAY), source.fresh),
          undefined,
        )
      })
      assert.deepEqual(source.asked, [])
    })

    test('makes the issuer on the first enable, asking for it once', async (c) => {
      let asked = 0
      const fresh = () => {
        asked += 1
        return Promise.resolve(issuer('iss-1'))
      }
      const first = await c.tx((tx) => tx.enableOutboundFederation(ACCOUNT, START, fresh))
      assert.equal(first.outcome, 'enabled')
      assert.equal(first.issuer.issuerId, 'iss-1')
      assert.equal(first.issuer.enabled, true)
      assert.deepEqual(
        first.issuer.keys.map((k) => [k.algorithm, k.keyId, k.createdAt.getTime(), k.retiredAt]),
        [
          ['ES384', 'iss-1-es', START.getTime(), null],
          ['RS256', 'iss-1-rs', START.getTime(), null],
        ],
      )
      const again = await c.tx((tx) => tx.enableOutboundFederation(ACCOUNT, START, fresh))
      assert.equal(again.outcome, 'already')
      assert.equal(asked, 1)
      await c.tx(async (tx) => {
        assert.equal((await tx.getOutboundIssuerById('iss-1'))?.accountId, ACCOUNT)
        assert.equal(await tx.getOutboundIssuer(OTHER_ACCOUNT), undefined)
      })
    })

    test('disables and enables again with the same issuer and keys', async (c) => {
      await c.tx((tx) =>
        tx.enableOutboundFederation(ACCOUNT, START, () => Promise.resolve(issuer('a'))),
      )
      await c.tx(async (tx) => {
        assert.equal(await tx.disableOutboundFederation(ACCOUNT), true)
        assert.equal(await tx.disableOutboundFederation(ACCOUNT), false)
        assert.equal((await tx.getOutboundIssuer(ACCOUNT))?.enabled, false)
      })
      const back = await c.tx((tx) =>
        tx.enableOutboundFederation(ACCOUNT, START, () => Promise.resolve(issuer('b'))),
      )
      assert.equal(back.outcome, 'enabled')
      assert.equal(back.issuer.issuerId, 'a')
      assert.equal(back.issuer.keys[0]?.keyId, 'a-es')
    })

    test('opens the private keys it sealed, and keeps them sealed at rest', async (c) => {
      await c.tx((tx) =>
        tx.enableOutboundFederation(ACCOUNT, START, () => Promise.resolve(issuer('k'))),
      )
      await c.tx(async (tx) => {
        const es = await tx.getOutboundSigningKey(ACCOUNT, 'ES384')
        assert.deepEqual(es, { algorithm: 'ES384', keyId: 'k-es', privateKeyPem: PRIVATE_PEM })
        assert.equal(
          (await tx.getOutboundSigningKey(ACCOUNT, 'RS256'))?.privateKeyPem,
          `${PRIVATE_PEM}rsa`,
        )
        assert.equal(await tx.getOutboundSigningKey(OTHER_ACCOUNT, 'ES384'), undefined)
      })
      // A key made by rotation is sealed as well.
      await c.tx((tx) =>
        tx.rotateOutboundSigningKey(ACCOUNT, 'ES384', at(DAY), keySource('r').fresh),
      )
      const raw = Buffer.from(await c.rawContent()).toString('latin1')
      assert.ok(!raw.includes('TESTPRIVATEKEYMATERIAL0001'), 'a private key in plain text')
    })

    test('refuses an unknown account', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(
          tx.enableOutboundFederation('999999999999', START, () => Promise.resolve(issuer('x'))),
          NotFoundError,
        )
        await rejectsWith(tx.disableOutboundFederation('999999999999'), NotFoundError)
      })
    })

    test('signs with the same key until it is due, then with a new one it asks for once', async (c) => {
      await c.tx((tx) =>
        tx.enableOutboundFederation(ACCOUNT, START, () => Promise.resolve(issuer('i'))),
      )
      const source = keySource('es')
      const rotate = (ms: number) =>
        c.tx((tx) => tx.rotateOutboundSigningKey(ACCOUNT, 'ES384', at(ms), source.fresh))

      assert.deepEqual(await rotate(DAY - 1), {
        algorithm: 'ES384',
        keyId: 'i-es',
        privateKeyPem: PRIVATE_PEM,
      })
      assert.deepEqual(source.asked, [])
      const next = await rotate(DAY)
      assert.deepEqual(next, {
        algorithm: 'ES384',
        keyId: 'es-1',
        privateKeyPem: `${PRIVATE_PEM}es-1`,
      })
      assert.deepEqual(source.asked, ['ES384'])

      await c.tx(async (tx) => {
        assert.equal((await tx.getOutboundSigningKey(ACCOUNT, 'ES384'))?.keyId, 'es-1')
        // The other algorithm's key rotates on its own.
        assert.equal((await tx.getOutboundSigningKey(ACCOUNT, 'RS256'))?.keyId, 'i-rs')
        const keys = (await tx.getOutboundIssuer(ACCOUNT))?.keys ?? []
        assert.deepEqual(
          keys.map((k) => [k.algorithm, k.keyId, k.createdAt.getTime() - START.getTime()]),
          [
            ['ES384', 'es-1', DAY],
            ['ES384', 'i-es', 0],
            ['RS256', 'i-rs', 0],
          ],
        )
        assert.deepEqual(
          keys.map((k) => (k.retiredAt === null ? null : k.retiredAt.getTime() - START.getTime())),
          [null, DAY, null],
        )
        const byId = await tx.getOutboundIssuerById('i')
        assert.deepEqual(
          byId?.keys.map((k) => k.keyId),
          keys.map((k) => k.keyId),
        )
      })
      // The new key's age counts from its own making.
      assert.equal((await rotate(2 * DAY - 1))?.keyId, 'es-1')
      assert.deepEqual(source.asked, ['ES384'])
    })

    test('keeps a replaced key for the retention only, and its public half only', async (c) => {
      await c.tx((tx) =>
        tx.enableOutboundFederation(ACCOUNT, START, () => Promise.resolve(issuer('p'))),
      )
      const source = keySource('rs')
      const rotate = (ms: number) =>
        c.tx((tx) => tx.rotateOutboundSigningKey(ACCOUNT, 'RS256', at(ms), source.fresh))
      await rotate(DAY)
      const kept = async () =>
        c.tx(async (tx) => ((await tx.getOutboundIssuer(ACCOUNT))?.keys ?? []).map((k) => k.keyId))
      // Within the retention, a call that rotates nothing prunes nothing.
      await rotate(DAY + HOUR - 1)
      assert.deepEqual(await kept(), ['p-es', 'rs-1', 'p-rs'])
      // Past it, the next call deletes the replaced key.
      await rotate(DAY + HOUR)
      assert.deepEqual(await kept(), ['p-es', 'rs-1'])
      assert.deepEqual(source.asked, ['RS256'])
      // A second rotation replaces the second key in turn.
      assert.equal((await rotate(2 * DAY))?.keyId, 'rs-2')
      assert.deepEqual(await kept(), ['p-es', 'rs-2', 'rs-1'])
      await c.tx(async (tx) => {
        assert.equal(
          (await tx.getOutboundSigningKey(ACCOUNT, 'RS256'))?.privateKeyPem,
          `${PRIVATE_PEM}rs-2`,
        )
      })
    })

    test('rotates nothing of another account, nor what a failed call began', async (c) => {
      for (const account of [ACCOUNT, OTHER_ACCOUNT]) {
        await c.tx((tx) =>
          tx.enableOutboundFederation(account, START, () =>
            Promise.resolve(issuer(`iss-${account}`)),
          ),
        )
      }
      const source = keySource('x')
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.rotateOutboundSigningKey(ACCOUNT, 'ES384', at(DAY), source.fresh)
          throw new Error('abandoned')
        }),
        /abandoned/,
      )
      await c.tx(async (tx) => {
        assert.equal((await tx.getOutboundSigningKey(ACCOUNT, 'ES384'))?.keyId, `iss-${ACCOUNT}-es`)
        assert.equal((await tx.getOutboundIssuer(ACCOUNT))?.keys.length, 2)
      })
      await c.tx((tx) => tx.rotateOutboundSigningKey(ACCOUNT, 'ES384', at(DAY), source.fresh))
      await c.tx(async (tx) => {
        assert.equal(
          (await tx.getOutboundSigningKey(OTHER_ACCOUNT, 'ES384'))?.keyId,
          `iss-${OTHER_ACCOUNT}-es`,
        )
        assert.equal((await tx.getOutboundIssuer(OTHER_ACCOUNT))?.keys.length, 2)
      })
    })
  },
}
