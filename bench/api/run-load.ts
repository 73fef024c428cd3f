/**
 * One timed run against one server: a fixed number of connections, each with one request in
 * flight, replaying a pre-signed request cycle; with autocannon, or with a connection per
 * request where the server closes every connection (autocannon's parser stops at the first
 * `Connection: close`).
 */
import { request } from 'node:http'
import autocannon from 'autocannon'
import { LoadRecorder } from './load-recorder.js'
import type { LoadDriver, LoadResult } from './load-recorder.js'

/** How to run. */
export interface LoadOptions {
  readonly url: string
  readonly connections: number
  readonly seconds: number
  readonly driver: LoadDriver
  /** Stops the run early (SIGINT). */
  readonly signal?: AbortSignal
}

/** Runs the load and resolves to what it measured. */
export function runLoad(requests: autocannon.Request[], options: LoadOptions): Promise<LoadResult> {
  return options.driver === 'autocannon'
    ? withAutocannon(requests, options)
    : withConnectionPerRequest(requests, options)
}

function withAutocannon(requests: autocannon.Request[], options: LoadOptions): Promise<LoadResult> {
  const recorder = new LoadRecorder('autocannon')
  return new Promise<LoadResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        pipelining: 1,
        requests,
      },
      (err, result) => {
        options.signal?.removeEventListener('abort', stop)
        if (err !== null) reject(err)
        else resolve(recorder.finish(result.errors))
      },
    )
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) =>
      recorder.response(status, ms),
    )
    const stop = (): void => instance.stop()
    if (options.signal?.aborted === true) stop()
    else options.signal?.addEventListener('abort', stop, { once: true })
  })
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
  requests: autocannon.Request[],
  options: LoadOptions,
): Promise<LoadResult> {
  const recorder = new LoadRecorder('connection-per-request')
  const deadline = performance.now() + options.seconds * 1_000
  const client = async (): Promise<void> => {
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
      const status = await sendFresh(options.url, req)
      if (status === undefined) recorder.error()
      else recorder.response(status, performance.now() - sent)
    }
  }
  await Promise.all(Array.from({ length: options.connections }, client))
  return recorder.finish()
}
