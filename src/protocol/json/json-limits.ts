/**
 * The bounds decodeJson holds a JSON request body to, so that a hostile body costs little before
 * it is refused. Each is well above what a real call of the JSON-protocol services needs.
 */

/**
 * The default bounds of decodeJson: `maxBytes` for the body (UTF-8), `maxDepth` for the nesting
 * of objects and arrays, `maxValues` for the number of values of every kind in the document.
 */
export const JSON_LIMITS: {
  readonly maxBytes: number
  readonly maxDepth: number
  readonly maxValues: number
} = {
  // The same bound as an awsQuery request's (FORM_LIMITS): the largest inputs of CloudTrail's
  // model (a resource policy, event selectors with their field selectors) are far below it, and
  // LookupEvents' input is a few hundred bytes.
  maxBytes: 1_048_576,
  // CloudTrail's deepest input shape (advanced event selectors: list, structure, list,
  // structure, list) nests five levels; the decoder recurses once per level, so this also keeps
  // its stack shallow.
  maxDepth: 32,
  // Every string, number, literal, object and array counts once; a 1 MiB body of `[0,0,0,...]`
  // would otherwise be half a million values to build before any check could refuse them.
  maxValues: 10_000,
}
