/** Service-linked roles and STS preferences: the store port's operations (StoreTx extends them). */

/** AWS's states of a service-linked role's deletion task (DeletionTaskStatusType). */
export type DeletionTaskStatus = 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED'

/** The version of the session tokens STS's global endpoint issues (globalEndpointTokenVersion). */
export type GlobalEndpointTokenVersion = 'v1Token' | 'v2Token'

/** A deletion task as DeleteServiceLinkedRole records it. */
export interface NewDeletionTask {
  readonly accountId: string
  /** The service principal the role is linked to, e.g. `elasticbeanstalk.amazonaws.com`. */
  readonly serviceName: string
  readonly roleName: string
  readonly status: DeletionTaskStatus
  /** Why a FAILED task failed; null otherwise. */
  readonly reason?: string | null
}

/** A recorded deletion task. */
export interface DeletionTask extends Required<NewDeletionTask> {
  /** `task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>`, AWS's format. */
  readonly taskId: string
  readonly createdAt: Date
}

/** An account's STS preferences (SetSecurityTokenServicePreferences). */
export interface StsPreferences {
  /** v1Token unless the account set otherwise: AWS's default. */
  readonly globalEndpointTokenVersion: GlobalEndpointTokenVersion
}

/**
 * Service-linked roles' deletion tasks and STS preferences. The roles themselves are roles
 * (RoleOps); this family keeps only what outlives a deleted role, its deletion task, and the
 * account's STS preferences.
 */
export interface ServiceLinkedRoleOps {
  /**
   * Records a deletion task under a new id of AWS's format (its uuid drawn from the store's
   * random source). NotFoundError (account).
   */
  createDeletionTask(task: NewDeletionTask): Promise<DeletionTask>
  /** The account's task of that id, or null: another account's tasks are not the caller's. */
  getDeletionTask(accountId: string, taskId: string): Promise<DeletionTask | null>
  /** Sets the account's preferences. NotFoundError (account). */
  setStsPreferences(accountId: string, preferences: StsPreferences): Promise<void>
  /** The account's preferences, AWS's default (v1Token) if it set none. NotFoundError (account). */
  getStsPreferences(accountId: string): Promise<StsPreferences>
}
