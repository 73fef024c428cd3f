/** Service-specific credentials. */
import type { CaseGroup } from '../harness.js'

export const serviceCredentialCases: CaseGroup = {
  name: 'service credentials',
  cases: () => undefined,
}
