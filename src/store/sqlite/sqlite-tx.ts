/**
 * One transaction's StoreTx: the synchronous SQLite operations, each wrapped so that it returns
 * a promise (the port's shape), runs atomically under a savepoint, and refuses to run once its
 * transaction has ended.
 */
import type { StoreTx } from '../store.js'
import { accountAliasOps } from './account-aliases.js'
import { passwordOps } from './passwords.js'
import { oidcProviderOps } from './oidc-providers.js'
import { mfaDeviceOps } from './mfa-devices.js'
import { samlProviderOps } from './saml-providers.js'
import { userCredentialOps } from './user-credentials.js'
import { serviceCredentialOps } from './service-credentials.js'
import { serverCertificateOps } from './server-certificates.js'
import { serviceLinkedRoleOps } from './service-linked-roles.js'
import { accessKeyOps } from './access-keys.js'
import { accountOps } from './accounts.js'
import { attachmentOps } from './attachments.js'
import type { SqliteContext, Sync } from './context.js'
import { credentialReportOps } from './credential-reports.js'
import { groupOps } from './groups.js'
import { inlinePolicyOps } from './inline-policies.js'
import { instanceProfileOps } from './instance-profiles.js'
import { policyOps } from './policies.js'
import { roleOps } from './roles.js'
import { tagOps } from './tags.js'
import { userOps } from './users.js'

/** One transaction's state, shared by its StoreTx and the store that runs it. */
export interface SqliteTxState {
  /** False once the transaction has ended: every call then fails. */
  open: boolean
  /** Whether BEGIN has run: it runs with the first call, so a call-less transaction is free. */
  begun: boolean
  /** Whether a call that may have written has succeeded: what the change feed reports. */
  wrote: boolean
  /** A read-only transaction: BEGIN DEFERRED, and writes refused. */
  readonly readOnly: boolean
}

/** Makes a StoreTx for one transaction's state. */
export type SqliteTxFactory = (state: SqliteTxState) => StoreTx

/** Whether an operation only reads, by the port's naming (get..., list...). */
function readsOnly(name: string): boolean {
  return name.startsWith('get') || name.startsWith('list')
}

/**
 * Whether a write changes what caches of the store hold: recordAccessKeyUse writes a last-use
 * stamp and putCredentialReport a report, neither of which any cache holds, so the change feed
 * does not report them.
 */
function changesCachedData(name: string): boolean {
  return !UNCACHED_WRITES.has(name)
}

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
])

/** Every operation, synchronous; built once per store (the operations hold no state). */
export function syncOperations(ctx: SqliteContext): Sync<StoreTx> {
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
  }
}

type AnyOperation = (...args: unknown[]) => unknown

/**
 * The StoreTx of every transaction of a store: one prototype whose methods wrap `operations`
 * (built once per store, not once per transaction: a request's transaction then costs one small
 * object), each returning a promise (the port's shape), beginning the transaction with the first
 * call, running writes atomically under a savepoint, and refusing to run once it has ended.
 */
export function sqliteTxFactory(ctx: SqliteContext, operations: Sync<StoreTx>): SqliteTxFactory {
  const prototype: Record<string, (this: { state: SqliteTxState }, ...args: unknown[]) => unknown> =
    {}
  for (const [name, operation] of Object.entries(operations) as [string, AnyOperation][]) {
    const writes = !readsOnly(name)
    const changes = writes && changesCachedData(name)
    prototype[name] = function (this: { state: SqliteTxState }, ...args: unknown[]) {
      const state = this.state
      if (!state.open) {
        return Promise.reject(new Error(`${name} called after its transaction ended`))
      }
      if (writes && state.readOnly) {
        return Promise.reject(new Error(`${name} called in a read-only transaction`))
      }
      try {
        if (!state.begun) {
          // IMMEDIATE takes the write lock at once, so the transaction's reads and its quota
          // checks see one state that no other process can change before it commits. A
          // read-only one reads a snapshot (WAL) and locks out no one.
          ctx.run(state.readOnly ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE')
          state.begun = true
        }
        // A read is one SELECT, atomic by itself: only calls that write need a savepoint.
        const result = writes ? ctx.atomically(() => operation(...args)) : operation(...args)
        if (changes) state.wrote = true
        return Promise.resolve(result)
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    }
  }
  // Each key of `operations` is a key of StoreTx (Sync<StoreTx> has exactly those keys), and
  // each method returns a promise of what the operation returns.
  return (state) => {
    const tx = Object.create(prototype) as { state: SqliteTxState }
    tx.state = state
    return tx as unknown as StoreTx
  }
}
