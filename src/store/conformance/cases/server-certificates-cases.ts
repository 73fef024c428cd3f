/** Server certificates. */
import type { CaseGroup } from '../harness.js'

export const serverCertificateCases: CaseGroup = {
  name: 'server certificates',
  cases: () => undefined,
}
