/**
 * The store's own error vocabulary. Every backend throws these and nothing else for the failures
 * the port defines; src/errors/to-aws-error.ts maps them to AWS codes and wording. Messages follow
 * the house style (lower case, no final period) and never hold a secret.
 */
import type { StoreLimits } from './limits.js'

/** What a store error is about. */
export type StoreEntity =
  | 'account'
  | 'user'
  | 'group'
  | 'role'
  | 'policy'
  | 'policyVersion'
  | 'inlinePolicy'
  | 'accessKey'
  | 'instanceProfile'
  | 'groupMembership'
  | 'policyAttachment'
  | 'permissionsBoundary'
  | 'instanceProfileRole'

/** The base of every store error. */
export abstract class StoreError extends Error {}

/** The named entity does not exist (AWS: NoSuchEntity). */
export class NotFoundError extends StoreError {
  override readonly name = 'NotFoundError'

  /**
   * @param entity - what was looked for
   * @param key - how it was named: an entity's name, a version id, an access key id
   */
  constructor(
    readonly entity: StoreEntity,
    readonly key: string,
  ) {
    super(`${entity} not found: ${key}`)
  }
}

/** An entity of that name (compared without case) already exists (AWS: EntityAlreadyExists). */
export class AlreadyExistsError extends StoreError {
  override readonly name = 'AlreadyExistsError'

  /**
   * @param entity - the kind of entity that could not be created or renamed
   * @param key - the name that is taken, as the caller spelled it
   */
  constructor(
    readonly entity: StoreEntity,
    readonly key: string,
  ) {
    super(`${entity} already exists: ${key}`)
  }
}

/** A quota would be exceeded (AWS: LimitExceeded, `Cannot exceed quota for ...`). */
export class LimitExceededError extends StoreError {
  override readonly name = 'LimitExceededError'

  /**
   * @param quota - which of the store's limits
   * @param limit - its value
   */
  constructor(
    readonly quota: keyof StoreLimits,
    readonly limit: number,
  ) {
    super(`quota exceeded: ${quota} is ${limit}`)
  }
}

/** Why an entity cannot be deleted yet: what must be removed first. */
export type DeleteConflictReason =
  | 'loginProfile'
  | 'mfaDevices'
  | 'signingCertificates'
  | 'sshPublicKeys'
  | 'serviceSpecificCredentials'
  | 'accessKeys'
  | 'inlinePolicies'
  | 'attachedPolicies'
  | 'groupMemberships'
  | 'groupMembers'
  | 'instanceProfiles'
  | 'policyAttachments'
  | 'permissionsBoundaryUsage'
  | 'policyVersions'
  | 'defaultVersion'
  | 'instanceProfileRoles'

/** An entity still has dependents, or is the default version (AWS: DeleteConflict). */
export class DeleteConflictError extends StoreError {
  override readonly name = 'DeleteConflictError'

  /**
   * @param entity - the entity that was to be deleted
   * @param key - its name
   * @param reason - the first dependent found, in a fixed order per entity
   */
  constructor(
    readonly entity: StoreEntity,
    readonly key: string,
    readonly reason: DeleteConflictReason,
  ) {
    super(`cannot delete ${entity} ${key}: ${reason} remain`)
  }
}

/**
 * The master key given at open is not the one the store's secrets were sealed with. Raised when
 * the store is opened, before any request, so a wrong key never produces unreadable new keys.
 */
export class MasterKeyMismatchError extends StoreError {
  override readonly name = 'MasterKeyMismatchError'

  constructor() {
    super('the master key does not match the one this store was created with')
  }
}
