/**
 * CloudTrail's LookupEvents through the awsJson path in process, over an in-memory trail: every
 * lookup attribute, the time range, MaxResults and paging with NextToken, the caller's account
 * only, each error with CloudTrail's code, status and message, and the authorization of
 * cloudtrail:LookupEvents (a denial, an explicit deny, a role session).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  INVALID_NEXT_TOKEN_MESSAGE,
  attributeValueLength,
} from '../../src/services/cloudtrail/lookup-events.js'
import type { StoredTrailEvent } from '../../src/store/trail-store.js'
import { sampleEvent, startJsonInProcess } from '../support/json-in-process.js'
import type { JsonInProcess, JsonReply } from '../support/json-in-process.js'
import { ACCOUNT_ID, createUserWithKey, policy } from '../support/in-process.js'
import type { Credentials } from '../support/in-process.js'
import { createRole, credentialsOf, sts, trustPolicy } from '../support/temporary-credentials.js'

const OTHER_ACCOUNT = '999999999999'

interface WireEvent {
  readonly EventId: string
  readonly EventName: string
  readonly ReadOnly: string
  readonly AccessKeyId?: string
  readonly EventTime: number
  readonly EventSource: string
  readonly Username?: string
  readonly Resources: { ResourceType: string; ResourceName: string }[]
  readonly CloudTrailEvent: string
}

interface WireResult {
  readonly Events: WireEvent[]
  readonly NextToken?: string
}

function result(r: JsonReply): WireResult {
  assert.equal(r.status, 200, r.body)
  return r.json as WireResult
}

function names(r: JsonReply): string[] {
  return result(r).Events.map((e) => e.EventName)
}

/** Every page of a lookup, MaxResults at a time. */
async function allPages(
  t: JsonInProcess,
  input: Record<string, unknown>,
  maxResults: number,
  key?: Credentials,
): Promise<{ events: WireEvent[]; pages: number }> {
  const events: WireEvent[] = []
  let token: string | undefined
  let pages = 0
  do {
    const page = result(
      await t.call(
        { ...input, MaxResults: maxResults, ...(token === undefined ? {} : { NextToken: token }) },
        key === undefined ? {} : { key },
      ),
    )
    pages += 1
    assert.ok(page.Events.length <= maxResults)
    events.push(...page.Events)
    token = page.NextToken
  } while (token !== undefined)
  return { events, pages }
}

describe('LookupEvents', () => {
  let t: JsonInProcess
  let stored: readonly StoredTrailEvent[]

  before(async () => {
    t = await startJsonInProcess()
    stored = await t.trail.appendTrailEvents([
      sampleEvent({
        eventName: 'CreateUser',
        time: '2026-03-15T10:00:00Z',
        resources: [{ type: 'AWS::IAM::User', name: 'bob' }],
      }),
      sampleEvent({
        eventName: 'GetUser',
        time: '2026-03-15T10:05:00Z',
        username: 'bob',
        accessKeyId: 'AKIAEXAMPLEBOB000001',
        resources: [{ type: 'AWS::IAM::User', name: 'bob' }],
      }),
      sampleEvent({
        eventName: 'AssumeRole',
        time: '2026-03-15T10:10:00.250Z',
        eventSource: 'sts.amazonaws.com',
        resources: [
          { type: 'AWS::IAM::Role', name: 'arn:aws:iam::123456789012:role/deploy' },
          { type: 'AWS::STS::AssumedRole', name: 'deploy-session' },
        ],
      }),
      // Two events at the same instant: the later appended comes first.
      sampleEvent({ eventName: 'ListUsers', time: '2026-03-15T10:15:00Z' }),
      sampleEvent({ eventName: 'ListRoles', time: '2026-03-15T10:15:00Z' }),
      // An unauthenticated call: no user, no key.
      sampleEvent({
        eventName: 'GetCallerIdentity',
        time: '2026-03-15T10:20:00Z',
        eventSource: 'sts.amazonaws.com',
        username: null,
        accessKeyId: null,
      }),
      sampleEvent({ eventName: 'DeleteUser', time: '2026-03-15T10:25:00Z' }),
      // Other accounts' events, and one of no account, are never the caller's.
      sampleEvent({
        eventName: 'CreateUser',
        time: '2026-03-15T10:30:00Z',
        accountId: OTHER_ACCOUNT,
      }),
      sampleEvent({ eventName: 'CreateUser', time: '2026-03-15T10:31:00Z', accountId: null }),
    ])
  })
  after(() => t.close())

  const OWN_NEWEST_FIRST = [
    'DeleteUser',
    'GetCallerIdentity',
    'ListRoles',
    'ListUsers',
    'AssumeRole',
    'GetUser',
    'CreateUser',
  ]

  it("returns the caller's account's events, newest first, without a NextToken", async () => {
    const r = await t.call({})
    assert.deepEqual(names(r), OWN_NEWEST_FIRST)
    assert.equal(result(r).NextToken, undefined)
    assert.ok(!('NextToken' in result(r)))
  })

  it('answers an empty body as the empty input', async () => {
    assert.deepEqual(names(await t.call('')), OWN_NEWEST_FIRST)
  })

  it('returns each event as the model shapes it, the record as a JSON string', async () => {
    const getUser = stored[1]
    assert.ok(getUser !== undefined)
    const r = await t.call({
      LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: getUser.eventId }],
    })
    const [event] = result(r).Events
    assert.deepEqual(event, {
      EventId: getUser.eventId,
      EventName: 'GetUser',
      ReadOnly: 'true',
      AccessKeyId: 'AKIAEXAMPLEBOB000001',
      EventTime: Date.parse('2026-03-15T10:05:00Z') / 1000,
      EventSource: 'iam.amazonaws.com',
      Username: 'bob',
      Resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: 'bob' }],
      CloudTrailEvent: getUser.record,
    })
    // The member order of the model's Event, as CloudTrail sends it.
    assert.deepEqual(Object.keys(event ?? {}), [
      'EventId',
      'EventName',
      'ReadOnly',
      'AccessKeyId',
      'EventTime',
      'EventSource',
      'Username',
      'Resources',
      'CloudTrailEvent',
    ])
    assert.equal(
      (JSON.parse(event?.CloudTrailEvent ?? '{}') as { eventID: string }).eventID,
      getUser.eventId,
    )
  })

  it('sends EventTime as epoch seconds with milliseconds, ReadOnly as "false"', async () => {
    const r = await t.call({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }],
    })
    const [event] = result(r).Events
    assert.equal(event?.EventTime, 1773569400.25)
    assert.equal(event?.ReadOnly, 'false')
    assert.match(r.body, /"EventTime":1773569400\.25[,}]/)
  })

  it('leaves out Username and AccessKeyId where the event has none, Resources empty', async () => {
    const r = await t.call({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }],
    })
    const [event] = result(r).Events
    assert.ok(event !== undefined)
    assert.ok(!('Username' in event))
    assert.ok(!('AccessKeyId' in event))
    assert.deepEqual(event.Resources, [])
  })

  const FILTERS: readonly { key: string; value: string; expected: string[] }[] = [
    { key: 'EventName', value: 'CreateUser', expected: ['CreateUser'] },
    { key: 'EventName', value: 'createuser', expected: [] },
    {
      key: 'ReadOnly',
      value: 'true',
      expected: ['GetCallerIdentity', 'ListRoles', 'ListUsers', 'GetUser'],
    },
    { key: 'ReadOnly', value: 'false', expected: ['DeleteUser', 'AssumeRole', 'CreateUser'] },
    { key: 'Username', value: 'bob', expected: ['GetUser'] },
    {
      key: 'Username',
      value: 'alice',
      expected: ['DeleteUser', 'ListRoles', 'ListUsers', 'AssumeRole', 'CreateUser'],
    },
    { key: 'ResourceType', value: 'AWS::IAM::User', expected: ['GetUser', 'CreateUser'] },
    { key: 'ResourceType', value: 'AWS::STS::AssumedRole', expected: ['AssumeRole'] },
    { key: 'ResourceName', value: 'bob', expected: ['GetUser', 'CreateUser'] },
    {
      key: 'ResourceName',
      value: 'arn:aws:iam::123456789012:role/deploy',
      expected: ['AssumeRole'],
    },
    {
      key: 'EventSource',
      value: 'sts.amazonaws.com',
      expected: ['GetCallerIdentity', 'AssumeRole'],
    },
    { key: 'AccessKeyId', value: 'AKIAEXAMPLEBOB000001', expected: ['GetUser'] },
    { key: 'EventId', value: 'no-such-event', expected: [] },
  ]
  for (const { key, value, expected } of FILTERS) {
    it(`filters on ${key} = ${value}`, async () => {
      const r = await t.call({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] })
      assert.deepEqual(names(r), expected)
    })
  }

  it("filters on EventId, within the caller's account only", async () => {
    const own = stored[0]
    const other = stored[7]
    assert.ok(own !== undefined && other !== undefined)
    const found = await t.call({
      LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: own.eventId }],
    })
    assert.deepEqual(
      result(found).Events.map((e) => e.EventId),
      [own.eventId],
    )
    const foreign = await t.call({
      LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: other.eventId }],
    })
    assert.deepEqual(result(foreign).Events, [])
  })

  it('takes an empty LookupAttributes list as no filter', async () => {
    assert.deepEqual(names(await t.call({ LookupAttributes: [] })), OWN_NEWEST_FIRST)
  })

  const seconds = (iso: string): number => Date.parse(iso) / 1000

  it('bounds the events by StartTime and EndTime, both inclusive', async () => {
    const r = await t.call({
      StartTime: seconds('2026-03-15T10:05:00Z'),
      EndTime: seconds('2026-03-15T10:15:00Z'),
    })
    assert.deepEqual(names(r), ['ListRoles', 'ListUsers', 'AssumeRole', 'GetUser'])
    assert.deepEqual(names(await t.call({ StartTime: seconds('2026-03-15T10:20:00Z') })), [
      'DeleteUser',
      'GetCallerIdentity',
    ])
    assert.deepEqual(names(await t.call({ EndTime: seconds('2026-03-15T10:04:59Z') })), [
      'CreateUser',
    ])
  })

  it('reads fractional epoch seconds to the millisecond', async () => {
    const at = seconds('2026-03-15T10:10:00.250Z')
    assert.deepEqual(names(await t.call({ StartTime: at, EndTime: at })), ['AssumeRole'])
    assert.deepEqual(names(await t.call({ StartTime: at + 0.001, EndTime: at + 60 })), [])
  })

  it('takes StartTime equal to EndTime, and combines a range with an attribute', async () => {
    const r = await t.call({
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
      StartTime: seconds('2026-03-15T10:10:00Z'),
      EndTime: seconds('2026-03-15T10:30:00Z'),
    })
    assert.deepEqual(names(r), ['GetCallerIdentity', 'ListRoles', 'ListUsers'])
  })

  it('returns MaxResults events a page, and every event once across the pages', async () => {
    for (const size of [1, 2, 3, 7, 50]) {
      const { events, pages } = await allPages(t, {}, size)
      assert.deepEqual(
        events.map((e) => e.EventName),
        OWN_NEWEST_FIRST,
        `MaxResults ${size}`,
      )
      assert.equal(pages, Math.max(1, Math.ceil(OWN_NEWEST_FIRST.length / size)))
    }
  })

  it('pages a filtered lookup with its NextToken, ties at one instant in order', async () => {
    const input = {
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }],
      StartTime: seconds('2026-03-15T09:00:00Z'),
    }
    const { events, pages } = await allPages(t, input, 2)
    assert.deepEqual(
      events.map((e) => e.EventName),
      ['DeleteUser', 'ListRoles', 'ListUsers', 'AssumeRole', 'CreateUser'],
    )
    assert.equal(pages, 3)
  })

  it('refuses a NextToken with other parameters than the call that returned it', async () => {
    const first = result(await t.call({ MaxResults: 2 }))
    assert.ok(first.NextToken !== undefined)
    const other = await t.call({
      MaxResults: 2,
      NextToken: first.NextToken,
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
    })
    assert.equal(other.status, 400)
    assert.deepEqual(other.error, {
      code: 'InvalidNextTokenException',
      message: INVALID_NEXT_TOKEN_MESSAGE,
    })
    const later = await t.call({
      MaxResults: 2,
      NextToken: first.NextToken,
      EndTime: seconds('2026-03-15T10:15:00Z'),
    })
    assert.equal(later.error?.code, 'InvalidNextTokenException')
    // With the same parameters it still works.
    const same = await t.call({ MaxResults: 2, NextToken: first.NextToken })
    assert.deepEqual(names(same), ['ListRoles', 'ListUsers'])
  })

  for (const token of ['', 'not-a-token', Buffer.from('{"q":1}').toString('base64url')]) {
    it(`refuses the NextToken ${JSON.stringify(token)}`, async () => {
      const r = await t.call({ NextToken: token })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'InvalidNextTokenException',
        message: INVALID_NEXT_TOKEN_MESSAGE,
      })
    })
  }

  it('answers EventCategory insight with no events: the trail records no Insights events', async () => {
    const r = await t.call({ EventCategory: 'insight' })
    assert.deepEqual(result(r), { Events: [] })
  })

  const attribute = (key: string, value: string) => ({
    LookupAttributes: [{ AttributeKey: key, AttributeValue: value }],
  })

  const ERRORS: readonly {
    name: string
    input: Record<string, unknown>
    code: string
    message: string
  }[] = [
    {
      name: 'two lookup attributes',
      input: {
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'CreateUser' },
          { AttributeKey: 'Username', AttributeValue: 'alice' },
        ],
      },
      code: 'InvalidLookupAttributesException',
      message: 'You can specify only one lookup attribute; the request specifies 2.',
    },
    {
      name: 'an unknown attribute key',
      input: attribute('UserName', 'alice'),
      code: 'InvalidLookupAttributesException',
      message:
        'The lookup attribute key UserName is not valid. Specify one of: EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId.',
    },
    {
      name: 'an attribute without its key',
      input: { LookupAttributes: [{ AttributeValue: 'alice' }] },
      code: 'InvalidLookupAttributesException',
      message: 'The lookup attribute must have an AttributeKey.',
    },
    {
      name: 'a null attribute',
      input: { LookupAttributes: [null] },
      code: 'InvalidLookupAttributesException',
      message: 'The lookup attribute must have an AttributeKey.',
    },
    {
      name: 'an attribute without its value',
      input: { LookupAttributes: [{ AttributeKey: 'Username' }] },
      code: 'InvalidLookupAttributesException',
      message: 'The lookup attribute must have an AttributeValue.',
    },
    {
      name: 'an empty attribute value',
      input: attribute('Username', ''),
      code: 'InvalidLookupAttributesException',
      message:
        "The lookup attribute value must be 1 to 2000 characters long, with '_', ' ', ',' and newline counted as two; it is 0.",
    },
    {
      name: 'an attribute value of 2001 characters',
      input: attribute('EventName', 'x'.repeat(2001)),
      code: 'InvalidLookupAttributesException',
      message:
        "The lookup attribute value must be 1 to 2000 characters long, with '_', ' ', ',' and newline counted as two; it is 2001.",
    },
    {
      name: "an attribute value of 1000 '_' and one more character",
      input: attribute('EventName', `${'_'.repeat(1000)}x`),
      code: 'InvalidLookupAttributesException',
      message:
        "The lookup attribute value must be 1 to 2000 characters long, with '_', ' ', ',' and newline counted as two; it is 2001.",
    },
    {
      name: 'a ReadOnly value other than true or false',
      input: attribute('ReadOnly', 'TRUE'),
      code: 'InvalidLookupAttributesException',
      message: 'The value of the ReadOnly lookup attribute must be true or false, not TRUE.',
    },
    {
      name: 'StartTime after EndTime',
      input: { StartTime: 1773568800, EndTime: 1773568799.999 },
      code: 'InvalidTimeRangeException',
      message: 'The StartTime must not be after the EndTime.',
    },
    {
      name: 'a StartTime beyond the range of times',
      input: { StartTime: 1e13 },
      code: 'InvalidTimeRangeException',
      message: 'The StartTime is outside the range of possible times.',
    },
    {
      name: 'an EndTime beyond the range of times',
      input: { EndTime: -1e13 },
      code: 'InvalidTimeRangeException',
      message: 'The EndTime is outside the range of possible times.',
    },
    {
      name: 'MaxResults 0',
      input: { MaxResults: 0 },
      code: 'InvalidMaxResultsException',
      message: 'The MaxResults value 0 is not valid. Specify a value from 1 through 50.',
    },
    {
      name: 'MaxResults 51',
      input: { MaxResults: 51 },
      code: 'InvalidMaxResultsException',
      message: 'The MaxResults value 51 is not valid. Specify a value from 1 through 50.',
    },
    {
      name: 'MaxResults -1',
      input: { MaxResults: -1 },
      code: 'InvalidMaxResultsException',
      message: 'The MaxResults value -1 is not valid. Specify a value from 1 through 50.',
    },
    {
      name: 'an EventCategory other than insight',
      input: { EventCategory: 'management' },
      code: 'InvalidEventCategoryException',
      message: 'The event category management is not valid. The valid value is insight.',
    },
    {
      name: 'an EventCategory in another case',
      input: { EventCategory: 'Insight' },
      code: 'InvalidEventCategoryException',
      message: 'The event category Insight is not valid. The valid value is insight.',
    },
  ]
  for (const { name, input, code, message } of ERRORS) {
    it(`refuses ${name}: ${code}`, async () => {
      const r = await t.call(input)
      assert.equal(r.status, 400, r.body)
      assert.deepEqual(r.error, { code, message })
      assert.deepEqual(Object.keys(r.json as object), ['__type', 'message'])
    })
  }

  it("counts '_', space, ',' and newline twice toward the 2000-character limit", async () => {
    assert.equal(attributeValueLength('a_b c,d\ne'), 13)
    // 2000 exactly is allowed.
    const r = await t.call(attribute('EventName', '_'.repeat(1000)))
    assert.deepEqual(result(r).Events, [])
    // Characters are counted, not UTF-16 units.
    const astral = await t.call(attribute('EventName', '😀'.repeat(2000)))
    assert.deepEqual(result(astral).Events, [])
  })

  it('accepts MaxResults 1 and 50, the bounds', async () => {
    assert.equal(result(await t.call({ MaxResults: 1 })).Events.length, 1)
    assert.equal(result(await t.call({ MaxResults: 50 })).Events.length, 7)
  })
})

describe('LookupEvents authorization', () => {
  let t: JsonInProcess
  let reader: Credentials
  let nobody: Credentials
  let denied: Credentials
  let wrongResource: Credentials

  before(async () => {
    t = await startJsonInProcess()
    await t.trail.appendTrailEvents([
      sampleEvent({ eventName: 'CreateUser', time: '2026-03-15T10:00:00Z' }),
      sampleEvent({
        eventName: 'CreateUser',
        time: '2026-03-15T10:01:00Z',
        accountId: OTHER_ACCOUNT,
      }),
    ])
    const { g } = t
    reader = await createUserWithKey(g, 'reader', { Path: '/audit/' })
    await g.call('PutUserPolicy', {
      UserName: 'reader',
      PolicyName: 'Lookup',
      PolicyDocument: policy('Allow', 'cloudtrail:LookupEvents'),
    })
    nobody = await createUserWithKey(g, 'nobody')
    denied = await createUserWithKey(g, 'denied')
    await g.call('PutUserPolicy', {
      UserName: 'denied',
      PolicyName: 'All',
      PolicyDocument: policy('Allow', 'cloudtrail:*'),
    })
    await g.call('PutUserPolicy', {
      UserName: 'denied',
      PolicyName: 'NoLookup',
      PolicyDocument: policy('Deny', 'cloudtrail:Lookup*'),
    })
    wrongResource = await createUserWithKey(g, 'trails-only')
    await g.call('PutUserPolicy', {
      UserName: 'trails-only',
      PolicyName: 'Trails',
      PolicyDocument: policy('Allow', 'cloudtrail:LookupEvents', 'arn:aws:cloudtrail:*:*:trail/*'),
    })
  })
  after(() => t.close())

  it('lets a user whose policy allows cloudtrail:LookupEvents look up its account', async () => {
    const r = await t.call({}, { key: reader })
    assert.deepEqual(names(r), ['CreateUser'])
  })

  it('denies a user without policies with AccessDeniedException (400) and AWS message', async () => {
    const r = await t.call({}, { key: nobody })
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT_ID}:user/nobody is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
    })
  })

  it('denies on an explicit deny, whatever else allows', async () => {
    const r = await t.call({}, { key: denied })
    assert.equal(r.status, 400)
    assert.equal(r.error?.code, 'AccessDeniedException')
    assert.match(
      r.error?.message ?? '',
      new RegExp(
        `^User: arn:aws:iam::${ACCOUNT_ID}:user/denied is not authorized to perform: cloudtrail:LookupEvents with an explicit deny in an identity-based policy`,
      ),
    )
  })

  it('denies a policy that names a resource: LookupEvents is authorized on *', async () => {
    const r = await t.call({}, { key: wrongResource })
    assert.equal(r.error?.code, 'AccessDeniedException')
  })

  it("authorizes before CloudTrail's own checks: a denied caller learns nothing of its input", async () => {
    const r = await t.call({ MaxResults: 0 }, { key: nobody })
    assert.equal(r.error?.code, 'AccessDeniedException')
  })

  it('answers a role session allowed by its role, for its account', async () => {
    const { g } = t
    await createRole(
      g,
      {
        name: 'auditor',
        path: '/',
        assumeRolePolicyDocument: trustPolicy(`arn:aws:iam::${ACCOUNT_ID}:user/audit/reader`),
      },
      { Lookup: policy('Allow', 'cloudtrail:LookupEvents') },
    )
    await g.call('PutUserPolicy', {
      UserName: 'reader',
      PolicyName: 'Assume',
      PolicyDocument: policy('Allow', 'sts:AssumeRole'),
    })
    const assumed = await sts(
      g,
      'AssumeRole',
      { RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/auditor`, RoleSessionName: 'audit' },
      reader,
    )
    assert.equal(assumed.status, 200, assumed.body)
    const session = credentialsOf(assumed, 'AssumeRole')
    const r = await t.call({}, { key: session, sessionToken: session.sessionToken })
    assert.deepEqual(names(r), ['CreateUser'])
    // Without its token, the session's key is unknown.
    const bare = await t.call({}, { key: session })
    assert.equal(bare.status, 403)
    assert.equal(bare.error?.code, 'InvalidClientTokenId')
  })
})
