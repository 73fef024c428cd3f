/** Server certificates. */
import assert from 'node:assert/strict'
import { LimitExceededError, NotFoundError } from '../../errors.js'
import { ServerCertificateError } from '../../server-certificate-error.js'
import { SERVER_CERTIFICATES_PER_ACCOUNT } from '../../server-certificates-ops.js'
import type { NewServerCertificate } from '../../server-certificates-ops.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, START, readAllPages, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

// The store stores what the handler checked; it reads none of these.
const BODY = '-----BEGIN CERTIFICATE-----\nMIIBbody\n-----END CERTIFICATE-----\n'
const CHAIN = '-----BEGIN CERTIFICATE-----\nMIIBchain\n-----END CERTIFICATE-----\n'
const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nTHISISTHEPRIVATEKEYMATERIALTHATMUSTNOTBESTOREDINCLEAR\n-----END PRIVATE KEY-----\n'
const EXPIRES = new Date('2027-01-01T00:00:00.000Z')

function certificate(
  name: string,
  extra: Partial<NewServerCertificate> = {},
): NewServerCertificate {
  return {
    accountId: ACCOUNT,
    name,
    path: '/',
    body: BODY,
    privateKey: PRIVATE_KEY,
    expiresAt: EXPIRES,
    ...extra,
  }
}

async function namesOf(tx: StoreTx, accountId: string, prefix?: string): Promise<string[]> {
  return (await tx.listServerCertificates(accountId, prefix)).items.map((c) => c.name)
}

/** The server certificate cases. */
export const serverCertificateCases: CaseGroup = {
  name: 'server certificates',
  cases(test) {
    test('uploads a certificate with an ASCA id, its ARN with its path, and reads it back', async (c) => {
      await c.tx(async (tx) => {
        const uploaded = await tx.uploadServerCertificate(
          certificate('Web-Cert', { path: '/cloudfront/', chain: CHAIN }),
        )
        assert.match(uploaded.serverCertificateId, /^ASCA[A-Z2-7]{17}$/)
        assert.deepEqual(uploaded, {
          accountId: ACCOUNT,
          serverCertificateId: uploaded.serverCertificateId,
          name: 'Web-Cert',
          path: '/cloudfront/',
          arn: `arn:aws:iam::${ACCOUNT}:server-certificate/cloudfront/Web-Cert`,
          body: BODY,
          chain: CHAIN,
          expiresAt: EXPIRES,
          uploadedAt: START,
        })
        assert.deepEqual(await tx.getServerCertificate(ACCOUNT, 'web-cert'), uploaded)
        const bare = await tx.uploadServerCertificate(certificate('bare'))
        assert.equal(bare.chain, null)
        assert.equal(bare.arn, `arn:aws:iam::${ACCOUNT}:server-certificate/bare`)
        assert.notEqual(bare.serverCertificateId, uploaded.serverCertificateId)
      })
    })

    test('keeps the private key sealed, never in clear, and opens it again', async (c) => {
      await c.tx(async (tx) => {
        await tx.uploadServerCertificate(certificate('sealed'))
        assert.equal(await tx.getServerCertificatePrivateKey(ACCOUNT, 'SEALED'), PRIVATE_KEY)
        // Nothing but that one call hands out the key.
        assert.ok(
          !JSON.stringify(await tx.getServerCertificate(ACCOUNT, 'sealed')).includes('PRIVATE'),
        )
        assert.ok(
          !JSON.stringify(await tx.listServerCertificates(ACCOUNT, undefined)).includes('PRIVATE'),
        )
      })
      const raw = Buffer.from(await c.rawContent())
      assert.ok(raw.includes(Buffer.from('MIIBbody')), 'the raw content is the database')
      assert.ok(!raw.includes(Buffer.from('THISISTHEPRIVATEKEY')), 'the private key in clear')
      // The key survives a rename: it is bound to the id, not to the name.
      await c.tx(async (tx) => {
        await tx.updateServerCertificate(ACCOUNT, 'sealed', { newName: 'renamed', newPath: '/x/' })
        assert.equal(await tx.getServerCertificatePrivateKey(ACCOUNT, 'renamed'), PRIVATE_KEY)
      })
    })

    test('refuses a name taken in any case, per account, and an unknown account', async (c) => {
      await c.tx(async (tx) => {
        await tx.uploadServerCertificate(certificate('shared'))
        await rejectsWith(
          tx.uploadServerCertificate(certificate('SHARED', { path: '/other/' })),
          ServerCertificateError,
          { reason: 'exists', certificateName: 'SHARED' },
        )
        await tx.uploadServerCertificate(certificate('shared', { accountId: OTHER_ACCOUNT }))
        await rejectsWith(
          tx.uploadServerCertificate(certificate('x', { accountId: '999999999999' })),
          NotFoundError,
        )
        assert.deepEqual(await namesOf(tx, ACCOUNT), ['shared'])
      })
    })

    test('refuses a certificate past the quota of 20 per account, keeping nothing of it', async (c) => {
      await c.tx(async (tx) => {
        for (let i = 0; i < SERVER_CERTIFICATES_PER_ACCOUNT; i++) {
          await tx.uploadServerCertificate(certificate(`cert-${String(i).padStart(2, '0')}`))
        }
        await rejectsWith(
          tx.uploadServerCertificate(
            certificate('one-too-many', { tags: [{ key: 'a', value: '1' }] }),
          ),
          ServerCertificateError,
          { reason: 'limit', certificateName: 'one-too-many', limit: 20 },
        )
        await rejectsWith(
          tx.getServerCertificate(ACCOUNT, 'one-too-many'),
          ServerCertificateError,
          { reason: 'notFound' },
        )
        // Another account has its own quota.
        await tx.uploadServerCertificate(certificate('elsewhere', { accountId: OTHER_ACCOUNT }))
      })
    })

    test('lists by name without case, filtered by path prefix, page by page', async (c) => {
      await c.tx(async (tx) => {
        await tx.uploadServerCertificate(certificate('beta', { path: '/web/' }))
        await tx.uploadServerCertificate(certificate('Alpha', { path: '/web/eu/' }))
        await tx.uploadServerCertificate(certificate('gamma'))
        await tx.uploadServerCertificate(certificate('other', { accountId: OTHER_ACCOUNT }))
        assert.deepEqual(await namesOf(tx, ACCOUNT), ['Alpha', 'beta', 'gamma'])
        assert.deepEqual(await namesOf(tx, ACCOUNT, '/web/'), ['Alpha', 'beta'])
        assert.deepEqual(await namesOf(tx, ACCOUNT, '/web/eu'), ['Alpha'])
        assert.deepEqual(await namesOf(tx, ACCOUNT, '/none/'), [])
        const all = await readAllPages((marker) =>
          tx.listServerCertificates(ACCOUNT, undefined, {
            maxItems: 2,
            ...(marker === undefined ? {} : { marker }),
          }),
        )
        assert.deepEqual(all.pages, [2, 1])
        assert.deepEqual(
          all.items.map((i) => i.name),
          ['Alpha', 'beta', 'gamma'],
        )
      })
    })

    test('renames and moves a certificate, keeping its id; refuses a taken name', async (c) => {
      await c.tx(async (tx) => {
        const before = await tx.uploadServerCertificate(
          certificate('old', { tags: [{ key: 'k', value: 'v' }] }),
        )
        await tx.uploadServerCertificate(certificate('taken'))
        const moved = await tx.updateServerCertificate(ACCOUNT, 'OLD', { newPath: '/moved/' })
        assert.equal(moved.arn, `arn:aws:iam::${ACCOUNT}:server-certificate/moved/old`)
        const renamed = await tx.updateServerCertificate(ACCOUNT, 'old', { newName: 'New' })
        assert.equal(renamed.serverCertificateId, before.serverCertificateId)
        assert.equal(renamed.path, '/moved/')
        assert.equal(renamed.arn, `arn:aws:iam::${ACCOUNT}:server-certificate/moved/New`)
        // Another case of its own name is the same certificate.
        assert.equal(
          (await tx.updateServerCertificate(ACCOUNT, 'new', { newName: 'NEW' })).name,
          'NEW',
        )
        await rejectsWith(
          tx.updateServerCertificate(ACCOUNT, 'NEW', { newName: 'Taken' }),
          ServerCertificateError,
          { reason: 'exists', certificateName: 'Taken' },
        )
        await rejectsWith(
          tx.updateServerCertificate(ACCOUNT, 'old', { newName: 'x' }),
          ServerCertificateError,
          { reason: 'notFound', certificateName: 'old' },
        )
        assert.deepEqual((await tx.listServerCertificateTags(ACCOUNT, 'NEW')).items, [
          { key: 'k', value: 'v' },
        ])
      })
    })

    test('tags with case, replaces, untags, and limits tags per certificate', async (c) => {
      await c.tx(async (tx) => {
        await tx.uploadServerCertificate(
          certificate('tagged', { tags: [{ key: 'team', value: 'blue' }] }),
        )
        await tx.tagServerCertificate(ACCOUNT, 'TAGGED', [
          { key: 'Team', value: 'red' },
          { key: 'team', value: 'green' },
        ])
        assert.deepEqual((await tx.listServerCertificateTags(ACCOUNT, 'tagged')).items, [
          { key: 'Team', value: 'red' },
          { key: 'team', value: 'green' },
        ])
        await tx.untagServerCertificate(ACCOUNT, 'tagged', ['team', 'absent'])
        assert.deepEqual((await tx.listServerCertificateTags(ACCOUNT, 'tagged')).items, [
          { key: 'Team', value: 'red' },
        ])
        const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }))
        await rejectsWith(tx.tagServerCertificate(ACCOUNT, 'tagged', many), LimitExceededError)
        assert.equal((await tx.listServerCertificateTags(ACCOUNT, 'tagged')).items.length, 1)
        await rejectsWith(
          tx.tagServerCertificate(ACCOUNT, 'absent', [{ key: 'a', value: 'b' }]),
          ServerCertificateError,
          { reason: 'notFound' },
        )
      })
    })

    test('deletes a certificate with its key and tags; a deleted one is not found', async (c) => {
      await c.tx(async (tx) => {
        await tx.uploadServerCertificate(certificate('gone', { tags: [{ key: 'a', value: 'b' }] }))
        await tx.deleteServerCertificate(ACCOUNT, 'GONE')
        for (const read of [
          tx.getServerCertificate(ACCOUNT, 'gone'),
          tx.getServerCertificatePrivateKey(ACCOUNT, 'gone'),
          tx.listServerCertificateTags(ACCOUNT, 'gone'),
          tx.deleteServerCertificate(ACCOUNT, 'gone'),
        ]) {
          await rejectsWith(read, ServerCertificateError, {
            reason: 'notFound',
            certificateName: 'gone',
          })
        }
        // The name is free again.
        await tx.uploadServerCertificate(certificate('gone'))
        assert.deepEqual((await tx.listServerCertificateTags(ACCOUNT, 'gone')).items, [])
      })
    })
  },
}
