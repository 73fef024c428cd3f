/**
 * buildApp: the Gatehouse HTTP application, wired and ready, never listening (src/main.ts
 * listens; tests call it in process with `inject`). One endpoint serves every service: any path,
 * GET or POST, each request handed whole to the awsQuery pipeline.
 */
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import Fastify, { LogController } from 'fastify'
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { HeaderEntry } from './auth/sigv4/index.js'
import { AccessAdvisor } from './analysis/access-advisor.js'
import { AuthCache } from './auth/auth-cache.js'
import { DEFAULT_KEY_USE_FLUSH_MS, KeyUseRecorder } from './auth/key-use-recorder.js'
import { PolicyCompiler } from './auth/policy-compiler.js'
import { SessionTokenKey } from './auth/session-token.js'
import type { EnforcementMode } from './config/config.js'
import { AwsError } from './errors/aws-error.js'
import { toAwsError } from './errors/to-aws-error.js'
import { errorResponse, handleQueryRequest } from './http/query-pipeline.js'
import type { IncomingRequest, QueryResponse } from './http/query-pipeline.js'
import { AnswerBatcher } from './http/answer-batcher.js'
import { createApiServer } from './http/api-server.js'
import type { DirectRoute } from './http/api-server.js'
import { handleJsonRequest, isJsonProtocolRequest } from './http/json-pipeline.js'
import type { JsonPipelineDeps } from './http/json-pipeline.js'
import { registerWorkloadRoutes } from './http/workload-routes.js'
import { registerConsoleSignIn } from './http/console-sign-in.js'
import { registerWebIdentityIssuer } from './http/web-identity-issuer.js'
import type { AuditEvent } from './audit/audit-event.js'
import { buildTrailEvent } from './audit/build-trail-event.js'
import { TrailWriter } from './audit/trail-writer.js'
import type { DurableJournal } from './audit/trail-writer.js'
import type { TrailStore } from './store/trail-store.js'
import { FORM_LIMITS } from './protocol/query/form-limits.js'
import type { Store } from './store/store.js'

/** What the application is built from. */
export interface AppConfig {
  /** The store, opened by the caller, who also closes it after the app. */
  readonly store: Store
  /** `enforce` denies what the policies do not allow; `report-only` logs it and goes on. */
  readonly enforcement: EnforcementMode
  /** Fastify's logger option (pino): false for none, or `{ level, stream }`. */
  readonly logger?: FastifyServerOptions['logger']
  /** The server's clock; the real one when absent. */
  readonly clock?: () => Date
  /** Request ids; random UUIDs when absent. */
  readonly newRequestId?: () => string
  /** The SigV4 clock-skew window in ms; 5 minutes when absent. */
  readonly allowedSkewMs?: number
  /**
   * The key of session tokens (SessionTokenKey.fromMasterKey). When absent, a key of this app
   * alone: its tokens die with it (tests in process).
   */
  readonly sessionTokens?: SessionTokenKey
  /**
   * How long access-key uses are gathered before they are written (GetAccessKeyLastUsed); one
   * minute when absent, 0 to write each at once.
   */
  readonly keyUseFlushMs?: number
  /**
   * Other processes write to the same database (`--workers`): each request first asks the store
   * for their commits. Off for a server alone on its database, where the check (a file lock
   * taken and released) would cost every request for nothing.
   */
  readonly observeOtherWriters?: boolean
  /** The audit trail, opened by the caller, who closes it after the app. */
  readonly trail: TrailStore
  /** Whether every call is recorded in the trail (`--trail`); true when absent. */
  readonly recordTrail?: boolean
  /**
   * The trail's journal (src/store/sqlite/trail-journal.ts), opened and closed by the caller: a
   * call is answered once its record is in the journal, not after the trail's commit. Absent:
   * each response waits for the commit (tests in process).
   */
  readonly trailJournal?: DurableJournal
  /** The origin the server is reached at (`--public-url`): the base of the URLs it hands out. */
  readonly publicUrl?: string
}

function rawHeaders(raw: readonly string[]): HeaderEntry[] {
  const headers: HeaderEntry[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i] ?? '', raw[i + 1] ?? ''])
  return headers
}

function send(reply: FastifyReply, response: QueryResponse): FastifyReply {
  // As bytes: given text of a JSON type, Fastify would add `; charset=utf-8` to the
  // Content-Type, which AWS's awsJson answers do not carry.
  return reply
    .code(response.status)
    .headers(response.headers)
    .send(Buffer.from(response.body, 'utf8'))
}

/**
 * What `send` writes, on the direct path: the same status line, headers in order, and body.
 * `closing`: the server has begun to close, so the connection ends after this answer.
 */
function sendDirect(res: ServerResponse, response: QueryResponse, closing: boolean): void {
  // As a flat list of names and values, which Node takes as it is: an object spread with one
  // more member took V8's slow path on every call, and Node then walked it with for-in.
  const fields: string[] = []
  const headers = response.headers
  for (const name of Object.keys(headers)) fields.push(name, headers[name] as string)
  fields.push('content-length', String(Buffer.byteLength(response.body)))
  // Closing closed the idle connections only: one whose answer was still to come stays open
  // after it (kept alive) until the client or keepAliveTimeout (72 s) ends it, and the
  // server's close waits for it that long.
  if (closing) fields.push('connection', 'close')
  res.writeHead(response.status, fields)
  res.end(response.body)
}

/** Builds the application. It does not listen; `app.close()` does not close the store. */
export function buildApp(config: AppConfig): FastifyInstance {
  // The API's calls go from Node's server to the pipelines once they are wired (below).
  const route: DirectRoute = { direct: undefined, closing: false }
  const app = Fastify({
    serverFactory: (fastifyHandler, options) => createApiServer(fastifyHandler, options, route),
    logger: config.logger ?? false,
    // The form decoder holds query and body to FORM_LIMITS; a larger body stops here.
    bodyLimit: FORM_LIMITS.maxBytes,
    // Each request is logged once, by the pipeline, without its parameters or headers.
    logController: new LogController({ disableRequestLogging: true }),
    // Nothing logs through request.log (the pipelines log with the app's logger and their own
    // request id), so no child logger is made per request.
    childLoggerFactory: (logger) => logger,
    // Routing errors of Fastify's own (a malformed URL) get an AWS-shaped answer too.
    frameworkErrors: (err, _request, reply) => {
      sendError(reply, toAwsError(err))
    },
  })
  const clock = config.clock ?? (() => new Date())
  const newRequestId = config.newRequestId ?? randomUUID
  const cache = new AuthCache(config.store)
  const trail = config.trail
  // Every call's record is committed with those of the calls answered beside it (group commit).
  const writer = new TrailWriter(trail, {
    ...(config.trailJournal === undefined ? {} : { journal: config.trailJournal }),
    onStoreError: (err) => {
      // The records are in the journal: the next store to open it, or a lookup, appends them.
      app.log.error(
        { err },
        'the audit trail did not append journaled records (kept in the journal)',
      )
    },
  })
  const audit =
    config.recordTrail === false
      ? undefined
      : (event: AuditEvent): Promise<void> => writer.record(buildTrailEvent(event))
  const keyUses = new KeyUseRecorder(
    config.store,
    config.keyUseFlushMs ?? DEFAULT_KEY_USE_FLUSH_MS,
    app.log,
  )
  const accessAdvisor = new AccessAdvisor(config.store, trail, clock, app.log)
  const deps: JsonPipelineDeps = {
    store: config.store,
    accessAdvisor,
    compiler: new PolicyCompiler(),
    cache,
    sessionTokens: config.sessionTokens ?? SessionTokenKey.generate(),
    keyUses,
    observeOtherWriters: config.observeOtherWriters ?? false,
    trail,
    ...(audit === undefined ? {} : { audit }),
    enforcement: config.enforcement,
    clock,
    newRequestId,
    log: app.log,
    ...(config.allowedSkewMs === undefined ? {} : { allowedSkewMs: config.allowedSkewMs }),
    ...(config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl }),
  }

  function sendError(reply: FastifyReply, error: AwsError): FastifyReply {
    if (error.fault === 'server') app.log.error({ err: error.cause }, 'request failed')
    return send(reply, errorResponse(error, 'iam', newRequestId(), clock()))
  }

  // SECURITY: the signature covers the body's exact bytes, so no parser may touch them first.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body)
  })

  app.setErrorHandler((err, _request, reply) => sendError(reply, toAwsError(err)))
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new AwsError(
        'InvalidAction',
        `The HTTP method ${request.method} is not supported: send requests with POST or GET.`,
      ),
    ),
  )

  // awsJson requests name their operation in X-Amz-Target; awsQuery ones in Action.
  const answer = (incoming: IncomingRequest): Promise<QueryResponse> =>
    isJsonProtocolRequest(incoming.headers)
      ? handleJsonRequest(deps, incoming)
      : handleQueryRequest(deps, incoming)

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const url = request.raw.url ?? '/'
    const q = url.indexOf('?')
    const body = request.body
    const response = await answer({
      method: request.method,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: rawHeaders(request.raw.rawHeaders),
      body: body instanceof Uint8Array ? body : new Uint8Array(0),
      sourceIp: request.ip,
      secure: request.protocol === 'https',
    })
    return send(reply, response)
  }
  // A connection that has gone takes its answer without a throw; a throw is a fault in the
  // answer itself (a header Node refuses, say), whose client would otherwise wait for ever.
  const answerFailed = (res: ServerResponse, err: unknown): void => {
    app.log.error({ err }, 'an answer could not be written')
    res.destroy()
  }
  // The batcher guards its own writes the same way.
  const writeAnswer = (res: ServerResponse, response: QueryResponse): void => {
    try {
      sendDirect(res, response, route.closing)
    } catch (err) {
      answerFailed(res, err)
    }
  }
  // Without the trail nothing else makes a turn's answers leave together (see AnswerBatcher).
  const batcher =
    audit === undefined
      ? new AnswerBatcher<readonly [ServerResponse, QueryResponse]>(
          ([res, response]) => sendDirect(res, response, route.closing),
          (err, [res]) => answerFailed(res, err),
        )
      : undefined
  const sendAnswer = (res: ServerResponse, response: QueryResponse): void => {
    if (batcher === undefined) writeAnswer(res, response)
    else batcher.add([res, response])
  }
  // POST / as Fastify would hand it to `handler` (src/http/api-server.ts): the pipelines answer
  // every error of their own; what escapes them gets what Fastify's error handler would send.
  route.direct = (req, body, res) => {
    let answered: Promise<QueryResponse>
    try {
      answered = answer({
        method: 'POST',
        path: '/',
        query: '',
        headers: rawHeaders(req.rawHeaders),
        body,
        // Fastify's request.ip and request.protocol, without a proxy to trust.
        sourceIp: req.socket.remoteAddress as string,
        secure: (req.socket as { encrypted?: boolean }).encrypted === true,
      })
    } catch (err) {
      // Called from the body stream's 'end': a throw here would stop the process.
      answered = Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
    answered.then(
      (response) => sendAnswer(res, response),
      (err: unknown) => {
        const error = toAwsError(err)
        if (error.fault === 'server') app.log.error({ err: error.cause }, 'request failed')
        sendAnswer(res, errorResponse(error, 'iam', newRequestId(), clock()))
      },
    )
  }
  // Fastify ends the connection of a request that arrives once the close has begun, not of one
  // it had already taken: as on the direct path (sendDirect), that one's answer ends it.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (route.closing) void reply.header('connection', 'close')
    done(null, payload)
  })
  // From here on Fastify answers 503 and closes the connection; so it takes every request.
  app.addHook('preClose', (done) => {
    route.closing = true
    done()
  })
  // The cache listens to the store, which outlives the app: it must stop listening with it.
  app.addHook('onClose', async () => {
    cache.dispose()
    // Uses gathered so far are written before the store closes after the app.
    await keyUses.close()
    // Every record taken is written before the trail closes after the app.
    await writer.close()
    // Reports under way finish with their stores open.
    await accessAdvisor.close()
  })
  registerWorkloadRoutes(app, deps)
  registerConsoleSignIn(app, deps)
  registerWebIdentityIssuer(app, deps)
  app.route({ method: ['GET', 'POST'], url: '/', handler })
  app.route({ method: ['GET', 'POST'], url: '/*', handler })
  return app
}
