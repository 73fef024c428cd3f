/**
 * The policy engine's public surface. Everything else in Gatehouse (enforcement, the simulator
 * APIs, the analyzers, the command line) uses the engine through these names only.
 */
export { parsePolicy, checkPolicy } from './parse-policy.js'
export type { ParsePolicyOptions, PolicyParseResult } from './parse-policy.js'
export { PolicyParseError, describeFaultLocation } from './policy-parse-error.js'
export type { PolicyFault } from './policy-parse-error.js'
export { MALFORMED_POLICY_MESSAGES } from './malformed-policy-messages.js'
export { POLICY_KINDS, POLICY_KIND_RULES, isPolicyKind } from './policy-kind.js'
export type { PolicyKind, PolicyKindRules } from './policy-kind.js'
export type {
  PolicyDocument,
  PolicyStatement,
  PolicyCondition,
  PolicyVersion,
  PrincipalElement,
} from './policy-document.js'
export { compilePolicy } from './compile-policy.js'
export type { CompiledPolicy, CompiledStatement } from './compile-policy.js'
export { buildPolicySet, evaluate } from './evaluate.js'
export type {
  Decision,
  DecisionKind,
  PolicySet,
  PolicySetInput,
  PolicySetView,
  ResourcePolicyKind,
} from './evaluate.js'
export type { DeniedBy } from './denial-message.js'
export { denialMessage } from './denial-message.js'
export { PRINCIPAL_TYPES, buildRequest, buildRequestContext } from './request-context.js'
export type {
  AuthorizationRequest,
  ContextValue,
  PrincipalType,
  RequestContext,
  RequestInput,
  RequestOrganization,
  RequestPrincipal,
} from './request-context.js'
export { listCases, prepareCase, runCase, checkCase, MalformedCaseError } from './policy-case.js'
export type { CaseExpectation, CaseResult, PreparedCase } from './policy-case.js'
