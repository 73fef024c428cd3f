/**
 * The workload API (a Gatehouse extension, not an AWS API): CreateWorkload, ListWorkloads and
 * DeleteWorkload, each with the permissions it needs, its input read from a JSON body, and its
 * handler. src/http/workload-api.ts runs them as the awsQuery pipeline runs IAM's operations:
 * authenticated, authorized in the same transaction as the handler, audited.
 *
 * Creating a workload hands a role to it, so it asks what AWS asks of whoever hands a role to a
 * service: iam:PassRole on the role, with iam:PassedToService the workload service principal and
 * iam:AssociatedResourceArn the workload's ARN, besides gatehouse:CreateWorkload on the
 * workload. The role must be in the caller's account and trust WORKLOAD_SERVICE_PRINCIPAL.
 */
import type { Caller } from '../../auth/caller.js'
import type { PolicyCompiler } from '../../auth/policy-compiler.js'
import { parseRoleArn, roleByArn } from '../../auth/role-by-arn.js'
import { AwsError } from '../../errors/aws-error.js'
import type { ContextValue } from '../../policy/index.js'
import { NotFoundError } from '../../store/errors.js'
import type { StoreTx } from '../../store/store.js'
import type { Workload } from '../../store/workloads-ops.js'
import { DURATION_MESSAGES } from '../sts/assume-role.js'
import { CONTAINER_CREDENTIALS_PATH } from './workload-api-shapes.js'
import type {
  CreateWorkloadResponse,
  DeleteWorkloadResponse,
  ListWorkloadsResponse,
  WorkloadDescription,
  WorkloadOperationName,
} from './workload-api-shapes.js'
import { allWorkloadsArn, workloadArn } from './workload-arn.js'
import { withWorkloadErrors } from './workload-aws-error.js'
import {
  MIN_WORKLOAD_SESSION_SECONDS,
  WORKLOAD_SERVICE_PRINCIPAL,
  workloadTrust,
} from './workload-sessions.js'
import { newTokenSecret, workloadToken } from './workload-token.js'
import { RECEIVE_DELEGATION_NOTIFICATIONS } from '../iam/receive-delegation-notifications.js'

/** The longest lifetime a workload may ask for: the most any role's MaxSessionDuration allows. */
export const MAX_WORKLOAD_SESSION_SECONDS = 43_200

/** A workload's name: a role session name's characters and length (STS's RoleSessionName). */
const NAME = /^[\w+=,.@-]{2,64}$/

/** What a handler works with. */
export interface WorkloadCallContext {
  /** The request's one store transaction. */
  readonly tx: StoreTx
  readonly caller: Caller
  readonly now: Date
  readonly compiler: PolicyCompiler
}

/** A permission a call needs, with the condition keys of its request. */
export interface WorkloadAuthorization {
  readonly action: string
  readonly resource: string
  readonly conditionKeys: Readonly<Record<string, ContextValue>>
}

/** What a call answers, and what of it the audit trail may keep. */
export interface WorkloadCallResult {
  /** SECURITY: may hold the token; sent to the caller only. */
  readonly response: object
  /** The response without any secret: the record's responseElements. */
  readonly recorded: Readonly<Record<string, unknown>>
}

/** One call, its input read and checked. */
export interface PreparedWorkloadCall {
  /** The input as the audit trail records it (it holds no secret). */
  readonly parameters: Readonly<Record<string, unknown>>
  /** Every permission the call needs, its own action first. */
  readonly authorizations: (caller: Caller) => readonly WorkloadAuthorization[]
  readonly handle: (ctx: WorkloadCallContext) => Promise<WorkloadCallResult>
}

/** An operation of the workload API. */
export interface WorkloadOperation {
  readonly name: WorkloadOperationName
  /** The action it is authorized as, e.g. `gatehouse:CreateWorkload`. */
  readonly action: string
  readonly readOnly: boolean
  /** Reads the call's input from the decoded JSON body; ValidationError for what does not fit. */
  readonly prepare: (body: Readonly<Record<string, unknown>>) => PreparedWorkloadCall
}

function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message)
}

/** Refuses members the operation does not take: a misspelt member would otherwise be ignored. */
function onlyMembers(body: Readonly<Record<string, unknown>>, members: readonly string[]): void {
  for (const member of Object.keys(body)) {
    if (!members.includes(member)) {
      throw validationError(`${member} is not a member of this operation's input.`)
    }
  }
}

function readString(
  body: Readonly<Record<string, unknown>>,
  member: string,
  required: boolean,
): string | undefined {
  const value = body[member]
  if (value === undefined || value === null) {
    if (required) throw validationError(`${member} is required.`)
    return undefined
  }
  if (typeof value !== 'string') throw validationError(`${member} must be a string.`)
  return value
}

function readInteger(
  body: Readonly<Record<string, unknown>>,
  member: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[member]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw validationError(
      `1 validation error detected: Value '${JSON.stringify(value)}' at '${member}' failed to satisfy constraint: Member must be an integer between ${min} and ${max}`,
    )
  }
  return value
}

function readName(body: Readonly<Record<string, unknown>>): string {
  const name = readString(body, 'Name', true) ?? ''
  if (!NAME.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must be 2 to 64 characters of [\\w+=,.@-]`,
    )
  }
  return name
}

/** A workload as the API describes it. */
export function describeWorkload(workload: Workload): WorkloadDescription {
  return {
    Name: workload.name,
    WorkloadId: workload.workloadId,
    Arn: workloadArn(workload.accountId, workload.name),
    RoleArn: workload.roleArn,
    DurationSeconds: workload.durationSeconds,
    CreateDate: workload.createdAt.toISOString(),
  }
}

const CREATE_WORKLOAD: WorkloadOperation = {
  name: 'CreateWorkload',
  action: 'gatehouse:CreateWorkload',
  readOnly: false,
  prepare(body) {
    onlyMembers(body, ['Name', 'RoleArn', 'DurationSeconds'])
    const name = readName(body)
    const roleArn = readString(body, 'RoleArn', true) ?? ''
    const roleParts = parseRoleArn(roleArn)
    if (roleParts === undefined) {
      throw validationError(`RoleArn must be the ARN of a role: ${roleArn} is not one.`)
    }
    const durationSeconds = readInteger(
      body,
      'DurationSeconds',
      MIN_WORKLOAD_SESSION_SECONDS,
      MAX_WORKLOAD_SESSION_SECONDS,
    )
    return {
      parameters: {
        Name: name,
        RoleArn: roleArn,
        ...(durationSeconds === undefined ? {} : { DurationSeconds: durationSeconds }),
      },
      authorizations: (caller) => {
        const arn = workloadArn(caller.accountId, name)
        return [
          { action: 'gatehouse:CreateWorkload', resource: arn, conditionKeys: {} },
          {
            action: 'iam:PassRole',
            resource: roleArn,
            conditionKeys: {
              'iam:PassedToService': WORKLOAD_SERVICE_PRINCIPAL,
              'iam:AssociatedResourceArn': arn,
            },
          },
        ]
      },
      async handle(ctx) {
        const accountId = ctx.caller.accountId
        // As AWS's services refuse a role of another account passed to them.
        if (roleParts.account !== accountId) {
          throw validationError(
            `The role ${roleArn} is not in account ${accountId}: a workload's role must be in its own account.`,
          )
        }
        const role = await roleByArn(ctx.tx, roleArn)
        if (role === undefined) throw new NotFoundError('role', roleParts.name)
        if (durationSeconds !== undefined && durationSeconds > role.maxSessionDuration) {
          throw validationError(DURATION_MESSAGES.maxSessionDuration)
        }
        // Whatever the server's enforcement mode: a workload whose role refuses the workload
        // service could never get credentials, so it is not made.
        const trust = await workloadTrust(ctx.tx, ctx.compiler, role, { accountId, name }, ctx.now)
        if (trust.decision !== 'allow') {
          throw validationError(
            `The role ${role.arn} cannot be given to workloads: its trust policy must allow the service principal ${WORKLOAD_SERVICE_PRINCIPAL} to perform sts:AssumeRole.`,
          )
        }
        const { secret, hash } = newTokenSecret()
        const workload = await withWorkloadErrors(() =>
          ctx.tx.createWorkload({
            accountId,
            name,
            roleArn: role.arn,
            tokenHash: hash,
            durationSeconds: durationSeconds ?? null,
          }),
        )
        const description = describeWorkload(workload)
        const response: CreateWorkloadResponse = {
          Workload: description,
          Token: workloadToken(workload.workloadId, secret),
          CredentialsPath: CONTAINER_CREDENTIALS_PATH,
        }
        return { response, recorded: { Workload: description } }
      },
    }
  },
}

const LIST_WORKLOADS: WorkloadOperation = {
  name: 'ListWorkloads',
  action: 'gatehouse:ListWorkloads',
  readOnly: true,
  prepare(body) {
    onlyMembers(body, ['Marker', 'MaxItems'])
    const marker = readString(body, 'Marker', false)
    const maxItems = readInteger(body, 'MaxItems', 1, 1000)
    return {
      parameters: {
        ...(marker === undefined ? {} : { Marker: marker }),
        ...(maxItems === undefined ? {} : { MaxItems: maxItems }),
      },
      authorizations: (caller) => [
        {
          action: 'gatehouse:ListWorkloads',
          resource: allWorkloadsArn(caller.accountId),
          conditionKeys: {},
        },
      ],
      async handle(ctx) {
        const page = await ctx.tx.listWorkloads(ctx.caller.accountId, {
          ...(marker === undefined ? {} : { marker }),
          ...(maxItems === undefined ? {} : { maxItems }),
        })
        const response: ListWorkloadsResponse = {
          Workloads: page.items.map(describeWorkload),
          ...(page.marker === null ? {} : { Marker: page.marker }),
        }
        return { response, recorded: {} }
      },
    }
  },
}

const DELETE_WORKLOAD: WorkloadOperation = {
  name: 'DeleteWorkload',
  action: 'gatehouse:DeleteWorkload',
  readOnly: false,
  prepare(body) {
    onlyMembers(body, ['Name'])
    const name = readName(body)
    return {
      parameters: { Name: name },
      authorizations: (caller) => [
        {
          action: 'gatehouse:DeleteWorkload',
          resource: workloadArn(caller.accountId, name),
          conditionKeys: {},
        },
      ],
      async handle(ctx) {
        const workload = await withWorkloadErrors(() =>
          ctx.tx.deleteWorkload(ctx.caller.accountId, name),
        )
        const response: DeleteWorkloadResponse = { Workload: describeWorkload(workload) }
        return { response, recorded: { ...response } }
      },
    }
  },
}

/** The workload API's operations by name, with the delegation notifications served beside them. */
export const WORKLOAD_OPERATIONS: ReadonlyMap<string, WorkloadOperation> = new Map(
  [CREATE_WORKLOAD, LIST_WORKLOADS, DELETE_WORKLOAD, RECEIVE_DELEGATION_NOTIFICATIONS].map(
    (operation) => [operation.name, operation],
  ),
)
