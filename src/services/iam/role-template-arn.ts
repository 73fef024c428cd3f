/**
 * A role template named by ARN in a request (GetRoleTemplateVersion, AcquireRole). Role templates
 * are AWS's: their ARNs have the literal account `aws`, as the Service Authorization Reference
 * gives the format, arn:${Partition}:iam::aws:role-template/${AWSServicePrincipal}/
 * ${RoleTemplateName}:${RoleTemplateMajorVersion} (e.g. arn:aws:iam::aws:role-template/
 * iam.amazonaws.com/PowerUserRoleTemplate:1, IAM User Guide, "Overview of role templates").
 */
import { AwsError } from '../../errors/aws-error.js'

/** The format's parts: a service principal, an IAM name, and a major version number. */
const ROLE_TEMPLATE_ARN = /^arn:aws:iam::aws:role-template\/[A-Za-z0-9.-]+\/[\w+=,.@-]+:[0-9]+$/

/** `arn` if it is a role template's ARN; InvalidInput, in IAM's words for an ARN, if not. */
export function checkRoleTemplateArn(arn: string): string {
  if (!ROLE_TEMPLATE_ARN.test(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`)
  return arn
}
