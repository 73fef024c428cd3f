/**
 * An operation of an awsJson service, as its registry lists it: the IAM action it is authorized
 * as, the resource, and its handler. The awsJson counterpart of src/services/operation.ts, whose
 * input shapes are the awsQuery protocol's.
 */
import type { Caller } from '../../auth/caller.js'
import type { JsonObject } from '../../protocol/json/decode-json.js'
import type { JsonOutputObject } from '../../protocol/json/encode-json.js'
import type { TrailStore } from '../../store/trail-store.js'

/** What a handler works with. */
export interface JsonOperationContext {
  readonly caller: Caller
  /** The server's clock at the request. */
  readonly now: Date
  /** The audit trail (CloudTrail's operations read it). */
  readonly trail: TrailStore
}

/** One call of an operation, its input's JSON types read. */
export interface PreparedJsonCall {
  /**
   * The ARN the action is authorized on, as the Service Authorization Reference names it, or `*`
   * for an action without a resource type.
   */
  readonly resource: string
  /** Checks the input's values (the service's own errors) and runs the operation. */
  readonly handle: (ctx: JsonOperationContext) => Promise<JsonOutputObject>
}

/** A registry entry. */
export interface JsonOperation {
  /** The operation, e.g. `LookupEvents`: the X-Amz-Target's part after the dot. */
  readonly name: string
  /** The action it is authorized as, e.g. `cloudtrail:LookupEvents`. */
  readonly action: string
  /** It changes nothing (CloudTrail's readOnly). */
  readonly readOnly: boolean
  /**
   * Reads the input members by their model types: SerializationException for a member of the
   * wrong JSON type. Value checks belong to `handle`, after authorization.
   */
  readonly prepare: (input: JsonObject) => PreparedJsonCall
}

/** An awsJson service. */
export interface JsonService {
  /** The signing name its credential scope must give, e.g. `cloudtrail`. */
  readonly name: string
  /** The API version, e.g. `2013-11-01`. */
  readonly version: string
  /** The X-Amz-Target prefixes (before the operation's name) it answers to. */
  readonly targetPrefixes: readonly string[]
  readonly operations: ReadonlyMap<string, JsonOperation>
}
