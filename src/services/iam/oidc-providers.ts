/**
 * IAM OpenID Connect identity providers: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
 * ListOpenIDConnectProviders, DeleteOpenIDConnectProvider, AddClientIDToOpenIDConnectProvider,
 * RemoveClientIDFromOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint (reference §2,
 * "OIDC identity providers"). What AssumeRoleWithWebIdentity trusts; it is not served yet.
 */
import { AwsError } from '../../errors/aws-error.js'
import { allItems } from '../../store/all-items.js'
import { OIDC_PROVIDER_LIMITS, oidcProviderArn } from '../../store/oidc-providers-ops.js'
import { defineOperation } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import {
  CLIENT_ID,
  CLIENT_ID_LIST,
  OIDC_PROVIDER_URL,
  PROVIDER_ARN,
  THUMBPRINT_LIST,
} from './oidc-provider-shapes.js'
import { tagsXml } from './results.js'
import { tagListXml } from './role-results.js'
import {
  oidcProviderFailure,
  onOidcProvider,
  providerTagKeys,
  targetOidcProviderArn,
} from './target-oidc-provider.js'
import { TAGS, required } from './shapes.js'

/**
 * A provider URL's name (what follows `https://`, the last part of its ARN). IAM refuses any
 * other URL with ValidationError and this message (its recorded answer to `example.org`); the
 * URL must begin with https://, and "path components are allowed but query parameters are not"
 * (the API reference), so a query or fragment, white space or an empty host is refused too.
 */
export function oidcProviderName(url: string): string {
  const match = /^https:\/\/([^/?#\s][^?#\s]*)$/i.exec(url)
  if (match?.[1] === undefined) {
    throw new AwsError('ValidationError', 'Invalid Open ID Connect Provider URL')
  }
  return match[1]
}

const THUMBPRINT = /^[0-9A-Fa-f]{40}$/

/**
 * Checks a thumbprint list as IAM does: at most five ("IAM lets you have up to five thumbprints
 * for an OIDC provider"), refused with AWS's recorded message for six, and each the hex-encoded
 * SHA-1 hash the API reference says a thumbprint always is (its length is the model's check).
 */
function checkThumbprints(thumbprints: readonly string[]): readonly string[] {
  if (thumbprints.length > OIDC_PROVIDER_LIMITS.thumbprintsPerProvider) {
    throw new AwsError('InvalidInput', 'Thumbprint list must contain fewer than 5 entries.')
  }
  for (const thumbprint of thumbprints) {
    if (!THUMBPRINT.test(thumbprint)) {
      // Invented message: IAM's refusal of a thumbprint that is not hexadecimal is not on record.
      throw new AwsError(
        'InvalidInput',
        `Thumbprint ${thumbprint} is not a hex-encoded SHA-1 hash of 40 characters.`,
      )
    }
  }
  return thumbprints
}

/**
 * CreateOpenIDConnectProvider. Thumbprints are optional, as in IAM, which then fetches the IdP's
 * certificate; Gatehouse fetches nothing, so a provider created without them has none.
 */
export const CREATE_OPENID_CONNECT_PROVIDER = defineOperation({
  name: 'CreateOpenIDConnectProvider',
  action: 'iam:CreateOpenIDConnectProvider',
  input: {
    kind: 'structure',
    members: {
      Url: required(OIDC_PROVIDER_URL),
      ClientIDList: CLIENT_ID_LIST,
      ThumbprintList: THUMBPRINT_LIST,
      Tags: TAGS,
    },
  } as const,
  // The URL is checked here, before authorization, as IAM's ValidationError is.
  resource: (input, ctx) => oidcProviderArn(ctx.caller.accountId, oidcProviderName(input.Url)),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    const name = oidcProviderName(input.Url)
    const arn = oidcProviderArn(ctx.caller.accountId, name)
    const thumbprints = checkThumbprints(input.ThumbprintList ?? [])
    const tags = checkTags(input.Tags ?? [])
    const created = await ctx.tx
      .createOidcProvider({
        accountId: ctx.caller.accountId,
        name,
        clientIds: input.ClientIDList ?? [],
        thumbprints,
        tags,
      })
      .catch((err: unknown) => {
        throw oidcProviderFailure(err, { arn, url: input.Url })
      })
    // The tags as the provider now has them: sorted by key, as the API reference says.
    const stored = await allItems((r) => ctx.tx.listOidcProviderTags(created.accountId, name, r))
    return { OpenIDConnectProviderArn: created.arn, Tags: tagsXml(stored) }
  },
})

/**
 * GetOpenIDConnectProvider: the URL without its scheme, as IAM returns it, and every list even
 * when empty (IAM sends `<ClientIDList/>` and `<Tags/>`).
 */
export const GET_OPENID_CONNECT_PROVIDER = defineOperation({
  name: 'GetOpenIDConnectProvider',
  action: 'iam:GetOpenIDConnectProvider',
  input: { kind: 'structure', members: PROVIDER_ARN } as const,
  resource: (input, ctx) => targetOidcProviderArn(ctx, input.OpenIDConnectProviderArn),
  conditionKeys: (input, ctx) => providerTagKeys(ctx, input.OpenIDConnectProviderArn),
  handle: (input, ctx) =>
    onOidcProvider(ctx, input.OpenIDConnectProviderArn, async (name) => {
      const provider = await ctx.tx.getOidcProvider(ctx.caller.accountId, name)
      const tags = await allItems((r) => ctx.tx.listOidcProviderTags(ctx.caller.accountId, name, r))
      return {
        Url: provider.name,
        ClientIDList: provider.clientIds,
        ThumbprintList: provider.thumbprints,
        CreateDate: provider.createdAt,
        Tags: tagListXml(tags),
      }
    }),
})

/** ListOpenIDConnectProviders: every provider's ARN, unpaginated (the API has no Marker). */
export const LIST_OPENID_CONNECT_PROVIDERS = defineOperation({
  name: 'ListOpenIDConnectProviders',
  action: 'iam:ListOpenIDConnectProviders',
  input: { kind: 'structure', members: {} } as const,
  // The reference gives the action no resource type: a policy can allow it only on `*`.
  resource: () => '*',
  handle: async (_input, ctx) => {
    const providers = await ctx.tx.listOidcProviders(ctx.caller.accountId)
    return { OpenIDConnectProviderList: providers.map((p) => ({ Arn: p.arn })) }
  },
})

/**
 * DeleteOpenIDConnectProvider, with its client ids, thumbprints and tags. The API reference
 * calls it idempotent, but IAM answers a provider that is not there with NoSuchEntity (recorded
 * against AWS), as the model's error list says.
 */
export const DELETE_OPENID_CONNECT_PROVIDER = defineOperation({
  name: 'DeleteOpenIDConnectProvider',
  action: 'iam:DeleteOpenIDConnectProvider',
  input: { kind: 'structure', members: PROVIDER_ARN } as const,
  resource: (input, ctx) => targetOidcProviderArn(ctx, input.OpenIDConnectProviderArn),
  conditionKeys: (input, ctx) => providerTagKeys(ctx, input.OpenIDConnectProviderArn),
  handle: async (input, ctx) => {
    await onOidcProvider(
      ctx,
      input.OpenIDConnectProviderArn,
      (name) => ctx.tx.deleteOidcProvider(ctx.caller.accountId, name),
      'delete',
    )
    return undefined
  },
})

const PROVIDER_AND_CLIENT = {
  kind: 'structure',
  members: { ...PROVIDER_ARN, ClientID: required(CLIENT_ID) },
} as const

/** AddClientIDToOpenIDConnectProvider: idempotent; LimitExceeded past 100 client ids. */
export const ADD_CLIENT_ID_TO_OPENID_CONNECT_PROVIDER = defineOperation({
  name: 'AddClientIDToOpenIDConnectProvider',
  action: 'iam:AddClientIDToOpenIDConnectProvider',
  input: PROVIDER_AND_CLIENT,
  resource: (input, ctx) => targetOidcProviderArn(ctx, input.OpenIDConnectProviderArn),
  conditionKeys: (input, ctx) => providerTagKeys(ctx, input.OpenIDConnectProviderArn),
  handle: async (input, ctx) => {
    await onOidcProvider(ctx, input.OpenIDConnectProviderArn, (name) =>
      ctx.tx.addOidcProviderClientId(ctx.caller.accountId, name, input.ClientID),
    )
    return undefined
  },
})

/** RemoveClientIDFromOpenIDConnectProvider: a client id the provider does not have is ignored. */
export const REMOVE_CLIENT_ID_FROM_OPENID_CONNECT_PROVIDER = defineOperation({
  name: 'RemoveClientIDFromOpenIDConnectProvider',
  action: 'iam:RemoveClientIDFromOpenIDConnectProvider',
  input: PROVIDER_AND_CLIENT,
  resource: (input, ctx) => targetOidcProviderArn(ctx, input.OpenIDConnectProviderArn),
  conditionKeys: (input, ctx) => providerTagKeys(ctx, input.OpenIDConnectProviderArn),
  handle: async (input, ctx) => {
    await onOidcProvider(ctx, input.OpenIDConnectProviderArn, (name) =>
      ctx.tx.removeOidcProviderClientId(ctx.caller.accountId, name, input.ClientID),
    )
    return undefined
  },
})

/** UpdateOpenIDConnectProviderThumbprint: replaces the list whole (the lists are not merged). */
export const UPDATE_OPENID_CONNECT_PROVIDER_THUMBPRINT = defineOperation({
  name: 'UpdateOpenIDConnectProviderThumbprint',
  action: 'iam:UpdateOpenIDConnectProviderThumbprint',
  input: {
    kind: 'structure',
    members: { ...PROVIDER_ARN, ThumbprintList: required(THUMBPRINT_LIST) },
  } as const,
  resource: (input, ctx) => targetOidcProviderArn(ctx, input.OpenIDConnectProviderArn),
  conditionKeys: (input, ctx) => providerTagKeys(ctx, input.OpenIDConnectProviderArn),
  handle: async (input, ctx) => {
    const thumbprints = checkThumbprints(input.ThumbprintList)
    await onOidcProvider(ctx, input.OpenIDConnectProviderArn, (name) =>
      ctx.tx.updateOidcProviderThumbprints(ctx.caller.accountId, name, thumbprints),
    )
    return undefined
  },
})
