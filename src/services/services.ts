/** The services one endpoint serves, by the service name of a request's credential scope. */
import type { QueryService } from '../errors/query-error-xml.js'
import { IAM_OPERATIONS, IAM_VERSION } from './iam/operations.js'
import type { OperationRegistry } from './operation.js'
import { STS_OPERATIONS, STS_VERSION } from './sts/operations.js'

/** A service: its API version and its operations. */
export interface Service {
  readonly name: QueryService
  readonly version: string
  readonly operations: OperationRegistry
}

/** Every awsQuery service, by its signing name. */
export const SERVICES: Readonly<Record<QueryService, Service>> = {
  iam: { name: 'iam', version: IAM_VERSION, operations: IAM_OPERATIONS },
  sts: { name: 'sts', version: STS_VERSION, operations: STS_OPERATIONS },
}

/** The service a credential scope names, or undefined for one Gatehouse does not serve. */
export function serviceNamed(name: string): Service | undefined {
  return name === 'iam' || name === 'sts' ? SERVICES[name] : undefined
}
