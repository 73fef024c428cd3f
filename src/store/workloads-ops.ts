/**
 * Workloads bound to roles: the store port's operations (StoreTx extends them). A workload is
 * what the container credentials endpoint (src/http/container-credentials.ts) serves: a name in
 * an account, the role whose credentials it gets, and the hash of the token it presents. This
 * family is Gatehouse's own, not an AWS API.
 */
import { StoreError } from './errors.js'
import type { Page, PageRequest } from './store.js'

/** The most workloads an account may have (Gatehouse's own quota: AWS has no such entity). */
export const WORKLOADS_PER_ACCOUNT = 1000

/** The prefix of a workload's unique id, which its token carries. */
export const WORKLOAD_ID_PREFIX = 'GWKL'

/** A new workload. */
export interface NewWorkload {
  readonly accountId: string
  /** Unique per account without regard to case; the role session's name. */
  readonly name: string
  /** The role it gets credentials of, by ARN: the role need not exist for the store. */
  readonly roleArn: string
  /**
   * SECURITY: the SHA-256 of its token's secret part (32 bytes), never the token: whoever reads
   * the database cannot present it.
   */
  readonly tokenHash: Uint8Array
  /** The lifetime of its credentials in seconds, or null for the default. */
  readonly durationSeconds: number | null
}

/** A workload, without its token hash. */
export interface Workload {
  /** `GWKL` and 17 characters of `[A-Z2-7]`; a name used again gets a new id. */
  readonly workloadId: string
  readonly accountId: string
  /** As written at creation. */
  readonly name: string
  readonly roleArn: string
  readonly durationSeconds: number | null
  readonly createdAt: Date
}

/** A workload with the hash its token is checked against. */
export interface WorkloadWithTokenHash {
  readonly workload: Workload
  readonly tokenHash: Uint8Array
}

/** What went wrong with a workload. */
export type WorkloadFailure =
  /** The account has no workload of that name. */
  | 'notFound'
  /** The account has a workload of that name (without case). */
  | 'alreadyExists'
  /** The account has WORKLOADS_PER_ACCOUNT workloads. */
  | 'limitExceeded'

/**
 * A workload operation the store refused. The store's shared vocabulary (./errors.ts) names no
 * workload, so this family brings its own error, as the MFA device and service credential
 * families do.
 */
export class WorkloadError extends StoreError {
  override readonly name = 'WorkloadError'

  /**
   * @param reason - what went wrong
   * @param key - the workload's name as the caller gave it
   */
  constructor(
    readonly reason: WorkloadFailure,
    readonly key: string,
  ) {
    super(`workload ${key}: ${reason}`)
  }
}

/** Workloads. */
export interface WorkloadOps {
  /**
   * Creates a workload under a new id. NotFoundError (account); WorkloadError alreadyExists or
   * limitExceeded.
   */
  createWorkload(workload: NewWorkload): Promise<Workload>
  /**
   * The workload of that id with its token hash, or null: how the endpoint finds the workload a
   * token names, whichever account it is in.
   */
  getWorkloadWithTokenHash(workloadId: string): Promise<WorkloadWithTokenHash | null>
  /** The account's workloads by name without case, then as written. */
  listWorkloads(accountId: string, request?: PageRequest): Promise<Page<Workload>>
  /**
   * Deletes the workload of that name (without case) and returns it: its token is refused from
   * then on. WorkloadError notFound.
   */
  deleteWorkload(accountId: string, name: string): Promise<Workload>
}
