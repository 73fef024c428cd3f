/**
 * The step both request paths (awsQuery, awsJson) share once a request is routed: its caller
 * authenticated, a long-term key's use noted for GetAccessKeyLastUsed, and the facts of the
 * request that the global condition keys are built from.
 */
import { authenticate } from '../auth/authenticate.js'
import type { Caller } from '../auth/caller.js'
import type { RequestFacts } from '../auth/context-keys.js'
import type { HeaderEntry, ParsedAuthorization } from '../auth/sigv4/index.js'
import type { IncomingRequest, PipelineDeps } from './query-pipeline.js'

/** The first value of a header (names compared without case). */
export function firstHeader(headers: readonly HeaderEntry[], name: string): string | undefined {
  // Only a name of the same length is lower-cased: most headers of a request are not.
  for (const [key, value] of headers) {
    if (key.length === name.length && key.toLowerCase() === name) return value
  }
  return undefined
}

/** An authenticated request: who signed it, and what it tells about itself. */
export interface AuthenticatedRequest {
  readonly caller: Caller
  readonly facts: RequestFacts
}

/** Authenticates `request` for `service`; throws AwsError as authenticate does. */
export async function authenticateRequest(
  deps: PipelineDeps,
  request: IncomingRequest,
  authorization: ParsedAuthorization,
  now: Date,
  service: string,
): Promise<AuthenticatedRequest> {
  const caller = await authenticate(deps.cache, {
    request,
    authorization,
    now,
    sessionTokens: deps.sessionTokens,
    allowedSkewMs: deps.allowedSkewMs,
  })
  if (caller.kind === 'user' || caller.kind === 'root') {
    deps.keyUses.record(caller.accessKeyId, {
      at: now,
      region: authorization.scope.region,
      service,
    })
  }
  return {
    caller,
    facts: {
      now,
      sourceIp: request.sourceIp,
      secureTransport: request.secure,
      region: authorization.scope.region,
      userAgent: firstHeader(request.headers, 'user-agent'),
    },
  }
}
