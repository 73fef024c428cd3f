/**
 * Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole and
 * GetServiceLinkedRoleDeletionStatus (reference §2, "Roles"). A service-linked role is a role
 * like any other in the store, told apart by its path, /aws-service-role/<service-principal>/,
 * with the name its service gives it and a trust policy letting that service assume it.
 * Deletion, which AWS runs as a task of the linked service, is done at once here: the task is
 * recorded as SUCCEEDED, so GetServiceLinkedRoleDeletionStatus has it to report.
 */
import { AwsError } from '../../errors/aws-error.js'
import { allItems } from '../../store/all-items.js'
import { entityArn } from '../../store/arn.js'
import { AlreadyExistsError } from '../../store/errors.js'
import type { PolicyHolderRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { linkedServiceOf, SERVICE_LINKED_ROLE_PATH_PREFIX } from './protected-role.js'
import { roleXml } from './role-results.js'
import { ROLE_DESCRIPTION, ROLE_NAME } from './role-shapes.js'
import { targetRoleArn } from './roles.js'
import { serviceLinkedRoleTemplate } from './service-linked-role-template.js'
import { NAME_PATTERN, required } from './shapes.js'

/** groupNameType, the model's shape of AWSServiceName. */
const SERVICE_NAME = { kind: 'string', min: 1, max: 128, pattern: NAME_PATTERN } as const

/** customSuffixType. */
const CUSTOM_SUFFIX = { kind: 'string', min: 1, max: 64, pattern: NAME_PATTERN } as const

/** DeletionTaskIdType. */
const DELETION_TASK_ID = { kind: 'string', min: 1, max: 1000 } as const

/** roleNameType's length: a suffix may not take a role's name past it. */
const ROLE_NAME_MAX = 64

/** The task id's format, as the model documents it. */
const TASK_ID = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/([^/]+)$/

/** The path of the roles linked to `serviceName`. */
function linkedRolePath(serviceName: string): string {
  return `${SERVICE_LINKED_ROLE_PATH_PREFIX}${serviceName}/`
}

/**
 * The name of the role `serviceName` links, with `suffix` if given. InvalidInput for a service
 * Gatehouse does not know, or a suffix the service does not take or that makes the name too long.
 */
function linkedRoleName(serviceName: string, suffix: string | undefined): string {
  const template = serviceLinkedRoleTemplate(serviceName)
  if (template === undefined) {
    throw new AwsError(
      'InvalidInput',
      // Invented message: IAM knows every service's role; Gatehouse knows a handful
      // (service-linked-role-template.ts) and names the principal it does not know.
      `Service linked role templates are not known for the service principal ${serviceName}.`,
    )
  }
  if (suffix === undefined) return template.roleName
  if (!template.suffixAllowed) {
    // IAM's message ("Custom suffix is not allowed for es.amazonaws.com").
    throw new AwsError('InvalidInput', `Custom suffix is not allowed for ${serviceName}`)
  }
  const name = `${template.roleName}_${suffix}`
  if (name.length > ROLE_NAME_MAX) {
    throw new AwsError(
      'InvalidInput',
      // Invented message: IAM's answer to a suffix that makes the name too long is not on record.
      `The role name ${name} is longer than ${ROLE_NAME_MAX} characters; please try a shorter suffix.`,
    )
  }
  return name
}

/** The trust policy IAM gives a service-linked role: its service may assume it. */
function linkedRoleTrustPolicy(serviceName: string): string {
  // Member order as IAM returns it (the CLI's create-service-linked-role example).
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [serviceName] } },
    ],
  })
}

/** CreateServiceLinkedRole. */
export const CREATE_SERVICE_LINKED_ROLE = defineOperation({
  name: 'CreateServiceLinkedRole',
  action: 'iam:CreateServiceLinkedRole',
  input: {
    kind: 'structure',
    members: {
      AWSServiceName: required(SERVICE_NAME),
      Description: ROLE_DESCRIPTION,
      CustomSuffix: CUSTOM_SUFFIX,
    },
  } as const,
  // IAM authorizes the call on the role it would create ("... iam:CreateServiceLinkedRole on
  // resource: arn:aws:iam::...:role/aws-service-role/autoscaling.amazonaws.com/
  // AWSServiceRoleForAutoScaling"), so the name must be known before authorization.
  resource: (input, ctx) =>
    entityArn(
      'role',
      ctx.caller.accountId,
      linkedRolePath(input.AWSServiceName),
      linkedRoleName(input.AWSServiceName, input.CustomSuffix),
    ),
  conditionKeys: (input) => ({ 'iam:AWSServiceName': input.AWSServiceName }),
  handle: async (input, ctx) => {
    const name = linkedRoleName(input.AWSServiceName, input.CustomSuffix)
    try {
      const role = await ctx.tx.createRole({
        accountId: ctx.caller.accountId,
        name,
        path: linkedRolePath(input.AWSServiceName),
        assumeRolePolicyDocument: linkedRoleTrustPolicy(input.AWSServiceName),
        ...(input.Description === undefined ? {} : { description: input.Description }),
      })
      return { Role: roleXml(role, 'create') }
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err
      // IAM's message, as recorded ("Service role name AWSServiceRoleForEC2Spot has been taken
      // in this account, please try a different suffix.").
      throw new AwsError(
        'InvalidInput',
        `Service role name ${name} has been taken in this account, please try a different suffix.`,
        { cause: err },
      )
    }
  },
})

/**
 * Removes what holds the role: its inline policies, attached policies and instance profiles.
 * The linked service would have cleaned up after itself; no service does here.
 */
async function detachEverything(ctx: OperationContext, roleName: string): Promise<void> {
  const accountId = ctx.caller.accountId
  const holder: PolicyHolderRef = { kind: 'role', accountId, name: roleName }
  for (const name of await allItems((r) => ctx.tx.listInlinePolicies(holder, r))) {
    await ctx.tx.deleteInlinePolicy(holder, name)
  }
  for (const policy of await allItems((r) => ctx.tx.listAttachedPolicies(holder, r))) {
    await ctx.tx.detachPolicy(holder, policy.name)
  }
  for (const profile of await allItems((r) =>
    ctx.tx.listInstanceProfilesForRole(accountId, roleName, r),
  )) {
    await ctx.tx.removeRoleFromInstanceProfile(accountId, profile.name, roleName)
  }
}

/** DeleteServiceLinkedRole: deletes the role at once and returns its (finished) task's id. */
export const DELETE_SERVICE_LINKED_ROLE = defineOperation({
  name: 'DeleteServiceLinkedRole',
  action: 'iam:DeleteServiceLinkedRole',
  input: { kind: 'structure', members: { RoleName: required(ROLE_NAME) } } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  handle: async (input, ctx) => {
    const role = await ctx.tx.getRole(ctx.caller.accountId, input.RoleName)
    const serviceName = linkedServiceOf(role)
    if (serviceName === undefined) {
      throw new AwsError(
        'InvalidInput',
        // Invented message: IAM's answer for a role that is not service-linked is not on record.
        `Role ${role.name} is not a service-linked role; use DeleteRole to delete it.`,
      )
    }
    await detachEverything(ctx, role.name)
    await ctx.tx.deleteRole(ctx.caller.accountId, role.name)
    const task = await ctx.tx.createDeletionTask({
      accountId: ctx.caller.accountId,
      serviceName,
      roleName: role.name,
      status: 'SUCCEEDED',
    })
    return { DeletionTaskId: task.taskId }
  },
})

/** The service and role a task id names; InvalidInput unless it has the model's format. */
function parseTaskId(taskId: string): { serviceName: string; roleName: string } {
  const match = TASK_ID.exec(taskId)
  if (match === null) {
    throw new AwsError(
      'InvalidInput',
      // Invented message: IAM's wording for a malformed task id is not on record.
      `Invalid deletion task id: ${taskId}. It must be of the form task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>.`,
    )
  }
  return { serviceName: match[1] ?? '', roleName: match[2] ?? '' }
}

/** GetServiceLinkedRoleDeletionStatus. */
export const GET_SERVICE_LINKED_ROLE_DELETION_STATUS = defineOperation({
  name: 'GetServiceLinkedRoleDeletionStatus',
  action: 'iam:GetServiceLinkedRoleDeletionStatus',
  input: { kind: 'structure', members: { DeletionTaskId: required(DELETION_TASK_ID) } } as const,
  // Authorized on the role the task deletes, which the task id names (the reference gives the
  // action the role resource type only).
  resource: (input, ctx) => {
    const { serviceName, roleName } = parseTaskId(input.DeletionTaskId)
    return entityArn('role', ctx.caller.accountId, linkedRolePath(serviceName), roleName)
  },
  handle: async (input, ctx) => {
    const task = await ctx.tx.getDeletionTask(ctx.caller.accountId, input.DeletionTaskId)
    if (task === null) {
      throw new AwsError(
        'NoSuchEntity',
        // Invented message: IAM's wording for an unknown task is not on record.
        `The deletion task with id ${input.DeletionTaskId} cannot be found.`,
      )
    }
    return {
      Status: task.status,
      ...(task.status === 'FAILED' && task.reason !== null
        ? { Reason: { Reason: task.reason } }
        : {}),
    }
  },
})
