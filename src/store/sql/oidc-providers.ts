/** OpenID Connect identity providers, on SQLite. */
import {
  OidcProviderExistsError,
  OidcProviderLimitError,
  OidcProviderNotFoundError,
} from '../oidc-provider-errors.js'
import { OIDC_PROVIDER_LIMITS, oidcProviderArn } from '../oidc-providers-ops.js'
import type { OidcProvider, OidcProviderOps } from '../oidc-providers-ops.js'
import type { Tag } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { putCaseSensitiveTags } from './tags.js'
import { paginate } from './paginate.js'

interface ProviderRow {
  readonly provider_id: number
  readonly account_id: string
  readonly name: string
  readonly created_at: number
}

const PROVIDER_SELECT = 'SELECT provider_id, account_id, name, created_at FROM oidc_providers'

async function toProvider(ctx: SqlContext, row: ProviderRow): Promise<OidcProvider> {
  return {
    accountId: row.account_id,
    name: row.name,
    arn: oidcProviderArn(row.account_id, row.name),
    clientIds: (
      await ctx.all<{ client_id: string }>(
        'SELECT client_id FROM oidc_provider_client_ids WHERE provider_id = ? ORDER BY position',
        row.provider_id,
      )
    ).map((r) => r.client_id),
    thumbprints: (
      await ctx.all<{ thumbprint: string }>(
        'SELECT thumbprint FROM oidc_provider_thumbprints WHERE provider_id = ? ORDER BY position',
        row.provider_id,
      )
    ).map((r) => r.thumbprint),
    createdAt: new Date(row.created_at),
  }
}

async function readProvider(ctx: SqlContext, id: number, name: string): Promise<OidcProvider> {
  const row = await ctx.get<ProviderRow>(`${PROVIDER_SELECT} WHERE provider_id = ?`, id)
  if (row === undefined) throw new OidcProviderNotFoundError(name)
  return await toProvider(ctx, row)
}

/** The provider's row id; OidcProviderNotFoundError if the account has no such provider. */
async function providerId(ctx: SqlContext, accountId: string, name: string): Promise<number> {
  const row = await ctx.get<{ provider_id: number }>(
    'SELECT provider_id FROM oidc_providers WHERE account_id = ? AND name_key = lower(?)',
    accountId,
    name,
  )
  if (row === undefined) throw new OidcProviderNotFoundError(name)
  return row.provider_id
}

/** Adds client ids after the provider's last; one it already has stays where it is. */
async function addClientIds(
  ctx: SqlContext,
  id: number,
  clientIds: readonly string[],
): Promise<void> {
  for (const clientId of clientIds) {
    await ctx.run(
      `INSERT INTO oidc_provider_client_ids (provider_id, client_id, position)
       VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1
                      FROM oidc_provider_client_ids WHERE provider_id = ?))
       ON CONFLICT (provider_id, client_id) DO NOTHING`,
      id,
      clientId,
      id,
    )
  }
  const count = await ctx.count(
    'SELECT count(*) FROM oidc_provider_client_ids WHERE provider_id = ?',
    id,
  )
  const limit = OIDC_PROVIDER_LIMITS.clientIdsPerProvider
  // The call's savepoint undoes the inserts.
  if (count > limit) throw new OidcProviderLimitError('clientIdsPerProvider', limit)
}

async function setThumbprints(
  ctx: SqlContext,
  id: number,
  thumbprints: readonly string[],
): Promise<void> {
  await ctx.run('DELETE FROM oidc_provider_thumbprints WHERE provider_id = ?', id)
  for (const [index, thumbprint] of thumbprints.entries()) {
    await ctx.run(
      'INSERT INTO oidc_provider_thumbprints (provider_id, position, thumbprint) VALUES (?, ?, ?)',
      id,
      index + 1,
      thumbprint,
    )
  }
}

/** Adds or replaces tags (keys with case); LimitExceededError past tagsPerResource. */
async function putTags(ctx: SqlContext, id: number, tags: readonly Tag[]): Promise<void> {
  await putCaseSensitiveTags(ctx, 'oidc_provider_tags', 'provider_id', id, tags)
}

/** The OpenID Connect identity provider operations. */
export function oidcProviderOps(ctx: SqlContext): OidcProviderOps {
  return {
    async createOidcProvider(input) {
      await ctx.requireAccount(input.accountId)
      let id: number
      try {
        const inserted = await ctx.get<{ provider_id: number }>(
          `INSERT INTO oidc_providers (account_id, name, created_at) VALUES (?, ?, ?)
           RETURNING provider_id`,
          input.accountId,
          input.name,
          ctx.now(),
        )
        id = Number(inserted?.provider_id)
      } catch (err) {
        if (ctx.isUniqueViolation(err)) throw new OidcProviderExistsError(input.name)
        throw err
      }
      const limit = OIDC_PROVIDER_LIMITS.providersPerAccount
      const count = await ctx.count(
        'SELECT count(*) FROM oidc_providers WHERE account_id = ?',
        input.accountId,
      )
      if (count > limit) throw new OidcProviderLimitError('providersPerAccount', limit)
      await addClientIds(ctx, id, input.clientIds ?? [])
      await setThumbprints(ctx, id, input.thumbprints ?? [])
      await putTags(ctx, id, input.tags ?? [])
      return await readProvider(ctx, id, input.name)
    },

    async getOidcProvider(accountId, name) {
      return await readProvider(ctx, await providerId(ctx, accountId, name), name)
    },

    async listOidcProviders(accountId) {
      const rows = await ctx.all<ProviderRow>(
        `${PROVIDER_SELECT} WHERE account_id = ? ORDER BY name_key, name`,
        accountId,
      )
      const providers: OidcProvider[] = []
      for (const row of rows) providers.push(await toProvider(ctx, row))
      return providers
    },

    async deleteOidcProvider(accountId, name) {
      await ctx.run(
        'DELETE FROM oidc_providers WHERE provider_id = ?',
        await providerId(ctx, accountId, name),
      )
    },

    async addOidcProviderClientId(accountId, name, clientId) {
      await addClientIds(ctx, await providerId(ctx, accountId, name), [clientId])
    },

    async removeOidcProviderClientId(accountId, name, clientId) {
      await ctx.run(
        'DELETE FROM oidc_provider_client_ids WHERE provider_id = ? AND client_id = ?',
        await providerId(ctx, accountId, name),
        clientId,
      )
    },

    async updateOidcProviderThumbprints(accountId, name, thumbprints) {
      await setThumbprints(ctx, await providerId(ctx, accountId, name), thumbprints)
    },

    async tagOidcProvider(accountId, name, tags) {
      await putTags(ctx, await providerId(ctx, accountId, name), tags)
    },

    async untagOidcProvider(accountId, name, keys) {
      const id = await providerId(ctx, accountId, name)
      for (const key of keys) {
        await ctx.run('DELETE FROM oidc_provider_tags WHERE provider_id = ? AND key = ?', id, key)
      }
    },

    async listOidcProviderTags(accountId, name, request) {
      return paginate<{ sort_key: string; key: string; value: string }, Tag>(
        ctx,
        'SELECT key, value, key AS sort_key FROM oidc_provider_tags WHERE provider_id = ?',
        [await providerId(ctx, accountId, name)],
        request,
        (row) => ({ key: row.key, value: row.value }),
      )
    },
  }
}
