/**
 * fast-check arbitraries of what a record is built from: a request's parameters (awsQuery's flat
 * names, some nested, or a JSON body's members) and an operation's result, with the names and
 * values that take the record builders off their common path (secrets under any spelling, private
 * keys, names that collide once lower-camelled or that are indexes, maps, dates, odd numbers,
 * text JSON must escape).
 */
import fc from 'fast-check'
import type { JsonValue } from '../../src/audit/json-value.js'
import { SECRET_MEMBERS } from '../../src/audit/redact.js'

const SECRET_API_NAMES = [
  'Password',
  'OldPassword',
  'NewPassword',
  'SecretAccessKey',
  'SessionToken',
  'SecurityToken',
  'TokenCode',
  'AuthenticationCode1',
  'SAMLAssertion',
  'PrivateKey',
  'QRCodePNG',
]

const PLAIN_NAMES = [
  'UserName',
  'RoleArn',
  'PolicyArn',
  'Path',
  'DurationSeconds',
  'MaxItems',
  'PasswordResetRequired',
  'SerialNumber',
  'AccessKeyId',
  'Key',
  'Value',
  'Status',
]

/** Names off the common path: lower case, indexes, prototype names, the envelope, odd text. */
const ODD_NAMES = [
  'userName',
  'password',
  'PASSWORD',
  '__proto__',
  'constructor',
  '0',
  '7',
  '2a',
  '',
  'Action',
  'Version',
  'x-amz-date',
  'X-Amz-Security-Token',
  'İx',
  'ix',
  '\u212Aelvin',
  'a"b',
  'tab\there',
]

const PRIVATE_KEY =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'

/** A member name of an API, a secret's, or an odd one. */
export const memberName: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PLAIN_NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...SECRET_API_NAMES, ...SECRET_MEMBERS.keys()) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_NAMES) },
)

/** A parameter's text: plain, typed-looking, escaped by JSON, or a private key. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('bob', 'arn:aws:iam::111122223333:role/r', '/', '') },
  { weight: 2, arbitrary: fc.constantFrom('900', 'true', 'FALSE', '+12', '0012', 'ten') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('q"uote', 'back\\slash', 'line\nbreak', '\ud800', '😀 é', '\u2028'),
  },
  { weight: 1, arbitrary: fc.constant(PRIVATE_KEY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
)

/** A value of a JSON body or of a result: JSON's, dates, maps, and what trailJson makes text. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom(true, false, null, undefined, Number.NaN, Infinity, -0, 12n),
    fc.constantFrom(new Date(0), new Date('2026-03-15T12:00:00.731Z'), new Date(Number.NaN)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(memberName, tie('value'), { maxKeys: 4 }),
    fc
      .array(fc.tuple(fc.oneof(memberName, fc.constantFrom<unknown>(1, '1', true)), tie('value')), {
        maxLength: 3,
      })
      .map((entries) => new Map(entries)),
  ),
})).value

/** A name as awsQuery flattens it: a member, a list's item, a nested member. */
const flatName: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: memberName },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('Tags', 'PolicyArns', 'List', 'tags'),
        fc.constantFrom(1, 2, 10),
        fc.oneof(
          fc.constant(''),
          memberName.map((name) => `.${name}`),
          fc.constant('.member.1'),
        ),
      )
      .map(([list, index, rest]) => `${list}.member.${index}${rest}`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(memberName, memberName).map(([outer, inner]) => `${outer}.${inner}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('X.member.0', 'X..Y', '.lead', 'trail.', 'X.member') },
)

/** A request's parameters: awsQuery's texts, or (sometimes) a JSON body's values. */
export const parameters: fc.Arbitrary<Record<string, unknown> | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.array(fc.tuple(flatName, text), { maxLength: 7 }), fc.boolean())
      .map(([entries, envelope]): Record<string, unknown> => {
        const envelopes: [string, string][] = envelope ? [['Action', 'GetUser']] : []
        return Object.fromEntries([...envelopes, ...entries])
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(memberName, anyValue), { maxLength: 5 })
      .map((entries) => Object.fromEntries(entries)),
  },
)

/** An operation's result: members of an API, with credentials or keys in it at times. */
export const result: fc.Arbitrary<Record<string, unknown> | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.record({
      Credentials: fc.record({
        AccessKeyId: fc.constant('ASIAISSUEDKEY0000001'),
        SecretAccessKey: text,
        SessionToken: text,
        Expiration: fc.constant(new Date('2026-03-15T13:00:00Z')),
      }),
      PackedPolicySize: fc.option(fc.nat(100), { nil: undefined }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(memberName, anyValue), { maxLength: 5 })
      .map((entries) => Object.fromEntries(entries)),
  },
)

/**
 * A record field's JSON the long way, as the record builder writes a field it has as an object:
 * the object's JSON, or null for none and for an object with no members (one redaction emptied).
 */
export function fieldJsonLongWay(field: JsonValue): string {
  if (field === null) return 'null'
  if (typeof field === 'object' && !Array.isArray(field) && Object.keys(field).length === 0) {
    return 'null'
  }
  return JSON.stringify(field)
}
