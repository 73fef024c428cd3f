/**
 * The one mapper from anything thrown to the AWS error a client receives. Each layer throws its
 * own errors; this is the only place that knows which AWS code each one becomes.
 */
import { errorCodes } from 'fastify'
import { PolicyParseError } from '../policy/index.js'
import {
  AlreadyExistsError,
  DeleteConflictError,
  LimitExceededError,
  NotFoundError,
} from '../store/errors.js'
import type { DeleteConflictReason, StoreEntity } from '../store/errors.js'
import type { StoreLimits } from '../store/limits.js'
import { AwsError } from './aws-error.js'

/** What a client reads when Gatehouse failed in a way it did not foresee (IAM's own wording). */
export const SERVICE_FAILURE_MESSAGE =
  'The request processing has failed because of an unknown error, exception or failure.'

/** What the mapper may know about the call that failed, to word the error as AWS does. */
export interface ErrorContext {
  /** The operation, e.g. `GetUserPolicy`: it says whose inline policy was not found. */
  readonly action?: string
}

// IAM's NoSuchEntity wording for each kind of entity (its real messages where they are on record:
// "The user with name foobar cannot be found.", "The Access Key with id ... cannot be found.").
const NOT_FOUND: Readonly<Record<StoreEntity, (key: string, holder: string) => string>> = {
  account: (key) => `The account with id ${key} cannot be found.`,
  user: (key) => `The user with name ${key} cannot be found.`,
  group: (key) => `The group with name ${key} cannot be found.`,
  role: (key) => `The role with name ${key} cannot be found.`,
  policy: (key) => `Policy ${key} does not exist or is not attachable.`,
  policyVersion: (key) => `Policy version ${key} does not exist.`,
  inlinePolicy: (key, holder) => `The ${holder}policy with name ${key} cannot be found.`,
  accessKey: (key) => `The Access Key with id ${key} cannot be found.`,
  instanceProfile: (key) => `Instance Profile ${key} cannot be found.`,
  groupMembership: (key) => `The user with name ${key} is not a member of the group.`,
  policyAttachment: (key) => `Policy ${key} was not found attached to the entity.`,
  permissionsBoundary: (key) => `The permissions boundary ${key} cannot be found.`,
  instanceProfileRole: (key) => `The role with name ${key} is not in the instance profile.`,
}

const ALREADY_EXISTS: Readonly<Record<StoreEntity, (key: string) => string>> = {
  account: (key) => `The account with id ${key} already exists.`,
  user: (key) => `User with name ${key} already exists.`,
  group: (key) => `Group with name ${key} already exists.`,
  role: (key) => `Role with name ${key} already exists.`,
  policy: (key) => `A policy called ${key} already exists. Duplicate names are not allowed.`,
  policyVersion: (key) => `Policy version ${key} already exists.`,
  inlinePolicy: (key) => `The policy with name ${key} already exists.`,
  accessKey: (key) => `The Access Key with id ${key} already exists.`,
  instanceProfile: (key) => `Instance Profile ${key} already exists.`,
  groupMembership: (key) => `The user with name ${key} is already a member of the group.`,
  policyAttachment: (key) => `Policy ${key} is already attached to the entity.`,
  permissionsBoundary: (key) => `The permissions boundary ${key} already exists.`,
  instanceProfileRole: (key) => `The role with name ${key} is already in an instance profile.`,
}

// The quota names IAM puts in "Cannot exceed quota for <Name>: <limit>" (GetAccountSummary's keys
// less their `Quota` suffix, e.g. "Cannot exceed quota for PoliciesPerRole: 10").
const QUOTA_NAMES: Readonly<Record<keyof StoreLimits, string>> = {
  usersPerAccount: 'UsersPerAccount',
  groupsPerAccount: 'GroupsPerAccount',
  rolesPerAccount: 'RolesPerAccount',
  policiesPerAccount: 'PoliciesPerAccount',
  instanceProfilesPerAccount: 'InstanceProfilesPerAccount',
  groupsPerUser: 'GroupsPerUser',
  attachedPoliciesPerUser: 'PoliciesPerUser',
  attachedPoliciesPerGroup: 'PoliciesPerGroup',
  attachedPoliciesPerRole: 'PoliciesPerRole',
  versionsPerPolicy: 'VersionsPerPolicy',
  accessKeysPerUser: 'AccessKeysPerUser',
  rolesPerInstanceProfile: 'InstanceSessionsPerInstanceProfile',
  tagsPerResource: 'TagsPerResource',
  inlinePolicySizePerUser: 'UserPolicySize',
  inlinePolicySizePerGroup: 'GroupPolicySize',
  inlinePolicySizePerRole: 'RolePolicySize',
}

function limitMessage(err: LimitExceededError): string {
  if (err.quota === 'versionsPerPolicy') {
    return `A managed policy can have up to ${err.limit} versions. Before you create a new version, you must delete an existing version.`
  }
  if (err.quota === 'tagsPerResource') return 'The number of tags has reached the maximum limit.'
  return `Cannot exceed quota for ${QUOTA_NAMES[err.quota]}: ${err.limit}`
}

// IAM's DeleteConflict wording: what must go before the entity can.
const DELETE_CONFLICT: Readonly<Record<DeleteConflictReason, string>> = {
  loginProfile: 'Cannot delete entity, must delete login profile first.',
  // IAM's wording as recorded against AWS (LocalStack's snapshot tests).
  mfaDevices: 'Cannot delete entity, must deactivate MFA devices first.',
  accessKeys: 'Cannot delete entity, must delete access keys first.',
  // Invented messages: IAM's wording for these two is not on record; they follow their siblings'.
  signingCertificates: 'Cannot delete entity, must delete signing certificates first.',
  sshPublicKeys: 'Cannot delete entity, must delete SSH public keys first.',
  // IAM's generic wording, recorded for this case.
  serviceSpecificCredentials: 'Cannot delete entity, must remove referenced objects first.',
  inlinePolicies: 'Cannot delete entity, must delete policies first.',
  attachedPolicies: 'Cannot delete entity, must detach all policies first.',
  groupMemberships: 'Cannot delete entity, must remove user from all groups first.',
  groupMembers: 'Cannot delete entity, must remove users from group first.',
  instanceProfiles: 'Cannot delete entity, must remove roles from instance profile first.',
  policyAttachments: 'Cannot delete a policy attached to entities.',
  permissionsBoundaryUsage:
    'Cannot delete a policy that is the permissions boundary of users or roles.',
  policyVersions:
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
  defaultVersion: 'Cannot delete the default version of a policy.',
  instanceProfileRoles: 'Cannot delete entity, must remove roles from instance profile first.',
}

/** `user `, `group ` or `role ` for the inline-policy operations of each, else nothing. */
function inlinePolicyHolder(context: ErrorContext): string {
  const match = /(User|Group|Role)Polic(?:y|ies)$/.exec(context.action ?? '')
  return match?.[1] === undefined ? '' : `${match[1].toLowerCase()} `
}

/**
 * Maps a thrown value to the AwsError to send: an AwsError as it is, a policy parse error as
 * MalformedPolicyDocument with AWS's message, the store's errors as NoSuchEntity (404),
 * EntityAlreadyExists, LimitExceeded and DeleteConflict (409), a request the HTTP layer refused
 * (a body too large or cut short, a malformed URL) as InvalidQueryParameter or
 * MalformedQueryString, anything else as ServiceFailure (500).
 */
export function toAwsError(err: unknown, context: ErrorContext = {}): AwsError {
  if (err instanceof AwsError) return err
  if (err instanceof PolicyParseError) {
    return new AwsError('MalformedPolicyDocument', err.faults[0].message, { cause: err })
  }
  if (err instanceof NotFoundError) {
    const message = NOT_FOUND[err.entity](err.key, inlinePolicyHolder(context))
    return new AwsError('NoSuchEntity', message, { cause: err })
  }
  if (err instanceof AlreadyExistsError) {
    return new AwsError('EntityAlreadyExists', ALREADY_EXISTS[err.entity](err.key), { cause: err })
  }
  if (err instanceof LimitExceededError) {
    return new AwsError('LimitExceeded', limitMessage(err), { cause: err })
  }
  if (err instanceof DeleteConflictError) {
    return new AwsError('DeleteConflict', DELETE_CONFLICT[err.reason], { cause: err })
  }
  if (err instanceof errorCodes.FST_ERR_CTP_BODY_TOO_LARGE) {
    return new AwsError('InvalidQueryParameter', 'The request body is too large.', { cause: err })
  }
  if (err instanceof errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH) {
    return new AwsError(
      'InvalidQueryParameter',
      "The request body's length does not match its Content-Length.",
      { cause: err },
    )
  }
  if (err instanceof errorCodes.FST_ERR_BAD_URL) {
    return new AwsError(
      'MalformedQueryString',
      'The query string contains a syntax error: the request URL is not validly percent-encoded.',
      { cause: err },
    )
  }
  // SECURITY: an unforeseen error's text can hold internals (paths, SQL, secrets). The client
  // gets a generic message; the original stays in `cause` for the log and the audit record.
  return new AwsError('ServiceFailure', SERVICE_FAILURE_MESSAGE, { cause: err })
}
