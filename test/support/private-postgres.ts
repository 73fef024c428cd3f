/**
 * A PostgreSQL cluster of a test's own (initdb in a temporary directory, its own port), for tests
 * that stop and start the database under the server: the machine's shared server on 5432 is
 * used by every other test and must never go down. Made with the distribution's binaries
 * (/usr/lib/postgresql/<version>/bin) and run as the `postgres` user, as initdb refuses root.
 */
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

const PG_ROOT = '/usr/lib/postgresql'

/** A running (or stopped) private cluster. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust auth). */
  readonly url: string
  readonly port: number
  /** Starts the cluster and waits until it accepts connections. */
  start(): Promise<void>
  /** Stops it: `fast` lets sessions end cleanly, `immediate` kills them as a crash would. */
  stop(mode: 'fast' | 'immediate'): Promise<void>
  /** Stops it if it runs and removes its directory. Idempotent. */
  remove(): Promise<void>
  /** The server's log so far, for failure messages. */
  log(): string
}

/**
 * The bin directory of the newest installed PostgreSQL with an initdb, or undefined when there
 * is none (the caller skips with that reason).
 */
export function findPostgresBin(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined
  const versions = readdirSync(PG_ROOT)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
  for (const version of versions) {
    const bin = join(PG_ROOT, version, 'bin')
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin
  }
  return undefined
}

/** A port nothing listens on right now (asked of the kernel, then released). */
async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** The postgres user's uid and gid, from /etc/passwd. */
function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'))
  const fields = line?.split(':')
  if (fields === undefined) throw new Error('there is no postgres user to run the cluster as')
  return { uid: Number(fields[2]), gid: Number(fields[3]) }
}

/**
 * Creates and starts a private cluster with the binaries in `bin` (findPostgresBin). The caller
 * must call `remove()` when done, also when its test fails.
 */
export async function startPrivatePostgres(bin: string): Promise<PrivatePostgres> {
  const base = mkdtempSync(join(tmpdir(), 'gatehouse-pg-'))
  const dataDir = join(base, 'data')
  const logFile = join(base, 'server.log')
  const asRoot = userInfo().uid === 0
  if (asRoot) {
    const { uid, gid } = postgresIds()
    chownSync(base, uid, gid)
  }
  // initdb and the server refuse to run as root: run them as postgres.
  const asPostgres = (command: string, args: readonly string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
      : run(join(bin, command), [...args])
  const port = await freePort()
  // fsync off: a stop, even an immediate one, loses nothing the kernel was given; only a crash
  // of the machine would. synchronous_commit stays on, so an acknowledged commit is in the WAL.
  const options = [
    `-p ${port}`,
    `-k ${base}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
  ].join(' ')
  let running = false
  let removed = false

  const cluster: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      // -l: the server writes to the log file, not to our pipe, so pg_ctl returns.
      await asPostgres('pg_ctl', [
        '-D',
        dataDir,
        '-o',
        options,
        '-l',
        logFile,
        '-w',
        '-t',
        '30',
        'start',
      ])
      running = true
    },
    async stop(mode) {
      await asPostgres('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop'])
      running = false
    },
    async remove() {
      if (removed) return
      removed = true
      if (running) await cluster.stop('immediate').catch(() => undefined)
      rmSync(base, { recursive: true, force: true })
    },
    log() {
      try {
        return readFileSync(logFile, 'utf8')
      } catch {
        return ''
      }
    },
  }
  try {
    await asPostgres('initdb', [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ])
    await cluster.start()
  } catch (err) {
    await cluster.remove()
    throw err
  }
  return cluster
}
