/**
 * The SAML provider an IAM operation acts on, named by its ARN: the ARN it is authorized on, the
 * provider's tags as condition keys, and the store's failures as IAM words them (by the
 * provider's ARN or name, which only the request has).
 */
import { AwsError } from '../../errors/aws-error.js'
import type { ContextValue } from '../../policy/index.js'
import {
  SamlEncryptionKeyRequiredError,
  SamlPrivateKeyNotFoundError,
  SamlProviderExistsError,
  SamlProviderLimitError,
  SamlProviderNotFoundError,
} from '../../store/saml-provider-errors.js'
import type { SamlProvider } from '../../store/saml-providers-ops.js'
import type { OperationContext } from '../operation.js'
import { providerResourceTags, targetProviderArn } from './provider-target.js'
import type { ProviderFamily } from './provider-target.js'

/** `arn:aws:iam::ACCOUNT:saml-provider/NAME`, NAME as SAMLProviderNameType allows. */
const SAML_PROVIDER_ARN = /^arn:aws:iam::([0-9]{12}):saml-provider\/([\w.-]{1,128})$/

/** The account and name a SAML provider ARN names; InvalidInput for any other string. */
export function parseSamlProviderArn(arn: string): { accountId: string; name: string } {
  const match = SAML_PROVIDER_ARN.exec(arn)
  // IAM's wording for a malformed policy ARN, assumed for a provider's.
  if (match === null) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`)
  const [, accountId, name] = match as unknown as [string, string, string]
  return { accountId, name }
}

/**
 * IAM's NoSuchEntity for the provider `arn` names, as the request spelled the ARN: AWS's message
 * for GetSAMLProvider and DeleteSAMLProvider (LocalStack's AWS-recorded snapshots, 2026), assumed
 * for the other operations.
 */
export function samlProviderNotFound(arn: string): AwsError {
  return new AwsError('NoSuchEntity', `Manifest not found for arn ${arn}`)
}

/**
 * The store's SAML provider failures as IAM reports them; anything else as it is. `arn` is the
 * ARN the request named (or, for CreateSAMLProvider, the one it would create).
 */
export function samlProviderFailure(err: unknown, arn: string): unknown {
  if (err instanceof SamlProviderNotFoundError) return samlProviderNotFound(arn)
  if (err instanceof SamlProviderExistsError) {
    // Invented message: IAM's wording is not on record; it follows OIDC's ("Provider with url
    // https://... already exists.").
    return new AwsError(
      'EntityAlreadyExists',
      `Provider with name ${err.providerName} already exists.`,
    )
  }
  if (err instanceof SamlProviderLimitError) {
    // Invented message: the quotas' names are not on record; the form is IAM's ("Cannot exceed
    // quota for PoliciesPerRole: 10").
    const quota =
      err.quota === 'providersPerAccount' ? 'SAMLProvidersPerAccount' : 'PrivateKeysPerSAMLProvider'
    return new AwsError('LimitExceeded', `Cannot exceed quota for ${quota}: ${err.limit}`)
  }
  if (err instanceof SamlPrivateKeyNotFoundError) {
    // Invented message: IAM's refusal of a RemovePrivateKey it cannot find is not on record.
    return new AwsError(
      'NoSuchEntity',
      `The private key ${err.keyId} was not found for SAML provider ${arn}.`,
    )
  }
  if (err instanceof SamlEncryptionKeyRequiredError) {
    // Invented message: a provider that requires encrypted assertions cannot decrypt any without
    // a private key; IAM's refusal of it is not on record.
    return new AwsError(
      'InvalidInput',
      'A SAML provider whose AssertionEncryptionMode is Required must have a private key.',
    )
  }
  return err
}

/** How this family reads its providers (src/services/iam/provider-target.ts). */
const FAMILY: ProviderFamily<SamlProvider> = {
  parse: parseSamlProviderArn,
  get: (tx, accountId, name) => tx.getSamlProvider(accountId, name),
  isNotFound: (err) => err instanceof SamlProviderNotFoundError,
  listTags: (tx, accountId, name, request) => tx.listSamlProviderTags(accountId, name, request),
}

/** The ARN an action on the provider `arn` names is authorized on (targetProviderArn). */
export function targetSamlProviderArn(ctx: OperationContext, arn: string): Promise<string> {
  return targetProviderArn(FAMILY, ctx, arn)
}

/** aws:ResourceTag/* of the provider `arn` names (providerResourceTags). */
export function samlProviderTagKeys(
  ctx: OperationContext,
  arn: string,
): Promise<Record<string, ContextValue>> {
  return providerResourceTags(FAMILY, ctx, arn)
}

/**
 * Runs `act` on the caller's provider `arn` names, with its name, and reports a provider that
 * is not there (another account's included) as IAM does.
 */
export async function onSamlProvider<T>(
  ctx: OperationContext,
  arn: string,
  act: (name: string) => Promise<T>,
): Promise<T> {
  const { accountId, name } = parseSamlProviderArn(arn)
  if (accountId !== ctx.caller.accountId) throw samlProviderNotFound(arn)
  try {
    return await act(name)
  } catch (err) {
    throw samlProviderFailure(err, arn)
  }
}
