/**
 * The errorCode of a record. CloudTrail writes an IAM or STS error under the name of its shape
 * in the API model (the service's exception class), not the code sent on the wire: real
 * records have `"errorCode": "NoSuchEntityException"` for GetRole's NoSuchEntity and
 * `"EntityTemporarilyUnmodifiableException"` for DeleteLoginProfile's
 * EntityTemporarilyUnmodifiable (DataDog/stratus-red-team detonation logs, 2024). Errors that no
 * model lists (AccessDenied, ValidationError, InvalidClientTokenId, SignatureDoesNotMatch...)
 * keep their code, as in AWS's AccessDenied records.
 */

/**
 * The wire codes of IAM's and STS's models whose shape has another name (botocore iam/2010-05-08
 * and sts/2011-06-15; test/audit/model-tables.test.ts checks it against the installed botocore).
 */
export const MODEL_ERROR_NAMES: ReadonlyMap<string, string> = new Map([
  ['ConcurrentModification', 'ConcurrentModificationException'],
  ['DeleteConflict', 'DeleteConflictException'],
  ['DuplicateCertificate', 'DuplicateCertificateException'],
  ['DuplicateSSHPublicKey', 'DuplicateSSHPublicKeyException'],
  ['EntityAlreadyExists', 'EntityAlreadyExistsException'],
  ['EntityTemporarilyUnmodifiable', 'EntityTemporarilyUnmodifiableException'],
  ['FeatureDisabled', 'FeatureDisabledException'],
  ['FeatureEnabled', 'FeatureEnabledException'],
  ['IDPCommunicationError', 'IDPCommunicationErrorException'],
  ['IDPRejectedClaim', 'IDPRejectedClaimException'],
  ['InvalidAuthenticationCode', 'InvalidAuthenticationCodeException'],
  ['InvalidCertificate', 'InvalidCertificateException'],
  ['InvalidIdentityToken', 'InvalidIdentityTokenException'],
  ['InvalidInput', 'InvalidInputException'],
  ['InvalidPublicKey', 'InvalidPublicKeyException'],
  ['InvalidUserType', 'InvalidUserTypeException'],
  ['KeyPairMismatch', 'KeyPairMismatchException'],
  ['LimitExceeded', 'LimitExceededException'],
  ['MalformedCertificate', 'MalformedCertificateException'],
  ['MalformedPolicyDocument', 'MalformedPolicyDocumentException'],
  ['NoSuchEntity', 'NoSuchEntityException'],
  ['NotSupportedService', 'ServiceNotSupportedException'],
  ['OpenIdIdpCommunicationError', 'OpenIdIdpCommunicationErrorException'],
  ['PackedPolicyTooLarge', 'PackedPolicyTooLargeException'],
  ['PasswordPolicyViolation', 'PasswordPolicyViolationException'],
  ['PolicyEvaluation', 'PolicyEvaluationException'],
  ['PolicyNotAttachable', 'PolicyNotAttachableException'],
  ['ReportExpired', 'CredentialReportExpiredException'],
  ['ReportGenerationLimitExceeded', 'ReportGenerationLimitExceededException'],
  ['ReportInProgress', 'CredentialReportNotReadyException'],
  ['ReportNotPresent', 'CredentialReportNotPresentException'],
  ['ServiceFailure', 'ServiceFailureException'],
  ['UnmodifiableEntity', 'UnmodifiableEntityException'],
  ['UnrecognizedPublicKeyEncoding', 'UnrecognizedPublicKeyEncodingException'],
])

/** The errorCode CloudTrail writes for an error sent with `code`. */
export function trailErrorCode(code: string): string {
  return MODEL_ERROR_NAMES.get(code) ?? code
}
