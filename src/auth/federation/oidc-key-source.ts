/**
 * The signing keys of OpenID Connect issuers, as AssumeRoleWithWebIdentity verifies tokens with
 * them: `<issuer>/.well-known/openid-configuration` names the `jwks_uri` (OpenID Connect
 * Discovery 1.0, section 4), whose JSON Web Key Set holds the public keys. Each issuer's set is
 * kept a short while, and fetched again sooner when a token names a key the set does not have
 * (the issuer rotated its keys), at most once per cool-down, so that tokens with made-up key ids
 * cannot make the server hammer an issuer.
 *
 * Only issuers the caller has already matched to an IAM OIDC provider come here: an
 * administrator registered the URL, so the server never fetches a URL a token alone chose.
 */
import { performance } from 'node:perf_hooks'
import type { JSONWebKeySet } from 'jose'

/** Why an issuer's keys could not be had: the issuer could not be reached, or answered nonsense. */
export class IdpCommunicationError extends Error {
  override readonly name = 'IdpCommunicationError'
}

/** How a key source fetches and keeps keys. */
export interface OidcKeySourceOptions {
  /** How long a fetched key set is used without asking again; 10 minutes when absent. */
  readonly ttlMs?: number
  /** The least time between two fetches for one issuer; 30 seconds when absent. */
  readonly cooldownMs?: number
  /** How long one HTTP request may take; 5 seconds when absent. */
  readonly timeoutMs?: number
  /** The largest document accepted, in bytes; 512 KiB when absent. */
  readonly maxBytes?: number
  /** The HTTP client; the global fetch when absent. */
  readonly fetch?: typeof fetch
  /** A monotonic clock in milliseconds, for the cache; performance.now when absent. */
  readonly monotonicNow?: () => number
}

/** An issuer's key set and when it was fetched. */
interface CachedKeys {
  readonly keys: JSONWebKeySet
  readonly fetchedAt: number
}

const DISCOVERY_PATH = '/.well-known/openid-configuration'

/**
 * Whether a URL's host is this machine's loopback interface. SECURITY: plain `http` is accepted
 * only there (a test issuer, or an issuer beside the server), where nobody on the network can
 * change what it serves; every other issuer is fetched over https with its certificate verified
 * against Node's CA store.
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase()
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

/** The URL of `text` if it may be fetched: https, or http on the loopback interface only. */
export function fetchableUrl(text: string): URL | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  if (url.username !== '' || url.password !== '') return undefined
  if (url.protocol === 'https:') return url
  return url.protocol === 'http:' && isLoopbackUrl(url) ? url : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** OpenID Connect issuers' key sets, fetched on demand and kept a short while. */
export class OidcKeySource {
  readonly #ttlMs: number
  readonly #cooldownMs: number
  readonly #timeoutMs: number
  readonly #maxBytes: number
  readonly #fetch: typeof fetch
  readonly #now: () => number
  readonly #cache = new Map<string, CachedKeys>()
  // Requests for one issuer that arrive while its keys are being fetched wait for that fetch.
  readonly #pending = new Map<string, Promise<CachedKeys>>()

  constructor(options: OidcKeySourceOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000
    this.#cooldownMs = options.cooldownMs ?? 30_000
    this.#timeoutMs = options.timeoutMs ?? 5_000
    this.#maxBytes = options.maxBytes ?? 512 * 1024
    this.#fetch = options.fetch ?? fetch
    this.#now = options.monotonicNow ?? (() => performance.now())
  }

  /**
   * The key set of `issuer` (the token's `iss`, exactly). With `refresh`, a set fetched longer
   * ago than the cool-down is fetched again: the caller found no key for its token in it.
   * Throws IdpCommunicationError when the issuer cannot be reached or serves no key set.
   */
  async keys(issuer: string, options: { readonly refresh?: boolean } = {}): Promise<JSONWebKeySet> {
    const cached = this.#cache.get(issuer)
    const age = cached === undefined ? Infinity : this.#now() - cached.fetchedAt
    const stale = age >= this.#ttlMs || (options.refresh === true && age >= this.#cooldownMs)
    if (cached !== undefined && !stale) return cached.keys
    let pending = this.#pending.get(issuer)
    if (pending === undefined) {
      pending = this.#fetchKeys(issuer).finally(() => this.#pending.delete(issuer))
      this.#pending.set(issuer, pending)
    }
    const fetched = await pending
    this.#cache.set(issuer, fetched)
    return fetched.keys
  }

  /** Forgets every issuer's keys (tests; an operator's reload). */
  clear(): void {
    this.#cache.clear()
  }

  async #fetchKeys(issuer: string): Promise<CachedKeys> {
    const base = fetchableUrl(issuer)
    if (base === undefined) {
      throw new IdpCommunicationError(`the issuer ${issuer} cannot be fetched over https`)
    }
    // Discovery appends its path to the issuer, without the issuer's trailing slash.
    const discoveryUrl = `${issuer.replace(/\/+$/, '')}${DISCOVERY_PATH}`
    const discovery = await this.#getJson(discoveryUrl)
    const jwksUri = isRecord(discovery) ? discovery['jwks_uri'] : undefined
    if (typeof jwksUri !== 'string') {
      throw new IdpCommunicationError(`${discoveryUrl} names no jwks_uri`)
    }
    const jwksUrl = fetchableUrl(jwksUri)
    // SECURITY: an issuer reached over plain http (loopback only) may not send us elsewhere over it.
    if (jwksUrl === undefined || (base.protocol === 'https:' && jwksUrl.protocol !== 'https:')) {
      throw new IdpCommunicationError(`${discoveryUrl} names a jwks_uri that is not https`)
    }
    const jwks = await this.#getJson(jwksUrl.href)
    if (!isRecord(jwks) || !Array.isArray(jwks['keys'])) {
      throw new IdpCommunicationError(`${jwksUrl.href} is not a JSON Web Key Set`)
    }
    return { keys: jwks as unknown as JSONWebKeySet, fetchedAt: this.#now() }
  }

  async #getJson(url: string): Promise<unknown> {
    let response: Response
    try {
      response = await this.#fetch(url, {
        headers: { accept: 'application/json' },
        // SECURITY: a redirect could lead off the registered issuer, or from https to http.
        redirect: 'error',
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
    } catch (err) {
      throw new IdpCommunicationError(`GET ${url} failed`, { cause: err })
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw new IdpCommunicationError(`GET ${url} answered HTTP ${response.status}`)
    }
    const text = await this.#readText(response, url)
    try {
      return JSON.parse(text) as unknown
    } catch (err) {
      throw new IdpCommunicationError(`GET ${url} did not answer JSON`, { cause: err })
    }
  }

  /** The body as text, refused past maxBytes without reading the rest. */
  async #readText(response: Response, url: string): Promise<string> {
    const declared = Number(response.headers.get('content-length') ?? '0')
    if (declared > this.#maxBytes) {
      await response.body?.cancel()
      throw new IdpCommunicationError(`GET ${url} answered more than ${this.#maxBytes} bytes`)
    }
    const body = response.body
    if (body === null) return ''
    const reader = body.getReader()
    const chunks: Uint8Array[] = []
    let size = 0
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        size += value.byteLength
        if (size > this.#maxBytes) {
          await reader.cancel()
          throw new IdpCommunicationError(`GET ${url} answered more than ${this.#maxBytes} bytes`)
        }
        chunks.push(value)
      }
    } catch (err) {
      if (err instanceof IdpCommunicationError) throw err
      throw new IdpCommunicationError(`GET ${url} failed while reading`, { cause: err })
    }
    return Buffer.concat(chunks).toString('utf8')
  }
}
