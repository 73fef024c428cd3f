/** SAML identity providers. */
import type { CaseGroup } from '../harness.js'

export const samlProviderCases: CaseGroup = {
  name: 'saml providers',
  cases: () => undefined,
}
