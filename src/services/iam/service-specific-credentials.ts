/**
 * Service-specific credentials of IAM users: CreateServiceSpecificCredential,
 * ListServiceSpecificCredentials, ResetServiceSpecificCredential,
 * UpdateServiceSpecificCredential, DeleteServiceSpecificCredential (reference §2,
 * "Service-specific credentials"). Each is authorized on the user; without UserName the last four
 * act on the caller's own credentials. A credential is a user name and password (CodeCommit,
 * Amazon Keyspaces) or a long-term API key (Amazon Bedrock, CloudWatch Logs); its secret is
 * returned by Create and Reset only.
 */
import { AwsError } from '../../errors/aws-error.js'
import type { ContextValue } from '../../policy/index.js'
import { entityArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import { ServiceCredentialError } from '../../store/service-credential-error.js'
import type {
  ServiceSpecificCredential,
  ServiceSpecificCredentialWithSecret,
} from '../../store/service-credentials-ops.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { pageEnd, pageRequest } from './results.js'
import { withServiceCredentialErrors } from './service-credential-aws-error.js'
import {
  ALL_USERS,
  CREDENTIAL_AGE_DAYS,
  SERVICE_NAME,
  SERVICE_SPECIFIC_CREDENTIAL_ID,
} from './service-credential-shapes.js'
import { PAGE_MEMBERS, STATUS, USER_NAME, required } from './shapes.js'
import { supportedService } from './supported-credential-services.js'
import { targetUserArn, targetUserName } from './target-user.js'

/** The ServiceSpecificCredential structure: Create's and Reset's, with the secret. */
type CredentialXml = {
  readonly CreateDate: Date
  readonly ExpirationDate: Date | undefined
  readonly ServiceName: string
  readonly ServiceUserName: string | undefined
  readonly ServicePassword: string | undefined
  readonly ServiceCredentialAlias: string | undefined
  readonly ServiceCredentialSecret: string | undefined
  readonly ServiceSpecificCredentialId: string
  readonly UserName: string
  readonly Status: string
}

/** ServiceSpecificCredentialMetadata, as ListServiceSpecificCredentials returns it. */
type MetadataXml = {
  readonly UserName: string
  readonly Status: string
  readonly ServiceUserName: string | undefined
  readonly ServiceCredentialAlias: string | undefined
  readonly CreateDate: Date
  readonly ExpirationDate: Date | undefined
  readonly ServiceSpecificCredentialId: string
  readonly ServiceName: string
}

/** The generated name in the member its kind uses: ServiceUserName or ServiceCredentialAlias. */
function names(credential: ServiceSpecificCredential): {
  readonly ServiceUserName: string | undefined
  readonly ServiceCredentialAlias: string | undefined
} {
  const password = credential.kind === 'password'
  return {
    ServiceUserName: password ? credential.serviceUserName : undefined,
    ServiceCredentialAlias: password ? undefined : credential.serviceUserName,
  }
}

function credentialXml(made: ServiceSpecificCredentialWithSecret): CredentialXml {
  const { credential, secret } = made
  const password = credential.kind === 'password'
  // SECURITY: the secret leaves the server here and nowhere else; the trail leaves both members
  // out of the record (src/audit/redact.ts).
  return {
    CreateDate: credential.createdAt,
    ExpirationDate: credential.expiresAt ?? undefined,
    ServiceName: credential.serviceName,
    ...names(credential),
    ServicePassword: password ? secret : undefined,
    ServiceCredentialSecret: password ? undefined : secret,
    ServiceSpecificCredentialId: credential.credentialId,
    UserName: credential.userName,
    Status: credential.status,
  }
}

function metadataXml(credential: ServiceSpecificCredential): MetadataXml {
  return {
    UserName: credential.userName,
    Status: credential.status,
    ...names(credential),
    CreateDate: credential.createdAt,
    ExpirationDate: credential.expiresAt ?? undefined,
    ServiceSpecificCredentialId: credential.credentialId,
    ServiceName: credential.serviceName,
  }
}

/**
 * The user a call on one credential acts on: the one UserName names, else the caller. The root
 * user has no service-specific credentials, so any id is unknown to it.
 */
function credentialOwner(ctx: OperationContext, userName: string | undefined, id: string): string {
  const owner = targetUserName(ctx.caller, userName)
  if (owner === null) throw new ServiceCredentialError('notFound', id)
  return owner
}

/**
 * iam:ServiceSpecificCredentialServiceName for a call on an existing credential: the service it
 * is for. Nothing for a user or credential that does not exist; the handler reports those, after
 * the caller is known to be allowed to learn it.
 */
async function credentialServiceKey(
  ctx: OperationContext,
  userName: string | undefined,
  id: string,
): Promise<Record<string, ContextValue>> {
  const owner = targetUserName(ctx.caller, userName)
  if (owner === null) return {}
  try {
    const credential = await ctx.tx.getServiceSpecificCredential(ctx.caller.accountId, owner, id)
    return { 'iam:ServiceSpecificCredentialServiceName': credential.serviceName }
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof ServiceCredentialError) return {}
    throw err
  }
}

/**
 * CreateServiceSpecificCredential: a new Active credential of the user for the service and, in
 * this response only, its secret. Checked in this order: the user (NoSuchEntity) before the
 * service (NotSupportedService), as AWS answered a missing user with a bad service in LocalStack's
 * recorded tests; then CredentialAgeDays, only for an API key (InvalidInput); then the quota of
 * two per user and service (LimitExceeded).
 */
export const CREATE_SERVICE_SPECIFIC_CREDENTIAL = defineOperation({
  name: 'CreateServiceSpecificCredential',
  action: 'iam:CreateServiceSpecificCredential',
  input: {
    kind: 'structure',
    members: {
      UserName: required(USER_NAME),
      ServiceName: required(SERVICE_NAME),
      CredentialAgeDays: CREDENTIAL_AGE_DAYS,
    },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  // The keys AWS added so that a policy can allow some services only, and API keys of a bounded age.
  conditionKeys: (input) => ({
    'iam:ServiceSpecificCredentialServiceName': input.ServiceName,
    ...(input.CredentialAgeDays === undefined
      ? {}
      : { 'iam:ServiceSpecificCredentialAgeDays': String(input.CredentialAgeDays) }),
  }),
  handle: (input, ctx) =>
    withServiceCredentialErrors(async () => {
      const { tx, caller } = ctx
      await tx.getUser(caller.accountId, input.UserName)
      const service = supportedService(input.ServiceName)
      if (input.CredentialAgeDays !== undefined && service.apiKeyPrefix === undefined) {
        // Invented message: the model says only that the field "is only valid for Bedrock and
        // CloudWatch Logs API keys"; AWS's wording for the refusal is not on record.
        throw new AwsError(
          'InvalidInput',
          `CredentialAgeDays is only valid for API keys, not for ${service.name} credentials.`,
        )
      }
      const made = await tx.createServiceSpecificCredential({
        accountId: caller.accountId,
        userName: input.UserName,
        serviceName: service.name,
        ...(service.apiKeyPrefix === undefined ? {} : { apiKeyPrefix: service.apiKeyPrefix }),
        ...(input.CredentialAgeDays === undefined ? {} : { ageDays: input.CredentialAgeDays }),
      })
      return { ServiceSpecificCredential: credentialXml(made) }
    }),
})

/**
 * ListServiceSpecificCredentials: a user's credentials (the caller's without UserName), or with
 * AllUsers every user's of the account, of one service or all, without their secrets. AllUsers
 * is authorized on every user (`user/*`): it shows what each of them holds.
 */
export const LIST_SERVICE_SPECIFIC_CREDENTIALS = defineOperation({
  name: 'ListServiceSpecificCredentials',
  action: 'iam:ListServiceSpecificCredentials',
  input: {
    kind: 'structure',
    members: {
      UserName: USER_NAME,
      ServiceName: SERVICE_NAME,
      AllUsers: ALL_USERS,
      ...PAGE_MEMBERS,
    },
  } as const,
  resource: (input, ctx) =>
    input.AllUsers === true
      ? entityArn('user', ctx.caller.accountId, '/', '*')
      : targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const { tx, caller } = ctx
    const allUsers = input.AllUsers === true
    if (allUsers && input.UserName !== undefined) {
      // Invented message: the model says AllUsers "cannot be specified together with UserName";
      // AWS's wording for the refusal is not on record.
      throw new AwsError('InvalidInput', 'AllUsers cannot be specified together with UserName.')
    }
    const userName = allUsers ? undefined : targetUserName(caller, input.UserName)
    if (userName !== undefined && userName !== null) await tx.getUser(caller.accountId, userName)
    if (input.ServiceName !== undefined) supportedService(input.ServiceName)
    // The root user has no service-specific credentials: its own list is empty.
    const page =
      userName === null
        ? { items: [], marker: null }
        : await tx.listServiceSpecificCredentials(caller.accountId, {
            ...pageRequest(input),
            ...(userName === undefined ? {} : { userName }),
            ...(input.ServiceName === undefined ? {} : { serviceName: input.ServiceName }),
          })
    return {
      ServiceSpecificCredentials: page.items.map(metadataXml),
      ...pageEnd(page),
    }
  },
})

/** Members of the calls on one credential. */
const ONE_CREDENTIAL = {
  UserName: USER_NAME,
  ServiceSpecificCredentialId: required(SERVICE_SPECIFIC_CREDENTIAL_ID),
} as const

/**
 * ResetServiceSpecificCredential: a new secret, of the credential's kind, returned in this
 * response only; the old one stops working at once.
 */
export const RESET_SERVICE_SPECIFIC_CREDENTIAL = defineOperation({
  name: 'ResetServiceSpecificCredential',
  action: 'iam:ResetServiceSpecificCredential',
  input: { kind: 'structure', members: ONE_CREDENTIAL } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  conditionKeys: (input, ctx) =>
    credentialServiceKey(ctx, input.UserName, input.ServiceSpecificCredentialId),
  handle: (input, ctx) =>
    withServiceCredentialErrors(async () => {
      const id = input.ServiceSpecificCredentialId
      const made = await ctx.tx.resetServiceSpecificCredential(
        ctx.caller.accountId,
        credentialOwner(ctx, input.UserName, id),
        id,
      )
      return { ServiceSpecificCredential: credentialXml(made) }
    }),
})

/** UpdateServiceSpecificCredential: makes a credential Active or Inactive. */
export const UPDATE_SERVICE_SPECIFIC_CREDENTIAL = defineOperation({
  name: 'UpdateServiceSpecificCredential',
  action: 'iam:UpdateServiceSpecificCredential',
  input: {
    kind: 'structure',
    members: { ...ONE_CREDENTIAL, Status: required(STATUS) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  conditionKeys: (input, ctx) =>
    credentialServiceKey(ctx, input.UserName, input.ServiceSpecificCredentialId),
  handle: (input, ctx) =>
    withServiceCredentialErrors(async () => {
      // statusType also has Expired, which IAM sets on an API key whose time has come.
      if (input.Status === 'Expired') {
        // Invented message: AWS's wording for this refusal is not on record.
        throw new AwsError(
          'InvalidInput',
          'Status Expired is not valid for a service-specific credential: use Active or Inactive.',
        )
      }
      const id = input.ServiceSpecificCredentialId
      await ctx.tx.updateServiceSpecificCredentialStatus(
        ctx.caller.accountId,
        credentialOwner(ctx, input.UserName, id),
        id,
        input.Status,
      )
      return undefined
    }),
})

/** DeleteServiceSpecificCredential. */
export const DELETE_SERVICE_SPECIFIC_CREDENTIAL = defineOperation({
  name: 'DeleteServiceSpecificCredential',
  action: 'iam:DeleteServiceSpecificCredential',
  input: { kind: 'structure', members: ONE_CREDENTIAL } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  conditionKeys: (input, ctx) =>
    credentialServiceKey(ctx, input.UserName, input.ServiceSpecificCredentialId),
  handle: (input, ctx) =>
    withServiceCredentialErrors(async () => {
      const id = input.ServiceSpecificCredentialId
      await ctx.tx.deleteServiceSpecificCredential(
        ctx.caller.accountId,
        credentialOwner(ctx, input.UserName, id),
        id,
      )
      return undefined
    }),
})
