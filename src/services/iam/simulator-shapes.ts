/**
 * The input shapes of the policy simulator's operations, with the model's constraints
 * (botocore's iam/2010-05-08: SimulatePrincipalPolicyRequest, SimulateCustomPolicyRequest,
 * GetContextKeysFor{Principal,Custom}PolicyRequest).
 */
import { CONTEXT_KEY_TYPES } from '../../policy/context-entries.js'
import { ARN, PAGE_MEMBERS, POLICY_DOCUMENT, required } from './shapes.js'

/** SimulationPolicyListType: policy documents as strings. */
export const POLICY_LIST = { kind: 'list', member: POLICY_DOCUMENT } as const

/** ResourceNameType: ResourceArns' members, CallerArn, ResourceOwner. */
export const RESOURCE_NAME = { kind: 'string', min: 1, max: 2048 } as const

/** ContextEntry: a condition key, its values and their type. */
export const CONTEXT_ENTRIES = {
  kind: 'list',
  member: {
    kind: 'structure',
    members: {
      ContextKeyName: { kind: 'string', min: 5, max: 256 },
      ContextKeyValues: { kind: 'list', member: { kind: 'string' } },
      ContextKeyType: { kind: 'string', enum: CONTEXT_KEY_TYPES },
    },
  },
} as const

/** The members both Simulate operations take besides their policies' source. */
export const SIMULATION_MEMBERS = {
  PermissionsBoundaryPolicyInputList: POLICY_LIST,
  ActionNames: required({ kind: 'list', member: { kind: 'string', min: 3, max: 128 } }),
  ResourceArns: { kind: 'list', member: RESOURCE_NAME },
  ResourcePolicy: POLICY_DOCUMENT,
  ResourceOwner: RESOURCE_NAME,
  CallerArn: RESOURCE_NAME,
  ContextEntries: CONTEXT_ENTRIES,
  ResourceHandlingOption: { kind: 'string', min: 1, max: 64 },
  ...PAGE_MEMBERS,
} as const

/** SimulatePrincipalPolicyRequest. */
export const SIMULATE_PRINCIPAL_POLICY_INPUT = {
  kind: 'structure',
  members: {
    PolicySourceArn: required(ARN),
    PolicyInputList: POLICY_LIST,
    ...SIMULATION_MEMBERS,
  },
} as const

/** SimulateCustomPolicyRequest. */
export const SIMULATE_CUSTOM_POLICY_INPUT = {
  kind: 'structure',
  members: { PolicyInputList: required(POLICY_LIST), ...SIMULATION_MEMBERS },
} as const

/** GetContextKeysForPrincipalPolicyRequest. */
export const CONTEXT_KEYS_FOR_PRINCIPAL_POLICY_INPUT = {
  kind: 'structure',
  members: { PolicySourceArn: required(ARN), PolicyInputList: POLICY_LIST },
} as const

/** GetContextKeysForCustomPolicyRequest. */
export const CONTEXT_KEYS_FOR_CUSTOM_POLICY_INPUT = {
  kind: 'structure',
  members: { PolicyInputList: required(POLICY_LIST) },
} as const
