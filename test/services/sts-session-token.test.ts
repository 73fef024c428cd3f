/**
 * The session token envelope (sealed and opened without a database), the temporary access key's
 * form, and how authorization treats each kind of session, read against a real store: a
 * federated user's permissions can only be seen this way, since federated users may call no IAM
 * operation.
 */
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { AuthCache } from '../../src/auth/auth-cache.js'
import { authorize, mergePrincipalTags } from '../../src/auth/authorize.js'
import { PolicyCompiler } from '../../src/auth/policy-compiler.js'
import { loadSessionCaller } from '../../src/auth/session-caller.js'
import {
  DEFLATED_TOKEN_VERSION,
  DEFLATE_ABOVE_BYTES,
  SessionTokenKey,
  TOKEN_VERSION,
} from '../../src/auth/session-token.js'
import type { SessionClaims } from '../../src/auth/session-token.js'
import { newTemporaryAccessKey } from '../../src/auth/temporary-access-key.js'
import { encryptSecret, generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { User } from '../../src/store/store.js'
import { policy } from '../support/in-process.js'

const ACCOUNT = '123456789012'

function claims(overrides: Partial<SessionClaims> = {}): SessionClaims {
  return {
    accountId: ACCOUNT,
    principal: {
      kind: 'assumedRole',
      roleId: 'AROAEXAMPLEEXAMPLE123',
      roleName: 'Reader',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/apps/Reader`,
      sessionName: 'app',
    },
    accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    issuedAt: new Date('2026-03-15T12:00:00Z'),
    expiresAt: new Date('2026-03-15T13:00:00Z'),
    policies: [{ label: 'session:inline', document: policy('Allow', 'iam:GetUser') }],
    tags: [{ key: 'project', value: 'pegasus' }],
    transitiveTagKeys: ['project'],
    sourceIdentity: 'alice',
    chained: true,
    mfa: false,
    ...overrides,
  }
}

/** A session policy of many statements, each naming its own action and resource. */
function longPolicy(): string {
  const statements = Array.from({ length: 40 }, (_, i) => ({
    Effect: 'Allow',
    Action: `iam:GetUser`,
    Resource: `arn:aws:iam::${ACCOUNT}:user/team-${i}/*`,
  }))
  return JSON.stringify({ Version: '2012-10-17', Statement: statements })
}

describe('the session token envelope', () => {
  it('opens to exactly the claims it sealed', () => {
    const key = SessionTokenKey.generate()
    for (const sealed of [
      claims(),
      claims({ principal: { kind: 'root' }, policies: null, tags: [], sourceIdentity: null }),
      claims({
        principal: {
          kind: 'federatedUser',
          name: 'Bob',
          federatedBy: { userId: 'AIDAEXAMPLE', userName: 'alice', userArn: 'arn:x' },
        },
      }),
      claims({ principal: { kind: 'federatedUser', name: 'Bob', federatedBy: null } }),
      claims({
        scopeDown: [
          { label: 'session:scope-down/1', document: policy('Allow', 'iam:*') },
          { label: 'session:scope-down/2', document: policy('Deny', 'iam:CreateUser') },
        ],
      }),
    ]) {
      assert.deepEqual(key.open(key.seal(sealed)), sealed)
    }
  })

  it('seals short claims as they are and long ones deflated, and opens both', () => {
    const key = SessionTokenKey.generate()
    const short = claims()
    assert.ok(JSON.stringify(short).length < DEFLATE_ABOVE_BYTES)
    const shortToken = key.seal(short)
    assert.equal(Buffer.from(shortToken, 'base64')[0], TOKEN_VERSION)
    assert.deepEqual(key.open(shortToken), short)

    // Session policies make claims long, and compress well.
    const long = claims({ policies: [{ label: 'session:inline', document: longPolicy() }] })
    assert.ok(JSON.stringify(long).length > 4 * DEFLATE_ABOVE_BYTES)
    const longToken = key.seal(long)
    assert.equal(Buffer.from(longToken, 'base64')[0], DEFLATED_TOKEN_VERSION)
    assert.ok(longToken.length < JSON.stringify(long).length / 2, String(longToken.length))
    assert.deepEqual(key.open(longToken), long)
  })

  it('does not open under the other version', () => {
    const key = SessionTokenKey.generate()
    for (const sealed of [
      claims(),
      claims({ policies: [{ label: 'l', document: longPolicy() }] }),
    ]) {
      const bytes = Buffer.from(key.seal(sealed), 'base64')
      bytes[0] = bytes[0] === TOKEN_VERSION ? DEFLATED_TOKEN_VERSION : TOKEN_VERSION
      assert.equal(key.open(bytes.toString('base64')), undefined)
    }
  })

  it('pads to a least length, and opens to the same claims', () => {
    const key = SessionTokenKey.generate()
    const long = claims({ policies: [{ label: 'session:inline', document: longPolicy() }] })
    for (const sealed of [claims(), long]) {
      const plain = key.seal(sealed)
      const version = Buffer.from(plain, 'base64')[0]
      for (const minimumLength of [0, plain.length, plain.length + 1, 1000, 4096, 20_000]) {
        const token = key.seal(sealed, { minimumLength })
        assert.ok(token.length >= minimumLength, `${token.length} < ${minimumLength}`)
        // Close to the length asked for: no more than one padding round past it.
        assert.ok(token.length <= Math.max(plain.length, minimumLength) + 64, String(token.length))
        // Padding never changes how the claims are sealed.
        assert.equal(Buffer.from(token, 'base64')[0], version)
        assert.deepEqual(key.open(token), sealed)
      }
    }
  })

  it('opens on every node that shares the master key, and on no other', () => {
    const master = generateMasterKey()
    const token = SessionTokenKey.fromMasterKey(master).seal(claims())
    assert.deepEqual(SessionTokenKey.fromMasterKey(master).open(token), claims())
    assert.equal(SessionTokenKey.fromMasterKey(generateMasterKey()).open(token), undefined)
  })

  it('begins with its version byte and holds nothing in the clear', () => {
    const token = SessionTokenKey.generate().seal(claims())
    const bytes = Buffer.from(token, 'base64')
    assert.equal(bytes[0], TOKEN_VERSION)
    assert.equal(bytes.toString('base64'), token)
    for (const secret of ['wJalrXUtnFEMI', 'ASIAEXAMPLE', 'pegasus', 'Reader']) {
      assert.ok(!bytes.toString('latin1').includes(secret), secret)
      assert.ok(!token.includes(secret), secret)
    }
  })

  it('does not open once any byte is changed', () => {
    const key = SessionTokenKey.generate()
    const bytes = Buffer.from(key.seal(claims()), 'base64')
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes)
      altered[i] = altered[i]! ^ 0x01
      assert.equal(key.open(altered.toString('base64')), undefined, `byte ${i}`)
    }
  })

  it('does not take another secret sealed under the master key for a token', () => {
    const master = generateMasterKey()
    const sealedAtRest = encryptSecret(master, JSON.stringify(claims()), 'ASIAEXAMPLEEXAMPLE12')
    for (const version of [TOKEN_VERSION, DEFLATED_TOKEN_VERSION]) {
      const forged = Buffer.concat([Buffer.of(version), sealedAtRest]).toString('base64')
      assert.equal(SessionTokenKey.fromMasterKey(master).open(forged), undefined)
    }
  })

  it('never prints its key', () => {
    const key = SessionTokenKey.fromMasterKey(generateMasterKey())
    assert.equal(String(key), '[SessionTokenKey]')
    assert.equal(JSON.stringify({ key }), '{"key":"[SessionTokenKey]"}')
    assert.equal(inspect(key), '[SessionTokenKey]')
  })
})

describe('temporary access keys', () => {
  it('are ASIA and 16 base32 characters, with a 40-character secret', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const key = newTemporaryAccessKey()
      assert.match(key.accessKeyId, /^ASIA[A-Z2-7]{16}$/)
      assert.match(key.secretAccessKey, /^[A-Za-z0-9+/]{40}$/)
      seen.add(key.accessKeyId)
    }
    assert.equal(seen.size, 200)
  })
})

describe('authorizing sessions against the store', () => {
  let store: SqliteStore
  let alice: User
  const compiler = new PolicyCompiler()
  const facts = {
    now: new Date('2026-03-15T12:30:00Z'),
    sourceIp: '127.0.0.1',
    secureTransport: false,
    region: 'us-east-1',
    userAgent: undefined,
  }

  before(async () => {
    store = openSqliteStore({ filename: ':memory:', masterKey: generateMasterKey() })
    alice = await store.transaction(async (tx) => {
      await tx.createAccount({ accountId: ACCOUNT })
      const user = await tx.createUser({
        accountId: ACCOUNT,
        name: 'alice',
        tags: [{ key: 'dept', value: 'eng' }],
      })
      await tx.putInlinePolicy(
        { kind: 'user', accountId: ACCOUNT, name: 'alice' },
        'rw',
        policy('Allow', ['iam:GetUser', 'iam:CreateUser', 's3:GetObject'], '*'),
      )
      return user
    })
  })
  after(() => store.close())

  const federated = (overrides: Partial<SessionClaims>, by: User | null = alice) =>
    claims({
      principal: {
        kind: 'federatedUser',
        name: 'Bob',
        federatedBy: by === null ? null : { userId: by.userId, userName: by.name, userArn: by.arn },
      },
      transitiveTagKeys: [],
      sourceIdentity: null,
      chained: false,
      ...overrides,
    })

  async function decide(session: SessionClaims, action: string, resource = '*') {
    const cache = new AuthCache(store)
    const caller = await loadSessionCaller(cache, session)
    assert.ok(caller !== undefined)
    try {
      return await store.transaction((tx) =>
        authorize(tx, compiler, cache, { caller, action, resource, facts }),
      )
    } finally {
      cache.dispose()
    }
  }

  it("gives a federated user the intersection of the user's and the session policies", async () => {
    const session = federated({
      policies: [{ label: 'session:inline', document: policy('Allow', ['iam:GetUser', 'ec2:*']) }],
    })
    assert.equal((await decide(session, 'iam:GetUser')).decision, 'allow')
    const notInSession = await decide(session, 'iam:CreateUser')
    assert.equal(notInSession.decision, 'implicit_deny')
    assert.equal(
      notInSession.message,
      `User: arn:aws:sts::${ACCOUNT}:federated-user/Bob is not authorized to perform: iam:CreateUser because no session policy allows the iam:CreateUser action`,
    )
    const notForUser = await decide(session, 'ec2:RunInstances')
    assert.equal(
      notForUser.message,
      `User: arn:aws:sts::${ACCOUNT}:federated-user/Bob is not authorized to perform: ec2:RunInstances because no identity-based policy allows the ec2:RunInstances action`,
    )
  })

  it('gives a federated user without session policies no permissions', async () => {
    const decision = await decide(federated({ policies: null }), 's3:GetObject')
    assert.equal(decision.decision, 'implicit_deny')
    assert.match(
      decision.message ?? '',
      /because no session policy allows the s3:GetObject action$/,
    )
  })

  it("gives the root user's federated users what their session policies allow", async () => {
    const session = federated(
      { policies: [{ label: 'session:inline', document: policy('Allow', 'ec2:*') }] },
      null,
    )
    assert.equal((await decide(session, 'ec2:RunInstances')).decision, 'allow')
    assert.equal((await decide(session, 's3:GetObject')).decision, 'implicit_deny')
  })

  it("gives a GetSessionToken session the user's own permissions", async () => {
    const session = claims({
      principal: { kind: 'user', userId: alice.userId, userName: 'alice', userArn: alice.arn },
      policies: null,
      tags: [],
      transitiveTagKeys: [],
      sourceIdentity: null,
      chained: false,
    })
    assert.equal((await decide(session, 's3:GetObject')).decision, 'allow')
    const denied = await decide(session, 'ec2:RunInstances')
    assert.equal(
      denied.message,
      `User: ${alice.arn} is not authorized to perform: ec2:RunInstances because no identity-based policy allows the ec2:RunInstances action`,
    )
  })

  it('sees the session tags over the user tags as aws:PrincipalTag', async () => {
    const session = federated({
      policies: [
        {
          label: 'session:inline',
          document: policy('Allow', 's3:GetObject', '*', {
            StringEquals: { 'aws:PrincipalTag/dept': 'ops' },
          }),
        },
      ],
      tags: [{ key: 'Dept', value: 'ops' }],
    })
    assert.equal((await decide(session, 's3:GetObject')).decision, 'allow')
    assert.deepEqual(
      mergePrincipalTags(
        [
          { key: 'dept', value: 'eng' },
          { key: 'cost', value: '1' },
        ],
        [{ key: 'DEPT', value: 'ops' }],
      ),
      [
        { key: 'cost', value: '1' },
        { key: 'DEPT', value: 'ops' },
      ],
    )
  })
})
