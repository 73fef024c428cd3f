/**
 * Which values a Principal element may name. AWS refuses partial wildcards ("You cannot use a
 * wildcard to match part of a principal name or ARN") and anything that is not a principal.
 */

const PARTITION = 'aws(?:-[a-z]+)*'
const AWS_PRINCIPAL = new RegExp(
  [
    '^\\d{12}$',
    `^arn:${PARTITION}:iam::\\d{12}:root$`,
    `^arn:${PARTITION}:iam::\\d{12}:(?:user|role)/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]+$`,
    `^arn:${PARTITION}:sts::\\d{12}:assumed-role/[\\w+=,.@-]+/[\\w+=,.@-]+$`,
    `^arn:${PARTITION}:sts::\\d{12}:federated-user/[\\w+=,.@-]+$`,
    // Saved trust policies may hold unique ids (AIDA..., AROA...) where a principal was deleted.
    '^A[A-Z0-9]{15,127}$',
    // A CloudFront origin access identity, as S3 bucket policies name it (ids are upper-case alphanumerics).
    `^arn:${PARTITION}:iam::cloudfront:user/CloudFront Origin Access Identity [A-Z0-9]+$`,
  ].join('|'),
)
// A service principal is `<service>.amazonaws.com` or a partition's equivalent: the domain alone
// (`amazonaws.com`) names no service, and AWS refuses it.
const SERVICE_LABEL = /^[a-z0-9-]+$/
const MIN_SERVICE_LABELS = 3
const FEDERATED_PRINCIPAL = new RegExp(
  `^arn:${PARTITION}:iam::\\d{12}:(?:saml-provider|oidc-provider)/[^*?\\s]+$|^[A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z]{2,}(?:/[^*?\\s]*)?$`,
)
const CANONICAL_USER = /^[0-9a-f]{64}$/

/** Whether `value` is an acceptable principal of the given type. */
export function validatePrincipalValue(
  type: 'aws' | 'service' | 'federated' | 'canonicalUser',
  value: string,
): boolean {
  switch (type) {
    case 'aws':
      return value === '*' || AWS_PRINCIPAL.test(value)
    case 'service':
      return value === '*' || isServicePrincipal(value)
    case 'federated':
      return FEDERATED_PRINCIPAL.test(value)
    case 'canonicalUser':
      return CANONICAL_USER.test(value)
  }
}

/** The account a principal value names, for `123456789012` and `arn:...:iam::123456789012:root`. */
export function accountOfPrincipalValue(value: string): string | null {
  if (/^\d{12}$/.test(value)) return value
  const match = /^arn:[^:]+:iam::(\d{12}):root$/.exec(value)
  return match?.[1] ?? null
}

function isServicePrincipal(value: string): boolean {
  const labels = value.split('.')
  return labels.length >= MIN_SERVICE_LABELS && labels.every((label) => SERVICE_LABEL.test(label))
}
