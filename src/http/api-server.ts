/**
 * The HTTP server Fastify listens with, made here (Fastify's serverFactory) so that the API's
 * own calls skip Fastify's request handling. A POST to `/` with one of the Content-Types the AWS
 * SDKs, the CLI and boto3 send and a Content-Length within the body limit (every call they make)
 * goes from Node's server straight to `route.direct`, which hands it to the pipelines: Fastify's
 * routing, hooks, body parsing and reply cost about a sixteenth of a signed GetUser's
 * instructions on the request thread (`npm run bench:instructions`). Every other request (other
 * paths, methods and Content-Types, a chunked or oversized body, a server that is closing) goes
 * to Fastify as before, which answers the API's calls with the same bytes
 * (test/http/api-server.test.ts sends the same requests both ways).
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

/** Takes a request of the direct path once its body is read, and answers it on `res`. */
export type DirectHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void

/** Where the direct path goes, set once the application is wired. */
export interface DirectRoute {
  /** Until set, every request goes to Fastify. */
  direct: DirectHandler | undefined
  /**
   * Set when the application starts closing: Fastify then answers 503 and closes the
   * connection, and so every request goes to it.
   */
  closing: boolean
}

/** One of the numbers Fastify fills in before it calls a server factory. */
function numberOption(options: Readonly<Record<string, unknown>>, name: string): number {
  const value = options[name]
  if (typeof value !== 'number') throw new TypeError(`Fastify gave no number for ${name}`)
  return value
}

/**
 * The Content-Types the AWS SDKs and CLI send, as they send them. Fastify reads any valid one
 * as is; one not listed here (or not valid: Fastify answers 415) goes to Fastify.
 */
const DIRECT_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded',
  'application/x-amz-json-1.0',
  'application/x-amz-json-1.1',
])

/**
 * Whether `req` takes the direct path: what Fastify would hand whole to the API's route with
 * its body read as is. Node's parser has already refused a malformed or repeated Content-Length,
 * and the body it delivers is exactly that long, so Fastify's own body errors (too large, a
 * length that does not match) cannot arise here.
 */
function isDirect(req: IncomingMessage, bodyLimit: number): boolean {
  if (req.method !== 'POST' || req.url !== '/') return false
  const headers = req.headers
  const contentType = headers['content-type']
  if (contentType === undefined || !DIRECT_CONTENT_TYPES.has(contentType)) return false
  if (headers['transfer-encoding'] !== undefined) return false
  const length = headers['content-length']
  return length !== undefined && Number(length) <= bodyLimit
}

function readBody(req: IncomingMessage, res: ServerResponse, direct: DirectHandler): void {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    direct(req, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), res)
  })
  // The client went away before its body was whole: nobody is left to answer.
  req.on('error', () => res.destroy())
}

/**
 * Node's HTTP server as Fastify would make it (the same timeouts and limits), with the direct
 * path in front of Fastify's handler.
 */
export function createApiServer(
  fastifyHandler: (req: IncomingMessage, res: ServerResponse) => void,
  options: Readonly<Record<string, unknown>>,
  route: DirectRoute,
): Server {
  const bodyLimit = numberOption(options, 'bodyLimit')
  // Fastify's options.http (node:http's own server options) is never set here.
  const server = createServer((req, res) => {
    const direct = route.direct
    if (direct !== undefined && !route.closing && isDirect(req, bodyLimit)) {
      readBody(req, res, direct)
    } else {
      fastifyHandler(req, res)
    }
  })
  server.keepAliveTimeout = numberOption(options, 'keepAliveTimeout')
  server.requestTimeout = numberOption(options, 'requestTimeout')
  server.setTimeout(numberOption(options, 'connectionTimeout'))
  const maxRequestsPerSocket = numberOption(options, 'maxRequestsPerSocket')
  // Zero is Node's default (no limit), as Fastify treats it.
  if (maxRequestsPerSocket > 0) server.maxRequestsPerSocket = maxRequestsPerSocket
  return server
}
