/**
 * The roles AWS services link to themselves: for each service principal, the role name IAM
 * gives its service-linked role and whether the service takes a CustomSuffix. IAM does not derive
 * the name by a rule from the principal (elasticbeanstalk.amazonaws.com links
 * AWSServiceRoleForElasticBeanstalk, spot.amazonaws.com AWSServiceRoleForEC2Spot): each service
 * names its own, as listed in the IAM User Guide's "AWS services that work with IAM" and each
 * service's "Using service-linked roles" page. Gatehouse knows a handful of common services;
 * CreateServiceLinkedRole refuses any other with InvalidInput rather than guess a name.
 */

/** A service's service-linked role, as IAM creates it. */
export interface ServiceLinkedRoleTemplate {
  /** The role's name without a suffix, e.g. `AWSServiceRoleForElasticBeanstalk`. */
  readonly roleName: string
  /** Whether the service takes a CustomSuffix (appended after `_`). */
  readonly suffixAllowed: boolean
}

// Names and suffix support from each service's "Using service-linked roles" documentation.
// EC2 Auto Scaling (AWSServiceRoleForAutoScaling_<suffix>) and Lex V2 (AWSServiceRoleForLexV2Bots_
// <suffix>) document custom suffixes; the others take none ("Custom suffix is not allowed for
// es.amazonaws.com", as IAM answers).
const TEMPLATES: ReadonlyMap<string, ServiceLinkedRoleTemplate> = new Map([
  [
    'access-analyzer.amazonaws.com',
    { roleName: 'AWSServiceRoleForAccessAnalyzer', suffixAllowed: false },
  ],
  ['autoscaling.amazonaws.com', { roleName: 'AWSServiceRoleForAutoScaling', suffixAllowed: true }],
  ['backup.amazonaws.com', { roleName: 'AWSServiceRoleForBackup', suffixAllowed: false }],
  ['batch.amazonaws.com', { roleName: 'AWSServiceRoleForBatch', suffixAllowed: false }],
  ['cloudtrail.amazonaws.com', { roleName: 'AWSServiceRoleForCloudTrail', suffixAllowed: false }],
  ['config.amazonaws.com', { roleName: 'AWSServiceRoleForConfig', suffixAllowed: false }],
  ['ecs.amazonaws.com', { roleName: 'AWSServiceRoleForECS', suffixAllowed: false }],
  ['eks.amazonaws.com', { roleName: 'AWSServiceRoleForAmazonEKS', suffixAllowed: false }],
  ['elasticache.amazonaws.com', { roleName: 'AWSServiceRoleForElastiCache', suffixAllowed: false }],
  [
    'elasticbeanstalk.amazonaws.com',
    { roleName: 'AWSServiceRoleForElasticBeanstalk', suffixAllowed: false },
  ],
  [
    'elasticloadbalancing.amazonaws.com',
    { roleName: 'AWSServiceRoleForElasticLoadBalancing', suffixAllowed: false },
  ],
  [
    'es.amazonaws.com',
    { roleName: 'AWSServiceRoleForAmazonElasticsearchService', suffixAllowed: false },
  ],
  ['lexv2.amazonaws.com', { roleName: 'AWSServiceRoleForLexV2Bots', suffixAllowed: true }],
  [
    'organizations.amazonaws.com',
    { roleName: 'AWSServiceRoleForOrganizations', suffixAllowed: false },
  ],
  ['rds.amazonaws.com', { roleName: 'AWSServiceRoleForRDS', suffixAllowed: false }],
  ['spot.amazonaws.com', { roleName: 'AWSServiceRoleForEC2Spot', suffixAllowed: false }],
  ['support.amazonaws.com', { roleName: 'AWSServiceRoleForSupport', suffixAllowed: false }],
  [
    'trustedadvisor.amazonaws.com',
    { roleName: 'AWSServiceRoleForTrustedAdvisor', suffixAllowed: false },
  ],
])

/**
 * The template of `serviceName`, or undefined for a service Gatehouse does not know. Service
 * principals are case-sensitive (the model's documentation of AWSServiceName).
 */
export function serviceLinkedRoleTemplate(
  serviceName: string,
): ServiceLinkedRoleTemplate | undefined {
  return TEMPLATES.get(serviceName)
}
