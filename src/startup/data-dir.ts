/**
 * The data directory: the SQLite database, the audit trail's database, the master key and the
 * root credentials of a first start. It is created readable by its owner only.
 */
import { mkdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { StartupError } from './startup-error.js'

/** The files of a data directory. */
export interface DataDirPaths {
  /** The directory itself, absolute. */
  readonly dir: string
  /** The SQLite database. */
  readonly database: string
  /** The master key that seals access-key secrets, unless GATEHOUSE_MASTER_KEY gives it. */
  readonly masterKey: string
  /** The root user's generated access key, as an AWS shared credentials file. */
  readonly rootCredentials: string
  /** The audit trail's own SQLite database. */
  readonly trail: string
}

/** The paths of the data directory `dir` (relative to the working directory). */
export function dataDirPaths(dir: string): DataDirPaths {
  const absolute = resolve(dir)
  return {
    dir: absolute,
    database: join(absolute, 'gatehouse.db'),
    masterKey: join(absolute, 'master.key'),
    rootCredentials: join(absolute, 'root-credentials'),
    trail: join(absolute, 'trail.db'),
  }
}

/** Creates the data directory (and its parents) if needed, mode 0700; StartupError if it cannot. */
export function prepareDataDir(dir: string): DataDirPaths {
  const paths = dataDirPaths(dir)
  try {
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new StartupError(`cannot create the data directory ${paths.dir}: ${String(err)}`, {
      cause: err,
    })
  }
  if (!statSync(paths.dir).isDirectory()) {
    throw new StartupError(`the data directory ${paths.dir} is not a directory`)
  }
  return paths
}
