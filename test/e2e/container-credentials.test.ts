/**
 * Credentials that renew themselves, end to end: `gatehouse serve` in a process of its own, a
 * role made with the AWS SDK, a workload made with `gatehouse workload create` (its own process),
 * and a real AWS SDK for JavaScript v3 client in a third process with nothing but the two
 * variables the command printed (test/support/container-credentials-client.ts). The client keeps
 * working across several expiries of 15-second credentials, on a new access key each time, until
 * the workload is deleted: then it works while its last credentials last, and fails after. The
 * AWS CLI, where it is installed, reads the same endpoint, with the token in a variable or a file.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam'
import { containerEnv, startContainerClient } from '../support/container-credentials-client.js'
import type { ClientCall } from '../support/container-credentials-client.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

const BIN = resolve(import.meta.dirname, '../../bin/gatehouse.js')

/** The workloads' credentials last this long: the shortest Gatehouse allows. */
const DURATION_SECONDS = 15
const DURATION_MS = DURATION_SECONDS * 1000

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'workloads.gatehouse.local' },
      Action: 'sts:AssumeRole',
    },
  ],
})

const noCli =
  spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0
    ? false
    : 'the AWS CLI is not installed here'

/** The two variables `gatehouse workload create` prints. */
interface WorkloadEnv {
  readonly AWS_CONTAINER_CREDENTIALS_FULL_URI: string
  readonly AWS_CONTAINER_AUTHORIZATION_TOKEN: string
}

describe('container credentials with the real AWS SDK and CLI', () => {
  let server: ServerProcess
  let roleArn: string
  let cliEnv: NodeJS.ProcessEnv

  /** Runs `gatehouse workload ...` as the root user; asserts it succeeded. */
  function gatehouse(...args: string[]): { stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [BIN, 'workload', ...args, '--endpoint', server.url], {
      env: cliEnv,
      encoding: 'utf8',
      timeout: 60_000,
    })
    assert.equal(run.status, 0, run.stderr)
    return { stdout: run.stdout, stderr: run.stderr }
  }

  function createWorkload(name: string): WorkloadEnv {
    const { stdout } = gatehouse(
      'create',
      '--role',
      roleArn,
      '--name',
      name,
      '--duration-seconds',
      String(DURATION_SECONDS),
    )
    const vars = Object.fromEntries(
      stdout
        .trimEnd()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    ) as unknown as WorkloadEnv
    assert.equal(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI, `${server.url}/gatehouse/v1/credentials`)
    assert.match(vars.AWS_CONTAINER_AUTHORIZATION_TOKEN, /^ghw1\./)
    return vars
  }

  function aws(env: NodeJS.ProcessEnv, ...args: string[]) {
    return spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    })
  }

  before(async () => {
    server = await startServerProcess()
    const root = printedRootKey(server.stdout())
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: root })
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'app-role', AssumeRolePolicyDocument: TRUST }),
    )
    roleArn = role.Role?.Arn ?? ''
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'app-role',
        PolicyName: 'read-roles',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
        }),
      }),
    )
    cliEnv = containerEnv({ AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'root-credentials') })
  })

  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('keeps an SDK client working past several expiries, until the workload is deleted', async () => {
    const vars = createWorkload('renewing')
    const client = startContainerClient(server.url, 1000, containerEnv({ ...vars }))
    try {
      // Three and a half lifetimes of credentials, a call a second.
      const spanned = (_: ClientCall, calls: readonly ClientCall[]): boolean =>
        calls.length > 1 && (calls.at(-1)?.at ?? 0) - (calls[0]?.at ?? 0) >= 3.5 * DURATION_MS
      await client.until(spanned, 5 * DURATION_MS + 30_000)
      const working = [...client.calls]
      const failed = working.filter((call) => !call.ok)
      assert.deepEqual(failed, [], 'every call before the deletion succeeds')
      for (const call of working) {
        assert.match(call.arn ?? '', /^arn:aws:sts::\d{12}:assumed-role\/app-role\/renewing$/)
        assert.match(call.accessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/)
      }
      const keys = new Set(working.map((call) => call.accessKeyId))
      assert.ok(keys.size >= 4, `new credentials as the old ones near their expiry: ${keys.size}`)
      // The last call came long after the first call's credentials expired, with others.
      assert.notEqual(working.at(-1)?.accessKeyId, working[0]?.accessKeyId)

      const deleting = Date.now()
      gatehouse('delete', 'renewing')
      const refused = await fetch(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI, {
        headers: { authorization: vars.AWS_CONTAINER_AUTHORIZATION_TOKEN },
      })
      assert.equal(refused.status, 401)
      assert.equal(((await refused.json()) as { Code: string }).Code, 'InvalidToken')

      // The client goes on with what it holds, then fails once that has expired, and stays failed.
      const afterDeletion = (call: ClientCall): boolean => call.at > deleting
      await client.until((_, calls) => {
        const last = calls.filter(afterDeletion).slice(-2)
        return last.length === 2 && last.every((call) => !call.ok)
      }, DURATION_MS + 60_000)
      const calls = await client.stop()
      const later = calls.filter(afterDeletion)
      const firstFailure = later.findIndex((call) => !call.ok)
      assert.ok(firstFailure >= 0)
      assert.ok(
        later.slice(firstFailure).every((call) => !call.ok),
        'no call succeeds once one has failed',
      )
      for (const call of later.slice(0, firstFailure)) {
        assert.ok(
          call.at < deleting + DURATION_MS + 1000,
          'credentials issued before the deletion are used only while they last',
        )
      }
      // The SDK's chain found no credentials: the endpoint refused the token (401, as above).
      for (const call of later.slice(firstFailure)) {
        assert.deepEqual(
          [call.error, call.message],
          ['CredentialsProviderError', 'Could not load credentials from any providers'],
        )
      }
    } finally {
      await client.stop()
    }
  })

  it('serves an SDK client that reads its token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', async () => {
    const vars = createWorkload('from-file')
    const file = join(server.dataDir, 'from-file.token')
    // The SDKs send the file as it is: a newline would not be a legal header value.
    writeFileSync(file, vars.AWS_CONTAINER_AUTHORIZATION_TOKEN, { mode: 0o600 })
    const client = startContainerClient(
      server.url,
      1000,
      containerEnv({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: vars.AWS_CONTAINER_CREDENTIALS_FULL_URI,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file,
      }),
      2,
    )
    const calls = await client.exited()
    assert.equal(calls.length, 2, client.stderr())
    for (const call of calls) {
      assert.equal(call.ok, true, call.message)
      assert.match(call.arn ?? '', /assumed-role\/app-role\/from-file$/)
    }
  })

  it('serves the AWS CLI, with the token in a variable or in a file', { skip: noCli }, () => {
    const vars = createWorkload('cli')
    const identity = aws(containerEnv({ ...vars }), 'sts', 'get-caller-identity')
    assert.equal(identity.status, 0, identity.stderr)
    assert.match(
      (JSON.parse(identity.stdout) as { Arn: string }).Arn,
      /^arn:aws:sts::\d{12}:assumed-role\/app-role\/cli$/,
    )
    const file = join(server.dataDir, 'cli.token')
    writeFileSync(file, vars.AWS_CONTAINER_AUTHORIZATION_TOKEN, { mode: 0o600 })
    const fromFile = containerEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: vars.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file,
    })
    const roles = aws(fromFile, 'iam', 'list-roles')
    assert.equal(roles.status, 0, roles.stderr)
    assert.deepEqual(
      (JSON.parse(roles.stdout) as { Roles: { RoleName: string }[] }).Roles.map((r) => r.RoleName),
      ['app-role'],
    )
    const denied = aws(fromFile, 'iam', 'list-users')
    assert.notEqual(denied.status, 0)
    assert.match(
      denied.stderr,
      /assumed-role\/app-role\/cli is not authorized to perform: iam:ListUsers/,
    )

    gatehouse('delete', 'cli')
    const revoked = aws(containerEnv({ ...vars }), 'sts', 'get-caller-identity')
    assert.notEqual(revoked.status, 0)
    assert.match(revoked.stderr, /401/)
  })
})
