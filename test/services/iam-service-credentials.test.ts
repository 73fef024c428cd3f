/**
 * Service-specific credentials in process: CreateServiceSpecificCredential (passwords and API
 * keys), ListServiceSpecificCredentials (by user, by service, AllUsers, pages),
 * ResetServiceSpecificCredential, UpdateServiceSpecificCredential and
 * DeleteServiceSpecificCredential; every error's code, status and message; the resources and
 * condition keys they are authorized on; the secret kept out of the database and the trail.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import type { XmlElement } from '../errors/strict-xml.js'
import { childElements } from '../errors/strict-xml.js'

const ARN = `arn:aws:iam::${ACCOUNT_ID}`
const CODECOMMIT = 'codecommit.amazonaws.com'
const KEYSPACES = 'cassandra.amazonaws.com'
const BEDROCK = 'bedrock.amazonaws.com'
const DAY_MS = 24 * 60 * 60 * 1000

function ok(r: Reply): void {
  assert.equal(r.status, 200, r.body)
}

function fails(r: Reply, status: number, code: string, message: string): void {
  assert.equal(r.status, status, r.body)
  assert.deepEqual(r.error, { code, message })
}

function denial(callerArn: string, action: string, resource: string): string {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
}

/** The members of an element, by name, as text. */
function members(element: XmlElement | undefined): Record<string, string> {
  assert.ok(element !== undefined)
  return Object.fromEntries(
    childElements(element).map((e) => [e.name, xmlText(element, e.name) ?? '']),
  )
}

/** The ServiceSpecificCredential of a Create or Reset reply. */
function credentialOf(r: Reply, action: string): Record<string, string> {
  ok(r)
  return members(xmlAll(r.xml, `${action}Result/ServiceSpecificCredential`)[0])
}

async function create(
  g: InProcess,
  userName: string,
  serviceName: string = CODECOMMIT,
  extra: Record<string, string> = {},
  key?: Credentials,
): Promise<Reply> {
  return g.call(
    'CreateServiceSpecificCredential',
    { UserName: userName, ServiceName: serviceName, ...extra },
    key === undefined ? {} : { key },
  )
}

/** The listed credentials' metadata. */
function listedOf(r: Reply): Record<string, string>[] {
  ok(r)
  return xmlAll(
    r.xml,
    'ListServiceSpecificCredentialsResult/ServiceSpecificCredentials/member',
  ).map(members)
}

describe('IAM service-specific credentials', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    for (const name of ['sofia', 'developer', 'dana'])
      ok(await g.call('CreateUser', { UserName: name }))
  })
  after(() => g.close())

  it('creates a CodeCommit user name and password, shown this once', async () => {
    const created = credentialOf(await create(g, 'sofia'), 'CreateServiceSpecificCredential')
    assert.deepEqual(Object.keys(created), [
      'CreateDate',
      'ServiceName',
      'ServiceUserName',
      'ServicePassword',
      'ServiceSpecificCredentialId',
      'UserName',
      'Status',
    ])
    assert.equal(created['ServiceName'], CODECOMMIT)
    assert.equal(created['ServiceUserName'], `sofia-at-${ACCOUNT_ID}`)
    assert.match(created['ServicePassword'] ?? '', /^[A-Za-z0-9+/]{59}=$/)
    assert.match(created['ServiceSpecificCredentialId'] ?? '', /^ACCA[A-Z2-7]{17}$/)
    assert.equal(created['UserName'], 'sofia')
    assert.equal(created['Status'], 'Active')
    assert.ok(Math.abs(Date.parse(created['CreateDate'] ?? '') - Date.now()) < 60_000)

    const listed = await g.call('ListServiceSpecificCredentials', { UserName: 'sofia' })
    assert.equal(listed.body.includes(created['ServicePassword'] ?? '?'), false)
    assert.equal(listed.body.includes('ServicePassword'), false)
    assert.deepEqual(listedOf(listed), [
      {
        UserName: 'sofia',
        Status: 'Active',
        ServiceUserName: `sofia-at-${ACCOUNT_ID}`,
        CreateDate: created['CreateDate'],
        ServiceSpecificCredentialId: created['ServiceSpecificCredentialId'],
        ServiceName: CODECOMMIT,
      },
    ])
  })

  it('names the second credential +1 and refuses a third with LimitExceeded (409)', async () => {
    const first = credentialOf(await create(g, 'developer'), 'CreateServiceSpecificCredential')
    const second = credentialOf(await create(g, 'developer'), 'CreateServiceSpecificCredential')
    assert.equal(first['ServiceUserName'], `developer-at-${ACCOUNT_ID}`)
    assert.equal(second['ServiceUserName'], `developer+1-at-${ACCOUNT_ID}`)
    assert.notEqual(first['ServicePassword'], second['ServicePassword'])
    fails(
      await create(g, 'developer'),
      409,
      'LimitExceeded',
      'Cannot exceed quota for ServiceSpecificCredentialsPerUser: 2',
    )
    const keyspaces = credentialOf(
      await create(g, 'developer', KEYSPACES),
      'CreateServiceSpecificCredential',
    )
    assert.equal(keyspaces['ServiceUserName'], `developer-at-${ACCOUNT_ID}`)
  })

  it('creates a Bedrock API key with an alias, a secret and an expiration', async () => {
    const key = credentialOf(
      await create(g, 'dana', BEDROCK, { CredentialAgeDays: '30' }),
      'CreateServiceSpecificCredential',
    )
    assert.deepEqual(Object.keys(key), [
      'CreateDate',
      'ExpirationDate',
      'ServiceName',
      'ServiceCredentialAlias',
      'ServiceCredentialSecret',
      'ServiceSpecificCredentialId',
      'UserName',
      'Status',
    ])
    assert.equal(key['ServiceCredentialAlias'], `dana-at-${ACCOUNT_ID}`)
    assert.match(key['ServiceCredentialSecret'] ?? '', /^ABSK[A-Za-z0-9+/=]+$/)
    assert.equal(
      Date.parse(key['ExpirationDate'] ?? '') - Date.parse(key['CreateDate'] ?? ''),
      30 * DAY_MS,
    )
    const listed = listedOf(
      await g.call('ListServiceSpecificCredentials', { UserName: 'dana', ServiceName: BEDROCK }),
    )
    assert.deepEqual(listed, [
      {
        UserName: 'dana',
        Status: 'Active',
        ServiceCredentialAlias: `dana-at-${ACCOUNT_ID}`,
        CreateDate: key['CreateDate'],
        ExpirationDate: key['ExpirationDate'],
        ServiceSpecificCredentialId: key['ServiceSpecificCredentialId'],
        ServiceName: BEDROCK,
      },
    ])
    const forever = credentialOf(
      await create(g, 'dana', BEDROCK),
      'CreateServiceSpecificCredential',
    )
    assert.equal(forever['ExpirationDate'], undefined)
    assert.equal(forever['ServiceCredentialAlias'], `dana+1-at-${ACCOUNT_ID}`)
  })

  it('refuses CredentialAgeDays for a password, and out of its range', async () => {
    fails(
      await create(g, 'dana', CODECOMMIT, { CredentialAgeDays: '7' }),
      400,
      'InvalidInput',
      'CredentialAgeDays is only valid for API keys, not for codecommit.amazonaws.com credentials.',
    )
    const zero = await create(g, 'dana', BEDROCK, { CredentialAgeDays: '0' })
    assert.equal(zero.status, 400)
    assert.equal(zero.error?.code, 'ValidationError')
    const tooLong = await create(g, 'dana', BEDROCK, { CredentialAgeDays: '36601' })
    assert.equal(tooLong.error?.code, 'ValidationError')
  })

  it('answers a service without credentials with NotSupportedService (404)', async () => {
    for (const service of ['lambda.amazonaws.com', 'nonexistentservice.amazonaws.com', 'x']) {
      fails(
        await create(g, 'sofia', service),
        404,
        'NotSupportedService',
        `No such service ${service} is supported for Service Specific Credentials`,
      )
    }
    fails(
      await g.call('ListServiceSpecificCredentials', {
        UserName: 'sofia',
        ServiceName: 'lambda.amazonaws.com',
      }),
      404,
      'NotSupportedService',
      'No such service lambda.amazonaws.com is supported for Service Specific Credentials',
    )
  })

  it('answers an unknown user with NoSuchEntity before looking at the service', async () => {
    const message = 'The user with name ghost cannot be found.'
    fails(await create(g, 'ghost'), 404, 'NoSuchEntity', message)
    fails(await create(g, 'ghost', 'lambda.amazonaws.com'), 404, 'NoSuchEntity', message)
    fails(
      await g.call('ListServiceSpecificCredentials', { UserName: 'ghost' }),
      404,
      'NoSuchEntity',
      message,
    )
    fails(
      await g.call('ResetServiceSpecificCredential', {
        UserName: 'ghost',
        ServiceSpecificCredentialId: 'ACCAEXAMPLE123EXAMPLE',
      }),
      404,
      'NoSuchEntity',
      message,
    )
    const missing = await g.call('CreateServiceSpecificCredential', { UserName: 'sofia' })
    assert.equal(missing.status, 400)
    assert.equal(missing.error?.code, 'ValidationError')
  })

  it("lists by service, every user's with AllUsers, and page by page", async () => {
    const mine = listedOf(
      await g.call('ListServiceSpecificCredentials', {
        UserName: 'developer',
        ServiceName: CODECOMMIT,
      }),
    )
    assert.deepEqual(
      mine.map((c) => c['ServiceUserName']),
      [`developer-at-${ACCOUNT_ID}`, `developer+1-at-${ACCOUNT_ID}`],
    )
    const everyone = listedOf(
      await g.call('ListServiceSpecificCredentials', { AllUsers: 'true', ServiceName: CODECOMMIT }),
    )
    assert.deepEqual(
      everyone.map((c) => c['UserName']),
      ['developer', 'developer', 'sofia'],
    )
    const all = listedOf(await g.call('ListServiceSpecificCredentials', { AllUsers: 'true' }))
    assert.equal(all.length, 6)

    const ids: string[] = []
    let marker: string | undefined
    let pages = 0
    do {
      const page = await g.call('ListServiceSpecificCredentials', {
        AllUsers: 'true',
        MaxItems: '4',
        ...(marker === undefined ? {} : { Marker: marker }),
      })
      ids.push(...listedOf(page).map((c) => c['ServiceSpecificCredentialId'] ?? ''))
      marker = xmlText(page.xml, 'ListServiceSpecificCredentialsResult/Marker')
      const truncated = xmlText(page.xml, 'ListServiceSpecificCredentialsResult/IsTruncated')
      assert.equal(truncated, marker === undefined ? 'false' : 'true')
      pages++
    } while (marker !== undefined)
    assert.equal(pages, 2)
    assert.deepEqual(
      ids,
      all.map((c) => c['ServiceSpecificCredentialId']),
    )

    fails(
      await g.call('ListServiceSpecificCredentials', { AllUsers: 'true', UserName: 'sofia' }),
      400,
      'InvalidInput',
      'AllUsers cannot be specified together with UserName.',
    )
    const none = await g.call('ListServiceSpecificCredentials', {
      UserName: 'sofia',
      ServiceName: KEYSPACES,
    })
    assert.deepEqual(listedOf(none), [])
    assert.equal(xmlText(none.xml, 'ListServiceSpecificCredentialsResult/IsTruncated'), 'false')
  })

  it('resets the password, which only that response shows', async () => {
    const created = credentialOf(
      await create(g, 'dana', KEYSPACES),
      'CreateServiceSpecificCredential',
    )
    const id = created['ServiceSpecificCredentialId'] ?? ''
    const reset = credentialOf(
      await g.call('ResetServiceSpecificCredential', {
        UserName: 'dana',
        ServiceSpecificCredentialId: id,
      }),
      'ResetServiceSpecificCredential',
    )
    assert.deepEqual(
      { ...reset, ServicePassword: undefined },
      { ...created, ServicePassword: undefined },
    )
    assert.match(reset['ServicePassword'] ?? '', /^[A-Za-z0-9+/]{59}=$/)
    assert.notEqual(reset['ServicePassword'], created['ServicePassword'])
  })

  it("answers another user's id or an unknown one with NoSuchEntity, a malformed one with ValidationError", async () => {
    const listed = listedOf(await g.call('ListServiceSpecificCredentials', { UserName: 'sofia' }))
    const sofias = listed[0]?.['ServiceSpecificCredentialId'] ?? ''
    for (const [action, extra] of [
      ['ResetServiceSpecificCredential', {}],
      ['UpdateServiceSpecificCredential', { Status: 'Inactive' }],
      ['DeleteServiceSpecificCredential', {}],
    ] as const) {
      for (const id of [sofias, 'ACCAEXAMPLE123EXAMPLE']) {
        fails(
          await g.call(action, { UserName: 'dana', ServiceSpecificCredentialId: id, ...extra }),
          404,
          'NoSuchEntity',
          `No such credential ${id} exists`,
        )
      }
      const malformed = await g.call(action, {
        UserName: 'dana',
        ServiceSpecificCredentialId: 'totally-wrong-credential-id-with-hyphens',
        ...extra,
      })
      assert.equal(malformed.status, 400, malformed.body)
      assert.equal(malformed.error?.code, 'ValidationError')
    }
    // Still there, untouched.
    assert.equal(
      listedOf(await g.call('ListServiceSpecificCredentials', { UserName: 'sofia' }))[0]?.[
        'Status'
      ],
      'Active',
    )
  })

  it('makes a credential Inactive and Active again, and refuses Expired', async () => {
    const id =
      listedOf(await g.call('ListServiceSpecificCredentials', { UserName: 'sofia' }))[0]?.[
        'ServiceSpecificCredentialId'
      ] ?? ''
    const update = (status: string): Promise<Reply> =>
      g.call('UpdateServiceSpecificCredential', {
        UserName: 'sofia',
        ServiceSpecificCredentialId: id,
        Status: status,
      })
    const status = async (): Promise<string | undefined> =>
      listedOf(await g.call('ListServiceSpecificCredentials', { UserName: 'sofia' }))[0]?.['Status']
    ok(await update('Inactive'))
    assert.equal(await status(), 'Inactive')
    ok(await update('Active'))
    assert.equal(await status(), 'Active')
    fails(
      await update('Expired'),
      400,
      'InvalidInput',
      'Status Expired is not valid for a service-specific credential: use Active or Inactive.',
    )
    const bogus = await update('Paused')
    assert.equal(bogus.status, 400)
    assert.equal(bogus.error?.code, 'ValidationError')
  })

  it('deletes a credential, after which its id is unknown', async () => {
    const created = credentialOf(
      await create(g, 'sofia', KEYSPACES),
      'CreateServiceSpecificCredential',
    )
    const id = created['ServiceSpecificCredentialId'] ?? ''
    const remove = (): Promise<Reply> =>
      g.call('DeleteServiceSpecificCredential', {
        UserName: 'sofia',
        ServiceSpecificCredentialId: id,
      })
    ok(await remove())
    fails(await remove(), 404, 'NoSuchEntity', `No such credential ${id} exists`)
    const left = listedOf(await g.call('ListServiceSpecificCredentials', { UserName: 'sofia' }))
    assert.deepEqual(
      left.map((c) => c['ServiceName']),
      [CODECOMMIT],
    )
  })

  it('keeps a user with credentials from being deleted', async () => {
    ok(await g.call('CreateUser', { UserName: 'leaver' }))
    const id =
      credentialOf(await create(g, 'leaver'), 'CreateServiceSpecificCredential')[
        'ServiceSpecificCredentialId'
      ] ?? ''
    const refused = await g.call('DeleteUser', { UserName: 'leaver' })
    assert.equal(refused.status, 409, refused.body)
    assert.deepEqual(refused.error, {
      code: 'DeleteConflict',
      message: 'Cannot delete entity, must remove referenced objects first.',
    })
    ok(await g.call('GetUser', { UserName: 'leaver' }))
    ok(
      await g.call('DeleteServiceSpecificCredential', {
        UserName: 'leaver',
        ServiceSpecificCredentialId: id,
      }),
    )
    ok(await g.call('DeleteUser', { UserName: 'leaver' }))
  })

  it('keeps passwords and API keys out of the database and the trail', async () => {
    ok(await g.call('CreateUser', { UserName: 'secretive' }))
    const password = credentialOf(await create(g, 'secretive'), 'CreateServiceSpecificCredential')
    const id = password['ServiceSpecificCredentialId'] ?? ''
    const reset = credentialOf(
      await g.call('ResetServiceSpecificCredential', {
        UserName: 'secretive',
        ServiceSpecificCredentialId: id,
      }),
      'ResetServiceSpecificCredential',
    )
    const apiKey = credentialOf(
      await create(g, 'secretive', BEDROCK),
      'CreateServiceSpecificCredential',
    )
    const secrets = [
      password['ServicePassword'] ?? '',
      reset['ServicePassword'] ?? '',
      apiKey['ServiceCredentialSecret'] ?? '',
    ]

    assert.ok(g.store instanceof SqliteStore)
    const raw = Buffer.from(g.store.database.serialize())
    assert.ok(raw.includes(Buffer.from(id)), 'the raw content is the database')
    for (const secret of secrets) {
      assert.ok(secret.length >= 60)
      assert.ok(!raw.includes(Buffer.from(secret.slice(0, 24))), 'a secret in the database')
      assert.ok(!raw.includes(Buffer.from(secret.slice(-24))), 'a secret in the database')
    }
    // The passwords' own bytes, in case something decoded them before writing.
    for (const secret of secrets.slice(0, 2)) {
      const bytes = Buffer.from(secret, 'base64')
      assert.ok(!raw.includes(bytes.subarray(0, 16)), 'a password in plain bytes')
      assert.ok(!raw.includes(Buffer.from(bytes.toString('hex').slice(0, 32))), 'in hex')
    }
    const sealed = g.store.database
      .prepare('SELECT secret_sealed FROM service_specific_credentials WHERE credential_id = ?')
      .get(id) as { secret_sealed: Uint8Array }
    assert.ok(
      !Buffer.from(sealed.secret_sealed).includes(Buffer.from(reset['ServicePassword'] ?? '')),
    )

    const events = await g.trail.readTrailEvents(0, 10_000)
    const records = events
      .filter((e) =>
        ['CreateServiceSpecificCredential', 'ResetServiceSpecificCredential'].includes(e.eventName),
      )
      .map((e) => e.record)
      .filter((r) => r.includes('"secretive"'))
    assert.equal(records.length, 3)
    for (const record of records) {
      for (const secret of secrets) assert.ok(!record.includes(secret.slice(0, 24)), record)
      assert.ok(!/servicePassword|serviceCredentialSecret/i.test(record), record)
    }
    const resetRecord = JSON.parse(
      records.find((r) => r.includes('"eventName":"ResetServiceSpecificCredential"')) ?? '{}',
    ) as {
      requestParameters?: unknown
      responseElements?: { serviceSpecificCredential?: Record<string, unknown> }
    }
    assert.deepEqual(resetRecord.requestParameters, {
      userName: 'secretive',
      serviceSpecificCredentialId: id,
    })
    const shown = resetRecord.responseElements?.serviceSpecificCredential
    assert.deepEqual(Object.keys(shown ?? {}).sort(), [
      'createDate',
      'serviceName',
      'serviceSpecificCredentialId',
      'serviceUserName',
      'status',
      'userName',
    ])
    assert.equal(shown?.['serviceUserName'], `secretive-at-${ACCOUNT_ID}`)
    const keyRecord = JSON.parse(records.find((r) => r.includes(BEDROCK)) ?? '{}') as {
      responseElements?: { serviceSpecificCredential?: Record<string, unknown> }
    }
    assert.equal(
      keyRecord.responseElements?.serviceSpecificCredential?.['serviceCredentialAlias'],
      `secretive-at-${ACCOUNT_ID}`,
    )
  })
})

describe('IAM service-specific credentials: authorization', () => {
  let g: InProcess
  let self: Credentials
  const selfArn = `${ARN}:user/self`

  before(async () => {
    g = await startInProcess()
    self = await createUserWithKey(g, 'self')
    ok(await g.call('CreateUser', { UserName: 'other', Path: '/team/' }))
  })
  after(() => g.close())

  it('refuses a user without a policy, naming the user acted on', async () => {
    fails(
      await create(g, 'other', CODECOMMIT, {}, self),
      403,
      'AccessDenied',
      denial(selfArn, 'iam:CreateServiceSpecificCredential', `${ARN}:user/team/other`),
    )
    fails(
      await g.call('ListServiceSpecificCredentials', {}, { key: self }),
      403,
      'AccessDenied',
      denial(selfArn, 'iam:ListServiceSpecificCredentials', selfArn),
    )
    fails(
      await g.call('ListServiceSpecificCredentials', { AllUsers: 'true' }, { key: self }),
      403,
      'AccessDenied',
      denial(selfArn, 'iam:ListServiceSpecificCredentials', `${ARN}:user/*`),
    )
    for (const [action, extra] of [
      ['ResetServiceSpecificCredential', {}],
      ['UpdateServiceSpecificCredential', { Status: 'Inactive' }],
      ['DeleteServiceSpecificCredential', {}],
    ] as const) {
      fails(
        await g.call(
          action,
          { UserName: 'other', ServiceSpecificCredentialId: 'ACCAEXAMPLE123EXAMPLE', ...extra },
          { key: self },
        ),
        403,
        'AccessDenied',
        denial(selfArn, `iam:${action}`, `${ARN}:user/team/other`),
      )
    }
  })

  it("lets a user manage its own credentials without UserName, and no one else's", async () => {
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'self',
        PolicyName: 'OwnGitCredentials',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:*ServiceSpecificCredential*',
              Resource: `${ARN}:user/\${aws:username}`,
            },
          ],
        }),
      }),
    )
    const created = credentialOf(
      await create(g, 'self', CODECOMMIT, {}, self),
      'CreateServiceSpecificCredential',
    )
    const id = created['ServiceSpecificCredentialId'] ?? ''
    const mine = listedOf(await g.call('ListServiceSpecificCredentials', {}, { key: self }))
    assert.deepEqual(
      mine.map((c) => c['ServiceSpecificCredentialId']),
      [id],
    )
    const reset = credentialOf(
      await g.call(
        'ResetServiceSpecificCredential',
        { ServiceSpecificCredentialId: id },
        { key: self },
      ),
      'ResetServiceSpecificCredential',
    )
    assert.equal(reset['UserName'], 'self')
    ok(
      await g.call(
        'UpdateServiceSpecificCredential',
        { ServiceSpecificCredentialId: id, Status: 'Inactive' },
        { key: self },
      ),
    )
    fails(
      await create(g, 'other', CODECOMMIT, {}, self),
      403,
      'AccessDenied',
      denial(selfArn, 'iam:CreateServiceSpecificCredential', `${ARN}:user/team/other`),
    )
    ok(
      await g.call(
        'DeleteServiceSpecificCredential',
        { ServiceSpecificCredentialId: id },
        { key: self },
      ),
    )
  })

  it('puts the service and the age in the request context', async () => {
    const admin = await createUserWithKey(g, 'admin')
    const adminArn = `${ARN}:user/admin`
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'admin',
        PolicyName: 'BedrockKeysOnly',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:*ServiceSpecificCredential*',
              Resource: '*',
              Condition: {
                StringEquals: { 'iam:ServiceSpecificCredentialServiceName': BEDROCK },
                NumericLessThanEquals: { 'iam:ServiceSpecificCredentialAgeDays': '90' },
              },
            },
          ],
        }),
      }),
    )
    const notAllowed = (action: string): string =>
      `User: ${adminArn} is not authorized to perform: ${action} on resource: ${ARN}:user/team/other because no identity-based policy allows the ${action} action`
    fails(
      await create(g, 'other', CODECOMMIT, {}, admin),
      403,
      'AccessDenied',
      notAllowed('iam:CreateServiceSpecificCredential'),
    )
    fails(
      await create(g, 'other', BEDROCK, { CredentialAgeDays: '91' }, admin),
      403,
      'AccessDenied',
      notAllowed('iam:CreateServiceSpecificCredential'),
    )
    // No age at all: a key that never expires is not "at most 90 days".
    fails(
      await create(g, 'other', BEDROCK, {}, admin),
      403,
      'AccessDenied',
      notAllowed('iam:CreateServiceSpecificCredential'),
    )
    ok(await create(g, 'other', BEDROCK, { CredentialAgeDays: '90' }, admin))

    // An existing credential's service decides Update, Reset and Delete.
    const git = credentialOf(await create(g, 'other'), 'CreateServiceSpecificCredential')
    const gitId = git['ServiceSpecificCredentialId'] ?? ''
    fails(
      await g.call(
        'DeleteServiceSpecificCredential',
        { UserName: 'other', ServiceSpecificCredentialId: gitId },
        { key: admin },
      ),
      403,
      'AccessDenied',
      notAllowed('iam:DeleteServiceSpecificCredential'),
    )
    ok(
      await g.call('DeleteServiceSpecificCredential', {
        UserName: 'other',
        ServiceSpecificCredentialId: gitId,
      }),
    )
  })

  it('gives the root user an empty list of its own, and no credential to change', async () => {
    const r = await g.call('ListServiceSpecificCredentials')
    assert.deepEqual(listedOf(r), [])
    fails(
      await g.call('ResetServiceSpecificCredential', {
        ServiceSpecificCredentialId: 'ACCAEXAMPLE123EXAMPLE',
      }),
      404,
      'NoSuchEntity',
      'No such credential ACCAEXAMPLE123EXAMPLE exists',
    )
  })
})
