/**
 * Gatehouse's own endpoints beside the AWS APIs, mounted on the application by buildApp: the
 * container credentials endpoint (`GET /gatehouse/v1/credentials`) and the workload API
 * (`POST /gatehouse/v1/<Operation>`). Their paths are more specific than the AWS APIs' catch-all
 * route, so nothing else reaches them, and every method comes here to get a JSON answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { HeaderEntry } from '../auth/sigv4/index.js'
import {
  CONTAINER_CREDENTIALS_PATH,
  WORKLOAD_API_PREFIX,
} from '../services/workloads/workload-api-shapes.js'
import { handleContainerCredentialsRequest } from './container-credentials.js'
import type { IncomingRequest, PipelineDeps, QueryResponse } from './query-pipeline.js'
import { handleWorkloadApiRequest } from './workload-api.js'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']

function incoming(request: FastifyRequest): IncomingRequest {
  const url = request.raw.url ?? '/'
  const q = url.indexOf('?')
  const raw = request.raw.rawHeaders
  const headers: HeaderEntry[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i] ?? '', raw[i + 1] ?? ''])
  const body = request.body
  return {
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers,
    body: body instanceof Uint8Array ? body : new Uint8Array(0),
    sourceIp: request.ip,
    secure: request.protocol === 'https',
  }
}

function send(reply: FastifyReply, response: QueryResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body)
}

/** Mounts the container credentials endpoint and the workload API on `app`. */
export function registerWorkloadRoutes(app: FastifyInstance, deps: PipelineDeps): void {
  app.route({
    method: METHODS,
    url: CONTAINER_CREDENTIALS_PATH,
    handler: async (request, reply) =>
      send(reply, await handleContainerCredentialsRequest(deps, incoming(request))),
  })
  app.route({
    method: METHODS,
    url: `${WORKLOAD_API_PREFIX}:operation`,
    handler: async (request, reply) => {
      const { operation } = request.params as { readonly operation: string }
      return send(reply, await handleWorkloadApiRequest(deps, incoming(request), operation))
    },
  })
}
