/**
 * Why a policy document was refused: AWS's MalformedPolicyDocument wording plus where the fault
 * is (a JSON path, and the line and column when the document came as text).
 */
import type { TextPosition } from './json-tree.js'

/** One fault in a policy document. */
export interface PolicyFault {
  /** The message as AWS words it (what MalformedPolicyDocument carries). */
  readonly message: string
  /** JSON path of the offending element, e.g. `Statement[0].Principal`; empty for the whole document. */
  readonly path: string
  readonly pos?: TextPosition
}

/** Thrown by parsePolicy: the document is malformed. `faults` holds every fault found, first one first. */
export class PolicyParseError extends Error {
  override readonly name = 'PolicyParseError'
  /** The AWS error code this maps to on the wire. */
  readonly code = 'MalformedPolicyDocument'
  constructor(readonly faults: readonly [PolicyFault, ...PolicyFault[]]) {
    super(faults[0].message)
  }
}

/** Renders a fault's location for people: `Statement[0].Effect (line 4, column 7)`. */
export function describeFaultLocation(fault: PolicyFault): string {
  const where = fault.path === '' ? 'document' : fault.path
  return fault.pos === undefined
    ? where
    : `${where} (line ${fault.pos.line}, column ${fault.pos.column})`
}
