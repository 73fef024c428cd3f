/**
 * One timed run against one server: a fixed number of connections, each with one request in
 * flight, replaying a pre-signed request cycle; with autocannon, or with a connection per
 * request where the server closes every connection (autocannon's parser stops at the first
 * `Connection: close`). A server of several nodes gets a share of the connections on each, all
 * recorded together, so its figures are those of the whole.
 */
import { request } from 'node:http'
import autocannon from 'autocannon'
import { LoadRecorder } from './load-recorder.js'
import type { LoadDriver, LoadResult } from './load-recorder.js'

/** One node of the server and its share of the load. */
export interface LoadTarget {
  readonly url: string
  /** The cycle its connections replay, signed for it. */
  readonly requests: autocannon.Request[]
  readonly connections: number
}

/** How to run. */
export interface LoadOptions {
  readonly seconds: number
  readonly driver: LoadDriver
  /** Stops the run early (SIGINT). */
  readonly signal?: AbortSignal
}

/** Runs the load on every target at once and resolves to what it measured over all of them. */
export function runLoad(targets: readonly LoadTarget[], options: LoadOptions): Promise<LoadResult> {
  return options.driver === 'autocannon'
    ? withAutocannon(targets, options)
    : withConnectionPerRequest(targets, options)
}

/** One autocannon instance per target, all reporting their responses to one recorder. */
async function withAutocannon(
  targets: readonly LoadTarget[],
  options: LoadOptions,
): Promise<LoadResult> {
  const recorder = new LoadRecorder('autocannon')
  const instances: autocannon.Instance[] = []
  const stop = (): void => {
    for (const instance of instances) instance.stop()
  }
  const runs = targets.map(
    (target) =>
      new Promise<number>((resolve, reject) => {
        const instance = autocannon(
          {
            url: target.url,
            connections: target.connections,
            duration: options.seconds,
            timeout: 10,
            pipelining: 1,
            requests: target.requests,
          },
          (err, result) => {
            if (err !== null) reject(err)
            else resolve(result.errors)
          },
        )
        instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) =>
          recorder.response(status, ms),
        )
        instances.push(instance)
      }),
  )
  if (options.signal?.aborted === true) stop()
  else options.signal?.addEventListener('abort', stop, { once: true })
  try {
    const errors = await Promise.all(runs)
    return recorder.finish(errors.reduce((sum, n) => sum + n, 0))
  } catch (err) {
    stop()
    throw err
  } finally {
    options.signal?.removeEventListener('abort', stop)
  }
}

/** Sends one request on a new connection; resolves to its status, or undefined on an error. */
function sendFresh(url: string, req: autocannon.Request): Promise<number | undefined> {
  const body = req.body ?? ''
  return new Promise((resolve) => {
    const out = request(
      `${url}${req.path ?? '/'}`,
      {
        method: req.method ?? 'GET',
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        res.on('data', () => undefined)
        res.on('end', () => resolve(res.statusCode))
        res.on('error', () => resolve(undefined))
      },
    )
    out.on('timeout', () => out.destroy())
    out.on('error', () => resolve(undefined))
    out.end(body)
  })
}

/**
 * The same cycle autocannon replays (setupRequest with a context per connection, reset when
 * the cycle starts over), each request on a new connection.
 */
async function withConnectionPerRequest(
  targets: readonly LoadTarget[],
  options: LoadOptions,
): Promise<LoadResult> {
  const recorder = new LoadRecorder('connection-per-request')
  const deadline = performance.now() + options.seconds * 1_000
  const client = async ({ url, requests }: LoadTarget): Promise<void> => {
    let context: Record<string, unknown> = {}
    let index = 0
    while (performance.now() < deadline && options.signal?.aborted !== true) {
      if (index === requests.length) {
        index = 0
        context = {}
      }
      const template = requests[index++] as autocannon.Request
      const req = template.setupRequest?.({ ...template }, context) ?? template
      const sent = performance.now()
      const status = await sendFresh(url, req)
      if (status === undefined) recorder.error()
      else recorder.response(status, performance.now() - sent)
    }
  }
  await Promise.all(
    targets.flatMap((target) => Array.from({ length: target.connections }, () => client(target))),
  )
  return recorder.finish()
}
