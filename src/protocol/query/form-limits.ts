/**
 * The bounds decodeForm holds a request to, so that a hostile request costs little before it is
 * refused. Each is well above what a real IAM or STS call needs.
 */

/**
 * The default bounds of decodeForm: `maxBytes` for the query string and body together (UTF-8),
 * `maxParameters` for the number of `name=value` pairs, `maxNameLength` for one decoded name.
 */
export const FORM_LIMITS: {
  readonly maxBytes: number
  readonly maxParameters: number
  readonly maxNameLength: number
} = {
  // The largest IAM or STS input of the T1/T2 operations is a 131,072-character policy document
  // (policyDocumentType), at most 786,432 bytes even with every character a percent-encoded
  // Latin-1 letter (two UTF-8 bytes, three characters each). 1 MiB holds it with the rest of the
  // call. The T3 operations with larger inputs (SAML metadata up to 10,000,000 characters,
  // certificate chains up to 2,097,152) need a caller that raises this bound.
  maxBytes: 1_048_576,
  // A CreateUser or TagRole with the maximum of 50 tags is about 100 parameters; list inputs of
  // the policy simulator (action names, resource ARNs, context entries) are the longest. 1,000
  // also bounds the work of reading lists out of the flat parameters.
  maxParameters: 1_000,
  // The longest names IAM's model can produce (a context entry's value in SimulateCustomPolicy,
  // `ContextEntries.member.NNN.ContextKeyValues.member.NNN`) are under 60 characters.
  maxNameLength: 256,
}
