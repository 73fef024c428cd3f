/**
 * The error catalog as a whole (fastify's test of lib/errors.js): it is what the generator
 * derives from botocore's IAM and STS models today, it has the expected number of entries, every
 * key is the code an AwsError carries, and every status and fault is consistent.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { AwsError } from '../../src/errors/aws-error.js'
import { AWS_ERRORS } from '../../src/errors/catalog.js'
import type { AwsErrorCode, AwsErrorEntry } from '../../src/errors/catalog.js'

const ROOT = join(import.meta.dirname, '..', '..')
const GENERATOR = join(ROOT, 'scripts', 'generate-error-catalog.mjs')
const CATALOG = join(ROOT, 'src', 'errors', 'catalog.ts')

// 35 IAM shapes and 12 STS shapes (MalformedPolicyDocument is in both), 2 STS shapes that only
// the SDK models yet, plus 19 common errors.
const EXPECTED_ENTRIES = 67

const entries = Object.entries(AWS_ERRORS) as [AwsErrorCode, AwsErrorEntry][]

describe('the error catalog', () => {
  it('is what scripts/generate-error-catalog.mjs derives from the installed botocore', (t) => {
    const result = spawnSync(process.execPath, [GENERATOR], { cwd: ROOT, encoding: 'utf8' })
    if (result.status === 2) {
      t.skip(`botocore is not installed, so the models cannot be read: ${result.stderr.trim()}`)
      return
    }
    assert.equal(result.status, 0, result.stderr)
    assert.equal(
      result.stdout,
      readFileSync(CATALOG, 'utf8'),
      'src/errors/catalog.ts is stale: run node scripts/generate-error-catalog.mjs > src/errors/catalog.ts',
    )
  })

  it(`has exactly ${EXPECTED_ENTRIES} entries`, () => {
    assert.equal(entries.length, EXPECTED_ENTRIES)
  })

  it('keys every entry by the code an AwsError of that key carries, with its status and fault', () => {
    for (const [code, entry] of entries) {
      assert.match(code, /^[A-Z][A-Za-z]*$/, code)
      const error = new AwsError(code, 'message')
      assert.equal(error.code, code)
      assert.equal(error.status, entry.status, code)
      assert.equal(error.fault, entry.fault, code)
    }
  })

  it('gives every code a 4xx or 5xx status', () => {
    for (const [code, { status }] of entries) {
      assert.ok(Number.isInteger(status) && status >= 400 && status <= 599, `${code}: ${status}`)
    }
  })

  it('makes every 4xx a client fault and every 5xx a server fault', () => {
    for (const [code, { status, fault }] of entries) {
      assert.equal(fault, status < 500 ? 'client' : 'server', `${code}: ${status} ${fault}`)
    }
  })

  it('uses the shape name only where the model has no awsQueryError code', () => {
    // Reference §7, pitfall 4: NoSuchEntity, not NoSuchEntityException; the Organizations
    // errors of IAM and some STS errors are the exceptions.
    const shapeNamed = entries.map(([code]) => code).filter((code) => code.endsWith('Exception'))
    assert.deepEqual(shapeNamed.sort(), [
      'AccountNotManagementOrDelegatedAdministratorException',
      'CallerIsNotManagementAccountException',
      'ExpiredTokenException',
      'ExpiredTradeInTokenException',
      'InvalidAuthorizationMessageException',
      'JWTPayloadSizeExceededException',
      'OrganizationNotFoundException',
      'OrganizationNotInAllFeaturesModeException',
      'OutboundWebIdentityFederationDisabledException',
      'RegionDisabledException',
      'ServiceAccessNotEnabledException',
      'SessionDurationEscalationException',
    ])
  })
})

// Statuses the reference (../shared/reference/aws-iam-sts-api.md §1.3 and §7) records from the
// models and from real IAM and STS responses: pinned here so they hold without botocore too.
const PINNED: readonly [AwsErrorCode, number][] = [
  ['NoSuchEntity', 404],
  ['EntityAlreadyExists', 409],
  ['LimitExceeded', 409],
  ['DeleteConflict', 409],
  ['ConcurrentModification', 409],
  ['MalformedPolicyDocument', 400],
  ['InvalidInput', 400],
  ['UnmodifiableEntity', 400],
  ['PolicyNotAttachable', 400],
  ['ReportExpired', 410],
  ['ReportInProgress', 404],
  ['ServiceFailure', 500],
  ['PackedPolicyTooLarge', 400],
  ['RegionDisabledException', 403],
  ['IDPRejectedClaim', 403],
  ['ExpiredTokenException', 400],
  ['ExpiredToken', 403],
  ['SignatureDoesNotMatch', 403],
  ['IncompleteSignature', 400],
  ['InvalidClientTokenId', 403],
  ['MissingAuthenticationToken', 403],
  ['RequestExpired', 400],
  ['AccessDenied', 403],
  ['ValidationError', 400],
  ['MalformedQueryString', 404],
  ['Throttling', 400],
  ['InternalFailure', 500],
  ['ServiceUnavailable', 503],
]

describe('the statuses AWS documents', () => {
  for (const [code, status] of PINNED) {
    it(`sends ${code} with ${status}`, () => {
      assert.equal(AWS_ERRORS[code].status, status)
    })
  }
})
