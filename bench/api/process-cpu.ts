/**
 * CPU time a process has used (Linux /proc), to tell whether a server was saturated or starved
 * of a core during a run: the machines have two cores, shared with the load generator.
 */
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux everywhere in practice). */
const TICKS_PER_SECOND = 100

/** User + system CPU seconds of process `pid` so far; undefined where /proc cannot tell. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name, field 2, may hold spaces; the fields after its ')' are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined
    return (utime + stime) / TICKS_PER_SECOND
  } catch {
    return undefined
  }
}
