/** What an awsQuery request carries once its form is decoded. */

/** An awsQuery request: the operation it names and its flat, decoded parameters. */
export interface QueryRequest {
  /** The `Action` parameter, e.g. `CreateUser`; never empty. */
  readonly action: string
  /** The `Version` parameter (`2010-05-08` for IAM), or undefined when the request has none. */
  readonly version: string | undefined
  /**
   * Every other parameter, by its decoded name (`Tags.member.1.Key`), in the order received: the
   * query string's first, then the body's. Names are case-sensitive, as AWS reads them. SigV4's
   * own query parameters (`X-Amz-*` of a presigned request) are here too; read-params ignores them.
   */
  readonly params: ReadonlyMap<string, string>
}
