/**
 * The AWS-shaped errors of the workload API. The store's WorkloadError is this family's own
 * (src/store/workloads-ops.ts), so the one mapper (src/errors/to-aws-error.ts) does not know it:
 * each operation passes what it throws through here first. The messages follow IAM's wording for
 * its own entities.
 */
import { AwsError } from '../../errors/aws-error.js'
import { WORKLOADS_PER_ACCOUNT, WorkloadError } from '../../store/workloads-ops.js'

/** The AwsError a WorkloadError becomes. */
function fromStore(err: WorkloadError): AwsError {
  const options = { cause: err }
  switch (err.reason) {
    case 'notFound':
      return new AwsError(
        'NoSuchEntity',
        `The workload with name ${err.key} cannot be found.`,
        options,
      )
    case 'alreadyExists':
      return new AwsError(
        'EntityAlreadyExists',
        `Workload with name ${err.key} already exists.`,
        options,
      )
    case 'limitExceeded':
      return new AwsError(
        'LimitExceeded',
        `Cannot exceed quota for WorkloadsPerAccount: ${WORKLOADS_PER_ACCOUNT}`,
        options,
      )
  }
}

/** What `fn` returns, with a WorkloadError it throws turned into an AwsError. */
export async function withWorkloadErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof WorkloadError) throw fromStore(err)
    throw err
  }
}
