/**
 * The workload API's wire shapes, shared by the server and the `gatehouse workload` command
 * (which imports this file alone: it holds types and paths, nothing of the server). A Gatehouse
 * extension, not an AWS API: JSON over POST, signed with SigV4 for the service `gatehouse`, one
 * path per operation; errors are `{"Code", "Message"}` with the status of the code.
 */

/** The signing name of the workload API's credential scope. */
export const WORKLOAD_API_SERVICE = 'gatehouse'

/** Where the operations are: `POST /gatehouse/v1/<Operation>`. */
export const WORKLOAD_API_PREFIX = '/gatehouse/v1/'

/** The container credentials endpoint: `GET` with the token in `Authorization`. */
export const CONTAINER_CREDENTIALS_PATH = '/gatehouse/v1/credentials'

/**
 * The operations of the workload API, and the one Gatehouse operation served beside them
 * (ReceiveDelegationNotifications, src/services/iam/receive-delegation-notifications.ts).
 */
export type WorkloadOperationName =
  'CreateWorkload' | 'ListWorkloads' | 'DeleteWorkload' | 'ReceiveDelegationNotifications'

/** A workload as the API describes it. */
export interface WorkloadDescription {
  readonly Name: string
  /** `GWKL...`, the id its token carries. */
  readonly WorkloadId: string
  /** `arn:aws:gatehouse::<account>:workload/<name>`. */
  readonly Arn: string
  readonly RoleArn: string
  /** The lifetime asked for at creation; null for the default. */
  readonly DurationSeconds: number | null
  /** ISO 8601. */
  readonly CreateDate: string
}

/** CreateWorkload's input. */
export interface CreateWorkloadRequest {
  readonly Name: string
  readonly RoleArn: string
  readonly DurationSeconds?: number
}

/** CreateWorkload's output: the only time the token is sent. */
export interface CreateWorkloadResponse {
  readonly Workload: WorkloadDescription
  /** SECURITY: shown this once; the server keeps only its hash. */
  readonly Token: string
  /** The endpoint's path on this server, for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  readonly CredentialsPath: string
}

/** ListWorkloads' input. */
export interface ListWorkloadsRequest {
  readonly Marker?: string
  readonly MaxItems?: number
}

/** ListWorkloads' output; Marker is present exactly when more follow. */
export interface ListWorkloadsResponse {
  readonly Workloads: readonly WorkloadDescription[]
  readonly Marker?: string
}

/** DeleteWorkload's input. */
export interface DeleteWorkloadRequest {
  readonly Name: string
}

/** DeleteWorkload's output: the workload that was deleted. */
export interface DeleteWorkloadResponse {
  readonly Workload: WorkloadDescription
}

/** An error of the workload API or the container credentials endpoint. */
export interface WorkloadApiError {
  readonly Code: string
  readonly Message: string
}

/** The container credentials endpoint's answer, as the AWS SDKs and CLI read it. */
export interface ContainerCredentialsResponse {
  readonly AccessKeyId: string
  readonly SecretAccessKey: string
  readonly Token: string
  /** ISO 8601 to the second, `Z`. */
  readonly Expiration: string
  readonly RoleArn: string
  readonly AccountId: string
}
