/**
 * Role templates: GetRoleTemplateVersion and AcquireRole. A role template is a blueprint of a
 * role (name and path patterns, trust policy, inline and managed policies, boundary, tags,
 * maximum session duration) from which AcquireRole creates the role. Every role template is
 * AWS's: AWS publishes them, under the account `aws`, for the services whose consoles use role
 * manager ("Role manager uses AWS-managed role templates", IAM User Guide), and no API creates
 * one. AWS documents their ARNs and parameter names but not their content, which Gatehouse does
 * not invent: it serves no role template, and both operations answer NoSuchEntity for any
 * well-formed template ARN, after checking the ARN and authorizing the call as AWS does.
 *
 * AcquireRole has no action of its own in the Service Authorization Reference: AWS "evaluates
 * each underlying IAM action against the user's permissions" (IAM User Guide, "Manage access to
 * role manager"), reading the template first (iam:GetRoleTemplateVersion, the one action whose
 * resource type is role-template), then iam:GetRole or iam:CreateRole and what the template
 * needs, each with iam:RoleTemplateARN. Without a template, the read is as far as it gets.
 */
import { AwsError } from '../../errors/aws-error.js'
import { defineOperation } from '../operation.js'
import { checkRoleTemplateArn } from './role-template-arn.js'
import { ARN, required } from './shapes.js'

/** mapStringReplacementValueEntry: at most 30 parameters, each with its list of values. */
const REPLACEMENT_VALUES = {
  kind: 'map',
  key: { kind: 'string' },
  value: {
    kind: 'structure',
    members: { Values: required({ kind: 'list', member: { kind: 'string' } } as const) },
  },
  max: 30,
} as const

/** NoSuchEntity for a role template Gatehouse does not have, which is every one. */
function noSuchTemplate(arn: string): AwsError {
  // Invented message: AWS's wording for a template it does not have is not on record; it
  // follows IAM's NoSuchEntity wording for its other entities.
  return new AwsError('NoSuchEntity', `The role template ${arn} cannot be found.`)
}

/** GetRoleTemplateVersion: a version of a role template, its default minor version if none. */
export const GET_ROLE_TEMPLATE_VERSION = defineOperation({
  name: 'GetRoleTemplateVersion',
  action: 'iam:GetRoleTemplateVersion',
  input: {
    kind: 'structure',
    members: { TemplateArn: required(ARN), MinorVersion: { kind: 'integer' } },
  } as const,
  resource: (input) => checkRoleTemplateArn(input.TemplateArn),
  handle: (input) => Promise.reject(noSuchTemplate(input.TemplateArn)),
})

/** AcquireRole: the role a role template makes, with the parameters' values substituted. */
export const ACQUIRE_ROLE = defineOperation({
  name: 'AcquireRole',
  action: 'iam:GetRoleTemplateVersion',
  input: {
    kind: 'structure',
    members: {
      TemplateArn: required(ARN),
      TemplateMinorVersion: { kind: 'integer' },
      ReplacementValues: REPLACEMENT_VALUES,
    },
  } as const,
  resource: (input) => checkRoleTemplateArn(input.TemplateArn),
  // The key marks every decision of a templated role creation, so that an SCP can tell them
  // from the same actions called directly (IAM User Guide's "DenyTemplatedRoleCreation" and
  // "DenyNonTemplatedRoleCreation", whose list holds iam:GetRoleTemplateVersion).
  conditionKeys: (input) => ({ 'iam:RoleTemplateARN': input.TemplateArn }),
  handle: (input) => Promise.reject(noSuchTemplate(input.TemplateArn)),
})
