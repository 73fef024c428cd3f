/**
 * Clients of the real AWS SDK for JavaScript v3 (@aws-sdk/client-iam and client-sts) for the
 * end-to-end tests: made for a server's URL and a key, the keys STS hands back, and users made
 * with a key to sign as.
 */
import assert from 'node:assert/strict'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import { STSClient } from '@aws-sdk/client-sts'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

/** A key the SDK signs with: a long-term one, or temporary credentials with their token. */
export interface SdkKey {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

/** Where a client sends its calls: a running server's `http://127.0.0.1:PORT`. */
export interface SdkEndpoint {
  readonly url: string
}

/** How a client differs from the default: us-east-1, and no retry. */
export interface SdkClientOptions {
  readonly region?: string
  readonly maxAttempts?: number
}

// maxAttempts 1 by default: SDK v3 retries LimitExceeded as throttling; an error should come back
// at once, not after the SDK's retries.
function config(endpoint: SdkEndpoint, options: SdkClientOptions) {
  return {
    endpoint: endpoint.url,
    region: options.region ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 1,
  }
}

/** An IAM client of `endpoint` signing with `key`. */
export function iamClient(
  endpoint: SdkEndpoint,
  key: SdkKey,
  options: SdkClientOptions = {},
): IAMClient {
  return new IAMClient({ ...config(endpoint, options), credentials: key })
}

/**
 * An STS client of `endpoint` signing with `key`; without one it has no credentials, for the calls
 * the SDK sends unsigned (AssumeRoleWithSAML, AssumeRoleWithWebIdentity).
 */
export function stsClient(
  endpoint: SdkEndpoint,
  key?: SdkKey,
  options: SdkClientOptions = {},
): STSClient {
  return new STSClient({
    ...config(endpoint, options),
    ...(key === undefined ? {} : { credentials: key }),
  })
}

/** The Credentials of an STS response (all three parts there) as a key. */
export function sessionKeyOf(credentials: {
  AccessKeyId?: string | undefined
  SecretAccessKey?: string | undefined
  SessionToken?: string | undefined
}): SdkKey {
  assert.ok(credentials.AccessKeyId && credentials.SecretAccessKey && credentials.SessionToken)
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
  }
}

/**
 * Creates the user `userName` through `iam`, with `document` as its inline policy `policyName`
 * when given, and an access key; returns the key.
 */
export async function createUserKey(
  iam: IAMClient,
  userName: string,
  document?: string,
  policyName = 'p',
): Promise<SdkKey> {
  await iam.send(new CreateUserCommand({ UserName: userName }))
  if (document !== undefined) {
    await iam.send(
      new PutUserPolicyCommand({
        UserName: userName,
        PolicyName: policyName,
        PolicyDocument: document,
      }),
    )
  }
  const created = await iam.send(new CreateAccessKeyCommand({ UserName: userName }))
  return {
    accessKeyId: created.AccessKey?.AccessKeyId ?? '',
    secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
  }
}
