/** Action formats, as the policy parsers check each Action/NotAction value. */
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'
import { compileWildcard } from './wildcard.js'

const VENDOR_PATTERN = /^[A-Za-z0-9.-]*$/
// The actions a role trust policy may name (IAM User Guide, role trust policies; lower case
// because action names compare without case).
const ASSUME_ROLE_ACTIONS = [
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
]

/** The format fault of one Action/NotAction value, or null; trust policies name assume-role actions only. */
export function actionFault(action: string, assumeRoleActionsOnly: boolean): string | null {
  if (assumeRoleActionsOnly) {
    // A wildcard passes when it covers one of the assume-role actions (`sts:AssumeRole*`).
    const matches = compileWildcard(action.toLowerCase())
    return ASSUME_ROLE_ACTIONS.some((a) => matches(a)) ? null : M.trustActions
  }
  if (action === '*') return null
  // Anything after a valid `vendor:` is accepted, spaces included.
  const colon = action.indexOf(':')
  if (colon < 0) return M.actionVendor
  if (action.includes(':', colon + 1)) return M.actionColons
  const vendor = action.slice(0, colon)
  if (vendor.includes('*') || vendor.includes('?')) return M.actionVendorWildcard
  if (!VENDOR_PATTERN.test(vendor)) return M.actionVendorInvalid(vendor)
  return null
}
