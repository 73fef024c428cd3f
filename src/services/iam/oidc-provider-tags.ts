/**
 * Tags of OpenID Connect providers: TagOpenIDConnectProvider, UntagOpenIDConnectProvider,
 * ListOpenIDConnectProviderTags (reference §2, "OIDC identity providers"). A provider's tag keys
 * compare with case (iam-guide id_tags), so `dept` and `Dept` are two tags.
 */
import { defineOperation } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { PROVIDER_ARN } from './oidc-provider-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { tagListXml } from './role-results.js'
import { PAGE_MEMBERS, TAGS, TAG_KEYS, required } from './shapes.js'
import { onOidcProvider, providerTagKeys, targetOidcProviderArn } from './target-oidc-provider.js'

/**
 * TagOpenIDConnectProvider: adds or replaces; LimitExceeded past 50 tags, and nothing of the
 * request is kept ("the entire request fails").
 */
export const TAG_OPENID_CONNECT_PROVIDER = defineOperation({
  name: 'TagOpenIDConnectProvider',
  action: 'iam:TagOpenIDConnectProvider',
  input: {
    kind: 'structure',
    members: { ...PROVIDER_ARN, Tags: required(TAGS) },
  } as const,
  resource: (input, ctx) => targetOidcProviderArn(ctx, input.OpenIDConnectProviderArn),
  conditionKeys: async (input, ctx) => ({
    ...(await providerTagKeys(ctx, input.OpenIDConnectProviderArn)),
    ...requestTagKeys(input.Tags),
  }),
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags)
    await onOidcProvider(ctx, input.OpenIDConnectProviderArn, (name) =>
      ctx.tx.tagOidcProvider(ctx.caller.accountId, name, tags),
    )
    return undefined
  },
})

/** UntagOpenIDConnectProvider: removes the keys given (with case); absent keys are ignored. */
export const UNTAG_OPENID_CONNECT_PROVIDER = defineOperation({
  name: 'UntagOpenIDConnectProvider',
  action: 'iam:UntagOpenIDConnectProvider',
  input: {
    kind: 'structure',
    members: { ...PROVIDER_ARN, TagKeys: required(TAG_KEYS) },
  } as const,
  resource: (input, ctx) => targetOidcProviderArn(ctx, input.OpenIDConnectProviderArn),
  conditionKeys: async (input, ctx) => ({
    ...(await providerTagKeys(ctx, input.OpenIDConnectProviderArn)),
    'aws:TagKeys': [...input.TagKeys],
  }),
  handle: async (input, ctx) => {
    await onOidcProvider(ctx, input.OpenIDConnectProviderArn, (name) =>
      ctx.tx.untagOidcProvider(ctx.caller.accountId, name, input.TagKeys),
    )
    return undefined
  },
})

/** ListOpenIDConnectProviderTags: by key, Marker/MaxItems paginated; Tags always sent. */
export const LIST_OPENID_CONNECT_PROVIDER_TAGS = defineOperation({
  name: 'ListOpenIDConnectProviderTags',
  action: 'iam:ListOpenIDConnectProviderTags',
  input: { kind: 'structure', members: { ...PROVIDER_ARN, ...PAGE_MEMBERS } } as const,
  resource: (input, ctx) => targetOidcProviderArn(ctx, input.OpenIDConnectProviderArn),
  conditionKeys: (input, ctx) => providerTagKeys(ctx, input.OpenIDConnectProviderArn),
  handle: (input, ctx) =>
    onOidcProvider(ctx, input.OpenIDConnectProviderArn, async (name) => {
      const page = await ctx.tx.listOidcProviderTags(ctx.caller.accountId, name, pageRequest(input))
      return { Tags: tagListXml(page.items), ...pageEnd(page) }
    }),
})
