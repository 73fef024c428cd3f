/**
 * The root user's generated access key, written once to the data directory as an AWS shared
 * credentials file, so that `AWS_SHARED_CREDENTIALS_FILE=<data-dir>/root-credentials` works as
 * it is with the AWS CLI, boto3 and the SDKs.
 */
import { chmodSync, writeFileSync } from 'node:fs'

/** A new access key and the account it belongs to. */
export interface RootCredentials {
  readonly accountId: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** The file's text: a comment naming the account, then a `[default]` profile. */
export function credentialsFileText(credentials: RootCredentials, createdAt: Date): string {
  return [
    `# Gatehouse: the root user of account ${credentials.accountId}, created ${createdAt.toISOString()}.`,
    '# Keep it secret. Use it with AWS_SHARED_CREDENTIALS_FILE=<this file>.',
    '[default]',
    `aws_access_key_id = ${credentials.accessKeyId}`,
    `aws_secret_access_key = ${credentials.secretAccessKey}`,
    '',
  ].join('\n')
}

/** Writes the credentials file, readable by its owner only. */
export function writeCredentialsFile(
  path: string,
  credentials: RootCredentials,
  createdAt: Date,
): void {
  writeFileSync(path, credentialsFileText(credentials, createdAt), { mode: 0o600 })
  // The mode of writeFileSync applies only to a new file; an old one keeps its own.
  chmodSync(path, 0o600)
}
