/**
 * Tags of SAML providers: TagSAMLProvider, UntagSAMLProvider, ListSAMLProviderTags (reference §2,
 * "SAML identity providers"). A provider's tag keys compare with case (iam-guide id_tags), so
 * `dept` and `Dept` are two tags.
 */
import { defineOperation } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { pageEnd, pageRequest } from './results.js'
import { tagListXml } from './role-results.js'
import { SAML_PROVIDER_ARN } from './saml-provider-shapes.js'
import { PAGE_MEMBERS, TAGS, TAG_KEYS, required } from './shapes.js'
import {
  onSamlProvider,
  samlProviderTagKeys,
  targetSamlProviderArn,
} from './target-saml-provider.js'

/**
 * TagSAMLProvider: adds or replaces; LimitExceeded past 50 tags, and nothing of the request is
 * kept ("the entire request fails").
 */
export const TAG_SAML_PROVIDER = defineOperation({
  name: 'TagSAMLProvider',
  action: 'iam:TagSAMLProvider',
  input: {
    kind: 'structure',
    members: { ...SAML_PROVIDER_ARN, Tags: required(TAGS) },
  } as const,
  resource: (input, ctx) => targetSamlProviderArn(ctx, input.SAMLProviderArn),
  conditionKeys: async (input, ctx) => ({
    ...(await samlProviderTagKeys(ctx, input.SAMLProviderArn)),
    ...requestTagKeys(input.Tags),
  }),
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags)
    await onSamlProvider(ctx, input.SAMLProviderArn, (name) =>
      ctx.tx.tagSamlProvider(ctx.caller.accountId, name, tags),
    )
    return undefined
  },
})

/** UntagSAMLProvider: removes the keys given (with case); absent keys are ignored. */
export const UNTAG_SAML_PROVIDER = defineOperation({
  name: 'UntagSAMLProvider',
  action: 'iam:UntagSAMLProvider',
  input: {
    kind: 'structure',
    members: { ...SAML_PROVIDER_ARN, TagKeys: required(TAG_KEYS) },
  } as const,
  resource: (input, ctx) => targetSamlProviderArn(ctx, input.SAMLProviderArn),
  conditionKeys: async (input, ctx) => ({
    ...(await samlProviderTagKeys(ctx, input.SAMLProviderArn)),
    'aws:TagKeys': [...input.TagKeys],
  }),
  handle: async (input, ctx) => {
    await onSamlProvider(ctx, input.SAMLProviderArn, (name) =>
      ctx.tx.untagSamlProvider(ctx.caller.accountId, name, input.TagKeys),
    )
    return undefined
  },
})

/** ListSAMLProviderTags: by key, Marker/MaxItems paginated; Tags always sent. */
export const LIST_SAML_PROVIDER_TAGS = defineOperation({
  name: 'ListSAMLProviderTags',
  action: 'iam:ListSAMLProviderTags',
  input: { kind: 'structure', members: { ...SAML_PROVIDER_ARN, ...PAGE_MEMBERS } } as const,
  resource: (input, ctx) => targetSamlProviderArn(ctx, input.SAMLProviderArn),
  conditionKeys: (input, ctx) => samlProviderTagKeys(ctx, input.SAMLProviderArn),
  handle: (input, ctx) =>
    onSamlProvider(ctx, input.SAMLProviderArn, async (name) => {
      const page = await ctx.tx.listSamlProviderTags(ctx.caller.accountId, name, pageRequest(input))
      return { Tags: tagListXml(page.items), ...pageEnd(page) }
    }),
})
