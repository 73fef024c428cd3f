/**
 * The input shapes of the delegation request operations, with the model's constraints (botocore's
 * iam/2010-05-08 service-2.json: CreateDelegationRequestRequest and the others).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'
import { ARN, MARKER, MAX_ITEMS, required } from './shapes.js'

// The free text of the model's delegation shapes: tab, LF, CR, printable ASCII and Latin-1.
const FREE_TEXT = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]'

/** delegationRequestIdType. */
export const DELEGATION_REQUEST_ID = {
  kind: 'string',
  min: 16,
  max: 128,
  pattern: queryPattern('[\\w-]+'),
} as const

/** accountIdType. */
export const ACCOUNT_ID = { kind: 'string', pattern: queryPattern('\\d{12}') } as const

/** delegationRequestDescriptionType. */
export const DESCRIPTION = {
  kind: 'string',
  max: 1000,
  pattern: queryPattern(`${FREE_TEXT}*`),
} as const

/** requestMessageType. */
export const REQUEST_MESSAGE = {
  kind: 'string',
  max: 200,
  pattern: queryPattern(`${FREE_TEXT}*`),
} as const

/** requestorWorkflowIdType. */
export const REQUESTOR_WORKFLOW_ID = {
  kind: 'string',
  min: 5,
  max: 400,
  pattern: queryPattern(`${FREE_TEXT}+`),
} as const

/** redirectUrlType. */
export const REDIRECT_URL = {
  kind: 'string',
  min: 1,
  max: 255,
  pattern: queryPattern('^http(s?)://[a-zA-Z0-9._/-]*(\\?[a-zA-Z0-9._=&-]*)?(#[a-zA-Z0-9._/-]*)?$'),
} as const

/** notificationChannelType. */
export const NOTIFICATION_CHANNEL = {
  kind: 'string',
  min: 2,
  max: 400,
  pattern: queryPattern('^[a-zA-Z0-9:_.-]+$'),
} as const

/** sessionDurationType. */
export const SESSION_DURATION = { kind: 'integer', min: 300, max: 43200 } as const

/** notesType. */
export const NOTES = { kind: 'string', max: 500, pattern: queryPattern(`${FREE_TEXT}*`) } as const

/** ownerIdType. */
export const OWNER_ID = {
  kind: 'string',
  min: 20,
  max: 2048,
  pattern: queryPattern('^[a-zA-Z0-9:/+=,.@_-]+$'),
} as const

/** localeType. */
export const LOCALE = { kind: 'string', min: 2, max: 12 } as const

const PRINTABLE = queryPattern('[ -~]+')

/** PolicyParameter: a template parameter's name, its values and its type. */
export const POLICY_PARAMETER = {
  kind: 'structure',
  members: {
    Name: { kind: 'string', min: 5, max: 256, pattern: PRINTABLE },
    Values: { kind: 'list', member: { kind: 'string', pattern: PRINTABLE } },
    Type: { kind: 'string', enum: ['string', 'stringList'] },
  },
} as const

/** DelegationPermission: the template and its parameters. */
export const DELEGATION_PERMISSION = {
  kind: 'structure',
  members: {
    PolicyTemplateArn: ARN,
    Parameters: { kind: 'list', member: POLICY_PARAMETER, max: 50 },
  },
} as const

/** CreateDelegationRequestRequest. */
export const CREATE_DELEGATION_REQUEST_INPUT = {
  kind: 'structure',
  members: {
    OwnerAccountId: ACCOUNT_ID,
    Description: required(DESCRIPTION),
    Permissions: required(DELEGATION_PERMISSION),
    RequestMessage: REQUEST_MESSAGE,
    RequestorWorkflowId: required(REQUESTOR_WORKFLOW_ID),
    RedirectUrl: REDIRECT_URL,
    NotificationChannel: required(NOTIFICATION_CHANNEL),
    SessionDuration: required(SESSION_DURATION),
    OnlySendByOwner: { kind: 'boolean' },
  },
} as const

/** The input of the operations that name one request and nothing else. */
export const REQUEST_ID_INPUT = {
  kind: 'structure',
  members: { DelegationRequestId: required(DELEGATION_REQUEST_ID) },
} as const

/** GetDelegationRequestRequest. */
export const GET_DELEGATION_REQUEST_INPUT = {
  kind: 'structure',
  members: {
    DelegationRequestId: required(DELEGATION_REQUEST_ID),
    DelegationPermissionCheck: { kind: 'boolean' },
  },
} as const

/** RejectDelegationRequestRequest and UpdateDelegationRequestRequest. */
export const REQUEST_ID_AND_NOTES_INPUT = {
  kind: 'structure',
  members: { DelegationRequestId: required(DELEGATION_REQUEST_ID), Notes: NOTES },
} as const

/** ListDelegationRequestsRequest. */
export const LIST_DELEGATION_REQUESTS_INPUT = {
  kind: 'structure',
  members: { OwnerId: OWNER_ID, Marker: MARKER, MaxItems: MAX_ITEMS },
} as const

/** GetHumanReadableSummaryRequest. */
export const GET_HUMAN_READABLE_SUMMARY_INPUT = {
  kind: 'structure',
  members: { EntityArn: required(ARN), Locale: LOCALE },
} as const
