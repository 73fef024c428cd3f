/**
 * CPU time a process has used (Linux /proc), to tell whether a server was saturated or starved
 * of a core during a run: the machines have two cores, shared with the load generator.
 */
import { readFileSync, readdirSync } from 'node:fs'

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux everywhere in practice). */
const TICKS_PER_SECOND = 100

/** A process's /proc stat fields after the command name (the command may hold spaces). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** The pids whose parent is `pid` (Gatehouse's worker processes, with `--workers`). */
function childrenOf(pid: number): number[] {
  const children: number[] = []
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return children
  }
  for (const entry of entries) {
    if (!/^[0-9]+$/.test(entry)) continue
    // Field 4 of stat is the parent pid: index 1 after the command name.
    if (statFields(Number(entry))?.[1] === String(pid)) children.push(Number(entry))
  }
  return children
}

/** User + system CPU seconds of process `pid` alone so far; undefined where /proc cannot tell. */
function ownCpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid)
  if (fields === undefined) return undefined
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined
  return (utime + stime) / TICKS_PER_SECOND
}

/**
 * CPU seconds so far of each process of `pids` that /proc can read (a database's backends);
 * processes that are gone are left out.
 */
export function cpuSecondsByPid(pids: readonly number[]): Map<number, number> {
  const seconds = new Map<number, number>()
  for (const pid of pids) {
    const used = ownCpuSeconds(pid)
    if (used !== undefined) seconds.set(pid, used)
  }
  return seconds
}

/**
 * User + system CPU seconds of process `pid` and its live child processes so far (a server's
 * worker processes count as the server); undefined where /proc cannot tell.
 */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  let total = 0
  for (const id of [pid, ...childrenOf(pid)]) {
    const fields = statFields(id)
    if (fields === undefined) {
      if (id === pid) return undefined
      continue
    }
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined
    total += (utime + stime) / TICKS_PER_SECOND
  }
  return total
}
