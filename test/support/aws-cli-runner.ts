/**
 * Runs the real AWS CLI (v1) against a Gatehouse server, as a suite's root or another key, or
 * with no key for the calls it sends unsigned.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { anonymousAwsCliEnv, awsCliEnv } from './aws-cli.js'
import type { CliKey } from './aws-cli.js'

/** How one `aws` run ended. */
export interface AwsCliRun {
  readonly status: number | null
  readonly out: string
  readonly err: string
}

/**
 * The CLI of `endpoint` signing with `key`: `aws` runs it, `awsJson` also wants success and gives
 * the output read, `awsError` wants a failure and gives what the CLI printed of it.
 */
export interface AwsCliRunner {
  readonly aws: (...args: string[]) => AwsCliRun
  readonly awsJson: (...args: string[]) => Record<string, unknown>
  readonly awsError: (...args: string[]) => string
}

/**
 * Runs `aws --endpoint-url <endpoint> --output json ...` with only `key` in its environment, or no
 * key at all.
 */
export function awsCliRunner(endpoint: string, key?: CliKey): AwsCliRunner {
  const env = key === undefined ? anonymousAwsCliEnv() : awsCliEnv(key)
  const aws = (...args: string[]): AwsCliRun => {
    const run = spawnSync('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    })
    return { status: run.status, out: run.stdout, err: run.stderr }
  }
  const awsJson = (...args: string[]): Record<string, unknown> => {
    const run = aws(...args)
    assert.equal(run.status, 0, `aws ${args.join(' ')}: ${run.err}`)
    return run.out.trim() === '' ? {} : (JSON.parse(run.out) as Record<string, unknown>)
  }
  const awsError = (...args: string[]): string => {
    const run = aws(...args)
    assert.notEqual(run.status, 0, `aws ${args.join(' ')} succeeded: ${run.out}`)
    return run.err.trim()
  }
  return { aws, awsJson, awsError }
}
