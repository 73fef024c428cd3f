/**
 * What the request path knows of one API call when it has been answered: the input from which
 * its CloudTrail record is built (buildTrailEvent). Every request yields one, allowed, denied,
 * unauthenticated, invalid or failed.
 */
import type { Caller } from '../auth/caller.js'
import type { ConsoleSignInAudit } from './console-sign-in-event.js'

/** One answered API call. */
export interface AuditEvent {
  /** When the server received it. */
  readonly eventTime: Date
  /** The x-amzn-RequestId sent back. */
  readonly requestId: string
  /** A new GUID for the record's eventID. */
  readonly eventId: string
  /** The service it was for (`iam`, `sts`, `cloudtrail`), if routing got that far. */
  readonly service: string | undefined
  /** The Action / operation name (CloudTrail's eventName), if the request named one. */
  readonly action: string | undefined
  /** The API version the request gave, if any. */
  readonly apiVersion: string | undefined
  /** The region of the request's credential scope; undefined if it had no readable signature. */
  readonly region: string | undefined
  readonly sourceIp: string
  readonly userAgent: string | undefined
  /** Who signed it, if authentication succeeded. */
  readonly caller: Caller | undefined
  /** The access key id the request named, even when authentication failed. */
  readonly accessKeyId: string | undefined
  /**
   * The request's parameters as decoded (awsQuery `Name.member.1=...`, or a JSON body's
   * top-level members): CloudTrail's requestParameters, once secrets are redacted.
   */
  readonly parameters: Readonly<Record<string, unknown>> | undefined
  /** The operation's result members (`<XResult>` content), for a call that succeeded. */
  readonly result: Readonly<Record<string, unknown>> | undefined
  /** The AWS error code and message sent back, for a call that failed. */
  readonly error: { readonly code: string; readonly message: string } | undefined
  /** Whether the operation only reads (CloudTrail's readOnly). */
  readonly readOnly: boolean
  /**
   * The action (`iam:GetUser`) the call reached authorization for, allowed or denied: the attempt
   * Access Advisor counts. Undefined for a call that stopped before (authentication, an unknown
   * action, invalid input).
   */
  readonly attempted: string | undefined
  /** The account the call was made in (recipientAccountId), if known. */
  readonly accountId: string | undefined
  /**
   * For calls without a signed caller, who made them once that is known: for STS's unsigned
   * calls (AssumeRoleWithWebIdentity, AssumeRoleWithSAML) who federated, once the token or
   * assertion was verified (userIdentity `WebIdentityUser` or `SAMLUser`); for the credentials
   * Gatehouse fetches for a workload, the service that assumed the role (`AWSService`).
   */
  readonly identityWithoutCaller?: FederatedUserIdentity | ServiceIdentity | undefined
  /** Present for a console sign-in, which is recorded as a ConsoleLogin event instead. */
  readonly consoleSignIn?: ConsoleSignInAudit | undefined
}

/**
 * CloudTrail's userIdentity of a call a service made on its own behalf, as AWS records the
 * AssumeRole a container service makes for a task's role: `invokedBy` is the service principal.
 */
export interface ServiceIdentity {
  readonly type: 'AWSService'
  readonly invokedBy: string
}

/** CloudTrail's userIdentity of a web identity or SAML federation call. */
export interface FederatedUserIdentity {
  readonly type: 'WebIdentityUser' | 'SAMLUser'
  readonly principalId: string
  readonly userName: string
  readonly identityProvider: string
}
