/** Workloads bound to roles. */
import type { WorkloadOps } from '../workloads-ops.js'
import type { SqlContext } from './sql-context.js'

/** The workload operations. */
export function workloadOps(ctx: SqlContext): WorkloadOps {
  void ctx
  return {}
}
