/**
 * The audit trail survives a crash: a child process records events as fast as it can and
 * prints each event's id once record() resolved; the test kills it with SIGKILL mid-load,
 * reopens the file, and finds every acknowledged event there, in one intact hash chain. Twice
 * on the same file, so the second run also shows appending after a crash's recovery.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, it } from 'node:test'
import { assertChain, readWholeTrail } from '../../src/store/conformance/trail/trail-harness.js'
import { journalDirOf, openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'

const LOAD_SCRIPT = fileURLToPath(new URL('../support/trail-load.ts', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Acknowledgements to wait for before the kill: well into the load, not at its start. */
const ACKS_BEFORE_KILL = 3000

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-trail-crash-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/**
 * Where the loader's store runs: on a worker thread, on its main thread, or on a worker thread
 * behind the journal (as the server's), where an event is acknowledged once it is in the journal
 * and the trail takes it from there after the crash.
 */
type StoreMode = 'thread' | 'direct' | 'journal'

/** What one killed run of the loader showed. */
interface KilledRun {
  /** The ids it acknowledged (complete lines only). */
  readonly acknowledged: readonly string[]
  readonly signal: NodeJS.Signals | null
}

/** Runs the loader on `filename` until it has acknowledged `acks` events, then kills it. */
function runAndKill(filename: string, mode: StoreMode, acks: number): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_SCRIPT, filename, mode], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let lines = 0
    let killed = false
    const deadline = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the loader acknowledged only ${lines} events in time; stderr: ${stderr}`))
    }, 60_000)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk
      if (killed) return
      lines += chunk.split('\n').length - 1
      if (lines >= acks) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    // 'close': the process is gone and its output fully read.
    child.on('close', (_code, signal) => {
      clearTimeout(deadline)
      if (!killed) {
        reject(new Error(`the loader ended by itself (${String(signal)}): ${stderr}`))
        return
      }
      // A line cut short by the kill is no acknowledgement.
      const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1)
      resolve({ acknowledged: complete.split('\n').filter((line) => line !== ''), signal })
    })
  })
}

describe('audit trail durability', () => {
  for (const mode of ['thread', 'direct', 'journal'] as const) {
    it(`keeps every acknowledged event, chained, through kill -9 mid-load (${mode})`, async () => {
      const filename = join(dir, `trail-${mode}.db`)
      const acknowledged: string[] = []
      for (let run = 1; run <= 2; run++) {
        const killed = await runAndKill(filename, mode, ACKS_BEFORE_KILL)
        assert.equal(killed.signal, 'SIGKILL')
        acknowledged.push(...killed.acknowledged)
        // Opening the trail takes in what the crash left in the journal.
        const store = openSqliteTrailStore({ filename, journalDir: journalDirOf(filename) })
        try {
          const trail = await readWholeTrail(store)
          assertChain(trail)
          const stored = new Set(trail.map((event) => event.eventId))
          const lost = acknowledged.filter((id) => !stored.has(id))
          assert.deepEqual(lost, [], `run ${run}: acknowledged events missing from the trail`)
          assert.ok(trail.length >= acknowledged.length)
          assert.ok(acknowledged.length >= run * ACKS_BEFORE_KILL)
        } finally {
          await store.close()
        }
        // The dead loader's journal files are gone once the trail has them.
        if (mode === 'journal') assert.deepEqual(readdirSync(journalDirOf(filename)), [])
      }
    })
  }
})
