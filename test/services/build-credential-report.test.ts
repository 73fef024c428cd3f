/** The credential report's CSV: AWS's columns, and every field in AWS's exact form. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CREDENTIAL_REPORT_COLUMNS,
  buildCredentialReport,
  reportTime,
} from '../../src/services/iam/build-credential-report.js'
import type { CredentialReportInput } from '../../src/services/iam/build-credential-report.js'
import type { AccessKey, User } from '../../src/store/store.js'

const ACCOUNT = '123456789012'
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,' +
  'password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,' +
  'access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,' +
  'access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,' +
  'cert_1_last_rotated,cert_2_active,cert_2_last_rotated'
/** Key 1 and key 2 absent, then no certificates. */
const NO_KEYS = 'false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A'
const NO_CERTS = 'false,N/A,false,N/A'
const ACCOUNT_CREATED = new Date('2026-01-02T03:04:05.678Z')
/** A user without a password or an MFA device. */
const NO_EXTRAS = { password: null, mfaActive: false, signingCertificates: [] } as const

function user(name: string, created: string, path = '/'): User {
  return {
    accountId: ACCOUNT,
    name,
    path,
    arn: `arn:aws:iam::${ACCOUNT}:user${path}${name}`,
    createdAt: new Date(created),
    userId: `AIDA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    permissionsBoundaryArn: null,
  }
}

function key(
  accessKeyId: string,
  created: string,
  options: {
    readonly userName?: string | null
    readonly status?: AccessKey['status']
    readonly used?: { readonly at: string; readonly region: string; readonly service: string }
  } = {},
): AccessKey {
  return {
    accessKeyId,
    accountId: ACCOUNT,
    userName: options.userName ?? null,
    status: options.status ?? 'Active',
    createdAt: new Date(created),
    lastUsedAt: options.used === undefined ? null : new Date(options.used.at),
    lastUsedRegion: options.used?.region ?? null,
    lastUsedService: options.used?.service ?? null,
  }
}

function report(input: Partial<CredentialReportInput> = {}): string[] {
  return buildCredentialReport({
    account: { accountId: ACCOUNT, createdAt: ACCOUNT_CREATED },
    rootAccessKeys: [],
    rootSigningCertificates: [],
    users: [],
    ...input,
  }).split('\n')
}

describe('buildCredentialReport', () => {
  it("writes AWS's 22 columns in AWS's order", () => {
    assert.equal(CREDENTIAL_REPORT_COLUMNS.length, 22)
    assert.equal(report()[0], HEADER)
  })

  it('writes the root row first, with not_supported where IAM writes it', () => {
    assert.deepEqual(report(), [
      HEADER,
      `<root_account>,arn:aws:iam::${ACCOUNT}:root,2026-01-02T03:04:05+00:00,` +
        `not_supported,N/A,not_supported,not_supported,false,${NO_KEYS},${NO_CERTS}`,
    ])
  })

  it('ends without a line break after the last row', () => {
    const csv = buildCredentialReport({
      account: { accountId: ACCOUNT, createdAt: ACCOUNT_CREATED },
      rootAccessKeys: [],
      rootSigningCertificates: [],
      users: [{ user: user('alice', '2026-02-01T00:00:00Z'), accessKeys: [], ...NO_EXTRAS }],
    })
    assert.equal(csv.endsWith('\n'), false)
    assert.equal(csv.split('\n').length, 3)
    assert.equal(csv.includes('\r'), false)
  })

  it('writes a user without password, MFA, keys or certificates as IAM does', () => {
    const rows = report({
      users: [
        { user: user('alice', '2026-02-01T10:20:30.999Z', '/eng/'), accessKeys: [], ...NO_EXTRAS },
      ],
    })
    assert.equal(
      rows[2],
      `alice,arn:aws:iam::${ACCOUNT}:user/eng/alice,2026-02-01T10:20:30+00:00,` +
        `false,N/A,N/A,N/A,false,${NO_KEYS},${NO_CERTS}`,
    )
  })

  it('writes the users in the order given, after the root', () => {
    const rows = report({
      users: [
        { user: user('bob', '2026-02-01T00:00:00Z'), accessKeys: [], ...NO_EXTRAS },
        { user: user('Alice', '2026-02-02T00:00:00Z'), accessKeys: [], ...NO_EXTRAS },
      ],
    })
    assert.deepEqual(
      rows.map((row) => row.split(',')[0]),
      ['user', '<root_account>', 'bob', 'Alice'],
    )
  })

  it('writes an unused active key as true, its creation, and N/A for its use', () => {
    const rows = report({
      users: [
        {
          user: user('alice', '2026-02-01T00:00:00Z'),
          accessKeys: [key('AKIAALICE00000000001', '2026-02-03T04:05:06.700Z')],
          ...NO_EXTRAS,
        },
      ],
    })
    assert.equal(
      rows[2]?.split(',').slice(8, 18).join(','),
      'true,2026-02-03T04:05:06+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A',
    )
  })

  it("writes a used key's last use: date, region and service", () => {
    const rows = report({
      rootAccessKeys: [
        key('AKIAROOT000000000001', '2026-01-02T03:04:05Z', {
          used: { at: '2026-03-15T12:00:00.250Z', region: 'eu-west-1', service: 'sts' },
        }),
      ],
    })
    assert.equal(
      rows[1]?.split(',').slice(8, 13).join(','),
      'true,2026-01-02T03:04:05+00:00,2026-03-15T12:00:00+00:00,eu-west-1,sts',
    )
  })

  it('writes an inactive key as false, still with its creation and last use', () => {
    const rows = report({
      users: [
        {
          user: user('alice', '2026-02-01T00:00:00Z'),
          accessKeys: [
            key('AKIAALICE00000000001', '2026-02-03T00:00:00Z', {
              status: 'Inactive',
              used: { at: '2026-02-04T00:00:00Z', region: 'us-east-1', service: 'iam' },
            }),
          ],
          ...NO_EXTRAS,
        },
      ],
    })
    assert.equal(
      rows[2]?.split(',').slice(8, 13).join(','),
      'false,2026-02-03T00:00:00+00:00,2026-02-04T00:00:00+00:00,us-east-1,iam',
    )
  })

  it('numbers two keys by creation, not by id or by the order given', () => {
    const older = key('AKIAZZZZ000000000001', '2026-02-01T00:00:00Z', { status: 'Inactive' })
    const newer = key('AKIAAAAA000000000002', '2026-02-02T00:00:00Z')
    const rows = report({
      users: [
        { user: user('alice', '2026-01-31T00:00:00Z'), accessKeys: [newer, older], ...NO_EXTRAS },
      ],
    })
    assert.equal(
      rows[2]?.split(',').slice(8, 18).join(','),
      'false,2026-02-01T00:00:00+00:00,N/A,N/A,N/A,true,2026-02-02T00:00:00+00:00,N/A,N/A,N/A',
    )
  })

  it('numbers two keys made in the same instant by id', () => {
    const b = key('AKIAB000000000000000', '2026-02-01T00:00:00Z', { status: 'Inactive' })
    const a = key('AKIAA000000000000000', '2026-02-01T00:00:00Z')
    const rows = report({ rootAccessKeys: [b, a] })
    assert.deepEqual([rows[1]?.split(',')[8], rows[1]?.split(',')[13]], ['true', 'false'])
  })

  it('writes only the first two keys by creation when an owner has more', () => {
    const keys = [
      key('AKIA3000000000000000', '2026-02-03T00:00:00Z'),
      key('AKIA1000000000000000', '2026-02-01T00:00:00Z'),
      key('AKIA2000000000000000', '2026-02-02T00:00:00Z'),
    ]
    const fields = report({ rootAccessKeys: keys })[1]?.split(',') ?? []
    assert.equal(fields.length, 22)
    assert.deepEqual(
      [fields[9], fields[14]],
      ['2026-02-01T00:00:00+00:00', '2026-02-02T00:00:00+00:00'],
    )
  })

  it('quotes a field holding a comma or a quote, so that no column shifts', () => {
    const odd = user('a,b', '2026-02-01T00:00:00Z', '/say"hi"/')
    const row = report({ users: [{ user: odd, accessKeys: [], ...NO_EXTRAS }] })[2] ?? ''
    assert.ok(
      row.startsWith(
        `"a,b","arn:aws:iam::${ACCOUNT}:user/say""hi""/a,b",2026-02-01T00:00:00+00:00,`,
      ),
      row,
    )
  })
})

describe('reportTime', () => {
  it('writes ISO 8601 to the second with +00:00, dropping milliseconds', () => {
    assert.equal(reportTime(new Date('2026-03-15T12:00:00Z')), '2026-03-15T12:00:00+00:00')
    assert.equal(reportTime(new Date('1999-12-31T23:59:59.999Z')), '1999-12-31T23:59:59+00:00')
  })

  it('writes a password set, its next rotation under MaxPasswordAge, and an active MFA device', () => {
    const rows = report({
      users: [
        {
          user: user('alice', '2026-02-01T00:00:00Z'),
          accessKeys: [],
          password: {
            setAt: new Date('2026-02-10T08:00:00.500Z'),
            nextRotation: new Date('2026-05-11T08:00:00.500Z'),
          },
          mfaActive: true,
          signingCertificates: [],
        },
        {
          user: user('bob', '2026-02-01T00:00:00Z'),
          accessKeys: [],
          password: { setAt: new Date('2026-02-10T08:00:00Z'), nextRotation: null },
          mfaActive: false,
          signingCertificates: [],
        },
      ],
    })
    assert.equal(
      rows[2],
      `alice,arn:aws:iam::${ACCOUNT}:user/alice,2026-02-01T00:00:00+00:00,true,no_information,2026-02-10T08:00:00+00:00,2026-05-11T08:00:00+00:00,true,${NO_KEYS},${NO_CERTS}`,
    )
    assert.equal(
      rows[3],
      `bob,arn:aws:iam::${ACCOUNT}:user/bob,2026-02-01T00:00:00+00:00,true,no_information,2026-02-10T08:00:00+00:00,N/A,false,${NO_KEYS},${NO_CERTS}`,
    )
  })

  it('writes the first two signing certificates by upload, active or not, the root user’s too', () => {
    const cert = (id: string, at: string, active = true) => ({
      certificateId: id,
      active,
      uploadedAt: new Date(at),
    })
    const rows = report({
      rootSigningCertificates: [cert('ROOTCERT', '2026-02-05T00:00:00Z')],
      users: [
        {
          user: user('alice', '2026-02-01T00:00:00Z'),
          accessKeys: [],
          password: null,
          mfaActive: false,
          signingCertificates: [
            cert('LATER', '2026-02-03T00:00:00Z', false),
            cert('EARLIER', '2026-02-02T00:00:00Z'),
          ],
        },
      ],
    })
    assert.ok(rows[1]?.endsWith(',true,2026-02-05T00:00:00+00:00,false,N/A'), rows[1])
    assert.ok(
      rows[2]?.endsWith(',true,2026-02-02T00:00:00+00:00,false,2026-02-03T00:00:00+00:00'),
      rows[2],
    )
  })
})
