/**
 * IAM GetHumanReadableSummary: a plain-language summary of a delegation request, the only entity
 * the API summarizes. AWS has "a Large Language Model (LLM) ... generate the summary",
 * asynchronously (SummaryState says how far it got). Gatehouse runs no model and does not pretend
 * to: its summary is written from the request by fixed rules, the same text for the same request
 * every time, in English, and is AVAILABLE at once. It says who asks, for which account and how
 * long, why (the description and message), and what the rendered policy allows and denies,
 * statement by statement, with the template and the parameters it came from.
 *
 * Locale: "The supported locale strings are based on the Supported languages of the AWS
 * Management Console". An English one (or none) gets the summary; another console language gets
 * SummaryState NOT_SUPPORTED and no content, as Gatehouse writes English only; anything else is
 * InvalidInput. Who may read a summary is who may read the request ("These rules are identical
 * to GetDelegationRequest API behavior").
 */
import { AwsError } from '../../errors/aws-error.js'
import type { DelegationRequest } from '../../store/delegation-requests-ops.js'
import { defineOperation } from '../operation.js'
import {
  currentState,
  delegationRequestArn,
  parseDelegationRequestArn,
  requestNotFound,
  requestOwnerKeys,
  visibleRequest,
} from './delegation-request-access.js'
import { roleBoundaryArns } from './delegation-policy-template.js'
import { GET_HUMAN_READABLE_SUMMARY_INPUT } from './delegation-request-shapes.js'

/** The AWS Management Console's languages, by locale. */
const CONSOLE_LOCALES: readonly string[] = [
  'de-DE',
  'en-GB',
  'en-US',
  'es-ES',
  'fr-FR',
  'id-ID',
  'it-IT',
  'ja-JP',
  'ko-KR',
  'pt-BR',
  'tr-TR',
  'zh-CN',
  'zh-TW',
]

/** The locale of a summary when the request names none. */
export const DEFAULT_SUMMARY_LOCALE = 'en-US'

/** The request named by EntityArn, in the caller's account; InvalidInput for another ARN. */
function entityOf(arn: string, accountId: string): string {
  const parsed = parseDelegationRequestArn(arn)
  if (parsed === undefined) {
    // Invented message.
    throw new AwsError(
      'InvalidInput',
      `EntityArn ${arn} is not the ARN of a delegation request: only delegation requests are summarized.`,
    )
  }
  if (parsed.accountId !== accountId) throw requestNotFound(parsed.requestId)
  return parsed.requestId
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function duration(seconds: number): string {
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const parts: string[] = []
  if (hours > 0) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`)
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`)
  const rest = seconds % 60
  if (rest > 0 || parts.length === 0) parts.push(`${rest} second${rest === 1 ? '' : 's'}`)
  return list(parts)
}

/** One statement of the rendered policy in a sentence. */
function statementSentence(statement: Record<string, unknown>): string {
  const effect = statement['Effect'] === 'Deny' ? 'Denies' : 'Allows'
  const actions =
    statement['Action'] !== undefined
      ? list(strings(statement['Action']))
      : `every action except ${list(strings(statement['NotAction']))}`
  const resources =
    statement['Resource'] !== undefined
      ? list(strings(statement['Resource']))
      : `every resource except ${list(strings(statement['NotResource']))}`
  let sentence = `${effect} ${actions} on ${resources}`
  const condition = statement['Condition']
  if (typeof condition === 'object' && condition !== null) {
    const tests: string[] = []
    for (const [operator, keys] of Object.entries(condition as Record<string, unknown>)) {
      if (typeof keys !== 'object' || keys === null) continue
      for (const [key, values] of Object.entries(keys as Record<string, unknown>)) {
        tests.push(`${key} ${operator} ${list(strings(values).map((v) => `"${v}"`))}`)
      }
    }
    if (tests.length > 0) sentence += `, only when ${list(tests)}`
  }
  return `${sentence}.`
}

/** The summary of a request at `now`. */
export function summarizeDelegationRequest(request: DelegationRequest, now: Date): string {
  const lines: string[] = []
  const target =
    request.ownerAccountId === null
      ? 'the account of whoever associates the request'
      : `account ${request.ownerAccountId}`
  lines.push(
    `Account ${request.requestorAccountId} asks for temporary access to ${target} for ${duration(request.sessionDuration)}, counted from the moment the exchange token is released.`,
  )
  lines.push(`Its description: ${request.description}`)
  if (request.requestMessage !== null) lines.push(`Its message: ${request.requestMessage}`)
  const parameters = request.parameters.map((p) => `${p.name} = ${list(p.values)}`)
  lines.push(
    `The permissions come from policy template ${request.templateArn}${
      parameters.length === 0 ? '' : `, with ${list(parameters)}`
    }. The resulting policy:`,
  )
  const policy = JSON.parse(request.permissionPolicy) as { Statement?: unknown }
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]
  for (const statement of statements) {
    if (typeof statement === 'object' && statement !== null) {
      lines.push(`- ${statementSentence(statement as Record<string, unknown>)}`)
    }
  }
  const boundaries = roleBoundaryArns(request.permissionPolicy)
  if (boundaries.length > 0) {
    lines.push(`Roles it creates must have the permissions boundary ${list(boundaries)}.`)
  }
  lines.push(
    'The credentials act as the identity that approves the request, limited to what that identity may do and what this policy allows.',
  )
  if (request.onlySendByOwner) {
    lines.push('Only the identity that associated the request can release the exchange token.')
  }
  const state = currentState(request, now)
  lines.push(
    state === 'EXPIRED'
      ? 'The request has expired.'
      : `The request is ${state} until ${request.expiresAt.toISOString()}.`,
  )
  return lines.join('\n')
}

/** GetHumanReadableSummary. */
export const GET_HUMAN_READABLE_SUMMARY = defineOperation({
  name: 'GetHumanReadableSummary',
  action: 'iam:GetHumanReadableSummary',
  input: GET_HUMAN_READABLE_SUMMARY_INPUT,
  // The ARN is checked here, before authorization, as IAM checks its input.
  resource: (input, ctx) =>
    delegationRequestArn(ctx.caller.accountId, entityOf(input.EntityArn, ctx.caller.accountId)),
  conditionKeys: (input, ctx) =>
    requestOwnerKeys(ctx, entityOf(input.EntityArn, ctx.caller.accountId)),
  async handle(input, ctx) {
    const locale = input.Locale ?? DEFAULT_SUMMARY_LOCALE
    const known = CONSOLE_LOCALES.find((l) => l.toLowerCase() === locale.toLowerCase())
    if (known === undefined) {
      // Invented message.
      throw new AwsError(
        'InvalidInput',
        `Locale ${locale} is not one of the AWS Management Console's languages: ${CONSOLE_LOCALES.join(', ')}.`,
      )
    }
    const request = await visibleRequest(ctx, entityOf(input.EntityArn, ctx.caller.accountId))
    if (!known.startsWith('en-')) {
      return { Locale: locale, SummaryState: 'NOT_SUPPORTED' }
    }
    return {
      SummaryContent: summarizeDelegationRequest(request, ctx.now),
      Locale: locale,
      SummaryState: 'AVAILABLE',
    }
  },
})
