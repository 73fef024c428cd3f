/** Service-specific credentials: the store port's operations (StoreTx extends them). */
import type { Page, PageRequest } from './store.js'

/**
 * Credentials a user may have for one service ("You can have a maximum of two sets of
 * service-specific credentials for each supported service per user": CreateServiceSpecificCredential).
 */
export const SERVICE_CREDENTIALS_PER_USER_PER_SERVICE = 2

/** Active or Inactive, as UpdateServiceSpecificCredential sets it (Expired is worked out from the date). */
export type ServiceCredentialStatus = 'Active' | 'Inactive'

/**
 * What the credential is: a user name and password (CodeCommit's Git credentials, Amazon
 * Keyspaces), or an API key (Amazon Bedrock, CloudWatch Logs), whose public part IAM calls its
 * alias and whose secret is a bearer token.
 */
export type ServiceCredentialKind = 'password' | 'apiKey'

/** A service-specific credential, without its secret. */
export interface ServiceSpecificCredential {
  /** `ACCA` and 17 characters of `[A-Z2-7]`, like `ACCAQFODXMPL4YFHP7DZE`. */
  readonly credentialId: string
  readonly accountId: string
  /** The user's current name. */
  readonly userName: string
  /** E.g. `codecommit.amazonaws.com`, as given at creation. */
  readonly serviceName: string
  readonly kind: ServiceCredentialKind
  /**
   * The name IAM generated at creation: `<user>-at-<account>`, or `<user>+<n>-at-<account>` when
   * another credential of the account for the same service has that name already. It is the
   * ServiceUserName of a password and the ServiceCredentialAlias of an API key.
   */
  readonly serviceUserName: string
  /** As last set, or Expired once expiresAt has come (by the store's clock). */
  readonly status: ServiceCredentialStatus | 'Expired'
  readonly createdAt: Date
  /** When an API key created with an age stops working; null for one that never expires. */
  readonly expiresAt: Date | null
}

/** A credential with its secret: what create, reset and getServiceSpecificCredentialSecret return. */
export interface ServiceSpecificCredentialWithSecret {
  readonly credential: ServiceSpecificCredential
  /** The password, or the API key's bearer token. */
  readonly secret: string
}

/** A new service-specific credential. */
export interface NewServiceSpecificCredential {
  readonly accountId: string
  readonly userName: string
  readonly serviceName: string
  /**
   * For an API key, the text its secret begins with (`ABSK` for Bedrock); absent for a user name
   * and password. Which services take which kind is the IAM service's to know.
   */
  readonly apiKeyPrefix?: string
  /** For an API key: the days until it expires, counted from its creation. Never when absent. */
  readonly ageDays?: number
}

/** Which credentials a list holds. */
export interface ServiceSpecificCredentialListRequest extends PageRequest {
  /** One user's; every user's of the account when absent (ListServiceSpecificCredentials' AllUsers). */
  readonly userName?: string
  /** Only those of this service (exactly as written). */
  readonly serviceName?: string
}

/**
 * Service-specific credentials of IAM users. A credential is named by its account, its user and
 * its id; an id of another user or account, or that names no credential, is ServiceCredentialError
 * (notFound), after NotFoundError for a user that does not exist. Secrets are sealed at rest with
 * the master key and bound to the credential's id. Lists are in order of user name without case,
 * then service name, then creation, then id.
 */
export interface ServiceCredentialOps {
  /**
   * A new Active credential with a new random secret, stamped now. NotFoundError (user),
   * ServiceCredentialError (perServiceLimit) past SERVICE_CREDENTIALS_PER_USER_PER_SERVICE of the
   * user for the service.
   */
  createServiceSpecificCredential(
    input: NewServiceSpecificCredential,
  ): Promise<ServiceSpecificCredentialWithSecret>
  /** NotFoundError (user), ServiceCredentialError (notFound). */
  getServiceSpecificCredential(
    accountId: string,
    userName: string,
    credentialId: string,
  ): Promise<ServiceSpecificCredential>
  /**
   * SECURITY: the only way to read a stored secret (for a service that checks one). The caller
   * must not log or return it. NotFoundError (user), ServiceCredentialError (notFound).
   */
  getServiceSpecificCredentialSecret(
    accountId: string,
    userName: string,
    credentialId: string,
  ): Promise<ServiceSpecificCredentialWithSecret>
  /** NotFoundError (user) for a user named who does not exist. */
  listServiceSpecificCredentials(
    accountId: string,
    request?: ServiceSpecificCredentialListRequest,
  ): Promise<Page<ServiceSpecificCredential>>
  /**
   * Replaces the secret with a new random one of the same kind (the old one stops working at
   * once). NotFoundError (user), ServiceCredentialError (notFound).
   */
  resetServiceSpecificCredential(
    accountId: string,
    userName: string,
    credentialId: string,
  ): Promise<ServiceSpecificCredentialWithSecret>
  /** NotFoundError (user), ServiceCredentialError (notFound). */
  updateServiceSpecificCredentialStatus(
    accountId: string,
    userName: string,
    credentialId: string,
    status: ServiceCredentialStatus,
  ): Promise<void>
  /** NotFoundError (user), ServiceCredentialError (notFound). */
  deleteServiceSpecificCredential(
    accountId: string,
    userName: string,
    credentialId: string,
  ): Promise<void>
}
