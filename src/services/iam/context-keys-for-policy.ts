/**
 * GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy: the context keys the
 * policies reference, for the ContextEntries of a simulation.
 *
 * The API reference's examples decide the list's form: each policy's keys in the order the
 * policy names them and spelled as it spells them (`aws:username` from a Resource variable, then
 * `aws:CurrentTime` from a condition), the given policies' keys first, then the entity's, one
 * policy after another, so that a key two policies use appears twice (GetContextKeysFor-
 * PrincipalPolicy's example lists `aws:username` and `aws:CurrentTime` twice each).
 */
import { contextKeyNames } from '../../policy/context-key-names.js'
import type { SimulationDocument } from '../../policy/prepare-simulation.js'
import { defineOperation } from '../operation.js'
import { loadPolicySource, policySourceArn } from './policy-source.js'
import { inputDocuments, simulationDocument } from './simulation-document.js'
import {
  CONTEXT_KEYS_FOR_CUSTOM_POLICY_INPUT,
  CONTEXT_KEYS_FOR_PRINCIPAL_POLICY_INPUT,
} from './simulator-shapes.js'

function keysOf(documents: readonly SimulationDocument[]): { ContextKeyNames: string[] } {
  return { ContextKeyNames: documents.flatMap((d) => contextKeyNames(d.document)) }
}

/** GetContextKeysForCustomPolicy: authorized on `*`. */
export const GET_CONTEXT_KEYS_FOR_CUSTOM_POLICY = defineOperation({
  name: 'GetContextKeysForCustomPolicy',
  action: 'iam:GetContextKeysForCustomPolicy',
  input: CONTEXT_KEYS_FOR_CUSTOM_POLICY_INPUT,
  resource: () => '*',
  handle: (input) => Promise.resolve(keysOf(inputDocuments(input.PolicyInputList))),
})

/**
 * GetContextKeysForPrincipalPolicy: the given policies' keys and those of the entity's identity
 * policies (a user's groups' included). "Only context keys referenced by the identity-based
 * policies attached to the specified entity, and any additional policies that you provide, are
 * included": not its permissions boundary's. Authorized on the PolicySourceArn.
 */
export const GET_CONTEXT_KEYS_FOR_PRINCIPAL_POLICY = defineOperation({
  name: 'GetContextKeysForPrincipalPolicy',
  action: 'iam:GetContextKeysForPrincipalPolicy',
  input: CONTEXT_KEYS_FOR_PRINCIPAL_POLICY_INPUT,
  resource: (input) => policySourceArn(input.PolicySourceArn).arn,
  handle: async (input, ctx) => {
    const inputs = inputDocuments(input.PolicyInputList)
    const source = await loadPolicySource(
      ctx.tx,
      ctx.caller.accountId,
      policySourceArn(input.PolicySourceArn),
    )
    const stored = source.identity.map((d) => simulationDocument(d.id, d.text, 'identity'))
    return keysOf([...inputs, ...stored])
  },
})
