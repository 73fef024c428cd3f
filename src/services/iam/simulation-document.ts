/**
 * A policy document of a simulation or a context-key listing, parsed for its place (identity
 * policy, permissions boundary, resource-based policy) and named by its SourcePolicyId.
 */
import { AwsError } from '../../errors/aws-error.js'
import { PolicyParseError, parsePolicy } from '../../policy/index.js'
import type { PolicyKind } from '../../policy/index.js'
import type { SimulationDocument } from '../../policy/prepare-simulation.js'

/**
 * Parses `text` as a policy of `kind`. A document the parser refuses is InvalidInput, the
 * operations' modeled error, with the parser's MalformedPolicyDocument wording after the
 * document's SourcePolicyId.
 */
export function simulationDocument(id: string, text: string, kind: PolicyKind): SimulationDocument {
  try {
    return { id, text, document: parsePolicy(text, kind) }
  } catch (err) {
    if (!(err instanceof PolicyParseError)) throw err
    // Invented message: AWS's wording for a malformed simulated policy is not documented.
    throw new AwsError('InvalidInput', `${id}: ${err.faults[0].message}`, { cause: err })
  }
}

/** The documents of PolicyInputList, `PolicyInputList.1` first, as identity policies. */
export function inputDocuments(texts: readonly string[] | undefined): SimulationDocument[] {
  return (texts ?? []).map((text, i) =>
    simulationDocument(`PolicyInputList.${i + 1}`, text, 'identity'),
  )
}
