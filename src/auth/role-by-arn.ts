/**
 * The role a role ARN names (`arn:aws:iam::ACCOUNT:role/path/Name`), as STS finds the role to
 * assume: by account and name, and only at the path the ARN gives.
 */
import { NotFoundError } from '../store/errors.js'
import type { Role, StoreTx } from '../store/store.js'

// arn:aws:iam::ACCOUNT:role/path/Name
const ROLE_ARN = /^arn:aws:iam::([0-9]{12}):role\/(?:[^/]+\/)*([^/]+)$/

/** The account and name in a role ARN, or undefined for an ARN that names no role. */
export function parseRoleArn(arn: string): { account: string; name: string } | undefined {
  const match = ROLE_ARN.exec(arn)
  if (match === null) return undefined
  const [, account, name] = match as unknown as [string, string, string]
  return { account, name }
}

/** The role `arn` names, or undefined when there is none (the same name at another path is another role). */
export async function roleByArn(tx: StoreTx, arn: string): Promise<Role | undefined> {
  const parsed = parseRoleArn(arn)
  if (parsed === undefined) return undefined
  try {
    const role = await tx.getRole(parsed.account, parsed.name)
    return role.arn === arn ? role : undefined
  } catch (err) {
    if (err instanceof NotFoundError) return undefined
    throw err
  }
}
