/** What the end-to-end tests need to run the real AWS CLI (v1) against a Gatehouse server. */
import { spawnSync } from 'node:child_process'

/** A key the CLI signs with. */
export interface CliKey {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/**
 * The environment of an AWS CLI that knows only what it is given here: the key, us-east-1, no
 * config or credentials file, no instance metadata, no pager (the caller's other variables kept).
 */
export function awsCliEnv(key: CliKey): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) env[name] = value
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  }
}

/** The same environment with no key at all, for the calls the CLI sends unsigned. */
export function anonymousAwsCliEnv(): NodeJS.ProcessEnv {
  const env = awsCliEnv({ accessKeyId: 'unused', secretAccessKey: 'unused' })
  delete env['AWS_ACCESS_KEY_ID']
  delete env['AWS_SECRET_ACCESS_KEY']
  return env
}

/** A skip reason where the AWS CLI is not installed, else false (node:test's `skip`). */
export const NO_AWS_CLI: string | false =
  spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0
    ? false
    : 'aws is not installed here'
