/**
 * What a load run measured, recorded response by response: status and latency to the
 * microsecond (autocannon's own histogram keeps whole milliseconds and 2xx responses only).
 */

/** What a run measured. */
export interface LoadResult {
  /** Which load driver sent the requests. */
  readonly driver: LoadDriver
  /** Wall-clock seconds the run took. */
  readonly seconds: number
  /** Responses with a 2xx status. */
  readonly ok: number
  /** Responses by status, 2xx included. */
  readonly statuses: Readonly<Record<string, number>>
  /** Responses with any other status. */
  readonly non2xx: number
  /** Connection errors and timeouts: requests that got no response. */
  readonly errors: number
  /** 2xx responses per second: a fast error is not a success. */
  readonly okPerSecond: number
  /** Latency percentiles over every response, in milliseconds. */
  readonly p50: number
  readonly p99: number
  readonly max: number
}

/**
 * autocannon on kept-alive connections; or, for a server that closes the connection after each
 * response (moto_server's werkzeug), a plain node:http client opening one per request, which
 * autocannon cannot do.
 */
export type LoadDriver = 'autocannon' | 'connection-per-request'

/** The value below which `fraction` of the sorted values fall (nearest rank). */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil(fraction * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0
}

/** Collects responses and errors of one run. */
export class LoadRecorder {
  // Grown by doubling: a push per response into a plain array costs more at 20,000 per second.
  private latencies = new Float64Array(1 << 16)
  private count = 0
  private errors = 0
  private readonly statuses: Record<string, number> = {}
  private readonly started = process.hrtime.bigint()

  constructor(private readonly driver: LoadDriver) {}

  /** One response: its status and milliseconds from sending to its last byte. */
  response(status: number, ms: number): void {
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2)
      grown.set(this.latencies)
      this.latencies = grown
    }
    this.latencies[this.count++] = ms
    this.statuses[status] = (this.statuses[status] ?? 0) + 1
  }

  /** One request that got no response. */
  error(): void {
    this.errors++
  }

  /** The result, timed from the recorder's creation to now. */
  finish(errors = this.errors): LoadResult {
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9
    const sorted = this.latencies.subarray(0, this.count).sort()
    const ok = Object.entries(this.statuses)
      .filter(([status]) => status.startsWith('2'))
      .reduce((sum, [, n]) => sum + n, 0)
    return {
      driver: this.driver,
      seconds,
      ok,
      statuses: this.statuses,
      non2xx: this.count - ok,
      errors,
      okPerSecond: ok / seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] ?? 0),
    }
  }
}
