/**
 * The entity a PolicySourceArn names (SimulatePrincipalPolicy, GetContextKeysForPrincipalPolicy)
 * and its policies: for a user its own, its groups' and its permissions boundary; for a group
 * its own; for a role its own and its boundary. They are read by the functions enforcement reads
 * them with (src/auth/identity-policies.ts), so a simulation sees what authorization sees.
 */
import type { LabelledDocument } from '../../auth/identity-policies.js'
import {
  loadGroupPolicies,
  loadRolePolicies,
  loadUserPolicies,
} from '../../auth/identity-policies.js'
import { AwsError } from '../../errors/aws-error.js'
import { NotFoundError } from '../../store/errors.js'
import type { StoreTx, User } from '../../store/store.js'

/** The kinds of entity whose policies can be simulated. */
export type PolicySourceKind = 'user' | 'group' | 'role'

/** A PolicySourceArn taken apart. */
export interface PolicySourceArn {
  readonly arn: string
  readonly account: string
  readonly kind: PolicySourceKind
  readonly name: string
}

/** A stored policy document with its SourcePolicyId. */
export interface SourceDocument {
  readonly id: string
  readonly text: string
}

/** What the simulator takes from the entity. */
export interface PolicySource {
  readonly kind: PolicySourceKind
  readonly identity: readonly SourceDocument[]
  readonly boundary: SourceDocument | null
  /** The user, when the entity is one: the simulated caller unless CallerArn names another. */
  readonly user: User | null
}

// arn:aws:iam::ACCOUNT:user/path/Name: a path (`/` or `/.../`) of printable ASCII, an IAM name.
const ENTITY_ARN =
  /^arn:aws:iam::([0-9]{12}):(user|group|role)(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/

/** The parts of an ARN of a user, group or role; undefined for any other ARN. */
export function parseEntityArn(arn: string): PolicySourceArn | undefined {
  const match = ENTITY_ARN.exec(arn)
  if (match === null) return undefined
  const [, account, kind, , name] = match as unknown as [
    string,
    string,
    PolicySourceKind,
    string,
    string,
  ]
  return { arn, account, kind, name }
}

/** The PolicySourceArn's parts, or InvalidInput as AWS refuses another kind of ARN. */
export function policySourceArn(arn: string): PolicySourceArn {
  const parsed = parseEntityArn(arn)
  // AWS's wording, as it refused an assumed-role session's ARN given as PolicySourceArn.
  if (parsed === undefined) throw new AwsError('InvalidInput', `Invalid Entity Arn: ${arn}`)
  return parsed
}

// Labels of identity-policies.ts: `user/alice:inline/ReadOnly`, `group/admins:attached/Admin`,
// `role/app:boundary/Limit`. Names hold none of `/` and `:`, so the parts are unambiguous.
const LABEL = /^(user|group|role)\/([^/:]+):(inline|attached|boundary)\/(.+)$/

/**
 * The SourcePolicyId of a document read for enforcement. A managed policy goes by its name, as
 * `AmazonS3ReadOnlyAccess` in the API reference's example; an inline policy by its holder and
 * name, `user_<user>_<policy>`, as `user_admin_AdminUser` in the same-account example.
 */
function sourceId(label: string): string {
  const match = LABEL.exec(label)
  if (match === null) {
    // Invented: the account password policy's AllowUsersToChangePassword grant, a policy of
    // Gatehouse's own making, goes by the setting's name.
    return label.slice(label.indexOf(':') + 1)
  }
  const [, holder, holderName, place, policyName] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ]
  return place === 'inline' ? `${holder}_${holderName}_${policyName}` : policyName
}

function sourceDocument(labelled: LabelledDocument): SourceDocument {
  return { id: sourceId(labelled.label), text: labelled.document }
}

/**
 * The entity `source` names in the caller's account and its policies; NoSuchEntity when there
 * is none there (another account's entity, or the name at another path, is not found).
 */
export async function loadPolicySource(
  tx: StoreTx,
  callerAccount: string,
  source: PolicySourceArn,
): Promise<PolicySource> {
  if (source.account !== callerAccount) throw new NotFoundError(source.kind, source.name)
  switch (source.kind) {
    case 'user': {
      const user = await tx.getUser(source.account, source.name)
      if (user.arn !== source.arn) throw new NotFoundError('user', source.name)
      const policies = await loadUserPolicies(tx, user)
      return {
        kind: 'user',
        identity: policies.identity.map(sourceDocument),
        boundary: policies.boundary === null ? null : sourceDocument(policies.boundary),
        user,
      }
    }
    case 'group': {
      const group = await tx.getGroup(source.account, source.name)
      if (group.arn !== source.arn) throw new NotFoundError('group', source.name)
      const identity = await loadGroupPolicies(tx, group)
      return { kind: 'group', identity: identity.map(sourceDocument), boundary: null, user: null }
    }
    case 'role': {
      const role = await tx.getRole(source.account, source.name)
      if (role.arn !== source.arn) throw new NotFoundError('role', source.name)
      const policies = await loadRolePolicies(tx, role)
      return {
        kind: 'role',
        identity: policies.identity.map(sourceDocument),
        boundary: policies.boundary === null ? null : sourceDocument(policies.boundary),
        user: null,
      }
    }
  }
}
