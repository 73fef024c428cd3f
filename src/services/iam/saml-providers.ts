/**
 * IAM SAML identity providers: CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders,
 * UpdateSAMLProvider, DeleteSAMLProvider (reference §2, "SAML identity providers"). What
 * AssumeRoleWithSAML trusts; it is not served yet.
 */
import { AwsError } from '../../errors/aws-error.js'
import { allItems } from '../../store/all-items.js'
import { samlProviderArn } from '../../store/saml-providers-ops.js'
import type { SamlProvider, SamlProviderUpdate } from '../../store/saml-providers-ops.js'
import { defineOperation } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { tagsXml } from './results.js'
import { tagListXml } from './role-results.js'
import { parseSamlMetadata } from './saml-metadata.js'
import { checkSamlPrivateKey } from './saml-private-key.js'
import {
  ASSERTION_ENCRYPTION_MODE,
  SAML_METADATA_DOCUMENT,
  SAML_PRIVATE_KEY,
  SAML_PRIVATE_KEY_ID,
  SAML_PROVIDER_ARN,
  SAML_PROVIDER_NAME,
} from './saml-provider-shapes.js'
import { TAGS, required } from './shapes.js'
import {
  onSamlProvider,
  samlProviderFailure,
  samlProviderTagKeys,
  targetSamlProviderArn,
} from './target-saml-provider.js'

/** A provider's private keys as GetSAMLProvider lists them: ids and times, never the keys. */
function privateKeyListXml(provider: SamlProvider): { KeyId: string; Timestamp: Date }[] {
  return provider.privateKeys.map((key) => ({ KeyId: key.keyId, Timestamp: key.createdAt }))
}

/**
 * CreateSAMLProvider. The document is read as IAM reads it (saml-metadata.ts); its validUntil,
 * or 100 years from now, is the provider's ValidUntil. AssertionEncryptionMode defaults to
 * `Allowed`, as AWS answers for a provider created without one.
 */
export const CREATE_SAML_PROVIDER = defineOperation({
  name: 'CreateSAMLProvider',
  action: 'iam:CreateSAMLProvider',
  input: {
    kind: 'structure',
    members: {
      SAMLMetadataDocument: required(SAML_METADATA_DOCUMENT),
      Name: required(SAML_PROVIDER_NAME),
      Tags: TAGS,
      AssertionEncryptionMode: ASSERTION_ENCRYPTION_MODE,
      AddPrivateKey: SAML_PRIVATE_KEY,
    },
  } as const,
  resource: (input, ctx) => samlProviderArn(ctx.caller.accountId, input.Name),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    const metadata = parseSamlMetadata(input.SAMLMetadataDocument)
    const privateKey =
      input.AddPrivateKey === undefined ? undefined : checkSamlPrivateKey(input.AddPrivateKey)
    const tags = checkTags(input.Tags ?? [])
    const arn = samlProviderArn(ctx.caller.accountId, input.Name)
    const created = await ctx.tx
      .createSamlProvider({
        accountId: ctx.caller.accountId,
        name: input.Name,
        metadataDocument: input.SAMLMetadataDocument,
        ...(metadata.validUntil === undefined ? {} : { validUntil: metadata.validUntil }),
        ...(input.AssertionEncryptionMode === undefined
          ? {}
          : { assertionEncryptionMode: input.AssertionEncryptionMode }),
        ...(privateKey === undefined ? {} : { privateKey }),
        tags,
      })
      .catch((err: unknown) => {
        throw samlProviderFailure(err, arn)
      })
    // The tags as the provider now has them: sorted by key, as the API reference says; none, and
    // IAM leaves the member out.
    const stored = await allItems((r) =>
      ctx.tx.listSamlProviderTags(created.accountId, created.name, r),
    )
    return { SAMLProviderArn: created.arn, Tags: tagsXml(stored) }
  },
})

/**
 * GetSAMLProvider: the document as uploaded, and every list even when empty (AWS answers
 * `"Tags": [], "PrivateKeyList": []` for a provider without them).
 */
export const GET_SAML_PROVIDER = defineOperation({
  name: 'GetSAMLProvider',
  action: 'iam:GetSAMLProvider',
  input: { kind: 'structure', members: SAML_PROVIDER_ARN } as const,
  resource: (input, ctx) => targetSamlProviderArn(ctx, input.SAMLProviderArn),
  conditionKeys: (input, ctx) => samlProviderTagKeys(ctx, input.SAMLProviderArn),
  handle: (input, ctx) =>
    onSamlProvider(ctx, input.SAMLProviderArn, async (name) => {
      const provider = await ctx.tx.getSamlProvider(ctx.caller.accountId, name)
      const tags = await allItems((r) => ctx.tx.listSamlProviderTags(ctx.caller.accountId, name, r))
      return {
        SAMLProviderUUID: provider.uuid,
        SAMLMetadataDocument: provider.metadataDocument,
        CreateDate: provider.createdAt,
        ValidUntil: provider.validUntil,
        Tags: tagListXml(tags),
        AssertionEncryptionMode: provider.assertionEncryptionMode,
        PrivateKeyList: privateKeyListXml(provider),
      }
    }),
})

/** ListSAMLProviders: every provider's ARN, ValidUntil and CreateDate, unpaginated. */
export const LIST_SAML_PROVIDERS = defineOperation({
  name: 'ListSAMLProviders',
  action: 'iam:ListSAMLProviders',
  input: { kind: 'structure', members: {} } as const,
  // The reference gives the action no resource type: a policy can allow it only on `*`.
  resource: () => '*',
  handle: async (_input, ctx) => {
    const providers = await ctx.tx.listSamlProviders(ctx.caller.accountId)
    return {
      SAMLProviderList: providers.map((p) => ({
        Arn: p.arn,
        ValidUntil: p.validUntil,
        CreateDate: p.createdAt,
      })),
    }
  },
})

/**
 * UpdateSAMLProvider: a new document, the encryption mode, and a private key added or removed,
 * all or nothing. "To rotate private keys, add your new private key and then remove the old key
 * in a separate request" (the API reference), so one request may not do both.
 */
export const UPDATE_SAML_PROVIDER = defineOperation({
  name: 'UpdateSAMLProvider',
  action: 'iam:UpdateSAMLProvider',
  input: {
    kind: 'structure',
    members: {
      SAMLMetadataDocument: SAML_METADATA_DOCUMENT,
      ...SAML_PROVIDER_ARN,
      AssertionEncryptionMode: ASSERTION_ENCRYPTION_MODE,
      AddPrivateKey: SAML_PRIVATE_KEY,
      RemovePrivateKey: SAML_PRIVATE_KEY_ID,
    },
  } as const,
  resource: (input, ctx) => targetSamlProviderArn(ctx, input.SAMLProviderArn),
  conditionKeys: (input, ctx) => samlProviderTagKeys(ctx, input.SAMLProviderArn),
  handle: async (input, ctx) => {
    if (input.AddPrivateKey !== undefined && input.RemovePrivateKey !== undefined) {
      // Invented message: the API reference asks for two requests; IAM's refusal of one that
      // does both is not on record.
      throw new AwsError(
        'InvalidInput',
        'AddPrivateKey and RemovePrivateKey cannot be used in the same request: add the new key, then remove the old one in a separate request.',
      )
    }
    let update: SamlProviderUpdate = {}
    if (input.SAMLMetadataDocument !== undefined) {
      const { validUntil } = parseSamlMetadata(input.SAMLMetadataDocument)
      update = {
        metadata: {
          document: input.SAMLMetadataDocument,
          ...(validUntil === undefined ? {} : { validUntil }),
        },
      }
    }
    if (input.AssertionEncryptionMode !== undefined) {
      update = { ...update, assertionEncryptionMode: input.AssertionEncryptionMode }
    }
    if (input.AddPrivateKey !== undefined) {
      update = { ...update, addPrivateKey: checkSamlPrivateKey(input.AddPrivateKey) }
    }
    if (input.RemovePrivateKey !== undefined) {
      update = { ...update, removePrivateKeyId: input.RemovePrivateKey }
    }
    const updated = await onSamlProvider(ctx, input.SAMLProviderArn, (name) =>
      ctx.tx.updateSamlProvider(ctx.caller.accountId, name, update),
    )
    return { SAMLProviderArn: updated.arn }
  },
})

/** DeleteSAMLProvider, with its private keys and tags; NoSuchEntity for one that is not there. */
export const DELETE_SAML_PROVIDER = defineOperation({
  name: 'DeleteSAMLProvider',
  action: 'iam:DeleteSAMLProvider',
  input: { kind: 'structure', members: SAML_PROVIDER_ARN } as const,
  resource: (input, ctx) => targetSamlProviderArn(ctx, input.SAMLProviderArn),
  conditionKeys: (input, ctx) => samlProviderTagKeys(ctx, input.SAMLProviderArn),
  handle: async (input, ctx) => {
    await onSamlProvider(ctx, input.SAMLProviderArn, (name) =>
      ctx.tx.deleteSamlProvider(ctx.caller.accountId, name),
    )
    return undefined
  },
})
