/**
 * What the identity-provider families (OIDC, SAML) share about the provider an operation names
 * by ARN: finding the caller's own, the ARN to authorize on, and its tags as condition keys.
 */
import { awsResourceTagKeys } from '../../auth/resource-tags.js'
import type { ContextValue } from '../../policy/index.js'
import { allItems } from '../../store/all-items.js'
import type { Page, PageRequest, StoreTx, Tag } from '../../store/store.js'
import type { OperationContext } from '../operation.js'

/** A stored provider: what every family's provider record has. */
export interface StoredProvider {
  readonly accountId: string
  readonly name: string
  readonly arn: string
}

/** How one family reads its providers. */
export interface ProviderFamily<P extends StoredProvider> {
  /** The account and name of an ARN; InvalidInput for anything else. */
  readonly parse: (arn: string) => { readonly accountId: string; readonly name: string }
  readonly get: (tx: StoreTx, accountId: string, name: string) => Promise<P>
  /** Whether `err` is the family's store saying there is no such provider. */
  readonly isNotFound: (err: unknown) => boolean
  readonly listTags: (
    tx: StoreTx,
    accountId: string,
    name: string,
    request: PageRequest,
  ) => Promise<Page<Tag>>
}

/** The caller's provider `arn` names, or undefined if there is none (another account's, say). */
export async function findProvider<P extends StoredProvider>(
  family: ProviderFamily<P>,
  ctx: OperationContext,
  arn: string,
): Promise<P | undefined> {
  const { accountId, name } = family.parse(arn)
  if (accountId !== ctx.caller.accountId) return undefined
  try {
    return await family.get(ctx.tx, accountId, name)
  } catch (err) {
    if (family.isNotFound(err)) return undefined
    throw err
  }
}

/**
 * The ARN an action on the provider `arn` names is authorized on: the provider's own, as it was
 * created, when it exists. SECURITY: names match without case, so an ARN in another case names
 * the same provider; authorizing on the ARN as given would let it slip past a policy that names
 * the provider in its own case. A provider that does not exist is authorized on the ARN as
 * given, so a denial comes before NoSuchEntity and tells nothing of what exists.
 */
export async function targetProviderArn<P extends StoredProvider>(
  family: ProviderFamily<P>,
  ctx: OperationContext,
  arn: string,
): Promise<string> {
  return (await findProvider(family, ctx, arn))?.arn ?? arn
}

/**
 * aws:ResourceTag/* of the provider `arn` names, which the Service Authorization Reference gives
 * every action on the provider resource types; none for a provider that does not exist.
 */
export async function providerResourceTags<P extends StoredProvider>(
  family: ProviderFamily<P>,
  ctx: OperationContext,
  arn: string,
): Promise<Record<string, ContextValue>> {
  const provider = await findProvider(family, ctx, arn)
  if (provider === undefined) return {}
  const tags = await allItems((r) => family.listTags(ctx.tx, provider.accountId, provider.name, r))
  return awsResourceTagKeys(tags)
}
