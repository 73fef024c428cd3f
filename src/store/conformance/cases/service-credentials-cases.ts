/**
 * Service-specific credentials: their generated ids, names and secrets, the secret kept sealed at
 * rest, the quota per user and service, status, reset, deletion and the lists.
 */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import { ServiceCredentialError } from '../../service-credential-error.js'
import { SERVICE_CREDENTIALS_PER_USER_PER_SERVICE } from '../../service-credentials-ops.js'
import type {
  ServiceSpecificCredential,
  ServiceSpecificCredentialListRequest,
} from '../../service-credentials-ops.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, START, readAllPages, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const CODECOMMIT = 'codecommit.amazonaws.com'
const KEYSPACES = 'cassandra.amazonaws.com'
const BEDROCK = 'bedrock.amazonaws.com'
const DAY_MS = 24 * 60 * 60 * 1000

/** Whether `haystack` holds `needle` anywhere. */
function holds(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle))
}

async function users(tx: StoreTx, ...names: string[]): Promise<void> {
  for (const name of names) await tx.createUser({ accountId: ACCOUNT, name })
}

/** A new password credential of `userName` for `serviceName`: its id and password. */
async function create(
  tx: StoreTx,
  userName: string,
  serviceName: string = CODECOMMIT,
): Promise<{ id: string; secret: string; credential: ServiceSpecificCredential }> {
  const made = await tx.createServiceSpecificCredential({
    accountId: ACCOUNT,
    userName,
    serviceName,
  })
  return { id: made.credential.credentialId, secret: made.secret, credential: made.credential }
}

/** Every credential a list request finds, as `user service name` lines. */
async function listed(
  tx: StoreTx,
  request: Omit<ServiceSpecificCredentialListRequest, 'marker'> = {},
  accountId: string = ACCOUNT,
): Promise<string[]> {
  const { items } = await readAllPages((marker) =>
    tx.listServiceSpecificCredentials(accountId, {
      ...request,
      ...(marker === undefined ? {} : { marker }),
    }),
  )
  return items.map((c) => `${c.userName} ${c.serviceName} ${c.serviceUserName}`)
}

/** The service-specific credential cases. */
export const serviceCredentialCases: CaseGroup = {
  name: 'service credentials',
  cases(test) {
    test('creates an Active password credential with an ACCA id and a generated name', async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'Sofia')
        const { id, secret, credential } = await create(tx, 'sofia')
        assert.match(id, /^ACCA[A-Z2-7]{17}$/)
        const expected: ServiceSpecificCredential = {
          credentialId: id,
          accountId: ACCOUNT,
          userName: 'Sofia',
          serviceName: CODECOMMIT,
          kind: 'password',
          serviceUserName: `Sofia-at-${ACCOUNT}`,
          status: 'Active',
          createdAt: START,
          expiresAt: null,
        }
        assert.deepEqual(credential, expected)
        // 44 random bytes in base64: 60 characters ending in `=`.
        assert.match(secret, /^[A-Za-z0-9+/]{59}=$/)
        assert.equal(Buffer.from(secret, 'base64').length, 44)
        assert.deepEqual(await tx.getServiceSpecificCredential(ACCOUNT, 'SOFIA', id), expected)
        const other = await create(tx, 'Sofia', KEYSPACES)
        assert.notEqual(other.id, id)
        assert.notEqual(other.secret, secret)
        assert.equal(other.credential.serviceUserName, `Sofia-at-${ACCOUNT}`)
      })
    })

    test("names a user's second credential for a service with +1, and keeps names unique", async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'developer', 'bob', 'bob+1')
        const first = await create(tx, 'developer')
        const second = await create(tx, 'developer')
        assert.equal(first.credential.serviceUserName, `developer-at-${ACCOUNT}`)
        assert.equal(second.credential.serviceUserName, `developer+1-at-${ACCOUNT}`)
        await tx.deleteServiceSpecificCredential(ACCOUNT, 'developer', first.id)
        const third = await create(tx, 'developer')
        assert.equal(third.credential.serviceUserName, `developer-at-${ACCOUNT}`, 'a free name')
        // `bob+1` is a valid user name: the names stay unique per account and service.
        await create(tx, 'bob+1')
        await create(tx, 'bob')
        const bobsSecond = await create(tx, 'bob')
        assert.equal(bobsSecond.credential.serviceUserName, `bob+2-at-${ACCOUNT}`)
        assert.equal(
          (await create(tx, 'bob', KEYSPACES)).credential.serviceUserName,
          `bob-at-${ACCOUNT}`,
        )
      })
    })

    test('makes API keys with their prefix and alias, expiring after the days given', async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'alice')
        const key = await tx.createServiceSpecificCredential({
          accountId: ACCOUNT,
          userName: 'alice',
          serviceName: BEDROCK,
          apiKeyPrefix: 'ABSK',
          ageDays: 30,
        })
        const alias = `alice-at-${ACCOUNT}`
        assert.equal(key.credential.kind, 'apiKey')
        assert.equal(key.credential.serviceUserName, alias)
        assert.deepEqual(key.credential.expiresAt, new Date(START.getTime() + 30 * DAY_MS))
        assert.ok(key.secret.startsWith('ABSK'))
        const body = Buffer.from(key.secret.slice(4), 'base64').toString('utf8')
        assert.ok(body.startsWith(`${alias}:`), body)
        const forever = await tx.createServiceSpecificCredential({
          accountId: ACCOUNT,
          userName: 'alice',
          serviceName: BEDROCK,
          apiKeyPrefix: 'ABSK',
        })
        assert.equal(forever.credential.expiresAt, null)
        assert.equal(forever.credential.serviceUserName, `alice+1-at-${ACCOUNT}`)
        const reset = await tx.resetServiceSpecificCredential(
          ACCOUNT,
          'alice',
          key.credential.credentialId,
        )
        assert.ok(reset.secret.startsWith('ABSK'))
        assert.notEqual(reset.secret, key.secret)
        assert.deepEqual(reset.credential, key.credential, 'a reset changes only the secret')
        await assert.rejects(
          tx.createServiceSpecificCredential({
            accountId: ACCOUNT,
            userName: 'alice',
            serviceName: CODECOMMIT,
            ageDays: 1,
          }),
          RangeError,
        )
      })
    })

    test('shows an API key Expired once its days have passed, by the store clock', async (c) => {
      const id = await c.tx(async (tx) => {
        await users(tx, 'alice')
        const key = await tx.createServiceSpecificCredential({
          accountId: ACCOUNT,
          userName: 'alice',
          serviceName: BEDROCK,
          apiKeyPrefix: 'ABSK',
          ageDays: 1,
        })
        return key.credential.credentialId
      })
      const status = (): Promise<string[]> =>
        c.tx(async (tx) => [
          (await tx.getServiceSpecificCredential(ACCOUNT, 'alice', id)).status,
          ...(await tx.listServiceSpecificCredentials(ACCOUNT)).items.map((k) => k.status),
        ])
      c.clock.advance(DAY_MS - 1)
      assert.deepEqual(await status(), ['Active', 'Active'])
      c.clock.advance(1)
      assert.deepEqual(await status(), ['Expired', 'Expired'])
      await c.tx((tx) => tx.updateServiceSpecificCredentialStatus(ACCOUNT, 'alice', id, 'Inactive'))
      assert.deepEqual(await status(), ['Expired', 'Expired'])
    })

    test('allows two credentials per user and service', async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'alice', 'bob')
        for (let i = 0; i < SERVICE_CREDENTIALS_PER_USER_PER_SERVICE; i++) await create(tx, 'alice')
        await rejectsWith(create(tx, 'alice'), ServiceCredentialError, {
          reason: 'perServiceLimit',
          key: CODECOMMIT,
          limit: 2,
        })
        await create(tx, 'alice', KEYSPACES)
        await create(tx, 'bob')
        assert.deepEqual(await listed(tx, { userName: 'alice', serviceName: CODECOMMIT }), [
          `alice ${CODECOMMIT} alice-at-${ACCOUNT}`,
          `alice ${CODECOMMIT} alice+1-at-${ACCOUNT}`,
        ])
        await rejectsWith(
          tx.createServiceSpecificCredential({
            accountId: ACCOUNT,
            userName: 'nobody',
            serviceName: CODECOMMIT,
          }),
          NotFoundError,
          { entity: 'user', key: 'nobody' },
        )
        await rejectsWith(
          tx.createServiceSpecificCredential({
            accountId: OTHER_ACCOUNT,
            userName: 'alice',
            serviceName: CODECOMMIT,
          }),
          NotFoundError,
          { entity: 'user' },
        )
      })
    })

    test('keeps secrets encrypted at rest, and a reset replaces the secret', async (c) => {
      const made = await c.tx(async (tx) => {
        await users(tx, 'alice')
        const password = await create(tx, 'alice')
        const apiKey = await tx.createServiceSpecificCredential({
          accountId: ACCOUNT,
          userName: 'alice',
          serviceName: BEDROCK,
          apiKeyPrefix: 'ABSK',
        })
        return { password, apiKey: { id: apiKey.credential.credentialId, secret: apiKey.secret } }
      })
      const raw = await c.rawContent()
      assert.ok(holds(raw, made.password.id), 'the raw content is what the store keeps')
      for (const { secret } of [made.password, made.apiKey]) {
        assert.ok(!holds(raw, secret.slice(0, 24)), 'a secret is stored in plain text')
        // The random bytes: the password itself, or the one inside an API key's token.
        const token = Buffer.from(secret.replace(/^ABSK/, ''), 'base64').toString('utf8')
        const random = secret.startsWith('ABSK') ? (token.split(':')[1] ?? '') : secret
        const bytes = Buffer.from(random, 'base64')
        assert.equal(bytes.length, 44)
        assert.ok(!Buffer.from(raw).includes(bytes.subarray(0, 20)), 'a secret is in plain bytes')
        assert.ok(!holds(raw, bytes.toString('hex').slice(0, 40)), 'a secret is in hex')
      }
      await c.tx(async (tx) => {
        for (const { id, secret } of [made.password, made.apiKey]) {
          const read = await tx.getServiceSpecificCredentialSecret(ACCOUNT, 'alice', id)
          assert.equal(read.secret, secret)
        }
        const reset = await tx.resetServiceSpecificCredential(ACCOUNT, 'alice', made.password.id)
        assert.notEqual(reset.secret, made.password.secret)
        const read = await tx.getServiceSpecificCredentialSecret(ACCOUNT, 'alice', made.password.id)
        assert.equal(read.secret, reset.secret)
      })
    })

    test('never returns a secret from the credential record or the lists', async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'alice')
        const { id, secret } = await create(tx, 'alice')
        for (const shown of [
          await tx.getServiceSpecificCredential(ACCOUNT, 'alice', id),
          await tx.listServiceSpecificCredentials(ACCOUNT, { userName: 'alice' }),
          await tx.listServiceSpecificCredentials(ACCOUNT),
        ]) {
          assert.ok(!JSON.stringify(shown).includes(secret))
        }
      })
    })

    test("answers another user's, another account's or an unknown id with notFound", async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'alice', 'bob')
        await tx.createUser({ accountId: OTHER_ACCOUNT, name: 'alice' })
        const { id } = await create(tx, 'alice')
        const unknown = 'ACCAAAAAAAAAAAAAAAAAA'
        const attempts: [string, string, string][] = [
          [ACCOUNT, 'bob', id],
          [OTHER_ACCOUNT, 'alice', id],
          [ACCOUNT, 'alice', unknown],
        ]
        for (const [accountId, userName, credentialId] of attempts) {
          const expected = { reason: 'notFound', key: credentialId } as const
          await rejectsWith(
            tx.getServiceSpecificCredential(accountId, userName, credentialId),
            ServiceCredentialError,
            expected,
          )
          await rejectsWith(
            tx.resetServiceSpecificCredential(accountId, userName, credentialId),
            ServiceCredentialError,
            expected,
          )
          await rejectsWith(
            tx.updateServiceSpecificCredentialStatus(accountId, userName, credentialId, 'Inactive'),
            ServiceCredentialError,
            expected,
          )
          await rejectsWith(
            tx.deleteServiceSpecificCredential(accountId, userName, credentialId),
            ServiceCredentialError,
            expected,
          )
        }
        await rejectsWith(tx.getServiceSpecificCredential(ACCOUNT, 'carol', id), NotFoundError, {
          entity: 'user',
          key: 'carol',
        })
        await rejectsWith(
          tx.listServiceSpecificCredentials(ACCOUNT, { userName: 'carol' }),
          NotFoundError,
          { entity: 'user', key: 'carol' },
        )
        assert.equal((await tx.getServiceSpecificCredential(ACCOUNT, 'alice', id)).status, 'Active')
      })
    })

    test('sets the status and deletes a credential', async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'alice')
        const { id } = await create(tx, 'alice')
        await tx.updateServiceSpecificCredentialStatus(ACCOUNT, 'alice', id, 'Inactive')
        assert.equal(
          (await tx.getServiceSpecificCredential(ACCOUNT, 'alice', id)).status,
          'Inactive',
        )
        await tx.updateServiceSpecificCredentialStatus(ACCOUNT, 'ALICE', id, 'Active')
        assert.equal((await tx.getServiceSpecificCredential(ACCOUNT, 'alice', id)).status, 'Active')
        await tx.deleteServiceSpecificCredential(ACCOUNT, 'alice', id)
        await rejectsWith(
          tx.getServiceSpecificCredential(ACCOUNT, 'alice', id),
          ServiceCredentialError,
          { reason: 'notFound' },
        )
        assert.deepEqual(await listed(tx), [])
      })
    })

    test("lists one user's, one service's or every user's credentials, page by page", async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'bob', 'Alice', 'carol')
        await create(tx, 'bob', KEYSPACES)
        await create(tx, 'Alice', KEYSPACES)
        await create(tx, 'bob')
        c.clock.advance(1000)
        await create(tx, 'Alice')
        await create(tx, 'Alice')
        await tx.createUser({ accountId: OTHER_ACCOUNT, name: 'dave' })
        await tx.createServiceSpecificCredential({
          accountId: OTHER_ACCOUNT,
          userName: 'dave',
          serviceName: CODECOMMIT,
        })
        const a = `-at-${ACCOUNT}`
        const all = [
          `Alice ${KEYSPACES} Alice${a}`,
          `Alice ${CODECOMMIT} Alice${a}`,
          `Alice ${CODECOMMIT} Alice+1${a}`,
          `bob ${KEYSPACES} bob${a}`,
          `bob ${CODECOMMIT} bob${a}`,
        ]
        assert.deepEqual(await listed(tx), all)
        assert.deepEqual(await listed(tx, { maxItems: 2 }), all)
        const { pages } = await readAllPages((marker) =>
          tx.listServiceSpecificCredentials(ACCOUNT, {
            maxItems: 2,
            ...(marker === undefined ? {} : { marker }),
          }),
        )
        assert.deepEqual(pages, [2, 2, 1])
        assert.deepEqual(
          await listed(tx, { serviceName: CODECOMMIT }),
          all.filter((line) => line.includes(CODECOMMIT)),
        )
        assert.deepEqual(await listed(tx, { userName: 'BOB' }), all.slice(3))
        assert.deepEqual(await listed(tx, { userName: 'carol' }), [])
        assert.deepEqual(await listed(tx, { serviceName: 'CodeCommit.amazonaws.com' }), [])
        assert.deepEqual(await listed(tx, {}, OTHER_ACCOUNT), [
          `dave ${CODECOMMIT} dave-at-${OTHER_ACCOUNT}`,
        ])
      })
    })

    test("follows a user's rename, and keeps the name it generated", async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'alice')
        const { id } = await create(tx, 'alice')
        await tx.updateUser(ACCOUNT, 'alice', { newName: 'alicia' })
        const renamed = await tx.getServiceSpecificCredential(ACCOUNT, 'alicia', id)
        assert.equal(renamed.userName, 'alicia')
        assert.equal(renamed.serviceUserName, `alice-at-${ACCOUNT}`)
        await rejectsWith(tx.getServiceSpecificCredential(ACCOUNT, 'alice', id), NotFoundError, {
          entity: 'user',
        })
      })
    })

    test('keeps a user with credentials from being deleted', async (c) => {
      await c.tx(async (tx) => {
        await users(tx, 'alice')
        const { id } = await create(tx, 'alice')
        // The user operations do not know this family yet: any refusal keeps the credential
        // from losing its user (the lead adds DeleteConflictError, see the family's report).
        await assert.rejects(tx.deleteUser(ACCOUNT, 'alice'))
        assert.equal(
          (await tx.getServiceSpecificCredential(ACCOUNT, 'alice', id)).userName,
          'alice',
        )
        await tx.deleteServiceSpecificCredential(ACCOUNT, 'alice', id)
        await tx.deleteUser(ACCOUNT, 'alice')
      })
    })
  },
}
