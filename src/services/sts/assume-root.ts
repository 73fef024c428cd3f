/**
 * STS AssumeRoot: a short session as the root user of a member account, for the privileged
 * tasks that centralized root access allows an Organizations management account. A Gatehouse
 * account is in no organization, so there is no member account to act on: the call is
 * authorized as AWS authorizes it (sts:AssumeRoot on the target's `root-user` ARN) and, if
 * allowed, refused with AccessDenied saying why.
 */
import { AwsError } from '../../errors/aws-error.js'
import { defineOperation } from '../operation.js'
import { STS_ARN, required } from './shapes.js'

/** TargetPrincipalType: an account id (or an ARN naming one). */
const TARGET_PRINCIPAL = { kind: 'string', min: 12, max: 2048 } as const

/** The account a TargetPrincipal names: an account id, or the account of an ARN. */
function targetAccount(target: string): string {
  return /^[0-9]{12}$/.test(target) ? target : (target.split(':')[4] ?? target)
}

/** AssumeRoot. */
export const ASSUME_ROOT = defineOperation({
  name: 'AssumeRoot',
  action: 'sts:AssumeRoot',
  input: {
    kind: 'structure',
    members: {
      TargetPrincipal: required(TARGET_PRINCIPAL),
      TaskPolicyArn: required({ kind: 'structure', members: { arn: STS_ARN } } as const),
      DurationSeconds: { kind: 'integer', min: 0, max: 900 } as const,
    },
  } as const,
  resource: (input) => `arn:aws:iam::${targetAccount(input.TargetPrincipal)}:root`,
  readOnly: true,
  handle: (input, ctx) =>
    Promise.reject(
      new AwsError(
        'AccessDenied',
        // Invented message: AWS's answer to an account outside any organization is not on
        // record; this one names the reason.
        `${ctx.caller.arn} cannot perform sts:AssumeRoot on ${targetAccount(input.TargetPrincipal)}: centralized root access needs an AWS Organization, and this account is in none.`,
      ),
    ),
})
