/**
 * AWS's MalformedPolicyDocument messages, in one place so the wording is kept exact and tested
 * as a table (test/cases/parse-errors/malformed-policies.json). Punctuation is AWS's own: some
 * messages end in a period and some do not, and templates insert the offending text raw.
 */

/** The fixed messages and the templates for those that quote the offending value. */
export const MALFORMED_POLICY_MESSAGES = {
  // IAM's identity-policy parser (CreatePolicy, CreatePolicyVersion, Put{User,Group,Role}Policy).
  syntax: 'Syntax errors in policy.',
  versionRequired: 'Policy document must be version 2012-10-17 or greater.',
  legacyParsing: 'The policy failed legacy parsing',
  sidUnique: 'Statement IDs (SID) in a single policy must be unique.',
  sidPattern:
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  identityPrincipal: 'Policy document should not specify a principal.',
  actionsRequired: 'Policy statement must contain actions.',
  resourcesRequired: 'Policy statement must contain resources.',
  resourceFormat: (resource: string) => `Resource ${resource} must be in ARN format or "*".`,
  resourcePartition: (partition: string, arn: string) =>
    `Partition "${partition}" is not valid for resource "${arn}".`,
  resourceVendor: 'Resource vendor must be fully qualified and cannot contain regexes.',
  iamResourcePath:
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
  iamResourceRegion: (arn: string) => `IAM resource ${arn} cannot contain region information.`,
  s3ResourceRegion: (arn: string) => `Resource ${arn} can not contain region information.`,
  actionVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  actionColons: 'Actions/Condition can contain only one colon.',
  actionVendorWildcard: 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards',
  actionVendorInvalid: (vendor: string) => `Vendor ${vendor} is not valid`,

  // The resource-policy parser family: role trust policies, and S3 and DynamoDB resource policies.
  invalidJson: 'This policy contains invalid Json',
  missingField: (field: string) => `Missing required field ${field}`,
  prohibitedField: (field: string) => `Has prohibited field ${field}`,
  emptyStatement: 'Could not parse the policy: Statement is empty!',
  invalidEffect: (effect: string) => `Invalid effect: ${effect}`,
  invalidPrincipal: (type: string, value: string) =>
    `Invalid principal in policy: "${type}":"${value}"`,
  invalidPrincipalUnquoted: 'Invalid principal in policy',
  noPrincipals:
    'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
  trustActions: 'AssumeRole policy may only specify STS AssumeRole actions.',
  trustStarPrincipal: 'AssumeRolepolicy contained an invalid principal: "STAR":"*".',

  // Not seen in a recorded AWS response; worded after the documentation.
  notPrincipalAllow: 'NotPrincipal may only be used with Deny.',
  rcpVersion: 'The policy must use version 2012-10-17.',
} as const
