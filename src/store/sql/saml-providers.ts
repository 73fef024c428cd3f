/** SAML identity providers, on SQLite. */
import {
  SamlEncryptionKeyRequiredError,
  SamlPrivateKeyNotFoundError,
  SamlProviderExistsError,
  SamlProviderLimitError,
  SamlProviderNotFoundError,
} from '../saml-provider-errors.js'
import { newSamlPrivateKeyId, newSamlProviderUuid } from '../saml-provider-ids.js'
import { SAML_PROVIDER_LIMITS, defaultValidUntil, samlProviderArn } from '../saml-providers-ops.js'
import type {
  AssertionEncryptionMode,
  SamlProvider,
  SamlProviderOps,
} from '../saml-providers-ops.js'
import { decryptSecret, encryptSecret } from '../secret-box.js'
import type { Tag } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { putCaseSensitiveTags } from './tags.js'
import { paginate } from './paginate.js'

interface ProviderRow {
  readonly provider_id: number
  readonly provider_uuid: string
  readonly account_id: string
  readonly name: string
  readonly metadata_document: string
  readonly valid_until: number
  readonly assertion_encryption_mode: AssertionEncryptionMode
  readonly created_at: number
}

const PROVIDER_SELECT = `SELECT provider_id, provider_uuid, account_id, name, metadata_document,
  valid_until, assertion_encryption_mode, created_at FROM saml_providers`

async function toProvider(ctx: SqlContext, row: ProviderRow): Promise<SamlProvider> {
  return {
    accountId: row.account_id,
    name: row.name,
    arn: samlProviderArn(row.account_id, row.name),
    uuid: row.provider_uuid,
    metadataDocument: row.metadata_document,
    validUntil: new Date(row.valid_until),
    assertionEncryptionMode: row.assertion_encryption_mode,
    // SECURITY: the sealed key is not among these columns; only getSamlProviderPrivateKey reads it.
    privateKeys: (
      await ctx.all<{ key_id: string; created_at: number }>(
        `SELECT key_id, created_at FROM saml_provider_private_keys WHERE provider_id = ?
         ORDER BY created_at, rowid`,
        row.provider_id,
      )
    ).map((r) => ({ keyId: r.key_id, createdAt: new Date(r.created_at) })),
    createdAt: new Date(row.created_at),
  }
}

async function readProvider(ctx: SqlContext, id: number, name: string): Promise<SamlProvider> {
  const row = await ctx.get<ProviderRow>(`${PROVIDER_SELECT} WHERE provider_id = ?`, id)
  if (row === undefined) throw new SamlProviderNotFoundError(name)
  return await toProvider(ctx, row)
}

/** The provider's row id; SamlProviderNotFoundError if the account has no such provider. */
async function providerId(ctx: SqlContext, accountId: string, name: string): Promise<number> {
  const row = await ctx.get<{ provider_id: number }>(
    'SELECT provider_id FROM saml_providers WHERE account_id = ? AND name_key = lower(?)',
    accountId,
    name,
  )
  if (row === undefined) throw new SamlProviderNotFoundError(name)
  return row.provider_id
}

/**
 * Seals and adds a private key, added at `at` (ms): the time of the call that adds it, so that a
 * key given to CreateSAMLProvider has the provider's CreateDate. SamlProviderLimitError past
 * privateKeysPerProvider.
 */
async function addPrivateKey(ctx: SqlContext, id: number, pem: string, at: number): Promise<void> {
  const keyId = newSamlPrivateKeyId(ctx.random)
  await ctx.run(
    `INSERT INTO saml_provider_private_keys (key_id, provider_id, key_sealed, created_at)
     VALUES (?, ?, ?, ?)`,
    keyId,
    id,
    encryptSecret(ctx.masterKey, pem, keyId),
    at,
  )
  const limit = SAML_PROVIDER_LIMITS.privateKeysPerProvider
  const count = await ctx.count(
    'SELECT count(*) FROM saml_provider_private_keys WHERE provider_id = ?',
    id,
  )
  // The call's savepoint undoes the insert.
  if (count > limit) throw new SamlProviderLimitError('privateKeysPerProvider', limit)
}

/**
 * The invariant every write that touches the mode or the keys ends with: a provider that
 * requires encrypted assertions has a key to decrypt them with.
 */
async function ensureDecryptable(ctx: SqlContext, id: number, name: string): Promise<void> {
  const required = await ctx.exists(
    `SELECT 1 FROM saml_providers WHERE provider_id = ? AND assertion_encryption_mode = 'Required'
     AND NOT EXISTS (SELECT 1 FROM saml_provider_private_keys WHERE provider_id = ?)`,
    id,
    id,
  )
  if (required) throw new SamlEncryptionKeyRequiredError(name)
}

/** Adds or replaces tags (keys with case); LimitExceededError past tagsPerResource. */
async function putTags(ctx: SqlContext, id: number, tags: readonly Tag[]): Promise<void> {
  await putCaseSensitiveTags(ctx, 'saml_provider_tags', 'provider_id', id, tags)
}

/** The SAML identity provider operations. */
export function samlProviderOps(ctx: SqlContext): SamlProviderOps {
  return {
    async createSamlProvider(input) {
      await ctx.requireAccount(input.accountId)
      const now = ctx.now()
      let id: number
      try {
        const inserted = await ctx.get<{ provider_id: number }>(
          `INSERT INTO saml_providers (provider_uuid, account_id, name, metadata_document,
               valid_until, assertion_encryption_mode, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING provider_id`,
          newSamlProviderUuid(ctx.random),
          input.accountId,
          input.name,
          input.metadataDocument,
          (input.validUntil ?? defaultValidUntil(new Date(now))).getTime(),
          input.assertionEncryptionMode ?? 'Allowed',
          now,
        )
        id = Number(inserted?.provider_id)
      } catch (err) {
        if (ctx.isUniqueViolation(err)) throw new SamlProviderExistsError(input.name)
        throw err
      }
      const limit = SAML_PROVIDER_LIMITS.providersPerAccount
      const count = await ctx.count(
        'SELECT count(*) FROM saml_providers WHERE account_id = ?',
        input.accountId,
      )
      if (count > limit) throw new SamlProviderLimitError('providersPerAccount', limit)
      if (input.privateKey !== undefined) await addPrivateKey(ctx, id, input.privateKey, now)
      await ensureDecryptable(ctx, id, input.name)
      await putTags(ctx, id, input.tags ?? [])
      return await readProvider(ctx, id, input.name)
    },

    async getSamlProvider(accountId, name) {
      return await readProvider(ctx, await providerId(ctx, accountId, name), name)
    },

    async listSamlProviders(accountId) {
      const rows = await ctx.all<ProviderRow>(
        `${PROVIDER_SELECT} WHERE account_id = ? ORDER BY name_key, name`,
        accountId,
      )
      const providers: SamlProvider[] = []
      for (const row of rows) providers.push(await toProvider(ctx, row))
      return providers
    },

    async updateSamlProvider(accountId, name, update) {
      const id = await providerId(ctx, accountId, name)
      const now = ctx.now()
      if (update.metadata !== undefined) {
        const validUntil = update.metadata.validUntil ?? defaultValidUntil(new Date(now))
        await ctx.run(
          'UPDATE saml_providers SET metadata_document = ?, valid_until = ? WHERE provider_id = ?',
          update.metadata.document,
          validUntil.getTime(),
          id,
        )
      }
      if (update.assertionEncryptionMode !== undefined) {
        await ctx.run(
          'UPDATE saml_providers SET assertion_encryption_mode = ? WHERE provider_id = ?',
          update.assertionEncryptionMode,
          id,
        )
      }
      if (update.removePrivateKeyId !== undefined) {
        const removed = await ctx.run(
          'DELETE FROM saml_provider_private_keys WHERE provider_id = ? AND key_id = ?',
          id,
          update.removePrivateKeyId,
        )
        if (removed.changes === 0) throw new SamlPrivateKeyNotFoundError(update.removePrivateKeyId)
      }
      if (update.addPrivateKey !== undefined)
        await addPrivateKey(ctx, id, update.addPrivateKey, now)
      await ensureDecryptable(ctx, id, name)
      return await readProvider(ctx, id, name)
    },

    async deleteSamlProvider(accountId, name) {
      await ctx.run(
        'DELETE FROM saml_providers WHERE provider_id = ?',
        await providerId(ctx, accountId, name),
      )
    },

    async getSamlProviderPrivateKey(accountId, name, keyId) {
      const row = await ctx.get<{ key_sealed: Uint8Array }>(
        'SELECT key_sealed FROM saml_provider_private_keys WHERE provider_id = ? AND key_id = ?',
        await providerId(ctx, accountId, name),
        keyId,
      )
      if (row === undefined) throw new SamlPrivateKeyNotFoundError(keyId)
      return decryptSecret(ctx.masterKey, row.key_sealed, keyId)
    },

    async tagSamlProvider(accountId, name, tags) {
      await putTags(ctx, await providerId(ctx, accountId, name), tags)
    },

    async untagSamlProvider(accountId, name, keys) {
      const id = await providerId(ctx, accountId, name)
      for (const key of keys) {
        await ctx.run('DELETE FROM saml_provider_tags WHERE provider_id = ? AND key = ?', id, key)
      }
    },

    async listSamlProviderTags(accountId, name, request) {
      return paginate<{ sort_key: string; key: string; value: string }, Tag>(
        ctx,
        'SELECT key, value, key AS sort_key FROM saml_provider_tags WHERE provider_id = ?',
        [await providerId(ctx, accountId, name)],
        request,
        (row) => ({ key: row.key, value: row.value }),
      )
    },
  }
}
