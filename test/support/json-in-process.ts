/**
 * The awsJson request path in process, for its tests: handleJsonRequest with the deps src/app.ts
 * builds for the awsQuery path, over the real SQLite IAM store of an in-process Gatehouse (whose
 * awsQuery calls make the users, keys and policies) and an in-memory audit trail (the port's
 * real implementation over an array). Requests are signed as clients sign them (the test signer
 * of test/auth). No port, no mock.
 */
import { AccessAdvisor } from '../../src/analysis/access-advisor.js'
import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import Fastify from 'fastify'
import type { AuditEvent } from '../../src/audit/audit-event.js'
import { AuthCache } from '../../src/auth/auth-cache.js'
import { KeyUseRecorder } from '../../src/auth/key-use-recorder.js'
import { PolicyCompiler } from '../../src/auth/policy-compiler.js'
import type { HeaderEntry } from '../../src/auth/sigv4/index.js'
import type { EnforcementMode } from '../../src/config/config.js'
import { handleJsonRequest } from '../../src/http/json-pipeline.js'
import type { JsonPipelineDeps } from '../../src/http/json-pipeline.js'
import type { TrailEvent, TrailResource } from '../../src/store/trail-store.js'
import { epoch, signRequest } from '../auth/sigv4-signer.js'
import { ACCOUNT_ID, NOW, ROOT_KEY, startInProcess } from './in-process.js'
import type { Credentials, InProcess } from './in-process.js'
import { MemoryTrailStore } from './memory-trail-store.js'

/** The X-Amz-Target of LookupEvents as SDK v3 sends it. */
export const LOOKUP_EVENTS_TARGET = 'CloudTrail_20131101.LookupEvents'

/** A response, its body read as JSON. */
export interface JsonReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The body parsed (undefined if it is not JSON). */
  readonly json: unknown
  /** For an error: its `__type` and `message`. */
  readonly error: { readonly code: string; readonly message: string } | undefined
}

/** How to send one call. */
export interface JsonCallOptions {
  readonly key?: Credentials
  /** The credential scope's service; cloudtrail unless given. */
  readonly service?: string
  /** The signing time; NOW unless given. */
  readonly time?: string
  readonly region?: string
  readonly sessionToken?: string
  /** Headers to send besides the content type, the target and the signing ones. */
  readonly headers?: readonly HeaderEntry[]
  /** The X-Amz-Target; LookupEvents' unless given (null: none at all). */
  readonly target?: string | null
}

/** The awsJson path in process. */
export interface JsonInProcess {
  /** The awsQuery Gatehouse whose store the path authenticates and authorizes against. */
  readonly g: InProcess
  readonly trail: MemoryTrailStore
  readonly deps: JsonPipelineDeps
  /** What deps.audit received, in order. */
  readonly audited: AuditEvent[]
  /** Log lines written, parsed. */
  readonly logLines: Record<string, unknown>[]
  /** Signs and sends one call; `body` is sent as given if a string, else as its JSON. */
  call(body?: unknown, options?: JsonCallOptions): Promise<JsonReply>
  close(): Promise<void>
}

function reply(response: {
  status: number
  headers: Readonly<Record<string, string>>
  body: string
}): JsonReply {
  let json: unknown
  try {
    json = JSON.parse(response.body)
  } catch {
    json = undefined
  }
  let error: JsonReply['error']
  if (response.status !== 200 && typeof json === 'object' && json !== null) {
    const { __type: code, message } = json as { __type?: unknown; message?: unknown }
    if (typeof code === 'string' && typeof message === 'string') error = { code, message }
  }
  return { ...response, json, error }
}

/** Starts the awsJson path in process over a new in-process Gatehouse. */
export async function startJsonInProcess(
  options: { readonly enforcement?: EnforcementMode } = {},
): Promise<JsonInProcess> {
  const g = await startInProcess()
  const logLines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') logLines.push(JSON.parse(line) as Record<string, unknown>)
      }
      done()
    },
  })
  // A logger of the kind buildApp hands the pipelines (pino, through Fastify), never listening.
  const logger = Fastify({ logger: { level: 'info', stream } })
  const trail = new MemoryTrailStore()
  const audited: AuditEvent[] = []
  const cache = new AuthCache(g.store)
  const keyUses = new KeyUseRecorder(g.store, 0, logger.log)
  const deps: JsonPipelineDeps = {
    store: g.store,
    compiler: new PolicyCompiler(),
    cache,
    sessionTokens: g.sessionTokens,
    keyUses,
    observeOtherWriters: false,
    enforcement: options.enforcement ?? 'enforce',
    clock: () => new Date(epoch(NOW)),
    newRequestId: randomUUID,
    log: logger.log,
    trail,
    accessAdvisor: new AccessAdvisor(g.store, trail, () => new Date(epoch(NOW)), logger.log),
    audit: (event) => {
      audited.push(event)
      return Promise.resolve()
    },
  }

  return {
    g,
    trail,
    deps,
    audited,
    logLines,
    async call(body = {}, callOptions = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      const key = callOptions.key ?? ROOT_KEY
      const target = callOptions.target === undefined ? LOOKUP_EVENTS_TARGET : callOptions.target
      const signed = signRequest({
        form: 'header',
        time: callOptions.time ?? NOW,
        headers: [
          ['Content-Type', 'application/x-amz-json-1.1'],
          ...(target === null ? [] : ([['X-Amz-Target', target]] as const)),
          ...(callOptions.headers ?? []),
        ],
        body: text,
        service: callOptions.service ?? 'cloudtrail',
        region: callOptions.region ?? 'us-east-1',
        accessKeyId: key.accessKeyId,
        secret: key.secretAccessKey,
        ...(callOptions.sessionToken === undefined
          ? {}
          : { sessionToken: callOptions.sessionToken }),
      })
      return reply(
        await handleJsonRequest(deps, { ...signed, sourceIp: '127.0.0.1', secure: false }),
      )
    },
    async close() {
      cache.dispose()
      await keyUses.close()
      await logger.close()
      await trail.close()
      await g.close()
    },
  }
}

let eventCounter = 0

/** What a sample trail event may set; the rest is filled in. */
export interface SampleEvent {
  readonly eventName: string
  /** ISO 8601. */
  readonly time: string
  readonly accountId?: string | null
  readonly eventSource?: string
  readonly readOnly?: boolean
  readonly username?: string | null
  readonly accessKeyId?: string | null
  readonly resources?: readonly TrailResource[]
  readonly eventId?: string
}

/** A trail event with a CloudTrail record of its own (version 1.08, an IAM user's call). */
export function sampleEvent(spec: SampleEvent): TrailEvent {
  eventCounter += 1
  const eventId =
    spec.eventId ?? `00000000-0000-4000-8000-${eventCounter.toString().padStart(12, '0')}`
  const accountId = spec.accountId === undefined ? ACCOUNT_ID : spec.accountId
  const username = spec.username === undefined ? 'alice' : spec.username
  const accessKeyId = spec.accessKeyId === undefined ? 'AKIAEXAMPLEALICE0001' : spec.accessKeyId
  const eventSource = spec.eventSource ?? 'iam.amazonaws.com'
  const readOnly = spec.readOnly ?? /^(Get|List)/.test(spec.eventName)
  const eventTime = new Date(spec.time)
  const record = JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      ...(username === null ? {} : { userName: username }),
      ...(accountId === null ? {} : { accountId }),
      ...(accessKeyId === null ? {} : { accessKeyId }),
    },
    eventTime: eventTime.toISOString().replace('.000Z', 'Z'),
    eventSource,
    eventName: spec.eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'test',
    requestParameters: null,
    responseElements: null,
    requestID: randomUUID(),
    eventID: eventId,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    ...(accountId === null ? {} : { recipientAccountId: accountId }),
    eventCategory: 'Management',
  })
  return {
    eventId,
    eventTime,
    eventName: spec.eventName,
    eventSource,
    readOnly,
    username,
    accessKeyId,
    resources: spec.resources ?? [],
    accountId,
    record,
  }
}
