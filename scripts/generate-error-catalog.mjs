// Prints src/errors/catalog.ts: every error shape of botocore's IAM and STS models, then the
// common errors every AWS query service returns. The output is commit-ready (already in
// prettier's style), and test/errors/catalog.test.ts fails when it differs from the checked-in
// file. Run it after a botocore upgrade, or after editing COMMON_ERRORS or SDK_ONLY_ERRORS below:
//
//   node scripts/generate-error-catalog.mjs > src/errors/catalog.ts
//
// Exit codes: 0 printed, 1 a model broke an assumption below, 2 botocore is not installed.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

// The two models, at the API versions whose XML namespaces Gatehouse answers with.
const MODELS = [
  { service: 'iam', title: 'IAM', path: 'iam/2010-05-08' },
  { service: 'sts', title: 'STS', path: 'sts/2011-06-15' },
]

// Errors that no model lists but that IAM and STS return (signing, protocol, throttling).
// Statuses are those of AWS's "Common Errors" page of the IAM API Reference and of
// ../shared/reference/aws-iam-sts-api.md §1.3, which quotes real IAM and STS responses.
// A 4xx is the sender's fault and a 5xx the receiver's, as in the models.
const COMMON_ERRORS = [
  { code: 'AccessDenied', status: 403, note: 'A policy denial; not AccessDeniedException.' },
  {
    code: 'ExpiredToken',
    status: 403,
    note: "A signing session token has expired; STS's modeled ExpiredTokenException (400) is about a web identity token.",
  },
  { code: 'IncompleteSignature', status: 400 },
  { code: 'InternalFailure', status: 500 },
  { code: 'InvalidAction', status: 400 },
  { code: 'InvalidClientTokenId', status: 403 },
  { code: 'InvalidParameterCombination', status: 400 },
  { code: 'InvalidParameterValue', status: 400 },
  { code: 'InvalidQueryParameter', status: 400 },
  { code: 'MalformedQueryString', status: 404, note: 'AWS documents 404 for this one.' },
  { code: 'MissingAction', status: 400 },
  { code: 'MissingAuthenticationToken', status: 403 },
  { code: 'MissingParameter', status: 400 },
  { code: 'OptInRequired', status: 403 },
  { code: 'RequestExpired', status: 400 },
  { code: 'ServiceUnavailable', status: 503 },
  { code: 'SignatureDoesNotMatch', status: 403 },
  { code: 'Throttling', status: 400 },
  { code: 'ValidationError', status: 400 },
]

// Errors of operations newer than the installed botocore, from the model of
// @aws-sdk/client-sts (dist-cjs: each error schema's awsQueryError code and status, and its
// error trait "client"). Each is dropped once botocore models it (the generator fails until then).
const SDK_ONLY_ERRORS = [
  { code: 'InsufficientSessionLifetime', status: 400, operation: 'GetScopedCredentials' },
  { code: 'InvalidSubjectCredentials', status: 400, operation: 'GetScopedCredentials' },
]

function fail(message, exitCode = 1) {
  process.stderr.write(`generate-error-catalog: ${message}\n`)
  process.exit(exitCode)
}

function botocoreDataDir() {
  const probe = spawnSync(
    'python3',
    ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'],
    { encoding: 'utf8' },
  )
  if (probe.error !== undefined || probe.status !== 0) {
    fail('botocore is not installed (python3 -c "import botocore" failed)', 2)
  }
  return join(probe.stdout.trim(), 'data')
}

function readModel(dataDir, path) {
  const plain = join(dataDir, path, 'service-2.json')
  if (existsSync(plain)) return JSON.parse(readFileSync(plain, 'utf8'))
  const gzipped = `${plain}.gz`
  if (existsSync(gzipped)) return JSON.parse(gunzipSync(readFileSync(gzipped)).toString('utf8'))
  return fail(`no model at ${plain}[.gz]`)
}

// botocore keeps the Smithy traits this way: `error.code` and `error.httpStatusCode` are the
// aws.protocols#awsQueryError trait, and `error.senderFault` is smithy.api#error "client"; a
// server error has no senderFault (or has `fault: true`). A shape without an awsQueryError trait
// has no `error` at all: its wire code is the shape name (reference §7, pitfall 4) and its status
// Smithy's default for its fault, 400 for a client error (the SDKs' classes for those IAM shapes
// are all client errors).
function entryOf(shapeName, shape) {
  const error = shape.error
  const fault =
    error?.senderFault === true
      ? 'client'
      : shape.fault === true || error !== undefined
        ? 'server'
        : 'client'
  const status = error?.httpStatusCode ?? (fault === 'client' ? 400 : 500)
  const code = error?.code ?? shapeName
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    fail(`${shapeName}: status ${status} is not an error status`)
  }
  if (status < 500 !== (fault === 'client')) {
    fail(`${shapeName}: fault ${fault} does not match status ${status}`)
  }
  return { code, status, fault, shape: shapeName }
}

function modelErrors(dataDir) {
  const byCode = new Map()
  const sections = []
  for (const model of MODELS) {
    const json = readModel(dataDir, model.path)
    if (json.metadata?.protocol !== 'query') fail(`${model.path} is not an awsQuery model`)
    const entries = []
    for (const [shapeName, shape] of Object.entries(json.shapes)) {
      if (shape.exception !== true) continue
      const entry = entryOf(shapeName, shape)
      const seen = byCode.get(entry.code)
      if (seen !== undefined) {
        if (seen.status !== entry.status || seen.fault !== entry.fault) {
          fail(`${entry.code}: ${seen.shape} and ${model.path} ${shapeName} disagree`)
        }
        continue // the same error in both models: listed once, under the first
      }
      byCode.set(entry.code, entry)
      entries.push(entry)
    }
    sections.push({ model, entries: entries.sort((a, b) => compare(a.code, b.code)) })
  }
  for (const common of COMMON_ERRORS) {
    if (byCode.has(common.code)) fail(`${common.code} is modeled: drop it from COMMON_ERRORS`)
  }
  for (const newer of SDK_ONLY_ERRORS) {
    if (byCode.has(newer.code)) fail(`${newer.code} is modeled: drop it from SDK_ONLY_ERRORS`)
  }
  return sections
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0
}

function entryLine({ code, status, fault }) {
  return `  ${code}: { status: ${status}, fault: '${fault}' },`
}

// Wraps a comment to prettier's print width (100) at the given indent.
function comment(text, indent) {
  const lines = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + 3 + line.length + 1 + word.length > 100) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  lines.push(line)
  return lines.map((l) => `${indent}// ${l}`)
}

function render(sections) {
  const out = [
    '// Generated from the IAM and STS models in botocore: do not edit by hand. Change',
    '// scripts/generate-error-catalog.mjs and run',
    '//   node scripts/generate-error-catalog.mjs > src/errors/catalog.ts',
    '',
    '/** Whose fault an error is: the wire `<Type>` is `Sender` for client, `Receiver` for server. */',
    "export type AwsFault = 'client' | 'server'",
    '',
    '/** What the catalog fixes for one error code. */',
    'export interface AwsErrorEntry {',
    '  /** The HTTP status the error is sent with. */',
    '  readonly status: number',
    '  readonly fault: AwsFault',
    '}',
    '',
    '/**',
    ' * Every AWS error code Gatehouse sends, keyed by its exact wire code, with the HTTP status and',
    ' * fault AWS sends it with.',
    ' */',
    'export const AWS_ERRORS = {',
  ]
  for (const [index, { model, entries }] of sections.entries()) {
    const also = index === 0 ? '' : ' Codes of the models above are not repeated.'
    out.push(
      ...comment(
        `${model.title} model (botocore ${model.path}): the awsQueryError code, else the shape name.${also}`,
        '  ',
      ),
    )
    for (const entry of entries) out.push(entryLine(entry))
  }
  out.push(
    ...comment(
      `STS model of @aws-sdk/client-sts, for what botocore's does not have yet (${[...new Set(SDK_ONLY_ERRORS.map((e) => e.operation))].join(', ')}): the awsQueryError code.`,
      '  ',
    ),
  )
  for (const newer of [...SDK_ONLY_ERRORS].sort((a, b) => compare(a.code, b.code))) {
    out.push(entryLine({ ...newer, fault: 'client' }))
  }
  out.push(...comment('Common errors of AWS query services, in no model.', '  '))
  for (const common of [...COMMON_ERRORS].sort((a, b) => compare(a.code, b.code))) {
    if (common.note !== undefined) out.push(...comment(common.note, '  '))
    out.push(entryLine({ ...common, fault: common.status < 500 ? 'client' : 'server' }))
  }
  out.push(
    '} as const satisfies Readonly<Record<string, AwsErrorEntry>>',
    '',
    '/** An error code Gatehouse sends: a key of AWS_ERRORS, so a misspelt code does not compile. */',
    'export type AwsErrorCode = keyof typeof AWS_ERRORS',
    '',
  )
  return out.join('\n')
}

process.stdout.write(render(modelErrors(botocoreDataDir())))
