/** IAM's credential report: GenerateCredentialReport and GetCredentialReport. */
import type { Operation } from '../operation.js'
import { GENERATE_CREDENTIAL_REPORT, GET_CREDENTIAL_REPORT } from './credential-report.js'

/** Every operation of this family. */
export const CREDENTIAL_REPORT_OPERATIONS: readonly Operation[] = [
  GENERATE_CREDENTIAL_REPORT,
  GET_CREDENTIAL_REPORT,
]
