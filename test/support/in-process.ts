/**
 * Gatehouse in process for the pipeline's tests: buildApp over a real SQLite store in memory,
 * with one account and its root key, and requests signed as clients sign them (the test signer
 * of test/auth) and sent through Fastify's inject. No port, no mock.
 */
import { Writable } from 'node:stream'
import { buildApp } from '../../src/app.js'
import { SessionTokenKey } from '../../src/auth/session-token.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { TrailStore } from '../../src/store/trail-store.js'
import type { EnforcementMode } from '../../src/config/config.js'
import { ensureAccount } from '../../src/startup/ensure-account.js'
import { generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'
import { epoch, signRequest } from '../auth/sigv4-signer.js'
import type { SignOptions } from '../auth/sigv4-signer.js'
import { childElements, parseStrictXml, textOf } from '../errors/strict-xml.js'
import type { XmlElement } from '../errors/strict-xml.js'

/** The account every in-process Gatehouse serves. */
export const ACCOUNT_ID = '123456789012'
/** Its root user's key. */
export const ROOT_KEY = {
  accessKeyId: 'AKIAROOTEXAMPLE00001',
  secretAccessKey: 'rootSecretExampleKey0000000000000000000000',
}
/** The server's clock, and the time requests are signed at unless a test says otherwise. */
export const NOW = '20260315T120000Z'

/** An access key to sign with. */
export interface Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** A response, its XML read. */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>
  readonly body: string
  readonly xml: XmlElement
  /** For an error: its `<Code>` and `<Message>`. */
  readonly error: { readonly code: string; readonly message: string } | undefined
}

/** How to send one call. */
export interface CallOptions {
  /** The credential scope's service; iam unless given. */
  readonly service?: string
  readonly key?: Credentials
  /** The signing time; NOW unless given. */
  readonly time?: string
  /** The Version parameter; the service's unless given (null: none). */
  readonly version?: string | null
  readonly form?: SignOptions['form']
  readonly region?: string
}

/** Gatehouse in process. */
export interface InProcess {
  readonly store: Store
  /** The key of its session tokens, which a second node of the same deployment shares. */
  readonly sessionTokens: SessionTokenKey
  /** Its audit trail, in memory: every call recorded. */
  readonly trail: TrailStore
  /** Log lines written, parsed (only when built with `captureLog`). */
  readonly logLines: Record<string, unknown>[]
  /** Signs and sends one awsQuery call. */
  call(action: string, params?: Record<string, string>, options?: CallOptions): Promise<Reply>
  /** Sends a request as given, signed or not. */
  send(request: {
    method: string
    url: string
    headers: Record<string, string>
    body?: string
  }): Promise<Reply>
  close(): Promise<void>
}

const VERSIONS: Readonly<Record<string, string>> = { iam: '2010-05-08', sts: '2011-06-15' }

/** The form encoding SDK v3 uses: RFC 3986, `%20` for a space. */
export function formEncode(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
}

function reply(status: number, headers: Reply['headers'], body: string): Reply {
  const xml = parseStrictXml(body)
  let error: Reply['error']
  if (xml.name === 'ErrorResponse') {
    const errorElement = childElements(xml).find((e) => e.name === 'Error')
    const field = (name: string) =>
      textOf(childElements(errorElement ?? xml).find((e) => e.name === name) ?? xml)
    error = { code: field('Code'), message: field('Message') }
  }
  return { status, headers, body, xml, error }
}

/** A SQLite store in memory with ACCOUNT_ID and its root key, as every in-process server has. */
export async function openAccountStore(): Promise<Store> {
  const store = openSqliteStore({
    filename: ':memory:',
    masterKey: generateMasterKey(),
    // A handler that opened a transaction inside its own would hang a server: here it fails.
    checkNesting: true,
  })
  await ensureAccount(
    store,
    {
      accountId: ACCOUNT_ID,
      rootAccessKeyId: ROOT_KEY.accessKeyId,
      rootSecretAccessKey: ROOT_KEY.secretAccessKey,
    },
    () => undefined,
  )
  return store
}

/** Starts Gatehouse in process. */
export async function startInProcess(
  options: { readonly enforcement?: EnforcementMode; readonly captureLog?: boolean } = {},
): Promise<InProcess> {
  const store = await openAccountStore()
  const logLines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') logLines.push(JSON.parse(line) as Record<string, unknown>)
      }
      done()
    },
  })
  const sessionTokens = SessionTokenKey.generate()
  const trail = openSqliteTrailStore({ filename: ':memory:' })
  const app = buildApp({
    store,
    trail,
    sessionTokens,
    // Each use written at once, so that a test reads the stamp its own call made.
    keyUseFlushMs: 0,
    enforcement: options.enforcement ?? 'enforce',
    clock: () => new Date(epoch(NOW)),
    logger: options.captureLog === true ? { level: 'info', stream } : false,
  })
  await app.ready()

  const send: InProcess['send'] = async (request) => {
    const response = await app.inject({
      method: request.method as 'GET' | 'POST',
      url: request.url,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
    })
    return reply(response.statusCode, response.headers, response.body)
  }

  return {
    store,
    sessionTokens,
    trail,
    logLines,
    send,
    async call(action, params = {}, callOptions = {}) {
      const service = callOptions.service ?? 'iam'
      const version =
        callOptions.version === undefined ? VERSIONS[service] : (callOptions.version ?? undefined)
      const form: Record<string, string> = { Action: action }
      if (version !== undefined) form['Version'] = version
      const body = formEncode({ ...form, ...params })
      const key = callOptions.key ?? ROOT_KEY
      const signed = signRequest({
        form: callOptions.form ?? 'header',
        time: callOptions.time ?? NOW,
        headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
        body,
        service,
        region: callOptions.region ?? 'us-east-1',
        accessKeyId: key.accessKeyId,
        secret: key.secretAccessKey,
      })
      const headers: Record<string, string> = {}
      for (const [name, value] of signed.headers) headers[name] = value
      return send({
        method: signed.method,
        url: signed.query === '' ? signed.path : `${signed.path}?${signed.query}`,
        headers,
        body,
      })
    },
    async close() {
      await app.close()
      await store.close()
    },
  }
}

/** The text of the element at `path` below `root` (names separated by `/`), or undefined. */
export function xmlText(root: XmlElement, path: string): string | undefined {
  let element: XmlElement | undefined = root
  for (const name of path.split('/')) {
    element =
      element === undefined ? undefined : childElements(element).find((e) => e.name === name)
  }
  return element === undefined ? undefined : textOf(element)
}

/** The elements at `path` below `root` (the last name may match several). */
export function xmlAll(root: XmlElement, path: string): XmlElement[] {
  const names = path.split('/')
  let elements: XmlElement[] = [root]
  for (const name of names) {
    elements = elements.flatMap((e) => childElements(e).filter((c) => c.name === name))
  }
  return elements
}

/** Creates a user (as root) and an access key for it; returns the key. */
export async function createUserWithKey(
  g: InProcess,
  userName: string,
  params: Record<string, string> = {},
): Promise<Credentials> {
  const created = await g.call('CreateUser', { UserName: userName, ...params })
  if (created.status !== 200) throw new Error(`CreateUser ${userName}: ${created.body}`)
  const key = await g.call('CreateAccessKey', { UserName: userName })
  const accessKeyId = xmlText(key.xml, 'CreateAccessKeyResult/AccessKey/AccessKeyId')
  const secretAccessKey = xmlText(key.xml, 'CreateAccessKeyResult/AccessKey/SecretAccessKey')
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error(`CreateAccessKey ${userName}: ${key.body}`)
  }
  return { accessKeyId, secretAccessKey }
}

/** A policy document allowing or denying `actions` on `resources`. */
export function policy(
  effect: 'Allow' | 'Deny',
  actions: string | string[],
  resources: string | string[] = '*',
  condition?: Record<string, unknown>,
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: effect,
        Action: actions,
        Resource: resources,
        ...(condition === undefined ? {} : { Condition: condition }),
      },
    ],
  })
}
