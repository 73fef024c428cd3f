/** The account password policy, login profiles and passwords. */
import type { CaseGroup } from '../harness.js'

export const passwordCases: CaseGroup = {
  name: 'passwords',
  cases: () => undefined,
}
