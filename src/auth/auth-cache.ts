/**
 * What authentication and authorization read from the store, kept in memory so that the hot
 * path reads no database: access keys with their owners, the entities session tokens name, each
 * principal's compiled policies, and the roles AssumeRole names by ARN. Every entry lives until
 * the store's change feed reports a committed write (GenerationCache), so a key deactivated, a
 * policy edited or a role deleted takes effect on the very next request; only the changes shown
 * below to leave an entry standing (users created or deleted) let it live on. Beside them it
 * keeps the reads of the busiest read-only operations (GetUser's user with its tags, ListUsers'
 * pages), so that those calls too read no database while nothing changes, and the session tokens
 * it has opened, which depend on no store at all.
 */
import { deriveSigningKey } from './sigv4/index.js'
import type {
  Account,
  AccessKeyWithSecret,
  Page,
  PathPageRequest,
  Role,
  Store,
  StoreChangeKind,
  StoreTx,
  User,
  UserDetails,
} from '../store/store.js'
import { NotFoundError } from '../store/errors.js'
import { GenerationCache } from './generation-cache.js'
import type { CompiledPolicy, ContextValue, PolicySet } from '../policy/index.js'
import { resourceTagKeys } from './resource-tags.js'
import { roleByArn } from './role-by-arn.js'
import type { SessionClaims, SessionTokenKey } from './session-token.js'
import type { Tag } from '../store/store.js'

/** How many entries each of the caches holds unless told otherwise. */
export const DEFAULT_AUTH_CACHE_SIZE = 10_000

/** A stored access key with its owner, as authentication needs it. */
export interface KnownAccessKey {
  readonly key: AccessKeyWithSecret
  /** The account, for a root key. */
  readonly account: Account | undefined
  /** The user, for a user's key. */
  readonly user: User | undefined
  /**
   * SigV4 signing keys derived from the secret, by scope: four HMACs saved on every request
   * after a client's first of the day. Bounded: a client can name only so many scopes.
   */
  readonly signingKeys: Map<string, Uint8Array>
  /** AuthCache.signingKey for this key, made once, as verifySignature asks for it. */
  readonly signingKey: (date: string, region: string, service: string) => Uint8Array
}

/** A principal's own policies, compiled: what every request of that principal evaluates. */
export interface PrincipalPolicies {
  readonly identity: readonly CompiledPolicy[]
  readonly boundary: CompiledPolicy | null
  /** The principal's own tags (aws:PrincipalTag/*), before session tags. */
  readonly tags: readonly Tag[]
  /**
   * The policy set of these policies alone (no session, no resource policy), built once: its
   * per-action index then serves every request of the principal.
   */
  readonly set: PolicySet
}

const MAX_SIGNING_KEYS_PER_ACCESS_KEY = 16

/** A session token as opened once (SessionTokenKey.open), with its secret's signing keys. */
export interface OpenedSession {
  readonly claims: SessionClaims
  /** The SigV4 signing key of the session's secret for a scope, derived once. */
  readonly signingKey: (date: string, region: string, service: string) => Uint8Array
}

/**
 * Opened session tokens kept at most: this many, and tokens of this many characters in all (a
 * token may be 32 KiB long; most are under 1 KiB).
 */
export const MAX_OPENED_SESSIONS = 10_000
export const MAX_OPENED_SESSION_CHARS = 8 * 1024 * 1024

/** The signing key of `secret` for a scope, from `keys` or derived and kept there. */
function keptSigningKey(
  secret: string,
  keys: Map<string, Uint8Array>,
  date: string,
  region: string,
  service: string,
): Uint8Array {
  const scope = `${date}/${region}/${service}`
  let key = keys.get(scope)
  if (key === undefined) {
    key = deriveSigningKey(secret, date, region, service)
    if (keys.size >= MAX_SIGNING_KEYS_PER_ACCESS_KEY) keys.clear()
    keys.set(scope, key)
  }
  return key
}

/**
 * ListUsers pages kept at most. A page holds up to 1,000 users (MaxItems), so this bounds the
 * pages' memory to some tens of MB; a paginator over a few thousand users needs a few pages.
 */
export const MAX_KEPT_USER_PAGES = 64

// The cache's own reads take no write lock.
const READ_ONLY = { readOnly: true } as const

function knownAccessKey(
  key: AccessKeyWithSecret,
  account: Account | undefined,
  user: User | undefined,
): KnownAccessKey {
  const known: KnownAccessKey = {
    key,
    account,
    user,
    signingKeys: new Map(),
    signingKey: (date, region, service) => AuthCache.signingKey(known, date, region, service),
  }
  return known
}

async function orUndefined<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup
  } catch (err) {
    if (err instanceof NotFoundError) return undefined
    throw err
  }
}

async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  return (await orUndefined(lookup)) ?? null
}

/** The kinds of change the caches of keys, roles, accounts and principals survive. */
const USER_CHANGES: ReadonlySet<StoreChangeKind> = new Set(['userAdded', 'userRemoved'])

/** The caches of one server. */
export class AuthCache {
  readonly #store: Store
  readonly #keys: GenerationCache<string, KnownAccessKey | null>
  readonly #roles: GenerationCache<string, Role | null>
  readonly #rolesByArn: GenerationCache<string, Role | null>
  readonly #users: GenerationCache<string, User | null>
  readonly #accounts: GenerationCache<string, Account | null>
  readonly #principals: GenerationCache<string, PrincipalPolicies>
  readonly #userDetails: GenerationCache<string, UserDetails | null>
  readonly #resourceTags: GenerationCache<string, Readonly<Record<string, ContextValue>>>
  readonly #userPages: GenerationCache<string, Page<User>>
  // Not a GenerationCache: what a token holds does not change with the store.
  readonly #sessions = new Map<
    string,
    { readonly key: SessionTokenKey; readonly opened: OpenedSession }
  >()
  #sessionChars = 0

  constructor(store: Store, capacity: number = DEFAULT_AUTH_CACHE_SIZE) {
    this.#store = store
    // What survives a user created or deleted (StoreChangeKind), and why:
    // - keys: a new user has none, and a user is deleted only once its keys are; an unknown key
    //   id stays unknown;
    // - roles, by id and by ARN, and accounts: neither kind writes them;
    // - principals' compiled policies: they are kept by the principal's unique id, which a new
    //   user does not share; a deleted user had no policies, groups or keys, and a session of
    //   it is refused once `users` no longer finds it, so its entry is never read again.
    // The rest goes: users by id (sessions of a deleted user), a user's details, the resource
    // tags, whose lookups by name and ARN a new or deleted user answers differently, and the
    // pages of users, which list a new user and no longer a deleted one.
    this.#keys = new GenerationCache(store, capacity, USER_CHANGES)
    this.#roles = new GenerationCache(store, capacity, USER_CHANGES)
    this.#rolesByArn = new GenerationCache(store, capacity, USER_CHANGES)
    this.#users = new GenerationCache(store, capacity)
    this.#accounts = new GenerationCache(store, capacity, USER_CHANGES)
    this.#principals = new GenerationCache(store, capacity, USER_CHANGES)
    this.#resourceTags = new GenerationCache(store, capacity)
    this.#userDetails = new GenerationCache(store, capacity)
    this.#userPages = new GenerationCache(store, Math.min(capacity, MAX_KEPT_USER_PAGES))
  }

  /**
   * A stored access key with its owner, or null for an id the store does not know (also kept,
   * so that a flood of made-up ids costs one read each at most until the next write).
   */
  accessKey(accessKeyId: string): Promise<KnownAccessKey | null> {
    return this.#keys.get(accessKeyId, () =>
      this.#store.transaction(async (tx) => {
        const key = await orUndefined(tx.getAccessKeySecret(accessKeyId))
        if (key === undefined) return null
        const { accessKey } = key
        if (accessKey.userName === null) {
          return knownAccessKey(key, await tx.getAccount(accessKey.accountId), undefined)
        }
        return knownAccessKey(
          key,
          undefined,
          await tx.getUser(accessKey.accountId, accessKey.userName),
        )
      }, READ_ONLY),
    )
  }

  /**
   * The access key kept for `accessKeyId` (null for an id the store does not know), without
   * waiting; undefined when nothing is kept and `accessKey` must read it.
   */
  keptAccessKey(accessKeyId: string): KnownAccessKey | null | undefined {
    return this.#keys.peek(accessKeyId)
  }

  /** The signing key of a known access key for a scope, derived once. */
  static signingKey(
    known: KnownAccessKey,
    date: string,
    region: string,
    service: string,
  ): Uint8Array {
    return keptSigningKey(known.key.secretAccessKey, known.signingKeys, date, region, service)
  }

  /**
   * A session token opened with `key`, or undefined for one it does not open (never kept, so a
   * forged token costs its decryption every time, as before). Every request of a session
   * presents the same token, and opening it (decryption, inflation, parsing) and deriving its
   * signing key cost more than the rest of authentication; so a token opened once is kept, its
   * claims with it. Claims depend on the token and the key alone, never on the store: what the
   * store says of the session (its role or user still there) is read apart, and expiry is for
   * the caller to check on every request, as it does. Oldest first out past the bounds above.
   */
  openedSession(token: string, key: SessionTokenKey): OpenedSession | undefined {
    const sessions = this.#sessions
    const kept = sessions.get(token)
    if (kept !== undefined) {
      if (kept.key === key) return kept.opened
      sessions.delete(token)
      this.#sessionChars -= token.length
    }
    const claims = key.open(token)
    if (claims === undefined) return undefined
    const keys = new Map<string, Uint8Array>()
    const secret = claims.secretAccessKey
    const opened: OpenedSession = {
      claims,
      signingKey: (date, region, service) => keptSigningKey(secret, keys, date, region, service),
    }
    while (
      sessions.size > 0 &&
      (sessions.size >= MAX_OPENED_SESSIONS ||
        this.#sessionChars + token.length > MAX_OPENED_SESSION_CHARS)
    ) {
      const oldest = sessions.keys().next().value as string
      sessions.delete(oldest)
      this.#sessionChars -= oldest.length
    }
    sessions.set(token, { key, opened })
    this.#sessionChars += token.length
    return opened
  }

  /** How many opened session tokens are kept (for tests of the bounds). */
  get openedSessions(): number {
    return this.#sessions.size
  }

  /** A role by unique id (what a role session names), or undefined once it is deleted. */
  async roleById(roleId: string): Promise<Role | undefined> {
    const role = await this.#roles.get(roleId, () =>
      this.#store.transaction(
        async (tx) => (await orUndefined(tx.getRoleById(roleId))) ?? null,
        READ_ONLY,
      ),
    )
    return role ?? undefined
  }

  /**
   * The role a role ARN names (roleByArn), or undefined when none does (also kept, as a made-up
   * ARN is): read in `tx` when not kept. AssumeRole reads it to authorize (the trust policy, for
   * each action it is authorized as) and again to answer; kept, a repeated AssumeRole reads no
   * database. Only for reads made before `tx` writes anything, as authorization's are.
   */
  async roleByArn(arn: string, tx: StoreTx): Promise<Role | undefined> {
    const role = await this.#rolesByArn.get(arn, async () => (await roleByArn(tx, arn)) ?? null)
    return role ?? undefined
  }

  /** A user by unique id, or undefined once it is deleted. */
  async userById(userId: string): Promise<User | undefined> {
    const user = await this.#users.get(userId, () =>
      this.#store.transaction(
        async (tx) => (await orUndefined(tx.getUserById(userId))) ?? null,
        READ_ONLY,
      ),
    )
    return user ?? undefined
  }

  /** An account, or undefined if there is none of that id. */
  async account(accountId: string): Promise<Account | undefined> {
    const account = await this.#accounts.get(accountId, () =>
      this.#store.transaction(
        async (tx) => (await orUndefined(tx.getAccount(accountId))) ?? null,
        READ_ONLY,
      ),
    )
    return account ?? undefined
  }

  /** A principal's compiled policies under `key` if they are kept, without waiting. */
  keptPrincipalPolicies(key: string): PrincipalPolicies | undefined {
    return this.#principals.peek(key)
  }

  /**
   * A principal's compiled policies under `key` (e.g. `user:AIDA...`), read with `load` in the
   * request's transaction when they are not kept.
   */
  principalPolicies(
    key: string,
    tx: StoreTx,
    load: (tx: StoreTx) => Promise<PrincipalPolicies>,
  ): Promise<PrincipalPolicies> {
    return this.#principals.get(key, () => load(tx))
  }

  /**
   * The aws:ResourceTag/* and iam:ResourceTag/* keys of the IAM entity `arn` names (none for
   * anything else, or an entity that does not exist), read in `tx` when not kept.
   */
  resourceTags(arn: string, tx: StoreTx): Promise<Readonly<Record<string, ContextValue>>> {
    return this.#resourceTags.get(arn, () => resourceTagKeys(tx, arn))
  }

  /**
   * A user with its tags and password use (getUserDetails), or null for a name no user has: read
   * in `tx` when not kept. Only for a read-only transaction: one that has written must read its
   * own writes, which no cache holds. Keyed by the name as given (names are matched without
   * case, so each spelling is an entry of its own, all emptied by the next write).
   */
  userDetails(accountId: string, name: string, tx: StoreTx): Promise<UserDetails | null> {
    return this.#userDetails.get(`${accountId}/${name}`, async () =>
      orNull(tx.getUserDetails(accountId, name)),
    )
  }

  /**
   * The user details kept for the name (null for a name no user has), without waiting;
   * undefined when nothing is kept and `userDetails` must read them.
   */
  keptUserDetails(accountId: string, name: string): UserDetails | null | undefined {
    return this.#userDetails.peek(`${accountId}/${name}`)
  }

  /**
   * A page of an account's users (listUsers), read in `tx` when not kept. Only for a read-only
   * transaction, as userDetails. The same page is handed out until the store changes, so that
   * its encoded response can be kept with it (encodeOnce): callers must not change it.
   */
  userPage(accountId: string, request: PathPageRequest, tx: StoreTx): Promise<Page<User>> {
    // Every part as given (a marker is any client's string), none able to run into the next.
    const key = JSON.stringify([
      accountId,
      request.pathPrefix ?? null,
      request.marker ?? null,
      request.maxItems ?? null,
    ])
    return this.#userPages.get(key, () => tx.listUsers(accountId, request))
  }

  /** Stops listening to the store. */
  dispose(): void {
    this.#keys.dispose()
    this.#roles.dispose()
    this.#rolesByArn.dispose()
    this.#users.dispose()
    this.#accounts.dispose()
    this.#principals.dispose()
    this.#resourceTags.dispose()
    this.#userDetails.dispose()
    this.#userPages.dispose()
    this.#sessions.clear()
    this.#sessionChars = 0
  }
}
