/**
 * IAM's policy simulator: SimulatePrincipalPolicy (a user's, group's or role's policies, plus
 * any given) and SimulateCustomPolicy (the given policies alone). Every action is evaluated on
 * every resource by the enforcement engine (src/policy/prepare-simulation.ts); the results are
 * AWS's EvaluationResult, Marker/MaxItems paginated.
 */
import { AwsError } from '../../errors/aws-error.js'
import { ContextEntryError, contextFromEntries } from '../../policy/context-entries.js'
import type {
  EvalDecision,
  MatchedStatement,
  SimulationDocument,
  SimulationResult,
} from '../../policy/prepare-simulation.js'
import { prepareSimulation } from '../../policy/prepare-simulation.js'
import type { ContextValue, RequestPrincipal } from '../../policy/index.js'
import type { QueryValue } from '../../protocol/query/query-value.js'
import { splitArn } from '../../policy/arn.js'
import { defineOperation } from '../operation.js'
import type { OperationContext, OperationResult } from '../operation.js'
import { ifFound } from './if-found.js'
import type { PolicySource, SourceDocument } from './policy-source.js'
import { loadPolicySource, parseEntityArn, policySourceArn } from './policy-source.js'
import { inputDocuments, simulationDocument } from './simulation-document.js'
import {
  SIMULATE_CUSTOM_POLICY_INPUT,
  SIMULATE_PRINCIPAL_POLICY_INPUT,
} from './simulator-shapes.js'
import type { SIMULATION_MEMBERS } from './simulator-shapes.js'

/** The members both operations read besides their policies. */
type SimulationParams = QueryValue<{ kind: 'structure'; members: typeof SIMULATION_MEMBERS }>

/** The scenarios the model documents for ResourceHandlingOption (EC2 instance launches). */
const RESOURCE_HANDLING_OPTIONS: ReadonlySet<string> = new Set([
  'EC2-VPC-InstanceStore',
  'EC2-VPC-InstanceStore-Subnet',
  'EC2-VPC-EBS',
  'EC2-VPC-EBS-Subnet',
])

const ROOT_ARN = /^arn:aws:iam::([0-9]{12}):root$/

/** A Position as the Statement type holds it. */
type PositionXml = { readonly Line: number; readonly Column: number }

/** The Statement type. */
type StatementXml = {
  readonly SourcePolicyId: string
  readonly SourcePolicyType: string
  readonly StartPosition: PositionXml | undefined
  readonly EndPosition: PositionXml | undefined
}

/** The ResourceSpecificResult type. */
type ResourceSpecificResultXml = {
  readonly EvalResourceName: string
  readonly EvalResourceDecision: EvalDecision
  readonly MatchedStatements: readonly StatementXml[]
  readonly MissingContextValues: readonly string[]
  readonly EvalDecisionDetails: ReadonlyMap<string, EvalDecision> | undefined
  readonly PermissionsBoundaryDecisionDetail: BoundaryDetailXml | undefined
}

type BoundaryDetailXml = { readonly AllowedByPermissionsBoundary: boolean }

/**
 * The EvaluationResult type. OrganizationsDecisionDetail "only applies if the simulated user's
 * account is part of an organization": Gatehouse's accounts are in none, so it is never sent.
 */
type EvaluationResultXml = {
  readonly EvalActionName: string
  readonly EvalResourceName: string
  readonly EvalDecision: EvalDecision
  readonly MatchedStatements: readonly StatementXml[]
  readonly MissingContextValues: readonly string[]
  readonly PermissionsBoundaryDecisionDetail: BoundaryDetailXml | undefined
  readonly EvalDecisionDetails: ReadonlyMap<string, EvalDecision> | undefined
  readonly ResourceSpecificResults: readonly ResourceSpecificResultXml[] | undefined
}

function statementXml(statement: MatchedStatement): StatementXml {
  const position = (p: MatchedStatement['start']) =>
    p === undefined ? undefined : { Line: p.line, Column: p.column }
  return {
    SourcePolicyId: statement.sourcePolicyId,
    SourcePolicyType: statement.sourcePolicyType,
    StartPosition: position(statement.start),
    EndPosition: position(statement.end),
  }
}

/**
 * One result. For `*` the missing context values are the result's own; for a named resource
 * they go in its ResourceSpecificResults entry instead (EvaluationResult's documentation), which
 * repeats the resource's decision as the API reference's same-account examples do.
 */
function evaluationResultXml(result: SimulationResult): EvaluationResultXml {
  const matched = result.matched.map(statementXml)
  const details = result.decisionDetails ?? undefined
  const boundary =
    result.allowedByBoundary === null
      ? undefined
      : { AllowedByPermissionsBoundary: result.allowedByBoundary }
  const named = result.resource !== '*'
  return {
    EvalActionName: result.action,
    EvalResourceName: result.resource,
    EvalDecision: result.decision,
    MatchedStatements: matched,
    MissingContextValues: named ? [] : result.missingContextValues,
    PermissionsBoundaryDecisionDetail: boundary,
    EvalDecisionDetails: details,
    ResourceSpecificResults: named
      ? [
          {
            EvalResourceName: result.resource,
            EvalResourceDecision: result.decision,
            MatchedStatements: matched,
            MissingContextValues: result.missingContextValues,
            EvalDecisionDetails: details,
            PermissionsBoundaryDecisionDetail: boundary,
          },
        ]
      : undefined,
  }
}

/** Where a page starts: the Marker is an offset into the results, opaque to the client. */
function pageStart(marker: string | undefined, total: number): number {
  if (marker === undefined) return 0
  const decoded = Buffer.from(marker, 'base64url').toString('utf8')
  const start = /^(0|[1-9][0-9]{0,8})$/.test(decoded) ? Number(decoded) : -1
  // Invented message: the marker is Gatehouse's own.
  if (start < 0 || start > total) {
    throw new AwsError('InvalidInput', 'The Marker is not one this operation returned.')
  }
  return start
}

/** The simulated caller CallerArn names: an IAM user, found in the store when it is there. */
async function callerNamed(ctx: OperationContext, arn: string): Promise<RequestPrincipal> {
  const parsed = parseEntityArn(arn)
  if (parsed?.kind !== 'user') {
    // Invented message, after AWS's for a PolicySourceArn that names no entity: CallerArn
    // "can specify only the ARN of an IAM user".
    throw new AwsError('InvalidInput', `Invalid Entity Arn: ${arn}`)
  }
  const user =
    parsed.account === ctx.caller.accountId
      ? await ifFound(ctx.tx.getUser(parsed.account, parsed.name))
      : undefined
  return {
    type: 'User',
    arn,
    account: parsed.account,
    ...(user !== undefined && user.arn === arn ? { uniqueId: user.userId } : {}),
  }
}

function resourceOwnerAccount(owner: string | undefined): string | null {
  if (owner === undefined) return null
  const account = ROOT_ARN.exec(owner)?.[1]
  // AWS's wording (botocore issue 1346); the account's ARN, `arn:aws:iam::ACCOUNT:root`, is
  // the form SimulateCustomPolicy's reference gives.
  if (account === undefined) {
    throw new AwsError('InvalidInput', `'${owner}' is not a valid as a Resource Owner.`)
  }
  return account
}

function checkResources(resources: readonly string[]): void {
  for (const resource of resources) {
    // AWS's wording, as it refused a KMS key id given as a resource.
    if (resource !== '*' && (splitArn(resource) === null || !resource.startsWith('arn:'))) {
      throw new AwsError(
        'InvalidInput',
        `ResourceNames are not in a valid ARN format: ${resource}.`,
      )
    }
  }
}

function contextValues(params: SimulationParams): Record<string, ContextValue> {
  try {
    return contextFromEntries(
      (params.ContextEntries ?? []).map((entry) => ({
        name: entry.ContextKeyName,
        values: entry.ContextKeyValues,
        type: entry.ContextKeyType,
      })),
    )
  } catch (err) {
    if (err instanceof ContextEntryError) throw new AwsError('InvalidInput', err.message)
    throw err
  }
}

function storedDocuments(
  documents: readonly SourceDocument[],
  kind: 'identity' | 'boundary',
): SimulationDocument[] {
  return documents.map((d) => simulationDocument(d.id, d.text, kind))
}

/** Runs a simulation of `params` over `inputs` (PolicyInputList) and the entity's policies. */
async function simulate(
  ctx: OperationContext,
  params: SimulationParams,
  inputs: readonly SimulationDocument[],
  source: PolicySource | null,
): Promise<OperationResult> {
  const boundaryInputs = params.PermissionsBoundaryPolicyInputList ?? []
  if (boundaryInputs.length > 1) {
    // Invented message: "You can input only one permissions boundary" (the model).
    throw new AwsError(
      'InvalidInput',
      'PermissionsBoundaryPolicyInputList can hold only one permissions boundary policy.',
    )
  }
  const boundaryText = boundaryInputs[0]
  const resourcePolicy =
    params.ResourcePolicy === undefined
      ? null
      : simulationDocument('ResourcePolicy', params.ResourcePolicy, 'resource')
  const caller: RequestPrincipal | null =
    params.CallerArn !== undefined
      ? await callerNamed(ctx, params.CallerArn)
      : source?.user == null
        ? null
        : {
            type: 'User',
            arn: source.user.arn,
            account: source.user.accountId,
            uniqueId: source.user.userId,
          }
  if (resourcePolicy !== null) {
    // "Simulation of resource-based policies isn't supported for IAM roles" (the model).
    if (source?.kind === 'role') {
      // Invented message.
      throw new AwsError(
        'InvalidInput',
        'Simulation of resource-based policies is not supported for IAM roles.',
      )
    }
    // "CallerArn is required if you include a ResourcePolicy" (the model).
    if (caller === null) {
      // Invented message.
      throw new AwsError(
        'InvalidInput',
        'CallerArn is required when a ResourcePolicy is included in the simulation.',
      )
    }
  }
  const resourceOwner = resourceOwnerAccount(params.ResourceOwner)
  const resources = params.ResourceArns ?? ['*']
  checkResources(resources)
  const option = params.ResourceHandlingOption
  if (option !== undefined && !RESOURCE_HANDLING_OPTIONS.has(option)) {
    // Invented message. The scenarios are accepted; their resource sets are not checked.
    throw new AwsError('InvalidInput', `${option} is not a valid ResourceHandlingOption.`)
  }
  const context = contextValues(params)

  // A boundary given replaces the entity's: "the new permissions boundary policy is used".
  const boundary =
    boundaryText !== undefined
      ? simulationDocument('PermissionsBoundaryPolicyInputList.1', boundaryText, 'boundary')
      : source?.boundary == null
        ? null
        : (storedDocuments([source.boundary], 'boundary')[0] ?? null)
  const simulation = prepareSimulation({
    identity: [...inputs, ...storedDocuments(source?.identity ?? [], 'identity')],
    boundary,
    resourcePolicy,
    caller,
    account: caller?.account ?? ctx.caller.accountId,
    resourceOwner,
    context,
  })

  // Each action on each resource, action by action; only the page asked for is evaluated.
  const actions = params.ActionNames
  const total = actions.length * resources.length
  const start = pageStart(params.Marker, total)
  const end = Math.min(total, start + (params.MaxItems ?? 100))
  const results: EvaluationResultXml[] = []
  for (let i = start; i < end; i++) {
    const action = actions[Math.floor(i / resources.length)] ?? ''
    const resource = resources[i % resources.length] ?? '*'
    results.push(evaluationResultXml(simulation.run(action, resource)))
  }
  const truncated = end < total
  return {
    EvaluationResults: results,
    IsTruncated: truncated,
    Marker: truncated ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined,
  }
}

/** SimulatePrincipalPolicy: authorized on the PolicySourceArn, as the reference lists it. */
export const SIMULATE_PRINCIPAL_POLICY = defineOperation({
  name: 'SimulatePrincipalPolicy',
  action: 'iam:SimulatePrincipalPolicy',
  readOnly: true,
  input: SIMULATE_PRINCIPAL_POLICY_INPUT,
  resource: (input) => policySourceArn(input.PolicySourceArn).arn,
  handle: async (input, ctx) => {
    const inputs = inputDocuments(input.PolicyInputList)
    const source = await loadPolicySource(
      ctx.tx,
      ctx.caller.accountId,
      policySourceArn(input.PolicySourceArn),
    )
    return simulate(ctx, input, inputs, source)
  },
})

/** SimulateCustomPolicy: the given policies alone; authorized on `*`. */
export const SIMULATE_CUSTOM_POLICY = defineOperation({
  name: 'SimulateCustomPolicy',
  action: 'iam:SimulateCustomPolicy',
  readOnly: true,
  input: SIMULATE_CUSTOM_POLICY_INPUT,
  resource: () => '*',
  handle: (input, ctx) => simulate(ctx, input, inputDocuments(input.PolicyInputList), null),
})
