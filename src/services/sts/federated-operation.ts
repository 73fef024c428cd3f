/**
 * STS's unsigned operations, AssumeRoleWithWebIdentity and AssumeRoleWithSAML: registry entries
 * like any other (so routing, the audit trail's eventName and the compatibility table know
 * them), but run by the pipeline's unsigned step, without a caller. Who calls is what the token
 * or assertion proves once verified, and the role's trust policy alone decides (no identity
 * policy is involved), so their context is not OperationContext: the handler opens its own
 * read-only transactions, around the identity provider's network round trip, not across it.
 */
import type { PolicyCompiler } from '../../auth/policy-compiler.js'
import type { RequestFacts } from '../../auth/context-keys.js'
import type { OidcKeySource } from '../../auth/federation/oidc-key-source.js'
import type { SessionTokenKey } from '../../auth/session-token.js'
import type { Decision } from '../../policy/index.js'
import type { QueryValue } from '../../protocol/query/query-value.js'
import { readParams } from '../../protocol/query/read-params.js'
import type { Store } from '../../store/store.js'
import { findAction } from '../action-catalog.js'
import type { InputShape, Operation, OperationResult, PreparedCall } from '../operation.js'

/**
 * Who federated, as CloudTrail's userIdentity names them for these calls: `WebIdentityUser`
 * (principalId `<provider ARN>:<aud>:<sub>`, userName the subject, identityProvider the provider
 * ARN) or `SAMLUser` (principalId `<NameQualifier>:<NameID>`, userName the NameID,
 * identityProvider the NameQualifier).
 */
export interface FederatedIdentity {
  readonly type: 'WebIdentityUser' | 'SAMLUser'
  readonly principalId: string
  readonly userName: string
  readonly identityProvider: string
}

/** What the call has learnt of who federates, as it learns it (for the trail and the log). */
export interface FederationProgress {
  /** The account of the role asked for: the account the call is recorded in. */
  readonly accountId?: string
  /** The identity provider's ARN, once the token or assertion named one. */
  readonly providerArn?: string
  /** Who federated, once the token or assertion is verified. */
  readonly identity?: FederatedIdentity
}

/** What an unsigned operation runs with. */
export interface FederationContext {
  readonly store: Store
  readonly compiler: PolicyCompiler
  /** The server's clock at the request. */
  readonly now: Date
  readonly sessionTokens: SessionTokenKey
  /** OpenID Connect issuers' keys, kept between requests. */
  readonly oidcKeys: OidcKeySource
  /** What the request tells about itself, for the global condition keys. */
  readonly facts: RequestFacts
  /**
   * The pipeline's enforcement: a denial stops the call with its message, or in report-only mode
   * is logged and let through.
   */
  readonly enforce: (decision: Decision, action: string, resource: string) => void
  /** Reports what the call has learnt (see FederationProgress). */
  readonly progress: (learnt: FederationProgress) => void
}

/** An unsigned operation: a registry entry that the pipeline's unsigned step runs. */
export interface FederatedOperation extends Operation {
  readonly federated: true
  /** Reads and checks the input, verifies the proof, and issues the session. */
  readonly federate: (
    params: ReadonlyMap<string, string>,
    ctx: FederationContext,
  ) => Promise<OperationResult>
}

/** Whether `operation` is one of the unsigned operations. */
export function isFederatedOperation(operation: Operation): operation is FederatedOperation {
  return (operation as Partial<FederatedOperation>).federated === true
}

/** How an unsigned operation is written. */
export interface FederatedOperationSpec<S extends InputShape> {
  readonly name: string
  readonly action: string
  readonly input: S
  readonly federate: (input: QueryValue<S>, ctx: FederationContext) => Promise<OperationResult>
}

/** Makes the registry entry of an unsigned operation. */
export function defineFederatedOperation<S extends InputShape>(
  spec: FederatedOperationSpec<S>,
): FederatedOperation {
  if (findAction(spec.action) === undefined) {
    throw new Error(`${spec.name}: ${spec.action} is not in the Service Authorization Reference`)
  }
  const unsignedOnly = (): never => {
    // The pipeline sends these actions to the unsigned step before it authenticates anything.
    throw new Error(`${spec.name} runs in the pipeline's unsigned step only`)
  }
  return {
    name: spec.name,
    action: spec.action,
    // It issues a token and writes nothing.
    readOnly: true,
    federated: true,
    prepare(params): PreparedCall {
      readParams(params, spec.input)
      return {
        writes: false,
        resource: unsignedOnly,
        conditionKeys: unsignedOnly,
        resourcePolicy: unsignedOnly,
        alsoAuthorize: unsignedOnly,
        handle: unsignedOnly,
      }
    },
    federate: (params, ctx) => spec.federate(readParams(params, spec.input), ctx),
  }
}
