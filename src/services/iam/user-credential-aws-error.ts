/**
 * The AWS errors of the SSH public key and signing certificate operations. The store's
 * UserCredentialError is this family's own (src/store/user-credential-error.ts), so the one
 * mapper (src/errors/to-aws-error.ts) does not know it yet: each operation passes what it throws
 * through here first.
 */
import { AwsError } from '../../errors/aws-error.js'
import { UserCredentialError } from '../../store/user-credential-error.js'

/** The AwsError a UserCredentialError becomes. */
function fromStore(err: UserCredentialError): AwsError {
  const options = { cause: err }
  switch (err.reason) {
    case 'sshPublicKeyNotFound':
      // Invented message: AWS's text is not on record; it follows the access key's ("The Access
      // Key with id ... cannot be found.").
      return new AwsError(
        'NoSuchEntity',
        `The Public Key with id ${err.key ?? ''} cannot be found.`,
        options,
      )
    case 'certificateNotFound':
      // Invented message, like the one above.
      return new AwsError(
        'NoSuchEntity',
        `The Certificate with id ${err.key ?? ''} cannot be found.`,
        options,
      )
    case 'sshPublicKeyDuplicate':
      // Invented message: the model's description of DuplicateSSHPublicKeyException.
      return new AwsError(
        'DuplicateSSHPublicKey',
        'The SSH public key is already associated with the specified IAM user.',
        options,
      )
    case 'certificateDuplicate':
      // Invented message: the model's description of DuplicateCertificateException.
      return new AwsError(
        'DuplicateCertificate',
        'The same certificate is associated with an IAM user in the account.',
        options,
      )
    case 'sshPublicKeyLimit':
      // Invented message: IAM's "Cannot exceed quota for <Name>: <limit>"; this quota has no
      // GetAccountSummary key to take its name from.
      return new AwsError(
        'LimitExceeded',
        `Cannot exceed quota for SSHPublicKeysPerUser: ${err.limit ?? ''}`,
        options,
      )
    case 'certificateLimit':
      // IAM's "Cannot exceed quota for <Name>: <limit>", the name GetAccountSummary's
      // SigningCertificatesPerUserQuota less its suffix, as the one mapper names every quota.
      return new AwsError(
        'LimitExceeded',
        `Cannot exceed quota for SigningCertificatesPerUser: ${err.limit ?? ''}`,
        options,
      )
  }
}

/** What `fn` returns, with a UserCredentialError it throws turned into AWS's error. */
export async function withUserCredentialErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof UserCredentialError) throw fromStore(err)
    throw err
  }
}
