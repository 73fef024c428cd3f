/**
 * The API benchmark's scenarios: the calls of the issue, each as the request cycle every
 * autocannon connection replays, pre-signed for one server, and a probe that checks once,
 * before any load, that the server answers them as AWS would.
 */
import type autocannon from 'autocannon'
import type { Fixture } from './prepare-server.js'
import { BENCH_USER_COUNT, BENCH_USER_PATH } from './prepare-server.js'
import type { PresignedRequest, Presigner } from './presigner.js'

/** What one run of a scenario replays. */
export interface Workload {
  /** The cycle each connection sends, one request in flight at a time. */
  readonly requests: autocannon.Request[]
  /** One cycle, sent in order before the load; each must answer 2xx. */
  readonly probe: readonly PresignedRequest[]
  /** Looks at the probe's response bodies; says what is wrong, if anything. */
  readonly check: (bodies: readonly string[]) => string | undefined
}

/** One measured call pattern. */
export interface Scenario {
  readonly id: string
  readonly title: string
  /**
   * Measured beside the calls, with no target of its own: the report states no
   * target for it.
   */
  readonly extra?: boolean
  /**
   * The workload for one run (signed now, so it stays inside the clock-skew window), or why
   * the scenario cannot run on this server. `runTag` is unique per run.
   */
  build(presigner: Presigner, fixture: Fixture, runTag: string): Promise<Workload | string>
}

/**
 * How many CreateUser/DeleteUser name pairs one run cycles through. A name comes round again
 * only after this many iterations, long after its DeleteUser answered, while at most one
 * iteration per connection is in flight; and signing a pair costs about 80 µs, so a ring is
 * cheap where a pool sized for the fastest server's whole run would not be.
 */
const CREATE_DELETE_RING = 2_048

/** A request autocannon may send as is; a copy, as autocannon writes into the headers. */
function replay(request: PresignedRequest): autocannon.Request {
  return {
    method: request.method,
    path: request.path,
    headers: { ...request.headers },
    body: request.body,
  }
}

function expectText(text: string): Workload['check'] {
  return (bodies) =>
    bodies.every((body) => body.includes(text)) ? undefined : `no ${text} in the response`
}

const GET_USER: Scenario = {
  id: 'get-user',
  title: `GetUser (cycling through ${BENCH_USER_COUNT} users by name)`,
  async build(presigner, fixture) {
    const signed = await Promise.all(
      fixture.userNames.map((UserName) => presigner.sign('iam', 'GetUser', { UserName })),
    )
    return {
      requests: signed.map(replay),
      probe: signed.slice(0, 1),
      check: expectText(`<UserName>${fixture.userNames[0] ?? ''}</UserName>`),
    }
  },
}

const LIST_USERS: Scenario = {
  id: 'list-users',
  title: `ListUsers (one page of ${BENCH_USER_COUNT} users)`,
  async build(presigner) {
    const signed = await presigner.sign('iam', 'ListUsers', { PathPrefix: BENCH_USER_PATH })
    return {
      requests: [replay(signed)],
      probe: [signed],
      check([body = '']) {
        const count = body.match(/<UserName>/g)?.length ?? 0
        return count === BENCH_USER_COUNT
          ? undefined
          : `ListUsers returned ${count} users, not ${BENCH_USER_COUNT}`
      },
    }
  },
}

const CREATE_DELETE_USER: Scenario = {
  id: 'create-delete-user',
  title: 'CreateUser + DeleteUser (a new name each iteration; both requests counted)',
  async build(presigner, _fixture, runTag) {
    const pair = async (UserName: string): Promise<[PresignedRequest, PresignedRequest]> => [
      await presigner.sign('iam', 'CreateUser', { UserName }),
      await presigner.sign('iam', 'DeleteUser', { UserName }),
    ]
    const ring = await Promise.all(
      Array.from({ length: CREATE_DELETE_RING }, (_, i) => pair(`bench-cd-${runTag}-${i}`)),
    )
    const probe = await pair(`bench-cd-${runTag}-probe`)
    // One counter for all connections, so no two iterations in flight share a name.
    let next = 0
    const take = (index: unknown, which: 0 | 1): autocannon.Request => {
      const signed = (
        ring[Number(index) % CREATE_DELETE_RING] as [PresignedRequest, PresignedRequest]
      )[which]
      return replay(signed)
    }
    return {
      requests: [
        {
          setupRequest(request, context) {
            context.pair = next++
            return { ...request, ...take(context.pair, 0) }
          },
        },
        { setupRequest: (request, context) => ({ ...request, ...take(context.pair, 1) }) },
      ],
      probe,
      check: () => undefined,
    }
  },
}

const GET_CALLER_IDENTITY: Scenario = {
  id: 'get-caller-identity',
  title: 'STS GetCallerIdentity',
  async build(presigner) {
    const signed = await presigner.sign('sts', 'GetCallerIdentity')
    return {
      requests: [replay(signed)],
      probe: [signed],
      check: expectText('bench-caller</Arn>'),
    }
  },
}

const GET_CALLER_IDENTITY_SESSION: Scenario = {
  id: 'get-caller-identity-session',
  title: "STS GetCallerIdentity with role-session credentials (not among the issue's calls)",
  extra: true,
  async build(presigner, fixture) {
    if (fixture.session === undefined) return 'no session credentials'
    const signed = await presigner.as(fixture.session).sign('sts', 'GetCallerIdentity')
    return {
      requests: [replay(signed)],
      probe: [signed],
      check: expectText('assumed-role/bench-role/bench-session</Arn>'),
    }
  },
}

const ASSUME_ROLE: Scenario = {
  id: 'assume-role',
  title: 'STS AssumeRole',
  async build(presigner, fixture) {
    if (fixture.roleArn === undefined) return 'no role to assume'
    const signed = await presigner.sign('sts', 'AssumeRole', {
      RoleArn: fixture.roleArn,
      RoleSessionName: 'bench-session',
    })
    return {
      requests: [replay(signed)],
      probe: [signed],
      check: expectText('<SecretAccessKey>'),
    }
  },
}

/** Every scenario, in the order they run (ListUsers before CreateUser + DeleteUser). */
export const SCENARIOS: readonly Scenario[] = [
  GET_USER,
  LIST_USERS,
  CREATE_DELETE_USER,
  GET_CALLER_IDENTITY,
  ASSUME_ROLE,
  GET_CALLER_IDENTITY_SESSION,
]
