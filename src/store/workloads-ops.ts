/** Workloads bound to roles (the container credentials endpoint): the store port's operations. */

/** Workloads: filled in with the container credentials endpoint. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its issue
export interface WorkloadOps {}
