/**
 * AWS's AccessDenied wording (S21, spec 4.3): `User: <caller> is not authorized to perform:
 * <action>[ on resource: <arn>] <because ... | with an explicit deny in ...>`.
 */

/** The policy type an AccessDenied message names. */
export type DeniedBy =
  'identity' | 'resource' | 'roleTrust' | 'boundary' | 'session' | 'scp' | 'rcp'

const EXPLICIT: Readonly<Record<DeniedBy, string>> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  roleTrust: 'the role trust policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
}

const IMPLICIT: Readonly<Record<DeniedBy, string>> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  roleTrust: 'role trust policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
}

/** Builds the AccessDenied message for a denial. */
export function denialMessage(
  callerArn: string,
  action: string,
  resource: string,
  explicit: boolean,
  deniedBy: DeniedBy,
): string {
  const on = resource === '*' ? '' : ` on resource: ${resource}`
  const why = explicit
    ? `with an explicit deny in ${EXPLICIT[deniedBy]}`
    : `because no ${IMPLICIT[deniedBy]} allows the ${action} action`
  return `User: ${callerArn} is not authorized to perform: ${action}${on} ${why}`
}
