/**
 * `npm run bench:policy [-- FILE]` (../shared/spec/bench-policy.md): authorization decisions per
 * second on one core, per case of a workload file. Policies are parsed and compiled once and
 * the request built once, as the server does; the timed loop evaluates every policy type,
 * decides and, for denials, builds the AccessDenied message. Nothing is memoized across calls.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkCase, evaluate, listCases, prepareCase } from '../src/policy/index.js'
import type { Decision, PreparedCase } from '../src/policy/index.js'

const RUNS = 5
const RUN_SECONDS = 1
const WARMUP_SECONDS = 0.5
const BATCH = 10_000

const file = process.argv[2] ?? join(import.meta.dirname, 'bench-policy.json')
const cases = listCases(JSON.parse(readFileSync(file, 'utf8')) as unknown)

// Keeps the optimiser from discarding decisions it can prove unused.
let sink = 0

function timeRun(prepared: PreparedCase, seconds: number): number {
  const { request, policies } = prepared
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9))
  const start = process.hrtime.bigint()
  let count = 0
  let now = start
  do {
    for (let i = 0; i < BATCH; i++) {
      const decision: Decision = evaluate(request, policies)
      sink += decision.matched.length + (decision.message?.length ?? 0)
    }
    count += BATCH
    now = process.hrtime.bigint()
  } while (now < deadline)
  return count / (Number(now - start) / 1e9)
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

let slowest: { case: string; decisionsPerSecond: number } | null = null
let failed = false
cases.forEach((raw, position) => {
  const prepared = prepareCase(raw, position)
  const decision = evaluate(prepared.request, prepared.policies)
  const problems = checkCase(raw, { id: prepared.id, ...decision })
  if (problems.length > 0) {
    console.log(JSON.stringify({ case: prepared.id, error: 'wrong decision', problems }))
    failed = true
    return
  }
  timeRun(prepared, WARMUP_SECONDS)
  const runs: number[] = []
  for (let i = 0; i < RUNS; i++) runs.push(Math.round(timeRun(prepared, RUN_SECONDS)))
  const decisionsPerSecond = median(runs)
  console.log(JSON.stringify({ case: prepared.id, decisionsPerSecond, runs }))
  if (slowest === null || decisionsPerSecond < slowest.decisionsPerSecond) {
    slowest = { case: prepared.id, decisionsPerSecond }
  }
})
console.log(JSON.stringify({ slowest, target: 1_000_000, sink: sink > 0 }))
process.exitCode = failed ? 1 : 0
