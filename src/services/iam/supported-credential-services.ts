/**
 * The services IAM makes service-specific credentials for, and which kind each takes. The model's
 * documentation of CreateServiceSpecificCredential names them: "You can create service-specific
 * credentials for Amazon Bedrock, Amazon CloudWatch Logs, CodeCommit and Amazon Keyspaces (for
 * Apache Cassandra)".
 */
import { AwsError } from '../../errors/aws-error.js'

/** A service that takes service-specific credentials. */
export interface CredentialService {
  /** As the request names it, e.g. `codecommit.amazonaws.com`. */
  readonly name: string
  /**
   * For a service that takes long-term API keys (ServiceCredentialAlias and
   * ServiceCredentialSecret, and an optional CredentialAgeDays), the text each key begins with;
   * undefined for one that takes a user name and password.
   */
  readonly apiKeyPrefix: string | undefined
}

/** The supported services by name, matched exactly as AWS lists them. */
export const SUPPORTED_CREDENTIAL_SERVICES: ReadonlyMap<string, CredentialService> = new Map(
  [
    // CodeCommit's Git credentials for HTTPS, and Amazon Keyspaces' Cassandra passwords.
    { name: 'codecommit.amazonaws.com', apiKeyPrefix: undefined },
    { name: 'cassandra.amazonaws.com', apiKeyPrefix: undefined },
    // Bedrock's long-term API keys begin with ABSK, as users quote the keys AWS gave them.
    { name: 'bedrock.amazonaws.com', apiKeyPrefix: 'ABSK' },
    // Invented prefix: CloudWatch Logs' own key prefix is not on record.
    { name: 'logs.amazonaws.com', apiKeyPrefix: 'ACWL' },
  ].map((service) => [service.name, service]),
)

/**
 * IAM's answer for a service without service-specific credentials. The wording is AWS's, as
 * LocalStack's tests recorded it against AWS (for a made-up service, a name that is no service,
 * and lambda.amazonaws.com); the code is the model's ServiceNotSupportedException
 * (NotSupportedService, 404), which AWS's reply carried as NoSuchEntity (404) in those records.
 */
export function notSupportedServiceMessage(serviceName: string): string {
  return `No such service ${serviceName} is supported for Service Specific Credentials`
}

/** The supported service `serviceName` names; NotSupportedService for any other. */
export function supportedService(serviceName: string): CredentialService {
  const service = SUPPORTED_CREDENTIAL_SERVICES.get(serviceName)
  if (service === undefined) {
    throw new AwsError('NotSupportedService', notSupportedServiceMessage(serviceName))
  }
  return service
}
