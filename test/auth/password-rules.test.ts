/** The password rules: the default and custom policies, reuse, expiry, and self-service. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DEFAULT_POLICY_MINIMUM_LENGTH,
  PASSWORD_POLICY_DEFAULTS,
  PASSWORD_SYMBOLS,
  consoleMayRenewExpiredPassword,
  isPasswordExpired,
  passwordExpiresAt,
  passwordPolicyViolation,
  passwordPolicyViolations,
  passwordReuseMessage,
  reusePreventionDepth,
  selfServicePasswordPolicy,
} from '../../src/auth/password-rules.js'
import type { PasswordPolicy } from '../../src/store/passwords-ops.js'

/** A policy with the defaults but for `changes`. */
function policy(changes: Partial<PasswordPolicy>): PasswordPolicy {
  return { ...PASSWORD_POLICY_DEFAULTS, ...changes }
}

const ALL_KINDS: Partial<PasswordPolicy> = {
  requireSymbols: true,
  requireNumbers: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
}

describe('AWS default password policy (no account policy)', () => {
  it('Should accept 8 characters of three kinds', () => {
    assert.equal(passwordPolicyViolation('abcdEF12', null), null)
    assert.equal(passwordPolicyViolation('abcdef1!', null), null)
    assert.equal(passwordPolicyViolation('ABCDEF1!', null), null)
  })

  it('Should refuse fewer than 8 characters with IAM’s message', () => {
    assert.equal(DEFAULT_POLICY_MINIMUM_LENGTH, 8)
    assert.equal(
      passwordPolicyViolation('aB1!xyz', null),
      'Password should have a minimum length of 8',
    )
  })

  it('Should ask for the missing kinds, as IAM words it', () => {
    // Recorded from CreateLoginProfile for a password of lowercase letters and digits.
    assert.equal(
      passwordPolicyViolation('abcdef123', null),
      'Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol',
    )
    assert.equal(
      passwordPolicyViolation('abcdefghij', null),
      'Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol',
    )
  })

  it('Should report the length and the kinds together', () => {
    assert.deepEqual(passwordPolicyViolations('abc', null), [
      'Password should have a minimum length of 8',
      'Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol',
    ])
  })
})

describe('custom password policy', () => {
  it('Should use the defaults UpdateAccountPasswordPolicy documents', () => {
    assert.deepEqual(PASSWORD_POLICY_DEFAULTS, {
      minimumPasswordLength: 6,
      requireSymbols: false,
      requireNumbers: false,
      requireUppercaseCharacters: false,
      requireLowercaseCharacters: false,
      allowUsersToChangePassword: false,
      maxPasswordAge: null,
      passwordReusePrevention: null,
      hardExpiry: false,
    })
    // With the defaults, any 6 characters do, unlike AWS's default policy.
    assert.equal(passwordPolicyViolation('aaaaaa', PASSWORD_POLICY_DEFAULTS), null)
    assert.equal(
      passwordPolicyViolation('aaaaa', PASSWORD_POLICY_DEFAULTS),
      'Password should have a minimum length of 6',
    )
  })

  it('Should enforce the minimum length exactly', () => {
    const p = policy({ minimumPasswordLength: 14 })
    assert.equal(passwordPolicyViolation('x'.repeat(14), p), null)
    assert.equal(
      passwordPolicyViolation('x'.repeat(13), p),
      'Password should have a minimum length of 14',
    )
  })

  it('Should require each kind only when the policy says so', () => {
    assert.equal(
      passwordPolicyViolation('abcdefgh', policy({ requireUppercaseCharacters: true })),
      'Password should have at least one uppercase letter',
    )
    assert.equal(
      passwordPolicyViolation('ABCDEFGH', policy({ requireLowercaseCharacters: true })),
      'Password should have at least one lowercase letter',
    )
    assert.equal(
      passwordPolicyViolation('abcdefgh', policy({ requireNumbers: true })),
      'Password should have at least one number',
    )
    assert.equal(
      passwordPolicyViolation('abcdefgh', policy({ requireSymbols: true })),
      'Password should have at least one symbol',
    )
    assert.equal(passwordPolicyViolation('aB3$efgh', policy(ALL_KINDS)), null)
  })

  it('Should list every failure, length first', () => {
    assert.equal(
      passwordPolicyViolation('abc', policy({ minimumPasswordLength: 8, ...ALL_KINDS })),
      'Password should have a minimum length of 8, Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol',
    )
  })

  it('Should count as symbols exactly the characters AWS lists', () => {
    assert.equal(PASSWORD_SYMBOLS, "!@#$%^&*()_+-=[]{}|'")
    const symbols = policy({ requireSymbols: true })
    for (const symbol of PASSWORD_SYMBOLS) {
      assert.equal(passwordPolicyViolation(`abcdef${symbol}`, symbols), null, symbol)
    }
    // Printable, allowed in a password, but no symbol by AWS's list.
    for (const other of ['~', '"', '.', ',', '/', '\\', ':', ';', '<', '>', '?', '`', ' ', 'é']) {
      assert.equal(
        passwordPolicyViolation(`abcdef${other}`, symbols),
        'Password should have at least one symbol',
        JSON.stringify(other),
      )
    }
  })

  it('Should take only ISO basic Latin letters as upper or lower case', () => {
    const p = policy({ requireUppercaseCharacters: true, requireLowercaseCharacters: true })
    assert.deepEqual(passwordPolicyViolations('ÀÉÎõüñ12', p), [
      'Password should have at least one uppercase letter',
      'Password should have at least one lowercase letter',
    ])
  })
})

describe('reuse prevention', () => {
  it('Should look back as far as the policy says, and not at all without one', () => {
    assert.equal(reusePreventionDepth(null), 0)
    assert.equal(reusePreventionDepth(PASSWORD_POLICY_DEFAULTS), 0)
    assert.equal(reusePreventionDepth(policy({ passwordReusePrevention: 24 })), 24)
  })

  it('Should word the refusal by the depth', () => {
    assert.equal(
      passwordReuseMessage(1),
      'Password should not be the same as your current password',
    )
    assert.equal(passwordReuseMessage(3), 'Password should not be one of your 3 previous passwords')
  })
})

describe('expiry', () => {
  const setAt = new Date('2026-01-01T00:00:00Z')

  it('Should never expire a password without MaxPasswordAge', () => {
    assert.equal(passwordExpiresAt(null, setAt), null)
    assert.equal(passwordExpiresAt(PASSWORD_POLICY_DEFAULTS, setAt), null)
    assert.equal(isPasswordExpired(null, setAt, new Date('2099-01-01T00:00:00Z')), false)
  })

  it('Should expire a password MaxPasswordAge days after it was set', () => {
    const p = policy({ maxPasswordAge: 90 })
    assert.deepEqual(passwordExpiresAt(p, setAt), new Date('2026-04-01T00:00:00Z'))
    assert.equal(isPasswordExpired(p, setAt, new Date('2026-03-31T23:59:59.999Z')), false)
    assert.equal(isPasswordExpired(p, setAt, new Date('2026-04-01T00:00:00Z')), true)
  })

  it('Should let the console renew an expired password unless HardExpiry', () => {
    assert.equal(consoleMayRenewExpiredPassword(null), true)
    assert.equal(consoleMayRenewExpiredPassword(policy({ maxPasswordAge: 30 })), true)
    assert.equal(
      consoleMayRenewExpiredPassword(policy({ maxPasswordAge: 30, hardExpiry: true })),
      false,
    )
  })
})

describe('AllowUsersToChangePassword', () => {
  it('Should grant ChangePassword on the user itself and GetAccountPasswordPolicy', () => {
    const arn = 'arn:aws:iam::123456789012:user/eng/alice'
    assert.deepEqual(JSON.parse(selfServicePasswordPolicy(arn)), {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:ChangePassword', Resource: arn },
        { Effect: 'Allow', Action: 'iam:GetAccountPasswordPolicy', Resource: '*' },
      ],
    })
  })
})
