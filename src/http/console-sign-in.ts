/**
 * The console sign-in endpoint, `POST /console/sign-in`: the web console's way in, and no AWS
 * API (AWS's console signs in on its own pages). It takes a JSON object (src/services/signin/
 * sign-in-request.ts) and answers with temporary credentials of the user, as JSON:
 *
 *   {"Credentials": {"AccessKeyId": "ASIA...", "SecretAccessKey": "...", "SessionToken": "...",
 *                    "Expiration": "2026-03-16T00:00:00Z"},
 *    "User": {"AccountId": "...", "UserName": "...", "UserId": "AIDA...", "Arn": "..."},
 *    "MFAUsed": true, "PasswordChanged": false}
 *
 * or with an error `{"__type": "<Code>", "message": "..."}` whose status says what to do
 * (src/services/signin/sign-in-errors.ts); a lockout also says when to retry (Retry-After, in
 * seconds). Every answer forbids caching. Each sign-in that ends (success or failure, lockouts
 * included) is recorded in the audit trail as a ConsoleLogin event before the answer leaves;
 * one that asks for more (an MFA code, a new password) or is malformed is not. The log line
 * names neither the user nor anything the request held.
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuditEvent } from '../audit/audit-event.js'
import { CONSOLE_LOGIN } from '../audit/console-sign-in-event.js'
import { httpDate } from '../protocol/http-date.js'
import { isoSeconds } from '../protocol/iso-seconds.js'
import { toAwsError } from '../errors/to-aws-error.js'
import { decodeJson } from '../protocol/json/decode-json.js'
import { jsonErrorOf } from '../protocol/json/json-response.js'
import { JsonServiceError } from '../protocol/json/json-service-error.js'
import { ConsoleSignIn } from '../services/signin/console-sign-in.js'
import type { SignInOutcome, SignInSuccess } from '../services/signin/console-sign-in.js'
import { signInError } from '../services/signin/sign-in-errors.js'
import { readSignInRequest } from '../services/signin/sign-in-request.js'
import type { LockoutPolicy } from '../services/signin/sign-in-throttles.js'
import type { PipelineDeps } from './query-pipeline.js'

/** Where the endpoint is. */
export const CONSOLE_SIGN_IN_PATH = '/console/sign-in'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']

// A Host header as a URL may hold it: a name or an address, and a port.
const HOST = /^[A-Za-z0-9.:[\]-]{1,255}$/

/** What the endpoint answers with. */
interface Answer {
  readonly status: number
  /** The error's code, for the log line. */
  readonly code?: string
  readonly body: string
  readonly retryAfterSeconds?: number
}

function errorAnswer(error: JsonServiceError): Answer {
  return {
    status: error.status,
    code: error.code,
    body: JSON.stringify({ __type: error.code, message: error.message }),
  }
}

function successAnswer(success: SignInSuccess): Answer {
  const { credentials, user } = success
  return {
    status: 200,
    body: JSON.stringify({
      Credentials: {
        AccessKeyId: credentials.AccessKeyId,
        SecretAccessKey: credentials.SecretAccessKey,
        SessionToken: credentials.SessionToken,
        Expiration: isoSeconds(credentials.Expiration),
      },
      User: { AccountId: user.accountId, UserName: user.name, UserId: user.userId, Arn: user.arn },
      MFAUsed: success.mfaUsed,
      PasswordChanged: success.passwordChanged,
    }),
  }
}

function outcomeAnswer(outcome: SignInOutcome, now: Date): Answer {
  if (outcome.ok) return successAnswer(outcome.success)
  const answer = errorAnswer(outcome.error)
  if (outcome.retryAfter === undefined) return answer
  const seconds = Math.max(1, Math.ceil((outcome.retryAfter.getTime() - now.getTime()) / 1000))
  return { ...answer, retryAfterSeconds: seconds }
}

function firstHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Whether the body is declared JSON: `application/json`, with parameters or not. */
function isJson(request: FastifyRequest): boolean {
  const type = firstHeader(request, 'content-type') ?? ''
  return type.split(';')[0]?.trim().toLowerCase() === 'application/json'
}

/** Where the console of this server is, for a record whose request named no loginTo. */
function defaultLoginTo(request: FastifyRequest): string {
  const host = firstHeader(request, 'host') ?? ''
  const origin = HOST.test(host) ? host : 'localhost'
  return `${request.protocol === 'https' ? 'https' : 'http'}://${origin}/console/`
}

/**
 * Mounts the endpoint on `app`. Its path is more specific than the AWS APIs' catch-all route, so
 * every method comes here, and only POST signs in.
 */
export function registerConsoleSignIn(
  app: FastifyInstance,
  deps: PipelineDeps,
  lockout?: LockoutPolicy,
): void {
  const signIn = new ConsoleSignIn(deps, lockout)

  async function answer(request: FastifyRequest, requestId: string, now: Date): Promise<Answer> {
    if (request.method !== 'POST') {
      return errorAnswer(signInError('MethodNotAllowed', 'Sign in with POST.'))
    }
    if (!isJson(request)) {
      return errorAnswer(
        signInError('UnsupportedMediaType', 'Send the sign-in as JSON (application/json).'),
      )
    }
    const body = request.body instanceof Uint8Array ? request.body : new Uint8Array(0)
    const sourceIp = request.ip
    const userAgent = firstHeader(request, 'user-agent')
    const outcome = await signIn.signIn(readSignInRequest(decodeJson(body)), {
      now,
      sourceIp,
      secureTransport: request.protocol === 'https',
      userAgent,
      defaultLoginTo: defaultLoginTo(request),
    })
    if (outcome.audit !== undefined && deps.audit !== undefined) {
      const event: AuditEvent = {
        eventTime: now,
        requestId,
        eventId: randomUUID(),
        service: 'signin',
        action: CONSOLE_LOGIN,
        apiVersion: undefined,
        region: undefined,
        sourceIp,
        userAgent,
        caller: undefined,
        accessKeyId: undefined,
        // SECURITY: nothing the request held is recorded: no requestParameters.
        parameters: undefined,
        result: undefined,
        error: outcome.ok
          ? undefined
          : { code: outcome.error.code, message: outcome.error.message },
        readOnly: false,
        attempted: undefined,
        accountId: outcome.audit.accountId ?? undefined,
        consoleSignIn: outcome.audit,
      }
      // The record is durable before the answer leaves: no sign-in goes unrecorded.
      await deps.audit(event)
    }
    return outcomeAnswer(outcome, now)
  }

  async function handler(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const started = performance.now()
    const requestId = deps.newRequestId()
    const now = deps.clock()
    let result: Answer
    let failure: JsonServiceError | undefined
    try {
      // Commits of other server processes on the same database drop what the caches hold.
      if (deps.observeOtherWriters) deps.store.observeOtherWriters()
      result = await answer(request, requestId, now)
    } catch (err) {
      failure = err instanceof JsonServiceError ? err : jsonErrorOf(toAwsError(err))
      result = errorAnswer(failure)
    }
    const line = {
      requestId,
      service: 'signin',
      action: CONSOLE_LOGIN,
      status: result.status,
      ...(result.code === undefined ? {} : { code: result.code }),
      ms: Math.round((performance.now() - started) * 1000) / 1000,
    }
    if (failure?.fault === 'server') {
      deps.log.error({ ...line, err: failure.cause }, 'request failed')
    } else {
      deps.log.info(line, 'request')
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-amzn-requestid': requestId,
      date: httpDate(deps.clock()),
      // Credentials, and answers about them, are never kept by a cache on the way.
      'cache-control': 'no-store',
      pragma: 'no-cache',
    }
    if (result.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(result.retryAfterSeconds)
    }
    if (result.status === 405) headers['allow'] = 'POST'
    return reply.code(result.status).headers(headers).send(result.body)
  }

  app.route({ method: METHODS, url: CONSOLE_SIGN_IN_PATH, handler })
}
