/**
 * The audit trail's storage port: every API call's CloudTrail record, appended in one order and
 * chained by hash, and read back by LookupEvents, export and verification. Backends live beside
 * the IAM store's (src/store/<backend>/) and pass one conformance suite.
 */

/** A resource an audit-trail event names, as LookupEvents returns it. */
export interface TrailResource {
  /** E.g. `AWS::IAM::User`. */
  readonly type: string
  /** E.g. the user's name or ARN. */
  readonly name: string
}

/** One event of the audit trail: the CloudTrail record and what LookupEvents filters on. */
export interface TrailEvent {
  /** The record's eventID (a GUID). */
  readonly eventId: string
  readonly eventTime: Date
  /** The API action, e.g. `CreateUser`. */
  readonly eventName: string
  /** E.g. `iam.amazonaws.com`. */
  readonly eventSource: string
  readonly readOnly: boolean
  /** The caller's user name (or role session name) as LookupEvents reports it, if any. */
  readonly username: string | null
  readonly accessKeyId: string | null
  readonly resources: readonly TrailResource[]
  /** The account whose trail holds it (recipientAccountId), or null if none was known. */
  readonly accountId: string | null
  /** The whole CloudTrail record, as JSON text. */
  readonly record: string
}

/** A stored event: its place in the trail's order, and the hash chain through it. */
export interface StoredTrailEvent extends TrailEvent {
  /** 1, 2, 3... in order of appending: the trail's one order. */
  readonly sequence: number
  /** Hex SHA-256 of the previous event's hash and this event's record (see the trail's docs). */
  readonly hash: string
}

/** A LookupEvents query. */
export interface TrailQuery {
  /** Only events recorded for this account (recipientAccountId). */
  readonly accountId: string
  /** At most one attribute, as LookupEvents allows. */
  readonly attribute?: {
    readonly key:
      | 'EventId'
      | 'EventName'
      | 'ReadOnly'
      | 'Username'
      | 'ResourceType'
      | 'ResourceName'
      | 'EventSource'
      | 'AccessKeyId'
    readonly value: string
  }
  /** Inclusive bounds on eventTime. */
  readonly startTime?: Date
  readonly endTime?: Date
  /** 1 to 50; 50 when absent. */
  readonly maxResults?: number
  /** From the previous page. */
  readonly nextToken?: string
}

/** A page of LookupEvents: newest first. */
export interface TrailPage {
  readonly events: readonly StoredTrailEvent[]
  /** Present exactly when more events follow. */
  readonly nextToken: string | null
}

/**
 * The audit trail's store: append-only, and a database of its own (its own SQLite file), so
 * that recording every request neither takes the IAM data's write lock nor tells the caches of
 * other processes that IAM data changed.
 */
export interface TrailStore {
  /**
   * Appends events in the order given, each chained by hash to the one before (the chain's
   * first hash is over 64 zeros). Returns them as stored.
   */
  appendTrailEvents(events: readonly TrailEvent[]): Promise<readonly StoredTrailEvent[]>
  /** Events matching a query, newest first. ValidationError-free: the caller checks input. */
  lookupTrailEvents(query: TrailQuery): Promise<TrailPage>
  /** Events in order of sequence from `after` (exclusive), at most `limit` (verify, export). */
  readTrailEvents(after: number, limit: number): Promise<readonly StoredTrailEvent[]>
  /** Waits for pending appends, then releases the database. */
  close(): Promise<void>
}
