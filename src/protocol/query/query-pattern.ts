/** The model's regular expressions, as read-params applies them. */

/**
 * Compiles a model pattern (e.g. `[\w+=,.@-]+`) to match a whole value, keeping its text for
 * AWS's message ("Member must satisfy regular expression pattern: [\w+=,.@-]+").
 */
export function queryPattern(text: string): { readonly text: string; readonly regex: RegExp } {
  // The model's patterns are Java regular expressions that must match the entire value (Java's
  // Pattern.matches); `u` gives \p{L} and friends their Java meaning.
  return { text, regex: new RegExp(`^(?:${text})$`, 'u') }
}
