/** SSH public keys and signing certificates of users. */
import type { CaseGroup } from '../harness.js'

export const userCredentialCases: CaseGroup = {
  name: 'user credentials',
  cases: () => undefined,
}
