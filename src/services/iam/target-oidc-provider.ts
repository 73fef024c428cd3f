/**
 * The OpenID Connect provider an IAM operation acts on, named by its ARN: the ARN it is
 * authorized on, the provider's tags as condition keys, and the store's failures as IAM words
 * them (by the provider's ARN or URL, which only the request has).
 */
import { AwsError } from '../../errors/aws-error.js'
import {
  OidcProviderExistsError,
  OidcProviderLimitError,
  OidcProviderNotFoundError,
} from '../../store/oidc-provider-errors.js'
import type { OidcProvider } from '../../store/oidc-providers-ops.js'
import type { ContextValue } from '../../policy/index.js'
import type { OperationContext } from '../operation.js'
import { providerResourceTags, targetProviderArn } from './provider-target.js'
import type { ProviderFamily } from './provider-target.js'

/** `arn:aws:iam::ACCOUNT:oidc-provider/NAME`, NAME being the URL without `https://`. */
const OIDC_PROVIDER_ARN = /^arn:aws:iam::([0-9]{12}):oidc-provider\/(.+)$/

/** How IAM words a provider it cannot find: DeleteOpenIDConnectProvider has its own wording. */
export type NotFoundWording = 'get' | 'delete'

/** The account and name an OIDC provider ARN names; InvalidInput for any other string. */
export function parseOidcProviderArn(arn: string): { accountId: string; name: string } {
  const match = OIDC_PROVIDER_ARN.exec(arn)
  // IAM's wording for a malformed policy ARN, assumed for a provider's.
  if (match === null) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`)
  const [, accountId, name] = match as unknown as [string, string, string]
  return { accountId, name }
}

/** IAM's NoSuchEntity for the provider `arn` names, as the request spelled the ARN. */
export function providerNotFound(arn: string, wording: NotFoundWording): AwsError {
  // Both are AWS's recorded messages (LocalStack's AWS-validated snapshots of
  // GetOpenIDConnectProvider and DeleteOpenIDConnectProvider). Invented message: the other
  // operations' own wording is not on record, so they use GetOpenIDConnectProvider's.
  return new AwsError(
    'NoSuchEntity',
    wording === 'delete'
      ? `OpenId connect Provider ${arn} cannot be found.`
      : `OpenIDConnect Provider not found for arn ${arn}`,
  )
}

/**
 * The store's OIDC provider failures as IAM reports them; anything else as it is. `url` is the
 * URL a CreateOpenIDConnectProvider request gave.
 */
export function oidcProviderFailure(
  err: unknown,
  subject: { readonly arn: string; readonly url?: string },
  wording: NotFoundWording = 'get',
): unknown {
  if (err instanceof OidcProviderNotFoundError) return providerNotFound(subject.arn, wording)
  if (err instanceof OidcProviderExistsError) {
    // AWS's message, the URL as the request gave it ("Provider with url
    // https://token.actions.githubusercontent.com already exists.").
    return new AwsError('EntityAlreadyExists', `Provider with url ${subject.url} already exists.`)
  }
  if (err instanceof OidcProviderLimitError) {
    // AWS's wording for the client ids; invented message: the provider quota's name is not on
    // record, so it follows the same form.
    const quota =
      err.quota === 'clientIdsPerProvider'
        ? 'ClientIdsPerOpenIdConnectProvider'
        : 'OpenIdConnectProvidersPerAccount'
    return new AwsError('LimitExceeded', `Cannot exceed quota for ${quota}: ${err.limit}`)
  }
  return err
}

/** How this family reads its providers (src/services/iam/provider-target.ts). */
const FAMILY: ProviderFamily<OidcProvider> = {
  parse: parseOidcProviderArn,
  get: (tx, accountId, name) => tx.getOidcProvider(accountId, name),
  isNotFound: (err) => err instanceof OidcProviderNotFoundError,
  listTags: (tx, accountId, name, request) => tx.listOidcProviderTags(accountId, name, request),
}

/** The ARN an action on the provider `arn` names is authorized on (targetProviderArn). */
export function targetOidcProviderArn(ctx: OperationContext, arn: string): Promise<string> {
  return targetProviderArn(FAMILY, ctx, arn)
}

/** aws:ResourceTag/* of the provider `arn` names (providerResourceTags). */
export function providerTagKeys(
  ctx: OperationContext,
  arn: string,
): Promise<Record<string, ContextValue>> {
  return providerResourceTags(FAMILY, ctx, arn)
}

/**
 * Runs `act` on the caller's provider `arn` names, with its name, and reports a provider that
 * is not there (another account's included) as IAM does.
 */
export async function onOidcProvider<T>(
  ctx: OperationContext,
  arn: string,
  act: (name: string) => Promise<T>,
  wording: NotFoundWording = 'get',
): Promise<T> {
  const { accountId, name } = parseOidcProviderArn(arn)
  if (accountId !== ctx.caller.accountId) throw providerNotFound(arn, wording)
  try {
    return await act(name)
  } catch (err) {
    throw oidcProviderFailure(err, { arn }, wording)
  }
}
