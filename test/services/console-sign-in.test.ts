/**
 * Console sign-in in process (POST /console/sign-in), over a real SQLite store with a clock the
 * test moves: credentials that work, a password's last use, lockout by user name and by address
 * with its back-off (also for names of no user), MFA codes computed from the device's seed and
 * used up once, forced password changes, what the request may hold, and the ConsoleLogin records
 * of the trail, which never hold the password.
 */
import assert from 'node:assert/strict'
import { performance } from 'node:perf_hooks'
import { Writable } from 'node:stream'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { decodeBase32 } from '../../src/auth/base32.js'
import { SessionTokenKey } from '../../src/auth/session-token.js'
import { totpAtStep, totpStep } from '../../src/auth/totp.js'
import { ensureAccount } from '../../src/startup/ensure-account.js'
import { generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { Store } from '../../src/store/store.js'
import type { TrailStore } from '../../src/store/trail-store.js'
import { epoch, signRequest } from '../auth/sigv4-signer.js'
import { parseStrictXml } from '../errors/strict-xml.js'
import { ACCOUNT_ID, NOW, ROOT_KEY, formEncode, xmlText } from '../support/in-process.js'
import type { Credentials } from '../support/in-process.js'

const MINUTE = 60_000
const ARN = `arn:aws:iam::${ACCOUNT_ID}`
const PASSWORD = 'Correct-Horse-9-Battery'
const FAILED = 'Your authentication information is incorrect. Please try again.'

/** `YYYYMMDDTHHMMSSZ` of a time in ms. */
function amzTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** A sign-in's answer. */
interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, unknown>>
  readonly text: string
  readonly json: Record<string, unknown>
}

/** Temporary credentials as the endpoint gives them. */
interface SessionKey extends Credentials {
  readonly sessionToken: string
}

/** Gatehouse in process with a clock the test moves. */
interface Harness {
  readonly store: Store
  readonly trail: TrailStore
  readonly logLines: string[]
  now(): number
  advance(ms: number): void
  /** A signed awsQuery call (root's key unless given), at the clock's time. */
  call(
    action: string,
    params?: Record<string, string>,
    options?: { service?: 'iam' | 'sts'; key?: Credentials; sessionToken?: string },
  ): Promise<{ status: number; body: string; code: string | undefined }>
  signIn(
    body: unknown,
    options?: { ip?: string; contentType?: string; method?: string; raw?: string },
  ): Promise<Answer>
  close(): Promise<void>
}

async function start(): Promise<Harness> {
  let now = epoch(NOW)
  // The store stamps (failures, locks, the password's use) with the server's clock.
  const clock = () => new Date(now)
  const store = openSqliteStore({
    filename: ':memory:',
    masterKey: generateMasterKey(),
    checkNesting: true,
    clock,
  })
  await ensureAccount(
    store,
    {
      accountId: ACCOUNT_ID,
      rootAccessKeyId: ROOT_KEY.accessKeyId,
      rootSecretAccessKey: ROOT_KEY.secretAccessKey,
    },
    () => undefined,
  )
  const trail = openSqliteTrailStore({ filename: ':memory:' })
  const logLines: string[] = []
  const app: FastifyInstance = buildApp({
    store,
    trail,
    sessionTokens: SessionTokenKey.generate(),
    keyUseFlushMs: 0,
    enforcement: 'enforce',
    clock,
    logger: {
      level: 'info',
      stream: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'))
          done()
        },
      }),
    },
  })
  await app.ready()
  return {
    store,
    trail,
    logLines,
    now: () => now,
    advance(ms) {
      now += ms
    },
    async call(action, params = {}, options = {}) {
      const service = options.service ?? 'iam'
      const version = service === 'iam' ? '2010-05-08' : '2011-06-15'
      const body = formEncode({ Action: action, Version: version, ...params })
      const key = options.key ?? ROOT_KEY
      const signed = signRequest({
        form: 'header',
        time: amzTime(now),
        headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
        body,
        service,
        region: 'us-east-1',
        accessKeyId: key.accessKeyId,
        secret: key.secretAccessKey,
        ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
      })
      const response = await app.inject({
        method: 'POST',
        url: '/',
        headers: Object.fromEntries(signed.headers),
        payload: body,
      })
      const xml = parseStrictXml(response.body)
      return {
        status: response.statusCode,
        body: response.body,
        code: xml.name === 'ErrorResponse' ? xmlText(xml, 'Error/Code') : undefined,
      }
    },
    async signIn(body, options = {}) {
      const response = await app.inject({
        method: (options.method ?? 'POST') as 'POST',
        url: '/console/sign-in',
        headers: { 'content-type': options.contentType ?? 'application/json' },
        payload: options.raw ?? JSON.stringify(body),
        remoteAddress: options.ip ?? '198.51.100.7',
      })
      return {
        status: response.statusCode,
        headers: response.headers,
        text: response.body,
        json: JSON.parse(response.body) as Record<string, unknown>,
      }
    },
    async close() {
      await app.close()
      await store.close()
      await trail.close()
    },
  }
}

function ok(r: { status: number; body: string }): void {
  assert.equal(r.status, 200, r.body)
}

/** Creates a user with a console password. */
async function userWithPassword(
  h: Harness,
  name: string,
  extra: Record<string, string> = {},
): Promise<void> {
  ok(await h.call('CreateUser', { UserName: name }))
  ok(await h.call('CreateLoginProfile', { UserName: name, Password: PASSWORD, ...extra }))
}

/** Creates and enables a device for a user with the codes of the two steps up to the clock's. */
async function enableDevice(
  h: Harness,
  name: string,
): Promise<{ serial: string; seed: Uint8Array }> {
  const created = await h.call('CreateVirtualMFADevice', { VirtualMFADeviceName: `${name}-mfa` })
  ok(created)
  const xml = parseStrictXml(created.body)
  const at = 'CreateVirtualMFADeviceResult/VirtualMFADevice'
  const serial = xmlText(xml, `${at}/SerialNumber`) ?? ''
  const seed = decodeBase32(
    Buffer.from(xmlText(xml, `${at}/Base32StringSeed`) ?? '', 'base64').toString('ascii'),
  )
  const step = totpStep(new Date(h.now()))
  ok(
    await h.call('EnableMFADevice', {
      UserName: name,
      SerialNumber: serial,
      AuthenticationCode1: totpAtStep(seed, step - 1),
      AuthenticationCode2: totpAtStep(seed, step),
    }),
  )
  return { serial, seed }
}

function credentialsOf(answer: Answer): SessionKey {
  assert.equal(answer.status, 200, answer.text)
  const credentials = answer.json['Credentials'] as Record<string, string>
  return {
    accessKeyId: credentials['AccessKeyId'] ?? '',
    secretAccessKey: credentials['SecretAccessKey'] ?? '',
    sessionToken: credentials['SessionToken'] ?? '',
  }
}

function refused(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text)
  assert.equal(answer.json['__type'], code, answer.text)
}

/** The ConsoleLogin records of the trail, oldest first. */
async function consoleLogins(h: Harness): Promise<Record<string, unknown>[]> {
  const events = await h.trail.readTrailEvents(0, 10_000)
  return events
    .filter((event) => event.eventName === 'ConsoleLogin')
    .map((event) => JSON.parse(event.record) as Record<string, unknown>)
}

describe('console sign-in', () => {
  let h: Harness
  before(async () => {
    h = await start()
    await userWithPassword(h, 'alice')
    ok(
      await h.call('PutUserPolicy', {
        UserName: 'alice',
        PolicyName: 'read',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }],
        }),
      }),
    )
  })
  after(() => h.close())

  it('gives temporary credentials of the user for twelve hours', async () => {
    const answer = await h.signIn({ account: ACCOUNT_ID, userName: 'alice', password: PASSWORD })
    const key = credentialsOf(answer)
    assert.match(key.accessKeyId, /^ASIA[A-Z2-7]{16}$/)
    assert.ok(key.secretAccessKey.length >= 40, 'a secret key of 40 characters')
    assert.equal(
      (answer.json['Credentials'] as Record<string, string>)['Expiration'],
      new Date(h.now() + 12 * 60 * MINUTE).toISOString().replace('.000Z', 'Z'),
    )
    assert.deepEqual(answer.json['User'], {
      AccountId: ACCOUNT_ID,
      UserName: 'alice',
      UserId: (answer.json['User'] as Record<string, string>)['UserId'],
      Arn: `${ARN}:user/alice`,
    })
    assert.match((answer.json['User'] as Record<string, string>)['UserId'] ?? '', /^AIDA/)
    assert.equal(answer.json['MFAUsed'], false)
    assert.equal(answer.json['PasswordChanged'], false)
    assert.equal(answer.headers['cache-control'], 'no-store')
    assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8')
    const identity = await h.call('GetCallerIdentity', {}, { service: 'sts', key, ...key })
    ok(identity)
    assert.match(identity.body, new RegExp(`<Arn>${ARN}:user/alice</Arn>`))
  })

  it('gives credentials that call IAM without MFA, as the console does, and show PasswordLastUsed', async () => {
    const key = credentialsOf(
      await h.signIn({ account: ACCOUNT_ID, userName: 'alice', password: PASSWORD }),
    )
    const self = await h.call('GetUser', {}, { key, sessionToken: key.sessionToken })
    ok(self)
    assert.match(
      self.body,
      new RegExp(`<PasswordLastUsed>${new Date(h.now()).toISOString().slice(0, 19)}`),
    )
  })

  it('takes the account by its alias, in any case, and the user name in any case', async () => {
    ok(await h.call('CreateAccountAlias', { AccountAlias: 'example-corp' }))
    for (const account of ['example-corp', 'Example-Corp']) {
      credentialsOf(await h.signIn({ account, userName: 'ALICE', password: PASSWORD }))
    }
    ok(await h.call('DeleteAccountAlias', { AccountAlias: 'example-corp' }))
  })

  it("stamps the password's last use once in five minutes", async () => {
    await userWithPassword(h, 'stamp')
    const lastUsed = () => h.store.transaction((tx) => tx.getPasswordLastUsed(ACCOUNT_ID, 'stamp'))
    assert.equal(await lastUsed(), null)
    const first = h.now()
    credentialsOf(await h.signIn({ account: ACCOUNT_ID, userName: 'stamp', password: PASSWORD }))
    assert.equal((await lastUsed())?.getTime(), first)
    h.advance(MINUTE)
    credentialsOf(await h.signIn({ account: ACCOUNT_ID, userName: 'stamp', password: PASSWORD }))
    assert.equal((await lastUsed())?.getTime(), first)
    h.advance(5 * MINUTE)
    credentialsOf(await h.signIn({ account: ACCOUNT_ID, userName: 'stamp', password: PASSWORD }))
    assert.equal((await lastUsed())?.getTime(), h.now())
  })

  it('answers a wrong password, an unknown user or account and a user without a password alike', async () => {
    ok(await h.call('CreateUser', { UserName: 'nopassword' }))
    const attempts = [
      { account: ACCOUNT_ID, userName: 'alice', password: 'wrong-password' },
      { account: ACCOUNT_ID, userName: 'nobody-here', password: PASSWORD },
      { account: '999999999999', userName: 'alice', password: PASSWORD },
      { account: 'no-such-alias', userName: 'alice', password: PASSWORD },
      { account: ACCOUNT_ID, userName: 'nopassword', password: PASSWORD },
    ]
    for (const attempt of attempts) {
      const answer = await h.signIn(attempt, { ip: '203.0.113.50' })
      assert.equal(answer.status, 401, JSON.stringify(attempt))
      assert.deepEqual(answer.json, { __type: 'FailedAuthentication', message: FAILED })
      assert.equal(answer.headers['retry-after'], undefined)
    }
  })

  it('takes about as long for an unknown user as for a wrong password', async () => {
    const timeOf = async (userName: string): Promise<number> => {
      const started = performance.now()
      const answer = await h.signIn(
        { account: ACCOUNT_ID, userName, password: 'not-the-password' },
        { ip: '203.0.113.51' },
      )
      assert.equal(answer.status, 401)
      return performance.now() - started
    }
    // One failure each per user name, alternated, so the lockout never comes into it.
    const known: number[] = []
    const unknown: number[] = []
    await userWithPassword(h, 'timing')
    for (let i = 0; i < 3; i++) {
      known.push(await timeOf('timing'))
      unknown.push(await timeOf(`ghost${i}`))
      h.advance(20 * MINUTE)
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? 0
    const ratio = median(unknown) / median(known)
    // Both verify one scrypt hash (tens of milliseconds); what differs is a few reads.
    assert.ok(ratio > 0.5 && ratio < 2, `unknown/known = ${ratio}`)
    assert.ok(median(unknown) > 10, `an unknown user's answer came in ${median(unknown)} ms`)
  })

  it('never logs or records the password', async () => {
    const secret = 'A-Password-That-Must-Not-Appear-1'
    await h.signIn({ account: ACCOUNT_ID, userName: 'alice', password: secret })
    await h.signIn({ account: ACCOUNT_ID, userName: secret.slice(0, 20), password: secret })
    const events = await h.trail.readTrailEvents(0, 10_000)
    for (const event of events) assert.ok(!event.record.includes(secret.slice(0, 20)), event.record)
    for (const line of h.logLines) {
      assert.ok(!line.includes(secret.slice(0, 20)), line)
      assert.ok(!line.includes(PASSWORD), line)
    }
  })
})

describe('console sign-in lockout', () => {
  let h: Harness
  beforeEach(async () => {
    h = await start()
    await userWithPassword(h, 'bob')
  })

  const wrong = (userName = 'bob', ip?: string) =>
    h.signIn({ account: ACCOUNT_ID, userName, password: 'not-it' }, ip === undefined ? {} : { ip })
  const right = (userName = 'bob', ip?: string) =>
    h.signIn({ account: ACCOUNT_ID, userName, password: PASSWORD }, ip === undefined ? {} : { ip })

  it('locks a user name after five failures, even for its right password, then lets it in', async () => {
    for (let i = 0; i < 5; i++) refused(await wrong(), 401, 'FailedAuthentication')
    const locked = await right()
    refused(locked, 429, 'TooManyFailedAttempts')
    assert.equal(locked.headers['retry-after'], '300')
    refused(await wrong(), 429, 'TooManyFailedAttempts')
    // From another address too: the user name is locked, wherever it is tried from.
    refused(await right('bob', '192.0.2.99'), 429, 'TooManyFailedAttempts')
    h.advance(5 * MINUTE)
    credentialsOf(await right())
    // A sign-in clears the user name's failures.
    for (let i = 0; i < 4; i++) refused(await wrong(), 401, 'FailedAuthentication')
    credentialsOf(await right())
    await h.close()
  })

  it('doubles the lock each time it comes back', async () => {
    for (let i = 0; i < 5; i++) await wrong()
    assert.equal((await right()).headers['retry-after'], '300')
    h.advance(5 * MINUTE)
    for (let i = 0; i < 5; i++) refused(await wrong(), 401, 'FailedAuthentication')
    assert.equal((await right()).headers['retry-after'], '600')
    h.advance(5 * MINUTE)
    refused(await right(), 429, 'TooManyFailedAttempts')
    h.advance(5 * MINUTE)
    for (let i = 0; i < 5; i++) await wrong()
    assert.equal((await right()).headers['retry-after'], '1200')
    await h.close()
  })

  it('forgets failures older than fifteen minutes', async () => {
    for (let i = 0; i < 4; i++) await wrong()
    h.advance(16 * MINUTE)
    for (let i = 0; i < 4; i++) refused(await wrong(), 401, 'FailedAuthentication')
    credentialsOf(await right())
    await h.close()
  })

  it('locks a user name of no user the same way', async () => {
    for (let i = 0; i < 5; i++) refused(await wrong('ghost'), 401, 'FailedAuthentication')
    const locked = await wrong('ghost')
    refused(locked, 429, 'TooManyFailedAttempts')
    assert.equal(locked.headers['retry-after'], '300')
    await h.close()
  })

  it('locks an address after twenty failures, whatever the user names', async () => {
    const ip = '203.0.113.9'
    for (let i = 0; i < 20; i++) refused(await wrong(`user${i}`, ip), 401, 'FailedAuthentication')
    refused(await right('bob', ip), 429, 'TooManyFailedAttempts')
    credentialsOf(await right('bob', '203.0.113.10'))
    h.advance(5 * MINUTE)
    credentialsOf(await right('bob', ip))
    await h.close()
  })

  it('counts attempts made at once before any is checked', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => wrong()))
    const statuses = answers.map((a) => a.status).sort()
    assert.deepEqual(statuses, [...Array<number>(5).fill(401), ...Array<number>(7).fill(429)])
    await h.close()
  })

  it('records every failure and lockout as a ConsoleLogin failure', async () => {
    for (let i = 0; i < 5; i++) await wrong()
    await right()
    await wrong('ghost')
    const records = await consoleLogins(h)
    assert.equal(records.length, 7)
    const bobFailure = records[0] ?? {}
    assert.deepEqual(bobFailure['userIdentity'], {
      type: 'IAMUser',
      principalId: (bobFailure['userIdentity'] as Record<string, string>)['principalId'],
      accountId: ACCOUNT_ID,
      accessKeyId: '',
      userName: 'bob',
    })
    assert.equal(bobFailure['errorMessage'], 'Failed authentication')
    assert.deepEqual(bobFailure['responseElements'], { ConsoleLogin: 'Failure' })
    assert.equal(records[5]?.['errorMessage'], 'Too many failed sign-in attempts')
    assert.deepEqual(records[6]?.['userIdentity'], {
      type: 'IAMUser',
      accountId: ACCOUNT_ID,
      accessKeyId: '',
      userName: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    })
    await h.close()
  })
})

describe('console sign-in with MFA', () => {
  let h: Harness
  let device: { serial: string; seed: Uint8Array }
  before(async () => {
    h = await start()
    await userWithPassword(h, 'carol')
    ok(
      await h.call('PutUserPolicy', {
        UserName: 'carol',
        PolicyName: 'self',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: `${ARN}:user/carol` }],
        }),
      }),
    )
    device = await enableDevice(h, 'carol')
  })
  after(() => h.close())

  const attempt = (mfaCode?: string) =>
    h.signIn({
      account: ACCOUNT_ID,
      userName: 'carol',
      password: PASSWORD,
      ...(mfaCode === undefined ? {} : { mfaCode }),
    })
  const codeNow = () => totpAtStep(device.seed, totpStep(new Date(h.now())))

  it('asks for a code when the password is right, without counting a failure', async () => {
    for (let i = 0; i < 7; i++) refused(await attempt(), 401, 'MFACodeRequired')
    const wrongPassword = await h.signIn({
      account: ACCOUNT_ID,
      userName: 'carol',
      password: 'not-it',
    })
    refused(wrongPassword, 401, 'FailedAuthentication')
    assert.equal((await consoleLogins(h)).length, 1, 'a challenge is no ConsoleLogin')
  })

  it('signs in with the current code, once, with MFA in the session', async () => {
    h.advance(30_000)
    const code = codeNow()
    const answer = await attempt(code)
    const key = credentialsOf(answer)
    assert.equal(answer.json['MFAUsed'], true)
    // The code cannot sign in again, here or on GetSessionToken.
    refused(await attempt(code), 401, 'FailedAuthentication')
    // A session made with MFA may call IAM (GetSessionToken's rule for user sessions).
    const self = await h.call('GetUser', {}, { key, sessionToken: key.sessionToken })
    ok(self)
    const records = await consoleLogins(h)
    const success = records.find(
      (r) => (r['responseElements'] as Record<string, string>)['ConsoleLogin'] === 'Success',
    )
    assert.deepEqual(success?.['additionalEventData'], {
      LoginTo: 'http://localhost:80/console/',
      MobileVersion: 'No',
      MFAIdentifier: device.serial,
      MFAUsed: 'Yes',
    })
  })

  it('refuses a wrong code as a failure that counts', async () => {
    // Past the window of the replay's failure above.
    h.advance(16 * MINUTE)
    const wrong = codeNow() === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) refused(await attempt(wrong), 401, 'FailedAuthentication')
    refused(await attempt(codeNow()), 429, 'TooManyFailedAttempts')
    h.advance(5 * MINUTE)
    credentialsOf(await attempt(codeNow()))
  })
})

describe('console sign-in with a password to change', () => {
  let h: Harness
  before(async () => {
    h = await start()
    await userWithPassword(h, 'dave', { PasswordResetRequired: 'true' })
  })
  after(() => h.close())

  const base = { account: ACCOUNT_ID, userName: 'dave', password: PASSWORD }

  it('asks for a new password when the password must be reset', async () => {
    refused(await h.signIn(base), 403, 'PasswordChangeRequired')
    assert.equal((await consoleLogins(h)).length, 0)
  })

  it('refuses the change when the user may not change its password', async () => {
    const answer = await h.signIn({ ...base, newPassword: 'Brand-New-Pass-1' })
    refused(answer, 403, 'AccessDenied')
    assert.equal(
      answer.json['message'],
      `User: ${ARN}:user/dave is not authorized to perform: iam:ChangePassword on resource: ${ARN}:user/dave because no identity-based policy allows the iam:ChangePassword action`,
    )
  })

  it('checks the new password against the policy, then sets it and signs in', async () => {
    ok(
      await h.call('UpdateAccountPasswordPolicy', {
        AllowUsersToChangePassword: 'true',
        MinimumPasswordLength: '12',
      }),
    )
    const weak = await h.signIn({ ...base, newPassword: 'short' })
    refused(weak, 400, 'PasswordPolicyViolation')
    const answer = await h.signIn({ ...base, newPassword: 'Brand-New-Pass-1' })
    credentialsOf(answer)
    assert.equal(answer.json['PasswordChanged'], true)
    const profile = await h.store.transaction((tx) => tx.getLoginProfile(ACCOUNT_ID, 'dave'))
    assert.equal(profile?.passwordResetRequired, false)
    refused(await h.signIn(base), 401, 'FailedAuthentication')
    credentialsOf(await h.signIn({ ...base, password: 'Brand-New-Pass-1' }))
    // A new password only when one is needed.
    const needless = await h.signIn({
      ...base,
      password: 'Brand-New-Pass-1',
      newPassword: 'Another-New-Pass-2',
    })
    refused(needless, 400, 'ValidationError')
  })

  it('asks to change an expired password, and refuses it under HardExpiry', async () => {
    ok(
      await h.call('UpdateAccountPasswordPolicy', {
        AllowUsersToChangePassword: 'true',
        MaxPasswordAge: '1',
      }),
    )
    h.advance(25 * 60 * MINUTE)
    const current = { ...base, password: 'Brand-New-Pass-1' }
    refused(await h.signIn(current), 403, 'PasswordChangeRequired')
    ok(
      await h.call('UpdateAccountPasswordPolicy', {
        AllowUsersToChangePassword: 'true',
        MaxPasswordAge: '1',
        HardExpiry: 'true',
      }),
    )
    refused(await h.signIn(current), 403, 'PasswordExpired')
    const records = await consoleLogins(h)
    assert.equal(records.at(-1)?.['errorMessage'], 'Password expired')
    ok(
      await h.call('UpdateAccountPasswordPolicy', {
        AllowUsersToChangePassword: 'true',
        MaxPasswordAge: '1',
      }),
    )
    const renewed = await h.signIn({ ...current, newPassword: 'Third-New-Pass-33' })
    credentialsOf(renewed)
  })
})

describe('console sign-in requests', () => {
  let h: Harness
  before(async () => {
    h = await start()
    await userWithPassword(h, 'erin')
  })
  after(() => h.close())

  it('refuses what is not a sign-in, saying why without quoting it', async () => {
    const secret = 'Leaky-Secret-Typed-Here!'
    const cases: [unknown, string][] = [
      [{ userName: 'erin', password: PASSWORD }, 'The sign-in needs `account`.'],
      [{ account: ACCOUNT_ID, password: PASSWORD }, 'The sign-in needs `userName`.'],
      [{ account: ACCOUNT_ID, userName: 'erin' }, 'The sign-in needs `password`.'],
      [
        { account: ACCOUNT_ID, userName: secret, password: PASSWORD },
        '`userName` must be 1 to 64 letters, digits and characters of +=,.@_-.',
      ],
      [
        { account: 'no', userName: 'erin', password: PASSWORD },
        '`account` must be a 12-digit account id or an account alias.',
      ],
      [{ account: ACCOUNT_ID, userName: 'erin', password: 7 }, '`password` must be a string.'],
      [
        { account: ACCOUNT_ID, userName: 'erin', password: 'x'.repeat(129) },
        '`password` must have 1 to 128 characters.',
      ],
      [
        { account: ACCOUNT_ID, userName: 'erin', password: PASSWORD, mfaCode: '12345' },
        '`mfaCode` must be six digits.',
      ],
      [
        { account: ACCOUNT_ID, userName: 'erin', password: PASSWORD, Password: secret },
        'The sign-in takes only account, userName, password, mfaCode, newPassword and loginTo.',
      ],
      [
        { account: ACCOUNT_ID, userName: 'erin', password: PASSWORD, loginTo: 'javascript:x' },
        '`loginTo` must be an http or https URL of at most 1024 characters.',
      ],
    ]
    for (const [body, message] of cases) {
      const answer = await h.signIn(body)
      assert.equal(answer.status, 400, answer.text)
      assert.deepEqual(answer.json, { __type: 'ValidationError', message })
    }
    refused(await h.signIn(null, { raw: '{"account":' }), 400, 'SerializationException')
    refused(await h.signIn(null, { raw: '[1]' }), 400, 'SerializationException')
    refused(
      await h.signIn(
        { account: ACCOUNT_ID, userName: 'erin', password: PASSWORD },
        {
          contentType: 'application/x-www-form-urlencoded',
        },
      ),
      415,
      'UnsupportedMediaType',
    )
    const get = await h.signIn(null, { method: 'GET', raw: '' })
    refused(get, 405, 'MethodNotAllowed')
    assert.equal(get.headers['allow'], 'POST')
    // None of it was a sign-in attempt: nothing recorded, nothing counted.
    assert.equal((await consoleLogins(h)).length, 0)
    credentialsOf(await h.signIn({ account: ACCOUNT_ID, userName: 'erin', password: PASSWORD }))
  })

  it('records a success with the user, LoginTo and no parameters', async () => {
    credentialsOf(
      await h.signIn({
        account: ACCOUNT_ID,
        userName: 'erin',
        password: PASSWORD,
        loginTo: 'https://console.example.com/iam/',
      }),
    )
    const record = (await consoleLogins(h)).at(-1) ?? {}
    const identity = record['userIdentity'] as Record<string, string>
    assert.deepEqual(identity, {
      type: 'IAMUser',
      principalId: identity['principalId'],
      arn: `${ARN}:user/erin`,
      accountId: ACCOUNT_ID,
      userName: 'erin',
    })
    assert.equal(record['eventSource'], 'signin.amazonaws.com')
    assert.equal(record['eventName'], 'ConsoleLogin')
    assert.equal(record['eventType'], 'AwsConsoleSignIn')
    assert.equal(record['requestParameters'], null)
    assert.equal(record['errorMessage'], undefined)
    assert.equal(record['recipientAccountId'], ACCOUNT_ID)
    assert.equal(record['sourceIPAddress'], '198.51.100.7')
    assert.deepEqual(record['responseElements'], { ConsoleLogin: 'Success' })
    assert.deepEqual(record['additionalEventData'], {
      LoginTo: 'https://console.example.com/iam/',
      MobileVersion: 'No',
      MFAUsed: 'No',
    })
  })
})
