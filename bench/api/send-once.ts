/** Sends one pre-signed request as is (node:http, so the signed Host header goes out unchanged). */
import { request } from 'node:http'
import type { PresignedRequest } from './presigner.js'

/** The status and body of one response. */
export interface OneReply {
  readonly status: number
  readonly body: string
  /** Whether the server would keep the connection open for another request. */
  readonly keepsAlive: boolean
}

/** Sends `signed` to `url` and reads the whole response. */
export function sendOnce(url: string, signed: PresignedRequest): Promise<OneReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${signed.path}`,
      {
        method: signed.method,
        headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(signed.body)) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            keepsAlive: res.headers.connection?.toLowerCase() !== 'close',
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error('no response in 30 s')))
    req.on('error', reject)
    req.end(signed.body)
  })
}
