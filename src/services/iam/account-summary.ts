/**
 * GetAccountSummary (reference §2, "Account"; §4.3 and §4.4 for the quotas): the account's
 * entity counts and IAM's quotas, as a map of every key of the model's summaryKeyType.
 */
import { allItems } from '../../store/all-items.js'
import { DEFAULT_LIMITS } from '../../store/limits.js'
import { defineOperation } from '../operation.js'
import { MANAGED_POLICY_SIZE_QUOTA } from './managed-policies.js'

// Quotas of things Gatehouse does not have yet (server and signing certificates, OIDC/SAML
// providers, trust policy size), at AWS's defaults (reference §4.3, §4.4), and the managed
// policy versions an account may have in use (AWS's GetAccountSummary example: 10000).
const SERVER_CERTIFICATES_QUOTA = 20
const SIGNING_CERTIFICATES_PER_USER_QUOTA = 2
const ASSUME_ROLE_POLICY_SIZE_QUOTA = 2048
const POLICY_VERSIONS_IN_USE_QUOTA = 10000

/** GetAccountSummary: the SummaryMap, its keys in the model's order. */
export const GET_ACCOUNT_SUMMARY = defineOperation({
  name: 'GetAccountSummary',
  action: 'iam:GetAccountSummary',
  input: { kind: 'structure', members: {} } as const,
  // The Service Authorization Reference gives iam:GetAccountSummary no resource type.
  resource: () => '*',
  handle: async (_input, ctx) => {
    const counts = await ctx.tx.getAccountSummary(ctx.caller.accountId)
    const rootCertificates = await ctx.tx.listSigningCertificates(ctx.caller.accountId, null, {
      maxItems: 1,
    })
    const serverCertificates = await allItems((page) =>
      ctx.tx.listServerCertificates(ctx.caller.accountId, undefined, page),
    )
    // SetSecurityTokenServicePreferences: v1Token (1) until an account asks for v2Token (2).
    const preferences = await ctx.tx.getStsPreferences(ctx.caller.accountId)
    const devices = await allItems((page) =>
      ctx.tx.listVirtualMfaDevices(ctx.caller.accountId, page),
    )
    // The store's quotas are AWS's defaults: `gatehouse serve` does not change them, and the
    // store port does not say which it was opened with.
    const limits = DEFAULT_LIMITS
    const summary: readonly (readonly [string, number])[] = [
      ['Users', counts.users],
      ['UsersQuota', limits.usersPerAccount],
      ['Groups', counts.groups],
      ['GroupsQuota', limits.groupsPerAccount],
      ['ServerCertificates', serverCertificates.length],
      ['ServerCertificatesQuota', SERVER_CERTIFICATES_QUOTA],
      ['UserPolicySizeQuota', limits.inlinePolicySizePerUser],
      ['GroupPolicySizeQuota', limits.inlinePolicySizePerGroup],
      ['GroupsPerUserQuota', limits.groupsPerUser],
      ['SigningCertificatesPerUserQuota', SIGNING_CERTIFICATES_PER_USER_QUOTA],
      ['AccessKeysPerUserQuota', limits.accessKeysPerUser],
      ['MFADevices', devices.length],
      ['MFADevicesInUse', devices.filter((device) => device.user !== null || device.root).length],
      // Whether the root user has an MFA device enabled.
      ['AccountMFAEnabled', devices.some((device) => device.root) ? 1 : 0],
      ['AccountAccessKeysPresent', counts.rootAccessKeys > 0 ? 1 : 0],
      ['AccountPasswordPresent', 0],
      ['AccountSigningCertificatesPresent', rootCertificates.items.length > 0 ? 1 : 0],
      ['AttachedPoliciesPerGroupQuota', limits.attachedPoliciesPerGroup],
      ['AttachedPoliciesPerRoleQuota', limits.attachedPoliciesPerRole],
      ['AttachedPoliciesPerUserQuota', limits.attachedPoliciesPerUser],
      ['Policies', counts.policies],
      ['PoliciesQuota', limits.policiesPerAccount],
      ['PolicySizeQuota', MANAGED_POLICY_SIZE_QUOTA],
      ['PolicyVersionsInUse', counts.policyVersionsInUse],
      ['PolicyVersionsInUseQuota', POLICY_VERSIONS_IN_USE_QUOTA],
      ['VersionsPerPolicyQuota', limits.versionsPerPolicy],
      ['GlobalEndpointTokenVersion', preferences.globalEndpointTokenVersion === 'v2Token' ? 2 : 1],
      ['AssumeRolePolicySizeQuota', ASSUME_ROLE_POLICY_SIZE_QUOTA],
      ['InstanceProfiles', counts.instanceProfiles],
      ['InstanceProfilesQuota', limits.instanceProfilesPerAccount],
      // OIDC and SAML identity providers.
      [
        'Providers',
        (await ctx.tx.listOidcProviders(ctx.caller.accountId)).length +
          (await ctx.tx.listSamlProviders(ctx.caller.accountId)).length,
      ],
      ['RolePolicySizeQuota', limits.inlinePolicySizePerRole],
      ['Roles', counts.roles],
      ['RolesQuota', limits.rolesPerAccount],
    ]
    return { SummaryMap: new Map(summary) }
  },
})
