/**
 * The ARNs of workloads, Gatehouse's own resource type: `arn:aws:gatehouse::<account>:workload/<name>`,
 * the resource of the `gatehouse:*Workload` actions in policies.
 */

/** The ARN of the workload `name` in `accountId`. */
export function workloadArn(accountId: string, name: string): string {
  return `arn:aws:gatehouse::${accountId}:workload/${name}`
}

/** The resource ListWorkloads is authorized on: every workload of the account. */
export function allWorkloadsArn(accountId: string): string {
  return `arn:aws:gatehouse::${accountId}:workload/*`
}
