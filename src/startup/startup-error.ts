/** Why the server could not start, in words for the operator (no stack trace needed). */
export class StartupError extends Error {
  override readonly name = 'StartupError'
}
