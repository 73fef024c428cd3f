/** Resource ARN formats, as IAM's identity-policy parser checks them. */
import { cut } from './cut.js'
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'
import { compileWildcard } from './wildcard.js'

const KNOWN_PARTITIONS: readonly string[] = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]
const IAM_RESOURCE_PREFIXES = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
  // AWS's role templates (arn:aws:iam::aws:role-template/...): AWS's own managed policies grant
  // iam:GetRoleTemplateVersion on them (AWSCloudWatchOmniServiceRolePolicy). IAM's message, as
  // recorded, predates them.
  'role-template/',
  // Temporary delegation's requests (arn:aws:iam::<account>:delegation-request/<id>), the resource
  // type the Service Authorization Reference gives every delegation request action but
  // ListDelegationRequests. IAM's message, as recorded, predates them.
  'delegation-request/',
]

/** The format fault of one Resource/NotResource value, or null. */
export function resourceFault(resource: string, partition: string | undefined): string | null {
  if (resource === '*') return null
  const [, hasColon, afterArn] = cut(resource)
  if (!hasColon) return M.resourceFormat(resource)
  // Whatever the first field says, it stands where `arn` should: "aws:s3:::b" has partition "s3".
  const [part, hasService, afterPartition] = cut(afterArn)
  if (!isPartitionAccepted(part, partition)) {
    // AWS echoes the ARN normalised to six fields, a missing field shown as `*`.
    const rest = afterPartition.split(':')
    const service = rest[0] !== '' || rest.length > 1 ? (rest[0] ?? '*') : '*'
    const region = rest[1] ?? '*'
    const account = rest[2] ?? '*'
    const name = rest.length > 3 ? rest.slice(3).join(':') : '*'
    return M.resourcePartition(part, `arn:${part}:${service}:${region}:${account}:${name}`)
  }
  if (!hasService) return M.resourceVendor
  const [service, , afterService] = cut(afterPartition)
  const hasRegion = !afterService.startsWith(':')
  const [, , afterRegion] = cut(afterService)
  const [account, , name] = cut(afterRegion)
  if (service === 'iam') {
    if (hasRegion) return M.iamResourceRegion(resource)
    const known = IAM_RESOURCE_PREFIXES.some((prefix) => name.startsWith(prefix))
    if (!known && name !== '*' && name !== 'root') return M.iamResourcePath
  }
  // Buckets and objects name no region; the S3 resources that do (access points, batch jobs,
  // Storage Lens) also name an account, and identity policies grant them.
  if (service === 's3' && hasRegion && account === '') return M.s3ResourceRegion(resource)
  return null
}

/** The account's partition, or any AWS partition when none is given; `*` patterns may stand for it. */
function isPartitionAccepted(part: string, partition: string | undefined): boolean {
  const accepted = partition === undefined ? KNOWN_PARTITIONS : [partition]
  if (part.includes('*') || part.includes('?')) return accepted.some(compileWildcard(part))
  return accepted.includes(part)
}

/** The legacy parser's ARN check: enough fields when any is empty, and a service. */
export function isLegacyArn(resource: string): boolean {
  if (resource === '*') return true
  const fields = resource.split(':')
  if (fields.length < 6 && resource.includes('::')) return false
  return (fields[2] ?? '') !== ''
}
