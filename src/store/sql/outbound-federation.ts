/**
 * Outbound web identity federation, on SQL: one issuer row per account that ever enabled it,
 * and its signing keys, numbered per algorithm (generation 0, 1, ...), the private halves sealed
 * with the master key. The signing key of an algorithm is its one row not retired (a partial
 * unique index holds that); a retired row keeps its public half only, until it is pruned.
 */
import { decryptSecret, encryptSecret } from '../secret-box.js'
import type {
  NewOutboundSigningKey,
  OutboundFederationOps,
  OutboundIssuer,
  OutboundSigningAlgorithm,
  OutboundSigningKey,
} from '../outbound-federation-ops.js'
import type { SqlContext } from './sql-context.js'

interface IssuerRow {
  readonly account_id: string
  readonly issuer_id: string
  readonly enabled: number
  readonly created_at: number | string
}

interface KeyRow {
  readonly algorithm: OutboundSigningAlgorithm
  readonly key_id: string
  readonly public_jwk: string
  readonly created_at: number | string
  readonly retired_at: number | string | null
}

interface SigningRow {
  readonly generation: number | string
  readonly key_id: string
  readonly private_key: Uint8Array
  readonly created_at: number | string
}

const ISSUER_COLUMNS = 'account_id, issuer_id, enabled, created_at'

// The sealed key opens only under its own account and algorithm: a row copied elsewhere does not.
function sealContext(accountId: string, algorithm: OutboundSigningAlgorithm): string {
  return `outbound-signing-key:${accountId}:${algorithm}`
}

async function withKeys(ctx: SqlContext, row: IssuerRow): Promise<OutboundIssuer> {
  const keys = await ctx.all<KeyRow>(
    `SELECT algorithm, key_id, public_jwk, created_at, retired_at FROM outbound_signing_keys
     WHERE account_id = ? ORDER BY algorithm, generation DESC`,
    row.account_id,
  )
  return {
    accountId: row.account_id,
    issuerId: row.issuer_id,
    enabled: Number(row.enabled) === 1,
    createdAt: new Date(Number(row.created_at)),
    keys: keys.map((k) => ({
      algorithm: k.algorithm,
      keyId: k.key_id,
      publicJwk: k.public_jwk,
      createdAt: new Date(Number(k.created_at)),
      retiredAt: k.retired_at === null ? null : new Date(Number(k.retired_at)),
    })),
  }
}

/** The outbound web identity federation operations. */
export function outboundFederationOps(ctx: SqlContext): OutboundFederationOps {
  async function find(accountId: string): Promise<OutboundIssuer | undefined> {
    const row = await ctx.get<IssuerRow>(
      `SELECT ${ISSUER_COLUMNS} FROM outbound_issuers WHERE account_id = ?`,
      accountId,
    )
    return row === undefined ? undefined : withKeys(ctx, row)
  }

  async function insertKey(
    accountId: string,
    key: NewOutboundSigningKey,
    generation: number,
    now: number,
  ): Promise<void> {
    await ctx.run(
      `INSERT INTO outbound_signing_keys
         (account_id, algorithm, generation, key_id, public_jwk, private_key, created_at,
          retired_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
      accountId,
      key.algorithm,
      generation,
      key.keyId,
      key.publicJwk,
      encryptSecret(ctx.masterKey, key.privateKeyPem, sealContext(accountId, key.algorithm)),
      now,
    )
  }

  async function signingRow(
    accountId: string,
    algorithm: OutboundSigningAlgorithm,
  ): Promise<SigningRow | undefined> {
    return ctx.get<SigningRow>(
      `SELECT generation, key_id, private_key, created_at FROM outbound_signing_keys
       WHERE account_id = ? AND algorithm = ? AND retired_at IS NULL`,
      accountId,
      algorithm,
    )
  }

  function opened(
    accountId: string,
    algorithm: OutboundSigningAlgorithm,
    row: SigningRow,
  ): OutboundSigningKey {
    return {
      algorithm,
      keyId: row.key_id,
      privateKeyPem: decryptSecret(
        ctx.masterKey,
        row.private_key,
        sealContext(accountId, algorithm),
      ),
    }
  }

  return {
    getOutboundIssuer: find,

    async getOutboundIssuerById(issuerId) {
      const row = await ctx.get<IssuerRow>(
        `SELECT ${ISSUER_COLUMNS} FROM outbound_issuers WHERE issuer_id = ?`,
        issuerId,
      )
      return row === undefined ? undefined : withKeys(ctx, row)
    },

    async enableOutboundFederation(accountId, now, fresh) {
      await ctx.requireAccount(accountId)
      return ctx.atomically(async () => {
        const at = now.getTime()
        const enabled = await ctx.run(
          'UPDATE outbound_issuers SET enabled = 1, updated_at = ? WHERE account_id = ? AND enabled = 0',
          at,
          accountId,
        )
        let changed = enabled.changes > 0
        if (
          !changed &&
          !(await ctx.exists('SELECT 1 FROM outbound_issuers WHERE account_id = ?', accountId))
        ) {
          const issuer = await fresh()
          await ctx.run(
            `INSERT INTO outbound_issuers (account_id, issuer_id, enabled, created_at, updated_at)
             VALUES (?, ?, 1, ?, ?)`,
            accountId,
            issuer.issuerId,
            at,
            at,
          )
          for (const key of issuer.keys) await insertKey(accountId, key, 0, at)
          changed = true
        }
        const issuer = await find(accountId)
        if (issuer === undefined) throw new Error('the outbound issuer vanished in its transaction')
        return { outcome: changed ? 'enabled' : 'already', issuer }
      })
    },

    async disableOutboundFederation(accountId) {
      await ctx.requireAccount(accountId)
      const result = await ctx.run(
        'UPDATE outbound_issuers SET enabled = 0, updated_at = ? WHERE account_id = ? AND enabled = 1',
        ctx.now(),
        accountId,
      )
      return result.changes > 0
    },

    async getOutboundSigningKey(accountId, algorithm) {
      const row = await signingRow(accountId, algorithm)
      return row === undefined ? undefined : opened(accountId, algorithm, row)
    },

    async rotateOutboundSigningKey(accountId, algorithm, rotation, fresh) {
      return ctx.atomically(async () => {
        const now = rotation.now.getTime()
        const current = await signingRow(accountId, algorithm)
        if (current === undefined) return undefined
        await ctx.run(
          `DELETE FROM outbound_signing_keys
           WHERE account_id = ? AND retired_at IS NOT NULL AND retired_at <= ?`,
          accountId,
          now - rotation.retainMs,
        )
        // INVARIANT: a writing transaction holds the store's write lock from its first call (BEGIN
        // IMMEDIATE; PostgreSQL's advisory lock), so a node racing this one reads the key made
        // here, not the one it replaces. The partial unique index would refuse a second one.
        if (now - Number(current.created_at) < rotation.rotateAfterMs) {
          return opened(accountId, algorithm, current)
        }
        const key = await fresh(algorithm)
        if (key.algorithm !== algorithm) {
          throw new Error(`asked for an ${algorithm} key, given an ${key.algorithm} one`)
        }
        // Retired first: the index allows one signing key per algorithm at any moment.
        await ctx.run(
          `UPDATE outbound_signing_keys SET retired_at = ?, private_key = NULL
           WHERE account_id = ? AND algorithm = ? AND generation = ?`,
          now,
          accountId,
          algorithm,
          Number(current.generation),
        )
        await insertKey(accountId, key, Number(current.generation) + 1, now)
        return { algorithm, keyId: key.keyId, privateKeyPem: key.privateKeyPem }
      })
    },
  }
}
