/** OpenID Connect identity providers. */
import type { CaseGroup } from '../harness.js'

export const oidcProviderCases: CaseGroup = {
  name: 'oidc providers',
  cases: () => undefined,
}
