/**
 * Fuzz tests of the policy engine with fast-check: random and mutated policy documents never
 * crash the parser or the evaluator (the only failure is a clean parse error), and the engine's
 * work grows linearly with its input. Seeds are fixed so every run, locally and in CI, is the same.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import fc from 'fast-check'
import { BASE_OPERATORS } from '../../src/policy/conditions/condition-operator.js'
import {
  POLICY_KINDS,
  POLICY_KIND_RULES,
  PRINCIPAL_TYPES,
  PolicyParseError,
  buildPolicySet,
  buildRequest,
  checkPolicy,
  compilePolicy,
  evaluate,
  parsePolicy,
} from '../../src/policy/index.js'
import type {
  CompiledPolicy,
  ContextValue,
  Decision,
  PolicyDocument,
  PolicyKind,
  PolicyParseResult,
  PolicySet,
  PolicySetInput,
  PrincipalType,
  RequestInput,
} from '../../src/policy/index.js'

// ---------------------------------------------------------------------------------------------
// A document model that can say what JSON.stringify cannot: repeated keys, raw (possibly
// invalid) text, lone surrogates and control characters left unescaped.

/** An object whose members keep their order, duplicates included. */
class Obj {
  constructor(readonly entries: readonly (readonly [string, Doc])[]) {}
}

/** Text spliced into the document as it is (deep nesting, unescaped strings, broken JSON). */
class Raw {
  constructor(readonly text: string) {}
}

type Doc = null | boolean | number | string | Raw | Obj | Doc[]

function toText(doc: Doc): string {
  if (doc instanceof Raw) return doc.text
  if (doc instanceof Obj) {
    return `{${doc.entries.map(([key, value]) => `${JSON.stringify(key)}:${toText(value)}`).join(',')}}`
  }
  if (Array.isArray(doc)) return `[${doc.map(toText).join(',')}]`
  return JSON.stringify(doc)
}

/** The document as an already-parsed value (the path policies embedded in case files take). */
function toValue(doc: Doc): unknown {
  if (doc instanceof Raw) {
    try {
      return JSON.parse(doc.text) as unknown
    } catch {
      return doc.text // not JSON on its own: the value path sees it as a plain string
    }
  }
  if (doc instanceof Obj) {
    return Object.fromEntries(doc.entries.map(([key, value]) => [key, toValue(value)]))
  }
  if (Array.isArray(doc)) return doc.map(toValue)
  return doc
}

function countNodes(doc: Doc): number {
  if (doc instanceof Obj) return 1 + doc.entries.reduce((n, [, v]) => n + countNodes(v), 0)
  if (Array.isArray(doc)) return 1 + doc.reduce((n: number, v) => n + countNodes(v), 0)
  return 1
}

/** Replaces the node at pre-order position `index` (modulo the node count) with `graft`. */
function graftAt(doc: Doc, index: number, graft: Doc): Doc {
  let position = index % countNodes(doc)
  const walk = (node: Doc): Doc => {
    if (position === 0) {
      position = -1
      return graft
    }
    position--
    if (position < 0) return node
    if (node instanceof Obj) return new Obj(node.entries.map(([k, v]) => [k, walk(v)] as const))
    if (Array.isArray(node)) return node.map(walk)
    return node
  }
  return walk(doc)
}

// ---------------------------------------------------------------------------------------------
// Generators.

const ACCOUNT = '111122223333'
const OTHER_ACCOUNT = '444455556666'
// Names that a plain object literal answers from Object.prototype.
const PROTOTYPE_NAMES = ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty']

/** One character, often a hostile one: astral, lone surrogate, control, JSON or wildcard syntax. */
const nastyChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\u2028',
      '\ufeff',
      '\ufffd',
      '\u{10ffff}',
      '\u{1f600}',
      '\u0130',
      '"',
      '\\',
      '*',
      '?',
      '$',
      '{',
      '}',
      ':',
      '/',
      ' ',
    ),
  },
)
const nastyString = fc.string({ unit: nastyChar, maxLength: 24 })

/** A string left unescaped in the JSON text (control characters and lone surrogates stay raw). */
const rawString = nastyString.map((s) => new Raw(`"${s.replace(/["\\]/g, '\\$&')}"`))

/** Patterns rich in `*` and `?`. */
const wildcardPattern = fc.string({
  unit: fc.constantFrom('a', 'b', 'A', '*', '?', '**', '*?', '/', '-', '.', '${*}', '${?}'),
  minLength: 1,
  maxLength: 24,
})

const policyVariable = fc.oneof(
  fc.constantFrom(
    '${aws:username}',
    '${aws:userid}',
    '${aws:PrincipalTag/team}',
    "${aws:PrincipalTag/team, 'none'}",
    "${aws:username,'x'}",
    '${s3:prefix}',
    '${aws:SourceIp}',
    '${aws:TagKeys}',
    '${*}',
    '${?}',
    '${$}',
    // malformed
    '${',
    '${}',
    '$}',
    '${ }',
    '${aws:username',
    "${a, 'x}",
    "${a, 'b', 'c'}",
    '${${aws:username}}',
    '$${aws:username}}',
    '${a b}',
    '${**}',
    ...PROTOTYPE_NAMES.map((name) => `\${${name}}`),
  ),
  fc
    .tuple(nastyString, sometimes(nastyString, 0.3))
    .map(([key, fallback]) => (fallback === null ? `\${${key}}` : `\${${key}, '${fallback}'}`)),
)

/** Text mixing literals, wildcards and (possibly malformed) policy variables. */
const templateString = fc
  .array(
    fc.oneof(
      fc.constantFrom('home/', 'alice', 'a', '/', 'team-', ''),
      wildcardPattern,
      policyVariable,
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''))

/** Wrong JSON types for any element. */
const wrongType: fc.Arbitrary<Doc> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(new Raw('1e999')),
  fc.constant(new Raw('-0.0E+00')),
  fc.constant<Doc>([]),
  fc.constant(new Obj([])),
  fc.constant<Doc>([[]]),
  fc.constant<Doc>([null, 1, 'x']),
  fc.constant(new Obj([['AWS', new Obj([])]])),
)

const serviceName = fc.constantFrom('s3', 'iam', 'sts', 'kms', 'ec2', 'dynamodb', 'S3')
const actionName = fc.oneof(
  fc.constantFrom('GetObject', 'PutObject', 'CreateUser', 'AssumeRole', 'Decrypt', 'Describe*'),
  wildcardPattern.map((p) => p.replace(/[\s:]/g, 'x')),
)
const plausibleAction = fc.oneof(
  fc.constantFrom(
    '*',
    's3:GetObject',
    's3:*',
    's3:Get*',
    's3:?etObject',
    'iam:*',
    'iam:CreateUser',
    'sts:AssumeRole',
    'sts:GetCallerIdentity',
    'kms:Decrypt',
    'ec2:Describe*',
    'S3:GETOBJECT',
  ),
  fc.tuple(serviceName, actionName).map(([service, name]) => `${service}:${name}`),
)
const assumeRoleAction = fc.constantFrom(
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:TagSession',
  'sts:AssumeRole*',
  'STS:assumerole',
  'sts:*',
  '*',
)
const anyAction = fc.oneof(
  { weight: 3, arbitrary: plausibleAction },
  { weight: 1, arbitrary: fc.constantFrom('*:*', 's?:Get', 's3', 's3:a:b', 'a b:c', ':', '') },
  { weight: 1, arbitrary: nastyString },
  { weight: 1, arbitrary: wildcardPattern },
  { weight: 1, arbitrary: templateString },
)

const arnPart = fc.oneof(
  fc.constantFrom('', '*', 'aws', 'aws-cn', 's3', 'iam', 'kms', 'us-east-1', ACCOUNT, '?', '*:*'),
  wildcardPattern,
)
const resourcePart = fc.oneof(
  fc.constantFrom('bucket', 'bucket/*', 'user/alice', 'role/r', 'key/*', '*'),
  templateString.filter((t) => t !== ''),
)
const plausibleResource = fc.oneof(
  fc.constantFrom(
    '*',
    'arn:aws:s3:::bucket',
    'arn:aws:s3:::bucket/*',
    'arn:aws:s3:::bucket/${aws:username}/*',
    'arn:aws:s3:::bucket/${*}*',
    'arn:aws:s3:::*',
    `arn:aws:iam::${ACCOUNT}:user/*`,
    `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`,
    'arn:aws:iam::*:role/${aws:PrincipalTag/team}',
    `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
    'arn:aws:dynamodb:*:*:table/*',
  ),
  fc
    .tuple(fc.constantFrom('s3:::', 's3:::bucket/'), resourcePart)
    .map(([a, b]) => `arn:aws:${a}${b}`),
  fc
    .tuple(
      fc.constantFrom('kms', 'ec2', 'dynamodb', 'sqs', 'lambda'),
      fc.constantFrom('us-east-1', '*', 'us-*', 'eu-west-?'),
      fc.constantFrom(ACCOUNT, OTHER_ACCOUNT, '*', '1111*'),
      resourcePart,
    )
    .map((parts) => `arn:aws:${parts.join(':')}`),
)
const anyResource = fc.oneof(
  { weight: 3, arbitrary: plausibleResource },
  {
    weight: 1,
    arbitrary: fc
      .tuple(arnPart, arnPart, arnPart, arnPart, resourcePart)
      .map((parts) => `arn:${parts.join(':')}`),
  },
  { weight: 1, arbitrary: fc.array(arnPart, { maxLength: 8 }).map((parts) => parts.join(':')) },
  { weight: 1, arbitrary: nastyString },
)

const PRINCIPAL_VALUES = {
  AWS: [
    '*',
    ACCOUNT,
    `arn:aws:iam::${ACCOUNT}:root`,
    `arn:aws:iam::${OTHER_ACCOUNT}:root`,
    `arn:aws:iam::${ACCOUNT}:user/alice`,
    `arn:aws:iam::${ACCOUNT}:user/path/to/bob`,
    `arn:aws:iam::${ACCOUNT}:role/r`,
    `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
    `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
    'AIDAEXAMPLEEXAMPLE12',
  ],
  Service: ['s3.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com'],
  Federated: [
    `arn:aws:iam::${ACCOUNT}:saml-provider/idp`,
    'cognito-identity.amazonaws.com',
    'accounts.google.com',
  ],
  CanonicalUser: ['79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'],
}
const principalValue = fc.constantFrom(...Object.values(PRINCIPAL_VALUES).flat())
const principalTypeKey = fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser')
/** A principal map whose values suit their types. */
const principalMap: fc.Arbitrary<Obj> = fc
  .uniqueArray(
    fc.oneof(
      ...Object.entries(PRINCIPAL_VALUES).map(([type, values]) =>
        fc
          .oneof(
            fc.constantFrom(...values),
            fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }),
          )
          .map((value): [string, Doc] => [type, value]),
      ),
    ),
    { minLength: 1, maxLength: 3, selector: ([type]) => type },
  )
  .map((entries) => new Obj(entries))
const anyPrincipal: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(fc.constant('*'), principalMap) },
  {
    weight: 1,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(principalTypeKey, fc.constantFrom('aws', 'Other', ...PROTOTYPE_NAMES)),
          fc.oneof(principalValue, nastyString, wildcardPattern, wrongType),
        ),
        { maxLength: 4 },
      )
      .map((entries) => new Obj(entries)),
  },
  { weight: 1, arbitrary: fc.oneof(nastyString, wrongType) },
)

const operatorName = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '', 'ForAllValues:', 'ForAnyValue:'),
        fc.constantFrom(...BASE_OPERATORS),
        fc.constantFrom('', '', 'IfExists'),
      )
      .map((parts) => parts.join('')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'stringequals',
      'StringLikeX',
      'ForAllValues:',
      'IfExists',
      'NullIfExists',
      'ForAnyValue:Null',
      'ForSomeValues:StringLike',
      'ForAllValues:ForAnyValue:StringLike',
      '',
      ...PROTOTYPE_NAMES,
    ),
  },
  { weight: 1, arbitrary: nastyString },
)
const conditionKey = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'aws:username',
      'aws:userid',
      'aws:SourceIp',
      'aws:CurrentTime',
      'aws:EpochTime',
      'aws:MultiFactorAuthPresent',
      'aws:PrincipalTag/team',
      'aws:TagKeys',
      'aws:PrincipalArn',
      'aws:SourceArn',
      'aws:PrincipalType',
      'AWS:USERNAME',
      's3:prefix',
      'kms:EncryptionContext:k',
    ),
  },
  { weight: 1, arbitrary: nastyString },
)
// Condition values by operator family, so plausible conditions get values of the right sort.
const VALUES_BY_FAMILY = {
  String: ['alice', 'bob', 'home/*', 'team-a', 'User', 'AssumedRole', '', 'a*b?c'],
  Numeric: ['1', '-1.5', '.5', '10', '1e3', 'NaN', '007'],
  Date: ['2026-01-01T00:00:00Z', '2026', '2026-01-01', '1700000000', '2026-01-01T10:00:00+05:30'],
  Bool: ['true', 'false', 'TRUE'],
  Binary: ['aGVsbG8=', 'QUJD', '!!!'],
  Ip: [
    '10.0.0.0/8',
    '192.168.1.1',
    '::1',
    '2001:db8::/32',
    '::ffff:10.1.2.3',
    '256.1.1.1',
    '1.2.3.4/33',
  ],
  Arn: [
    `arn:aws:iam::${ACCOUNT}:user/alice`,
    'arn:aws:s3:::bucket/*',
    'arn:aws:*:*:*:*',
    'arn:aws:iam::*:role/${aws:username}',
  ],
  Null: ['true', 'false'],
}
type Family = keyof typeof VALUES_BY_FAMILY
function familyOf(operator: string): Family {
  for (const family of ['String', 'Numeric', 'Date', 'Bool', 'Binary', 'Arn', 'Null'] as const) {
    if (operator.startsWith(family)) return family
  }
  return 'Ip'
}
const conditionText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...Object.values(VALUES_BY_FAMILY).flat()) },
  { weight: 1, arbitrary: wildcardPattern },
  { weight: 1, arbitrary: templateString },
  { weight: 1, arbitrary: nastyString },
)
const conditionScalar: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 6, arbitrary: conditionText },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean()) },
)
const conditionValues: fc.Arbitrary<Doc> = fc.oneof(
  conditionScalar,
  fc.array(conditionScalar, { maxLength: 4 }),
)

/** One operator with keys and values of the operator's sort. */
function operatorBlock(base: string): fc.Arbitrary<[string, Doc]> {
  const family = familyOf(base)
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...VALUES_BY_FAMILY[family]) },
    { weight: family === 'String' || family === 'Arn' ? 2 : 0, arbitrary: templateString },
  )
  const scalar: fc.Arbitrary<Doc> =
    family === 'Bool' || family === 'Null'
      ? fc.oneof(text, fc.boolean())
      : family === 'Numeric'
        ? fc.oneof(text, fc.integer())
        : text
  const block = fc
    .uniqueArray(
      fc.tuple(conditionKey, fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 3 }))),
      { minLength: 1, maxLength: 2, selector: ([key]) => key },
    )
    .map((entries) => new Obj(entries))
  return fc
    .tuple(fc.constantFrom('', '', 'ForAllValues:', 'ForAnyValue:'), fc.boolean(), block)
    .map(([set, ifExists, b]): [string, Doc] => [
      base === 'Null' ? base : `${set}${base}${ifExists ? 'IfExists' : ''}`,
      b,
    ])
}
const plausibleOperatorBlock = fc.oneof(...BASE_OPERATORS.map(operatorBlock))
const plausibleCondition: fc.Arbitrary<Obj> = fc
  .uniqueArray(plausibleOperatorBlock, { minLength: 1, maxLength: 3, selector: ([op]) => op })
  .map((entries) => new Obj(entries))
const anyCondition: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 4, arbitrary: plausibleCondition },
  {
    weight: 1,
    arbitrary: fc
      .array(
        fc.tuple(
          operatorName,
          fc.oneof(
            wrongType,
            fc
              .array(fc.tuple(conditionKey, fc.oneof(conditionValues, wrongType)), {
                maxLength: 3,
              })
              .map((entries) => new Obj(entries)),
          ),
        ),
        { maxLength: 3 },
      )
      .map((entries) => new Obj(entries)),
  },
  { weight: 1, arbitrary: wrongType },
)

const alphanumericSid = fc.stringMatching(/^[0-9A-Za-z]{0,8}$/)
const anySid = fc.oneof(
  { weight: 4, arbitrary: alphanumericSid },
  { weight: 1, arbitrary: nastyString },
)
const version = fc.constantFrom('2012-10-17', '2012-10-17', '2012-10-17', '2008-10-17')

/** Present with probability `p`, else null. */
function sometimes<T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | null> {
  const weight = 1000
  return fc.oneof(
    { weight: Math.round(p * weight), arbitrary: arb },
    { weight: Math.round((1 - p) * weight), arbitrary: fc.constant(null) },
  )
}

function stringOrList(item: fc.Arbitrary<string>): fc.Arbitrary<Doc> {
  return fc.oneof(item, fc.array(item, { minLength: 1, maxLength: 4 }))
}

/** A statement valid for its kind nine times in ten, with a rare corruption. */
function plausibleStatement(kind: PolicyKind): fc.Arbitrary<Obj> {
  const rules = POLICY_KIND_RULES[kind]
  const action = rules.assumeRoleActionsOnly ? assumeRoleAction : plausibleAction
  const principal = rules.bareStarPrincipal
    ? fc.oneof(fc.constant('*'), principalMap)
    : principalMap
  return fc
    .record({
      sid: sometimes(alphanumericSid, 0.5),
      effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      principal,
      notPrincipal: fc.boolean(),
      action: stringOrList(action),
      notAction: fc.nat(4).map((n) => n === 0 && !rules.assumeRoleActionsOnly),
      resource: stringOrList(plausibleResource),
      notResource: fc.nat(4).map((n) => n === 0),
      condition: sometimes(plausibleCondition, 0.5),
      noise: sometimes(
        fc.record({
          at: fc.nat(),
          key: fc.constantFrom('Sid', 'Effect', 'Action', 'Condition', 'Extra', 'Principal'),
          value: fc.oneof(wrongType, nastyString),
        }),
        0.05,
      ),
    })
    .map((r) => {
      const entries: [string, Doc][] = []
      if (r.sid !== null) entries.push(['Sid', r.sid])
      entries.push(['Effect', r.effect])
      if (rules.principal === 'required') {
        const negated = r.notPrincipal && rules.notPrincipal && r.effect === 'Deny'
        entries.push([negated ? 'NotPrincipal' : 'Principal', r.principal])
      }
      entries.push([r.notAction ? 'NotAction' : 'Action', r.action])
      if (rules.resource === 'required') {
        entries.push([r.notResource ? 'NotResource' : 'Resource', r.resource])
      }
      if (r.condition !== null) entries.push(['Condition', r.condition])
      if (r.noise !== null) {
        entries.splice(r.noise.at % (entries.length + 1), 0, [r.noise.key, r.noise.value])
      }
      return new Obj(entries)
    })
}

function plausiblePolicy(kind: PolicyKind): fc.Arbitrary<Obj> {
  const statement = PLAUSIBLE_STATEMENTS[kind]
  return fc
    .record({
      version: POLICY_KIND_RULES[kind].requiresCurrentVersion
        ? fc.constant('2012-10-17')
        : sometimes(version, 0.9),
      id: sometimes(fc.stringMatching(/^[a-z0-9-]{1,12}$/), 0.2),
      statement: fc.oneof(
        { weight: 1, arbitrary: statement },
        { weight: 3, arbitrary: fc.array(statement, { minLength: 1, maxLength: 5 }) },
      ),
    })
    .map((r) => {
      const entries: [string, Doc][] = []
      if (r.version !== null) entries.push(['Version', r.version])
      if (r.id !== null) entries.push(['Id', r.id])
      entries.push(['Statement', r.statement])
      return new Obj(entries)
    })
}

const kindArb = fc.constantFrom(...POLICY_KINDS)
// Built once per kind: building arbitraries inside chain() on every draw is slow.
const PLAUSIBLE_STATEMENTS = Object.fromEntries(
  POLICY_KINDS.map((kind) => [kind, plausibleStatement(kind)]),
) as Record<PolicyKind, fc.Arbitrary<Obj>>
const anyPlausibleStatement = fc.oneof(...POLICY_KINDS.map((kind) => PLAUSIBLE_STATEMENTS[kind]))
const kindAndPolicy = fc.oneof(
  ...POLICY_KINDS.map((kind) => plausiblePolicy(kind).map((doc) => ({ kind, doc }))),
)

/** Any value that might sit in a statement element. */
const elementValue: fc.Arbitrary<Doc> = fc.oneof(
  stringOrList(anyAction),
  stringOrList(anyResource),
  anyPrincipal,
  anyCondition,
  fc.constantFrom('Allow', 'Deny', 'allow', 'DENY', 'Permit', ''),
  anySid,
  wrongType,
  rawString,
  fc.array(fc.oneof(nastyString, wrongType), { maxLength: 4 }),
)
const statementKey = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      'Sid',
      'Effect',
      'Principal',
      'NotPrincipal',
      'Action',
      'NotAction',
      'Resource',
      'NotResource',
      'Condition',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('effect', 'Actions', '', ...PROTOTYPE_NAMES) },
  { weight: 1, arbitrary: nastyString },
)
/** A statement of random elements, or a plausible one with one element replaced. */
const hostileStatement: fc.Arbitrary<Doc> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(statementKey, elementValue), { maxLength: 9 })
      .map((entries) => new Obj(entries)),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(anyPlausibleStatement, fc.nat(), statementKey, elementValue)
      .map(([statement, at, key, value]) => {
        const entries = [...statement.entries]
        entries.splice(at % (entries.length + 1), 1, [key, value])
        return new Obj(entries)
      }),
  },
  { weight: 2, arbitrary: anyPlausibleStatement },
  { weight: 1, arbitrary: wrongType },
)
const topKey = fc.oneof(
  fc.constantFrom('Version', 'Id', 'Statement', 'version', 'Statements', '__proto__'),
  nastyString,
)
/** Policy-shaped documents with random elements, wrong types, repeated and unknown keys. */
const hostilePolicy: fc.Arbitrary<Doc> = fc
  .record({
    version: sometimes(fc.oneof(version, nastyString, wrongType), 0.75),
    id: sometimes(fc.oneof(nastyString, wrongType), 0.3),
    statement: sometimes(
      fc.oneof(hostileStatement, fc.array(hostileStatement, { maxLength: 6 })),
      0.9,
    ),
    extra: fc.array(fc.tuple(fc.nat(), topKey, fc.oneof(wrongType, nastyString)), {
      maxLength: 2,
    }),
  })
  .map((r) => {
    const entries: [string, Doc][] = []
    if (r.version !== null) entries.push(['Version', r.version])
    if (r.id !== null) entries.push(['Id', r.id])
    if (r.statement !== null) entries.push(['Statement', r.statement])
    for (const [at, key, value] of r.extra) {
      entries.splice(at % (entries.length + 1), 0, [key, value])
    }
    return new Obj(entries)
  })

// Extreme shapes: nesting beyond the reader's depth bound, thousands of items, 100k-char strings.

const deepNesting: fc.Arbitrary<Doc> = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 20, max: 120 }),
      fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"Statement":[', ']}'], ['[{"Effect":', '}]']),
      fc.oneof(nastyString, wrongType),
      fc.boolean(),
    )
    .map(
      ([depth, [open, close], inner, closed]) =>
        new Raw(open.repeat(depth) + toText(inner) + (closed ? close.repeat(depth) : '')),
    ),
  fc
    .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('[', '{"a":', '[{"b":['))
    .map(([depth, open]) => new Raw(open.repeat(depth))),
)

function huge<T extends Doc>(item: fc.Arbitrary<T>, max = 5_000): fc.Arbitrary<Doc> {
  return fc
    .tuple(fc.array(item, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1_000, max }))
    .map(([items, n]) => Array.from({ length: n }, (_, i) => items[i % items.length] ?? null))
}

const longString = fc
  .tuple(
    fc.string({ unit: nastyChar, minLength: 1, maxLength: 6 }),
    fc.integer({ min: 1_000, max: 100_000 }),
    fc.constantFrom('', 's3:', 'arn:aws:s3:::', `arn:aws:iam::${ACCOUNT}:user/`, 'a.', '${'),
  )
  .map(([unit, n, prefix]) => prefix + unit.repeat(Math.ceil(n / unit.length)).slice(0, n))

const extremeValue: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 4, arbitrary: deepNesting },
  { weight: 1, arbitrary: huge(plausibleAction) },
  { weight: 1, arbitrary: huge(plausibleResource) },
  { weight: 1, arbitrary: huge(principalValue) },
  { weight: 1, arbitrary: huge(conditionText) },
  { weight: 1, arbitrary: huge(wrongType) },
  { weight: 1, arbitrary: longString },
  { weight: 1, arbitrary: longString.map((s) => [s, 's3:GetObject']) },
  { weight: 1, arbitrary: longString.map((s) => new Obj([[s, 'x']])) },
)

/** Gives the statements of a long list distinct Sids (a repeated Sid is a fault of its own). */
function renumberSids(statements: Doc): Doc {
  if (!Array.isArray(statements)) return statements
  return statements.map((statement, i) =>
    statement instanceof Obj
      ? new Obj(statement.entries.map(([k, v]) => (k === 'Sid' ? [k, `S${i}`] : [k, v])))
      : statement,
  )
}

/** Thousands of statements of one kind, valid when the few repeated ones are. */
const hugeStatementList: fc.Arbitrary<Doc> = fc.oneof(
  ...POLICY_KINDS.map((kind) =>
    huge(PLAUSIBLE_STATEMENTS[kind], 2_000).map(
      (statements) =>
        new Obj([
          ['Version', '2012-10-17'],
          ['Statement', renumberSids(statements)],
        ]),
    ),
  ),
)

/** A valid statement with thousands of actions, resources and condition values, and a 100k pattern. */
const hugeElements: fc.Arbitrary<Doc> = fc
  .tuple(
    huge(plausibleAction),
    huge(plausibleResource),
    huge(fc.constantFrom(...VALUES_BY_FAMILY.String)),
    fc
      .tuple(
        fc.constantFrom('a', 'a*', '?b', '${*}', '${aws:username}*', '\u00e9', '\ud83d\ude00'),
        fc.integer({ min: 10_000, max: 100_000 }),
      )
      .map(([unit, n]) => new Raw(`"${unit.repeat(Math.ceil(n / unit.length))}"`)),
  )
  .map(
    ([actions, resources, values, pattern]) =>
      new Obj([
        ['Version', '2012-10-17'],
        [
          'Statement',
          [
            new Obj([
              ['Effect', 'Allow'],
              ['Action', actions],
              ['Resource', resources],
              [
                'Condition',
                new Obj([
                  [
                    'StringLike',
                    new Obj([
                      ['s3:prefix', values],
                      ['aws:username', pattern],
                    ]),
                  ],
                ]),
              ],
            ]),
          ],
        ],
      ]),
  )

const extremePolicy: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 2, arbitrary: hugeStatementList },
  { weight: 2, arbitrary: hugeElements },
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        kindAndPolicy,
        fc.array(fc.tuple(fc.nat(), extremeValue), { minLength: 1, maxLength: 2 }),
      )
      .map(([{ doc }, grafts]) =>
        grafts.reduce((d: Doc, [at, value]) => graftAt(d, at, value), doc),
      ),
  },
)

// Mutations of real documents.

interface SampleDocument {
  readonly kind: PolicyKind
  readonly text: string
}

const SAMPLE_FILE = join(import.meta.dirname, '..', 'cases', 'policy-sample.json')

/** Every policy document of the sample cases, as text (compact and indented), with its kind. */
function samplePolicies(): SampleDocument[] {
  const file = JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as { cases?: unknown }
  const out = new Map<string, SampleDocument>()
  const add = (value: unknown, kind: PolicyKind): void => {
    if (value === null || value === undefined) return
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
      out.set(text, { kind, text })
    }
  }
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value])
  for (const raw of Array.isArray(file.cases) ? (file.cases as unknown[]) : []) {
    const policies = (raw as { policies?: Record<string, unknown> }).policies ?? {}
    for (const doc of list(policies['identity'])) add(doc, 'identity')
    add(policies['resource'], policies['resourcePolicyKind'] === 'roleTrust' ? 'trust' : 'resource')
    add(policies['permissionsBoundary'], 'boundary')
    for (const doc of list(policies['session'])) add(doc, 'session')
    for (const level of list(policies['scps'])) for (const doc of list(level)) add(doc, 'scp')
    for (const level of list(policies['rcps'])) for (const doc of list(level)) add(doc, 'rcp')
  }
  return [...out.values()]
}

const SAMPLES = samplePolicies()

type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly byte: number }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number; readonly to: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }

const insertedText = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    '"',
    ',',
    ':',
    '\\',
    '\\u',
    '\\ud83d',
    '\\u0000',
    'null',
    'true',
    '1e999',
    '-',
    '0',
    '"Statement":',
    '"Effect":"Deny",',
    '"Action":"*",',
    '"*"',
    '${',
    '*',
    '?',
    '\n',
    '\t',
    '\u0000',
    '\u001f',
    '\ud800',
    '\udc00',
    '\u{1f600}',
    '\u2028',
    '\ufeff',
  ),
  nastyString,
)

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({
    op: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    op: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 80 }),
    to: fc.nat(),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: insertedText }),
)

function mutate(text: string, mutation: Mutation): string {
  if (mutation.op === 'insert') {
    const at = mutation.at % (text.length + 1)
    return text.slice(0, at) + mutation.text + text.slice(at)
  }
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length === 0) return text
  const at = mutation.at % bytes.length
  switch (mutation.op) {
    case 'flip':
      bytes[at] = (bytes[at] ?? 0) ^ (1 << mutation.bit)
      return bytes.toString('utf8')
    case 'set':
      bytes[at] = mutation.byte
      return bytes.toString('utf8')
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + mutation.length)]).toString(
        'utf8',
      )
    case 'duplicate': {
      const copy = bytes.subarray(at, at + mutation.length)
      const to = mutation.to % (bytes.length + 1)
      return Buffer.concat([bytes.subarray(0, to), copy, bytes.subarray(to)]).toString('utf8')
    }
    case 'truncate':
      return bytes.subarray(0, at).toString('utf8')
  }
}

// Requests.

const principalArn = fc.oneof(
  fc.constantFrom(
    `arn:aws:iam::${ACCOUNT}:user/alice`,
    `arn:aws:iam::${ACCOUNT}:user/path/to/bob`,
    `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
    `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
    `arn:aws:iam::${ACCOUNT}:root`,
    `arn:aws:iam::${OTHER_ACCOUNT}:user/mallory`,
    's3.amazonaws.com',
    'anonymous',
    'cognito-identity.amazonaws.com',
    `arn:aws:iam::${ACCOUNT}:saml-provider/idp`,
  ),
  nastyString,
)
const requestAction = fc.oneof(
  fc.constantFrom(
    's3:GetObject',
    's3:PutObject',
    's3:getobject',
    'iam:CreateUser',
    'sts:AssumeRole',
    'sts:GetCallerIdentity',
    'kms:Decrypt',
    'ec2:DescribeInstances',
    'dynamodb:GetItem',
  ),
  fc.tuple(serviceName, actionName).map(([service, name]) => `${service}:${name}`),
  nastyString,
)
const requestResource = fc.oneof(
  fc.constantFrom(
    '*',
    'arn:aws:s3:::bucket',
    'arn:aws:s3:::bucket/alice/photo.jpg',
    'arn:aws:s3:::bucket/*',
    `arn:aws:iam::${ACCOUNT}:user/alice`,
    `arn:aws:iam::${ACCOUNT}:role/r`,
    `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`,
    `arn:aws:dynamodb:us-east-1:${OTHER_ACCOUNT}:table/t`,
  ),
  fc
    .tuple(arnPart, arnPart, arnPart, arnPart, resourcePart)
    .map((parts) => `arn:${parts.join(':')}`),
  nastyString,
)
const contextValue: fc.Arbitrary<ContextValue> = fc.oneof(
  conditionText,
  fc.array(conditionText, { maxLength: 4 }),
)
const account = sometimes(fc.constantFrom(ACCOUNT, OTHER_ACCOUNT, ''), 0.8)

interface RequestSpec {
  readonly type: PrincipalType
  readonly arn: string
  readonly account: string | null
  readonly roleArn: string | null
  readonly federatedFrom: string | null
  readonly uniqueId: string | null
  readonly action: string
  readonly resource: string
  readonly resourceAccount: string | null
  readonly context: readonly (readonly [string, ContextValue])[]
  readonly organization: { readonly id: string | null; readonly management: string | null } | null
}

function requestArb(contextValues: fc.Arbitrary<ContextValue>): fc.Arbitrary<RequestSpec> {
  return fc.record({
    type: fc.constantFrom(...PRINCIPAL_TYPES),
    arn: principalArn,
    account,
    roleArn: fc.option(fc.constantFrom(`arn:aws:iam::${ACCOUNT}:role/r`, 'x'), { freq: 2 }),
    federatedFrom: fc.option(fc.constant(`arn:aws:iam::${ACCOUNT}:user/alice`), { freq: 2 }),
    uniqueId: fc.option(fc.constantFrom('AIDAEXAMPLEEXAMPLE12', 'AROAEXAMPLE'), { freq: 2 }),
    action: requestAction,
    resource: requestResource,
    resourceAccount: account,
    context: fc.array(fc.tuple(conditionKey, contextValues), { maxLength: 6 }),
    organization: fc.option(
      fc.record({
        id: fc.option(fc.constant('o-exampleorg1')),
        management: fc.option(fc.constantFrom('999988887777', ACCOUNT)),
      }),
      { freq: 2 },
    ),
  })
}

const request = requestArb(contextValue)
const requests = fc.array(request, { minLength: 1, maxLength: 3 })
/** Requests whose context may hold long strings and large lists. */
const extremeRequests = fc.array(
  requestArb(
    fc.oneof(
      contextValue,
      longString,
      fc
        .tuple(conditionText, fc.integer({ min: 100, max: 3_000 }))
        .map(([v, n]) => Array.from({ length: n }, (_, i) => `${v}${i % 7}`)),
    ),
  ),
  { minLength: 1, maxLength: 2 },
)

function toRequestInput(spec: RequestSpec): RequestInput {
  return {
    principal: {
      type: spec.type,
      arn: spec.arn,
      account: spec.account,
      ...(spec.roleArn === null ? {} : { roleArn: spec.roleArn }),
      ...(spec.federatedFrom === null ? {} : { federatedFromUserArn: spec.federatedFrom }),
      ...(spec.uniqueId === null ? {} : { uniqueId: spec.uniqueId }),
    },
    action: spec.action,
    resource: spec.resource,
    resourceAccount: spec.resourceAccount,
    context: Object.fromEntries(spec.context),
    organization:
      spec.organization === null
        ? null
        : {
            ...(spec.organization.id === null ? {} : { id: spec.organization.id }),
            ...(spec.organization.management === null
              ? {}
              : { managementAccount: spec.organization.management }),
          },
  }
}

// ---------------------------------------------------------------------------------------------
// The checks the properties share.

const DECISIONS: ReadonlySet<string> = new Set(['allow', 'explicit_deny', 'implicit_deny'])

/** A parse result is either a document or a non-empty list of faults with real messages. */
function assertCleanResult(result: PolicyParseResult): void {
  if (result.ok) {
    assert.equal(typeof result.document, 'object')
    assert.ok(Array.isArray(result.document.statements))
    return
  }
  assert.equal(result.ok, false)
  assert.ok(result.faults.length > 0, 'a failed parse reports at least one fault')
  for (const fault of result.faults) {
    assert.equal(typeof fault.message, 'string')
    assert.ok(fault.message.length > 0, 'a fault has a message')
    assert.equal(typeof fault.path, 'string')
    if (fault.pos !== undefined) {
      assert.ok(Number.isInteger(fault.pos.line) && fault.pos.line >= 0, 'a fault line')
      assert.ok(Number.isInteger(fault.pos.column) && fault.pos.column >= 0, 'a fault column')
    }
  }
}

function assertDecision(decision: Decision): void {
  assert.ok(DECISIONS.has(decision.decision), `decision ${String(decision.decision)}`)
  assert.ok(Array.isArray(decision.matched))
  for (const label of decision.matched) assert.equal(typeof label, 'string')
  if (decision.decision === 'allow') {
    assert.equal(decision.deniedBy, undefined)
    assert.equal(decision.message, undefined)
  } else {
    assert.equal(typeof decision.deniedBy, 'string')
    assert.equal(typeof decision.message, 'string')
  }
  if (decision.decision === 'explicit_deny') assert.ok(decision.matched.length > 0)
  if (decision.decision === 'implicit_deny') assert.equal(decision.matched.length, 0)
}

const NO_POLICIES: PolicySetInput = {
  identity: [],
  resource: null,
  resourcePolicyKind: 'generic',
  permissionsBoundary: null,
  session: null,
  scps: null,
  rcps: null,
}

/** Where a policy of each kind sits in a policy set (identity-shaped kinds also act as identity). */
function setFor(kind: PolicyKind, policy: CompiledPolicy): PolicySet {
  return buildPolicySet(inputFor(kind, policy))
}

function inputFor(kind: PolicyKind, policy: CompiledPolicy): PolicySetInput {
  switch (kind) {
    case 'identity':
      return { ...NO_POLICIES, identity: [policy] }
    case 'resource':
      return { ...NO_POLICIES, resource: policy }
    case 'trust':
      return { ...NO_POLICIES, resource: policy, resourcePolicyKind: 'roleTrust' }
    case 'boundary':
      return { ...NO_POLICIES, identity: [policy], permissionsBoundary: policy }
    case 'session':
      return { ...NO_POLICIES, identity: [policy], session: [policy] }
    case 'scp':
      return { ...NO_POLICIES, identity: [policy], scps: [[policy]] }
    case 'rcp':
      return { ...NO_POLICIES, rcps: [[policy]] }
  }
}

/** Evaluates and checks the decision, and that evaluation is a pure function of its inputs. */
function decide(specs: readonly RequestSpec[], set: PolicySet, seen?: Set<string>): void {
  for (const spec of specs) {
    const built = buildRequest(toRequestInput(spec))
    const decision = evaluate(built, set)
    assertDecision(decision)
    assert.deepEqual(evaluate(built, set), decision)
    seen?.add(decision.decision)
  }
}

function exerciseDocument(
  document: PolicyDocument,
  kind: PolicyKind,
  specs: readonly RequestSpec[],
): void {
  decide(specs, setFor(kind, compilePolicy(document, kind)))
}

/** Property (1) for every kind, and (2) whenever a kind accepts the document. */
function checkEveryKind(source: unknown, specs: readonly RequestSpec[]): number {
  let accepted = 0
  for (const kind of POLICY_KINDS) {
    const result = checkPolicy(source, kind)
    assertCleanResult(result)
    if (result.ok) {
      accepted++
      exerciseDocument(result.document, kind, specs)
    }
  }
  return accepted
}

/** parsePolicy agrees with checkPolicy and throws nothing but PolicyParseError. */
function checkParsePolicy(source: unknown, kind: PolicyKind): void {
  const expected = checkPolicy(source, kind)
  try {
    parsePolicy(source, kind)
    assert.ok(expected.ok, 'parsePolicy accepted what checkPolicy refused')
  } catch (err) {
    if (!(err instanceof PolicyParseError)) throw err
    assert.ok(!expected.ok, 'parsePolicy refused what checkPolicy accepted')
    assert.equal(err.faults.length, expected.faults.length)
    assert.equal(err.message, expected.faults[0].message)
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false // the answer is the point: the caller compares it with the policy reader
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring work: operation counts (deterministic) and, where only a clock can see the cost
// (inside a regular expression), wall-clock time compared with a baseline on the same machine.

type Cost = (self: unknown, args: readonly unknown[], result: unknown) => number

const originalIndexOf: (this: string, search: string, from?: number) => number = Reflect.get(
  String.prototype,
  'indexOf',
)

function stringLength(value: unknown): number {
  return typeof value === 'string' ? value.length : 0
}

function searchCost(self: unknown, args: readonly unknown[], at: number): number {
  const from = Math.max(0, Number(args[1] ?? 0) || 0)
  const length = stringLength(self)
  return 1 + (at === -1 ? Math.max(0, length - from) : at - from + stringLength(args[0]))
}

// Each counted primitive costs what it can scan, copy or store.
const COUNTED: readonly (readonly [object, string, Cost])[] = [
  [String.prototype, 'indexOf', (self, args, result) => searchCost(self, args, Number(result))],
  [
    String.prototype,
    'includes',
    (self, args) =>
      searchCost(
        self,
        args,
        typeof self === 'string'
          ? originalIndexOf.call(self, String(args[0]), Number(args[1] ?? 0))
          : -1,
      ),
  ],
  [String.prototype, 'lastIndexOf', (self) => 1 + stringLength(self)],
  [String.prototype, 'startsWith', (_self, args) => 1 + stringLength(args[0])],
  [String.prototype, 'endsWith', (_self, args) => 1 + stringLength(args[0])],
  [String.prototype, 'slice', (_self, _args, result) => 1 + stringLength(result)],
  [String.prototype, 'split', (self) => 1 + stringLength(self)],
  [String.prototype, 'toLowerCase', (self) => 1 + stringLength(self)],
  [Array.prototype, 'push', (_self, args) => args.length],
]

/**
 * Runs `fn` with the string and array primitives the engine is built on wrapped to count their
 * cost. A count does not depend on the machine or its load, so its growth can be asserted tightly.
 */
function countOps(fn: () => unknown): number {
  let ops = 0
  const originals: [object, string, unknown][] = []
  try {
    for (const [proto, name, cost] of COUNTED) {
      const original: unknown = Reflect.get(proto, name)
      if (typeof original !== 'function') throw new TypeError(`${name} is not a method`)
      originals.push([proto, name, original])
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]): unknown {
          const result: unknown = Reflect.apply(original, this, args)
          ops += cost(this, args, result)
          return result
        },
      })
    }
    fn()
  } finally {
    for (const [proto, name, original] of originals.reverse()) {
      Object.defineProperty(proto, name, { configurable: true, writable: true, value: original })
    }
  }
  return ops
}

function timeOnce(fn: () => unknown): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

interface Growth {
  readonly smallMs: number
  readonly largeMs: number
  readonly timeRatio: number
  readonly opsRatio: number | null
}

/**
 * How the cost of `build(n)` grows from n = `small` to n = `small * factor`. Both sizes run once
 * to warm up, then alternate; each time is the minimum over the runs so far. The runs stop early
 * once the ratio is clearly (2x) within `maxTimeRatio`, so a linear workload usually costs one
 * measured run and a noisy one (a GC pause, a busy machine) gets measured again.
 */
function growth(
  build: (n: number) => () => unknown,
  small: number,
  factor: number,
  maxTimeRatio: number,
  options: { readonly runs?: number; readonly countOps?: boolean } = {},
): Growth {
  const runs = options.runs ?? 4
  const runSmall = build(small)
  const runLarge = build(small * factor)
  runSmall()
  runLarge()
  let smallMs = Infinity
  let largeMs = Infinity
  for (let i = 0; i < runs; i++) {
    // A floor keeps timer resolution from inflating the ratio of a very fast baseline.
    smallMs = Math.max(0.5, Math.min(smallMs, timeOnce(runSmall)))
    largeMs = Math.min(largeMs, timeOnce(runLarge))
    if (2 * largeMs <= maxTimeRatio * smallMs) break
  }
  const opsRatio =
    options.countOps === false ? null : countOps(runLarge) / Math.max(1, countOps(runSmall))
  return { smallMs, largeMs, timeRatio: largeMs / smallMs, opsRatio }
}

function describeGrowth(name: string, g: Growth): string {
  const ops = g.opsRatio === null ? '' : `, ops x${g.opsRatio.toFixed(2)}`
  return `${name}: ${g.smallMs.toFixed(2)} ms -> ${g.largeMs.toFixed(2)} ms (time x${g.timeRatio.toFixed(2)}${ops})`
}

function identityPolicyText(statements: readonly Doc[]): string {
  return toText(
    new Obj([
      ['Version', '2012-10-17'],
      ['Statement', [...statements]],
    ]),
  )
}

function compileText(text: string, kind: PolicyKind): CompiledPolicy {
  return compilePolicy(parsePolicy(text, kind), kind)
}

function userRequest(action: string, resource: string, context: Record<string, ContextValue>) {
  return buildRequest({
    principal: { type: 'User', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, account: ACCOUNT },
    action,
    resource,
    resourceAccount: ACCOUNT,
    context,
  })
}

// ---------------------------------------------------------------------------------------------
// node:test's describe and it return promises that the runner itself awaits.

void describe('policy fuzzing: no input crashes the parser or the evaluator', () => {
  void it('the sample documents the mutations start from are valid policies', () => {
    assert.ok(SAMPLES.length >= 20, `only ${SAMPLES.length} sample documents`)
    for (const sample of SAMPLES) {
      const result = checkPolicy(sample.text, sample.kind)
      assert.ok(result.ok, `${sample.text}: ${JSON.stringify(result)}`)
    }
  })

  void it('answers arbitrary JSON values with a document or faults, as text and as parsed values', () => {
    const json = fc.jsonValue({ stringUnit: nastyChar, maxDepth: 8 })
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: json }, { weight: 1, arbitrary: fc.anything() }),
        requests,
        (value, specs) => {
          checkEveryKind(value, specs)
          const text = JSON.stringify(value) as string | undefined
          if (text !== undefined) checkEveryKind(text, specs)
        },
      ),
      { seed: 0x5eed_0001, numRuns: 1500 },
    )
  })

  void it('answers policy-shaped documents with wrong types and odd keys with a document or faults', () => {
    let accepted = 0
    fc.assert(
      fc.property(hostilePolicy, requests, fc.boolean(), kindArb, (doc, specs, asValue, kind) => {
        const text = toText(doc)
        accepted += checkEveryKind(text, specs)
        checkParsePolicy(text, kind)
        if (asValue) checkEveryKind(toValue(doc), specs)
      }),
      { seed: 0x5eed_0002, numRuns: 1000 },
    )
    assert.ok(accepted > 0, 'no hostile document was ever accepted: the generator is too wild')
  })

  void it('survives deep nesting, thousands of statements or actions, and 100k-character strings', () => {
    let accepted = 0
    fc.assert(
      fc.property(extremePolicy, extremeRequests, kindArb, (doc, specs, kind) => {
        const text = toText(doc)
        accepted += checkEveryKind(text, specs)
        checkParsePolicy(text, kind)
      }),
      { seed: 0x5eed_0003, numRuns: 30 },
    )
    assert.ok(accepted > 0, 'no extreme document was accepted, so none was evaluated')
  })

  void it('answers byte-level mutations of real documents with a document or faults', () => {
    let accepted = 0
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        requests,
        (sample, mutations, specs) => {
          const text = mutations.reduce(mutate, sample.text)
          accepted += checkEveryKind(text, specs)
          checkParsePolicy(text, sample.kind)
          if (!isJson(text)) {
            // The strict reader is never more lenient than JSON itself.
            for (const kind of POLICY_KINDS) assert.equal(checkPolicy(text, kind).ok, false)
          } else {
            // A document accepted as text is accepted as the same value already parsed.
            const value = JSON.parse(text) as unknown
            for (const kind of POLICY_KINDS) {
              if (checkPolicy(text, kind).ok) assert.ok(checkPolicy(value, kind).ok, kind)
            }
          }
        },
      ),
      { seed: 0x5eed_0004, numRuns: 2000 },
    )
    assert.ok(accepted > 0, 'no mutated document was accepted: the mutations are too coarse')
  })

  void it('decides random requests against random valid policy sets without throwing', () => {
    const seen = new Set<string>()
    let compiled = 0
    let runs = 0
    fc.assert(
      fc.property(
        fc.array(kindAndPolicy, { minLength: 1, maxLength: 6 }),
        fc.array(request, { minLength: 1, maxLength: 4 }),
        fc.record({
          kms: fc.boolean(),
          scpLevels: fc.nat(3),
          rcpLevels: fc.nat(2),
          sessionGiven: fc.boolean(),
        }),
        (docs, specs, shape) => {
          runs++
          const byKind = new Map<PolicyKind, CompiledPolicy[]>()
          docs.forEach(({ kind, doc }, i) => {
            const result = checkPolicy(toText(doc), kind)
            assertCleanResult(result)
            if (!result.ok) return
            compiled++
            const list = byKind.get(kind) ?? []
            list.push(compilePolicy(result.document, `${kind}[${i}]`))
            byKind.set(kind, list)
          })
          const of = (kind: PolicyKind): CompiledPolicy[] => byKind.get(kind) ?? []
          const levels = (kind: PolicyKind, count: number): CompiledPolicy[][] | null => {
            const policies = of(kind)
            if (count === 0 && policies.length === 0) return null
            const out: CompiledPolicy[][] = Array.from({ length: Math.max(1, count) }, () => [])
            policies.forEach((p, i) => out[i % out.length]?.push(p))
            return out
          }
          const trust = of('trust').at(-1)
          const resource = of('resource').at(-1)
          const session = of('session')
          const set = buildPolicySet({
            identity: of('identity'),
            resource: trust ?? resource ?? null,
            resourcePolicyKind:
              trust !== undefined ? 'roleTrust' : shape.kms ? 'kmsKey' : 'generic',
            permissionsBoundary: of('boundary')[0] ?? null,
            session: session.length > 0 || shape.sessionGiven ? session : null,
            scps: levels('scp', shape.scpLevels),
            rcps: levels('rcp', shape.rcpLevels),
          })
          decide(specs, set, seen)
        },
      ),
      { seed: 0x5eed_0005, numRuns: 1000 },
    )
    // The generators must reach every outcome, or the property says little.
    assert.ok(compiled >= runs, `only ${compiled} policies compiled in ${runs} runs`)
    assert.deepEqual([...seen].sort(), ['allow', 'explicit_deny', 'implicit_deny'])
  })

  void it('treats a policy variable named like an Object.prototype member as any other absent variable', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROTOTYPE_NAMES),
        fc.constantFrom('StringEquals', 'StringLike', 'StringNotEquals', 'ArnLike'),
        (name, operator) => {
          const decisionFor = (variable: string, username: string): string => {
            const policy = compileText(
              identityPolicyText([
                new Obj([
                  ['Effect', 'Allow'],
                  ['Action', 's3:GetObject'],
                  ['Resource', '*'],
                  [
                    'Condition',
                    new Obj([[operator, new Obj([['aws:username', `\${${variable}}`]])]]),
                  ],
                ]),
              ]),
              'identity',
            )
            const built = userRequest('s3:GetObject', '*', { 'aws:username': username })
            return evaluate(built, buildPolicySet({ ...NO_POLICIES, identity: [policy] })).decision
          }
          // What the name resolves to when it is read from a plain object literal.
          const leaked = String(({} as Record<string, unknown>)[name])
          assert.equal(decisionFor(name, leaked), decisionFor('absentKey', leaked))
        },
      ),
      { seed: 0x5eed_0006, numRuns: 40 },
    )
  })
})

void describe('policy fuzzing: work grows linearly with the input', () => {
  // A 16x larger input: linear work grows about 16x, quadratic work about 256x. Operation counts
  // are exact, so their bound is tight; time carries noise (JIT, GC, caches, a busy CI machine),
  // so its bound is a quarter of the quadratic growth.
  const FACTOR = 16
  const MAX_OPS_RATIO = 1.5 * FACTOR
  const MAX_TIME_RATIO = (FACTOR * FACTOR) / 4

  void it('keeps the wildcard matcher within pattern x value on random adversarial patterns (op counts)', () => {
    // Growing pattern and value 4x may grow the matcher's documented O(pattern x value) bound
    // 16x, never more; a backtracking matcher would grow exponentially here.
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), minLength: 1, maxLength: 6 }),
        fc.string({ unit: fc.constantFrom('a', 'b'), minLength: 1, maxLength: 4 }),
        fc.constantFrom('', 'b', '*b', '*b*', '?'),
        (unit, valueUnit, tail) => {
          const opsAt = (n: number): number => {
            const run = wildcardWorkload(unit.repeat(n) + tail, valueUnit.repeat(4 * n), 1)
            return countOps(run)
          }
          const ratio = opsAt(160) / Math.max(1, opsAt(40))
          assert.ok(ratio <= 16 * 1.25, `ops x${ratio.toFixed(2)} for ${unit}/${valueUnit}/${tail}`)
        },
      ),
      { seed: 0x5eed_0007, numRuns: 150 },
    )
  })

  void it('parses and evaluates adversarial wildcard patterns far below quadratic-in-the-product time', (t: TestContext) => {
    // Pattern and value both grow 4x: 16x is the product bound, 256x its square.
    const SCALE = 4
    const shapes: Record<string, readonly [number, (n: number) => [string, string]]> = {
      'a*a*...a*b vs aaaa': [2_000, (n) => ['a*'.repeat(n) + 'b', 'a'.repeat(10 * n)]],
      '*a*a*...*b* vs aaaa': [2_000, (n) => ['*a'.repeat(n) + '*b*', 'a'.repeat(10 * n)]],
      '*a?*a?*...*b* vs aaaa': [2_000, (n) => ['*a?'.repeat(n) + '*b*', 'a'.repeat(10 * n)]],
      '*aaaa...a?b* vs aaaa': [150, (n) => [`*${'a'.repeat(n)}?b*`, 'a'.repeat(10 * n)]],
    }
    const failures: string[] = []
    for (const [name, [small, shape]] of Object.entries(shapes)) {
      const g = growth((n) => wildcardWorkload(...shape(n), 5), small, SCALE, SCALE ** 4 / 4)
      t.diagnostic(describeGrowth(name, g))
      if (g.timeRatio > SCALE ** 4 / 4 || (g.opsRatio ?? 0) > 1.25 * SCALE ** 2) {
        failures.push(describeGrowth(name, g))
      }
    }
    assert.deepEqual(failures, [])
  })

  void it('parses documents in time linear in their size', (t: TestContext) => {
    const statements = (n: number): Doc[] =>
      Array.from(
        { length: n },
        (_, i) =>
          new Obj([
            ['Sid', `S${i}`],
            ['Effect', i % 3 === 0 ? 'Deny' : 'Allow'],
            [
              'Principal',
              new Obj([
                ['AWS', [`arn:aws:iam::${ACCOUNT}:user/u${i}`, ACCOUNT]],
                ['Service', 's3.amazonaws.com'],
              ]),
            ],
            ['Action', ['s3:GetObject', `svc${i % 50}:Put*`, 'iam:*']],
            ['Resource', [`arn:aws:s3:::bucket/${i}/*`, '*']],
            [
              'Condition',
              new Obj([
                ['StringLike', new Obj([['s3:prefix', ['home/${aws:username}/*', `x${i}`]]])],
                ['IpAddress', new Obj([['aws:SourceIp', '10.0.0.0/8']])],
                ['DateLessThan', new Obj([['aws:CurrentTime', '2026-01-01T00:00:00Z']])],
              ]),
            ],
            ...(i % 10 === 0 ? [['Bogus', 1] as const] : []),
          ]),
      )
    const shapes: Record<string, readonly [number, (n: number) => string]> = {
      'statements, every fault collected': [60, (n) => identityPolicyText(statements(n))],
      'one string of escapes': [
        2_000,
        (n) =>
          identityPolicyText([
            new Obj([
              ['Effect', 'Allow'],
              ['Action', new Raw(`"s3:${'\\u0041\\n\\ud83d\\ude00'.repeat(n)}"`)],
              ['Resource', '*'],
            ]),
          ]),
      ],
      'thousands of actions': [
        1_500,
        (n) =>
          identityPolicyText([
            new Obj([
              ['Effect', 'Allow'],
              ['Action', Array.from({ length: n }, (_, i) => `s${String(i).padStart(6, '0')}:A*`)],
              ['Resource', '*'],
            ]),
          ]),
      ],
      'nesting past the depth bound': [10_000, (n) => '['.repeat(n) + ']'.repeat(n)],
    }
    const failures: string[] = []
    for (const [name, [small, shape]] of Object.entries(shapes)) {
      const build = (n: number) => {
        const text = shape(n)
        return () => checkPolicy(text, 'resource')
      }
      const g = growth(build, small, FACTOR, MAX_TIME_RATIO)
      t.diagnostic(describeGrowth(name, g))
      if (g.timeRatio > MAX_TIME_RATIO || (g.opsRatio ?? 0) > MAX_OPS_RATIO) {
        failures.push(describeGrowth(name, g))
      }
    }
    assert.deepEqual(failures, [])
  })

  void it('evaluates in time linear in the number of statements', (t: TestContext) => {
    const build = (n: number) => {
      const text = identityPolicyText(
        Array.from(
          { length: n },
          (_, i) =>
            new Obj([
              ['Effect', 'Allow'],
              ['Action', ['s3:Get*', 's3:Put?bject']],
              ['Resource', `arn:aws:s3:::bucket/\${aws:username}/${i}/*`],
              [
                'Condition',
                new Obj([
                  ['StringLike', new Obj([['s3:prefix', ['home/*', `x${i}*`]]])],
                  ['ForAnyValue:StringEquals', new Obj([['aws:TagKeys', ['a', `t${i}`]]])],
                ]),
              ],
            ]),
        ),
      )
      const set = buildPolicySet({ ...NO_POLICIES, identity: [compileText(text, 'identity')] })
      const built = Array.from({ length: 10 }, (_, i) =>
        userRequest('s3:GetObject', `arn:aws:s3:::bucket/alice/${i}/photo`, {
          's3:prefix': `home/${i}`,
          'aws:TagKeys': ['b', 'c'],
        }),
      )
      return () => {
        for (const r of built) evaluate(r, set)
      }
    }
    const g = growth(build, 100, FACTOR, MAX_TIME_RATIO)
    t.diagnostic(describeGrowth('statements', g))
    assert.ok(g.timeRatio <= MAX_TIME_RATIO, describeGrowth('statements', g))
    assert.ok((g.opsRatio ?? 0) <= MAX_OPS_RATIO, describeGrowth('statements', g))
  })

  void it('validates principal values in time linear in their length', (t: TestContext) => {
    const values: Record<string, (n: number) => string> = {
      AWS: (n) => `arn:aws:iam::${ACCOUNT}:user/${'a/'.repeat(n)}!`,
      Federated: (n) => `a${'.aa'.repeat(n)}!`,
      CanonicalUser: (n) => `${'a'.repeat(n)}!`,
      Service: (n) => `a${'.'.repeat(n)}!`,
    }
    const failures: string[] = []
    for (const [type, value] of Object.entries(values)) {
      const build = (n: number) => {
        const text = toText(
          new Obj([
            ['Version', '2012-10-17'],
            [
              'Statement',
              [
                new Obj([
                  ['Effect', 'Allow'],
                  ['Principal', new Obj([[type, value(n)]])],
                  ['Action', 'sts:AssumeRole'],
                ]),
              ],
            ],
          ]),
        )
        return () => checkPolicy(text, 'trust')
      }
      // Regular expressions do their work where no counter can see it: time only.
      const g = growth(build, 20_000, FACTOR, MAX_TIME_RATIO, { countOps: false })
      t.diagnostic(describeGrowth(type, g))
      if (g.timeRatio > MAX_TIME_RATIO) failures.push(describeGrowth(type, g))
    }
    assert.deepEqual(failures, [])
  })

  void it('compiles in time linear in the number of statements, whatever services they name', (t: TestContext) => {
    const build = (n: number) => {
      const statements: Doc[] = []
      for (let i = 0; i < n; i++) {
        statements.push(
          new Obj([
            ['Effect', 'Allow'],
            ['Action', `svc${i}:Get*`],
            ['Resource', '*'],
          ]),
          new Obj([
            ['Effect', 'Allow'],
            ['NotAction', 'iam:*'],
            ['Resource', '*'],
          ]),
        )
      }
      const document = parsePolicy(identityPolicyText(statements), 'identity')
      return () => compilePolicy(document, 'identity')
    }
    const g = growth(build, 80, FACTOR, MAX_TIME_RATIO, { runs: 3 })
    t.diagnostic(describeGrowth('scoped and unscoped statements', g))
    assert.ok((g.opsRatio ?? 0) <= MAX_OPS_RATIO, describeGrowth('ops', g))
    assert.ok(g.timeRatio <= MAX_TIME_RATIO, describeGrowth('time', g))
  })

  void it('compiles policy variables in time linear in the length of the string', (t: TestContext) => {
    const build = (n: number) => {
      const text = '${'.repeat(n) + '}'
      const document = parsePolicy(
        identityPolicyText([
          new Obj([
            ['Effect', 'Allow'],
            ['Action', 's3:GetObject'],
            ['Resource', `arn:aws:s3:::${text}`],
            ['Condition', new Obj([['StringLike', new Obj([['s3:prefix', text]])]])],
          ]),
        ]),
        'identity',
      )
      return () => compilePolicy(document, 'identity')
    }
    const g = growth(build, 300, FACTOR, MAX_TIME_RATIO, { runs: 3 })
    t.diagnostic(describeGrowth('${${${...}', g))
    assert.ok((g.opsRatio ?? 0) <= MAX_OPS_RATIO, describeGrowth('ops', g))
    assert.ok(g.timeRatio <= MAX_TIME_RATIO, describeGrowth('time', g))
  })
})

/** Parses, compiles and evaluates a policy holding `pattern` against requests holding `value`. */
function wildcardWorkload(pattern: string, value: string, evaluations: number): () => void {
  const text = wildcardPolicy(pattern)
  const built = userRequest(`s3:${value}`, `arn:aws:s3:::${value}`, { 's3:prefix': value })
  return () => {
    const set = buildPolicySet({ ...NO_POLICIES, identity: [compileText(text, 'identity')] })
    for (let i = 0; i < evaluations; i++) evaluate(built, set)
  }
}

/** An identity policy with the pattern in an Action, a Resource and a StringLike condition. */
function wildcardPolicy(pattern: string): string {
  return identityPolicyText([
    new Obj([
      ['Sid', 'InAction'],
      ['Effect', 'Allow'],
      ['Action', `s3:${pattern}`],
      ['Resource', '*'],
    ]),
    new Obj([
      ['Sid', 'InResource'],
      ['Effect', 'Allow'],
      ['Action', 's3:*'],
      ['Resource', `arn:aws:s3:::${pattern}`],
    ]),
    new Obj([
      ['Sid', 'InCondition'],
      ['Effect', 'Allow'],
      ['Action', 's3:*'],
      ['Resource', '*'],
      ['Condition', new Obj([['StringLike', new Obj([['s3:prefix', pattern]])]])],
    ]),
  ])
}
