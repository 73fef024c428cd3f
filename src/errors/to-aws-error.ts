/**
 * The one mapper from anything thrown to the AWS error a client receives. Each layer throws its
 * own errors; this is the only place that knows which AWS code each one becomes.
 */
import { PolicyParseError } from '../policy/index.js'
import { AwsError } from './aws-error.js'

/** What a client reads when Gatehouse failed in a way it did not foresee (IAM's own wording). */
export const SERVICE_FAILURE_MESSAGE =
  'The request processing has failed because of an unknown error, exception or failure.'

/**
 * Maps a thrown value to the AwsError to send: an AwsError as it is, a policy parse error as
 * MalformedPolicyDocument with AWS's message, anything else as ServiceFailure (500).
 */
export function toAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err
  if (err instanceof PolicyParseError) {
    return new AwsError('MalformedPolicyDocument', err.faults[0].message, { cause: err })
  }
  // SECURITY: an unforeseen error's text can hold internals (paths, SQL, secrets). The client
  // gets a generic message; the original stays in `cause` for the log and the audit record.
  return new AwsError('ServiceFailure', SERVICE_FAILURE_MESSAGE, { cause: err })
}
