/** Account aliases. */
import type { CaseGroup } from '../harness.js'

export const accountAliasCases: CaseGroup = {
  name: 'account aliases',
  cases: () => undefined,
}
