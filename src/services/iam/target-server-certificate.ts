/**
 * The server certificate an IAM operation acts on, named by its name: the ARN it is authorized
 * on, its tags as condition keys, and the store's failures as IAM words them.
 */
import { awsResourceTagKeys } from '../../auth/resource-tags.js'
import { AwsError } from '../../errors/aws-error.js'
import type { ContextValue } from '../../policy/index.js'
import { allItems } from '../../store/all-items.js'
import { ServerCertificateError } from '../../store/server-certificate-error.js'
import { serverCertificateArn } from '../../store/server-certificates-ops.js'
import type { ServerCertificate } from '../../store/server-certificates-ops.js'
import type { OperationContext } from '../operation.js'

/** The store's ServerCertificateError as IAM reports it; anything else as it is. */
export function serverCertificateFailure(err: unknown): unknown {
  if (!(err instanceof ServerCertificateError)) return err
  const options = { cause: err }
  const name = err.certificateName
  switch (err.reason) {
    case 'notFound':
      // AWS's message (as AWS answered GetServerCertificate and DeleteServerCertificate).
      return new AwsError(
        'NoSuchEntity',
        `The Server Certificate with name ${name} cannot be found.`,
        options,
      )
    case 'exists':
      // AWS's message (as AWS answered UploadServerCertificate).
      return new AwsError(
        'EntityAlreadyExists',
        `The Server Certificate with name ${name} already exists.`,
        options,
      )
    case 'limit':
      // Invented message: IAM's "Cannot exceed quota for <Name>: <limit>", the name
      // GetAccountSummary's ServerCertificatesQuota less its suffix, as the other quotas.
      return new AwsError(
        'LimitExceeded',
        `Cannot exceed quota for ServerCertificatesPerAccount: ${err.limit ?? ''}`,
        options,
      )
  }
}

/** Runs a store call, reporting its failures as IAM does. */
export async function withServerCertificateErrors<T>(act: () => Promise<T>): Promise<T> {
  try {
    return await act()
  } catch (err) {
    throw serverCertificateFailure(err)
  }
}

/** The caller's certificate of that name, or undefined if there is none. */
export async function findServerCertificate(
  ctx: OperationContext,
  name: string,
): Promise<ServerCertificate | undefined> {
  try {
    return await ctx.tx.getServerCertificate(ctx.caller.accountId, name)
  } catch (err) {
    if (err instanceof ServerCertificateError) return undefined
    throw err
  }
}

/**
 * The ARN an action on the certificate `name` is authorized on: the certificate's own, with its
 * path and its name as uploaded. SECURITY: names match without case, so authorizing on the name
 * as the request spelled it would let another case slip past a policy that names the
 * certificate. One that does not exist is authorized on the name at the root path, so that a
 * denial comes before NoSuchEntity and tells nothing of what exists.
 */
export async function targetServerCertificateArn(
  ctx: OperationContext,
  name: string,
): Promise<string> {
  return (
    (await findServerCertificate(ctx, name))?.arn ??
    serverCertificateArn(ctx.caller.accountId, '/', name)
  )
}

/**
 * aws:ResourceTag/* of the certificate, which the Service Authorization Reference gives every
 * action on the server-certificate resource type; none for a certificate that does not exist.
 */
export async function serverCertificateTagKeys(
  ctx: OperationContext,
  name: string,
): Promise<Record<string, ContextValue>> {
  const certificate = await findServerCertificate(ctx, name)
  if (certificate === undefined) return {}
  const tags = await allItems((r) =>
    ctx.tx.listServerCertificateTags(certificate.accountId, certificate.name, r),
  )
  return awsResourceTagKeys(tags)
}
