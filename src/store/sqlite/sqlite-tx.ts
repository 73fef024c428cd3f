/**
 * One transaction's StoreTx: the synchronous SQLite operations, each wrapped so that it returns
 * a promise (the port's shape), runs atomically under a savepoint, and refuses to run once its
 * transaction has ended.
 */
import type { StoreTx } from '../store.js'
import { accessKeyOps } from './access-keys.js'
import { accountOps } from './accounts.js'
import { attachmentOps } from './attachments.js'
import type { SqliteContext, Sync } from './context.js'
import { groupOps } from './groups.js'
import { inlinePolicyOps } from './inline-policies.js'
import { instanceProfileOps } from './instance-profiles.js'
import { policyOps } from './policies.js'
import { roleOps } from './roles.js'
import { tagOps } from './tags.js'
import { userOps } from './users.js'

/** A transaction's StoreTx and the switch that ends it. */
export interface SqliteTx {
  readonly tx: StoreTx
  /** After this, every call of `tx` fails. */
  readonly end: () => void
  /** Whether a call that may have written has succeeded: what the change feed reports. */
  readonly wrote: () => boolean
}

/**
 * Whether an operation only reads, by the port's naming (get..., list...). recordAccessKeyUse
 * writes a last-use stamp that no cache holds, so it does not count as a change either; being
 * one UPDATE, it needs no savepoint to be all or nothing, like a read.
 */
function readsOnly(name: string): boolean {
  return name.startsWith('get') || name.startsWith('list') || name === 'recordAccessKeyUse'
}

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
    ...instanceProfileOps(ctx),
    ...tagOps(ctx),
  }
}

type AnyOperation = (...args: unknown[]) => unknown

/** A StoreTx over `operations` for one transaction. */
export function createSqliteTx(ctx: SqliteContext, operations: Sync<StoreTx>): SqliteTx {
  let open = true
  let wrote = false
  const tx: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
  for (const [name, operation] of Object.entries(operations) as [string, AnyOperation][]) {
    const writes = !readsOnly(name)
    tx[name] = (...args) => {
      if (!open) {
        return Promise.reject(new Error(`${name} called after its transaction ended`))
      }
      try {
        // A read is one SELECT, atomic by itself: only calls that write need a savepoint.
        const result = writes ? ctx.atomically(() => operation(...args)) : operation(...args)
        if (writes) wrote = true
        return Promise.resolve(result)
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    }
  }
  return {
    // Each key of `operations` is a key of StoreTx (Sync<StoreTx> has exactly those keys), and
    // each wrapper returns a promise of what the operation returns.
    tx: tx as unknown as StoreTx,
    end: () => {
      open = false
    },
    wrote: () => wrote,
  }
}
