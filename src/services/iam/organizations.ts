/**
 * IAM's Organizations operations: centralized root access (ListOrganizationsFeatures and the
 * four Enable/Disable operations) and the Organizations access report. A Gatehouse account is
 * standalone: no AWS Organization holds it, so these answer what AWS answers an account that is
 * in none, after the call is authorized like any other.
 */
import { AwsError } from '../../errors/aws-error.js'
import { queryPattern } from '../../protocol/query/query-pattern.js'
import { defineOperation } from '../operation.js'
import type { Operation } from '../operation.js'
import { MARKER, MAX_ITEMS, required } from './shapes.js'

/** OrganizationNotFoundException's documentation in the IAM model, word for word. */
const NO_ORGANIZATION_MESSAGE =
  'The request was rejected because no organization is associated with your account.'

function noOrganization(): Promise<never> {
  return Promise.reject(new AwsError('OrganizationNotFoundException', NO_ORGANIZATION_MESSAGE))
}

/** A centralized root access operation: no input, and no organization to act on. */
function rootAccessOperation(name: string): Operation {
  return defineOperation({
    name,
    action: `iam:${name}`,
    input: { kind: 'structure', members: {} } as const,
    resource: () => '*',
    // Reads or not, it changes nothing here: the enable and disable calls fail before any write.
    readOnly: true,
    handle: noOrganization,
  })
}

/** organizationsEntityPathType. */
const ENTITY_PATH = {
  kind: 'string',
  min: 19,
  max: 427,
  pattern: queryPattern('o-[0-9a-z]{10,32}\\/r-[0-9a-z]{4,32}[0-9a-z-\\/]*'),
} as const

/** organizationsPolicyIdType. */
const ORGANIZATIONS_POLICY_ID = {
  kind: 'string',
  pattern: queryPattern('p-[0-9a-zA-Z_]{8,128}'),
} as const

/**
 * GenerateOrganizationsAccessReport. AWS requires the caller to be signed in to the management
 * account of the organization whose entity path it names; an account in no organization has
 * none to report on.
 */
export const GENERATE_ORGANIZATIONS_ACCESS_REPORT = defineOperation({
  name: 'GenerateOrganizationsAccessReport',
  action: 'iam:GenerateOrganizationsAccessReport',
  input: {
    kind: 'structure',
    members: {
      EntityPath: required(ENTITY_PATH),
      OrganizationsPolicyId: ORGANIZATIONS_POLICY_ID,
    },
  } as const,
  resource: (input, ctx) =>
    `arn:aws:iam::${ctx.caller.accountId}:access-report/${input.EntityPath}`,
  readOnly: true,
  handle: noOrganization,
})

/** GetOrganizationsAccessReport: no report was ever generated, so no JobId names one. */
export const GET_ORGANIZATIONS_ACCESS_REPORT = defineOperation({
  name: 'GetOrganizationsAccessReport',
  action: 'iam:GetOrganizationsAccessReport',
  input: {
    kind: 'structure',
    members: {
      JobId: required({ kind: 'string', min: 36, max: 36 } as const),
      MaxItems: MAX_ITEMS,
      Marker: MARKER,
      SortKey: {
        kind: 'string',
        enum: [
          'SERVICE_NAMESPACE_ASCENDING',
          'SERVICE_NAMESPACE_DESCENDING',
          'LAST_AUTHENTICATED_TIME_ASCENDING',
          'LAST_AUTHENTICATED_TIME_DESCENDING',
        ],
      },
    },
  } as const,
  resource: () => '*',
  handle: (input) =>
    // Invented message: AWS's wording for an unknown JobId is not documented (as for
    // GetServiceLastAccessedDetails).
    Promise.reject(new AwsError('NoSuchEntity', `The job with ID ${input.JobId} cannot be found.`)),
})

/** Every operation of this family. */
export const ORGANIZATIONS_OPERATIONS: readonly Operation[] = [
  rootAccessOperation('ListOrganizationsFeatures'),
  rootAccessOperation('EnableOrganizationsRootCredentialsManagement'),
  rootAccessOperation('DisableOrganizationsRootCredentialsManagement'),
  rootAccessOperation('EnableOrganizationsRootSessions'),
  rootAccessOperation('DisableOrganizationsRootSessions'),
  GENERATE_ORGANIZATIONS_ACCESS_REPORT,
  GET_ORGANIZATIONS_ACCESS_REPORT,
]
