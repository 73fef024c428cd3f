/**
 * Console sign-in: an IAM user gives its account, name, password and, when it has an MFA
 * device, the device's current code, and gets temporary credentials of its own (an ASIA key, its
 * secret and a session token, as GetSessionToken gives them) for the web console to call the API
 * with. In order:
 *
 *   reserve   the attempt counts as a failure of the user name and of the source address before
 *             anything is checked (TooManyFailedAttempts while either is locked out), so that
 *             attempts made at once cannot pass the limit together
 *   password  verified with scrypt, against a stand-in hash when there is no such account, user
 *             or login profile, so that every wrong answer takes as long and reads the same
 *   MFA       a user with a device must give a code (MFACodeRequired), of one of its devices,
 *             newer than any used before: it is used up, so a code signs in once
 *   change    a password that must be reset (PasswordResetRequired) or has expired (MaxPasswordAge)
 *             signs in only to be changed: the request must carry newPassword, which must pass
 *             the password policy and iam:ChangePassword must be allowed; an expired password
 *             under HardExpiry does not sign in at all
 *   settle    the MFA code used up, the new password set, PasswordLastUsed stamped, the user
 *             name's failures cleared and the address's count taken back, in one transaction
 *
 * An attempt that stops to ask for more (an MFA code, a new password) or is refused for what the
 * new password is takes its count back. The password and the codes are never logged, recorded or
 * returned.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { ConsoleSignInAudit } from '../../audit/console-sign-in-event.js'
import { FAILED_AUTHENTICATION } from '../../audit/console-sign-in-event.js'
import type { AuthCache } from '../../auth/auth-cache.js'
import { authorize } from '../../auth/authorize.js'
import type { UserCaller } from '../../auth/caller.js'
import { hashPassword, verifyPassword } from '../../auth/password-hash.js'
import { consoleMayRenewExpiredPassword } from '../../auth/password-rules.js'
import type { PolicyCompiler } from '../../auth/policy-compiler.js'
import type { SessionTokenKey } from '../../auth/session-token.js'
import type { EnforcementMode } from '../../config/config.js'
import { AwsError } from '../../errors/aws-error.js'
import type { JsonServiceError } from '../../protocol/json/json-service-error.js'
import { NotFoundError } from '../../store/errors.js'
import type { Store, User } from '../../store/store.js'
import { newPasswordHash } from '../iam/new-password-hash.js'
import { issueCredentials, ownKeySession } from '../sts/issue-credentials.js'
import type { CredentialsXml } from '../sts/issue-credentials.js'
import { FAILED_AUTHENTICATION_MESSAGE, signInError } from './sign-in-errors.js'
import type { SignInRequest } from './sign-in-request.js'
import { DEFAULT_LOCKOUT_POLICY, attemptThrottles } from './sign-in-throttles.js'
import type { AttemptThrottles, LockoutPolicy } from './sign-in-throttles.js'
import { changeReason, matchCode, readSignInUser, userOrUndefined } from './sign-in-user.js'
import type { SignInUser } from './sign-in-user.js'

/** How long console credentials last: twelve hours, as an IAM user's console session. */
export const CONSOLE_SESSION_SECONDS = 43_200

/** What console sign-in works with; the request pipelines' dependencies have all of it. */
export interface ConsoleSignInDeps {
  readonly store: Store
  readonly sessionTokens: SessionTokenKey
  readonly compiler: PolicyCompiler
  readonly cache: AuthCache
  readonly enforcement: EnforcementMode
  readonly log: FastifyBaseLogger
}

/** Where a sign-in came from, and when. */
export interface SignInContext {
  readonly now: Date
  readonly sourceIp: string
  readonly secureTransport: boolean
  readonly userAgent: string | undefined
  /** additionalEventData's LoginTo when the request gives none. */
  readonly defaultLoginTo: string
}

/** A sign-in that gave credentials. */
export interface SignInSuccess {
  readonly credentials: CredentialsXml
  readonly user: User
  /** Whether an MFA code was checked. */
  readonly mfaUsed: boolean
  /** Whether the sign-in set a new password. */
  readonly passwordChanged: boolean
}

/** How a sign-in ended: credentials, or an error; and its ConsoleLogin record, if it ends one. */
export type SignInOutcome = (
  | { readonly ok: true; readonly success: SignInSuccess }
  | {
      readonly ok: false
      readonly error: JsonServiceError
      /** For TooManyFailedAttempts: when the lock ends. */
      readonly retryAfter?: Date
    }
) & {
  /** Undefined for an attempt that asks for more (an MFA code, a new password) or is malformed. */
  readonly audit: ConsoleSignInAudit | undefined
}

/** What the first transaction found. */
interface Reserved {
  readonly accountId: string | null
  readonly throttles: AttemptThrottles
  /** Set when a subject is locked out: nothing was counted. */
  readonly lockedUntil: Date | undefined
  /** The user, if it exists: in the record of a failure. */
  readonly user: User | undefined
  /** The user with a password, if both exist. */
  readonly found: SignInUser | undefined
}

/** Thrown inside the settling transaction to undo it: the attempt failed after all. */
class SettleFailed extends Error {
  override readonly name = 'SettleFailed'
}

/** The IAM user signing in, as authorization takes a caller. */
function signInCaller(user: User): UserCaller {
  // No key signs this: the sign-in itself stands for the user.
  return { kind: 'user', accountId: user.accountId, arn: user.arn, accessKeyId: '', user }
}

/** Console sign-in for one server. */
export class ConsoleSignIn {
  readonly #deps: ConsoleSignInDeps
  readonly #policy: LockoutPolicy
  /**
   * A hash of no one's password, verified against when there is no password to verify, so that
   * an unknown user costs the same scrypt as a known one; made once, on the first use.
   */
  #standIn: Promise<string> | undefined

  constructor(deps: ConsoleSignInDeps, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY) {
    this.#deps = deps
    this.#policy = policy
  }

  #standInHash(): Promise<string> {
    this.#standIn ??= hashPassword(randomBytes(32).toString('base64')).catch((err: unknown) => {
      // A failed hash is not kept: the next sign-in makes it again.
      this.#standIn = undefined
      throw err
    })
    return this.#standIn
  }

  /** Runs one sign-in. Throws only for a failure of the server itself. */
  async signIn(request: SignInRequest, context: SignInContext): Promise<SignInOutcome> {
    const { now } = context
    const loginTo = request.loginTo ?? context.defaultLoginTo
    const reserved = await this.#reserve(request, context)
    const auditOf = (
      outcome: 'Success' | 'Failure',
      details: { errorMessage?: string; mfaUsed?: boolean; mfaIdentifier?: string } = {},
    ): ConsoleSignInAudit => ({
      outcome,
      user:
        reserved.user === undefined
          ? null
          : { userId: reserved.user.userId, arn: reserved.user.arn, name: reserved.user.name },
      accountId: reserved.accountId,
      mfaUsed: details.mfaUsed ?? false,
      ...(details.errorMessage === undefined ? {} : { errorMessage: details.errorMessage }),
      ...(details.mfaIdentifier === undefined ? {} : { mfaIdentifier: details.mfaIdentifier }),
      loginTo,
    })
    const failed = (mfaUsed: boolean): SignInOutcome => ({
      ok: false,
      error: signInError('FailedAuthentication', FAILED_AUTHENTICATION_MESSAGE),
      audit: auditOf('Failure', { errorMessage: FAILED_AUTHENTICATION, mfaUsed }),
    })

    if (reserved.lockedUntil !== undefined) {
      return {
        ok: false,
        error: signInError(
          'TooManyFailedAttempts',
          'Too many failed sign-in attempts for this user or from this address. Try again later.',
        ),
        retryAfter: reserved.lockedUntil,
        audit: auditOf('Failure', { errorMessage: 'Too many failed sign-in attempts' }),
      }
    }

    // SECURITY: exactly one scrypt verification, whatever exists: a wrong account, user, missing
    // password or wrong password all take as long and answer alike.
    const found = reserved.found
    const passwordRight = await verifyPassword(
      request.password,
      found?.passwordHash ?? (await this.#standInHash()),
    )
    if (found === undefined || !passwordRight) return failed(false)

    // The password is right: what follows either completes the sign-in or asks for more.
    const askForMore = async (error: JsonServiceError): Promise<SignInOutcome> => {
      await this.#release(reserved.throttles)
      return { ok: false, error, audit: undefined }
    }
    const mfaNeeded = found.devices.length > 0
    if (mfaNeeded && request.mfaCode === undefined) {
      return askForMore(
        signInError(
          'MFACodeRequired',
          'This user signs in with an MFA device: give its current code in mfaCode.',
        ),
      )
    }
    const reason = changeReason(found, now)
    if (reason === 'expired' && !consoleMayRenewExpiredPassword(found.policy)) {
      await this.#release(reserved.throttles)
      return {
        ok: false,
        error: signInError(
          'PasswordExpired',
          'Your password has expired, and only an administrator can reset it (the password policy sets HardExpiry).',
        ),
        audit: auditOf('Failure', { errorMessage: 'Password expired', mfaUsed: mfaNeeded }),
      }
    }
    if (reason !== undefined && request.newPassword === undefined) {
      return askForMore(
        signInError(
          'PasswordChangeRequired',
          reason === 'expired'
            ? 'Your password has expired: sign in again with a new password in newPassword.'
            : 'Your password must be changed before you sign in: sign in again with a new password in newPassword.',
        ),
      )
    }
    if (reason === undefined && request.newPassword !== undefined) {
      return askForMore(
        signInError(
          'ValidationError',
          'newPassword is taken only when the password has expired or must be reset; change it with ChangePassword.',
        ),
      )
    }

    let newHash: string | undefined
    if (request.newPassword !== undefined) {
      const denial = await this.#changePasswordDenial(found.user, context)
      if (denial !== undefined) {
        await this.#release(reserved.throttles)
        return {
          ok: false,
          error: signInError('AccessDenied', denial),
          audit: auditOf('Failure', { errorMessage: denial, mfaUsed: mfaNeeded }),
        }
      }
      try {
        const password = request.newPassword
        newHash = await this.#deps.store.transaction(
          (tx) => newPasswordHash(tx, found.user.accountId, found.user.name, password),
          { readOnly: true },
        )
      } catch (err) {
        if (err instanceof AwsError && err.code === 'PasswordPolicyViolation') {
          return askForMore(signInError('PasswordPolicyViolation', err.message))
        }
        throw err
      }
    }

    const code = mfaNeeded && request.mfaCode !== undefined ? request.mfaCode : undefined
    const matched = code === undefined ? undefined : matchCode(found.devices, code, now)
    if (mfaNeeded && matched === undefined) return failed(true)

    const credentials = await this.#settle(found, reserved.throttles, matched, newHash, now)
    if (credentials === undefined) return failed(mfaNeeded)
    return {
      ok: true,
      success: {
        credentials,
        user: found.user,
        mfaUsed: mfaNeeded,
        passwordChanged: newHash !== undefined,
      },
      audit: auditOf('Success', {
        mfaUsed: mfaNeeded,
        ...(matched === undefined ? {} : { mfaIdentifier: matched.serialNumber }),
      }),
    }
  }

  /** The first transaction: the account, the reservation, and the user with its password. */
  #reserve(request: SignInRequest, context: SignInContext): Promise<Reserved> {
    return this.#deps.store.transaction(async (tx) => {
      const accountId = await tx.getSignInAccountId(request.account)
      // A name of no account is counted under what was typed, as a user of a real one is.
      const throttles = attemptThrottles(
        this.#policy,
        accountId ?? `?${request.account}`,
        request.userName,
        context.sourceIp,
      )
      const reservation = await tx.reserveSignInAttempt([throttles.user, throttles.address])
      const user =
        accountId === null ? undefined : await userOrUndefined(tx, accountId, request.userName)
      const lockedUntil = reservation.allowed ? undefined : reservation.lockedUntil
      const found =
        user === undefined || lockedUntil !== undefined ? undefined : await readSignInUser(tx, user)
      return { accountId, throttles, lockedUntil, user, found }
    })
  }

  /** Takes back the attempt's counts: it did not fail. */
  async #release(throttles: AttemptThrottles): Promise<void> {
    await this.#deps.store.transaction((tx) =>
      tx.releaseSignInAttempt([throttles.user, throttles.address]),
    )
  }

  /**
   * Why the user may not change its own password, which a forced change needs (iam:ChangePassword
   * on itself, as the console asks of it); undefined when it may. In report-only mode a denial is
   * logged and let through, as the API's are.
   */
  async #changePasswordDenial(user: User, context: SignInContext): Promise<string | undefined> {
    const deps = this.#deps
    const caller = signInCaller(user)
    const decision = await deps.store.transaction(
      (tx) =>
        authorize(tx, deps.compiler, deps.cache, {
          caller,
          action: 'iam:ChangePassword',
          resource: user.arn,
          facts: {
            now: context.now,
            sourceIp: context.sourceIp,
            secureTransport: context.secureTransport,
            region: 'us-east-1',
            userAgent: context.userAgent,
          },
        }),
      { readOnly: true },
    )
    if (decision.decision === 'allow') return undefined
    const message =
      decision.message ??
      `User: ${user.arn} is not authorized to perform: iam:ChangePassword on resource: ${user.arn}`
    if (deps.enforcement === 'enforce') return message
    deps.log.warn(
      { caller: user.arn, action: 'iam:ChangePassword', resource: user.arn },
      `report-only: would deny: ${message}`,
    )
    return undefined
  }

  /**
   * The last transaction: uses the MFA code up, sets the new password, stamps PasswordLastUsed,
   * clears the user name's failures, takes the address's count back, and issues the credentials.
   * Undefined, changing nothing, when the attempt fails after all: the code was used meanwhile,
   * or the password changed or the user went away since it was checked.
   */
  async #settle(
    found: SignInUser,
    throttles: AttemptThrottles,
    matched: { readonly serialNumber: string; readonly step: number } | undefined,
    newHash: string | undefined,
    now: Date,
  ): Promise<CredentialsXml | undefined> {
    const { user } = found
    const deps = this.#deps
    try {
      return await deps.store.transaction(async (tx) => {
        try {
          if ((await tx.getPasswordHash(user.accountId, user.name)) !== found.passwordHash) {
            throw new SettleFailed('the password changed while it was checked')
          }
        } catch (err) {
          if (err instanceof NotFoundError) throw new SettleFailed('the user went away')
          throw err
        }
        if (matched !== undefined) {
          const used = await tx.useMfaCode(
            user.accountId,
            matched.serialNumber,
            user.name,
            matched.step,
          )
          if (!used) throw new SettleFailed('the MFA code was used meanwhile')
        }
        if (newHash !== undefined) {
          await tx.updateLoginProfile(user.accountId, user.name, {
            passwordHash: newHash,
            passwordResetRequired: false,
          })
        }
        await tx.recordPasswordUse(user.accountId, user.name)
        await tx.clearSignInFailures(throttles.user.subject)
        await tx.releaseSignInAttempt([throttles.address])
        return issueCredentials(
          { now, sessionTokens: deps.sessionTokens },
          {
            ...ownKeySession(user.accountId, user, matched !== undefined),
            // The console's credentials call IAM whether or not MFA made them.
            console: true,
          },
          CONSOLE_SESSION_SECONDS,
        )
      })
    } catch (err) {
      if (err instanceof SettleFailed) return undefined
      throw err
    }
  }
}
