/**
 * Temporary credentials for the in-process tests: calls signed with a session token (as SDKs
 * sign them, X-Amz-Security-Token signed), roles made through the store as fixtures, and the
 * Credentials of an STS response read back.
 */
import { buildApp } from '../../src/app.js'
import type { NewRole } from '../../src/store/store.js'
import { epoch, signRequest } from '../auth/sigv4-signer.js'
import type { SignOptions } from '../auth/sigv4-signer.js'
import { childElements, parseStrictXml, textOf } from '../errors/strict-xml.js'
import { ACCOUNT_ID, NOW, ROOT_KEY, formEncode, xmlText } from './in-process.js'
import type { Credentials, InProcess, Reply } from './in-process.js'

/** Temporary credentials: a key, its secret and the session token. */
export interface SessionCredentials extends Credentials {
  readonly sessionToken: string
  readonly expiration: string
}

/** How to send one call with temporary (or any) credentials. */
export interface SessionCallOptions {
  /** iam unless given. */
  readonly service?: 'iam' | 'sts'
  readonly key: Credentials
  /** The token to send; the key's own when it has one, none when null. */
  readonly sessionToken?: string | null
  readonly time?: string
  readonly form?: SignOptions['form']
}

const VERSIONS = { iam: '2010-05-08', sts: '2011-06-15' } as const

/** A response read as in-process.ts reads it. */
function toReply(status: number, headers: Reply['headers'], body: string): Reply {
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

/** Signs and sends one awsQuery call, with the session token in the signature. */
export function callWith(
  g: InProcess,
  action: string,
  params: Record<string, string>,
  options: SessionCallOptions,
): Promise<Reply> {
  const service = options.service ?? 'iam'
  const body = formEncode({ Action: action, Version: VERSIONS[service], ...params })
  const token =
    options.sessionToken === null
      ? undefined
      : (options.sessionToken ??
        ('sessionToken' in options.key
          ? (options.key as SessionCredentials).sessionToken
          : undefined))
  const signed = signRequest({
    form: options.form ?? 'header',
    time: options.time ?? NOW,
    headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
    body,
    service,
    region: 'us-east-1',
    accessKeyId: options.key.accessKeyId,
    secret: options.key.secretAccessKey,
    ...(token === undefined ? {} : { sessionToken: token }),
  })
  return g.send({
    method: signed.method,
    url: signed.query === '' ? signed.path : `${signed.path}?${signed.query}`,
    headers: Object.fromEntries(signed.headers),
    body,
  })
}

/** An STS call with `key` (long-term or temporary). */
export function sts(
  g: InProcess,
  action: string,
  params: Record<string, string>,
  key: Credentials,
): Promise<Reply> {
  return callWith(g, action, params, { service: 'sts', key })
}

/** The Credentials of an AssumeRole, GetSessionToken or GetFederationToken response. */
export function credentialsOf(reply: Reply, action: string): SessionCredentials {
  const base = `${action}Result/Credentials`
  const accessKeyId = xmlText(reply.xml, `${base}/AccessKeyId`)
  const secretAccessKey = xmlText(reply.xml, `${base}/SecretAccessKey`)
  const sessionToken = xmlText(reply.xml, `${base}/SessionToken`)
  const expiration = xmlText(reply.xml, `${base}/Expiration`)
  if (
    accessKeyId === undefined ||
    secretAccessKey === undefined ||
    sessionToken === undefined ||
    expiration === undefined
  ) {
    throw new Error(`${action} returned no credentials: ${reply.body}`)
  }
  return { accessKeyId, secretAccessKey, sessionToken, expiration }
}

/** A trust policy letting `principals` (ARNs or account ids) assume the role. */
export function trustPolicy(
  principals: string | string[],
  actions: string | string[] = 'sts:AssumeRole',
  condition?: Record<string, unknown>,
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principals },
        Action: actions,
        ...(condition === undefined ? {} : { Condition: condition }),
      },
    ],
  })
}

/** Creates a role through the store (IAM's role operations are not the subject here). */
export async function createRole(
  g: InProcess,
  role: Omit<NewRole, 'accountId'> & { readonly accountId?: string },
  inline: Readonly<Record<string, string>> = {},
): Promise<{ arn: string; roleId: string }> {
  return g.store.transaction(async (tx) => {
    const created = await tx.createRole({ accountId: ACCOUNT_ID, ...role })
    for (const [name, document] of Object.entries(inline)) {
      await tx.putInlinePolicy(
        { kind: 'role', accountId: created.accountId, name: created.name },
        name,
        document,
      )
    }
    return { arn: created.arn, roleId: created.roleId }
  })
}

/** A second Gatehouse on the same store, with a clock the test moves. */
export interface SecondNode {
  readonly node: InProcess
  /** Sets the node's clock, `YYYYMMDDTHHMMSSZ`. */
  setTime(time: string): void
}

/**
 * Builds a second app over `g`'s store, as a second node of one deployment would run: it
 * accepts the tokens `g` issues (both have the deployment's token key), and its
 * clock is the test's to move.
 */
export async function startSecondNode(g: InProcess, time: string = NOW): Promise<SecondNode> {
  let now = epoch(time)
  const app = buildApp({
    store: g.store,
    trail: g.trail,
    sessionTokens: g.sessionTokens,
    enforcement: 'enforce',
    clock: () => new Date(now),
  })
  await app.ready()
  const send: InProcess['send'] = async (request) => {
    const response = await app.inject({
      method: request.method as 'GET' | 'POST',
      url: request.url,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
    })
    return toReply(response.statusCode, response.headers, response.body)
  }
  const node: InProcess = {
    store: g.store,
    sessionTokens: g.sessionTokens,
    trail: g.trail,
    logLines: [],
    send,
    call: (action, params = {}, options = {}) =>
      callWith({ ...node, send }, action, params, {
        service: (options.service as 'iam' | 'sts' | undefined) ?? 'iam',
        key: options.key ?? ROOT_KEY,
        ...(options.time === undefined ? {} : { time: options.time }),
      }),
    close: () => app.close(),
  }
  return {
    node,
    setTime(next) {
      now = epoch(next)
    },
  }
}
