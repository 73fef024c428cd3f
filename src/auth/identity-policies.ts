/**
 * The policies that bear on what an IAM user or a role's sessions may do, read from the store:
 * the user's inline policies, the managed policies attached to it, the inline and attached
 * policies of its groups, its permissions boundary, and its tags (aws:PrincipalTag/*); a role's
 * inline and attached policies, boundary and tags.
 */
import { allItems } from '../store/all-items.js'
import { selfServicePasswordPolicy } from './password-rules.js'
import type { Group, PolicyHolderRef, Role, StoreTx, Tag, User } from '../store/store.js'

/** A policy document with the label that names it in explanations. */
export interface LabelledDocument {
  /** E.g. `user/alice:inline/ReadOnly`, `group/admins:attached/AdminAccess`. */
  readonly label: string
  readonly document: string
}

/** Everything about a user or role that the policy engine needs. */
export interface UserPolicies {
  readonly identity: readonly LabelledDocument[]
  readonly boundary: LabelledDocument | null
  readonly tags: readonly Tag[]
}

async function holderPolicies(tx: StoreTx, holder: PolicyHolderRef): Promise<LabelledDocument[]> {
  const prefix = `${holder.kind}/${holder.name}`
  const documents: LabelledDocument[] = []
  for (const name of await allItems((r) => tx.listInlinePolicies(holder, r))) {
    const policy = await tx.getInlinePolicy(holder, name)
    documents.push({ label: `${prefix}:inline/${name}`, document: policy.document })
  }
  for (const policy of await allItems((r) => tx.listAttachedPolicies(holder, r))) {
    const version = await tx.getDefaultPolicyVersion(holder.accountId, policy.name)
    documents.push({ label: `${prefix}:attached/${policy.name}`, document: version.document })
  }
  return documents
}

/** The name of a customer managed policy from its ARN (`arn:aws:iam::ACCOUNT:policy/path/Name`). */
function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/** Reads a user's identity policies, boundary and tags in `tx`. */
export async function loadUserPolicies(tx: StoreTx, user: User): Promise<UserPolicies> {
  const holder: PolicyHolderRef = { kind: 'user', accountId: user.accountId, name: user.name }
  const identity = await holderPolicies(tx, holder)
  // AllowUsersToChangePassword grants every IAM user its own password change at the account's
  // level, with no policy attached to anyone (the model's documentation of the member).
  const passwordPolicy = await tx.getAccountPasswordPolicy(user.accountId)
  if (passwordPolicy?.allowUsersToChangePassword === true) {
    identity.push({
      label: 'account:AllowUsersToChangePassword',
      document: selfServicePasswordPolicy(user.arn),
    })
  }
  for (const group of await allItems((r) => tx.listGroupsForUser(user.accountId, user.name, r))) {
    identity.push(
      ...(await holderPolicies(tx, {
        kind: 'group',
        accountId: group.accountId,
        name: group.name,
      })),
    )
  }
  let boundary: LabelledDocument | null = null
  if (user.permissionsBoundaryArn !== null) {
    const name = policyNameOf(user.permissionsBoundaryArn)
    const version = await tx.getDefaultPolicyVersion(user.accountId, name)
    boundary = { label: `user/${user.name}:boundary/${name}`, document: version.document }
  }
  const tags = await allItems((r) =>
    tx.listTags({ kind: 'user', accountId: user.accountId, name: user.name }, r),
  )
  return { identity, boundary, tags }
}

/** Reads a group's own inline and attached policies in `tx` (what its members get from it). */
export async function loadGroupPolicies(tx: StoreTx, group: Group): Promise<LabelledDocument[]> {
  return holderPolicies(tx, { kind: 'group', accountId: group.accountId, name: group.name })
}

/** Reads a role's identity policies, boundary and tags in `tx`: what its sessions start from. */
export async function loadRolePolicies(tx: StoreTx, role: Role): Promise<UserPolicies> {
  const holder: PolicyHolderRef = { kind: 'role', accountId: role.accountId, name: role.name }
  const identity = await holderPolicies(tx, holder)
  let boundary: LabelledDocument | null = null
  if (role.permissionsBoundaryArn !== null) {
    const name = policyNameOf(role.permissionsBoundaryArn)
    const version = await tx.getDefaultPolicyVersion(role.accountId, name)
    boundary = { label: `role/${role.name}:boundary/${name}`, document: version.document }
  }
  const tags = await allItems((r) =>
    tx.listTags({ kind: 'role', accountId: role.accountId, name: role.name }, r),
  )
  return { identity, boundary, tags }
}
