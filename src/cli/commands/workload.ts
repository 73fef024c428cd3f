/**
 * `gatehouse workload create|list|delete`: workloads bound to roles, whose credentials renew
 * themselves through the server's container credentials endpoint. An API client like any other:
 * it calls the server's workload API (a Gatehouse extension, src/http/workload-api.ts) signed
 * with SigV4 with the caller's AWS credentials, found as the AWS CLI finds them (the environment,
 * the shared credentials and config files, --profile), and imports nothing of the server but the
 * API's shapes.
 */
import type { AwsCredentialIdentity } from '@smithy/types'
import {
  WORKLOAD_API_PREFIX,
  WORKLOAD_API_SERVICE,
} from '../../services/workloads/workload-api-shapes.js'
import type {
  CreateWorkloadRequest,
  CreateWorkloadResponse,
  DeleteWorkloadRequest,
  DeleteWorkloadResponse,
  ListWorkloadsRequest,
  ListWorkloadsResponse,
  WorkloadApiError,
  WorkloadDescription,
  WorkloadOperationName,
} from '../../services/workloads/workload-api-shapes.js'
import { NodeSha256 } from '../node-sha256.js'

const USAGE = `usage: gatehouse workload create --role ROLE_ARN [--name NAME] [--duration-seconds N] [OPTIONS]
       gatehouse workload list [--json] [OPTIONS]
       gatehouse workload delete NAME [OPTIONS]

A workload is bound to a role: with the two variables 'create' prints, any AWS SDK or the AWS
CLI gets the role's temporary credentials from Gatehouse's container credentials endpoint and
renews them before they expire, with no key in the workload's configuration.

create   makes a workload and prints, once, its token in the two lines to set in its environment
         (KEY=value, as docker --env-file reads them). The role must be in your account and its
         trust policy must allow the service principal workloads.gatehouse.local to perform
         sts:AssumeRole; you need gatehouse:CreateWorkload on the workload and iam:PassRole on
         the role.
         --name NAME            the workload's name and its sessions' name (default: the role's)
         --duration-seconds N   how long each set of credentials lasts, 15 to the role's
                                MaxSessionDuration (default 3600, within the role's maximum)
list     the account's workloads (gatehouse:ListWorkloads); --json for the API's JSON
delete   deletes a workload (gatehouse:DeleteWorkload): its token is refused from then on; the
         credentials it already holds last until they expire

OPTIONS
  --endpoint URL   the Gatehouse server (default: AWS_ENDPOINT_URL, else http://127.0.0.1:8080)
  --profile NAME   the profile of the shared credentials and config files (default: AWS_PROFILE)
  --region REGION  the region to sign for; any works (default: AWS_REGION, else us-east-1)
`

const DEFAULT_ENDPOINT = 'http://127.0.0.1:8080'

/** The command's version, in the User-Agent of its calls (the audit trail's userAgent). */
const VERSION = '0.1.0'

/** Flags without a value; every other flag takes one. */
const SWITCHES = ['--json']

/** What every subcommand takes. */
const CLIENT_FLAGS = ['--endpoint', '--profile', '--region']

interface Parsed {
  readonly flags: ReadonlyMap<string, string>
  readonly switches: ReadonlySet<string>
  readonly positional: readonly string[]
}

/** The command line is wrong (exit 2). */
class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The call could not be made: no credentials, no server (exit 1). */
class CommandError extends Error {
  override readonly name = 'CommandError'
}

/** The server refused a call, with the API's error. */
class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

function parseArgs(args: readonly string[], allowed: readonly string[]): Parsed {
  const flags = new Map<string, string>()
  const switches = new Set<string>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const [flag = '', inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg]
    if (!allowed.includes(flag)) throw new UsageError(`unexpected argument '${arg}'`)
    if (SWITCHES.includes(flag)) {
      switches.add(flag)
      continue
    }
    const value = inline ?? args[++i]
    if (value === undefined) throw new UsageError(`${flag} needs a value`)
    flags.set(flag, value)
  }
  return { flags, switches, positional }
}

/** Where the API is, with the settings a signed call needs. */
interface Client {
  readonly endpoint: URL
  readonly region: string
  readonly profile: string | undefined
}

function clientOf(parsed: Parsed, env: Readonly<Record<string, string | undefined>>): Client {
  const text = parsed.flags.get('--endpoint') ?? env['AWS_ENDPOINT_URL'] ?? DEFAULT_ENDPOINT
  let endpoint: URL
  try {
    endpoint = new URL(text)
  } catch {
    throw new UsageError(`--endpoint is not a URL: ${text}`)
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http or https URL: ${text}`)
  }
  return {
    endpoint,
    region:
      parsed.flags.get('--region') ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    profile: parsed.flags.get('--profile'),
  }
}

/** The caller's credentials, as the AWS SDK's default chain finds them. */
async function callerCredentials(client: Client): Promise<AwsCredentialIdentity> {
  // Loaded only here: the AWS SDK's provider chain is large, and no other command needs it.
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node')
  try {
    return await defaultProvider(client.profile === undefined ? {} : { profile: client.profile })()
  } catch (err) {
    throw new CommandError(
      `no AWS credentials to sign with (${(err as Error).message.split('\n')[0] ?? ''}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE`,
    )
  }
}

/** Calls one operation of the workload API, signed; ApiError for the server's refusal. */
async function call<T>(
  client: Client,
  operation: WorkloadOperationName,
  input: object,
): Promise<T> {
  const { SignatureV4 } = await import('@smithy/signature-v4')
  const credentials = await callerCredentials(client)
  const signer = new SignatureV4({
    credentials,
    region: client.region,
    service: WORKLOAD_API_SERVICE,
    sha256: NodeSha256,
  })
  const url = new URL(`${WORKLOAD_API_PREFIX}${operation}`, client.endpoint.origin)
  const body = JSON.stringify(input)
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: {},
    // What the server will see: fetch sends the URL's host, with its port unless the default.
    headers: {
      host: url.host,
      'content-type': 'application/json',
      'user-agent': `gatehouse-cli/${VERSION} workload`,
    },
    body,
  })
  // fetch writes Host itself, from the same URL.
  const headers = Object.fromEntries(
    Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'),
  )
  let response: Response
  try {
    response = await fetch(url, { method: 'POST', headers, body })
  } catch (err) {
    const cause = (err as Error).cause
    throw new CommandError(
      `cannot reach ${client.endpoint.origin}: ${cause instanceof Error ? cause.message : String(err)}`,
    )
  }
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ApiError(
      response.status,
      'NotGatehouse',
      `${client.endpoint.origin} answered ${response.status} without JSON: is it a Gatehouse server?`,
    )
  }
  if (!response.ok) {
    const error = parsed as Partial<WorkloadApiError>
    throw new ApiError(
      response.status,
      error.Code ?? String(response.status),
      error.Message ?? 'the server refused the call',
    )
  }
  return parsed as T
}

/** Whether the AWS SDKs accept this endpoint's credentials URL (https, or http to loopback). */
function sdksAccept(url: URL): boolean {
  if (url.protocol === 'https:') return true
  const host = url.hostname
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

async function create(parsed: Parsed, client: Client): Promise<number> {
  if (parsed.positional.length > 0) {
    throw new UsageError(`unexpected argument '${parsed.positional[0] ?? ''}'`)
  }
  const roleArn = parsed.flags.get('--role')
  if (roleArn === undefined) throw new UsageError('create needs --role ROLE_ARN')
  const name = parsed.flags.get('--name') ?? roleArn.slice(roleArn.lastIndexOf('/') + 1)
  const durationText = parsed.flags.get('--duration-seconds')
  let durationSeconds: number | undefined
  if (durationText !== undefined) {
    durationSeconds = Number(durationText)
    if (!/^\d+$/.test(durationText) || !Number.isSafeInteger(durationSeconds)) {
      throw new UsageError(`--duration-seconds must be a whole number of seconds: ${durationText}`)
    }
  }
  const input: CreateWorkloadRequest = {
    Name: name,
    RoleArn: roleArn,
    ...(durationSeconds === undefined ? {} : { DurationSeconds: durationSeconds }),
  }
  const created = await call<CreateWorkloadResponse>(client, 'CreateWorkload', input)
  const credentialsUrl = new URL(created.CredentialsPath, client.endpoint.origin)
  const workload = created.Workload
  const lasts =
    workload.DurationSeconds === null
      ? "for an hour, or the role's MaxSessionDuration if shorter"
      : `${workload.DurationSeconds} s`
  process.stdout.write(
    `AWS_CONTAINER_CREDENTIALS_FULL_URI=${credentialsUrl.href}\nAWS_CONTAINER_AUTHORIZATION_TOKEN=${created.Token}\n`,
  )
  process.stderr.write(
    [
      `Created workload ${workload.Name} (${workload.WorkloadId}) for role ${workload.RoleArn}.`,
      `Set the two lines above in its environment: the token is shown this once, and Gatehouse`,
      `keeps only its hash. Each set of credentials lasts ${lasts}; the AWS SDKs and CLI fetch`,
      `the next one before it expires. (With AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE instead,`,
      `write the token to the file without a newline: printf %s "$TOKEN" > FILE.)`,
      '',
    ].join('\n'),
  )
  if (!sdksAccept(credentialsUrl)) {
    process.stderr.write(
      `warning: the AWS SDKs fetch credentials over http only from a loopback address; serve ${credentialsUrl.origin} over https for workloads on other hosts\n`,
    )
  }
  return 0
}

function table(workloads: readonly WorkloadDescription[]): string {
  const rows = [
    ['NAME', 'ROLE', 'DURATION', 'CREATED'],
    ...workloads.map((w) => [
      w.Name,
      w.RoleArn,
      w.DurationSeconds === null ? 'default' : `${w.DurationSeconds}s`,
      w.CreateDate.replace(/\.\d{3}Z$/, 'Z'),
    ]),
  ]
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((r) => (r[column] ?? '').length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths?.[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n')
}

async function list(parsed: Parsed, client: Client): Promise<number> {
  if (parsed.positional.length > 0) {
    throw new UsageError(`unexpected argument '${parsed.positional[0] ?? ''}'`)
  }
  const workloads: WorkloadDescription[] = []
  let marker: string | undefined
  do {
    const input: ListWorkloadsRequest = marker === undefined ? {} : { Marker: marker }
    const page = await call<ListWorkloadsResponse>(client, 'ListWorkloads', input)
    workloads.push(...page.Workloads)
    marker = page.Marker
  } while (marker !== undefined)
  if (parsed.switches.has('--json')) {
    process.stdout.write(`${JSON.stringify({ Workloads: workloads }, null, 2)}\n`)
  } else if (workloads.length === 0) {
    process.stderr.write('No workloads.\n')
  } else {
    process.stdout.write(`${table(workloads)}\n`)
  }
  return 0
}

async function remove(parsed: Parsed, client: Client): Promise<number> {
  const [name, ...extra] = parsed.positional
  if (name === undefined) throw new UsageError('delete needs the workload NAME')
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0] ?? ''}'`)
  const input: DeleteWorkloadRequest = { Name: name }
  const deleted = await call<DeleteWorkloadResponse>(client, 'DeleteWorkload', input)
  process.stderr.write(
    `Deleted workload ${deleted.Workload.Name}: its token is refused from now on.\n`,
  )
  return 0
}

const VERBS = {
  create: { flags: [...CLIENT_FLAGS, '--role', '--name', '--duration-seconds'], run: create },
  list: { flags: [...CLIENT_FLAGS, '--json'], run: list },
  delete: { flags: CLIENT_FLAGS, run: remove },
} as const

/** Runs `gatehouse workload ...`; resolves to the exit code. */
export async function runWorkloadCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const [verb, ...rest] = args
  if (verb === undefined || verb === '--help' || verb === '-h' || rest.includes('--help')) {
    process.stdout.write(USAGE)
    return verb === undefined ? 2 : 0
  }
  if (verb !== 'create' && verb !== 'list' && verb !== 'delete') {
    process.stderr.write(`gatehouse workload: unknown subcommand '${verb}'\n\n${USAGE}`)
    return 2
  }
  const { flags, run } = VERBS[verb]
  try {
    const parsed = parseArgs(rest, flags)
    return await run(parsed, clientOf(parsed, env))
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`gatehouse workload ${verb}: ${err.message}\n`)
      return 2
    }
    if (err instanceof ApiError) {
      process.stderr.write(`gatehouse workload ${verb}: ${err.code}: ${err.message}\n`)
      return 1
    }
    if (err instanceof CommandError) {
      process.stderr.write(`gatehouse workload ${verb}: ${err.message}\n`)
      return 1
    }
    throw err
  }
}
