/**
 * An end-to-end suite's `gatehouse serve` with the real AWS SDK for JavaScript v3 IAM client: the
 * server, its root key, a client signing with it, and clients of users the suite creates.
 */
import assert from 'node:assert/strict'
import { after, before } from 'node:test'
import type { IAMClient } from '@aws-sdk/client-iam'
import type { CliKey } from './aws-cli.js'
import { createUserKey, iamClient } from './sdk-clients.js'
import { printedRootKey, removeDataDir, startServerProcess } from './server-process.js'
import type { ServerProcess } from './server-process.js'

/** A running server, its root key and an IAM client of that key. */
export interface IamServer {
  readonly server: ServerProcess
  readonly root: CliKey
  readonly iam: IAMClient
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

/**
 * Starts `gatehouse serve` before the tests of the suite it is called in, and stops it after
 * them: what startIamServer gives, read once the suite's tests run.
 */
export function iamServerForSuite(): IamServer {
  let started: IamServer | undefined
  before(async () => {
    started = await startIamServer()
  })
  after(async () => {
    if (started !== undefined) await stopIamServer(started)
  })
  const get = (): IamServer => {
    assert.ok(started !== undefined, 'the suite has not started its server')
    return started
  }
  return {
    get server() {
      return get().server
    },
    get root() {
      return get().root
    },
    get iam() {
      return get().iam
    },
  }
}

/** Creates the user `userName` with an access key, through `iam`, and a client of that key. */
export async function newUserClient(
  { server, iam }: Omit<IamServer, 'root'>,
  userName: string,
): Promise<IAMClient> {
  return iamClient(server, await createUserKey(iam, userName))
}
