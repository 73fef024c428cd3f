/**
 * The server seals its audit trail at intervals (a signed digest over the records not yet
 * covered, as CloudTrail's digest files do hourly) and once more when it stops. Sealing re-reads
 * and re-checks every record it covers, so it runs as `gatehouse trail seal` in a process of its
 * own: the request path never waits for it.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url))

/** How long one seal may take before it is abandoned. */
const SEAL_TIMEOUT_MS = 120_000

/** A running sealer. */
export interface TrailSealer {
  /** Stops the timer, waits for a seal in progress, and seals once more. */
  stop(): Promise<void>
}

/**
 * Seals the trail of `dataDir` every `intervalSeconds` (none for 0); `report` gets each
 * failure (a seal that finds the chain broken refuses, and says so).
 */
export function startTrailSealer(
  dataDir: string,
  intervalSeconds: number,
  report: (message: string) => void,
): TrailSealer {
  let running: Promise<void> | undefined
  const seal = (): Promise<void> => {
    running ??= new Promise<void>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'trail', 'seal', '--data-dir', dataDir],
        { timeout: SEAL_TIMEOUT_MS },
        (err, _stdout, stderr) => {
          if (err !== null)
            report(`sealing the audit trail failed: ${stderr.trim() || err.message}`)
          resolve()
        },
      )
    }).finally(() => {
      running = undefined
    })
    return running
  }
  const timer =
    intervalSeconds > 0
      ? setInterval(() => {
          void seal()
        }, intervalSeconds * 1000)
      : undefined
  // The timer must not keep a stopping process alive: stop() seals last.
  timer?.unref()
  return {
    async stop() {
      if (timer !== undefined) clearInterval(timer)
      if (running !== undefined) await running
      if (intervalSeconds > 0) await seal()
    },
  }
}
