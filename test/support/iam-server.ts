/**
 * An end-to-end suite's `gatehouse serve` with the real AWS SDK for JavaScript v3 IAM client: the
 * server, its root key, a client signing with it, and clients of users the suite creates.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam'
import type { CliKey } from './aws-cli.js'
import { printedRootKey, removeDataDir, startServerProcess } from './server-process.js'
import type { ServerProcess } from './server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

/** A running server, its root key and an IAM client of that key. */
export interface IamServer {
  readonly server: ServerProcess
  readonly root: CliKey
  readonly iam: IAMClient
}

/** An IAM client of `server` signing with `credentials`. */
export function iamClient(server: ServerProcess, credentials: CliKey): IAMClient {
  // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
  return new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 })
}

/** Starts `gatehouse serve` and a client of the root key it prints. */
export async function startIamServer(): Promise<IamServer> {
  const server = await startServerProcess()
  const root = printedRootKey(server.stdout())
  return { server, root, iam: iamClient(server, root) }
}

/** Stops what startIamServer started and removes the server's data. */
export async function stopIamServer({ server, iam }: Omit<IamServer, 'root'>): Promise<void> {
  iam.destroy()
  await server.stop()
  removeDataDir(server.dataDir)
}

/** Creates the user `userName` with an access key, through `iam`, and a client of that key. */
export async function newUserClient(
  { server, iam }: Omit<IamServer, 'root'>,
  userName: string,
): Promise<IAMClient> {
  await iam.send(new CreateUserCommand({ UserName: userName }))
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }))
  return iamClient(server, {
    accessKeyId: key.AccessKey?.AccessKeyId ?? '',
    secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
  })
}
