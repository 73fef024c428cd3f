/**
 * SHA-256 (or HMAC-SHA-256 given a secret) over node:crypto, in the Checksum shape
 * @smithy/signature-v4 takes: the CLI's Gatehouse API client and the benchmark's presigner sign
 * with it (@aws-crypto/sha256-js is not installed, and node's native hash is faster anyway).
 */
import { createHash, createHmac } from 'node:crypto'
import type { Hash, Hmac } from 'node:crypto'
import type { Checksum, SourceData } from '@smithy/types'

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return Buffer.from(data)
}

/** The signer's hash constructor (`sha256` of SignatureV4's options). */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh()
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', toBuffer(this.secret))
  }

  update(data: Uint8Array): void {
    this.hash.update(data)
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()))
  }

  reset(): void {
    this.hash = this.fresh()
  }
}
