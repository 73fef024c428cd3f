/**
 * A console sign-in as CloudTrail records it: a `ConsoleLogin` event of `signin.amazonaws.com`,
 * of type AwsConsoleSignIn, with responseElements {"ConsoleLogin": "Success" | "Failure"} and
 * additionalEventData {LoginTo, MobileVersion, MFAIdentifier, MFAUsed} (CloudTrail User Guide,
 * "AWS console sign-in events"). An IAM user's failed sign-in shows its name with an empty
 * accessKeyId and no ARN; a name that is no user of the account is recorded as
 * HIDDEN_DUE_TO_SECURITY_REASONS, as AWS records it, since what was typed there may be a password.
 * The record never holds the password, the MFA code or the credentials issued: there are no
 * requestParameters.
 */
import type { TrailEvent } from '../store/trail-store.js'
import type { AuditEvent } from './audit-event.js'
import type { JsonObject } from './json-value.js'
import { isoSeconds } from '../protocol/iso-seconds.js'

/** The event source of console sign-ins. */
export const SIGNIN_EVENT_SOURCE = 'signin.amazonaws.com'

/** Their event name. */
export const CONSOLE_LOGIN = 'ConsoleLogin'

/** The userName CloudTrail records for a sign-in with a name that is no user. */
export const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS'

/** A record's errorMessage for a sign-in refused for its credentials, as AWS writes it. */
export const FAILED_AUTHENTICATION = 'Failed authentication'

// userAgent is at most 1 KB, as in every record (build-trail-event.ts).
const MAX_USER_AGENT_CHARS = 1024

/** What a console sign-in's record tells besides what every AuditEvent carries. */
export interface ConsoleSignInAudit {
  readonly outcome: 'Success' | 'Failure'
  /** The IAM user the sign-in named, when it is one of the account's users. */
  readonly user: {
    readonly userId: string
    readonly arn: string
    readonly name: string
  } | null
  /** The account the sign-in named, when it is one of the server's. */
  readonly accountId: string | null
  /** For a failure: the record's errorMessage. */
  readonly errorMessage?: string
  /** Whether an MFA code was asked for and checked. */
  readonly mfaUsed: boolean
  /** The serial number of the device whose code was accepted. */
  readonly mfaIdentifier?: string
  /** Where the console was to take the user (additionalEventData's LoginTo). */
  readonly loginTo: string
}

function identity(signIn: ConsoleSignInAudit): JsonObject {
  const account = signIn.accountId === null ? {} : { accountId: signIn.accountId }
  const user = signIn.user
  if (user === null) {
    return { type: 'IAMUser', ...account, accessKeyId: '', userName: HIDDEN_USER_NAME }
  }
  if (signIn.outcome === 'Success') {
    return {
      type: 'IAMUser',
      principalId: user.userId,
      arn: user.arn,
      ...account,
      userName: user.name,
    }
  }
  return {
    type: 'IAMUser',
    principalId: user.userId,
    ...account,
    accessKeyId: '',
    userName: user.name,
  }
}

/** The ConsoleLogin record of a sign-in, and what LookupEvents finds it by. */
export function buildConsoleSignInEvent(event: AuditEvent, signIn: ConsoleSignInAudit): TrailEvent {
  const accountId = signIn.accountId
  const record: JsonObject = {
    eventVersion: '1.08',
    userIdentity: identity(signIn),
    eventTime: isoSeconds(event.eventTime),
    eventSource: SIGNIN_EVENT_SOURCE,
    eventName: CONSOLE_LOGIN,
    awsRegion: 'us-east-1',
    sourceIPAddress: event.sourceIp,
    ...(event.userAgent === undefined
      ? {}
      : { userAgent: event.userAgent.slice(0, MAX_USER_AGENT_CHARS) }),
    ...(signIn.outcome === 'Failure'
      ? { errorMessage: signIn.errorMessage ?? FAILED_AUTHENTICATION }
      : {}),
    requestParameters: null,
    responseElements: { ConsoleLogin: signIn.outcome },
    additionalEventData: {
      LoginTo: signIn.loginTo,
      MobileVersion: 'No',
      ...(signIn.mfaIdentifier === undefined ? {} : { MFAIdentifier: signIn.mfaIdentifier }),
      MFAUsed: signIn.mfaUsed ? 'Yes' : 'No',
    },
    requestID: event.requestId,
    eventID: event.eventId,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    ...(accountId === null ? {} : { recipientAccountId: accountId }),
    eventCategory: 'Management',
  }
  return {
    eventId: event.eventId,
    eventTime: event.eventTime,
    eventName: CONSOLE_LOGIN,
    eventSource: SIGNIN_EVENT_SOURCE,
    readOnly: false,
    username: signIn.user?.name ?? HIDDEN_USER_NAME,
    accessKeyId: null,
    resources: [],
    accountId,
    record: JSON.stringify(record),
  }
}
