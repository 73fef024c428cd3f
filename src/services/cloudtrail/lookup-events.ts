/**
 * CloudTrail's LookupEvents over the audit trail: the caller's account's events, newest first,
 * filtered by at most one lookup attribute and a time range, a page at a time (botocore
 * cloudtrail/2013-11-01, LookupEventsRequest and Event; AWS CloudTrail API Reference,
 * LookupEvents).
 *
 * AWS's messages for these errors are not on record; the ones here are written in AWS's manner
 * from the model's own descriptions of each exception, and say what was wrong.
 */
import type { JsonObject, JsonValue } from '../../protocol/json/decode-json.js'
import type { JsonOutputObject } from '../../protocol/json/encode-json.js'
import {
  readInteger,
  readList,
  readString,
  readStructure,
  readTimestamp,
} from '../../protocol/json/read-json.js'
import { TrailQueryError } from '../../store/trail-query-error.js'
import type { StoredTrailEvent, TrailQuery } from '../../store/trail-store.js'
import { cloudTrailError } from './cloudtrail-errors.js'
import type { JsonOperation, JsonOperationContext } from './json-operation.js'

/** A lookup attribute's key (the model's LookupAttributeKey enum). */
export type LookupAttributeKey = NonNullable<TrailQuery['attribute']>['key']

/** The model's LookupAttributeKey enum, in its order. */
export const LOOKUP_ATTRIBUTE_KEYS: readonly LookupAttributeKey[] = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
]

/** MaxResults' range, and its default (the model's MaxResults shape; "The default is 50"). */
export const MAX_RESULTS = { min: 1, max: 50 } as const

/** LookupAttributeValue's longest value, with `_`, space, `,` and newline counted twice. */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 2000

// "The following characters ('_', ' ', ',', '\\n') count as two characters towards the 2000
// character limit" (LookupAttribute.AttributeValue).
const COUNTED_TWICE = /[_ ,\n]/g

/** The input as its members' JSON types were read, before CloudTrail's own checks. */
interface RawInput {
  readonly attributes: readonly { readonly key?: string; readonly value?: string }[] | undefined
  readonly startTime: Date | undefined
  readonly endTime: Date | undefined
  readonly eventCategory: string | undefined
  readonly maxResults: number | undefined
  readonly nextToken: string | undefined
}

function readAttribute(item: JsonValue): { key?: string; value?: string } {
  // A null item of the list is an item without members, refused below as missing its key.
  const attribute = readStructure(item) ?? {}
  const key = readString(attribute['AttributeKey'])
  const value = readString(attribute['AttributeValue'])
  return { ...(key === undefined ? {} : { key }), ...(value === undefined ? {} : { value }) }
}

function readInput(input: JsonObject): RawInput {
  return {
    attributes: readList(input['LookupAttributes'])?.map(readAttribute),
    startTime: readTimestamp(input['StartTime']),
    endTime: readTimestamp(input['EndTime']),
    eventCategory: readString(input['EventCategory']),
    maxResults: readInteger(input['MaxResults']),
    nextToken: readString(input['NextToken']),
  }
}

function isAttributeKey(key: string): key is LookupAttributeKey {
  return (LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)
}

/** The attribute's length as CloudTrail counts it toward the 2000-character limit. */
export function attributeValueLength(value: string): number {
  return [...value].length + (value.match(COUNTED_TWICE)?.length ?? 0)
}

function checkAttribute(
  attributes: RawInput['attributes'],
): NonNullable<TrailQuery['attribute']> | undefined {
  if (attributes === undefined || attributes.length === 0) return undefined
  if (attributes.length > 1) {
    throw cloudTrailError(
      'InvalidLookupAttributesException',
      `You can specify only one lookup attribute; the request specifies ${attributes.length}.`,
    )
  }
  const [{ key, value } = {}] = attributes
  if (key === undefined) {
    throw cloudTrailError(
      'InvalidLookupAttributesException',
      'The lookup attribute must have an AttributeKey.',
    )
  }
  if (!isAttributeKey(key)) {
    throw cloudTrailError(
      'InvalidLookupAttributesException',
      `The lookup attribute key ${key} is not valid. Specify one of: ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}.`,
    )
  }
  if (value === undefined) {
    throw cloudTrailError(
      'InvalidLookupAttributesException',
      'The lookup attribute must have an AttributeValue.',
    )
  }
  const length = attributeValueLength(value)
  if (length < 1 || length > MAX_ATTRIBUTE_VALUE_LENGTH) {
    throw cloudTrailError(
      'InvalidLookupAttributesException',
      `The lookup attribute value must be 1 to ${MAX_ATTRIBUTE_VALUE_LENGTH} characters long, with '_', ' ', ',' and newline counted as two; it is ${length}.`,
    )
  }
  // ReadOnly is a yes-or-no question: CloudTrail's own values for it are these two strings.
  if (key === 'ReadOnly' && value !== 'true' && value !== 'false') {
    throw cloudTrailError(
      'InvalidLookupAttributesException',
      `The value of the ReadOnly lookup attribute must be true or false, not ${value}.`,
    )
  }
  return { key, value }
}

function checkTimeRange(start: Date | undefined, end: Date | undefined): void {
  for (const [name, time] of [
    ['StartTime', start],
    ['EndTime', end],
  ] as const) {
    if (time !== undefined && Number.isNaN(time.getTime())) {
      throw cloudTrailError(
        'InvalidTimeRangeException',
        `The ${name} is outside the range of possible times.`,
      )
    }
  }
  if (start !== undefined && end !== undefined && start.getTime() > end.getTime()) {
    throw cloudTrailError(
      'InvalidTimeRangeException',
      'The StartTime must not be after the EndTime.',
    )
  }
}

function checkMaxResults(maxResults: number | undefined): void {
  if (maxResults === undefined) return
  if (maxResults < MAX_RESULTS.min || maxResults > MAX_RESULTS.max) {
    throw cloudTrailError(
      'InvalidMaxResultsException',
      `The MaxResults value ${maxResults} is not valid. Specify a value from ${MAX_RESULTS.min} through ${MAX_RESULTS.max}.`,
    )
  }
}

function checkEventCategory(category: string | undefined): void {
  if (category !== undefined && category !== 'insight') {
    throw cloudTrailError(
      'InvalidEventCategoryException',
      `The event category ${category} is not valid. The valid value is insight.`,
    )
  }
}

/** The message of InvalidNextTokenException (the model: "a token that is not valid, or ..."). */
export const INVALID_NEXT_TOKEN_MESSAGE =
  'The NextToken is not valid, or was returned for a request with different parameters.'

/** One event as LookupEvents returns it (the model's Event, in its member order). */
export function eventResult(event: StoredTrailEvent): JsonOutputObject {
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    // A string, not a boolean: the model's Event.ReadOnly is a String, "true" or "false".
    ReadOnly: event.readOnly ? 'true' : 'false',
    AccessKeyId: event.accessKeyId ?? undefined,
    EventTime: event.eventTime,
    EventSource: event.eventSource,
    Username: event.username ?? undefined,
    Resources: event.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: event.record,
  }
}

async function lookup(raw: RawInput, ctx: JsonOperationContext): Promise<JsonOutputObject> {
  const attribute = checkAttribute(raw.attributes)
  checkTimeRange(raw.startTime, raw.endTime)
  checkMaxResults(raw.maxResults)
  checkEventCategory(raw.eventCategory)
  // Insights events are the only ones of that category, and the trail records none.
  if (raw.eventCategory === 'insight') return { Events: [] }
  const query: TrailQuery = {
    // Only the caller's own account's events, whoever signs.
    accountId: ctx.caller.accountId,
    ...(attribute === undefined ? {} : { attribute }),
    ...(raw.startTime === undefined ? {} : { startTime: raw.startTime }),
    ...(raw.endTime === undefined ? {} : { endTime: raw.endTime }),
    maxResults: raw.maxResults ?? MAX_RESULTS.max,
    ...(raw.nextToken === undefined ? {} : { nextToken: raw.nextToken }),
  }
  let page
  try {
    page = await ctx.trail.lookupTrailEvents(query)
  } catch (err) {
    if (err instanceof TrailQueryError) {
      throw cloudTrailError('InvalidNextTokenException', INVALID_NEXT_TOKEN_MESSAGE, {
        cause: err,
      })
    }
    throw err
  }
  return {
    Events: page.events.map(eventResult),
    NextToken: page.nextToken ?? undefined,
  }
}

/** LookupEvents, authorized as cloudtrail:LookupEvents, which has no resource type. */
export const LOOKUP_EVENTS: JsonOperation = {
  name: 'LookupEvents',
  action: 'cloudtrail:LookupEvents',
  readOnly: true,
  prepare(input) {
    const raw = readInput(input)
    return { resource: '*', handle: (ctx) => lookup(raw, ctx) }
  },
}
