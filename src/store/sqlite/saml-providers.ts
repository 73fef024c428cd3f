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
import { isUniqueViolation } from './context.js'
import type { SqliteContext, Sync } from './context.js'
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

function toProvider(ctx: SqliteContext, row: ProviderRow): SamlProvider {
  return {
    accountId: row.account_id,
    name: row.name,
    arn: samlProviderArn(row.account_id, row.name),
    uuid: row.provider_uuid,
    metadataDocument: row.metadata_document,
    validUntil: new Date(row.valid_until),
    assertionEncryptionMode: row.assertion_encryption_mode,
    // SECURITY: the sealed key is not among these columns; only getSamlProviderPrivateKey reads it.
    privateKeys: ctx
      .all<{ key_id: string; created_at: number }>(
        `SELECT key_id, created_at FROM saml_provider_private_keys WHERE provider_id = ?
         ORDER BY created_at, rowid`,
        row.provider_id,
      )
      .map((r) => ({ keyId: r.key_id, createdAt: new Date(r.created_at) })),
    createdAt: new Date(row.created_at),
  }
}

function readProvider(ctx: SqliteContext, id: number, name: string): SamlProvider {
  const row = ctx.get<ProviderRow>(`${PROVIDER_SELECT} WHERE provider_id = ?`, id)
  if (row === undefined) throw new SamlProviderNotFoundError(name)
  return toProvider(ctx, row)
}

/** The provider's row id; SamlProviderNotFoundError if the account has no such provider. */
function providerId(ctx: SqliteContext, accountId: string, name: string): number {
  const row = ctx.get<{ provider_id: number }>(
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
function addPrivateKey(ctx: SqliteContext, id: number, pem: string, at: number): void {
  const keyId = newSamlPrivateKeyId(ctx.random)
  ctx.run(
    `INSERT INTO saml_provider_private_keys (key_id, provider_id, key_sealed, created_at)
     VALUES (?, ?, ?, ?)`,
    keyId,
    id,
    encryptSecret(ctx.masterKey, pem, keyId),
    at,
  )
  const limit = SAML_PROVIDER_LIMITS.privateKeysPerProvider
  const count = ctx.count(
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
function ensureDecryptable(ctx: SqliteContext, id: number, name: string): void {
  const required = ctx.exists(
    `SELECT 1 FROM saml_providers WHERE provider_id = ? AND assertion_encryption_mode = 'Required'
     AND NOT EXISTS (SELECT 1 FROM saml_provider_private_keys WHERE provider_id = ?)`,
    id,
    id,
  )
  if (required) throw new SamlEncryptionKeyRequiredError(name)
}

/** Adds or replaces tags (keys with case); LimitExceededError past tagsPerResource. */
function putTags(ctx: SqliteContext, id: number, tags: readonly Tag[]): void {
  putCaseSensitiveTags(ctx, 'saml_provider_tags', 'provider_id', id, tags)
}

/** The SAML identity provider operations. */
export function samlProviderOps(ctx: SqliteContext): Sync<SamlProviderOps> {
  return {
    createSamlProvider(input) {
      ctx.requireAccount(input.accountId)
      const now = ctx.now()
      let id: number
      try {
        id = Number(
          ctx.run(
            `INSERT INTO saml_providers (provider_uuid, account_id, name, metadata_document,
               valid_until, assertion_encryption_mode, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
            newSamlProviderUuid(ctx.random),
            input.accountId,
            input.name,
            input.metadataDocument,
            (input.validUntil ?? defaultValidUntil(new Date(now))).getTime(),
            input.assertionEncryptionMode ?? 'Allowed',
            now,
          ).lastInsertRowid,
        )
      } catch (err) {
        if (isUniqueViolation(err)) throw new SamlProviderExistsError(input.name)
        throw err
      }
      const limit = SAML_PROVIDER_LIMITS.providersPerAccount
      const count = ctx.count(
        'SELECT count(*) FROM saml_providers WHERE account_id = ?',
        input.accountId,
      )
      if (count > limit) throw new SamlProviderLimitError('providersPerAccount', limit)
      if (input.privateKey !== undefined) addPrivateKey(ctx, id, input.privateKey, now)
      ensureDecryptable(ctx, id, input.name)
      putTags(ctx, id, input.tags ?? [])
      return readProvider(ctx, id, input.name)
    },

    getSamlProvider(accountId, name) {
      return readProvider(ctx, providerId(ctx, accountId, name), name)
    },

    listSamlProviders(accountId) {
      return ctx
        .all<ProviderRow>(
          `${PROVIDER_SELECT} WHERE account_id = ? ORDER BY name_key, name`,
          accountId,
        )
        .map((row) => toProvider(ctx, row))
    },

    updateSamlProvider(accountId, name, update) {
      const id = providerId(ctx, accountId, name)
      const now = ctx.now()
      if (update.metadata !== undefined) {
        const validUntil = update.metadata.validUntil ?? defaultValidUntil(new Date(now))
        ctx.run(
          'UPDATE saml_providers SET metadata_document = ?, valid_until = ? WHERE provider_id = ?',
          update.metadata.document,
          validUntil.getTime(),
          id,
        )
      }
      if (update.assertionEncryptionMode !== undefined) {
        ctx.run(
          'UPDATE saml_providers SET assertion_encryption_mode = ? WHERE provider_id = ?',
          update.assertionEncryptionMode,
          id,
        )
      }
      if (update.removePrivateKeyId !== undefined) {
        const removed = ctx.run(
          'DELETE FROM saml_provider_private_keys WHERE provider_id = ? AND key_id = ?',
          id,
          update.removePrivateKeyId,
        )
        if (removed.changes === 0) throw new SamlPrivateKeyNotFoundError(update.removePrivateKeyId)
      }
      if (update.addPrivateKey !== undefined) addPrivateKey(ctx, id, update.addPrivateKey, now)
      ensureDecryptable(ctx, id, name)
      return readProvider(ctx, id, name)
    },

    deleteSamlProvider(accountId, name) {
      ctx.run('DELETE FROM saml_providers WHERE provider_id = ?', providerId(ctx, accountId, name))
    },

    getSamlProviderPrivateKey(accountId, name, keyId) {
      const row = ctx.get<{ key_sealed: Uint8Array }>(
        'SELECT key_sealed FROM saml_provider_private_keys WHERE provider_id = ? AND key_id = ?',
        providerId(ctx, accountId, name),
        keyId,
      )
      if (row === undefined) throw new SamlPrivateKeyNotFoundError(keyId)
      return decryptSecret(ctx.masterKey, row.key_sealed, keyId)
    },

    tagSamlProvider(accountId, name, tags) {
      putTags(ctx, providerId(ctx, accountId, name), tags)
    },

    untagSamlProvider(accountId, name, keys) {
      const id = providerId(ctx, accountId, name)
      for (const key of keys) {
        ctx.run('DELETE FROM saml_provider_tags WHERE provider_id = ? AND key = ?', id, key)
      }
    },

    listSamlProviderTags(accountId, name, request) {
      return paginate<{ sort_key: string; key: string; value: string }, Tag>(
        ctx,
        'SELECT key, value, key AS sort_key FROM saml_provider_tags WHERE provider_id = ?',
        [providerId(ctx, accountId, name)],
        request,
        (row) => ({ key: row.key, value: row.value }),
      )
    },
  }
}
