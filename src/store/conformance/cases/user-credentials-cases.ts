/** SSH public keys and signing certificates of users: ownership, duplicates, quotas and lists. */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import type { StoreTx } from '../../store.js'
import { UserCredentialError } from '../../user-credential-error.js'
import {
  SIGNING_CERTIFICATES_PER_USER,
  SSH_PUBLIC_KEYS_PER_USER,
} from '../../user-credentials-ops.js'
import type { SigningCertificate, SshPublicKey } from '../../user-credentials-ops.js'
import { ACCOUNT, OTHER_ACCOUNT, START, readAllPages, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

/** A key body and its fingerprint; the store keeps both as given. */
function sshKey(n: number): { body: string; fingerprint: string } {
  return { body: `ssh-rsa AAAAKEY${n} user${n}@host`, fingerprint: `fingerprint-${n}` }
}

/** A certificate body and its fingerprint. */
function certificate(n: number): { body: string; fingerprint: string } {
  return {
    body: `-----BEGIN CERTIFICATE-----\nCERT${n}\n-----END CERTIFICATE-----\n`,
    fingerprint: `certificate-${n}`,
  }
}

async function keyIds(tx: StoreTx, userName: string): Promise<string[]> {
  return (await tx.listSshPublicKeys(ACCOUNT, userName)).items.map((k) => k.sshPublicKeyId)
}

async function certificateIds(
  tx: StoreTx,
  userName: string | null,
  accountId: string = ACCOUNT,
): Promise<string[]> {
  return (await tx.listSigningCertificates(accountId, userName)).items.map((c) => c.certificateId)
}

/** The user credential cases. */
export const userCredentialCases: CaseGroup = {
  name: 'user credentials',
  cases(test) {
    test('uploads an active APKA key for a user and reads it back', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'Alice' })
        const key = await tx.uploadSshPublicKey({
          accountId: ACCOUNT,
          userName: 'alice',
          ...sshKey(1),
        })
        assert.match(key.sshPublicKeyId, /^APKA[A-Z2-7]{16}$/)
        const expected: SshPublicKey = {
          accountId: ACCOUNT,
          userName: 'Alice',
          sshPublicKeyId: key.sshPublicKeyId,
          body: sshKey(1).body,
          fingerprint: sshKey(1).fingerprint,
          status: 'Active',
          uploadedAt: START,
        }
        assert.deepEqual(key, expected)
        assert.deepEqual(await tx.getSshPublicKey(ACCOUNT, 'ALICE', key.sshPublicKeyId), expected)
        assert.deepEqual((await tx.listSshPublicKeys(ACCOUNT, 'alice')).items, [expected])
      })
    })

    test('refuses a key a user has already, and takes it for another user', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'alice', ...sshKey(1) })
        await rejectsWith(
          tx.uploadSshPublicKey({
            accountId: ACCOUNT,
            userName: 'Alice',
            body: 'the same key, written otherwise',
            fingerprint: sshKey(1).fingerprint,
          }),
          UserCredentialError,
          { reason: 'sshPublicKeyDuplicate', key: 'Alice' },
        )
        await tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'bob', ...sshKey(1) })
        assert.equal((await keyIds(tx, 'alice')).length, 1)
        assert.equal((await keyIds(tx, 'bob')).length, 1)
      })
    })

    test('allows five keys per user', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        for (let n = 0; n < SSH_PUBLIC_KEYS_PER_USER; n++) {
          await tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'alice', ...sshKey(n) })
        }
        assert.equal(SSH_PUBLIC_KEYS_PER_USER, 5)
        await rejectsWith(
          tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'alice', ...sshKey(99) }),
          UserCredentialError,
          { reason: 'sshPublicKeyLimit', key: 'alice', limit: 5 },
        )
        // The duplicate is told before the quota.
        await rejectsWith(
          tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'alice', ...sshKey(0) }),
          UserCredentialError,
          { reason: 'sshPublicKeyDuplicate' },
        )
        await tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'bob', ...sshKey(99) })
        const [first] = await keyIds(tx, 'alice')
        await tx.deleteSshPublicKey(ACCOUNT, 'alice', first ?? '')
        await tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'alice', ...sshKey(99) })
        assert.equal((await keyIds(tx, 'alice')).length, 5)
      })
    })

    test('finds, changes and deletes a key only through its own user', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        const { sshPublicKeyId: id } = await tx.uploadSshPublicKey({
          accountId: ACCOUNT,
          userName: 'alice',
          ...sshKey(1),
        })
        const notFound = { reason: 'sshPublicKeyNotFound', key: id }
        await rejectsWith(tx.getSshPublicKey(ACCOUNT, 'bob', id), UserCredentialError, notFound)
        await rejectsWith(
          tx.updateSshPublicKeyStatus(ACCOUNT, 'bob', id, 'Inactive'),
          UserCredentialError,
          notFound,
        )
        await rejectsWith(tx.deleteSshPublicKey(ACCOUNT, 'bob', id), UserCredentialError, notFound)
        await rejectsWith(tx.getSshPublicKey(ACCOUNT, 'ghost', id), NotFoundError, {
          entity: 'user',
          key: 'ghost',
        })
        await rejectsWith(tx.listSshPublicKeys(OTHER_ACCOUNT, 'alice'), NotFoundError, {
          entity: 'user',
        })
        await rejectsWith(
          tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'ghost', ...sshKey(2) }),
          NotFoundError,
          { entity: 'user', key: 'ghost' },
        )

        await tx.updateSshPublicKeyStatus(ACCOUNT, 'alice', id, 'Inactive')
        assert.equal((await tx.getSshPublicKey(ACCOUNT, 'alice', id)).status, 'Inactive')
        await tx.updateSshPublicKeyStatus(ACCOUNT, 'alice', id, 'Active')
        assert.equal((await tx.getSshPublicKey(ACCOUNT, 'alice', id)).status, 'Active')
        await tx.deleteSshPublicKey(ACCOUNT, 'alice', id)
        await rejectsWith(tx.getSshPublicKey(ACCOUNT, 'alice', id), UserCredentialError, notFound)
        await rejectsWith(
          tx.deleteSshPublicKey(ACCOUNT, 'alice', id),
          UserCredentialError,
          notFound,
        )
        assert.deepEqual(await keyIds(tx, 'alice'), [])
      })
    })

    test('keeps keys and certificates with their user through a rename', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const key = await tx.uploadSshPublicKey({
          accountId: ACCOUNT,
          userName: 'alice',
          ...sshKey(1),
        })
        const cert = await tx.uploadSigningCertificate({
          accountId: ACCOUNT,
          userName: 'alice',
          ...certificate(1),
        })
        await tx.updateUser(ACCOUNT, 'alice', { newName: 'alicia' })
        assert.equal(
          (await tx.getSshPublicKey(ACCOUNT, 'alicia', key.sshPublicKeyId)).userName,
          'alicia',
        )
        assert.deepEqual(await certificateIds(tx, 'alicia'), [cert.certificateId])
      })
    })

    test('refuses to delete a user while it has a key or a certificate', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        const key = await tx.uploadSshPublicKey({
          accountId: ACCOUNT,
          userName: 'alice',
          ...sshKey(1),
        })
        const cert = await tx.uploadSigningCertificate({
          accountId: ACCOUNT,
          userName: 'bob',
          ...certificate(1),
        })
        await assert.rejects(tx.deleteUser(ACCOUNT, 'alice'))
        await assert.rejects(tx.deleteUser(ACCOUNT, 'bob'))
        // Nothing was deleted, and the transaction goes on.
        assert.deepEqual(await keyIds(tx, 'alice'), [key.sshPublicKeyId])
        assert.deepEqual(await certificateIds(tx, 'bob'), [cert.certificateId])
        await tx.deleteSshPublicKey(ACCOUNT, 'alice', key.sshPublicKeyId)
        await tx.deleteSigningCertificate(ACCOUNT, 'bob', cert.certificateId)
        await tx.deleteUser(ACCOUNT, 'alice')
        await tx.deleteUser(ACCOUNT, 'bob')
      })
    })

    test('uploads active certificates for a user and for the root user', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'Alice' })
        const mine = await tx.uploadSigningCertificate({
          accountId: ACCOUNT,
          userName: 'alice',
          ...certificate(1),
        })
        const expected: SigningCertificate = {
          accountId: ACCOUNT,
          userName: 'Alice',
          certificateId: mine.certificateId,
          body: certificate(1).body,
          fingerprint: certificate(1).fingerprint,
          status: 'Active',
          uploadedAt: START,
        }
        assert.match(mine.certificateId, /^[A-Z2-7]{32}$/)
        assert.deepEqual(mine, expected)
        c.clock.advance(1000)
        const root = await tx.uploadSigningCertificate({
          accountId: ACCOUNT,
          userName: null,
          ...certificate(2),
        })
        assert.equal(root.userName, null)
        assert.deepEqual(root.uploadedAt, new Date(START.getTime() + 1000))
        assert.deepEqual((await tx.listSigningCertificates(ACCOUNT, 'ALICE')).items, [expected])
        assert.deepEqual((await tx.listSigningCertificates(ACCOUNT, null)).items, [root])
        assert.deepEqual(await certificateIds(tx, null, OTHER_ACCOUNT), [])
        await rejectsWith(tx.listSigningCertificates(ACCOUNT, 'ghost'), NotFoundError, {
          entity: 'user',
          key: 'ghost',
        })
        await rejectsWith(
          tx.uploadSigningCertificate({
            accountId: '999999999999',
            userName: null,
            ...certificate(3),
          }),
          NotFoundError,
          { entity: 'account' },
        )
      })
    })

    test('refuses a certificate any owner of the account has, and takes it in another', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.uploadSigningCertificate({
          accountId: ACCOUNT,
          userName: 'alice',
          ...certificate(1),
        })
        for (const owner of ['alice', 'bob', null]) {
          await rejectsWith(
            tx.uploadSigningCertificate({ accountId: ACCOUNT, userName: owner, ...certificate(1) }),
            UserCredentialError,
            { reason: 'certificateDuplicate', key: owner },
          )
        }
        await tx.uploadSigningCertificate({
          accountId: OTHER_ACCOUNT,
          userName: null,
          ...certificate(1),
        })
        assert.equal((await certificateIds(tx, null, OTHER_ACCOUNT)).length, 1)
      })
    })

    test('allows two certificates per user and two for the root user', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        let n = 0
        for (const owner of ['alice', null]) {
          for (let i = 0; i < SIGNING_CERTIFICATES_PER_USER; i++) {
            await tx.uploadSigningCertificate({
              accountId: ACCOUNT,
              userName: owner,
              ...certificate(n++),
            })
          }
          await rejectsWith(
            tx.uploadSigningCertificate({
              accountId: ACCOUNT,
              userName: owner,
              ...certificate(n++),
            }),
            UserCredentialError,
            { reason: 'certificateLimit', key: owner, limit: 2 },
          )
        }
        assert.equal(SIGNING_CERTIFICATES_PER_USER, 2)
        await tx.uploadSigningCertificate({
          accountId: OTHER_ACCOUNT,
          userName: null,
          ...certificate(n++),
        })
        const [first] = await certificateIds(tx, 'alice')
        await tx.deleteSigningCertificate(ACCOUNT, 'alice', first ?? '')
        await tx.uploadSigningCertificate({
          accountId: ACCOUNT,
          userName: 'alice',
          ...certificate(n++),
        })
      })
    })

    test('changes and deletes a certificate only through its own owner', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        const { certificateId: id } = await tx.uploadSigningCertificate({
          accountId: ACCOUNT,
          userName: 'alice',
          ...certificate(1),
        })
        const notFound = { reason: 'certificateNotFound', key: id }
        for (const [accountId, owner] of [
          [ACCOUNT, 'bob'],
          [ACCOUNT, null],
          [OTHER_ACCOUNT, null],
        ] as const) {
          await rejectsWith(
            tx.updateSigningCertificateStatus(accountId, owner, id, 'Inactive'),
            UserCredentialError,
            notFound,
          )
          await rejectsWith(
            tx.deleteSigningCertificate(accountId, owner, id),
            UserCredentialError,
            notFound,
          )
        }
        await rejectsWith(tx.deleteSigningCertificate(ACCOUNT, 'ghost', id), NotFoundError, {
          entity: 'user',
        })
        await tx.updateSigningCertificateStatus(ACCOUNT, 'alice', id, 'Inactive')
        const [listed] = (await tx.listSigningCertificates(ACCOUNT, 'alice')).items
        assert.equal(listed?.status, 'Inactive')
        await tx.deleteSigningCertificate(ACCOUNT, 'alice', id)
        await rejectsWith(
          tx.deleteSigningCertificate(ACCOUNT, 'alice', id),
          UserCredentialError,
          notFound,
        )
        assert.deepEqual(await certificateIds(tx, 'alice'), [])
      })
    })

    test('lists keys and certificates in order of id, page by page', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const keys: string[] = []
        for (let n = 0; n < SSH_PUBLIC_KEYS_PER_USER; n++) {
          keys.push(
            (await tx.uploadSshPublicKey({ accountId: ACCOUNT, userName: 'alice', ...sshKey(n) }))
              .sshPublicKeyId,
          )
        }
        const certs: string[] = []
        for (let n = 0; n < SIGNING_CERTIFICATES_PER_USER; n++) {
          certs.push(
            (
              await tx.uploadSigningCertificate({
                accountId: ACCOUNT,
                userName: 'alice',
                ...certificate(n),
              })
            ).certificateId,
          )
        }
        const keyPages = await readAllPages((marker) =>
          tx.listSshPublicKeys(ACCOUNT, 'alice', { maxItems: 2, ...(marker ? { marker } : {}) }),
        )
        assert.deepEqual(
          keyPages.items.map((k) => k.sshPublicKeyId),
          [...keys].sort(),
        )
        assert.deepEqual(keyPages.pages, [2, 2, 1])
        const certPages = await readAllPages((marker) =>
          tx.listSigningCertificates(ACCOUNT, 'alice', {
            maxItems: 1,
            ...(marker ? { marker } : {}),
          }),
        )
        assert.deepEqual(
          certPages.items.map((cert) => cert.certificateId),
          [...certs].sort(),
        )
        assert.deepEqual(certPages.pages, [1, 1])
      })
    })
  },
}
