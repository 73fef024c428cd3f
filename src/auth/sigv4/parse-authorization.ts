/**
 * parseAuthorization: where a request carries its SigV4 signature (the Authorization header, or
 * the query parameters of a presigned request) and what it says, or AWS's error for a request
 * that carries none or a malformed one.
 *
 * The messages are AWS's where AWS's are known (quoted from real IAM, STS and other query-API
 * responses, cited beside each); the others are written in AWS's manner and say so.
 */
import {
  ALGORITHM,
  MAX_PRESIGNED_EXPIRES_SECONDS,
  MISSING_AUTHENTICATION_TOKEN_MESSAGE,
  QUERY_PARAMETER as QP,
  SCOPE_TERMINATOR,
} from './constants.js'
import { formatAmzDate } from './format-amz-date.js'
import { parseAmzDate } from './parse-amz-date.js'
import { parseHttpDate } from './parse-http-date.js'
import { parseQuery } from './parse-query.js'
import type { QueryParameter } from './parse-query.js'
import type { HeaderEntry, SignedRequest } from './signed-request.js'
import type { SigV4Error } from './sigv4-error.js'

/** The credential scope's date (`YYYYMMDD`), region and service, as the request names them. */
export interface CredentialScope {
  readonly date: string
  readonly region: string
  readonly service: string
}

/** What a well-formed SigV4 authorization says. */
export interface ParsedAuthorization {
  /** `header`: the Authorization header; `query`: a presigned request's query parameters. */
  readonly form: 'header' | 'query'
  readonly accessKeyId: string
  readonly scope: CredentialScope
  /** `date/region/service/aws4_request`, as it goes into the string to sign. */
  readonly credentialScope: string
  /** The SignedHeaders list as sent, split at `;`. */
  readonly signedHeaders: readonly string[]
  /** The SignedHeaders value exactly as sent, as it goes into the canonical request. */
  readonly signedHeadersText: string
  readonly signature: string
  /** The request time in ISO 8601 basic format, as it goes into the string to sign. */
  readonly requestDateTime: string
  /** The request time in epoch milliseconds. */
  readonly requestTime: number
  /** A presigned request's X-Amz-Expires, in seconds, when it has one. */
  readonly expiresSeconds?: number
  /** The session token of temporary credentials (X-Amz-Security-Token), when there is one. */
  readonly securityToken?: string
}

/** The outcome of parseAuthorization. */
export type ParseAuthorizationResult =
  | { readonly ok: true; readonly authorization: ParsedAuthorization }
  | { readonly ok: false; readonly error: SigV4Error }

// The parameters a presigned request must carry, in the order their absence is reported.
const REQUIRED_QUERY = [QP.algorithm, QP.credential, QP.date, QP.signedHeaders, QP.signature]
// The query parameters that hold authentication: each may appear once at most.
const AUTH_QUERY: ReadonlySet<string> = new Set(Object.values(QP))

type Failure = Extract<ParseAuthorizationResult, { readonly ok: false }>

function fail(code: SigV4Error['code'], message: string): Failure {
  return { ok: false, error: { code, message } }
}

// IAM and STS: https://github.com/hashicorp/vault/issues/2277, and
// https://github.com/kubernetes-sigs/aws-iam-authenticator/issues/374.
function credentialMessage(credential: string): string {
  return `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`
}

// CloudFront, API Gateway and others, e.g. https://github.com/aws/chalice/issues/828.
function isoDateMessage(value: string): string {
  return `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`
}

// Gatehouse's wording: AWS's for an unsupported algorithm is not on record.
function algorithmMessage(algorithm: string): string {
  return `Unsupported algorithm '${algorithm}': only ${ALGORITHM} is accepted`
}

// e.g. https://github.com/aws/aws-sdk-php/issues/2469.
const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."

type ScopeResult =
  | { readonly ok: true; readonly accessKeyId: string; readonly scope: CredentialScope }
  | { readonly ok: false; readonly result: ParseAuthorizationResult }

function parseCredential(credential: string): ScopeResult {
  const parts = credential.split('/')
  if (parts.length !== 5) {
    return { ok: false, result: fail('IncompleteSignature', credentialMessage(credential)) }
  }
  const [accessKeyId, date, region, service, terminator] = parts as [
    string,
    string,
    string,
    string,
    string,
  ]
  if (terminator !== SCOPE_TERMINATOR) {
    // The wording of the IAM User Guide's SigV4 troubleshooting page.
    return {
      ok: false,
      result: fail(
        'SignatureDoesNotMatch',
        `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator}'.`,
      ),
    }
  }
  return { ok: true, accessKeyId, scope: { date, region, service } }
}

function hasSigned(signedHeaders: readonly string[], lowerName: string): boolean {
  return signedHeaders.some((name) => name.toLowerCase() === lowerName)
}

/** A SignedHeaders list read once: its names, and whether it signs the headers checked here. */
interface SignedHeaderList {
  readonly names: readonly string[]
  readonly host: boolean
  readonly amzDate: boolean
  readonly date: boolean
}

// A client signs the same few lists on every call: each is split and checked once. Bounded, and
// emptied when full, so that made-up lists cost speed, never memory.
const SIGNED_HEADER_LISTS = new Map<string, SignedHeaderList>()
const MAX_SIGNED_HEADER_LISTS = 256

function signedHeaderList(text: string): SignedHeaderList {
  let list = SIGNED_HEADER_LISTS.get(text)
  if (list === undefined) {
    // Frozen: every request with this list shares the one array.
    const names = Object.freeze(text.split(';'))
    list = {
      names,
      host: hasSigned(names, 'host'),
      amzDate: hasSigned(names, 'x-amz-date'),
      date: hasSigned(names, 'date'),
    }
    if (SIGNED_HEADER_LISTS.size >= MAX_SIGNED_HEADER_LISTS) SIGNED_HEADER_LISTS.clear()
    SIGNED_HEADER_LISTS.set(text, list)
  }
  return list
}

/** The headers the authorization is read from; repeats joined as SigV4 joins them. */
interface AuthorizationHeaders {
  /** Every Authorization value as received, joined with `,`. */
  authorization: string | undefined
  /** The others trimmed, then joined with `,`. */
  amzDate: string | undefined
  date: string | undefined
  securityToken: string | undefined
}

function joinTrimmed(joined: string | undefined, value: string): string {
  return joined === undefined ? value.trim() : `${joined},${value.trim()}`
}

// One pass over the headers for the four that matter here, names compared without case.
function readHeaders(headers: readonly HeaderEntry[]): AuthorizationHeaders {
  const found: AuthorizationHeaders = {
    authorization: undefined,
    amzDate: undefined,
    date: undefined,
    securityToken: undefined,
  }
  for (const [name, value] of headers) {
    switch (name.toLowerCase()) {
      case 'authorization':
        found.authorization =
          found.authorization === undefined ? value : `${found.authorization},${value}`
        break
      case 'x-amz-date':
        found.amzDate = joinTrimmed(found.amzDate, value)
        break
      case 'date':
        found.date = joinTrimmed(found.date, value)
        break
      case 'x-amz-security-token':
        found.securityToken = joinTrimmed(found.securityToken, value)
        break
    }
  }
  return found
}

/** The Authorization header's algorithm and the parameters that matter, each when present. */
interface HeaderParameters {
  readonly ok: true
  readonly algorithm: string
  readonly credential: string | undefined
  readonly signature: string | undefined
  readonly signedHeadersText: string | undefined
}

// The form the SDKs send: the algorithm, one space, then the three parameters in this order
// separated by `, `, no value holding whitespace or a comma. Such a header reads exactly as the
// general split below reads it, in one match instead of a split, a map and a string per piece.
const SDK_FORM = /^(\S+) Credential=([^\s,]*), SignedHeaders=([^\s,]*), Signature=([^\s,]*)$/

function readParameters(authorization: string): HeaderParameters | Failure {
  const sdk = SDK_FORM.exec(authorization)
  if (sdk !== null) {
    return {
      ok: true,
      algorithm: sdk[1] as string,
      credential: sdk[2] as string,
      signedHeadersText: sdk[3] as string,
      signature: sdk[4] as string,
    }
  }

  const trimmed = authorization.trim()
  const space = trimmed.search(/\s/)
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space)
  const rest = space < 0 ? '' : trimmed.slice(space + 1)

  // AWS splits the parameters at commas and at whitespace alike: a stray space inside the
  // Credential value yields its "not a valid key=value pair" error for the part after the space
  // (https://github.com/aws/aws-sdk-go/issues/289).
  const fields = new Map<string, string>()
  for (const piece of rest.split(/[\s,]+/)) {
    if (piece === '') continue
    const eq = piece.indexOf('=')
    if (eq < 0) {
      return fail(
        'IncompleteSignature',
        `'${piece}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
      )
    }
    const key = piece.slice(0, eq)
    // SECURITY: a repeated parameter could be read one way here and another way by a proxy.
    if (fields.has(key)) {
      return fail(
        'IncompleteSignature',
        `Authorization header has more than one '${key}' parameter. Authorization=${authorization}`,
      )
    }
    fields.set(key, piece.slice(eq + 1))
  }
  return {
    ok: true,
    algorithm,
    credential: fields.get('Credential'),
    signature: fields.get('Signature'),
    signedHeadersText: fields.get('SignedHeaders'),
  }
}

function parseHeaderForm(
  authorization: string,
  headers: AuthorizationHeaders,
): ParseAuthorizationResult {
  const parameters = readParameters(authorization)
  if (!parameters.ok) return parameters
  const { algorithm, credential, signature, signedHeadersText } = parameters

  const amzDate = headers.amzDate
  const httpDate = amzDate === undefined ? headers.date : undefined
  if (
    credential === undefined ||
    signature === undefined ||
    signedHeadersText === undefined ||
    (amzDate === undefined && httpDate === undefined)
  ) {
    // AWS lists every missing part, then echoes the header
    // (https://github.com/aws/chalice/issues/828, https://github.com/brendanhay/amazonka/issues/316).
    const missing: string[] = []
    if (credential === undefined)
      missing.push("Authorization header requires 'Credential' parameter.")
    if (signature === undefined)
      missing.push("Authorization header requires 'Signature' parameter.")
    if (signedHeadersText === undefined) {
      missing.push("Authorization header requires 'SignedHeaders' parameter.")
    }
    if (amzDate === undefined && httpDate === undefined) {
      missing.push(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      )
    }
    return fail('IncompleteSignature', `${missing.join(' ')} Authorization=${authorization}`)
  }
  if (algorithm !== ALGORITHM) return fail('IncompleteSignature', algorithmMessage(algorithm))

  const parsedScope = parseCredential(credential)
  if (!parsedScope.ok) return parsedScope.result
  const signed = signedHeaderList(signedHeadersText)
  const signedHeaders = signed.names
  if (!signed.host) return fail('IncompleteSignature', HOST_NOT_SIGNED)

  // The date comes from X-Amz-Date, else from Date, and whichever it is must be signed (IAM User
  // Guide: "If you include a date or x-amz-date header, you must also include that header in the
  // list of signed headers"); otherwise a captured request could be replayed with a new date.
  let requestTime: number | undefined
  if (amzDate !== undefined) {
    if (!signed.amzDate) {
      return fail(
        'IncompleteSignature',
        "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
      )
    }
    requestTime = parseAmzDate(amzDate)
    if (requestTime === undefined) return fail('IncompleteSignature', isoDateMessage(amzDate))
  } else {
    const date = httpDate ?? ''
    if (!signed.date) {
      return fail(
        'IncompleteSignature',
        "'Date' must be a 'SignedHeader' in the AWS Authorization.",
      )
    }
    requestTime = parseHttpDate(date)
    if (requestTime === undefined) {
      return fail(
        'IncompleteSignature',
        `Date header must be an RFC 7231 HTTP-date or in ISO-8601 'basic format'. Got '${date}'.`,
      )
    }
  }

  const securityToken = headers.securityToken
  return {
    ok: true,
    authorization: {
      form: 'header',
      accessKeyId: parsedScope.accessKeyId,
      scope: parsedScope.scope,
      credentialScope: credential.slice(credential.indexOf('/') + 1),
      signedHeaders,
      signedHeadersText,
      signature,
      // The string to sign carries the time in the basic format even when Date gave it; an
      // X-Amz-Date that parsed is that format already, to the character.
      requestDateTime: amzDate ?? formatAmzDate(requestTime),
      requestTime,
      ...(securityToken === undefined ? {} : { securityToken }),
    },
  }
}

function parseQueryForm(params: readonly QueryParameter[]): ParseAuthorizationResult {
  const auth = new Map<string, string>()
  for (const p of params) {
    if (!AUTH_QUERY.has(p.name)) continue
    // SECURITY: as for the header form, a repeated authentication parameter is ambiguous.
    if (auth.has(p.name)) {
      return fail(
        'IncompleteSignature',
        `AWS query-string parameter '${p.name}' appears more than once. Re-examine the query-string parameters.`,
      )
    }
    auth.set(p.name, p.value)
  }
  const missing = REQUIRED_QUERY.filter((name) => !auth.has(name))
  if (missing.length > 0) {
    // The wording of AWS's query APIs for a presigned request that lacks a parameter.
    const lines = missing.map((name) => `AWS query-string parameters must include '${name}'.`)
    return fail('IncompleteSignature', `${lines.join(' ')} Re-examine the query-string parameters.`)
  }
  const get = (name: string): string => auth.get(name) ?? ''

  const algorithm = get(QP.algorithm)
  if (algorithm !== ALGORITHM) return fail('IncompleteSignature', algorithmMessage(algorithm))
  const credential = get(QP.credential)
  const parsedScope = parseCredential(credential)
  if (!parsedScope.ok) return parsedScope.result
  const signedHeadersText = get(QP.signedHeaders)
  const signed = signedHeaderList(signedHeadersText)
  const signedHeaders = signed.names
  if (!signed.host) return fail('IncompleteSignature', HOST_NOT_SIGNED)
  const amzDate = get(QP.date)
  const requestTime = parseAmzDate(amzDate)
  if (requestTime === undefined) return fail('IncompleteSignature', isoDateMessage(amzDate))

  let expiresSeconds: number | undefined
  const expires = auth.get(QP.expires)
  if (expires !== undefined) {
    // S3's wording, the one AWS service that documents these limits.
    if (!/^\d+$/.test(expires)) {
      return fail('IncompleteSignature', 'X-Amz-Expires should be a number')
    }
    expiresSeconds = Number(expires)
    if (expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
      return fail(
        'IncompleteSignature',
        `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGNED_EXPIRES_SECONDS} seconds`,
      )
    }
  }

  const securityToken = auth.get(QP.securityToken)
  return {
    ok: true,
    authorization: {
      form: 'query',
      accessKeyId: parsedScope.accessKeyId,
      scope: parsedScope.scope,
      credentialScope: credential.slice(credential.indexOf('/') + 1),
      signedHeaders,
      signedHeadersText,
      signature: get(QP.signature),
      requestDateTime: amzDate,
      requestTime,
      ...(expiresSeconds === undefined ? {} : { expiresSeconds }),
      ...(securityToken === undefined ? {} : { securityToken }),
    },
  }
}

/**
 * Finds the request's SigV4 authorization and checks its form: an Authorization header, or a
 * presigned query carrying X-Amz-Algorithm, X-Amz-Credential or X-Amz-Signature. Both at once is
 * refused, as AWS documents ("You can't add authentication information using both"); neither is
 * MissingAuthenticationToken. It checks neither the signature nor the time: verifySignature does.
 */
export function parseAuthorization(
  request: Pick<SignedRequest, 'headers' | 'query'>,
): ParseAuthorizationResult {
  const headers = readHeaders(request.headers)
  const authorization = headers.authorization
  const params = parseQuery(request.query)
  const presigned = params.some(
    (p) => p.name === QP.algorithm || p.name === QP.credential || p.name === QP.signature,
  )
  if (authorization !== undefined && presigned) {
    // S3's wording; the IAM User Guide states the rule without giving AWS's message.
    return fail(
      'IncompleteSignature',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    )
  }
  // Repeated Authorization headers are read as one, joined as SigV4 joins repeated headers; the
  // result then holds repeated parameters and is refused.
  if (authorization !== undefined) return parseHeaderForm(authorization, headers)
  if (presigned) return parseQueryForm(params)
  return fail('MissingAuthenticationToken', MISSING_AUTHENTICATION_TOKEN_MESSAGE)
}
