/**
 * Every operation of the store port, written once in SQL for every SQL backend (SQLite and
 * PostgreSQL), each backend giving its own SqlContext.
 */
import type { StoreChangeKind, StoreTx } from '../store.js'
import { accessKeyOps } from './access-keys.js'
import { accountAliasOps } from './account-aliases.js'
import { accountOps } from './accounts.js'
import { attachmentOps } from './attachments.js'
import { credentialReportOps } from './credential-reports.js'
import { groupOps } from './groups.js'
import { inlinePolicyOps } from './inline-policies.js'
import { instanceProfileOps } from './instance-profiles.js'
import { mfaDeviceOps } from './mfa-devices.js'
import { oidcProviderOps } from './oidc-providers.js'
import { passwordOps } from './passwords.js'
import { policyOps } from './policies.js'
import { roleOps } from './roles.js'
import { samlProviderOps } from './saml-providers.js'
import { serverCertificateOps } from './server-certificates.js'
import { serviceCredentialOps } from './service-credentials.js'
import { serviceLinkedRoleOps } from './service-linked-roles.js'
import type { SqlContext } from './sql-context.js'
import { tagOps } from './tags.js'
import { userCredentialOps } from './user-credentials.js'
import { userOps } from './users.js'
import { workloadOps } from './workloads.js'
import { outboundFederationOps } from './outbound-federation.js'
import { delegationRequestOps } from './delegation-requests.js'
import { accountPropertyOps } from './account-properties.js'

/** Every operation; built once per store (the operations hold no state but the context). */
export function sqlOperations(ctx: SqlContext): StoreTx {
  return {
    ...accountOps(ctx),
    ...userOps(ctx),
    ...groupOps(ctx),
    ...roleOps(ctx),
    ...policyOps(ctx),
    ...attachmentOps(ctx),
    ...inlinePolicyOps(ctx),
    ...accessKeyOps(ctx),
    ...credentialReportOps(ctx),
    ...instanceProfileOps(ctx),
    ...tagOps(ctx),
    ...mfaDeviceOps(ctx),
    ...serviceCredentialOps(ctx),
    ...userCredentialOps(ctx),
    ...samlProviderOps(ctx),
    ...serviceLinkedRoleOps(ctx),
    ...serverCertificateOps(ctx),
    ...oidcProviderOps(ctx),
    ...passwordOps(ctx),
    ...accountAliasOps(ctx),
    ...workloadOps(ctx),
    ...outboundFederationOps(ctx),
    ...delegationRequestOps(ctx),
    ...accountPropertyOps(ctx),
  }
}

/** Whether an operation only reads, by the port's naming (get..., list...). */
export function operationReadsOnly(name: string): boolean {
  return name.startsWith('get') || name.startsWith('list')
}

/**
 * Whether a write changes what caches of the store hold: recordAccessKeyUse writes a last-use
 * stamp and putCredentialReport a report, neither of which any cache holds, so the change feed
 * does not report them.
 */
export function operationChangesCachedData(name: string): boolean {
  return !UNCACHED_WRITES.has(name)
}

/**
 * The kind of change a write is (StoreChange.only), for the few a cache can reason about
 * exactly; undefined for every other write, which may change anything. An operation belongs
 * here only if all it can write is what the kind says: createUser writes the new user, its tags
 * and its boundary reference; deleteUser refuses a user anything refers to (its DeleteConflict
 * checks) and deletes the user with its own rows.
 */
export function operationChangeKind(name: string): StoreChangeKind | undefined {
  return CHANGE_KINDS.get(name)
}

const CHANGE_KINDS: ReadonlyMap<string, StoreChangeKind> = new Map([
  ['createUser', 'userAdded'],
  ['deleteUser', 'userRemoved'],
])

/** Writes of data no cache holds (last-use stamps, reports, aliases). */
const UNCACHED_WRITES: ReadonlySet<string> = new Set([
  'recordAccessKeyUse',
  'putCredentialReport',
  'createAccountAlias',
  'deleteAccountAlias',
  'createLoginProfile',
  'updateLoginProfile',
  'deleteLoginProfile',
  'uploadSshPublicKey',
  'updateSshPublicKeyStatus',
  'deleteSshPublicKey',
  'uploadSigningCertificate',
  'updateSigningCertificateStatus',
  'deleteSigningCertificate',
  'createServiceSpecificCredential',
  'resetServiceSpecificCredential',
  'updateServiceSpecificCredentialStatus',
  'deleteServiceSpecificCredential',
  'createSamlProvider',
  'updateSamlProvider',
  'deleteSamlProvider',
  'tagSamlProvider',
  'untagSamlProvider',
  'uploadServerCertificate',
  'updateServerCertificate',
  'deleteServerCertificate',
  'tagServerCertificate',
  'untagServerCertificate',
  'createDeletionTask',
  'setStsPreferences',
  // Console sign-in's failure counts and PasswordLastUsed: no cache holds them, and a sign-in
  // attempt (a brute force too) must not empty every node's caches.
  'reserveSignInAttempt',
  'releaseSignInAttempt',
  'clearSignInFailures',
  'recordPasswordUse',
  // Workloads: the credentials endpoint reads them from the store at each fetch; no cache holds
  // them.
  'createWorkload',
  'deleteWorkload',
  // Outbound federation's issuers: GetWebIdentityToken and the discovery routes read the store.
  'enableOutboundFederation',
  'disableOutboundFederation',
  // GetWebIdentityToken makes the next signing key when one is due: no cache holds keys.
  'rotateOutboundSigningKey',
  // Delegation requests and their notifications: every call reads them from the store.
  'createDelegationRequest',
  'transitionDelegationRequest',
  'deleteExpiredDelegationRequests',
  'putDelegationNotification',
  'receiveDelegationNotifications',
  // Account properties: read from the store by the operations that use them; no cache holds them.
  'putAccountProperties',
])
