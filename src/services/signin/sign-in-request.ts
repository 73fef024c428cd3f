/**
 * What a console sign-in sends (POST /console/sign-in, a JSON object): the account (its 12-digit
 * id or its alias), the IAM user's name and password, the current code of the user's MFA device
 * when it has one, a new password when the current one has expired or must be reset, and where
 * the console means to go (`loginTo`, recorded in the trail). Every member is checked here, and
 * no message quotes a value: people type passwords into the wrong field.
 */
import type { JsonObject } from '../../protocol/json/decode-json.js'
import { signInError } from './sign-in-errors.js'

/** A sign-in request, its members checked. */
export interface SignInRequest {
  /** A 12-digit account id or an account alias, as typed. */
  readonly account: string
  readonly userName: string
  /** SECURITY: never logged, recorded or returned. */
  readonly password: string
  /** Six digits. */
  readonly mfaCode?: string
  /** SECURITY: as `password`. */
  readonly newPassword?: string
  readonly loginTo?: string
}

const MEMBERS: ReadonlySet<string> = new Set([
  'account',
  'userName',
  'password',
  'mfaCode',
  'newPassword',
  'loginTo',
])

// An account id, or an alias as CreateAccountAlias takes it (any case: aliases are lower-case,
// and the sign-in page takes what people type).
const ACCOUNT = /^(?:[0-9]{12}|[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])$/i
// userNameType: 1 to 64 of letters, digits and +=,.@_-.
const USER_NAME = /^[\w+=,.@-]{1,64}$/
const MFA_CODE = /^[0-9]{6}$/
// passwordType: 1 to 128 characters.
const MAX_PASSWORD = 128
const LOGIN_TO = /^https?:\/\/[\x21-\x7e]{1,1016}$/

function invalid(message: string): never {
  throw signInError('ValidationError', message)
}

function text(body: JsonObject, member: string, required: boolean): string | undefined {
  const value = body[member]
  if (value === undefined) {
    if (required) invalid(`The sign-in needs \`${member}\`.`)
    return undefined
  }
  if (typeof value !== 'string') invalid(`\`${member}\` must be a string.`)
  return value
}

function password(body: JsonObject, member: string, required: boolean): string | undefined {
  const value = text(body, member, required)
  if (value !== undefined && (value.length === 0 || value.length > MAX_PASSWORD)) {
    invalid(`\`${member}\` must have 1 to ${MAX_PASSWORD} characters.`)
  }
  return value
}

/** The sign-in a decoded body asks for; ValidationError (400) for anything else. */
export function readSignInRequest(body: JsonObject): SignInRequest {
  for (const member of Object.keys(body)) {
    if (!MEMBERS.has(member)) {
      invalid(
        'The sign-in takes only account, userName, password, mfaCode, newPassword and loginTo.',
      )
    }
  }
  const account = text(body, 'account', true) ?? ''
  if (!ACCOUNT.test(account))
    invalid('`account` must be a 12-digit account id or an account alias.')
  const userName = text(body, 'userName', true) ?? ''
  if (!USER_NAME.test(userName)) {
    invalid('`userName` must be 1 to 64 letters, digits and characters of +=,.@_-.')
  }
  const current = password(body, 'password', true) ?? ''
  const mfaCode = text(body, 'mfaCode', false)
  if (mfaCode !== undefined && !MFA_CODE.test(mfaCode)) invalid('`mfaCode` must be six digits.')
  const newPassword = password(body, 'newPassword', false)
  const loginTo = text(body, 'loginTo', false)
  if (loginTo !== undefined && !LOGIN_TO.test(loginTo)) {
    invalid('`loginTo` must be an http or https URL of at most 1024 characters.')
  }
  return {
    account,
    userName,
    password: current,
    ...(mfaCode === undefined ? {} : { mfaCode }),
    ...(newPassword === undefined ? {} : { newPassword }),
    ...(loginTo === undefined ? {} : { loginTo }),
  }
}
