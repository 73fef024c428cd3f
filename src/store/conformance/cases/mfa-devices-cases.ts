/** Virtual MFA devices. */
import type { CaseGroup } from '../harness.js'

export const mfaDeviceCases: CaseGroup = {
  name: 'mfa devices',
  cases: () => undefined,
}
