/**
 * Outbound web identity federation, on SQL: one issuer row per account that ever enabled it,
 * and its signing keys, the private halves sealed with the master key.
 */
import { decryptSecret, encryptSecret } from '../secret-box.js'
import type {
  OutboundFederationOps,
  OutboundIssuer,
  OutboundSigningAlgorithm,
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
}

const ISSUER_COLUMNS = 'account_id, issuer_id, enabled, created_at'

// The sealed key opens only under its own account and algorithm: a row copied elsewhere does not.
function sealContext(accountId: string, algorithm: OutboundSigningAlgorithm): string {
  return `outbound-signing-key:${accountId}:${algorithm}`
}

async function withKeys(ctx: SqlContext, row: IssuerRow): Promise<OutboundIssuer> {
  const keys = await ctx.all<KeyRow>(
    `SELECT algorithm, key_id, public_jwk FROM outbound_signing_keys
     WHERE account_id = ? ORDER BY algorithm`,
    row.account_id,
  )
  return {
    accountId: row.account_id,
    issuerId: row.issuer_id,
    enabled: Number(row.enabled) === 1,
    createdAt: new Date(Number(row.created_at)),
    keys: keys.map((k) => ({ algorithm: k.algorithm, keyId: k.key_id, publicJwk: k.public_jwk })),
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

  return {
    getOutboundIssuer: find,

    async getOutboundIssuerById(issuerId) {
      const row = await ctx.get<IssuerRow>(
        `SELECT ${ISSUER_COLUMNS} FROM outbound_issuers WHERE issuer_id = ?`,
        issuerId,
      )
      return row === undefined ? undefined : withKeys(ctx, row)
    },

    async enableOutboundFederation(accountId, fresh) {
      await ctx.requireAccount(accountId)
      return ctx.atomically(async () => {
        const now = ctx.now()
        const enabled = await ctx.run(
          'UPDATE outbound_issuers SET enabled = 1, updated_at = ? WHERE account_id = ? AND enabled = 0',
          now,
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
            now,
            now,
          )
          for (const key of issuer.keys) {
            await ctx.run(
              `INSERT INTO outbound_signing_keys
                 (account_id, algorithm, key_id, public_jwk, private_key, created_at)
               VALUES (?, ?, ?, ?, ?, ?)`,
              accountId,
              key.algorithm,
              key.keyId,
              key.publicJwk,
              encryptSecret(
                ctx.masterKey,
                key.privateKeyPem,
                sealContext(accountId, key.algorithm),
              ),
              now,
            )
          }
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
      const row = await ctx.get<{ key_id: string; private_key: Uint8Array }>(
        'SELECT key_id, private_key FROM outbound_signing_keys WHERE account_id = ? AND algorithm = ?',
        accountId,
        algorithm,
      )
      if (row === undefined) return undefined
      return {
        algorithm,
        keyId: row.key_id,
        privateKeyPem: decryptSecret(
          ctx.masterKey,
          row.private_key,
          sealContext(accountId, algorithm),
        ),
      }
    },
  }
}
