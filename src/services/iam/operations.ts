/**
 * IAM's operation registry: every Action Gatehouse serves for IAM, each with the action it is
 * authorized as. Each resource family lists its own operations.
 */
import { ACCOUNT_ALIAS_OPERATIONS } from './account-alias-operations.js'
import { PASSWORD_OPERATIONS } from './password-operations.js'
import { OIDC_PROVIDER_OPERATIONS } from './oidc-provider-operations.js'
import { MFA_DEVICE_OPERATIONS } from './mfa-device-operations.js'
import { SAML_PROVIDER_OPERATIONS } from './saml-provider-operations.js'
import { USER_CREDENTIAL_OPERATIONS } from './user-credential-operations.js'
import { SERVICE_CREDENTIAL_OPERATIONS } from './service-credential-operations.js'
import { SIMULATOR_OPERATIONS } from './simulator-operations.js'
import { SERVER_CERTIFICATE_OPERATIONS } from './server-certificate-operations.js'
import { SERVICE_LINKED_ROLE_OPERATIONS } from './service-linked-role-operations.js'
import { ORGANIZATIONS_OPERATIONS } from './organizations.js'
import { OUTBOUND_FEDERATION_OPERATIONS } from './outbound-federation.js'
import { DELEGATION_REQUEST_OPERATIONS } from './delegation-request-operations.js'
import { ROLE_TEMPLATE_OPERATIONS } from './role-template-operations.js'
import { ACCOUNT_PROPERTY_OPERATIONS } from './account-property-operations.js'
import { registry } from '../operation.js'
import type { OperationRegistry } from '../operation.js'
import { AUTHORIZATION_DETAILS_OPERATIONS } from './authorization-details-operations.js'
import { CREDENTIAL_REPORT_OPERATIONS } from './credential-report-operations.js'
import { IDENTITY_OPERATIONS } from './identity-operations.js'
import { LAST_ACCESSED_OPERATIONS } from './last-accessed-operations.js'
import { POLICY_OPERATIONS } from './policy-operations.js'
import { ROLE_OPERATIONS } from './role-operations.js'

/** IAM's API version: the only `Version` its operations answer to. */
export const IAM_VERSION = '2010-05-08'

/** IAM's operations by Action. */
export const IAM_OPERATIONS: OperationRegistry = registry([
  ...IDENTITY_OPERATIONS,
  ...ROLE_OPERATIONS,
  ...POLICY_OPERATIONS,
  ...CREDENTIAL_REPORT_OPERATIONS,
  ...AUTHORIZATION_DETAILS_OPERATIONS,
  ...LAST_ACCESSED_OPERATIONS,
  ...ACCOUNT_ALIAS_OPERATIONS,
  ...PASSWORD_OPERATIONS,
  ...OIDC_PROVIDER_OPERATIONS,
  ...MFA_DEVICE_OPERATIONS,
  ...SERVICE_CREDENTIAL_OPERATIONS,
  ...SIMULATOR_OPERATIONS,
  ...USER_CREDENTIAL_OPERATIONS,
  ...SAML_PROVIDER_OPERATIONS,
  ...SERVICE_LINKED_ROLE_OPERATIONS,
  ...SERVER_CERTIFICATE_OPERATIONS,
  ...ORGANIZATIONS_OPERATIONS,
  ...OUTBOUND_FEDERATION_OPERATIONS,
  ...DELEGATION_REQUEST_OPERATIONS,
  ...ROLE_TEMPLATE_OPERATIONS,
  ...ACCOUNT_PROPERTY_OPERATIONS,
])
