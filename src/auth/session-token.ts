/**
 * The session token of temporary credentials (ASIA... keys): a self-contained envelope, encrypted
 * and authenticated, that any Gatehouse node opens with the server's key and no database read.
 * It holds who the session is (a role session, a federated user, or an IAM user or root user
 * with GetSessionToken credentials), the temporary key and its secret, when it was issued and
 * when it expires, the session policies (the inline one and the documents of the managed ones,
 * resolved at issue time), the session tags and which of them are transitive, the source identity,
 * whether it came from role chaining, whether MFA was used, and the scope-down policies of the
 * GetScopedCredentials calls that narrowed it.
 *
 * Format, written in base64 (standard alphabet, so it travels in a header or a form value as is):
 *
 *   version (1 byte) || sealed
 *
 * where `sealed` is the secret box's AES-256-GCM envelope (its own format byte, a random IV, the
 * ciphertext and the GCM tag) under the key it derives with HKDF-SHA256 from the master key. The
 * additional authenticated data names the token format and its version, so neither an access-key
 * secret sealed at rest nor a token of another version opens as a token. The version says what
 * the plaintext is: the claims as JSON (TOKEN_VERSION, 2), or, for claims longer than
 * DEFLATE_ABOVE_BYTES, the claims as JSON compressed with raw deflate, in base64
 * (DEFLATED_TOKEN_VERSION, 1; the secret box seals text). Tokens of both versions open.
 */
import { randomBytes } from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { inspect } from 'node:util'
import type { MasterKey } from '../store/secret-box.js'
import {
  SecretBoxError,
  decryptSecret,
  encryptSecret,
  generateMasterKey,
} from '../store/secret-box.js'
import type { Tag } from '../store/store.js'

/** The version byte of a token whose claims are sealed as JSON, as they are. */
export const TOKEN_VERSION = 2

/** The version byte of a token whose claims are sealed deflated (and of every earlier token). */
export const DEFLATED_TOKEN_VERSION = 1

/**
 * Claims longer than this, in JSON, are deflated. Setting up a deflate stream costs about 20 us
 * here, more than the rest of sealing a token, and saves only a third of a session's few hundred
 * bytes when it has no policies; session policies and tags make the claims long, and compress well.
 */
export const DEFLATE_ABOVE_BYTES = 1_024

// Bound to every token as additional authenticated data: part of the format.
const TOKEN_CONTEXT = `gatehouse session token v${TOKEN_VERSION}`
const DEFLATED_TOKEN_CONTEXT = `gatehouse session token v${DEFLATED_TOKEN_VERSION}`

/**
 * The longest token accepted, in characters. Tokens are kept small by PackedPolicyTooLarge when
 * they are issued; anything far larger was not made here and is refused before any work.
 */
export const MAX_TOKEN_LENGTH = 32_768

// The claims of a token never inflate past this (a bound for the decompressor, not a format rule).
const MAX_CLAIMS_BYTES = 262_144

/** An IAM user as a session names it; its current state is read by id when the token is used. */
export interface SessionUser {
  readonly userId: string
  readonly userName: string
  readonly userArn: string
}

/** Who a session is. */
export type SessionPrincipal =
  | {
      /** A role session (AssumeRole). */
      readonly kind: 'assumedRole'
      readonly roleId: string
      readonly roleName: string
      /** The role's IAM ARN, path included. */
      readonly roleArn: string
      readonly sessionName: string
    }
  | {
      /** A federated user (GetFederationToken) of an IAM user, or of the root user (null). */
      readonly kind: 'federatedUser'
      readonly name: string
      readonly federatedBy: SessionUser | null
    }
  | ({ readonly kind: 'user' } & SessionUser)
  | { readonly kind: 'root' }

/** A session policy, with the label that names it in explanations. */
export interface SessionPolicy {
  /** `session:inline`, or `session:managed/<policy ARN>`. */
  readonly label: string
  readonly document: string
}

/** What a session token holds. */
export interface SessionClaims {
  /** The account the session belongs to (a role session: the role's). */
  readonly accountId: string
  readonly principal: SessionPrincipal
  /** ASIA..., the key a request signed with these credentials names. */
  readonly accessKeyId: string
  /** SECURITY: the secret of the temporary key. Never logged, returned only by the call that issues it. */
  readonly secretAccessKey: string
  readonly issuedAt: Date
  readonly expiresAt: Date
  /** The session policies passed when the session was made, or null when none was. */
  readonly policies: readonly SessionPolicy[] | null
  /** Session tags, inherited transitive tags included. */
  readonly tags: readonly Tag[]
  /** The keys of the tags that pass on to the sessions this one assumes. */
  readonly transitiveTagKeys: readonly string[]
  readonly sourceIdentity: string | null
  /** Whether a role session assumed this one (role chaining). */
  readonly chained: boolean
  /** Whether the session was made with MFA. */
  readonly mfa: boolean
  /**
   * Whether console sign-in made the session (POST /console/sign-in): the console's own
   * credentials, which may call IAM without MFA, as AWS's console does. Absent: false.
   */
  readonly console?: boolean
  /**
   * The scope-down policies of the GetScopedCredentials calls that made these credentials from
   * the session, oldest first, one for each call that passed a Policy: each must allow what the
   * credentials do, beside everything else. Absent: none (credentials not scoped down).
   */
  readonly scopeDown?: readonly SessionPolicy[]
  /**
   * The OIDC provider's ARN for a session from AssumeRoleWithWebIdentity: its requests carry it
   * as aws:FederatedProvider. Absent for every other session.
   */
  readonly federatedProvider?: string
}

/** How a token is sealed. */
export interface SealOptions {
  /**
   * The least length of the token, in characters (MinimumSessionTokenSize): random padding
   * makes it up, so that a client's storage is sized for the longest tokens it may get.
   */
  readonly minimumLength?: number
}

/** The claims as they are written inside a token: short names, times in epoch milliseconds. */
interface WireClaims {
  readonly a: string
  readonly p: SessionPrincipal
  readonly k: string
  readonly s: string
  readonly i: number
  readonly e: number
  readonly pol: readonly SessionPolicy[] | null
  readonly t: readonly Tag[]
  readonly tt: readonly string[]
  readonly si: string | null
  readonly c: boolean
  readonly m: boolean
  readonly cs?: true
  readonly sd?: readonly SessionPolicy[]
  readonly fp?: string
  /** Padding (SealOptions.minimumLength): random, and read by nobody. */
  readonly z?: string
}

function toWire(claims: SessionClaims): WireClaims {
  // Members set one by one rather than spread in: V8 copies a spread object on a slow path.
  const wire: { -readonly [K in keyof WireClaims]: WireClaims[K] } = {
    a: claims.accountId,
    p: claims.principal,
    k: claims.accessKeyId,
    s: claims.secretAccessKey,
    i: claims.issuedAt.getTime(),
    e: claims.expiresAt.getTime(),
    pol: claims.policies,
    t: claims.tags,
    tt: claims.transitiveTagKeys,
    si: claims.sourceIdentity,
    c: claims.chained,
    m: claims.mfa,
  }
  if (claims.console === true) wire.cs = true
  if (claims.scopeDown !== undefined) wire.sd = claims.scopeDown
  if (claims.federatedProvider !== undefined) wire.fp = claims.federatedProvider
  return wire
}

const isString = (value: unknown): value is string => typeof value === 'string'

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString)
}

/** Whether `value` is an object whose `members` are all strings. */
function hasStrings(value: unknown, members: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return members.every((m) => isString(record[m]))
}

function isTagList(value: unknown): value is Tag[] {
  return Array.isArray(value) && value.every((t) => hasStrings(t, ['key', 'value']))
}

function isPolicyList(value: unknown): value is SessionPolicy[] {
  return Array.isArray(value) && value.every((p) => hasStrings(p, ['label', 'document']))
}

function isSessionUser(value: unknown): value is SessionUser {
  return hasStrings(value, ['userId', 'userName', 'userArn'])
}

function isPrincipal(value: unknown): value is SessionPrincipal {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Record<string, unknown>
  switch (p['kind']) {
    case 'assumedRole':
      return (
        isString(p['roleId']) &&
        isString(p['roleName']) &&
        isString(p['roleArn']) &&
        isString(p['sessionName'])
      )
    case 'federatedUser':
      return isString(p['name']) && (p['federatedBy'] === null || isSessionUser(p['federatedBy']))
    case 'user':
      return isSessionUser(p)
    case 'root':
      return true
    default:
      return false
  }
}

/**
 * The claims of an opened token. Only this server seals tokens, so a token that opens was made
 * here; the shape is checked all the same, so that a token of a newer build under the same key
 * and version cannot reach the rest of the server half-read.
 */
function fromWire(value: unknown): SessionClaims | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const w = value as Record<string, unknown>
  const i = w['i']
  const e = w['e']
  const pol = w['pol']
  const si = w['si']
  const sd = w['sd']
  if (
    !isString(w['a']) ||
    !isPrincipal(w['p']) ||
    !isString(w['k']) ||
    !isString(w['s']) ||
    typeof i !== 'number' ||
    typeof e !== 'number' ||
    !(pol === null || isPolicyList(pol)) ||
    !isTagList(w['t']) ||
    !isStringArray(w['tt']) ||
    !(si === null || isString(si)) ||
    typeof w['c'] !== 'boolean' ||
    typeof w['m'] !== 'boolean' ||
    !(w['cs'] === undefined || w['cs'] === true) ||
    !(sd === undefined || isPolicyList(sd)) ||
    !(w['fp'] === undefined || isString(w['fp'])) ||
    !(w['z'] === undefined || isString(w['z']))
  ) {
    return undefined
  }
  return {
    accountId: w['a'],
    principal: w['p'],
    accessKeyId: w['k'],
    secretAccessKey: w['s'],
    issuedAt: new Date(i),
    expiresAt: new Date(e),
    policies: pol,
    tags: w['t'],
    transitiveTagKeys: w['tt'],
    sourceIdentity: si,
    chained: w['c'],
    mfa: w['m'],
    ...(w['cs'] === true ? { console: true } : {}),
    ...(sd === undefined ? {} : { scopeDown: sd }),
    ...(isString(w['fp']) ? { federatedProvider: w['fp'] } : {}),
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * The key that seals and opens session tokens. Every node that shares the master key opens every
 * other node's tokens. It never prints itself.
 */
export class SessionTokenKey {
  readonly #masterKey: MasterKey

  private constructor(masterKey: MasterKey) {
    this.#masterKey = masterKey
  }

  /** The key of every node that shares this master key. */
  static fromMasterKey(masterKey: MasterKey): SessionTokenKey {
    // A key of their own: a sealed access-key secret can never pass for a token, nor the reverse.
    return new SessionTokenKey(masterKey.derive('session tokens v1'))
  }

  /**
   * A key of this process alone: its tokens open nowhere else and die with it. For a server
   * built without its master key (tests in process).
   */
  static generate(): SessionTokenKey {
    return new SessionTokenKey(generateMasterKey())
  }

  /** Seals claims into a token, at least `options.minimumLength` characters long. */
  seal(claims: SessionClaims, options: SealOptions = {}): string {
    const wire = toWire(claims)
    const minimum = Math.min(options.minimumLength ?? 0, MAX_TOKEN_LENGTH)
    const json = JSON.stringify(wire)
    // Decided on the claims alone: padding is random, so deflating it would only cost time.
    const deflate = Buffer.byteLength(json, 'utf8') > DEFLATE_ABOVE_BYTES
    let token = this.#sealJson(json, deflate)
    // Random padding does not compress: each byte of it lengthens the token by about one and a
    // third characters, or almost two when deflated (base64 twice), so each round adds a little
    // less than is missing, and a few rounds reach the length without going far past it.
    let padding = ''
    while (token.length < minimum) {
      const missing = minimum - token.length
      padding += randomBytes(Math.ceil(missing / 2) + 1).toString('base64')
      token = this.#sealJson(JSON.stringify({ ...wire, z: padding }), deflate)
    }
    return token
  }

  #sealJson(json: string, deflate: boolean): string {
    if (!deflate) {
      const sealed = encryptSecret(this.#masterKey, json, TOKEN_CONTEXT)
      return Buffer.concat([Buffer.of(TOKEN_VERSION), sealed]).toString('base64')
    }
    // SECURITY: compressing before encrypting leaks the plaintext's length only, and the one
    // secret inside (the temporary secret key) is random, new in every token and already known
    // to whoever receives the token.
    const packed = deflateRawSync(Buffer.from(json, 'utf8'))
    const sealed = encryptSecret(this.#masterKey, packed.toString('base64'), DEFLATED_TOKEN_CONTEXT)
    return Buffer.concat([Buffer.of(DEFLATED_TOKEN_VERSION), sealed]).toString('base64')
  }

  /**
   * Opens a token: its claims, or undefined for anything this key did not seal (a forged,
   * altered, truncated or foreign token). It says nothing of expiry: the caller checks that.
   */
  open(token: string): SessionClaims | undefined {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !BASE64.test(token)) {
      return undefined
    }
    const bytes = Buffer.from(token, 'base64')
    const version = bytes[0]
    if (bytes.length < 2 || (version !== TOKEN_VERSION && version !== DEFLATED_TOKEN_VERSION)) {
      return undefined
    }
    let text: string
    try {
      if (version === TOKEN_VERSION) {
        text = decryptSecret(this.#masterKey, bytes.subarray(1), TOKEN_CONTEXT)
      } else {
        const packed = decryptSecret(this.#masterKey, bytes.subarray(1), DEFLATED_TOKEN_CONTEXT)
        text = inflateRawSync(Buffer.from(packed, 'base64'), {
          maxOutputLength: MAX_CLAIMS_BYTES,
        }).toString('utf8')
      }
    } catch (err) {
      if (err instanceof SecretBoxError) return undefined
      // Only a token this key sealed gets past decryption: a failure after it is a bug.
      throw err
    }
    return fromWire(JSON.parse(text))
  }

  /** Redacted. */
  toString(): string {
    return '[SessionTokenKey]'
  }

  /** Redacted. */
  toJSON(): string {
    return '[SessionTokenKey]'
  }

  /** Redacted. */
  [inspect.custom](): string {
    return '[SessionTokenKey]'
  }
}
