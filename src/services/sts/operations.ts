/** STS's operation registry. */
import { registry } from '../operation.js'
import type { OperationRegistry } from '../operation.js'
import { ASSUME_ROLE } from './assume-role.js'
import { ASSUME_ROLE_WITH_SAML } from './assume-role-with-saml.js'
import { ASSUME_ROLE_WITH_WEB_IDENTITY } from './assume-role-with-web-identity.js'
import { ASSUME_ROOT } from './assume-root.js'
import { DECODE_AUTHORIZATION_MESSAGE } from './decode-authorization-message.js'
import { GET_ACCESS_KEY_INFO } from './get-access-key-info.js'
import { GET_CALLER_IDENTITY } from './get-caller-identity.js'
import { GET_DELEGATED_ACCESS_TOKEN } from './get-delegated-access-token.js'
import { GET_FEDERATION_TOKEN } from './get-federation-token.js'
import { GET_SCOPED_CREDENTIALS } from './get-scoped-credentials.js'
import { GET_SESSION_TOKEN } from './get-session-token.js'
import { GET_WEB_IDENTITY_TOKEN } from './get-web-identity-token.js'

/** STS's API version: the only `Version` its operations answer to. */
export const STS_VERSION = '2011-06-15'

/** STS's operations by Action. */
export const STS_OPERATIONS: OperationRegistry = registry([
  ASSUME_ROLE,
  ASSUME_ROLE_WITH_SAML,
  ASSUME_ROLE_WITH_WEB_IDENTITY,
  ASSUME_ROOT,
  DECODE_AUTHORIZATION_MESSAGE,
  GET_ACCESS_KEY_INFO,
  GET_CALLER_IDENTITY,
  GET_DELEGATED_ACCESS_TOKEN,
  GET_FEDERATION_TOKEN,
  GET_SCOPED_CREDENTIALS,
  GET_SESSION_TOKEN,
  GET_WEB_IDENTITY_TOKEN,
])
