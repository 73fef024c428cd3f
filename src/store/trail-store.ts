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

/**
 * An IAM entity's attempt to use a service, as Access Advisor counts it: an authenticated request
 * of a user (its own keys or GetSessionToken's) or of a role's session that reached
 * authorization, allowed or denied (AWS's last-accessed data counts attempts, not successes).
 */
export interface TrailAccess {
  /** The entity charged with it: a user's or a role's unique id (`AIDA...`, `AROA...`). */
  readonly entityId: string
  /** The service namespace of the action, e.g. `iam`. */
  readonly service: string
  /** The action's name within it, e.g. `GetUser`. */
  readonly action: string
  /** The region of the request's credential scope. */
  readonly region: string
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
  /** The access attempt it shows, if any (Access Advisor); only with an accountId. */
  readonly access?: TrailAccess
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

/** The newest attempt of one entity on one action, as the trail's appends have kept it. */
export interface LastAccess {
  readonly entityId: string
  readonly service: string
  readonly action: string
  readonly time: Date
  readonly region: string
}

/** How current lastAccess must be. */
export interface LastAccessOptions {
  /**
   * Include attempts every process has answered, even those its trail has not appended yet (a
   * few milliseconds' worth, read from where they wait). Without it, a process's own attempts
   * are always included, other processes' up to their last append: enough for RoleLastUsed,
   * which AWS itself reports hours late, and cheaper on a request's path.
   */
  readonly everyProcess?: boolean
}

/** The state of an Access Advisor job (GetServiceLastAccessedDetails' JobStatus). */
export type AccessJobStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'

/** An Access Advisor job as GenerateServiceLastAccessedDetails starts it. */
export interface NewAccessJob {
  /** A GUID (36 characters, the model's jobIDType). */
  readonly jobId: string
  readonly accountId: string
  /** The user, group, role or managed policy the report is about. */
  readonly entityArn: string
  readonly granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL'
  /** Who generated it: only they may read it (AWS: the same user, or role session). */
  readonly ownerArn: string
  readonly createdAt: Date
}

/** An Access Advisor job, as stored. */
export interface AccessJob extends NewAccessJob {
  readonly status: AccessJobStatus
  /** When it completed or failed; null while in progress. */
  readonly completedAt: Date | null
  /** The report (JSON text, src/access-advisor's format) once completed; the error's once failed. */
  readonly result: string | null
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
  /**
   * The newest attempt of each of `entityIds` on each action, as appended events' `access`
   * recorded them (the newest by event time; for equal times, the later appended).
   */
  lastAccess(
    accountId: string,
    entityIds: readonly string[],
    options?: LastAccessOptions,
  ): Promise<readonly LastAccess[]>
  /** Stores a new job, IN_PROGRESS. */
  createAccessJob(job: NewAccessJob): Promise<void>
  /**
   * Ends a job IN_PROGRESS: COMPLETED with its report, or FAILED with its error. False if the job
   * is not there or has already ended (it is left as it was).
   */
  finishAccessJob(
    jobId: string,
    outcome: {
      readonly status: 'COMPLETED' | 'FAILED'
      readonly result: string
      readonly completedAt: Date
    },
  ): Promise<boolean>
  /** A job of the account, or null if the account has none of that id. */
  getAccessJob(accountId: string, jobId: string): Promise<AccessJob | null>
  /** Waits for pending appends, then releases the database. */
  close(): Promise<void>
}
