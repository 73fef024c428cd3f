/**
 * The PostgreSQL database a benchmark runs Gatehouse on: one it is given, or a fresh
 * `gatehouse_bench_<random>` on the machine's server, made for the run and dropped after it.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { redactDatabaseUrl } from '../../src/config/config.js'

/** The server a benchmark makes its database on when it is given none. */
export const BENCH_POSTGRES_SERVER = 'postgres://postgres@127.0.0.1:5432'

/** A database to benchmark on. */
export interface BenchDatabase {
  /** Its `postgres://` URL, for `gatehouse serve --database-url`. */
  readonly url: string
  /** Its URL fit to print (no password). */
  readonly shown: string
  /** Whether the benchmark made it, and so drops it. */
  readonly created: boolean
  /**
   * The pids of the server processes serving its connections now (the benchmark's own left
   * out), to read the CPU the database spends: it shares the machine's cores with the rest.
   */
  backendPids(): Promise<number[]>
  /** Closes the benchmark's connection and drops the database if the benchmark made it. */
  close(): Promise<void>
}

/** Makes database `name` on BENCH_POSTGRES_SERVER; returns its URL. */
async function createDatabase(name: string): Promise<string> {
  const admin = new pg.Client(`${BENCH_POSTGRES_SERVER}/postgres`)
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  return `${BENCH_POSTGRES_SERVER}/${name}`
}

/** Opens `url`, or makes a fresh database on BENCH_POSTGRES_SERVER when it is undefined. */
export async function openBenchDatabase(url: string | undefined): Promise<BenchDatabase> {
  // Only a database made here is dropped: one that is given may be someone's.
  let created: string | undefined
  let target = url
  if (target === undefined) {
    created = `gatehouse_bench_${randomBytes(6).toString('hex')}`
    target = await createDatabase(created)
  }
  const database = target
  const name = created
  const monitor = new pg.Client(database)
  // A lost connection fails the next backendPids(), which only costs the database's CPU figure;
  // unhandled, the error event would end the benchmark.
  monitor.on('error', () => undefined)
  try {
    await monitor.connect()
  } catch (err) {
    if (name !== undefined) await dropDatabase(name)
    throw err
  }
  let closing: Promise<void> | undefined
  return {
    url: database,
    shown: redactDatabaseUrl(database),
    created: name !== undefined,
    async backendPids() {
      const result = await monitor.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      )
      return result.rows.map((row) => row.pid)
    },
    close() {
      closing ??= monitor.end().then(() => (name === undefined ? undefined : dropDatabase(name)))
      return closing
    },
  }
}

/** Drops database `name` of BENCH_POSTGRES_SERVER, closing what is still connected to it. */
async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client(`${BENCH_POSTGRES_SERVER}/postgres`)
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  } finally {
    await admin.end()
  }
}
