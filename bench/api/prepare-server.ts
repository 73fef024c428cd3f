/**
 * What the API benchmark needs on a server, made through real signed calls with the AWS SDK
 * (setup only; the load is replayed by autocannon): 100 users to get and list, a caller user
 * whose inline policy allows IAM and STS (so every measured call goes through policy
 * evaluation, which the root user skips, and AssumeRole, which AWS refuses to root), a role
 * the caller may assume, and a session of that role (temporary credentials).
 */
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import type { BenchServer } from './bench-server.js'
import type { BenchCredentials } from './presigner.js'

/** The path of the users GetUser and ListUsers read; ListUsers filters on it. */
export const BENCH_USER_PATH = '/bench/'
/** How many users ListUsers returns: its default MaxItems, so one page. */
export const BENCH_USER_COUNT = 100

/** What prepareServer made. */
export interface Fixture {
  /** The key every measured request is signed with. */
  readonly caller: BenchCredentials
  /** The users under BENCH_USER_PATH. */
  readonly userNames: readonly string[]
  /** The role to assume; undefined when the server could not create it. */
  readonly roleArn: string | undefined
  /**
   * Temporary credentials of a session of that role, assumed by the caller (an hour, longer
   * than any run); undefined when there is no role or AssumeRole failed.
   */
  readonly session: BenchCredentials | undefined
  /** Why something could not be made, for the report. */
  readonly notes: readonly string[]
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`
  return String(err)
}

/** Runs `task` over `items`, `width` at a time. */
async function inParallel<T>(
  items: readonly T[],
  width: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T
      await task(item)
    }
  }
  await Promise.all(Array.from({ length: width }, worker))
}

/** A session of `roleArn` for `caller`, or why there is none. */
async function assumeRole(
  server: BenchServer,
  caller: BenchCredentials,
  roleArn: string,
): Promise<BenchCredentials | string> {
  const sts = new STSClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: caller,
    maxAttempts: 1,
  })
  try {
    const reply = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bench-session' }),
    )
    const c = reply.Credentials
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
      return 'AssumeRole returned no credentials'
    }
    if (c.SessionToken === undefined) return 'AssumeRole returned no session token'
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    }
  } catch (err) {
    return `AssumeRole failed (${describe(err)})`
  } finally {
    sts.destroy()
  }
}

/** Makes the fixture on `server`, signed as its root user. Throws if a user cannot be made. */
export async function prepareServer(server: BenchServer): Promise<Fixture> {
  // The SDK's notice about future Node versions would land in the middle of the report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const iam = new IAMClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: server.root,
    maxAttempts: 1,
  })
  const notes: string[] = []
  try {
    const userNames = Array.from(
      { length: BENCH_USER_COUNT },
      (_, i) => `bench-user-${String(i).padStart(3, '0')}`,
    )
    await inParallel(userNames, 4, (UserName) =>
      iam.send(new CreateUserCommand({ UserName, Path: BENCH_USER_PATH })),
    )

    const callerName = 'bench-caller'
    await iam.send(new CreateUserCommand({ UserName: callerName, Path: '/bench-caller/' }))
    await iam.send(
      new PutUserPolicyCommand({
        UserName: callerName,
        PolicyName: 'bench-iam-and-sts',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['iam:*', 'sts:*'], Resource: '*' }],
        }),
      }),
    )
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: callerName }))
    const key = created.AccessKey
    if (key?.AccessKeyId === undefined || key.SecretAccessKey === undefined) {
      throw new Error(`${server.name}: CreateAccessKey returned no key`)
    }

    let roleArn: string | undefined
    try {
      const role = await iam.send(
        new CreateRoleCommand({
          RoleName: 'bench-role',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${server.accountId}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      )
      roleArn = role.Role?.Arn
      if (roleArn === undefined) notes.push('CreateRole returned no Arn')
    } catch (err) {
      notes.push(`CreateRole failed (${describe(err)})`)
    }

    const caller = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }
    const session = roleArn === undefined ? undefined : await assumeRole(server, caller, roleArn)
    if (typeof session === 'string') notes.push(session)

    return {
      caller,
      userNames,
      roleArn,
      session: typeof session === 'string' ? undefined : session,
      notes,
    }
  } finally {
    iam.destroy()
  }
}
