/** OpenID Connect identity providers, on SQLite. */
import {
  OidcProviderExistsError,
  OidcProviderLimitError,
  OidcProviderNotFoundError,
} from '../oidc-provider-errors.js'
import { OIDC_PROVIDER_LIMITS, oidcProviderArn } from '../oidc-providers-ops.js'
import type { OidcProvider, OidcProviderOps } from '../oidc-providers-ops.js'
import type { Tag } from '../store.js'
import { isUniqueViolation } from './context.js'
import type { SqliteContext, Sync } from './context.js'
import { putCaseSensitiveTags } from './tags.js'
import { paginate } from './paginate.js'

interface ProviderRow {
  readonly provider_id: number
  readonly account_id: string
  readonly name: string
  readonly created_at: number
}

const PROVIDER_SELECT = 'SELECT provider_id, account_id, name, created_at FROM oidc_providers'

function toProvider(ctx: SqliteContext, row: ProviderRow): OidcProvider {
  return {
    accountId: row.account_id,
    name: row.name,
    arn: oidcProviderArn(row.account_id, row.name),
    clientIds: ctx
      .all<{ client_id: string }>(
        'SELECT client_id FROM oidc_provider_client_ids WHERE provider_id = ? ORDER BY position',
        row.provider_id,
      )
      .map((r) => r.client_id),
    thumbprints: ctx
      .all<{ thumbprint: string }>(
        'SELECT thumbprint FROM oidc_provider_thumbprints WHERE provider_id = ? ORDER BY position',
        row.provider_id,
      )
      .map((r) => r.thumbprint),
    createdAt: new Date(row.created_at),
  }
}

function readProvider(ctx: SqliteContext, id: number, name: string): OidcProvider {
  const row = ctx.get<ProviderRow>(`${PROVIDER_SELECT} WHERE provider_id = ?`, id)
  if (row === undefined) throw new OidcProviderNotFoundError(name)
  return toProvider(ctx, row)
}

/** The provider's row id; OidcProviderNotFoundError if the account has no such provider. */
function providerId(ctx: SqliteContext, accountId: string, name: string): number {
  const row = ctx.get<{ provider_id: number }>(
    'SELECT provider_id FROM oidc_providers WHERE account_id = ? AND name_key = lower(?)',
    accountId,
    name,
  )
  if (row === undefined) throw new OidcProviderNotFoundError(name)
  return row.provider_id
}

/** Adds client ids after the provider's last; one it already has stays where it is. */
function addClientIds(ctx: SqliteContext, id: number, clientIds: readonly string[]): void {
  for (const clientId of clientIds) {
    ctx.run(
      `INSERT INTO oidc_provider_client_ids (provider_id, client_id, position)
       VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1
                      FROM oidc_provider_client_ids WHERE provider_id = ?))
       ON CONFLICT (provider_id, client_id) DO NOTHING`,
      id,
      clientId,
      id,
    )
  }
  const count = ctx.count('SELECT count(*) FROM oidc_provider_client_ids WHERE provider_id = ?', id)
  const limit = OIDC_PROVIDER_LIMITS.clientIdsPerProvider
  // The call's savepoint undoes the inserts.
  if (count > limit) throw new OidcProviderLimitError('clientIdsPerProvider', limit)
}

function setThumbprints(ctx: SqliteContext, id: number, thumbprints: readonly string[]): void {
  ctx.run('DELETE FROM oidc_provider_thumbprints WHERE provider_id = ?', id)
  thumbprints.forEach((thumbprint, index) => {
    ctx.run(
      'INSERT INTO oidc_provider_thumbprints (provider_id, position, thumbprint) VALUES (?, ?, ?)',
      id,
      index + 1,
      thumbprint,
    )
  })
}

/** Adds or replaces tags (keys with case); LimitExceededError past tagsPerResource. */
function putTags(ctx: SqliteContext, id: number, tags: readonly Tag[]): void {
  putCaseSensitiveTags(ctx, 'oidc_provider_tags', 'provider_id', id, tags)
}

/** The OpenID Connect identity provider operations. */
export function oidcProviderOps(ctx: SqliteContext): Sync<OidcProviderOps> {
  return {
    createOidcProvider(input) {
      ctx.requireAccount(input.accountId)
      let id: number
      try {
        id = Number(
          ctx.run(
            'INSERT INTO oidc_providers (account_id, name, created_at) VALUES (?, ?, ?)',
            input.accountId,
            input.name,
            ctx.now(),
          ).lastInsertRowid,
        )
      } catch (err) {
        if (isUniqueViolation(err)) throw new OidcProviderExistsError(input.name)
        throw err
      }
      const limit = OIDC_PROVIDER_LIMITS.providersPerAccount
      const count = ctx.count(
        'SELECT count(*) FROM oidc_providers WHERE account_id = ?',
        input.accountId,
      )
      if (count > limit) throw new OidcProviderLimitError('providersPerAccount', limit)
      addClientIds(ctx, id, input.clientIds ?? [])
      setThumbprints(ctx, id, input.thumbprints ?? [])
      putTags(ctx, id, input.tags ?? [])
      return readProvider(ctx, id, input.name)
    },

    getOidcProvider(accountId, name) {
      return readProvider(ctx, providerId(ctx, accountId, name), name)
    },

    listOidcProviders(accountId) {
      return ctx
        .all<ProviderRow>(
          `${PROVIDER_SELECT} WHERE account_id = ? ORDER BY name_key, name`,
          accountId,
        )
        .map((row) => toProvider(ctx, row))
    },

    deleteOidcProvider(accountId, name) {
      ctx.run('DELETE FROM oidc_providers WHERE provider_id = ?', providerId(ctx, accountId, name))
    },

    addOidcProviderClientId(accountId, name, clientId) {
      addClientIds(ctx, providerId(ctx, accountId, name), [clientId])
    },

    removeOidcProviderClientId(accountId, name, clientId) {
      ctx.run(
        'DELETE FROM oidc_provider_client_ids WHERE provider_id = ? AND client_id = ?',
        providerId(ctx, accountId, name),
        clientId,
      )
    },

    updateOidcProviderThumbprints(accountId, name, thumbprints) {
      setThumbprints(ctx, providerId(ctx, accountId, name), thumbprints)
    },

    tagOidcProvider(accountId, name, tags) {
      putTags(ctx, providerId(ctx, accountId, name), tags)
    },

    untagOidcProvider(accountId, name, keys) {
      const id = providerId(ctx, accountId, name)
      for (const key of keys) {
        ctx.run('DELETE FROM oidc_provider_tags WHERE provider_id = ? AND key = ?', id, key)
      }
    },

    listOidcProviderTags(accountId, name, request) {
      return paginate<{ sort_key: string; key: string; value: string }, Tag>(
        ctx,
        'SELECT key, value, key AS sort_key FROM oidc_provider_tags WHERE provider_id = ?',
        [providerId(ctx, accountId, name)],
        request,
        (row) => ({ key: row.key, value: row.value }),
      )
    },
  }
}
