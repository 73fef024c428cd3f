/** Runs the real AWS CLI (v1) against a Gatehouse server, as a suite's root or another key. */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { awsCliEnv } from './aws-cli.js'
import type { CliKey } from './aws-cli.js'

/** How one `aws` run ended. */
export interface AwsCliRun {
  readonly status: number | null
  readonly out: string
  readonly err: string
}

/** The CLI of `endpoint` signing with `key`: `aws` runs it, `awsJson` also wants success. */
export interface AwsCliRunner {
  readonly aws: (...args: string[]) => AwsCliRun
  readonly awsJson: (...args: string[]) => Record<string, unknown>
}

/** Runs `aws --endpoint-url <endpoint> --output json ...` with only `key` in its environment. */
export function awsCliRunner(endpoint: string, key: CliKey): AwsCliRunner {
  const aws = (...args: string[]): AwsCliRun => {
    const run = spawnSync('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], {
      env: awsCliEnv(key),
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
  return { aws, awsJson }
}
