/**
 * Checkpoints of the store's database made on a thread of their own. In WAL mode SQLite copies
 * the log back into the database (a checkpoint) from the connection whose commit takes the log
 * past 1,000 pages, before that commit returns: the copy and its two fsyncs, 2.5 to 5.3 ms each
 * under CreateUser + DeleteUser here (strace), stalled the request thread, and every call in
 * flight with it. This thread's own connection runs a PASSIVE checkpoint every few milliseconds,
 * which copies what is committed and flushes the database without taking the write lock; the
 * request thread's checkpoints then find little left to copy and flush (0.3 to 0.6 ms).
 *
 * The request thread keeps its own checkpoints: a passive one never catches up with a writer
 * that never pauses, and only a checkpoint that has copied the whole log lets the next commit
 * start the log over. Without them the log grew by 240 MB in ten seconds of writes. So nothing
 * depends on this thread: if it cannot open the database, or stops, the store goes on as before.
 * A checkpoint changes no data: other connections' `PRAGMA data_version` stays as it was.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often the thread checkpoints, in ms. */
export const CHECKPOINT_INTERVAL_MS = 20

/** What the thread is told. */
interface CheckpointerData {
  readonly driver: string
  readonly filename: string
  readonly busyTimeoutMs: number
  readonly intervalMs: number
}

// The thread's code, in plain JavaScript: it needs better-sqlite3 alone, so it starts without
// the module loader the sources run under (tsx), which a worker would have to load first. A
// failed pass is left to the next one and to the request thread's own checkpoints.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.filename, {
  fileMustExist: true,
  timeout: workerData.busyTimeoutMs,
})
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {}
}, workerData.intervalMs)
parentPort.once('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

/** The thread checkpointing one database file. */
export class WalCheckpointer {
  readonly #worker: Worker
  readonly #exited: Promise<void>

  constructor(filename: string, busyTimeoutMs: number) {
    const workerData: CheckpointerData = {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      filename,
      busyTimeoutMs,
      intervalMs: CHECKPOINT_INTERVAL_MS,
    }
    const worker = new Worker(SOURCE, { eval: true, workerData })
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()))
    // A thread that fails (the file gone) only takes its help away: see the header.
    worker.on('error', () => undefined)
    // It never keeps a process alive that has nothing else to do.
    worker.unref()
    this.#worker = worker
  }

  /** Stops the thread; resolves once its connection is closed and it has exited. */
  stop(): Promise<void> {
    // Held now, or a process with nothing else to do would end before the thread has closed.
    this.#worker.ref()
    this.#worker.postMessage('stop')
    return this.#exited
  }

  /** Resolves once the thread has exited, for whatever reason (for tests). */
  get exited(): Promise<void> {
    return this.#exited
  }
}
