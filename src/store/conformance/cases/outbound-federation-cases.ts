/**
 * Outbound web identity federation: an issuer per account, made on the first enable and kept,
 * with its keys, through a disable; private keys sealed at rest and opened only for their account.
 */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import type { NewOutboundIssuer } from '../../outbound-federation-ops.js'
import { ACCOUNT, OTHER_ACCOUNT, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const PRIVATE_PEM =
  '-----BEGIN PRIVATE KEY-----\nTESTPRIVATEKEYMATERIAL0001\n-----END PRIVATE KEY-----\n'

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

/** The outbound federation cases. */
export const outboundFederationCases: CaseGroup = {
  name: 'outbound federation',
  cases(test) {
    test('knows no issuer for an account that never enabled', async (c) => {
      await c.tx(async (tx) => {
        assert.equal(await tx.getOutboundIssuer(ACCOUNT), undefined)
        assert.equal(await tx.getOutboundIssuerById('nope'), undefined)
        assert.equal(await tx.getOutboundSigningKey(ACCOUNT, 'ES384'), undefined)
        assert.equal(await tx.disableOutboundFederation(ACCOUNT), false)
      })
    })

    test('makes the issuer on the first enable, asking for it once', async (c) => {
      let asked = 0
      const fresh = () => {
        asked += 1
        return Promise.resolve(issuer('iss-1'))
      }
      const first = await c.tx((tx) => tx.enableOutboundFederation(ACCOUNT, fresh))
      assert.equal(first.outcome, 'enabled')
      assert.equal(first.issuer.issuerId, 'iss-1')
      assert.equal(first.issuer.enabled, true)
      assert.deepEqual(
        first.issuer.keys.map((k) => [k.algorithm, k.keyId]),
        [
          ['ES384', 'iss-1-es'],
          ['RS256', 'iss-1-rs'],
        ],
      )
      const again = await c.tx((tx) => tx.enableOutboundFederation(ACCOUNT, fresh))
      assert.equal(again.outcome, 'already')
      assert.equal(asked, 1)
      await c.tx(async (tx) => {
        assert.equal((await tx.getOutboundIssuerById('iss-1'))?.accountId, ACCOUNT)
        assert.equal(await tx.getOutboundIssuer(OTHER_ACCOUNT), undefined)
      })
    })

    test('disables and enables again with the same issuer and keys', async (c) => {
      await c.tx((tx) => tx.enableOutboundFederation(ACCOUNT, () => Promise.resolve(issuer('a'))))
      await c.tx(async (tx) => {
        assert.equal(await tx.disableOutboundFederation(ACCOUNT), true)
        assert.equal(await tx.disableOutboundFederation(ACCOUNT), false)
        assert.equal((await tx.getOutboundIssuer(ACCOUNT))?.enabled, false)
      })
      const back = await c.tx((tx) =>
        tx.enableOutboundFederation(ACCOUNT, () => Promise.resolve(issuer('b'))),
      )
      assert.equal(back.outcome, 'enabled')
      assert.equal(back.issuer.issuerId, 'a')
      assert.equal(back.issuer.keys[0]?.keyId, 'a-es')
    })

    test('opens the private keys it sealed, and keeps them sealed at rest', async (c) => {
      await c.tx((tx) => tx.enableOutboundFederation(ACCOUNT, () => Promise.resolve(issuer('k'))))
      await c.tx(async (tx) => {
        const es = await tx.getOutboundSigningKey(ACCOUNT, 'ES384')
        assert.deepEqual(es, { algorithm: 'ES384', keyId: 'k-es', privateKeyPem: PRIVATE_PEM })
        assert.equal(
          (await tx.getOutboundSigningKey(ACCOUNT, 'RS256'))?.privateKeyPem,
          `${PRIVATE_PEM}rsa`,
        )
        assert.equal(await tx.getOutboundSigningKey(OTHER_ACCOUNT, 'ES384'), undefined)
      })
      const raw = Buffer.from(await c.rawContent()).toString('latin1')
      assert.ok(!raw.includes('TESTPRIVATEKEYMATERIAL0001'), 'a private key in plain text')
    })

    test('refuses an unknown account', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(
          tx.enableOutboundFederation('999999999999', () => Promise.resolve(issuer('x'))),
          NotFoundError,
        )
        await rejectsWith(tx.disableOutboundFederation('999999999999'), NotFoundError)
      })
    })
  },
}
