/**
 * The store port: the IAM entities of every account as domain records, and the one way to read
 * and change them, a transaction. Backends live in src/store/<backend>/ and all pass the same
 * conformance suite (src/store/conformance/). Nothing here knows a database.
 *
 * Conventions every backend keeps:
 * - Entities are named by account id and name. Names are unique per account and entity type
 *   without regard to case (a unique index on the lower-cased name), and are kept as written.
 * - Every method returns a promise, so a backend whose driver is asynchronous fits unchanged.
 * - Each call is atomic: a call that throws has changed nothing, and the transaction stays usable
 *   (a handler may catch a NotFoundError and go on). Failures the port defines are the errors of
 *   ./errors.ts; anything else (a broken database) is a bug or an outage, not a client error.
 * - Lists are pages in a stable order: by name without case, then as written where two entries
 *   may differ only in case. A page's `marker` is present exactly when more items follow; pass
 *   it back to continue. Markers are opaque.
 * - Quotas are checked in the call that would exceed them (./limits.ts says why), race-free.
 * - Ids and timestamps are made by the store from the clock and random source it was opened with.
 */
import type { StoreLimits } from './limits.js'
import type { MasterKey } from './secret-box.js'
import type { RandomBytes } from './ids.js'
import type { AccountAliasOps } from './account-aliases-ops.js'
import type { PasswordOps } from './passwords-ops.js'
import type { OidcProviderOps } from './oidc-providers-ops.js'
import type { MfaDeviceOps } from './mfa-devices-ops.js'
import type { ServiceCredentialOps } from './service-credentials-ops.js'
import type { UserCredentialOps } from './user-credentials-ops.js'
import type { SamlProviderOps } from './saml-providers-ops.js'
import type { ServiceLinkedRoleOps } from './service-linked-roles-ops.js'
import type { ServerCertificateOps } from './server-certificates-ops.js'
import type { WorkloadOps } from './workloads-ops.js'
import type { OutboundFederationOps } from './outbound-federation-ops.js'
import type { DelegationRequestOps } from './delegation-requests-ops.js'
import type { AccountPropertyOps } from './account-properties-ops.js'

/** Options every backend takes when it is opened. */
export interface StoreOptions {
  /** The key that seals access-key secrets at rest. */
  readonly masterKey: MasterKey
  /** The time of creation and last-use stamps; `() => new Date()` when absent. */
  readonly clock?: () => Date
  /** Randomness for unique ids, account ids and secrets; `crypto.randomBytes` when absent. */
  readonly random?: RandomBytes
  /** Quotas that differ from AWS's defaults. */
  readonly limits?: Partial<StoreLimits>
  /**
   * Refuse a transaction opened inside another (which would otherwise wait for itself forever).
   * Telling "inside" from "beside" takes async context tracking, which slows every promise of
   * the process by about a tenth: tests turn it on to catch the bug, servers leave it off.
   */
  readonly checkNesting?: boolean
}

/**
 * The few kinds of write the change feed names, because a cache can tell exactly what they leave
 * standing (src/store/sql/sql-operations.ts says which operations are which):
 * - `userAdded`: users were created, each with its own path, boundary and tags, and nothing
 *   else changed: no entity that existed before, and no key, policy, attachment or membership.
 * - `userRemoved`: users were deleted that nothing referred to (IAM's preconditions: no keys,
 *   credentials, policies or group memberships), with their own tags and records, and nothing
 *   else changed.
 */
export type StoreChangeKind = 'userAdded' | 'userRemoved'

/**
 * A committed change: what a cache of store data (keys, principals, compiled policies) must
 * drop. The feed is coarse on purpose: a committed write names no more than that it happened, so
 * a cache can never keep an entry a write made stale by missing a kind of dependency; except
 * that a transaction whose every write was of one kind that a cache can reason about exactly
 * says so (`only`), so that a cache the kind cannot touch keeps its entries.
 */
export interface StoreChange {
  /** Increases with every committed transaction that wrote; never repeats within a store. */
  readonly generation: number
  /**
   * Every write of the transaction was of this kind. Absent for any other transaction, for a
   * rollback, and for another process's or node's commits: then anything may have changed.
   */
  readonly only?: StoreChangeKind
}

/** How a transaction runs. */
export interface TransactionOptions {
  /**
   * It only reads: it takes no write lock, so it never waits for (or holds up) a writer in
   * another process, and a call that would write fails (a bug, not a client error).
   */
  readonly readOnly?: boolean
}

/** A listener of the change feed. */
export type StoreChangeListener = (change: StoreChange) => void

/** The store: a transaction at a time, the feed of its committed changes, and closing. */
export interface Store {
  /**
   * Runs `fn` in one transaction: everything it wrote is committed when it returns, and nothing
   * when it throws (the error is rethrown). Transactions are serializable; their calls may not
   * outlive them, and `fn` may not open another transaction (refused with checkNesting).
   */
  transaction<T>(fn: (tx: StoreTx) => T | Promise<T>, options?: TransactionOptions): Promise<T>
  /**
   * The generation of the data as of the last committed write this process knows of: a cache
   * entry read at generation G is current while `generation` is still G.
   */
  readonly generation: number
  /**
   * Calls `listener` after each commit of a transaction that wrote (recordAccessKeyUse and
   * putCredentialReport alone do not count: last-use stamps and reports change nothing a cache
   * holds), and after the rollback of one that wrote (a cache filled inside it may hold what was
   * undone). The listener runs before the transaction's promise resolves, so a caller that
   * awaited a write never sees a cache older than it. Returns the function that unsubscribes.
   */
  onChange(listener: StoreChangeListener): () => void
  /**
   * Reports on the feed the commits other processes made to the same database since the last
   * call (several server processes on one SQLite file, say). It reads no data, only the
   * database's change counter, so a server calls it at the start of every request: a write
   * acknowledged by one process then applies to the next request any process serves.
   */
  observeOtherWriters(): void
  /** Waits for the running transactions, then releases the database. */
  close(): Promise<void>
}

/** A key-value tag. */
export interface Tag {
  readonly key: string
  readonly value: string
}

/** A user with what GetUser shows besides the user itself. */
export interface UserDetails {
  readonly user: User
  readonly tags: readonly Tag[]
  readonly passwordLastUsed: Date | null
}

/** An AWS account. */
export interface Account {
  /** 12 digits. */
  readonly accountId: string
  readonly createdAt: Date
}

/** What every named IAM entity has. */
export interface EntityBase {
  readonly accountId: string
  /** As written at creation or rename. */
  readonly name: string
  /** Begins and ends with `/`. */
  readonly path: string
  readonly arn: string
  readonly createdAt: Date
}

/** An IAM user. */
export interface User extends EntityBase {
  /** AIDA... */
  readonly userId: string
  /** The ARN of the managed policy that is the user's permissions boundary. */
  readonly permissionsBoundaryArn: string | null
}

/** An IAM group. */
export interface Group extends EntityBase {
  /** AGPA... */
  readonly groupId: string
}

/** An IAM role. */
export interface Role extends EntityBase {
  /** AROA... */
  readonly roleId: string
  /** The trust policy, as given. */
  readonly assumeRolePolicyDocument: string
  readonly description: string | null
  /** Seconds, 3600 unless set. */
  readonly maxSessionDuration: number
  /** The ARN of the managed policy that is the role's permissions boundary. */
  readonly permissionsBoundaryArn: string | null
}

/** A customer managed policy. */
export interface ManagedPolicy extends EntityBase {
  /** ANPA... */
  readonly policyId: string
  readonly description: string | null
  /** `v1`, `v2`, ... */
  readonly defaultVersionId: string
  /** Users, groups and roles it is attached to as a permissions policy. */
  readonly attachmentCount: number
  /** Users and roles it is the permissions boundary of. */
  readonly permissionsBoundaryUsageCount: number
  /** When its newest version was created. */
  readonly updatedAt: Date
}

/** One version of a managed policy. */
export interface PolicyVersion {
  /** `v1`, `v2`, ...: numbers are never reused within a policy. */
  readonly versionId: string
  readonly document: string
  readonly isDefault: boolean
  readonly createdAt: Date
}

/** What an inline policy or a managed policy attachment belongs to. */
export interface PolicyHolderRef {
  readonly kind: 'user' | 'group' | 'role'
  readonly accountId: string
  readonly name: string
}

/** What can have a permissions boundary. */
export interface BoundaryHolderRef {
  readonly kind: 'user' | 'role'
  readonly accountId: string
  readonly name: string
}

/**
 * What can carry tags. Tag keys of users and roles are compared without case (a new
 * `department` replaces `Department`); those of policies and instance profiles with case.
 */
export interface TaggableRef {
  readonly kind: 'user' | 'role' | 'policy' | 'instanceProfile'
  readonly accountId: string
  readonly name: string
}

/** An inline policy. Its name is unique per holder, compared with case. */
export interface InlinePolicy {
  readonly holder: PolicyHolderRef
  readonly name: string
  readonly document: string
}

/** Whether an access key can sign requests. */
export type AccessKeyStatus = 'Active' | 'Inactive'

/** A long-term access key, without its secret. */
export interface AccessKey {
  /** AKIA... */
  readonly accessKeyId: string
  readonly accountId: string
  /** Its user's name, or null for the account's root user. */
  readonly userName: string | null
  readonly status: AccessKeyStatus
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
  readonly lastUsedRegion: string | null
  readonly lastUsedService: string | null
}

/** A new access key: the only time its secret is returned besides `getAccessKeySecret`. */
export interface AccessKeyWithSecret {
  readonly accessKey: AccessKey
  readonly secretAccessKey: string
}

/** An instance profile and its roles (at most one by AWS's quota). */
export interface InstanceProfile extends EntityBase {
  /** AIPA... */
  readonly instanceProfileId: string
  /** In order of name. */
  readonly roles: readonly Role[]
}

/** How a managed policy is used by an entity. */
export type PolicyUsage = 'permissionsPolicy' | 'permissionsBoundary'

/** A user, group or role that uses a managed policy. */
export interface PolicyEntity {
  readonly kind: 'user' | 'group' | 'role'
  readonly name: string
  /** Its unique id. */
  readonly id: string
}

/** Counts for GetAccountSummary. */
export interface AccountSummary {
  readonly users: number
  readonly groups: number
  readonly roles: number
  readonly policies: number
  readonly instanceProfiles: number
  /** Versions of all customer managed policies. */
  readonly policyVersionsInUse: number
  /** Access keys of the root user. */
  readonly rootAccessKeys: number
}

/** Which part of a list to read. */
export interface PageRequest {
  /** A marker from the previous page. */
  readonly marker?: string
  /** At most this many items (1 or more); 100 when absent. */
  readonly maxItems?: number
}

/** A page request with the PathPrefix filter (case-sensitive, `/` lists everything). */
export interface PathPageRequest extends PageRequest {
  readonly pathPrefix?: string
}

/** One page of a list. */
export interface Page<T> {
  readonly items: readonly T[]
  /** Present exactly when more items follow. */
  readonly marker: string | null
}

/** The default page size, as AWS's. */
export const DEFAULT_MAX_ITEMS = 100

/** A new user. */
export interface NewUser {
  readonly accountId: string
  readonly name: string
  /** `/` when absent. */
  readonly path?: string
  /** The name of a managed policy of the same account to use as permissions boundary. */
  readonly permissionsBoundary?: string
  readonly tags?: readonly Tag[]
}

/** A new group. */
export interface NewGroup {
  readonly accountId: string
  readonly name: string
  readonly path?: string
}

/** A new role. */
export interface NewRole {
  readonly accountId: string
  readonly name: string
  readonly path?: string
  readonly assumeRolePolicyDocument: string
  readonly description?: string
  /** 3600 when absent. */
  readonly maxSessionDuration?: number
  readonly permissionsBoundary?: string
  readonly tags?: readonly Tag[]
}

/** A new managed policy; `document` becomes its default version v1. */
export interface NewPolicy {
  readonly accountId: string
  readonly name: string
  readonly path?: string
  readonly description?: string
  readonly document: string
  readonly tags?: readonly Tag[]
}

/** A new instance profile. */
export interface NewInstanceProfile {
  readonly accountId: string
  readonly name: string
  readonly path?: string
  readonly tags?: readonly Tag[]
}

/** A new access key. Id and secret are generated unless given (root keys from flags). */
export interface NewAccessKey {
  readonly accountId: string
  /** The user's name, or null for the account's root user. */
  readonly userName: string | null
  readonly accessKeyId?: string
  readonly secretAccessKey?: string
}

/** A rename or move of a user or group; what is absent stays. */
export interface EntityUpdate {
  readonly newName?: string
  readonly newPath?: string
}

/** A change to a role; what is absent stays, a null description removes it. */
export interface RoleUpdate {
  readonly description?: string | null
  readonly maxSessionDuration?: number
  readonly assumeRolePolicyDocument?: string
}

/** Filters of ListPolicies. */
export interface PolicyListRequest extends PathPageRequest {
  /** Only policies in use this way (ListPolicies' OnlyAttached with PolicyUsageFilter). */
  readonly usedAs?: PolicyUsage | 'any'
}

/** Filters of ListEntitiesForPolicy. */
export interface PolicyEntityListRequest extends PathPageRequest {
  /** Only these kinds of entity; all when absent. */
  readonly kinds?: readonly PolicyEntity['kind'][]
  /** Only entities using the policy this way; both when absent. */
  readonly usage?: PolicyUsage
}

/**
 * An account's credential report (GenerateCredentialReport): the CSV as GetCredentialReport
 * returns it, and when it was made. An account keeps only its latest report.
 */
export interface CredentialReport {
  readonly accountId: string
  readonly generatedAt: Date
  /** The CSV text. */
  readonly content: string
}

/** A use of an access key, for GetAccessKeyLastUsed. */
export interface AccessKeyUse {
  readonly at: Date
  readonly region: string
  readonly service: string
}

/** Accounts. */
export interface AccountOps {
  /** Creates an account; its id is generated unless given. AlreadyExistsError if taken. */
  createAccount(input?: { readonly accountId?: string }): Promise<Account>
  /** NotFoundError if absent. */
  getAccount(accountId: string): Promise<Account>
  /** All accounts, in order of id. */
  listAccounts(): Promise<readonly Account[]>
  /** Entity counts of an account. */
  getAccountSummary(accountId: string): Promise<AccountSummary>
}

/** Users. */
export interface UserOps {
  /** AlreadyExistsError, NotFoundError (account, boundary policy), LimitExceededError. */
  createUser(input: NewUser): Promise<User>
  /** NotFoundError if absent; the name is matched without case. */
  getUser(accountId: string, name: string): Promise<User>
  /**
   * The user with its tags (in key order, as listTags gives them) and when it last signed in
   * with its password (getPasswordLastUsed): what GetUser answers, in one read. NotFoundError if
   * absent; the name is matched without case.
   */
  getUserDetails(accountId: string, name: string): Promise<UserDetails>
  /** By unique id, in any account. NotFoundError if absent. */
  getUserById(userId: string): Promise<User>
  listUsers(accountId: string, request?: PathPageRequest): Promise<Page<User>>
  /** Renames or moves. AlreadyExistsError if the new name is taken by another user. */
  updateUser(accountId: string, name: string, update: EntityUpdate): Promise<User>
  /**
   * Deletes a user and its tags and boundary. DeleteConflictError while it has access keys,
   * inline policies, attached policies or group memberships (checked in that order).
   */
  deleteUser(accountId: string, name: string): Promise<void>
}

/** Groups and membership. */
export interface GroupOps {
  /** AlreadyExistsError, NotFoundError (account), LimitExceededError. */
  createGroup(input: NewGroup): Promise<Group>
  getGroup(accountId: string, name: string): Promise<Group>
  listGroups(accountId: string, request?: PathPageRequest): Promise<Page<Group>>
  updateGroup(accountId: string, name: string, update: EntityUpdate): Promise<Group>
  /** DeleteConflictError while it has members, inline policies or attached policies. */
  deleteGroup(accountId: string, name: string): Promise<void>
  /** Idempotent. LimitExceededError past groupsPerUser. */
  addUserToGroup(accountId: string, groupName: string, userName: string): Promise<void>
  /** NotFoundError (groupMembership) if the user is not a member. */
  removeUserFromGroup(accountId: string, groupName: string, userName: string): Promise<void>
  /** The members of a group (GetGroup). */
  listUsersInGroup(accountId: string, groupName: string, request?: PageRequest): Promise<Page<User>>
  listGroupsForUser(
    accountId: string,
    userName: string,
    request?: PageRequest,
  ): Promise<Page<Group>>
}

/** Roles. */
export interface RoleOps {
  createRole(input: NewRole): Promise<Role>
  getRole(accountId: string, name: string): Promise<Role>
  /** By unique id, in any account; how a session outlives no deleted role. */
  getRoleById(roleId: string): Promise<Role>
  listRoles(accountId: string, request?: PathPageRequest): Promise<Page<Role>>
  updateRole(accountId: string, name: string, update: RoleUpdate): Promise<Role>
  /** DeleteConflictError while it has inline policies, attached policies or instance profiles. */
  deleteRole(accountId: string, name: string): Promise<void>
}

/** Managed policies and their versions. */
export interface PolicyOps {
  createPolicy(input: NewPolicy): Promise<ManagedPolicy>
  getPolicy(accountId: string, name: string): Promise<ManagedPolicy>
  listPolicies(accountId: string, request?: PolicyListRequest): Promise<Page<ManagedPolicy>>
  /**
   * Deletes a policy with its versions and tags. DeleteConflictError while it is attached, is a
   * permissions boundary, or has versions besides the default (checked in that order).
   */
  deletePolicy(accountId: string, name: string): Promise<void>
  /** A new version, made default if asked. LimitExceededError past versionsPerPolicy. */
  createPolicyVersion(
    accountId: string,
    policyName: string,
    document: string,
    setAsDefault: boolean,
  ): Promise<PolicyVersion>
  /** NotFoundError (policy or policyVersion). */
  getPolicyVersion(accountId: string, policyName: string, versionId: string): Promise<PolicyVersion>
  /** The default version's document and id: what evaluation uses. */
  getDefaultPolicyVersion(accountId: string, policyName: string): Promise<PolicyVersion>
  /** Newest first. */
  listPolicyVersions(
    accountId: string,
    policyName: string,
    request?: PageRequest,
  ): Promise<Page<PolicyVersion>>
  /** DeleteConflictError (defaultVersion) for the default version. */
  deletePolicyVersion(accountId: string, policyName: string, versionId: string): Promise<void>
  setDefaultPolicyVersion(accountId: string, policyName: string, versionId: string): Promise<void>
}

/** Managed policies attached to users, groups and roles, and permissions boundaries. */
export interface AttachmentOps {
  /**
   * Attaches a managed policy of the holder's account. Idempotent. NotFoundError (holder or
   * policy), LimitExceededError past attachedPoliciesPer{User,Group,Role}.
   */
  attachPolicy(holder: PolicyHolderRef, policyName: string): Promise<void>
  /** NotFoundError (policyAttachment) if it is not attached. */
  detachPolicy(holder: PolicyHolderRef, policyName: string): Promise<void>
  /** PathPrefix filters on the policies' paths. */
  listAttachedPolicies(
    holder: PolicyHolderRef,
    request?: PathPageRequest,
  ): Promise<Page<ManagedPolicy>>
  /** Groups, then roles, then users; each by name. */
  listEntitiesForPolicy(
    accountId: string,
    policyName: string,
    request?: PolicyEntityListRequest,
  ): Promise<Page<PolicyEntity>>
  /** Sets or replaces the boundary with a managed policy of the holder's account. */
  putPermissionsBoundary(holder: BoundaryHolderRef, policyName: string): Promise<void>
  /** Removes the boundary; a holder without one is left as it is. */
  deletePermissionsBoundary(holder: BoundaryHolderRef): Promise<void>
}

/** Inline policies of users, groups and roles. */
export interface InlinePolicyOps {
  /**
   * Creates or replaces. LimitExceededError when all of the holder's inline policies together
   * would pass inlinePolicySizePer{User,Group,Role}.
   */
  putInlinePolicy(holder: PolicyHolderRef, name: string, document: string): Promise<void>
  getInlinePolicy(holder: PolicyHolderRef, name: string): Promise<InlinePolicy>
  /** Names only, as ListUserPolicies returns them. */
  listInlinePolicies(holder: PolicyHolderRef, request?: PageRequest): Promise<Page<string>>
  deleteInlinePolicy(holder: PolicyHolderRef, name: string): Promise<void>
}

/** Access keys. */
export interface AccessKeyOps {
  /** The key and its secret, sealed at rest. LimitExceededError past accessKeysPerUser. */
  createAccessKey(input: NewAccessKey): Promise<AccessKeyWithSecret>
  /** By id, in any account. NotFoundError if absent. */
  getAccessKey(accessKeyId: string): Promise<AccessKey>
  /**
   * SECURITY: the only way to read a stored secret (signature verification needs it). The
   * caller must not log or return it.
   */
  getAccessKeySecret(accessKeyId: string): Promise<AccessKeyWithSecret>
  /** A user's keys (null: the root user's), in order of id. */
  listAccessKeys(
    accountId: string,
    userName: string | null,
    request?: PageRequest,
  ): Promise<Page<AccessKey>>
  /** Keys are addressed by id within the user they belong to (null: root). */
  updateAccessKeyStatus(
    accountId: string,
    userName: string | null,
    accessKeyId: string,
    status: AccessKeyStatus,
  ): Promise<void>
  deleteAccessKey(accountId: string, userName: string | null, accessKeyId: string): Promise<void>
  /** Stamps the last use; NotFoundError if the key is gone. */
  recordAccessKeyUse(accessKeyId: string, use: AccessKeyUse): Promise<void>
}

/**
 * Credential reports. A report is kept in the store, not in a server's memory, so that every
 * server process sharing the store answers GetCredentialReport with the same report.
 */
export interface CredentialReportOps {
  /**
   * Keeps `report` as its account's credential report, in place of the one before.
   * NotFoundError (account). Like a last-use stamp, it changes nothing a cache holds, so the
   * change feed does not report it.
   */
  putCredentialReport(report: CredentialReport): Promise<void>
  /** The account's credential report, or null if none was kept. NotFoundError (account). */
  getCredentialReport(accountId: string): Promise<CredentialReport | null>
}

/** Instance profiles. */
export interface InstanceProfileOps {
  createInstanceProfile(input: NewInstanceProfile): Promise<InstanceProfile>
  getInstanceProfile(accountId: string, name: string): Promise<InstanceProfile>
  listInstanceProfiles(accountId: string, request?: PathPageRequest): Promise<Page<InstanceProfile>>
  /** DeleteConflictError while it holds a role. */
  deleteInstanceProfile(accountId: string, name: string): Promise<void>
  /**
   * LimitExceededError when the profile already holds rolesPerInstanceProfile roles (with AWS's
   * quota of one, also when it is this role, as in AWS); AlreadyExistsError for a role already
   * in a profile with room for more.
   */
  addRoleToInstanceProfile(accountId: string, profileName: string, roleName: string): Promise<void>
  /** NotFoundError (instanceProfileRole) if the role is not in it. */
  removeRoleFromInstanceProfile(
    accountId: string,
    profileName: string,
    roleName: string,
  ): Promise<void>
  listInstanceProfilesForRole(
    accountId: string,
    roleName: string,
    request?: PageRequest,
  ): Promise<Page<InstanceProfile>>
}

/** Tags of users, roles, managed policies and instance profiles. */
export interface TagOps {
  /** Adds or replaces. LimitExceededError if the resource would pass tagsPerResource. */
  tagResource(resource: TaggableRef, tags: readonly Tag[]): Promise<void>
  /** Removes the keys present; absent keys are ignored. */
  untagResource(resource: TaggableRef, keys: readonly string[]): Promise<void>
  /** By key (without case for users and roles). */
  listTags(resource: TaggableRef, request?: PageRequest): Promise<Page<Tag>>
  /**
   * Every tag of the resource, by key as listTags orders them; undefined when there is no such
   * resource (rather than NotFoundError: authorization asks this of resources being created).
   */
  getResourceTags(resource: TaggableRef): Promise<readonly Tag[] | undefined>
}

/** Everything a transaction can read and write. */
export interface StoreTx
  extends
    AccountOps,
    UserOps,
    GroupOps,
    RoleOps,
    PolicyOps,
    AttachmentOps,
    InlinePolicyOps,
    AccessKeyOps,
    CredentialReportOps,
    MfaDeviceOps,
    ServiceCredentialOps,
    UserCredentialOps,
    SamlProviderOps,
    ServiceLinkedRoleOps,
    ServerCertificateOps,
    OidcProviderOps,
    PasswordOps,
    AccountAliasOps,
    InstanceProfileOps,
    WorkloadOps,
    OutboundFederationOps,
    AccountPropertyOps,
    DelegationRequestOps,
    TagOps {}
