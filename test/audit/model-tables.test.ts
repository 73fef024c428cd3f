/**
 * The audit builder's tables that restate facts of botocore's IAM and STS models: the typed
 * input members (requestParameters writes them as numbers and booleans), the sensitive members
 * (redaction must cover every one), and the error shapes whose name differs from their wire code
 * (CloudTrail's errorCode). Skipped where botocore is not installed.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { SECRET_MEMBERS } from '../../src/audit/redact.js'
import { PARAMETER_TYPES } from '../../src/audit/request-parameters.js'
import { MODEL_ERROR_NAMES, trailErrorCode } from '../../src/audit/trail-error-code.js'

interface ShapeRef {
  readonly shape: string
}
interface Shape {
  readonly type: string
  readonly sensitive?: boolean
  readonly exception?: boolean
  readonly error?: { readonly code?: string }
  readonly members?: Readonly<Record<string, ShapeRef>>
  readonly member?: ShapeRef
  readonly value?: ShapeRef
}
interface Model {
  readonly operations: Readonly<Record<string, { readonly input?: ShapeRef }>>
  readonly shapes: Readonly<Record<string, Shape>>
}

/** The IAM and STS models of the installed botocore, or the reason there are none. */
function loadModels(): readonly Model[] | string {
  const probe = spawnSync(
    'python3',
    ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'],
    { encoding: 'utf8' },
  )
  if (probe.status !== 0) return 'botocore is not installed'
  const data = join(probe.stdout.trim(), 'data')
  const models: Model[] = []
  for (const path of ['iam/2010-05-08', 'sts/2011-06-15']) {
    const file = join(data, path, 'service-2.json.gz')
    if (!existsSync(file)) return `botocore has no ${path} model`
    models.push(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Model)
  }
  return models
}

const models = loadModels()

describe('tables restated from the IAM and STS models', () => {
  it('PARAMETER_TYPES lists exactly the non-string scalar members of the operation inputs', (t) => {
    if (typeof models === 'string') return t.skip(models)
    const found = new Map<string, Set<string>>()
    for (const model of models) {
      const walk = (name: string, seen: ReadonlySet<string>): void => {
        const shape = model.shapes[name]
        if (shape === undefined || seen.has(name)) return
        const next = new Set([...seen, name])
        for (const [member, ref] of Object.entries(shape.members ?? {})) {
          const type = model.shapes[ref.shape]?.type
          if (type === 'integer' || type === 'long')
            found.set(member, new Set([...(found.get(member) ?? []), 'integer']))
          if (type === 'boolean')
            found.set(member, new Set([...(found.get(member) ?? []), 'boolean']))
          walk(ref.shape, next)
        }
        if (shape.member) walk(shape.member.shape, next)
        if (shape.value) walk(shape.value.shape, next)
      }
      for (const operation of Object.values(model.operations)) {
        if (operation.input) walk(operation.input.shape, new Set())
      }
    }
    for (const [member, types] of found) assert.equal(types.size, 1, `${member} has two types`)
    assert.deepEqual(
      new Map([...found].map(([member, types]) => [member, [...types][0]])),
      new Map([...PARAMETER_TYPES].sort(([a], [b]) => a.localeCompare(b))),
    )
  })

  it('SECRET_MEMBERS covers every member whose shape is sensitive', (t) => {
    if (typeof models === 'string') return t.skip(models)
    const sensitive: string[] = []
    for (const model of models) {
      for (const shape of Object.values(model.shapes)) {
        for (const [member, ref] of Object.entries(shape.members ?? {})) {
          if (model.shapes[ref.shape]?.sensitive === true) sensitive.push(member)
        }
      }
    }
    assert.ok(sensitive.length >= 10)
    for (const member of sensitive) {
      assert.ok(SECRET_MEMBERS.has(member.toLowerCase()), `${member} is not redacted`)
    }
  })

  it('MODEL_ERROR_NAMES maps every wire code to its shape name, and only those', (t) => {
    if (typeof models === 'string') return t.skip(models)
    const renamed = new Map<string, string>()
    for (const model of models) {
      for (const [name, shape] of Object.entries(model.shapes)) {
        const code = shape.error?.code
        if (shape.exception === true && code !== undefined && code !== name) renamed.set(code, name)
      }
    }
    assert.deepEqual(
      new Map([...renamed].sort(([a], [b]) => a.localeCompare(b))),
      new Map([...MODEL_ERROR_NAMES].sort(([a], [b]) => a.localeCompare(b))),
    )
  })
})

describe('trailErrorCode', () => {
  it('names modeled errors by their shape and keeps the others', () => {
    assert.equal(trailErrorCode('NoSuchEntity'), 'NoSuchEntityException')
    assert.equal(trailErrorCode('ReportInProgress'), 'CredentialReportNotReadyException')
    assert.equal(trailErrorCode('PackedPolicyTooLarge'), 'PackedPolicyTooLargeException')
    assert.equal(trailErrorCode('RegionDisabledException'), 'RegionDisabledException')
    assert.equal(trailErrorCode('AccessDenied'), 'AccessDenied')
    assert.equal(trailErrorCode('ValidationError'), 'ValidationError')
  })
})
