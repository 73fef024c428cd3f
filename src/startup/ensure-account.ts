/**
 * The account a data directory serves, and its root user's access key: created on first start
 * (from the configuration where it gives them, else generated), checked against the
 * configuration on every later one.
 */
import { NotFoundError } from '../store/errors.js'
import type { Account, Store } from '../store/store.js'
import type { RootCredentials } from './credentials-file.js'
import { StartupError } from './startup-error.js'

/** What the configuration asks for. */
export interface AccountSettings {
  readonly accountId: string | undefined
  readonly rootAccessKeyId: string | undefined
  readonly rootSecretAccessKey: string | undefined
}

/** The account served, and what this start created. */
export interface EnsuredAccount {
  readonly account: Account
  /** Whether this start created the account. */
  readonly createdAccount: boolean
  /** The root key this start generated: its secret exists nowhere else. */
  readonly generatedRootKey: RootCredentials | undefined
}

/**
 * Finds or creates the account and the root key in one transaction. `onGenerated` runs inside
 * it with a newly generated root key (to write it down): if it throws, nothing is kept, so a
 * key is never stored without its secret having been saved.
 */
export async function ensureAccount(
  store: Store,
  settings: AccountSettings,
  onGenerated: (credentials: RootCredentials) => void,
): Promise<EnsuredAccount> {
  return store.transaction(async (tx) => {
    const accounts = await tx.listAccounts()
    let account: Account
    let createdAccount = false
    if (accounts.length === 0) {
      account = await tx.createAccount(
        settings.accountId === undefined ? {} : { accountId: settings.accountId },
      )
      createdAccount = true
    } else {
      const wanted = settings.accountId
      const found =
        wanted === undefined ? accounts[0] : accounts.find((a) => a.accountId === wanted)
      if (found === undefined) {
        throw new StartupError(
          `the data directory serves account ${accounts.map((a) => a.accountId).join(', ')}, not ${wanted}`,
        )
      }
      account = found
    }

    const { rootAccessKeyId: keyId, rootSecretAccessKey: secret } = settings
    if (keyId !== undefined && secret !== undefined) {
      try {
        const existing = await tx.getAccessKeySecret(keyId)
        // SECURITY: a configured key must be exactly the stored one; it never replaces it.
        if (
          existing.accessKey.accountId !== account.accountId ||
          existing.accessKey.userName !== null ||
          existing.secretAccessKey !== secret
        ) {
          throw new StartupError(
            `access key ${keyId} already exists with another owner or secret; the configured root key does not replace it`,
          )
        }
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err
        await tx.createAccessKey({
          accountId: account.accountId,
          userName: null,
          accessKeyId: keyId,
          secretAccessKey: secret,
        })
      }
      return { account, createdAccount, generatedRootKey: undefined }
    }
    if (!createdAccount) return { account, createdAccount, generatedRootKey: undefined }
    const created = await tx.createAccessKey({ accountId: account.accountId, userName: null })
    const generated: RootCredentials = {
      accountId: account.accountId,
      accessKeyId: created.accessKey.accessKeyId,
      secretAccessKey: created.secretAccessKey,
    }
    onGenerated(generated)
    return { account, createdAccount, generatedRootKey: generated }
  })
}
