/**
 * Signs benchmark requests ahead of time with the AWS SDK's own SigV4 signer
 * (@smithy/signature-v4), so the load generator replays bytes a real client would send and
 * spends no CPU on signing while it measures.
 */
import { SignatureV4 } from '@smithy/signature-v4'
import { NodeSha256 } from '../../src/cli/node-sha256.js'

/** An access key to sign with. */
export interface BenchCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  /** For temporary credentials: signed as X-Amz-Security-Token. */
  readonly sessionToken?: string
}

/** The services the benchmark calls, with the API version each answers to. */
export const API_VERSIONS = { iam: '2010-05-08', sts: '2011-06-15' } as const

/** One of the services the benchmark calls. */
export type BenchService = keyof typeof API_VERSIONS

/** A signed awsQuery request, ready for autocannon: POST / with a form body. */
export interface PresignedRequest {
  readonly method: 'POST'
  readonly path: '/'
  /** Lower-case names; no Content-Length, which autocannon writes itself. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Signs awsQuery calls for one server and one key. */
export interface Presigner {
  /** Signs `Action` with `params` (Version added) for `service`. */
  sign(
    service: BenchService,
    action: string,
    params?: Readonly<Record<string, string>>,
  ): Promise<PresignedRequest>
  /** A presigner for the same server and time that signs with `credentials`. */
  as(credentials: BenchCredentials): Presigner
}

/** The form encoding SDK v3 uses: RFC 3986, `%20` for a space. */
function formEncode(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
}

/**
 * A presigner for the server at `url`. Every request is signed at `signingDate`, so a batch
 * signed at start stays inside the server's five-minute clock-skew window for the whole run.
 */
export function createPresigner(
  url: string,
  credentials: BenchCredentials,
  signingDate: Date,
  region = 'us-east-1',
): Presigner {
  const { host } = new URL(url)
  const signers = new Map<BenchService, SignatureV4>()
  const signerFor = (service: BenchService): SignatureV4 => {
    let signer = signers.get(service)
    if (signer === undefined) {
      // applyChecksum off: like SDK v3 for IAM and STS, no x-amz-content-sha256 header.
      signer = new SignatureV4({
        service,
        region,
        credentials,
        sha256: NodeSha256,
        applyChecksum: false,
      })
      signers.set(service, signer)
    }
    return signer
  }
  return {
    async sign(service, action, params = {}) {
      const body = formEncode({ Action: action, Version: API_VERSIONS[service], ...params })
      const signed = await signerFor(service).sign(
        {
          method: 'POST',
          protocol: 'http:',
          hostname: host,
          path: '/',
          query: {},
          headers: {
            host,
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          },
          body,
        },
        { signingDate },
      )
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(signed.headers))
        headers[name.toLowerCase()] = value
      return { method: 'POST', path: '/', headers, body }
    },
    as: (other) => createPresigner(url, other, signingDate, region),
  }
}
