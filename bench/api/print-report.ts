/**
 * The API benchmark's report: a table per scenario (2xx requests per second, latency, every
 * non-2xx status and error counted, CPU used), the Gatehouse/moto ratio, and the issue's
 * targets, each met or not.
 */
import type { ServerName } from './bench-server.js'
import type { LoadResult } from './load-recorder.js'

/** One server's run of a scenario: what it measured, or why it did not run. */
export type RunOutcome =
  | { readonly kind: 'measured'; readonly load: LoadResult; readonly cpu: CpuShare }
  | { readonly kind: 'skipped'; readonly reason: string }

/**
 * Share of one core, over the run, used by the server (all its processes) and by the load
 * generator; and, for Gatehouse on PostgreSQL, by the database's processes serving it, which
 * share the machine's cores too.
 */
export interface CpuShare {
  readonly server: number | undefined
  readonly loadGenerator: number
  readonly database?: number | undefined
}

/** A scenario and its runs. */
export interface ScenarioOutcome {
  readonly id: string
  readonly title: string
  /** Measured beside the calls (Scenario.extra): no target applies to it. */
  readonly extra: boolean
  readonly runs: Partial<Record<ServerName, RunOutcome>>
}

/** The targets. */
export const TARGETS = {
  /** Gatehouse's 2xx throughput over moto's, per scenario. */
  ratioToMoto: 40,
  /** Signed GetUser calls per second. */
  getUserPerSecond: 10_000,
  /** p99 latency at 16 concurrent clients, ms. */
  p99Ms: 10,
} as const

/** One target checked. */
export interface TargetCheck {
  readonly target: string
  readonly value: string
  readonly met: boolean | undefined
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US')
const ms = (n: number): string => n.toFixed(2)
const pct = (n: number | undefined): string => (n === undefined ? '-' : `${Math.round(n * 100)}%`)

function measured(outcome: RunOutcome | undefined): LoadResult | undefined {
  return outcome?.kind === 'measured' ? outcome.load : undefined
}

/** Gatehouse's 2xx throughput over moto's, when both ran and moto served any. */
export function ratio(outcome: ScenarioOutcome): number | undefined {
  const g = measured(outcome.runs.gatehouse)
  const m = measured(outcome.runs.moto)
  if (g === undefined || m === undefined || m.okPerSecond === 0) return undefined
  return g.okPerSecond / m.okPerSecond
}

/** Non-2xx responses by status, e.g. `409×3 404×3`. */
function statusSummary(load: LoadResult): string {
  return Object.entries(load.statuses)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, n]) => `${status}×${n}`)
    .join(' ')
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)))
  return rows.map((row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths?.[c] ?? 0) : cell.padStart(widths?.[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}

/** The lines of one scenario's table. */
export function scenarioLines(outcome: ScenarioOutcome): string[] {
  const header = ['server', 'req/s (2xx)', 'p50 ms', 'p99 ms', 'max ms', '2xx', 'non-2xx', 'errors']
  header.push('server CPU', 'loadgen CPU')
  const runs = Object.values(outcome.runs)
  const withDatabase = runs.some((run) => run.kind === 'measured' && 'database' in run.cpu)
  if (withDatabase) header.push('database CPU')
  const rows: string[][] = [header]
  const notes: string[] = []
  for (const [name, run] of Object.entries(outcome.runs) as [ServerName, RunOutcome][]) {
    if (run.kind === 'skipped') {
      notes.push(`${name}: skipped: ${run.reason}`)
      continue
    }
    const { load, cpu } = run
    rows.push([
      name,
      int(load.okPerSecond),
      ms(load.p50),
      ms(load.p99),
      ms(load.max),
      int(load.ok),
      int(load.non2xx),
      int(load.errors),
      pct(cpu.server),
      pct(cpu.loadGenerator),
      ...(withDatabase ? [pct(cpu.database)] : []),
    ])
    if (load.driver === 'connection-per-request') {
      notes.push(
        `${name} closes every connection: driven by node:http with a new connection per request, as autocannon needs keep-alive`,
      )
    }
    if (load.non2xx > 0) notes.push(`${name}: non-2xx responses: ${statusSummary(load)}`)
    if (load.errors > 0) notes.push(`${name}: ${load.errors} requests got no response`)
  }
  const lines = [`${outcome.title} [${outcome.id}]`]
  if (rows.length > 1) lines.push(...table(rows).map((line) => `  ${line}`))
  const r = ratio(outcome)
  if (r !== undefined) lines.push(`  gatehouse/moto: ${r.toFixed(1)}x`)
  lines.push(...notes.map((note) => `  note: ${note}`))
  return lines
}

/**
 * The targets against what was measured; `met` undefined when not measured. A run with
 * any non-2xx response or error meets no target: a fast error is not a success.
 */
export function checkTargets(outcomes: readonly ScenarioOutcome[]): TargetCheck[] {
  const checks: TargetCheck[] = []
  const check = (
    target: string,
    outcome: ScenarioOutcome,
    value: (g: LoadResult) => number | undefined,
    show: (n: number) => string,
    passes: (n: number) => boolean,
  ): void => {
    const g = measured(outcome.runs.gatehouse)
    const n = g === undefined ? undefined : value(g)
    if (g === undefined || n === undefined) {
      checks.push({ target, value: 'not measured', met: undefined })
      return
    }
    const failures = g.non2xx + g.errors
    checks.push({
      target,
      value: failures === 0 ? show(n) : `${show(n)} (${int(failures)} failed requests)`,
      met: failures === 0 && passes(n),
    })
  }
  const getUser = outcomes.find((o) => o.id === 'get-user')
  if (getUser !== undefined) {
    check(
      `get-user: >= ${int(TARGETS.getUserPerSecond)} signed calls/s`,
      getUser,
      (g) => g.okPerSecond,
      (n) => `${int(n)}/s`,
      (n) => n >= TARGETS.getUserPerSecond,
    )
  }
  // The calls only: an extra scenario has no target.
  const targeted = outcomes.filter((outcome) => !outcome.extra)
  for (const outcome of targeted) {
    check(
      `${outcome.id}: >= ${TARGETS.ratioToMoto}x moto`,
      outcome,
      () => ratio(outcome),
      (n) => `${n.toFixed(1)}x`,
      (n) => n >= TARGETS.ratioToMoto,
    )
  }
  for (const outcome of targeted) {
    check(
      `${outcome.id}: p99 < ${TARGETS.p99Ms} ms`,
      outcome,
      (g) => g.p99,
      (n) => `${ms(n)} ms`,
      (n) => n < TARGETS.p99Ms,
    )
  }
  return checks
}

/** The targets' lines. */
export function targetLines(checks: readonly TargetCheck[]): string[] {
  const verdict = (met: boolean | undefined): string =>
    met === undefined ? '-' : met ? 'met' : 'NOT MET'
  return [
    'Targets (issue; Gatehouse with full SigV4 verification and enforcement)',
    ...table(checks.map((c) => [c.target, c.value, verdict(c.met)])).map((line) => `  ${line}`),
  ]
}
