/**
 * buildTrailEvent: the exact records of test/cases/audit/build-trail-event.json (every caller
 * kind, successes, denials, failed authentication and validation, server errors), the proof
 * that no secret reaches a record whatever field carries it, the size limits, and purity.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { AuditEvent } from '../../src/audit/audit-event.js'
import {
  MAX_PAYLOAD_BYTES,
  MAX_TEXT_BYTES,
  buildTrailEvent,
} from '../../src/audit/build-trail-event.js'
import { HIDDEN, SECRET_MEMBERS } from '../../src/audit/redact.js'
import { trailDate } from '../../src/audit/trail-date.js'
import { isoSeconds } from '../../src/protocol/iso-seconds.js'
import type { Caller } from '../../src/auth/caller.js'
import { loadAuditCases, loadCallers } from './audit-cases.js'

const { file, cases } = loadAuditCases()
const callers = loadCallers(file)

/** The record of an event, parsed. */
function recordOf(event: AuditEvent): Record<string, unknown> {
  return JSON.parse(buildTrailEvent(event).record) as Record<string, unknown>
}

/** A plain event for the tests below; members override. */
function event(members: Partial<AuditEvent>): AuditEvent {
  return {
    eventTime: new Date('2026-03-15T12:00:00Z'),
    requestId: 'req-1',
    eventId: 'evt-1',
    service: 'iam',
    action: 'CreateUser',
    apiVersion: '2010-05-08',
    region: 'us-east-1',
    sourceIp: '198.51.100.7',
    userAgent: 'test-agent',
    caller: callers.get('alice'),
    accessKeyId: 'AKIAALICEKEYEXAMPLE1',
    parameters: { UserName: 'bob' },
    result: undefined,
    error: undefined,
    readOnly: false,
    attempted: undefined,
    accountId: '111122223333',
    ...members,
  }
}

describe('buildTrailEvent cases', () => {
  it('has many cases, with distinct ids, over every kind of caller', () => {
    assert.ok(cases.length >= 20)
    assert.equal(new Set(cases.map((c) => c.id)).size, cases.length)
    const kinds = new Set(cases.flatMap((c) => (c.event.caller ? [c.event.caller.kind] : [])))
    const all: Caller['kind'][] = [
      'root',
      'user',
      'rootSession',
      'userSession',
      'assumedRole',
      'federatedUser',
    ]
    assert.deepEqual([...kinds].sort(), [...all].sort())
    assert.ok(cases.some((c) => c.event.caller === undefined))
  })

  for (const c of cases) {
    it(`${c.id}: ${c.description}`, () => {
      const trail = buildTrailEvent(c.event)
      assert.equal(trail.record, JSON.stringify(c.record))
      assert.deepEqual(
        {
          eventName: trail.eventName,
          eventSource: trail.eventSource,
          username: trail.username,
          accessKeyId: trail.accessKeyId,
          resources: trail.resources,
          accountId: trail.accountId,
          access: trail.access ?? null,
        },
        c.index,
      )
      assert.equal(trail.eventId, c.event.eventId)
      assert.equal(trail.eventTime, c.event.eventTime)
      assert.equal(trail.readOnly, c.event.readOnly)
    })
  }
})

describe('buildTrailEvent is pure', () => {
  it('makes the same record twice and leaves its input as it was', () => {
    for (const c of cases) {
      const before = structuredClone(c.event)
      const first = buildTrailEvent(c.event)
      assert.deepEqual(buildTrailEvent(c.event), first)
      assert.deepEqual(c.event, before)
    }
  })

  it('takes the time and ids from the event only', () => {
    const trail = buildTrailEvent(
      event({ eventTime: new Date('2030-01-02T03:04:05.999Z'), requestId: 'r9', eventId: 'e9' }),
    )
    const record = JSON.parse(trail.record) as Record<string, unknown>
    assert.equal(record['eventTime'], '2030-01-02T03:04:05Z')
    assert.equal(record['requestID'], 'r9')
    assert.equal(record['eventID'], 'e9')
  })
})

// Distinctive texts that appear nowhere in a record unless they leaked.
const SECRET_NAMES = [...SECRET_MEMBERS.keys()]

/** The PascalCase name the API uses for a lower-cased secret name (for the cases that need it). */
const API_NAMES: Readonly<Record<string, string>> = {
  password: 'Password',
  oldpassword: 'OldPassword',
  newpassword: 'NewPassword',
  secretaccesskey: 'SecretAccessKey',
  servicepassword: 'ServicePassword',
  servicecredentialsecret: 'ServiceCredentialSecret',
  base32stringseed: 'Base32StringSeed',
  qrcodepng: 'QRCodePNG',
  sessiontoken: 'SessionToken',
  securitytoken: 'SecurityToken',
  tokencode: 'TokenCode',
  authenticationcode1: 'AuthenticationCode1',
  authenticationcode2: 'AuthenticationCode2',
  samlassertion: 'SAMLAssertion',
  webidentitytoken: 'WebIdentityToken',
  tradeintoken: 'TradeInToken',
  privatekey: 'PrivateKey',
  addprivatekey: 'AddPrivateKey',
}

/** Every place a secret can ride in on, each with its own text. */
function secretLadenEvent(
  caller: Caller | undefined,
  failed: boolean,
): {
  readonly event: AuditEvent
  readonly secrets: readonly string[]
} {
  const secrets: string[] = []
  const secret = (where: string): string => {
    const text = `Secret-${where}-${secrets.length}-Zq9`
    secrets.push(text)
    return text
  }
  const parameters: Record<string, string> = {
    RoleArn: 'arn:aws:iam::111122223333:role/service/deployer',
    RoleSessionName: 'ci-run-42',
    'X-Amz-Security-Token': secret('presigned-token'),
    'X-Amz-Signature': 'f'.repeat(64),
  }
  for (const name of SECRET_NAMES) {
    const api = API_NAMES[name] ?? name
    parameters[api] = secret(`param-${api}`)
    parameters[name] = secret(`lower-${name}`)
    parameters[`Nested.member.1.${api}`] = secret(`nested-${api}`)
  }
  const result = {
    Credentials: {
      AccessKeyId: 'ASIAISSUEDKEY0000001',
      SecretAccessKey: secret('issued-secret'),
      SessionToken: secret('issued-token'),
      Expiration: new Date('2026-03-15T13:00:00Z'),
    },
    AccessKey: { AccessKeyId: 'AKIANEWKEY0000000001', SecretAccessKey: secret('new-key-secret') },
    ServiceSpecificCredential: {
      ServicePassword: secret('service-password'),
      ServiceCredentialSecret: secret('service-secret'),
    },
    VirtualMFADevice: {
      SerialNumber: 'arn:aws:iam::111122223333:mfa/v',
      Base32StringSeed: secret('seed'),
      QRCodePNG: secret('qr'),
    },
  }
  const session = caller === undefined || !('session' in caller) ? undefined : caller.session
  if (session !== undefined) secrets.push(session.secretAccessKey)
  const quoted = secrets.slice(0, 6).join("', '")
  return {
    secrets,
    event: event({
      service: 'sts',
      action: 'AssumeRole',
      caller,
      accessKeyId: caller?.accessKeyId,
      accountId: caller?.accountId,
      readOnly: true,
      parameters,
      result: failed ? undefined : result,
      error: failed
        ? { code: 'ValidationError', message: `Values '${quoted}' failed to satisfy constraint` }
        : undefined,
    }),
  }
}

describe('no secret reaches a record', () => {
  const variants: [string, Caller | undefined][] = [
    ...[...callers].map(([name, caller]): [string, Caller | undefined] => [name, caller]),
    ['no caller', undefined],
  ]
  for (const [name, caller] of variants) {
    for (const failed of [false, true]) {
      it(`${name}, ${failed ? 'failed' : 'answered'}: none of the secrets is anywhere in the record`, () => {
        const { event: laden, secrets } = secretLadenEvent(caller, failed)
        const trail = buildTrailEvent(laden)
        assert.ok(secrets.length > 40)
        for (const secret of secrets) {
          assert.ok(!trail.record.includes(secret), `${secret} leaked into ${trail.record}`)
        }
        // The record still says that they were there (hidden), where AWS keeps the member.
        assert.ok(trail.record.includes(HIDDEN))
      })
    }
  }

  it('hides a PEM private key pasted into any member, such as an SSH public key body', () => {
    const key = [
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      '-----END OPENSSH PRIVATE KEY-----',
    ].join('\n')
    const trail = buildTrailEvent(
      event({
        action: 'UploadSSHPublicKey',
        parameters: { UserName: 'bob', SSHPublicKeyBody: key },
        error: { code: 'InvalidPublicKey', message: 'The public key is not valid.' },
      }),
    )
    assert.ok(!trail.record.includes('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ'), trail.record)
    const parameters = (JSON.parse(trail.record) as Record<string, Record<string, unknown>>)[
      'requestParameters'
    ]
    assert.equal(parameters?.['sSHPublicKeyBody'] ?? parameters?.['sshPublicKeyBody'], HIDDEN)
    assert.equal(parameters?.['userName'], 'bob')
  })

  it('leaves out what AWS leaves out and hides the rest', () => {
    const { event: laden } = secretLadenEvent(callers.get('alice'), false)
    const record = recordOf(laden)
    const parameters = record['requestParameters'] as Record<string, unknown>
    for (const [name, treatment] of SECRET_MEMBERS) {
      const member = (API_NAMES[name] ?? name).replace(/^./, (c) => c.toLowerCase())
      if (treatment === 'omit') assert.ok(!(member in parameters), member)
      else assert.equal(parameters[member], HIDDEN, member)
    }
    const credentials = (record['responseElements'] as Record<string, Record<string, unknown>>)[
      'credentials'
    ]
    assert.deepEqual(credentials, {
      accessKeyId: 'ASIAISSUEDKEY0000001',
      sessionToken: HIDDEN,
      expiration: 'Mar 15, 2026, 1:00:00 PM',
    })
    for (const name of Object.keys(parameters)) assert.ok(!/^x-amz-/i.test(name), name)
  })

  it('holds for any secret, under any spelling of its name, at any depth', () => {
    const names = fc.constantFrom(...SECRET_NAMES.map((n) => API_NAMES[n] ?? n))
    const spelling = fc
      .tuple(names, fc.constantFrom('as-is', 'lower', 'upper'))
      .map(([n, s]) => (s === 'lower' ? n.toLowerCase() : s === 'upper' ? n.toUpperCase() : n))
    const place = fc.constantFrom('', 'Outer.', 'List.member.3.', 'A.member.1.member.2.')
    const text = fc.stringMatching(/^[A-Za-z0-9+/=]{8,40}$/).map((s) => `Zx-${s}`)
    fc.assert(
      fc.property(
        fc.array(fc.tuple(place, spelling, text), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...callers.values()),
        fc.boolean(),
        (entries, caller, failed) => {
          const parameters: Record<string, string> = { UserName: 'bob' }
          for (const [prefix, name, value] of entries) parameters[`${prefix}${name}`] = value
          // A name drawn twice keeps its last value: the secrets are those the request carries.
          const values = Object.values(parameters).filter((value) => value !== 'bob')
          const trail = buildTrailEvent(
            event({
              caller,
              parameters,
              result: failed ? undefined : { User: { UserName: 'bob' } },
              error: failed
                ? { code: 'ValidationError', message: `bad values: ${values.join(' ')}` }
                : undefined,
            }),
          )
          for (const value of values) assert.ok(!trail.record.includes(value), value)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('sizes', () => {
  it('replaces requestParameters over 100 KB with {"omitted": true}, and keeps them at 100 KB', () => {
    // {"policyDocument":"..."}: 21 bytes of JSON around the text.
    const exact = 'a'.repeat(MAX_PAYLOAD_BYTES - '{"policyDocument":""}'.length)
    const kept = recordOf(event({ action: 'CreatePolicy', parameters: { PolicyDocument: exact } }))
    assert.deepEqual(kept['requestParameters'], { policyDocument: exact })
    const over = recordOf(
      event({ action: 'CreatePolicy', parameters: { PolicyDocument: `${exact}a` } }),
    )
    assert.deepEqual(over['requestParameters'], { omitted: true })
  })

  it('counts UTF-8 bytes, not characters', () => {
    const text = 'é'.repeat(60_000) // 120,000 bytes in 60,000 characters
    const record = recordOf(event({ action: 'CreatePolicy', parameters: { PolicyDocument: text } }))
    assert.deepEqual(record['requestParameters'], { omitted: true })
  })

  it('replaces responseElements over 100 KB with {"omitted": true}', () => {
    const record = recordOf(
      event({ result: { User: { UserName: 'bob', Path: `/${'p/'.repeat(60_000)}` } } }),
    )
    assert.deepEqual(record['responseElements'], { omitted: true })
  })

  it('cuts userAgent and errorMessage to 1 KB, never inside a character', () => {
    const agent = `agent-${'€'.repeat(1000)}`
    const message = `message-${'😀'.repeat(600)}`
    const record = recordOf(
      event({ userAgent: agent, error: { code: 'ValidationError', message } }),
    )
    for (const [field, original] of [
      ['userAgent', agent],
      ['errorMessage', message],
    ] as const) {
      const value = record[field] as string
      assert.ok(Buffer.byteLength(value, 'utf8') <= MAX_TEXT_BYTES, field)
      assert.ok(Buffer.byteLength(value, 'utf8') > MAX_TEXT_BYTES - 4, field)
      assert.ok(original.startsWith(value), field)
      assert.ok(!value.includes('\uFFFD'), field)
      assert.ok(!/[\uD800-\uDBFF]$/.test(value), field)
    }
  })
})

describe('requestParameters', () => {
  it('nests lists of lists, and a hostile name stays a plain member', () => {
    const record = recordOf(
      event({
        parameters: {
          'A.member.1.member.2': 'x',
          'A.member.1.member.1': 'w',
          __proto__: 'p',
          'constructor.prototype.polluted': 'yes',
        },
      }),
    )
    assert.deepEqual(JSON.parse(JSON.stringify(record['requestParameters'])), {
      a: [['w', 'x']],
      __proto__: 'p',
      constructor: { prototype: { polluted: 'yes' } },
    })
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined)
  })

  it("takes a JSON body's members as they are, structures in lowerCamelCase and maps unchanged", () => {
    const record = recordOf(
      event({
        service: 'cloudtrail',
        action: 'LookupEvents',
        region: 'eu-central-1',
        readOnly: true,
        parameters: {
          LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }],
          StartTime: new Date('2026-03-14T00:00:00Z'),
          MaxResults: 5,
          Extra: new Map([['Key-As-Is', 1]]),
        },
        result: { Events: [] },
      }),
    )
    assert.equal(record['eventSource'], 'cloudtrail.amazonaws.com')
    assert.equal(record['awsRegion'], 'eu-central-1')
    assert.deepEqual(record['requestParameters'], {
      lookupAttributes: [{ attributeKey: 'Username', attributeValue: 'alice' }],
      startTime: 'Mar 14, 2026, 12:00:00 AM',
      maxResults: 5,
      extra: { 'Key-As-Is': 1 },
    })
    assert.equal(record['responseElements'], null)
  })
})

describe('trailDate and isoSeconds', () => {
  const table: [string, string, string][] = [
    ['2026-03-15T00:00:00Z', 'Mar 15, 2026 12:00:00 AM', 'Mar 15, 2026, 12:00:00 AM'],
    ['2026-03-15T00:59:09Z', 'Mar 15, 2026 12:59:09 AM', 'Mar 15, 2026, 12:59:09 AM'],
    ['2026-03-15T11:59:59.999Z', 'Mar 15, 2026 11:59:59 AM', 'Mar 15, 2026, 11:59:59 AM'],
    ['2026-03-15T12:00:00Z', 'Mar 15, 2026 12:00:00 PM', 'Mar 15, 2026, 12:00:00 PM'],
    ['2024-08-01T13:33:28Z', 'Aug 1, 2024 1:33:28 PM', 'Aug 1, 2024, 1:33:28 PM'],
    ['2024-11-30T20:43:17Z', 'Nov 30, 2024 8:43:17 PM', 'Nov 30, 2024, 8:43:17 PM'],
    ['2025-12-31T23:05:00Z', 'Dec 31, 2025 11:05:00 PM', 'Dec 31, 2025, 11:05:00 PM'],
  ]
  for (const [iso, iam, sts] of table) {
    it(`${iso}: IAM "${iam}", STS "${sts}"`, () => {
      assert.equal(trailDate(new Date(iso), 'iam'), iam)
      assert.equal(trailDate(new Date(iso), 'sts'), sts)
    })
  }

  it('writes eventTime to the second, in UTC', () => {
    assert.equal(isoSeconds(new Date('2026-03-15T12:00:00.999Z')), '2026-03-15T12:00:00Z')
    assert.equal(isoSeconds(new Date(Date.UTC(2026, 0, 5, 7, 8, 9))), '2026-01-05T07:08:09Z')
  })

  it('writes each second as its own, whatever it wrote before (it keeps the last one)', () => {
    const times = [
      '2026-03-15T12:00:00.000Z',
      '2026-03-15T12:00:00.999Z',
      '2026-03-15T12:00:01.000Z',
      '2026-03-15T12:00:00.500Z',
      '1969-12-31T23:59:59.500Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
    ]
    for (const time of times) {
      assert.equal(isoSeconds(new Date(time)), time.replace(/\.\d{3}Z$/, 'Z'), time)
    }
    assert.throws(() => isoSeconds(new Date(Number.NaN)), RangeError)
    assert.throws(() => isoSeconds(new Date(Number.NaN)), RangeError)
  })
})
