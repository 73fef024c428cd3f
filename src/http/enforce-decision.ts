/**
 * After an authorization decision, on every pipeline (awsQuery, awsJson, Gatehouse's own
 * endpoints): a denial stops the call with AccessDenied, or in report-only mode is logged with
 * the missing permission and let through.
 */
import { AwsError } from '../errors/aws-error.js'
import type { Decision } from '../policy/index.js'
import type { PipelineDeps } from './query-pipeline.js'

/** How a protocol words a denial: awsQuery's AccessDenied, awsJson's AccessDeniedException. */
export type DenialError = (message: string) => Error

/** Throws the protocol's AccessDenied for a denial, or logs it in report-only mode. */
export function enforceDecision(
  deps: Pick<PipelineDeps, 'enforcement' | 'log'>,
  requestId: string,
  callerArn: string | undefined,
  decision: Decision,
  action: string,
  resource: string,
  denial: DenialError = (message) => new AwsError('AccessDenied', message),
): void {
  if (decision.decision === 'allow') return
  const message = decision.message ?? `User: ${callerArn} is not authorized to perform: ${action}`
  if (deps.enforcement === 'enforce') throw denial(message)
  deps.log.warn(
    {
      requestId,
      caller: callerArn,
      action,
      resource,
      decision: decision.decision,
      deniedBy: decision.deniedBy,
      matched: decision.matched,
      missingPermission: `${action} on ${resource}`,
    },
    `report-only: would deny: ${message}`,
  )
}
