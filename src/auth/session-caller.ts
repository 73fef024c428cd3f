/**
 * The caller a session token stands for, with the entities behind it as they are now: a role
 * session's role, the IAM user of a user session or of a federated user, the root user's account.
 * A session ends with its entity: once the role (or user) is deleted, its sessions are refused,
 * even a role of the same name made again, since entities are found by unique id.
 *
 * This is the one database read that authenticating a session makes; it is kept in this one
 * function so that a cache fed by the store's change feed can take its place.
 */
import { rootArn } from '../store/arn.js'
import type { AuthCache } from './auth-cache.js'
import { assumedRoleArn, federatedUserArn } from './caller.js'
import type { SessionCaller } from './caller.js'
import type { SessionClaims } from './session-token.js'

/** Where the entities a token names are looked up (the auth cache). */
export type SessionLookups = Pick<AuthCache, 'roleById' | 'userById' | 'account'>

export async function loadSessionCaller(
  lookups: SessionLookups,
  claims: SessionClaims,
): Promise<SessionCaller | undefined> {
  const { principal, accountId, accessKeyId } = claims
  switch (principal.kind) {
    case 'assumedRole': {
      const role = await lookups.roleById(principal.roleId)
      if (role === undefined || role.accountId !== accountId) return undefined
      return {
        kind: 'assumedRole',
        accountId,
        arn: assumedRoleArn(accountId, principal.roleName, principal.sessionName),
        accessKeyId,
        role,
        sessionName: principal.sessionName,
        session: claims,
      }
    }
    case 'federatedUser': {
      let user = null
      if (principal.federatedBy !== null) {
        const found = await lookups.userById(principal.federatedBy.userId)
        if (found === undefined || found.accountId !== accountId) return undefined
        user = found
      }
      return {
        kind: 'federatedUser',
        accountId,
        arn: federatedUserArn(accountId, principal.name),
        accessKeyId,
        name: principal.name,
        user,
        session: claims,
      }
    }
    case 'user': {
      const user = await lookups.userById(principal.userId)
      if (user === undefined || user.accountId !== accountId) return undefined
      return { kind: 'userSession', accountId, arn: user.arn, accessKeyId, user, session: claims }
    }
    case 'root': {
      const account = await lookups.account(accountId)
      if (account === undefined) return undefined
      return {
        kind: 'rootSession',
        accountId,
        arn: rootArn(accountId),
        accessKeyId,
        account,
        session: claims,
      }
    }
  }
}
