/** Service-linked roles and STS preferences. */
import type { CaseGroup } from '../harness.js'

export const serviceLinkedRoleCases: CaseGroup = {
  name: 'service linked roles',
  cases: () => undefined,
}
