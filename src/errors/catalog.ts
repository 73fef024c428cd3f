// Generated from the IAM and STS models in botocore: do not edit by hand. Change
// scripts/generate-error-catalog.mjs and run
//   node scripts/generate-error-catalog.mjs > src/errors/catalog.ts

/** Whose fault an error is: the wire `<Type>` is `Sender` for client, `Receiver` for server. */
export type AwsFault = 'client' | 'server'

/** What the catalog fixes for one error code. */
export interface AwsErrorEntry {
  /** The HTTP status the error is sent with. */
  readonly status: number
  readonly fault: AwsFault
}

/**
 * Every AWS error code Gatehouse sends, keyed by its exact wire code, with the HTTP status and
 * fault AWS sends it with.
 */
export const AWS_ERRORS = {
  // IAM model (botocore iam/2010-05-08): the awsQueryError code, else the shape name.
  AccountNotManagementOrDelegatedAdministratorException: { status: 400, fault: 'client' },
  CallerIsNotManagementAccountException: { status: 400, fault: 'client' },
  ConcurrentModification: { status: 409, fault: 'client' },
  DeleteConflict: { status: 409, fault: 'client' },
  DuplicateCertificate: { status: 409, fault: 'client' },
  DuplicateSSHPublicKey: { status: 400, fault: 'client' },
  EntityAlreadyExists: { status: 409, fault: 'client' },
  EntityTemporarilyUnmodifiable: { status: 409, fault: 'client' },
  FeatureDisabled: { status: 404, fault: 'client' },
  FeatureEnabled: { status: 409, fault: 'client' },
  InvalidAuthenticationCode: { status: 403, fault: 'client' },
  InvalidCertificate: { status: 400, fault: 'client' },
  InvalidInput: { status: 400, fault: 'client' },
  InvalidPublicKey: { status: 400, fault: 'client' },
  InvalidUserType: { status: 400, fault: 'client' },
  KeyPairMismatch: { status: 400, fault: 'client' },
  LimitExceeded: { status: 409, fault: 'client' },
  MalformedCertificate: { status: 400, fault: 'client' },
  MalformedPolicyDocument: { status: 400, fault: 'client' },
  NoSuchEntity: { status: 404, fault: 'client' },
  NotSupportedService: { status: 404, fault: 'client' },
  OpenIdIdpCommunicationError: { status: 400, fault: 'client' },
  OrganizationNotFoundException: { status: 400, fault: 'client' },
  OrganizationNotInAllFeaturesModeException: { status: 400, fault: 'client' },
  PasswordPolicyViolation: { status: 400, fault: 'client' },
  PolicyEvaluation: { status: 500, fault: 'server' },
  PolicyNotAttachable: { status: 400, fault: 'client' },
  ReportExpired: { status: 410, fault: 'client' },
  ReportGenerationLimitExceeded: { status: 409, fault: 'client' },
  ReportInProgress: { status: 404, fault: 'client' },
  ReportNotPresent: { status: 410, fault: 'client' },
  ServiceAccessNotEnabledException: { status: 400, fault: 'client' },
  ServiceFailure: { status: 500, fault: 'server' },
  UnmodifiableEntity: { status: 400, fault: 'client' },
  UnrecognizedPublicKeyEncoding: { status: 400, fault: 'client' },
  // STS model (botocore sts/2011-06-15): the awsQueryError code, else the shape name. Codes of the
  // models above are not repeated.
  ExpiredTokenException: { status: 400, fault: 'client' },
  ExpiredTradeInTokenException: { status: 400, fault: 'client' },
  IDPCommunicationError: { status: 400, fault: 'client' },
  IDPRejectedClaim: { status: 403, fault: 'client' },
  InvalidAuthorizationMessageException: { status: 400, fault: 'client' },
  InvalidIdentityToken: { status: 400, fault: 'client' },
  JWTPayloadSizeExceededException: { status: 400, fault: 'client' },
  OutboundWebIdentityFederationDisabledException: { status: 403, fault: 'client' },
  PackedPolicyTooLarge: { status: 400, fault: 'client' },
  RegionDisabledException: { status: 403, fault: 'client' },
  SessionDurationEscalationException: { status: 403, fault: 'client' },
  // STS model of @aws-sdk/client-sts, for what botocore's does not have yet (GetScopedCredentials):
  // the awsQueryError code.
  InsufficientSessionLifetime: { status: 400, fault: 'client' },
  InvalidSubjectCredentials: { status: 400, fault: 'client' },
  // Common errors of AWS query services, in no model.
  // A policy denial; not AccessDeniedException.
  AccessDenied: { status: 403, fault: 'client' },
  // A signing session token has expired; STS's modeled ExpiredTokenException (400) is about a web
  // identity token.
  ExpiredToken: { status: 403, fault: 'client' },
  IncompleteSignature: { status: 400, fault: 'client' },
  InternalFailure: { status: 500, fault: 'server' },
  InvalidAction: { status: 400, fault: 'client' },
  InvalidClientTokenId: { status: 403, fault: 'client' },
  InvalidParameterCombination: { status: 400, fault: 'client' },
  InvalidParameterValue: { status: 400, fault: 'client' },
  InvalidQueryParameter: { status: 400, fault: 'client' },
  // AWS documents 404 for this one.
  MalformedQueryString: { status: 404, fault: 'client' },
  MissingAction: { status: 400, fault: 'client' },
  MissingAuthenticationToken: { status: 403, fault: 'client' },
  MissingParameter: { status: 400, fault: 'client' },
  OptInRequired: { status: 403, fault: 'client' },
  RequestExpired: { status: 400, fault: 'client' },
  ServiceUnavailable: { status: 503, fault: 'server' },
  SignatureDoesNotMatch: { status: 403, fault: 'client' },
  Throttling: { status: 400, fault: 'client' },
  ValidationError: { status: 400, fault: 'client' },
} as const satisfies Readonly<Record<string, AwsErrorEntry>>

/** An error code Gatehouse sends: a key of AWS_ERRORS, so a misspelt code does not compile. */
export type AwsErrorCode = keyof typeof AWS_ERRORS
