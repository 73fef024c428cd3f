/**
 * The AWS errors of the service-specific credential operations. The store's ServiceCredentialError
 * is this family's own (src/store/service-credential-error.ts), so the one mapper
 * (src/errors/to-aws-error.ts) does not know it yet: each operation passes what it throws through
 * here first.
 */
import { AwsError } from '../../errors/aws-error.js'
import { ServiceCredentialError } from '../../store/service-credential-error.js'

/**
 * IAM's NoSuchEntity for a credential id the user does not have, as LocalStack's tests recorded
 * it against AWS (UpdateServiceSpecificCredential, ResetServiceSpecificCredential and
 * DeleteServiceSpecificCredential with a well-formed id that names no credential of the user).
 */
export function credentialNotFoundMessage(credentialId: string): string {
  return `No such credential ${credentialId} exists`
}

/** The AwsError a ServiceCredentialError becomes. */
function fromStore(err: ServiceCredentialError): AwsError {
  const options = { cause: err }
  switch (err.reason) {
    case 'notFound':
      return new AwsError('NoSuchEntity', credentialNotFoundMessage(err.key), options)
    case 'perServiceLimit':
      // Invented message: IAM's "Cannot exceed quota for <Name>: <limit>" with a name for this
      // quota; AWS's own text for it is not on record.
      return new AwsError(
        'LimitExceeded',
        `Cannot exceed quota for ServiceSpecificCredentialsPerUser: ${err.limit ?? ''}`,
        options,
      )
  }
}

/** What `fn` returns, with a ServiceCredentialError it throws turned into AWS's error. */
export async function withServiceCredentialErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof ServiceCredentialError) throw fromStore(err)
    throw err
  }
}
