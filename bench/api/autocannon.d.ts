/**
 * The part of autocannon's API the API benchmark uses. autocannon ships no types, and the
 * benchmark may add only autocannon itself to the dev dependencies.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  namespace autocannon {
    /** One request of a connection's cycle; fields left out come from the options. */
    interface Request {
      method?: string
      path?: string
      headers?: Record<string, string>
      body?: string | Buffer
      /**
       * Called before each send when present (the request is rebuilt every time); gets the
       * connection's context, which is reset each time the cycle starts over.
       */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request | null
    }

    interface Options {
      url: string
      connections?: number
      /** Seconds. */
      duration?: number
      /** Requests to send in all, instead of a duration. */
      amount?: number
      /** Seconds. */
      timeout?: number
      pipelining?: number
      requests?: Request[]
    }

    interface Histogram {
      average: number
      mean: number
      stddev: number
      min: number
      max: number
      total: number
      p50: number
      p99: number
    }

    interface Result {
      /** Seconds, to the hundredth. */
      duration: number
      errors: number
      timeouts: number
      non2xx: number
      resets: number
      '2xx': number
      statusCodeStats: Record<string, { count: number }>
      latency: Histogram
      requests: Histogram & { sent: number }
    }

    /** A running benchmark. */
    interface Instance extends EventEmitter {
      /** Stops at the next one-second sample. */
      stop(): void
    }
  }

  function autocannon(
    options: autocannon.Options,
    callback: (err: Error | null, result: autocannon.Result) => void,
  ): autocannon.Instance

  export = autocannon
}
