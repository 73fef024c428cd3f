/**
 * AWS IAM's MalformedPolicyDocument messages, in one place so the wording is kept exact and
 * tested as a table (test/cases/parse-errors/).
 */

/** The fixed messages and the templates for those that quote the offending value. */
export const MALFORMED_POLICY_MESSAGES = {
  syntax: 'Syntax errors in policy.',
  legacyParsing: 'The policy failed legacy parsing',
  missingField: (field: string) => `Missing required field ${field}`,
  prohibitedField: (field: string) => `Has prohibited field ${field}`,
  identityPrincipal: 'Policy document should not specify a principal.',
  invalidPrincipal: (type: string, value: string) =>
    `Invalid principal in policy: "${type}":"${value}"`,
  actionVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  actionName: (action: string) => `Action ${action} must not contain whitespace or be empty.`,
  resourceFormat: (resource: string) => `Resource ${resource} must be in ARN format or "*".`,
  resourceVendor: (resource: string) =>
    `Resource vendor must be fully qualified and cannot contain regexes: ${resource}`,
  conditionType: (operator: string) => `Invalid Condition type : ${operator}`,
  conditionValues: 'Conditions must have at least one value',
  sidPattern:
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  sidUnique: 'Statement IDs (SID) in a single policy must be unique.',
  notPrincipalAllow: 'NotPrincipal may only be used with Deny.',
  rcpVersion: 'The policy must use version 2012-10-17.',
  emptyStatement: 'Policy statement must contain at least one statement.',
} as const
