/**
 * Gatehouse in process for the tests of its own JSON endpoints (the workload API and the
 * container credentials endpoint): buildApp over a real SQLite store in memory, its trail in
 * memory, one account and its root key, a clock the test sets, and requests signed as clients
 * sign them (the test signer of test/auth) and sent through Fastify's inject. IAM calls (to set
 * up roles and users) go through the same app, as awsQuery.
 */
import { Writable } from 'node:stream'
import { buildApp } from '../../src/app.js'
import { SessionTokenKey } from '../../src/auth/session-token.js'
import type { EnforcementMode } from '../../src/config/config.js'
import { ensureAccount } from '../../src/startup/ensure-account.js'
import { generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { Store } from '../../src/store/store.js'
import type { TrailStore } from '../../src/store/trail-store.js'
import { epoch, signRequest } from '../auth/sigv4-signer.js'
import { ACCOUNT_ID, ROOT_KEY, formEncode } from './in-process.js'
import type { Credentials } from './in-process.js'

export { ACCOUNT_ID, ROOT_KEY }

/** A key to sign with, temporary or not. */
export interface SigningKey extends Credentials {
  readonly sessionToken?: string
}

/** An answer. */
export interface JsonReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>
  readonly body: string
  /** The body as JSON, or undefined when it is not JSON (an awsQuery XML answer). */
  readonly json: Record<string, unknown> | undefined
}

/** Gatehouse in process, with a clock the test moves. */
export interface WorkloadInProcess {
  readonly store: Store
  readonly trail: TrailStore
  readonly logText: () => string
  /** The server's time. */
  now(): Date
  /** Moves the server's clock (and the signing time) forward. */
  advance(seconds: number): void
  /** Signs and sends an awsQuery IAM or STS call. */
  aws(
    action: string,
    params?: Record<string, string>,
    options?: { readonly service?: 'iam' | 'sts'; readonly key?: SigningKey },
  ): Promise<JsonReply>
  /** Signs and sends a workload API call: POST /gatehouse/v1/<operation> with a JSON body. */
  api(
    operation: string,
    input?: unknown,
    options?: {
      readonly key?: SigningKey
      readonly service?: string
      readonly method?: string
      readonly rawBody?: string
    },
  ): Promise<JsonReply>
  /** GET on the container credentials endpoint, with `token` as the Authorization header. */
  credentials(token?: string, options?: { readonly method?: string }): Promise<JsonReply>
  /** Sends a request as given. */
  send(request: {
    readonly method: string
    readonly url: string
    readonly headers?: Record<string, string>
    readonly body?: string
  }): Promise<JsonReply>
  close(): Promise<void>
}

/** The time NOW is, in the signer's format. */
function signingTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')
}

const START = '20260315T120000Z'

/** Starts Gatehouse in process. */
export async function startWorkloadInProcess(
  options: { readonly enforcement?: EnforcementMode } = {},
): Promise<WorkloadInProcess> {
  let now = epoch(START)
  const store = openSqliteStore({
    filename: ':memory:',
    masterKey: generateMasterKey(),
    // The store stamps creation times with the server's clock.
    clock: () => new Date(now),
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
  let log = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log += chunk.toString('utf8')
      done()
    },
  })
  const trail = openSqliteTrailStore({ filename: ':memory:' })
  const app = buildApp({
    store,
    trail,
    sessionTokens: SessionTokenKey.generate(),
    keyUseFlushMs: 0,
    enforcement: options.enforcement ?? 'enforce',
    clock: () => new Date(now),
    logger: { level: 'info', stream },
  })
  await app.ready()

  const send: WorkloadInProcess['send'] = async (request) => {
    const response = await app.inject({
      method: request.method as 'GET',
      url: request.url,
      ...(request.headers === undefined ? {} : { headers: request.headers }),
      ...(request.body === undefined ? {} : { payload: request.body }),
    })
    let json: Record<string, unknown> | undefined
    try {
      json = JSON.parse(response.body) as Record<string, unknown>
    } catch {
      json = undefined
    }
    return { status: response.statusCode, headers: response.headers, body: response.body, json }
  }

  function signed(
    method: string,
    path: string,
    body: string,
    contentType: string,
    service: string,
    key: SigningKey,
  ): Promise<JsonReply> {
    const request = signRequest({
      form: 'header',
      time: signingTime(new Date(now)),
      method,
      path,
      headers: [['Content-Type', contentType]],
      body,
      service,
      accessKeyId: key.accessKeyId,
      secret: key.secretAccessKey,
      ...(key.sessionToken === undefined ? {} : { sessionToken: key.sessionToken }),
    })
    const headers: Record<string, string> = {}
    for (const [name, value] of request.headers) headers[name] = value
    return send({ method, url: path, headers, body })
  }

  return {
    store,
    trail,
    logText: () => log,
    now: () => new Date(now),
    advance(seconds) {
      now += seconds * 1000
    },
    aws(action, params = {}, callOptions = {}) {
      const service = callOptions.service ?? 'iam'
      const version = service === 'iam' ? '2010-05-08' : '2011-06-15'
      const body = formEncode({ Action: action, Version: version, ...params })
      return signed(
        'POST',
        '/',
        body,
        'application/x-www-form-urlencoded; charset=utf-8',
        service,
        callOptions.key ?? ROOT_KEY,
      )
    },
    api(operation, input = {}, callOptions = {}) {
      return signed(
        callOptions.method ?? 'POST',
        `/gatehouse/v1/${operation}`,
        callOptions.rawBody ?? JSON.stringify(input),
        'application/json',
        callOptions.service ?? 'gatehouse',
        callOptions.key ?? ROOT_KEY,
      )
    },
    credentials(token, credentialsOptions = {}) {
      return send({
        method: credentialsOptions.method ?? 'GET',
        url: '/gatehouse/v1/credentials',
        headers: token === undefined ? {} : { authorization: token },
      })
    },
    send,
    async close() {
      await app.close()
      await store.close()
      await trail.close()
    },
  }
}

/** A trust policy that lets the workload service assume a role, with an optional condition. */
export function workloadTrustPolicy(condition?: Record<string, unknown>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'workloads.gatehouse.local' },
        Action: 'sts:AssumeRole',
        ...(condition === undefined ? {} : { Condition: condition }),
      },
    ],
  })
}
