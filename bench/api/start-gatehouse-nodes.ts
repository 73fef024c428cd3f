/**
 * Gatehouse as several nodes on one PostgreSQL database, as it is deployed to scale out: each
 * node a `gatehouse serve --store postgres` process of its own, on its own port and with its own
 * data directory (its audit trail), all given the same master key (so that each opens the
 * secrets the others sealed), account and root key.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { BenchServer } from './bench-server.js'
import type { BenchCredentials } from './presigner.js'
import { startGatehouse } from './start-gatehouse.js'

/** How to start the nodes. */
export interface GatehouseNodesOptions {
  /** How many nodes. */
  readonly count: number
  /** The nodes' data directories go under it, one each. */
  readonly dataDir: string
  /** The database they share. */
  readonly databaseUrl: string
  /** More `gatehouse serve` flags, given to every node. */
  readonly extraArgs?: readonly string[]
}

/**
 * Starts `count` nodes together (they migrate the fresh database under its advisory lock and
 * make the account in a locked transaction, so starting together is safe) and returns them as
 * one server whose `nodes` are theirs. If one fails to start, the others are stopped.
 */
export async function startGatehouseNodes(options: GatehouseNodesOptions): Promise<BenchServer> {
  const masterKey = randomBytes(32).toString('base64')
  const root: BenchCredentials = {
    accessKeyId: `AKIABENCH${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  }
  const started = await Promise.allSettled(
    Array.from({ length: options.count }, (_, i) =>
      startGatehouse({
        dataDir: join(options.dataDir, `node-${i + 1}`),
        extraArgs: [
          '--store',
          'postgres',
          '--database-url',
          options.databaseUrl,
          ...(options.extraArgs ?? []),
        ],
        root,
        env: { GATEHOUSE_MASTER_KEY: masterKey },
      }),
    ),
  )
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const failed = started.find((result) => result.status === 'rejected')
  if (failed !== undefined) {
    await Promise.all(nodes.map((node) => node.stop()))
    throw failed.reason
  }
  const [first] = nodes
  if (first === undefined) throw new Error('startGatehouseNodes: no node to start')
  return {
    name: 'gatehouse',
    url: first.url,
    nodes: nodes.flatMap((node) => node.nodes),
    accountId: first.accountId,
    root,
    logTail: () =>
      nodes.length === 1
        ? first.logTail()
        : nodes.map((node, i) => `[node ${i + 1}]\n${node.logTail()}`).join('\n'),
    stop: () => Promise.all(nodes.map((node) => node.stop())).then(() => undefined),
  }
}
