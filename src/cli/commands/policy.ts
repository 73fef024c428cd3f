/**
 * `gatehouse policy eval` (../shared/spec/policy-case.md) and `gatehouse policy validate`.
 */
import { readFileSync } from 'node:fs'
import {
  checkCase,
  checkPolicy,
  describeFaultLocation,
  isPolicyKind,
  listCases,
  runCase,
} from '../../policy/index.js'
import { POLICY_KINDS } from '../../policy/index.js'

function readSource(file: string): string {
  return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8')
}

/** Runs `gatehouse policy ...`; returns the exit code. */
export function runPolicyCommand(args: readonly string[]): number {
  const [verb, ...rest] = args
  if (verb === 'eval') return policyEval(rest)
  if (verb === 'validate') return policyValidate(rest)
  process.stderr.write(
    'usage: gatehouse policy eval [--check] FILE... | gatehouse policy validate FILE --kind KIND\n',
  )
  return 2
}

function policyEval(args: readonly string[]): number {
  const check = args.includes('--check')
  const files = args.filter((a) => a !== '--check')
  if (files.length === 0) {
    process.stderr.write('usage: gatehouse policy eval [--check] FILE [FILE...]\n')
    return 2
  }
  let passed = 0
  let failed = 0
  for (const file of files) {
    let cases: unknown[]
    try {
      cases = listCases(JSON.parse(readSource(file)) as unknown)
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      process.stdout.write(`${JSON.stringify({ file, error: reason })}\n`)
      failed++
      continue
    }
    cases.forEach((raw, position) => {
      const result = runCase(raw, position)
      if (!check) {
        process.stdout.write(`${JSON.stringify(result)}\n`)
        return
      }
      const problems = checkCase(raw, result)
      if (problems.length === 0) passed++
      else {
        failed++
        process.stdout.write(`${JSON.stringify({ id: result.id, file, problems, result })}\n`)
      }
    })
  }
  if (check) {
    process.stdout.write(`${passed} passed, ${failed} failed\n`)
    return failed === 0 ? 0 : 1
  }
  return failed === 0 ? 0 : 1
}

function policyValidate(args: readonly string[]): number {
  let kind: string | undefined
  let managed = false
  const files: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '--managed') managed = true
    else if (arg === '--kind') kind = args[++i]
    else if (arg.startsWith('--kind=')) kind = arg.slice('--kind='.length)
    else files.push(arg)
  }
  const [file] = files
  if (file === undefined || files.length !== 1 || kind === undefined || !isPolicyKind(kind)) {
    process.stderr.write(
      `usage: gatehouse policy validate FILE --kind ${POLICY_KINDS.join('|')} [--managed]\n`,
    )
    return 2
  }
  let text: string
  try {
    text = readSource(file)
  } catch (err) {
    process.stderr.write(
      `gatehouse: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`,
    )
    return 2
  }
  // A managed policy (CreatePolicy) must say Version 2012-10-17; inline documents need not.
  const result = checkPolicy(text, kind, { requireCurrentVersion: managed })
  if (result.ok) {
    process.stdout.write(`${file}: valid ${kind} policy\n`)
    return 0
  }
  for (const fault of result.faults) {
    process.stdout.write(
      `${file}: MalformedPolicyDocument: ${fault.message} (at ${describeFaultLocation(fault)})\n`,
    )
  }
  return 1
}
