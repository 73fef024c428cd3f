/** IAM's credential report: GenerateCredentialReport and GetCredentialReport. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const CREDENTIAL_REPORT_OPERATIONS: readonly Operation[] = []
