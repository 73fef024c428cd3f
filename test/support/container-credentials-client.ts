/**
 * A workload as the end-to-end tests run it: a real AWS SDK for JavaScript v3 client
 * (@aws-sdk/client-sts) in a process of its own, with no credentials of its own, only what its
 * environment says (AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN or
 * _TOKEN_FILE), so that the SDK's default provider chain goes to the container credentials
 * endpoint and renews its credentials as it would in a container.
 *
 * Run as `node --import tsx test/support/container-credentials-client.ts ENDPOINT INTERVAL_MS
 * [COUNT]`: it calls GetCallerIdentity every INTERVAL_MS (COUNT times, or until its standard
 * input ends) and prints one JSON line per call: `{"at", "ok", "arn", "accessKeyId"}`, or
 * `{"at", "ok": false, "error", "message", "code"}`, where accessKeyId is the key the request was
 * signed with. `startContainerClient` runs it as a child process.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** One call of the client. */
export interface ClientCall {
  /** Epoch milliseconds when the call began. */
  readonly at: number
  readonly ok: boolean
  readonly arn?: string
  /** The access key id the request was signed with. */
  readonly accessKeyId?: string
  readonly error?: string
  readonly message?: string
  /** The endpoint's error code, when the SDK attached it. */
  readonly code?: string
}

/** A running client. */
export interface ContainerClient {
  /** The calls so far, in order. */
  readonly calls: ClientCall[]
  /** Resolves once a call satisfies `test`, or rejects after `timeoutMs`. */
  until(
    test: (call: ClientCall, calls: readonly ClientCall[]) => boolean,
    timeoutMs: number,
  ): Promise<ClientCall>
  /** Resolves with every call once the client has exited. */
  exited(): Promise<readonly ClientCall[]>
  /** Stops the client. */
  stop(): Promise<readonly ClientCall[]>
  stderr(): string
}

/** The environment of a client that has no credentials but the container endpoint's. */
export function containerEnv(vars: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) env[name] = value
  }
  return {
    ...env,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_PAGER: '',
    ...vars,
  }
}

/** Starts the client in a child process with `env` (see containerEnv). */
export function startContainerClient(
  endpoint: string,
  intervalMs: number,
  env: NodeJS.ProcessEnv,
  count?: number,
): ContainerClient {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      endpoint,
      String(intervalMs),
      ...(count === undefined ? [] : [String(count)]),
    ],
    { env, stdio: ['pipe', 'pipe', 'pipe'] },
  )
  const calls: ClientCall[] = []
  const waiters = new Set<() => void>()
  let err = ''
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8')
  })
  createInterface({ input: child.stdout }).on('line', (line) => {
    calls.push(JSON.parse(line) as ClientCall)
    for (const wake of waiters) wake()
  })
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    calls,
    until(test, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = calls.find((call) => test(call, calls))
          if (found === undefined) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(`no call as awaited in ${timeoutMs} ms:\n${JSON.stringify(calls)}\n${err}`),
          )
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    async exited() {
      await exit
      return calls
    },
    async stop() {
      child.stdin.end()
      await exit
      return calls
    },
    stderr: () => err,
  }
}

async function runClient(endpoint: string, intervalMs: number, count: number): Promise<void> {
  const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts')
  // One attempt per call: a refused request shows as it is, not after the SDK's retries.
  const client = new STSClient({ endpoint, region: 'us-east-1', maxAttempts: 1 })
  let signedWith: string | undefined
  // After signing: the key the request carries is the one the SDK's credentials had then.
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {}
      signedWith = /Credential=([A-Z0-9]+)\//.exec(headers['authorization'] ?? '')?.[1]
      return next(args)
    },
    { step: 'deserialize', name: 'recordSigningKey' },
  )
  let stopped = false
  process.stdin.on('end', () => {
    stopped = true
  })
  process.stdin.resume()
  for (let i = 0; i < count && !stopped; i++) {
    const at = Date.now()
    signedWith = undefined
    let call: ClientCall
    try {
      const identity = await client.send(new GetCallerIdentityCommand({}))
      call = {
        at,
        ok: true,
        ...(identity.Arn === undefined ? {} : { arn: identity.Arn }),
        ...(signedWith === undefined ? {} : { accessKeyId: signedWith }),
      }
    } catch (e) {
      const error = e as Error & { Code?: string }
      call = {
        at,
        ok: false,
        error: error.name,
        message: error.message,
        ...(error.Code === undefined ? {} : { code: error.Code }),
      }
    }
    process.stdout.write(`${JSON.stringify(call)}\n`)
    const wait = at + intervalMs - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }
  client.destroy()
  process.exit(0)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [endpoint = '', interval = '1000', count] = process.argv.slice(2)
  await runClient(endpoint, Number(interval), count === undefined ? Infinity : Number(count))
}
