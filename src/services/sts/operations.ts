/** STS's operation registry. */
import { registry } from '../operation.js'
import type { OperationRegistry } from '../operation.js'
import { GET_CALLER_IDENTITY } from './get-caller-identity.js'

/** STS's API version: the only `Version` its operations answer to. */
export const STS_VERSION = '2011-06-15'

/** STS's operations by Action. */
export const STS_OPERATIONS: OperationRegistry = registry([GET_CALLER_IDENTITY])
