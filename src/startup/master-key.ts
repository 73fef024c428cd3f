/**
 * The master key that seals access-key secrets at rest: from GATEHOUSE_MASTER_KEY when set, else
 * from the data directory's key file, which the first start creates (mode 0600).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { MasterKey, generateMasterKeyText } from '../store/secret-box.js'
import { StartupError } from './startup-error.js'

/** Where the master key came from. */
export type MasterKeySource = 'environment' | 'file' | 'new file'

/** The master key and its source. */
export interface LoadedMasterKey {
  readonly key: MasterKey
  readonly source: MasterKeySource
  /** Set when the key file can be read by others than its owner. */
  readonly warning?: string
}

function fromText(text: string, where: string): MasterKey {
  try {
    return MasterKey.fromText(text)
  } catch (err) {
    // SECURITY: the text is a secret; the message says what is wrong, never what was read.
    throw new StartupError(`${where} does not hold a master key: ${(err as Error).message}`, {
      cause: err,
    })
  }
}

/**
 * Loads the master key: `envText` (GATEHOUSE_MASTER_KEY) when it is set, else the file at `path`,
 * creating it with a new random key when it does not exist.
 */
export function loadMasterKey(path: string, envText: string | undefined): LoadedMasterKey {
  if (envText !== undefined && envText !== '') {
    return { key: fromText(envText, 'GATEHOUSE_MASTER_KEY'), source: 'environment' }
  }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StartupError(`cannot read the master key file ${path}: ${String(err)}`, {
        cause: err,
      })
    }
    const created = generateMasterKeyText()
    // `wx`: never overwrite a key that appeared meanwhile; the secrets sealed with it would be lost.
    writeFileSync(path, `${created}\n`, { mode: 0o600, flag: 'wx' })
    return { key: fromText(created, path), source: 'new file' }
  }
  const mode = statSync(path).mode & 0o777
  const key = fromText(text, path)
  if ((mode & 0o077) !== 0) {
    return {
      key,
      source: 'file',
      warning: `the master key file ${path} can be read by others (mode ${mode.toString(8)}); chmod 600 it`,
    }
  }
  return { key, source: 'file' }
}
