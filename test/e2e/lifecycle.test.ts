/**
 * The server's lifecycle with real clients: session credentials outlive a restart (the token key
 * comes from the master key, not from the process), and SIGTERM lets requests in flight finish
 * before the process exits.
 */
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, describe, it } from 'node:test'
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { signRequest } from '../auth/sigv4-signer.js'
import {
  printedRootKey,
  removeDataDir,
  startServerProcess,
  tempDataDir,
} from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

/** How many requests are in flight when the server is told to stop. */
const IN_FLIGHT = 1

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

const clientConfig = (url: string, credentials: Key) => ({
  endpoint: url,
  region: 'us-east-1',
  credentials,
  maxAttempts: 1,
})

/** `YYYYMMDDTHHMMSSZ` now. */
function amzNow(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')
}

describe('the server lifecycle', () => {
  const dataDir = tempDataDir()
  after(() => removeDataDir(dataDir))
  let root: Key

  it('keeps serving role sessions issued before a restart', async () => {
    const first = await startServerProcess({ dataDir })
    let session: Key
    try {
      root = printedRootKey(first.stdout())
      const iam = new IAMClient(clientConfig(first.url, root))
      const account = first.accountId
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'deploy',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${account}:user/alice` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      )
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'deploy',
          PolicyName: 'Read',
          PolicyDocument:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}',
        }),
      )
      await iam.send(new CreateUserCommand({ UserName: 'alice' }))
      const created = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))
      const alice = {
        accessKeyId: created.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
      }
      const assumed = await new STSClient(clientConfig(first.url, alice)).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account}:role/deploy`,
          RoleSessionName: 'before-restart',
        }),
      )
      session = {
        accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
        secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
        sessionToken: assumed.Credentials?.SessionToken ?? '',
      }
      assert.match(session.accessKeyId, /^ASIA/)
    } finally {
      assert.equal(await first.stop(), 0)
    }

    const second = await startServerProcess({ dataDir })
    try {
      const identity = await new STSClient(clientConfig(second.url, session)).send(
        new GetCallerIdentityCommand({}),
      )
      assert.equal(
        identity.Arn,
        `arn:aws:sts::${second.accountId}:assumed-role/deploy/before-restart`,
      )
      const roles = await new IAMClient(clientConfig(second.url, session)).send(
        new ListRolesCommand({}),
      )
      assert.deepEqual(
        roles.Roles?.map((r) => r.RoleName),
        ['deploy'],
      )
    } finally {
      assert.equal(await second.stop(), 0)
    }
  })

  it('finishes the requests in flight when told to stop, then exits 0', async () => {
    const server = await startServerProcess({ dataDir })
    const url = new URL(server.url)
    // Requests that take a while: a page of 1,000 users each.
    const iam = new IAMClient(clientConfig(server.url, root))
    for (let i = 0; i < 999; i++) {
      await iam.send(new CreateUserCommand({ UserName: `bulk-${String(i).padStart(4, '0')}` }))
    }
    iam.destroy()
    const body = 'Action=ListUsers&Version=2010-05-08&MaxItems=1000'
    const replies: Promise<{ status: number; users: number; at: number }>[] = []
    let sent = 0
    const allSent = new Promise<void>((resolve) => {
      for (let i = 0; i < IN_FLIGHT; i++) {
        const signed = signRequest({
          form: 'header',
          time: amzNow(),
          body,
          accessKeyId: root.accessKeyId,
          secret: root.secretAccessKey,
          headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
        })
        replies.push(
          new Promise((done, fail) => {
            const req = httpRequest(
              {
                host: url.hostname,
                port: url.port,
                method: 'POST',
                path: '/',
                headers: signed.headers.flat(),
              },
              (res) => {
                let text = ''
                res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
                res.on('end', () => {
                  done({
                    status: res.statusCode ?? 0,
                    users: text.split('<member>').length - 1,
                    at: Date.now(),
                  })
                })
              },
            )
            req.on('error', fail)
            req.end(Buffer.from(signed.body), () => {
              sent += 1
              if (sent === IN_FLIGHT) resolve()
            })
          }),
        )
      }
    })
    await allSent
    // The request has been sent and the server, idle until now, reads it at once: it is told to
    // stop while it is still answering. (One request: a request still unread in the kernel's
    // buffer when the signal comes is not in flight, and its connection is closed.)
    await new Promise((resolve) => setTimeout(resolve, 3))
    const stopAt = Date.now()
    const stopped = server.stop()
    const outcomes = await Promise.all(replies)
    assert.deepEqual(
      outcomes.map(({ status, users }) => ({ status, users })),
      Array.from({ length: IN_FLIGHT }, () => ({ status: 200, users: 1000 })),
    )
    assert.ok(
      outcomes.every((o) => o.at > stopAt),
      'the answer came after the stop began: it was in flight',
    )
    assert.equal(await stopped, 0)
    assert.match(server.stderr(), /SIGTERM: shutting down; requests in flight finish first/)
    assert.match(server.stderr(), /Gatehouse stopped/)
  })
})
