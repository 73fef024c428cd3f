/**
 * The `gatehouse` command as a user runs it: the real bin script in a child process, reading
 * real files, checked on its output lines and exit codes.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'

const ROOT = join(import.meta.dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'gatehouse.js')
const SAMPLE = join(ROOT, 'test', 'cases', 'policy-sample.json')

function gatehouse(args: readonly string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'))
  const file = join(dir, name)
  writeFileSync(file, content)
  return file
}

describe('gatehouse --help', () => {
  it('answers with the usage and exit code 0', () => {
    const { status, stdout } = gatehouse(['--help'])
    assert.equal(status, 0)
    assert.match(stdout, /gatehouse policy eval/)
    assert.match(stdout, /gatehouse policy validate/)
  })
  it('rejects an unknown command with exit code 2', () => {
    const { status, stderr } = gatehouse(['frobnicate'])
    assert.equal(status, 2)
    assert.match(stderr, /unknown command 'frobnicate'/)
  })
})

describe('gatehouse policy eval', () => {
  it('prints one JSON line per case with the decision, the denial message and the matched statements', () => {
    const { status, stdout } = gatehouse(['policy', 'eval', SAMPLE])
    assert.equal(status, 0)
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    assert.equal(lines.length, 45)
    const first = lines.find((l) => l['id'] === 'GR-01')
    assert.deepEqual(first, {
      id: 'GR-01',
      decision: 'implicit_deny',
      deniedBy: 'identity',
      message:
        'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::amzn-s3-demo-bucket/report.csv because no identity-based policy allows the s3:GetObject action',
      matched: [],
    })
    const allowed = lines.find((l) => l['decision'] === 'allow')
    assert.ok(allowed !== undefined && Array.isArray(allowed['matched']))
  })

  it('with --check passes every sample case and closes with the summary line', () => {
    const { status, stdout } = gatehouse(['policy', 'eval', '--check', SAMPLE])
    assert.equal(status, 0)
    assert.equal(stdout.trim().split('\n').at(-1), '45 passed, 0 failed')
  })

  it('with --check reports a wrong expectation and exits 1', () => {
    const wrong = {
      cases: [
        {
          id: 'WRONG-1',
          policies: { identity: [] },
          request: {
            principal: {
              arn: 'arn:aws:iam::111122223333:user/alice',
              type: 'User',
              account: '111122223333',
            },
            action: 's3:GetObject',
            resource: { arn: 'arn:aws:s3:::b/k', account: '111122223333' },
          },
          expected: { decision: 'allow' },
        },
      ],
    }
    const { status, stdout } = gatehouse(['policy', 'eval', '--check', '-'], JSON.stringify(wrong))
    assert.equal(status, 1)
    const [mismatch, summary] = stdout.trim().split('\n')
    assert.match(mismatch ?? '', /"id":"WRONG-1".*decision implicit_deny, expected allow/)
    assert.equal(summary, '0 passed, 1 failed')
  })

  it('reports a malformed case on its own line and goes on with the others', () => {
    const cases = [
      { id: 'BAD', policies: { identity: [{ Statement: 'nope' }] }, request: {} },
      {
        id: 'GOOD',
        policies: { identity: [] },
        request: {
          principal: {
            arn: 'arn:aws:iam::111122223333:root',
            type: 'Account',
            account: '111122223333',
          },
          action: 's3:GetObject',
          resource: { arn: 'arn:aws:s3:::b/k', account: '111122223333' },
        },
      },
    ]
    const file = tempFile('cases.json', JSON.stringify(cases))
    const { status, stdout } = gatehouse(['policy', 'eval', file])
    const [bad, good] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.equal(bad?.['id'], 'BAD')
    assert.equal(typeof bad?.['error'], 'string')
    assert.equal(good?.['decision'], 'allow')
    assert.equal(status, 0)
  })
})

describe('gatehouse policy validate', () => {
  it('accepts a valid identity policy', () => {
    const file = tempFile(
      'ok.json',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      }),
    )
    const { status, stdout } = gatehouse(['policy', 'validate', file, '--kind', 'identity'])
    assert.equal(status, 0)
    assert.match(stdout, /valid identity policy/)
  })

  it('prints the AWS-worded fault with its location and exits 1', () => {
    const file = tempFile(
      'principal.json',
      '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]\n}\n',
    )
    const { status, stdout } = gatehouse(['policy', 'validate', file, '--kind', 'identity'])
    assert.equal(status, 1)
    assert.match(
      stdout,
      /MalformedPolicyDocument: Policy document should not specify a principal\./,
    )
    assert.match(stdout, /Statement\[0\]\.Principal \(line 3, column \d+\)/)
  })

  it('with --managed applies the Version rule of CreatePolicy', () => {
    const file = tempFile(
      'old.json',
      JSON.stringify({ Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } }),
    )
    assert.equal(gatehouse(['policy', 'validate', file, '--kind', 'identity']).status, 0)
    const { status, stdout } = gatehouse([
      'policy',
      'validate',
      file,
      '--kind',
      'identity',
      '--managed',
    ])
    assert.equal(status, 1)
    assert.match(stdout, /Policy document must be version 2012-10-17 or greater\./)
  })

  it('requires a known --kind', () => {
    const file = tempFile('x.json', '{}')
    const { status, stderr } = gatehouse(['policy', 'validate', file, '--kind', 'bogus'])
    assert.equal(status, 2)
    assert.match(stderr, /--kind identity\|resource\|trust/)
  })
})
