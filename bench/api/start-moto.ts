/**
 * moto_server for the API benchmark: the Python AWS mock on PATH, on a free loopback port, in
 * its default configuration (request logging included, as users run it). moto accepts any key,
 * so its "root" key is a made-up one; requests are signed with it all the same so that both
 * servers receive the same bytes but for the key and signature.
 */
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort, stopChild, tailBuffer } from './bench-server.js'
import type { BenchServer } from './bench-server.js'
import { BENCH_ACCOUNT_ID } from './start-gatehouse.js'

/** Whether something answers HTTP at `url`. */
function answers(url: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request(`${url}/moto-api/`, { method: 'GET', timeout: 1_000 }, (res) => {
      res.resume()
      done(true)
    })
    req.on('error', () => done(false))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

/** Starts `moto_server` and waits until it answers (30 s at most). */
export async function startMoto(command = 'moto_server'): Promise<BenchServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log = tailBuffer()
  child.stdout.on('data', (chunk: Buffer) => log.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => log.push(chunk))
  let spawnError: Error | undefined
  child.once('error', (err) => {
    spawnError = err
  })

  const deadline = Date.now() + 30_000
  while (!(await answers(url))) {
    if (spawnError !== undefined || child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      const why = spawnError?.message ?? (child.exitCode !== null ? 'exited' : 'timed out')
      throw new Error(`${command} did not start (${why}):\n${log.text()}`)
    }
    await sleep(100)
  }
  return {
    name: 'moto',
    url,
    accountId: BENCH_ACCOUNT_ID,
    root: { accessKeyId: 'AKIAMOTOBENCHROOT001', secretAccessKey: 'moto-accepts-any-secret-key' },
    nodes: [{ url, child }],
    logTail: () => log.text(),
    stop: () => stopChild(child),
  }
}
