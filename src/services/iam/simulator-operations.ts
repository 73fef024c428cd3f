/** IAM's policy simulator and context-key operations, on the same engine as enforcement. */
import type { Operation } from '../operation.js'
import {
  GET_CONTEXT_KEYS_FOR_CUSTOM_POLICY,
  GET_CONTEXT_KEYS_FOR_PRINCIPAL_POLICY,
} from './context-keys-for-policy.js'
import { SIMULATE_CUSTOM_POLICY, SIMULATE_PRINCIPAL_POLICY } from './simulate-policy.js'

/** Every operation of this family. */
export const SIMULATOR_OPERATIONS: readonly Operation[] = [
  SIMULATE_PRINCIPAL_POLICY,
  SIMULATE_CUSTOM_POLICY,
  GET_CONTEXT_KEYS_FOR_PRINCIPAL_POLICY,
  GET_CONTEXT_KEYS_FOR_CUSTOM_POLICY,
]
